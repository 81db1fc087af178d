/*
 * test_hostile.c - bad input gets a clear error that names the file and
 * line, and leaves the database exactly as it was; salvageable input is
 * imported with a warning.
 */
#include "helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

typedef struct ctx {
	char db[512];
	char before[65];
} ctx;

static int setup(void **state)
{
	ctx *c = calloc(1, sizeof(*c));
	tg_store *st;
	tg_import_result res;
	tg_err err = TG_ERR_INIT;

	th_tmp_db(c->db, sizeof(c->db));
	assert_int_equal(tg_store_open(&st, c->db, NULL, &err), 0);
	assert_int_equal(th_import1(st, FIXTURE("junit/ant-jenkins.xml"), &res,
				    &err),
			 0);
	tg_store_close(st);
	th_db_checksum(c->db, c->before);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	ctx *c = *state;

	th_rm_db(c->db);
	free(c);
	return 0;
}

/* Import path into the context's database; it must fail with code, a
 * message containing want, and leave every row as it was. */
static void refused(ctx *c, const char *path, tg_code code, const char *want,
		    uint64_t line)
{
	char after[65];
	tg_store *st;
	tg_import_result res;
	tg_err err = TG_ERR_INIT;

	assert_int_equal(tg_store_open(&st, c->db, NULL, &err), 0);
	assert_int_equal(th_import1(st, path, &res, &err), code);
	tg_store_close(st);
	print_message("%s -> %s (line %llu)\n", path, err.msg,
		      (unsigned long long)err.line);
	assert_non_null(strstr(err.msg, want));
	assert_non_null(strstr(err.file, strrchr(path, '/') + 1));
	if (line)
		assert_int_equal(err.line, line);
	th_db_checksum(c->db, after);
	assert_string_equal(after, c->before);
}

static void test_hostile__xxe_is_refused_before_any_read(void **state)
{
	refused(*state, FIXTURE("hostile/11_xxe_external_entity.xml"),
		TG_EINPUT, "DOCTYPE with an internal subset", 2);
}

/* A parameter entity (the XXE that needs no element to expand in) is
 * refused at the DOCTYPE, before the system identifier is opened. */
static void test_hostile__parameter_entity_is_refused(void **state)
{
	static const char doc[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE t [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>\n"
		"<testsuite name=\"s\"><testcase name=\"x\"/></testsuite>\n";

	refused(*state, th_write_tmp("param.xml", doc, sizeof(doc) - 1),
		TG_EINPUT, "DOCTYPE with an internal subset", 2);
}

/* Entities a..h: &h; expands to 10^8 bytes ("billion laughs"). */
#define LAUGHS                                                                 \
	"<!ENTITY a \"aaaaaaaaaa\">"                                           \
	"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"                        \
	"<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"                        \
	"<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"                        \
	"<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"                        \
	"<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"                        \
	"<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">"                        \
	"<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">"

static void test_hostile__billion_laughs_is_refused(void **state)
{
	static const char bomb[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE t [" LAUGHS
		"<!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">]>\n"
		"<testsuite name=\"&i;\"><testcase name=\"x\"/></testsuite>\n";

	refused(*state, th_write_tmp("bomb.xml", bomb, sizeof(bomb) - 1),
		TG_EINPUT, "internal subset", 2);
}

/* UTF-16 passes the byte guard untouched: libxml2's own limits and the
 * DOCTYPE check on the reader's node must still refuse it. */
static void test_hostile__utf16_bomb_is_refused(void **state)
{
	static const char bomb8[] =
		"<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
		"<!DOCTYPE t [" LAUGHS "]>\n"
		"<testsuite><testcase name=\"&h;\"/></testsuite>\n";
	size_t n = sizeof(bomb8) - 1, i;
	char *b16 = malloc(2 * n + 2);

	b16[0] = (char)0xFF;
	b16[1] = (char)0xFE;
	for (i = 0; i < n; i++) {
		b16[2 + 2 * i] = bomb8[i];
		b16[3 + 2 * i] = 0;
	}
	refused(*state, th_write_tmp("bomb16.xml", b16, 2 * n + 2), TG_EINPUT,
		"entit", 3);
	free(b16);
}

static void test_hostile__garbage_and_binary(void **state)
{
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n',
					    0x1a, '\n', 0, 0, 0, 13};

	refused(*state, th_write_tmp("garbage.xml", "hello world\n", 12),
		TG_EINPUT, "not a test report", 0);
	refused(*state, th_write_tmp("image.png", png, sizeof(png)), TG_EINPUT,
		"not a test report", 0);
	refused(*state, FIXTURE("hostile/12_empty_file.xml"), TG_EINPUT,
		"empty", 0);
	refused(*state, th_write_tmp("pom.xml", "<project><a/></project>", 23),
		TG_EINPUT, "not a test report", 0);
}

static void test_hostile__malformed_before_any_case(void **state)
{
	refused(*state,
		th_write_tmp("bad.xml",
			     "<testsuite name=\"s\">\n<testcase name=\"a\" "
			     "time=\"1\"<oops/></testsuite>",
			     57),
		TG_EINPUT, "not well-formed XML", 2);
	refused(*state, FIXTURE("hostile/08_cdata_end_inside_cdata_unsplit.xml"),
		TG_EINPUT, "not well-formed", 2);
}

static void test_hostile__unreadable_and_fifo_do_not_hang(void **state)
{
	char fifo[512];
	const char *p;

	p = th_write_tmp("secret.xml", "<testsuite/>", 12);
	if (geteuid() != 0) { /* root reads anything: skip the mode check */
		chmod(p, 0);
		refused(*state, p, TG_EINPUT, "cannot open", 0);
	}
	refused(*state, "/nonexistent/report.xml", TG_EINPUT, "cannot open", 0);
	snprintf(fifo, sizeof(fifo), "%s.fifo", p);
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	/* No writer: must end at once as an empty input, not block. */
	refused(*state, fifo, TG_EINPUT, "empty", 0);
	unlink(fifo);
}

/*
 * A report cut off mid-write keeps exactly its complete testcases: cut at
 * every third byte of a report whose cases carry a few lines of output,
 * as real ones do.  Before the XML guard's end-of-input padding 65% of
 * the cuts lost cases; with padding alone 9% still lost the cases of
 * libxml2's last push; the salvage pass (parse_junit.c) keeps them all.
 */
static void test_hostile__truncated_keeps_complete_cases(void **state)
{
	tg_buf doc = TG_BUF_INIT(1 << 20);
	size_t ends[40], first, cut, exact = 0, lost = 0;
	int i;

	(void)state;
	tg_buf_adds(&doc, "<?xml version=\"1.0\"?>\n<testsuites><testsuite "
			  "name=\"s\">\n");
	first = doc.len;
	for (i = 0; i < 40; i++) {
		tg_buf_printf(&doc,
			      "<testcase classname=\"C\" name=\"t%d\" "
			      "time=\"1\"><system-out><![CDATA["
			      "DEBUG urllib3 Starting new HTTP connection (1): "
			      "127.0.0.1:8080\nDEBUG urllib3 \"GET /api HTTP/1.1\" "
			      "200 57\nINFO app message %d accepted in 31 ms\n"
			      "INFO app closing the session <x>\n]]>"
			      "</system-out></testcase>\n",
			      i, i);
		ends[i] = doc.len - 1;
	}
	tg_buf_adds(&doc, "</testsuite></testsuites>\n");
	assert_false(doc.failed);
	for (cut = first + 1; cut <= doc.len; cut += 3) {
		tg_store *st = th_store_memory();
		tg_import_result res;
		tg_err err = TG_ERR_INIT;
		size_t complete = 0, k;
		int rc = th_import1(st, th_write_tmp("cut.xml", doc.ptr, cut),
				    &res, &err);

		for (k = 0; k < 40; k++)
			complete += ends[k] <= cut;
		if (complete == 0) {
			assert_int_equal(rc, TG_EINPUT);
			assert_true(err.line > 0);
		} else {
			assert_int_equal(rc, 0);
			assert_int_equal(res.truncated, cut < doc.len - 1);
			if (res.counts.tests == complete)
				exact++;
			else
				lost++;
		}
		tg_store_close(st);
	}
	print_message("cuts: %zu exact, %zu lost cases\n", exact, lost);
	assert_int_equal(lost, 0);
	assert_true(exact > 1000);
	tg_buf_release(&doc);
}

/* NUL bytes are not XML: in a name or in captured output they are
 * replaced like any invalid byte, and the report still imports whole. */
static void test_hostile__nul_bytes_are_repaired(void **state)
{
	static const char doc[] =
		"<testsuite name=\"s\"><testcase classname=\"C\" name=\"a\0b\">"
		"<system-out>x\0y</system-out></testcase>"
		"<testcase classname=\"C\" name=\"c\"/></testsuite>\n";
	tg_store *st = th_store_memory();
	tg_import_result res;
	tg_err err = TG_ERR_INIT;
	th_tests t;

	(void)state;
	assert_int_equal(th_import1(st, th_write_tmp("nul.xml", doc,
						     sizeof(doc) - 1),
				    &res, &err),
			 0);
	assert_int_equal(res.counts.tests, 2);
	th_collect(st, res.run_id, &t);
	assert_non_null(th_find(&t, "C::a\xef\xbf\xbd" "b"));
	assert_non_null(th_find(&t, "C::c"));
	th_tests_free(&t);
	tg_store_close(st);
}

/* Repairable bytes are repaired and the run imported, with a warning. */
static void test_hostile__repairs_invalid_bytes(void **state)
{
	const char *files[] = {
		FIXTURE("hostile/01_surefire_style_charref_27_in_attribute.xml"),
		FIXTURE("hostile/02_raw_ESC_byte_in_text.xml"),
		FIXTURE("hostile/07_invalid_utf8_bytes.xml"),
	};
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tg_store *st = th_store_memory();
		tg_import_result res;
		tg_err err = TG_ERR_INIT;

		print_message("%s\n", files[i]);
		assert_int_equal(th_import1(st, files[i], &res, &err), 0);
		assert_int_equal(res.counts.tests, 1);
		tg_store_close(st);
	}
}

/* Nesting past the limit is refused, not recursed into: 100,000 levels
 * cost no stack and no time. */
static void test_hostile__deep_nesting(void **state)
{
	size_t depth = 100000, i, n = 0;
	char *doc = malloc(depth * 8 + 64);

	n += (size_t)sprintf(doc + n, "<testsuites>");
	for (i = 0; i < depth; i++)
		n += (size_t)sprintf(doc + n, "<a>");
	refused(*state, th_write_tmp("deep.xml", doc, n), TG_ELIMIT, "deep", 0);
	free(doc);
}

/*
 * Oversized values fail fast and cleanly: libxml2 refuses a single
 * attribute or text node over 10 MB.  (With XML_PARSE_HUGE the same
 * inputs took minutes of quadratic work; CTest's timeout guards this.)
 */
static char *big_doc(size_t big, const char *open, const char *close,
		     size_t *n)
{
	char *doc = malloc(big + 512);

	*n = (size_t)sprintf(doc, "<testsuite name=\"s\"><testcase "
				  "classname=\"C\" name=\"ok\"/>%s", open);
	memset(doc + *n, 'x', big);
	*n += big;
	*n += (size_t)sprintf(doc + *n, "%s</testsuite>", close);
	return doc;
}

static void test_hostile__huge_attribute_and_cdata(void **state)
{
	static const char *const shapes[][2] = {
		{"<testcase classname=\"C\" name=\"", "\"/>"},
		{"<testcase classname=\"C\" name=\"t\"><system-out><![CDATA[",
		 "]]></system-out></testcase>"},
	};
	size_t i, n;

	(void)state;
	for (i = 0; i < 2; i++) {
		/* 200 MB in an attribute, 40 MB of CDATA */
		char *doc = big_doc((i == 0 ? 200u : 40u) * 1024 * 1024,
				    shapes[i][0], shapes[i][1], &n);
		tg_store *st = th_store_memory();
		tg_import_result res;
		tg_err err = TG_ERR_INIT;

		/* the attribute: the complete case before the giant is
		 * kept, and the second pass (XML_PARSE_HUGE, with the guard
		 * refusing long values) does not take minutes; the CDATA
		 * section: read whole on that pass, split by the guard */
		assert_int_equal(th_import1(st, th_write_tmp("huge.xml", doc, n),
					    &res, &err),
				 0);
		assert_int_equal(res.truncated, i == 0);
		assert_int_equal(res.counts.tests, i == 0 ? 1 : 2);
		tg_store_close(st);
		free(doc);
	}
}

/*
 * A text node or CDATA section past libxml2's 10 MB stopped the reader
 * while testcases followed, failures among them.  The document is read
 * again with XML_PARSE_HUGE, the guard splitting CDATA sections (never
 * inside a character: all of this one is two-byte characters) and the
 * text unchanged: every testcase is stored, with its output's full
 * length counted.
 */
static void test_hostile__huge_text_and_cdata_are_read(void **state)
{
	static const char head[] =
		"<testsuite name=\"s\"><testcase classname=\"c\" name=\"before\" "
		"time=\"1\"/><testcase classname=\"c\" name=\"text\" time=\"3\">"
		"<failure message=\"m\"/><system-out>";
	static const char mid[] =
		"</system-out></testcase><testcase classname=\"c\" "
		"name=\"cdata\" time=\"3\"><failure message=\"m\"/>"
		"<system-out><![CDATA[";
	static const char tail[] =
		"]]></system-out></testcase><testcase classname=\"c\" "
		"name=\"after\" time=\"1\"><failure message=\"x\"/></testcase>"
		"</testsuite>";
	const size_t text = 11u << 20, chars = 6500000;
	char *doc = malloc(sizeof(head) + text + sizeof(mid) + 2 * chars +
			   sizeof(tail));
	size_t n = 0, i;
	tg_store *st = th_store_memory();
	tg_import_result res;
	tg_err err = TG_ERR_INIT;
	th_tests all;

	(void)state;
	assert_non_null(doc);
	memcpy(doc, head, sizeof(head) - 1);
	n = sizeof(head) - 1;
	memset(doc + n, 'x', text);
	n += text;
	memcpy(doc + n, mid, sizeof(mid) - 1);
	n += sizeof(mid) - 1;
	for (i = 0; i < chars; i++) {
		doc[n++] = (char)0xC3;
		doc[n++] = (char)0xA9;
	}
	memcpy(doc + n, tail, sizeof(tail) - 1);
	n += sizeof(tail) - 1;
	assert_int_equal(th_import1(st, th_write_tmp("huge-text.xml", doc, n),
				    &res, &err),
			 0);
	free(doc);
	assert_false(res.truncated);
	assert_int_equal(res.counts.tests, 4);
	assert_int_equal(res.counts.failed, 3);
	th_collect(st, res.run_id, &all);
	assert_non_null(th_find(&all, "c::after"));
	th_tests_free(&all);
	tg_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_hostile__xxe_is_refused_before_any_read, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_hostile__parameter_entity_is_refused, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_hostile__billion_laughs_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_hostile__utf16_bomb_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile__garbage_and_binary,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_hostile__malformed_before_any_case, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_hostile__unreadable_and_fifo_do_not_hang, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_hostile__truncated_keeps_complete_cases, setup,
			teardown),
		cmocka_unit_test(test_hostile__repairs_invalid_bytes),
		cmocka_unit_test(test_hostile__nul_bytes_are_repaired),
		cmocka_unit_test_setup_teardown(test_hostile__deep_nesting,
						setup, teardown),
		cmocka_unit_test(test_hostile__huge_attribute_and_cdata),
		cmocka_unit_test(test_hostile__huge_text_and_cdata_are_read),
	};
	tg_err err = TG_ERR_INIT;

	tg_global_init(&err);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
