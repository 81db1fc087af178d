/*
 * bare_loop.c - the reference importer of issue 3, for bench/run.sh: stream
 * a JUnit file with xmlTextReader and insert each testcase with its text
 * through one prepared statement, in one WAL transaction.  No dialects, no
 * safety, no merging: the floor truegreen's import is measured against.
 *
 * usage: bare_loop REPORT DB
 */
#include <libxml/xmlreader.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct acc {
	char *p;
	size_t n, cap;
} acc;

static void add(acc *a, const char *s)
{
	size_t n = strlen(s);

	if (a->n + n + 1 > a->cap) {
		a->cap = (a->n + n + 1) * 2;
		a->p = realloc(a->p, a->cap);
		if (!a->p)
			exit(3);
	}
	memcpy(a->p + a->n, s, n + 1);
	a->n += n;
}

static char *attr(xmlTextReaderPtr r, const char *name)
{
	return (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)name);
}

int main(int argc, char **argv)
{
	xmlTextReaderPtr r;
	sqlite3 *db;
	sqlite3_stmt *ins;
	acc text = {0};
	char *cls = NULL, *name = NULL, *time = NULL;
	int rc, in_case = 0;

	if (argc != 3)
		return 2;
	if (sqlite3_open(argv[2], &db) != SQLITE_OK ||
	    sqlite3_exec(db,
			 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			 "CREATE TABLE IF NOT EXISTS cases (classname TEXT, "
			 "name TEXT, time REAL, text TEXT); BEGIN",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO cases VALUES (?, ?, ?, ?)", -1,
			       &ins, NULL) != SQLITE_OK)
		return 4;
	r = xmlReaderForFile(argv[1], NULL, XML_PARSE_NONET);
	if (!r)
		return 3;
	while ((rc = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r);
		const char *local = (const char *)xmlTextReaderConstLocalName(r);
		int end = type == XML_READER_TYPE_END_ELEMENT ||
			  (type == XML_READER_TYPE_ELEMENT &&
			   xmlTextReaderIsEmptyElement(r));

		if (type == XML_READER_TYPE_ELEMENT && strcmp(local, "testcase") == 0) {
			in_case = 1;
			text.n = 0;
			cls = attr(r, "classname");
			name = attr(r, "name");
			time = attr(r, "time");
		} else if (in_case && (type == XML_READER_TYPE_TEXT ||
				       type == XML_READER_TYPE_CDATA)) {
			add(&text, (const char *)xmlTextReaderConstValue(r));
		}
		if (end && in_case && strcmp(local, "testcase") == 0) {
			sqlite3_bind_text(ins, 1, cls, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 2, name, -1, SQLITE_STATIC);
			sqlite3_bind_double(ins, 3, time ? atof(time) : 0);
			sqlite3_bind_text(ins, 4, text.n ? text.p : NULL,
					  (int)text.n, SQLITE_STATIC);
			if (sqlite3_step(ins) != SQLITE_DONE)
				return 4;
			sqlite3_reset(ins);
			xmlFree(cls);
			xmlFree(name);
			xmlFree(time);
			cls = name = time = NULL;
			in_case = 0;
		}
	}
	xmlFreeTextReader(r);
	sqlite3_finalize(ins);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return 4;
	sqlite3_close(db);
	free(text.p);
	return rc == 0 ? 0 : 3;
}
