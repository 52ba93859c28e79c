/* check_canon.c — RFC 8785 canonical form: numbers, strings, member order,
 * whole documents, and the refusals of hand-built trees.  Every expected
 * output is the exact byte string. */
#include "pg.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "checkrun.h"
#include "json.h"

#define IN(s) s, sizeof(s) - 1
#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* --------------------------------------------------------------- numbers */

/* IEEE 754 bit patterns and their ECMAScript forms: the examples of
 * RFC 8785 Appendix B, the power-of-two cases where the closest short
 * decimal does not read back but the next one up does, and the edges of
 * the normal range. */
struct bits_case {
	uint64_t bits;
	const char *want; /* NULL: NaN or infinity, refused */
};

static const struct bits_case bits_cases[] = {
	{ 0x0000000000000000ULL, "0" },
	{ 0x8000000000000000ULL, "0" },
	{ 0x0000000000000001ULL, "5e-324" },
	{ 0x8000000000000001ULL, "-5e-324" },
	{ 0x7fefffffffffffffULL, "1.7976931348623157e+308" },
	{ 0xffefffffffffffffULL, "-1.7976931348623157e+308" },
	{ 0x4340000000000000ULL, "9007199254740992" },
	{ 0xc340000000000000ULL, "-9007199254740992" },
	{ 0x4430000000000000ULL, "295147905179352830000" },
	{ 0x7fffffffffffffffULL, NULL },
	{ 0x7ff0000000000000ULL, NULL },
	{ 0xfff0000000000000ULL, NULL },
	{ 0x44b52d02c7e14af5ULL, "9.999999999999997e+22" },
	{ 0x44b52d02c7e14af6ULL, "1e+23" },
	{ 0x44b52d02c7e14af7ULL, "1.0000000000000001e+23" },
	{ 0x444b1ae4d6e2ef4eULL, "999999999999999700000" },
	{ 0x444b1ae4d6e2ef4fULL, "999999999999999900000" },
	{ 0x444b1ae4d6e2ef50ULL, "1e+21" },
	{ 0x3eb0c6f7a0b5ed8cULL, "9.999999999999997e-7" },
	{ 0x3eb0c6f7a0b5ed8dULL, "0.000001" },
	{ 0x41b3de4355555553ULL, "333333333.3333332" },
	{ 0x41b3de4355555554ULL, "333333333.33333325" },
	{ 0x41b3de4355555555ULL, "333333333.3333333" },
	{ 0x41b3de4355555556ULL, "333333333.3333334" },
	{ 0x41b3de4355555557ULL, "333333333.33333343" },
	{ 0xbecbf647612f3696ULL, "-0.0000033333333333333333" },
	{ 0x43143ff3c1cb0959ULL, "1424953923781206.2" },
	/* 2^-24, 2^-44, 2^89 */
	{ 0x3e70000000000000ULL, "5.960464477539063e-8" },
	{ 0x3d30000000000000ULL, "5.684341886080802e-14" },
	{ 0x4580000000000000ULL, "6.189700196426902e+26" },
	/* largest subnormal, smallest normal */
	{ 0x000fffffffffffffULL, "2.225073858507201e-308" },
	{ 0x0010000000000000ULL, "2.2250738585072014e-308" },
	{ 0x3fb999999999999aULL, "0.1" },
	{ 0x3fd3333333333334ULL, "0.30000000000000004" },
	{ 0x4415af1d78b58c40ULL, "100000000000000000000" },
	{ 0x4415af1d78b58c3fULL, "99999999999999980000" },
};

START_TEST(test_number_bits)
{
	const struct bits_case *c = &bits_cases[_i];
	char buf[32];
	double d;
	size_t n;

	memcpy(&d, &c->bits, sizeof d);
	memset(buf, 'x', sizeof buf);
	n = pg_canon_number(d, buf);
	if (!c->want) {
		ck_assert_uint_eq(n, 0);
		return;
	}
	ck_assert_msg(n == strlen(c->want) && strcmp(buf, c->want) == 0,
	              "%016llx: got \"%s\" (%zu), want \"%s\"",
	              (unsigned long long)c->bits, buf, n, c->want);
}
END_TEST

/* Numbers as JSON text through pg_canon_bytes. */
struct text_case {
	const char *in;
	size_t len;
	const char *want;
};

static const struct text_case number_texts[] = {
	{ IN("1e21"), "1e+21" },
	{ IN("1E+21"), "1e+21" },
	{ IN("1.5e21"), "1.5e+21" },
	{ IN("1e20"), "100000000000000000000" },
	{ IN("1e-7"), "1e-7" },
	{ IN("-1e-7"), "-1e-7" },
	{ IN("1.5e-7"), "1.5e-7" },
	{ IN("0.000001"), "0.000001" },
	{ IN("1e-6"), "0.000001" },
	{ IN("0.0000012345"), "0.0000012345" },
	{ IN("123e-20"), "1.23e-18" },
	{ IN("-0"), "0" },
	{ IN("-0.0e5"), "0" },
	{ IN("0"), "0" },
	{ IN("5e-324"), "5e-324" },
	{ IN("1e-400"), "0" },
	{ IN("9007199254740993"), "9007199254740992" },
	{ IN("1.7976931348623157e308"), "1.7976931348623157e+308" },
	{ IN("9.999999999999997e22"), "9.999999999999997e+22" },
	{ IN("0.30000000000000004"), "0.30000000000000004" },
	{ IN("333333333.3333333"), "333333333.3333333" },
	{ IN("333333333.33333329"), "333333333.3333333" },
	{ IN("123456789012345678901"), "123456789012345680000" },
	{ IN("100"), "100" },
	{ IN("4.50"), "4.5" },
	{ IN("2e-3"), "0.002" },
	{ IN("1E30"), "1e+30" },
	{ IN("0.000000000000000000000000001"), "1e-27" },
	{ IN("-12.5e-1"), "-1.25" },
	{ IN("1.0"), "1" },
	{ IN("10"), "10" },
	{ IN("0.1"), "0.1" },
};

START_TEST(test_number_texts)
{
	const struct text_case *c = &number_texts[_i];
	char *out = NULL;
	size_t len = 0;
	pg_error e;

	pg_error_clear(&e);
	ck_assert_msg(pg_canon_bytes(c->in, c->len, NULL, &out, &len, &e) == PG_OK,
	              "%s: %s", c->in, e.message);
	ck_assert_str_eq(out, c->want);
	ck_assert_uint_eq(len, strlen(c->want));
	free(out);
}
END_TEST

/* --------------------------------------------------------- whole documents */

static const struct text_case doc_cases[] = {
	/* RFC 8785 section 3.2.2 */
	{ IN("{\n"
	     "  \"numbers\": [333333333.33333329, 1E30, 4.50,\n"
	     "              2e-3, 0.000000000000000000000000001],\n"
	     "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
	     "  \"literals\": [null, true, false]\n"
	     "}"),
	  "{\"literals\":[null,true,false],"
	  "\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
	  "\"string\":\"\xE2\x82\xAC$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}" },
	/* RFC 8785 section 3.2.3: member order by UTF-16 code units */
	{ IN("{\n"
	     "  \"\\u20ac\": \"Euro Sign\",\n"
	     "  \"\\r\": \"Carriage Return\",\n"
	     "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
	     "  \"1\": \"One\",\n"
	     "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
	     "  \"\\u0080\": \"Control\",\n"
	     "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n"
	     "}"),
	  "{\"\\r\":\"Carriage Return\","
	  "\"1\":\"One\","
	  "\"\xC2\x80\":\"Control\","
	  "\"\xC3\xB6\":\"Latin Small Letter O With Diaeresis\","
	  "\"\xE2\x82\xAC\":\"Euro Sign\","
	  "\"\xF0\x9F\x98\x80\":\"Emoji: Grinning Face\","
	  "\"\xEF\xAC\xB3\":\"Hebrew Letter Dalet With Dagesh\"}" },
	/* astral before BMP above the surrogates, whatever the spelling */
	{ IN("{\"\xEF\xAC\xB3\":1,\"\xF0\x9F\x98\x80\":2}"),
	  "{\"\xF0\x9F\x98\x80\":2,\"\xEF\xAC\xB3\":1}" },
	{ IN("{\"\\uffff\":1,\"\\udbff\\udfff\":2,\"\\ud800\\udc00\":3,\"\\ud7ff\":4,\"\\ue000\":5}"),
	  "{\"\xED\x9F\xBF\":4,\"\xF0\x90\x80\x80\":3,\"\xF4\x8F\xBF\xBF\":2,"
	  "\"\xEE\x80\x80\":5,\"\xEF\xBF\xBF\":1}" },
	/* prefixes first; case-sensitive order (uppercase first) */
	{ IN("{\"ab\":1,\"a\":2,\"B\":3,\"b\":4,\"\":5,\"A\":6}"),
	  "{\"\":5,\"A\":6,\"B\":3,\"a\":2,\"ab\":1,\"b\":4}" },
	/* nesting, each object sorted on its own, arrays keep their order */
	{ IN(" { \"z\" : [ 3 , 1 , { \"y\" : 1 , \"x\" : [ ] } ] ,\t\"a\" : { \"d\" : { } , \"c\" : null } } "),
	  "{\"a\":{\"c\":null,\"d\":{}},\"z\":[3,1,{\"x\":[],\"y\":1}]}" },
	{ IN("[]"), "[]" },
	{ IN("{}"), "{}" },
	{ IN("[[[]],{}]"), "[[[]],{}]" },
	{ IN("\"\""), "\"\"" },
	{ IN("true"), "true" },
	{ IN("false"), "false" },
	{ IN("null"), "null" },
	{ IN("[1,\"1\",true,null,{\"1\":1}]"), "[1,\"1\",true,null,{\"1\":1}]" },
};

START_TEST(test_documents)
{
	const struct text_case *c = &doc_cases[_i];
	char *out = NULL, *again = NULL;
	size_t len = 0, len2 = 0;
	pg_error e;

	pg_error_clear(&e);
	ck_assert_msg(pg_canon_bytes(c->in, c->len, NULL, &out, &len, &e) == PG_OK,
	              "doc case %d: %s", _i, e.message);
	ck_assert_str_eq(out, c->want);
	ck_assert_uint_eq(len, strlen(c->want));
	/* canonical bytes are a fixed point */
	ck_assert_int_eq(pg_canon_bytes(out, len, NULL, &again, &len2, &e), PG_OK);
	ck_assert_uint_eq(len2, len);
	ck_assert(memcmp(out, again, len) == 0);
	free(out);
	free(again);
}
END_TEST

/* ----------------------------------------------------------------- strings */

static const struct text_case string_cases[] = {
	/* every C0 control: the short escapes where JSON.stringify has one,
	 * \u00xx lowercase otherwise */
	{ IN("\"\\u0000\""), NULL }, /* refused: see test_refusals */
	{ IN("\"\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\u0008"
	     "\\u0009\\u000a\\u000b\\u000c\\u000d\\u000e\\u000f\\u0010"
	     "\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018"
	     "\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\""),
	  "\"\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b"
	  "\\t\\n\\u000b\\f\\r\\u000e\\u000f\\u0010"
	  "\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018"
	  "\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\"" },
	{ IN("\"\\b\\t\\n\\f\\r\""), "\"\\b\\t\\n\\f\\r\"" },
	{ IN("\"\\u001B\\u001F\""), "\"\\u001b\\u001f\"" },
	/* DEL, C1, U+2028/9, U+FEFF: literal */
	{ IN("\"\\u007f\x7f\""), "\"\x7f\x7f\"" },
	{ IN("\"\\u0085\\u009f\""), "\"\xC2\x85\xC2\x9F\"" },
	{ IN("\"\\u2028\\u2029\""), "\"\xE2\x80\xA8\xE2\x80\xA9\"" },
	{ IN("\"\\ufeff\""), "\"\xEF\xBB\xBF\"" },
	{ IN("\"\\u20ac\""), "\"\xE2\x82\xAC\"" },
	{ IN("\"\\u20AC\""), "\"\xE2\x82\xAC\"" },
	{ IN("\"\\ud83d\\ude00\""), "\"\xF0\x9F\x98\x80\"" },
	{ IN("\"\\udbff\\udfff\""), "\"\xF4\x8F\xBF\xBF\"" },
	/* quote and backslash escaped, solidus never */
	{ IN("\"\\\"\\\\\\/ /\""), "\"\\\"\\\\/ /\"" },
	{ IN("\"\\u0022\\u005c\\u002f\""), "\"\\\"\\\\/\"" },
	{ IN("\"\\u0041\\u0062c\""), "\"Abc\"" },
	{ IN("\"caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC\""),
	  "\"caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC\"" },
	/* escapes in member names too */
	{ IN("{\"\\t\\u0001\":\"\\u001f\"}"), "{\"\\t\\u0001\":\"\\u001f\"}" },
};

START_TEST(test_strings)
{
	const struct text_case *c = &string_cases[_i];
	char *out = NULL;
	size_t len = 0;
	pg_error e;
	pg_code rc;

	pg_error_clear(&e);
	rc = pg_canon_bytes(c->in, c->len, NULL, &out, &len, &e);
	if (!c->want) {
		ck_assert_int_eq(rc, PG_JSON_ENCODING);
		ck_assert_ptr_null(out);
		return;
	}
	ck_assert_msg(rc == PG_OK, "string case %d: %s", _i, e.message);
	ck_assert_str_eq(out, c->want);
	ck_assert_uint_eq(len, strlen(c->want));
	free(out);
}
END_TEST

/* -------------------------------------------------------- hand-built trees */

static void assert_canon_fails(cJSON *tree, pg_code code)
{
	char *out = (char *)1;
	size_t len = 7;
	pg_error e;

	pg_error_clear(&e);
	ck_assert_int_eq(pg_canon(tree, &out, &len, &e), code);
	ck_assert_int_eq(e.code, code);
	ck_assert_int_eq(e.offset, -1);
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(len, 0);
	cJSON_Delete(tree);
}

START_TEST(test_tree_refusals)
{
	cJSON *o;

	o = cJSON_CreateArray();
	cJSON_AddItemToArray(o, cJSON_CreateNumber(NAN));
	assert_canon_fails(o, PG_JSON_NUMBER);

	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "x", INFINITY);
	assert_canon_fails(o, PG_JSON_NUMBER);

	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "a", 1);
	cJSON_AddNumberToObject(o, "b", 2);
	cJSON_AddNumberToObject(o, "a", 3);
	assert_canon_fails(o, PG_JSON_DUPLICATE_KEY);

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "a", "ok\xC0\xAF");
	assert_canon_fails(o, PG_JSON_ENCODING);

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "\xED\xA0\x80", "x");
	assert_canon_fails(o, PG_JSON_ENCODING);

	o = cJSON_CreateArray();
	cJSON_AddItemToArray(o, cJSON_CreateRaw("1"));
	assert_canon_fails(o, PG_JSON_SYNTAX);

	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "a", cJSON_CreateObject());
	cJSON_AddItemToObject(cJSON_GetObjectItem(o, "a"), "b", cJSON_CreateString("\x80"));
	assert_canon_fails(o, PG_JSON_ENCODING);

	assert_canon_fails(NULL, PG_JSON_SYNTAX);
}
END_TEST

START_TEST(test_tree_built)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *a = cJSON_CreateArray();
	char *out = NULL;
	pg_error e;

	cJSON_AddStringToObject(o, "z", "line\nnext");
	cJSON_AddNumberToObject(o, "n", 0.1 + 0.2);
	cJSON_AddItemToArray(a, cJSON_CreateNumber(-0.0));
	cJSON_AddItemToArray(a, cJSON_CreateNumber(1e21));
	cJSON_AddItemToArray(a, cJSON_CreateBool(1));
	cJSON_AddItemToObject(o, "a", a);
	pg_error_clear(&e);
	/* outlen may be NULL */
	ck_assert_int_eq(pg_canon(o, &out, NULL, &e), PG_OK);
	ck_assert_str_eq(out, "{\"a\":[0,1e+21,true],\"n\":0.30000000000000004,"
	                      "\"z\":\"line\\nnext\"}");
	ck_assert_int_eq(e.code, PG_OK);
	free(out);
	cJSON_Delete(o);
}
END_TEST

START_TEST(test_deep_tree)
{
	cJSON *root = cJSON_CreateArray(), *cur = root;
	char *out = NULL;
	size_t len = 0;
	pg_error e;

	/* 1000 levels, as deep as the parser allows: fine */
	for (int i = 1; i < 1000; i++) {
		cJSON *n = cJSON_CreateArray();

		cJSON_AddItemToArray(cur, n);
		cur = n;
	}
	pg_error_clear(&e);
	ck_assert_int_eq(pg_canon(root, &out, &len, &e), PG_OK);
	ck_assert_uint_eq(len, 2000);
	ck_assert_int_eq(out[999], '[');
	ck_assert_int_eq(out[1000], ']');
	free(out);
	/* a hand-built tree far deeper than any parse is refused */
	for (int i = 0; i < 1000; i++) {
		cJSON *n = cJSON_CreateArray();

		cJSON_AddItemToArray(cur, n);
		cur = n;
	}
	cJSON_AddItemToArray(cur, cJSON_CreateNull());
	assert_canon_fails(root, PG_JSON_DEPTH);
}
END_TEST

/* ----------------------------------------------- parse errors pass through */

struct fail_case {
	const char *in;
	size_t len;
	pg_code code;
	long long offset;
};

static const struct fail_case fail_cases[] = {
	{ IN("[1,]"), PG_JSON_SYNTAX, 3 },
	{ IN("{\"a\":1,\"\\u0061\":2}"), PG_JSON_DUPLICATE_KEY, 7 },
	{ IN("\"\\ud800\""), PG_JSON_ENCODING, 1 },
	{ IN("\"\\u0000\""), PG_JSON_ENCODING, 1 },
	{ IN("[1e400]"), PG_JSON_NUMBER, 1 },
	{ IN(""), PG_JSON_SYNTAX, 0 },
};

START_TEST(test_parse_failures)
{
	const struct fail_case *c = &fail_cases[_i];
	char *out = (char *)1;
	size_t len = 5;
	pg_error e;

	pg_error_clear(&e);
	ck_assert_int_eq(pg_canon_bytes(c->in, c->len, NULL, &out, &len, &e), c->code);
	ck_assert_int_eq(e.code, c->code);
	ck_assert_int_eq(e.offset, c->offset);
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(test_limits_pass_through)
{
	pg_json_limits lim = { 8, 1 };
	char *out = NULL;
	size_t len;
	pg_error e;

	pg_error_clear(&e);
	ck_assert_int_eq(pg_canon_bytes(IN("[1, 2, 3]"), &lim, &out, &len, &e),
	                 PG_LIMIT_JSON_BYTES);
	ck_assert_int_eq(e.offset, 8);
	ck_assert_int_eq(pg_canon_bytes(IN("[[1]]"), &lim, &out, &len, &e),
	                 PG_JSON_DEPTH);
	ck_assert_int_eq(e.offset, 1);
	ck_assert_int_eq(pg_canon_bytes(IN("[ 1 ]"), &lim, &out, &len, &e), PG_OK);
	ck_assert_str_eq(out, "[1]");
	free(out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("canon");
	TCase *num = tcase_create("numbers");
	TCase *doc = tcase_create("documents");

	tcase_add_loop_test(num, test_number_bits, 0, COUNT(bits_cases));
	tcase_add_loop_test(num, test_number_texts, 0, COUNT(number_texts));
	suite_add_tcase(s, num);

	tcase_add_loop_test(doc, test_documents, 0, COUNT(doc_cases));
	tcase_add_loop_test(doc, test_strings, 0, COUNT(string_cases));
	tcase_add_test(doc, test_tree_refusals);
	tcase_add_test(doc, test_tree_built);
	tcase_add_test(doc, test_deep_tree);
	tcase_add_loop_test(doc, test_parse_failures, 0, COUNT(fail_cases));
	tcase_add_test(doc, test_limits_pass_through);
	suite_add_tcase(s, doc);

	return pg_check_run(s);
}
