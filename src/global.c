/*
 * global.c - the process-wide setup of the library (truegreen.h).
 *
 * libxml2's parser initialisation and our external-entity loader are the
 * documented global state (docs/ARCHITECTURE.md).  The loader refuses
 * every URI: no report may make truegreen read a file or the network,
 * whatever options a parser was given.
 */
#include "truegreen/truegreen.h"

#include <libxml/parser.h>
#include <libxml/xmlIO.h>

#include "err.h"

static xmlParserInputPtr refuse_entities(const char *url, const char *id,
					 xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

int tg_global_init(tg_err *err)
{
	(void)err;
	xmlInitParser();
	xmlSetExternalEntityLoader(refuse_entities);
	return 0;
}

const char *tg_version(void)
{
	return TG_VERSION;
}
