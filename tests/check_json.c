/* check_json.c — the strict JSON layer: every refusal with its exact code
 * and offset, the trees of valid documents, limits and accessors. */
#include "pg.h"

#include <check.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "checkrun.h"
#include "json.h"

/* A byte string literal with its exact length (NUL bytes included). */
#define IN(s) s, sizeof(s) - 1

static const pg_json_limits lim_small = { 4, 64 };
static const pg_json_limits lim_depth3 = { 1024, 3 };
static const pg_json_limits lim_depth0 = { 1024, 0 };

struct parse_case {
	const char *in;
	size_t len;
	const pg_json_limits *lim; /* NULL: the defaults */
	pg_code code;
	long long offset;          /* -1 when the parse succeeds */
};

static const struct parse_case parse_cases[] = {
	/* ---- valid ---- */
	{ IN("0"), NULL, PG_OK, -1 },
	{ IN("-0"), NULL, PG_OK, -1 },
	{ IN(" \t\r\n[ 1 , 2 ] \t\r\n"), NULL, PG_OK, -1 },
	{ IN("{\"a\":1,\"A\":2}"), NULL, PG_OK, -1 },
	{ IN("[{\"a\":1},{\"a\":1}]"), NULL, PG_OK, -1 },
	{ IN("{\"ab\":1,\"a\":2}"), NULL, PG_OK, -1 },
	{ IN("{\"\\u0061b\":1,\"a\\u0063\":2}"), NULL, PG_OK, -1 },
	{ IN("{\"a\":{\"a\":{\"a\":1}}}"), NULL, PG_OK, -1 },
	{ IN("\"\x7f\""), NULL, PG_OK, -1 },
	{ IN("\"\xF4\x8F\xBF\xBF\""), NULL, PG_OK, -1 },
	{ IN("\"\xEF\xBB\xBF\""), NULL, PG_OK, -1 },
	{ IN("5e-324"), NULL, PG_OK, -1 },
	{ IN("1e-400"), NULL, PG_OK, -1 },
	{ IN("-1e-400"), NULL, PG_OK, -1 },
	{ IN("1.7976931348623157e308"), NULL, PG_OK, -1 },
	{ IN("[[[1]]]"), &lim_depth3, PG_OK, -1 },
	{ IN("{\"a\":{\"b\":{}}}"), &lim_depth3, PG_OK, -1 },
	{ IN("1"), &lim_depth0, PG_OK, -1 },
	{ IN("[12]"), &lim_small, PG_OK, -1 },
	/* 63 characters: the longest number accepted */
	{ IN("0.1111111111111111111111111111111111111111111111111111111111111"),
	  NULL, PG_OK, -1 },
	{ IN("-111111111111111111111111111111111111111111111111111111111111.0"),
	  NULL, PG_OK, -1 },

	/* ---- syntax ---- */
	{ IN(""), NULL, PG_JSON_SYNTAX, 0 },
	{ IN("   "), NULL, PG_JSON_SYNTAX, 3 },
	{ IN("1 2"), NULL, PG_JSON_SYNTAX, 2 },
	{ IN("{} x"), NULL, PG_JSON_SYNTAX, 3 },
	{ IN("[1]]"), NULL, PG_JSON_SYNTAX, 3 },
	{ IN("\"a\"\"b\""), NULL, PG_JSON_SYNTAX, 3 },
	{ IN("// c\n1"), NULL, PG_JSON_SYNTAX, 0 },
	{ IN("/* c */ 1"), NULL, PG_JSON_SYNTAX, 0 },
	{ IN("[1/*c*/]"), NULL, PG_JSON_SYNTAX, 2 },
	{ IN("1 # c"), NULL, PG_JSON_SYNTAX, 2 },
	{ IN("[1,]"), NULL, PG_JSON_SYNTAX, 3 },
	{ IN("{\"a\":1,}"), NULL, PG_JSON_SYNTAX, 7 },
	{ IN("[,1]"), NULL, PG_JSON_SYNTAX, 1 },
	{ IN("[1,,2]"), NULL, PG_JSON_SYNTAX, 3 },
	{ IN("[1 2]"), NULL, PG_JSON_SYNTAX, 3 },
	{ IN("01"), NULL, PG_JSON_SYNTAX, 1 },
	{ IN("-01"), NULL, PG_JSON_SYNTAX, 2 },
	{ IN("00"), NULL, PG_JSON_SYNTAX, 1 },
	{ IN("[007]"), NULL, PG_JSON_SYNTAX, 2 },
	{ IN("-"), NULL, PG_JSON_SYNTAX, 1 },
	{ IN("-a"), NULL, PG_JSON_SYNTAX, 1 },
	{ IN("--1"), NULL, PG_JSON_SYNTAX, 1 },
	{ IN("1."), NULL, PG_JSON_SYNTAX, 2 },
	{ IN("1.e5"), NULL, PG_JSON_SYNTAX, 2 },
	{ IN("[1.]"), NULL, PG_JSON_SYNTAX, 3 },
	{ IN(".5"), NULL, PG_JSON_SYNTAX, 0 },
	{ IN("+1"), NULL, PG_JSON_SYNTAX, 0 },
	{ IN("1e"), NULL, PG_JSON_SYNTAX, 2 },
	{ IN("1e+"), NULL, PG_JSON_SYNTAX, 3 },
	{ IN("1E-"), NULL, PG_JSON_SYNTAX, 3 },
	{ IN("1e+-1"), NULL, PG_JSON_SYNTAX, 3 },
	{ IN("1.5.2"), NULL, PG_JSON_SYNTAX, 3 },
	{ IN("0x1F"), NULL, PG_JSON_SYNTAX, 1 },
	{ IN("1_000"), NULL, PG_JSON_SYNTAX, 1 },
	{ IN("NaN"), NULL, PG_JSON_SYNTAX, 0 },
	{ IN("Infinity"), NULL, PG_JSON_SYNTAX, 0 },
	{ IN("-Infinity"), NULL, PG_JSON_SYNTAX, 1 },
	{ IN("[nan]"), NULL, PG_JSON_SYNTAX, 2 },
	{ IN("True"), NULL, PG_JSON_SYNTAX, 0 },
	{ IN("nul"), NULL, PG_JSON_SYNTAX, 3 },
	{ IN("nulx"), NULL, PG_JSON_SYNTAX, 3 },
	{ IN("tru e"), NULL, PG_JSON_SYNTAX, 3 },
	{ IN("falsey"), NULL, PG_JSON_SYNTAX, 5 },
	{ IN("undefined"), NULL, PG_JSON_SYNTAX, 0 },
	{ IN("'a'"), NULL, PG_JSON_SYNTAX, 0 },
	{ IN("{'a':1}"), NULL, PG_JSON_SYNTAX, 1 },
	{ IN("{a:1}"), NULL, PG_JSON_SYNTAX, 1 },
	{ IN("{1:2}"), NULL, PG_JSON_SYNTAX, 1 },
	{ IN("[\"a\tb\"]"), NULL, PG_JSON_SYNTAX, 3 },
	{ IN("\"a\nb\""), NULL, PG_JSON_SYNTAX, 2 },
	{ IN("\"\x1f\""), NULL, PG_JSON_SYNTAX, 1 },
	{ IN("\"\\x41\""), NULL, PG_JSON_SYNTAX, 2 },
	{ IN("\"\\a\""), NULL, PG_JSON_SYNTAX, 2 },
	{ IN("\"\\U0041\""), NULL, PG_JSON_SYNTAX, 2 },
	{ IN("\"\\'\""), NULL, PG_JSON_SYNTAX, 2 },
	{ IN("\"\\u12\""), NULL, PG_JSON_SYNTAX, 5 },
	{ IN("\"\\u12"), NULL, PG_JSON_SYNTAX, 5 },
	{ IN("\"\\uZZZZ\""), NULL, PG_JSON_SYNTAX, 3 },
	{ IN("\"\\u-123\""), NULL, PG_JSON_SYNTAX, 3 },
	{ IN("\"\\uD800\\u12\""), NULL, PG_JSON_SYNTAX, 11 },
	{ IN("\"\\"), NULL, PG_JSON_SYNTAX, 2 },
	{ IN("\"abc"), NULL, PG_JSON_SYNTAX, 4 },
	{ IN("\""), NULL, PG_JSON_SYNTAX, 1 },
	{ IN("[1"), NULL, PG_JSON_SYNTAX, 2 },
	{ IN("[1,"), NULL, PG_JSON_SYNTAX, 3 },
	{ IN("["), NULL, PG_JSON_SYNTAX, 1 },
	{ IN("[[]"), NULL, PG_JSON_SYNTAX, 3 },
	{ IN("[}"), NULL, PG_JSON_SYNTAX, 1 },
	{ IN("{]"), NULL, PG_JSON_SYNTAX, 1 },
	{ IN("[1}"), NULL, PG_JSON_SYNTAX, 2 },
	{ IN("{\"a\":1]"), NULL, PG_JSON_SYNTAX, 6 },
	{ IN("{"), NULL, PG_JSON_SYNTAX, 1 },
	{ IN("{\"a\""), NULL, PG_JSON_SYNTAX, 4 },
	{ IN("{\"a\":"), NULL, PG_JSON_SYNTAX, 5 },
	{ IN("{\"a\":1"), NULL, PG_JSON_SYNTAX, 6 },
	{ IN("{\"a\":1,"), NULL, PG_JSON_SYNTAX, 7 },
	{ IN("{\"a\" 1}"), NULL, PG_JSON_SYNTAX, 5 },
	{ IN("{\"a\"=1}"), NULL, PG_JSON_SYNTAX, 4 },
	{ IN("{\"a\":1 \"b\":2}"), NULL, PG_JSON_SYNTAX, 7 },
	{ IN("{\"a\":1;\"b\":2}"), NULL, PG_JSON_SYNTAX, 6 },
	{ IN("}"), NULL, PG_JSON_SYNTAX, 0 },
	{ IN("]"), NULL, PG_JSON_SYNTAX, 0 },
	{ IN(":"), NULL, PG_JSON_SYNTAX, 0 },
	/* a BOM, and whitespace RFC 8259 does not have */
	{ IN("\xEF\xBB\xBF{}"), NULL, PG_JSON_SYNTAX, 0 },
	{ IN("\f1"), NULL, PG_JSON_SYNTAX, 0 },
	{ IN("\v1"), NULL, PG_JSON_SYNTAX, 0 },
	{ IN("1\f"), NULL, PG_JSON_SYNTAX, 1 },
	{ IN("[1,\v2]"), NULL, PG_JSON_SYNTAX, 3 },
	{ IN("\xC2\xA0" "1"), NULL, PG_JSON_SYNTAX, 0 },
	{ IN("[\xC2\xA0]"), NULL, PG_JSON_SYNTAX, 1 },
	{ IN("[1\xE2\x80\xA8]"), NULL, PG_JSON_SYNTAX, 2 },
	{ IN("\x7f"), NULL, PG_JSON_SYNTAX, 0 },

	/* ---- encoding ---- */
	{ IN("\"\xC0\xAF\""), NULL, PG_JSON_ENCODING, 1 },          /* overlong '/' */
	{ IN("\"\xC1\xBF\""), NULL, PG_JSON_ENCODING, 1 },
	{ IN("\"\xE0\x80\xAF\""), NULL, PG_JSON_ENCODING, 1 },      /* 3-byte overlong */
	{ IN("\"\xE0\x9F\xBF\""), NULL, PG_JSON_ENCODING, 1 },
	{ IN("\"\xF0\x8F\xBF\xBF\""), NULL, PG_JSON_ENCODING, 1 },  /* 4-byte overlong */
	{ IN("\"\xED\xA0\x80\""), NULL, PG_JSON_ENCODING, 1 },      /* U+D800 encoded */
	{ IN("\"\xED\xBF\xBF\""), NULL, PG_JSON_ENCODING, 1 },      /* U+DFFF encoded */
	{ IN("\"ab\xED\xA0\xBD\xED\xB8\x80\""), NULL, PG_JSON_ENCODING, 3 }, /* CESU-8 */
	{ IN("\"\xF4\x90\x80\x80\""), NULL, PG_JSON_ENCODING, 1 },  /* U+110000 */
	{ IN("\"\xF5\x80\x80\x80\""), NULL, PG_JSON_ENCODING, 1 },
	{ IN("\"\xF8\x88\x80\x80\x80\""), NULL, PG_JSON_ENCODING, 1 },
	{ IN("\"\x80\""), NULL, PG_JSON_ENCODING, 1 },              /* lone continuation */
	{ IN("\"a\xFF\""), NULL, PG_JSON_ENCODING, 2 },
	{ IN("\"a\xFE\""), NULL, PG_JSON_ENCODING, 2 },
	{ IN("\"\xE2\x82\""), NULL, PG_JSON_ENCODING, 1 },          /* truncated */
	{ IN("\"\xE2\x82"), NULL, PG_JSON_ENCODING, 1 },            /* truncated at end */
	{ IN("\"\xF0\x9F\x98\""), NULL, PG_JSON_ENCODING, 1 },
	{ IN("\"\xC3"), NULL, PG_JSON_ENCODING, 1 },
	{ IN("\"\xC3" "a\""), NULL, PG_JSON_ENCODING, 1 },
	{ IN("{\"k\xC0\x80\":1}"), NULL, PG_JSON_ENCODING, 3 },     /* in a name */
	{ IN("[\xFF]"), NULL, PG_JSON_ENCODING, 1 },                /* outside strings */
	{ IN("1\xC0"), NULL, PG_JSON_ENCODING, 1 },
	{ IN("\"\\uD800\""), NULL, PG_JSON_ENCODING, 1 },
	{ IN("\"\\uDBFF\""), NULL, PG_JSON_ENCODING, 1 },
	{ IN("\"\\uDC00\""), NULL, PG_JSON_ENCODING, 1 },
	{ IN("\"ab\\uDFFF\""), NULL, PG_JSON_ENCODING, 3 },
	{ IN("\"\\uD800\\u0041\""), NULL, PG_JSON_ENCODING, 1 },
	{ IN("\"\\uD800\\uD800\""), NULL, PG_JSON_ENCODING, 1 },
	{ IN("\"\\uDC00\\uD800\""), NULL, PG_JSON_ENCODING, 1 },
	{ IN("\"\\uD800\\n\""), NULL, PG_JSON_ENCODING, 1 },
	{ IN("\"\\uD800x\""), NULL, PG_JSON_ENCODING, 1 },
	{ IN("\"\\uD800"), NULL, PG_JSON_ENCODING, 1 },
	{ IN("\"\\u0000\""), NULL, PG_JSON_ENCODING, 1 },
	{ IN("\"a\\u0000\""), NULL, PG_JSON_ENCODING, 2 },
	{ IN("{\"\\u0000\":1}"), NULL, PG_JSON_ENCODING, 2 },
	{ IN("\"a\0b\""), NULL, PG_JSON_ENCODING, 2 },             /* raw NUL */
	{ IN("\"\\\0\""), NULL, PG_JSON_ENCODING, 2 },
	{ IN("\0"), NULL, PG_JSON_ENCODING, 0 },
	{ IN("1\0"), NULL, PG_JSON_ENCODING, 1 },
	{ IN("[\0]"), NULL, PG_JSON_ENCODING, 1 },
	{ IN("{\"a\":1\0}"), NULL, PG_JSON_ENCODING, 6 },

	/* ---- duplicate names ---- */
	{ IN("{\"a\":1,\"a\":2}"), NULL, PG_JSON_DUPLICATE_KEY, 7 },
	{ IN("{\"a\":1,\"\\u0061\":2}"), NULL, PG_JSON_DUPLICATE_KEY, 7 },
	{ IN("{\"\\u0061\":1,\"a\":2}"), NULL, PG_JSON_DUPLICATE_KEY, 12 },
	{ IN("{\"a\\u0062\":1,\"ab\":2}"), NULL, PG_JSON_DUPLICATE_KEY, 13 },
	{ IN("{\"\xC3\xA9\":1,\"\\u00e9\":2}"), NULL, PG_JSON_DUPLICATE_KEY, 8 },
	{ IN("{\"\\ud83d\\ude00\":1,\"\xF0\x9F\x98\x80\":2}"), NULL,
	  PG_JSON_DUPLICATE_KEY, 18 },
	{ IN("{\"a\\\"\":1,\"a\\u0022\":2}"), NULL, PG_JSON_DUPLICATE_KEY, 9 },
	{ IN("{\"\\n\":1,\"\\u000a\":2}"), NULL, PG_JSON_DUPLICATE_KEY, 8 },
	{ IN("{\"\\/\":1,\"/\":2}"), NULL, PG_JSON_DUPLICATE_KEY, 8 },
	{ IN("{\"\":1,\"\":2}"), NULL, PG_JSON_DUPLICATE_KEY, 6 },
	{ IN("{\"a\":1,\"b\":2,\"a\":3,\"b\":4}"), NULL, PG_JSON_DUPLICATE_KEY, 13 },
	{ IN("{\"b\":1,\"a\":2,\"a\":3,\"b\":4}"), NULL, PG_JSON_DUPLICATE_KEY, 13 },
	{ IN("{\"a\":1,\"a\":2,\"a\":3}"), NULL, PG_JSON_DUPLICATE_KEY, 7 },
	/* at depth */
	{ IN("{\"x\":{\"a\":1,\"b\":{\"c\":0,\"c\":1}}}"), NULL,
	  PG_JSON_DUPLICATE_KEY, 23 },
	{ IN("[[{\"a\":[{\"b\":1,\"b\":2}]}]]"), NULL, PG_JSON_DUPLICATE_KEY, 15 },
	/* the first duplicate in document order wins, though the inner
	 * object closes first */
	{ IN("{\"a\":1,\"a\":2,\"b\":{\"c\":1,\"c\":2}}"), NULL,
	  PG_JSON_DUPLICATE_KEY, 7 },
	/* a duplicate before a later defect is still the first defect */
	{ IN("{\"a\":1,\"a\":2"), NULL, PG_JSON_DUPLICATE_KEY, 7 },
	{ IN("{\"a\":1,\"a\":2,"), NULL, PG_JSON_DUPLICATE_KEY, 7 },
	{ IN("{\"a\":1,\"a\":2,\"b\":[1,]}"), NULL, PG_JSON_DUPLICATE_KEY, 7 },
	{ IN("{\"a\":{\"b\":1,\"b\":2},\"c\":\"\\u0000\"}"), NULL,
	  PG_JSON_DUPLICATE_KEY, 12 },
	/* and a defect before the duplicate wins */
	{ IN("{\"a\":[1,],\"a\":2}"), NULL, PG_JSON_SYNTAX, 8 },

	/* ---- depth ---- */
	{ IN("[[[[1]]]]"), &lim_depth3, PG_JSON_DEPTH, 3 },
	{ IN("[[[{}]]]"), &lim_depth3, PG_JSON_DEPTH, 3 },
	{ IN("{\"a\":{\"b\":{\"c\":{}}}}"), &lim_depth3, PG_JSON_DEPTH, 15 },
	{ IN("[]"), &lim_depth0, PG_JSON_DEPTH, 0 },
	{ IN("{}"), &lim_depth0, PG_JSON_DEPTH, 0 },

	/* ---- size: checked before anything else ---- */
	{ IN("[123]"), &lim_small, PG_LIMIT_JSON_BYTES, 4 },
	{ IN("     "), &lim_small, PG_LIMIT_JSON_BYTES, 4 },
	{ IN("\"\xFF\xFF\xFF\xFF\""), &lim_small, PG_LIMIT_JSON_BYTES, 4 },

	/* ---- numbers ---- */
	{ IN("1e309"), NULL, PG_JSON_NUMBER, 0 },
	{ IN("-1e309"), NULL, PG_JSON_NUMBER, 0 },
	{ IN("[0,1E400]"), NULL, PG_JSON_NUMBER, 3 },
	{ IN("1.7976931348623159e308"), NULL, PG_JSON_NUMBER, 0 },
	{ IN("{\"a\":1e999999999999999999}"), NULL, PG_JSON_NUMBER, 5 },
	/* 64 characters: one more than cJSON reads */
	{ IN("0.11111111111111111111111111111111111111111111111111111111111111"),
	  NULL, PG_JSON_NUMBER, 0 },
	{ IN("[1111111111111111111111111111111111111111111111111111111111111111]"),
	  NULL, PG_JSON_NUMBER, 1 },
	{ IN("1000000000000000000000000000000000000000000000000000000000000e-10"),
	  NULL, PG_JSON_NUMBER, 0 },
};

static void assert_error(const pg_error *e, pg_code code, long long off,
                         const char *what)
{
	char suffix[64];
	size_t ml, sl;

	ck_assert_msg(e->code == code, "%s: code %s, expected %s (%s)", what,
	              pg_code_name(e->code), pg_code_name(code), e->message);
	ck_assert_msg(e->offset == off, "%s: offset %lld, expected %lld (%s)",
	              what, e->offset, off, e->message);
	snprintf(suffix, sizeof suffix, " at byte %lld", off);
	ml = strlen(e->message);
	sl = strlen(suffix);
	ck_assert_msg(ml > sl && strcmp(e->message + ml - sl, suffix) == 0,
	              "%s: message \"%s\" does not end in \"%s\"", what,
	              e->message, suffix);
}

START_TEST(test_parse_cases)
{
	const struct parse_case *c = &parse_cases[_i];
	cJSON *tree = (cJSON *)1;
	pg_error e;
	pg_code rc;
	char what[64];

	snprintf(what, sizeof what, "parse case %d", _i);
	pg_error_clear(&e);
	rc = pg_json_parse(c->in, c->len, c->lim, &tree, &e);
	ck_assert_msg(rc == c->code, "%s: returned %s, expected %s (%s)", what,
	              pg_code_name(rc), pg_code_name(c->code), e.message);
	if (c->code == PG_OK) {
		ck_assert_ptr_nonnull(tree);
		/* err is only written on failure */
		ck_assert_int_eq(e.code, PG_OK);
		ck_assert_int_eq(e.offset, -1);
		ck_assert_str_eq(e.message, "");
		cJSON_Delete(tree);
	} else {
		ck_assert_ptr_null(tree);
		assert_error(&e, c->code, c->offset, what);
	}
}
END_TEST

/* ------------------------------------------------------ trees of valid docs */

/* Writes v as a type-tagged dump: n:%.17g, s:"raw bytes", t, f, z, [..], {k:..}. */
static void dump(pg_buf *b, const cJSON *v)
{
	if (cJSON_IsNumber(v)) {
		pg_buf_printf(b, "n:%.17g", v->valuedouble);
	} else if (cJSON_IsString(v)) {
		pg_buf_printf(b, "s:\"%s\"", v->valuestring);
	} else if (cJSON_IsTrue(v)) {
		pg_buf_adds(b, "t");
	} else if (cJSON_IsFalse(v)) {
		pg_buf_adds(b, "f");
	} else if (cJSON_IsNull(v)) {
		pg_buf_adds(b, "z");
	} else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
		int obj = cJSON_IsObject(v);

		pg_buf_adds(b, obj ? "{" : "[");
		for (const cJSON *c = v->child; c; c = c->next) {
			if (c != v->child)
				pg_buf_adds(b, ",");
			if (obj)
				pg_buf_printf(b, "%s:", c->string);
			dump(b, c);
		}
		pg_buf_adds(b, obj ? "}" : "]");
	} else {
		pg_buf_adds(b, "?");
	}
}

struct tree_case {
	const char *in;
	size_t len;
	const char *dump;
};

static const struct tree_case tree_cases[] = {
	{ IN("0"), "n:0" },
	{ IN("-0"), "n:-0" },
	{ IN(" \t\r\n1 \t\r\n"), "n:1" },
	{ IN("-12.5e-1"), "n:-1.25" },
	{ IN("1E+2"), "n:100" },
	{ IN("0.1"), "n:0.10000000000000001" },
	{ IN("5e-324"), "n:4.9406564584124654e-324" },
	{ IN("1e-400"), "n:0" },
	{ IN("123456789012345678901234567890"), "n:1.2345678901234568e+29" },
	{ IN("1.7976931348623157e308"), "n:1.7976931348623157e+308" },
	{ IN("true"), "t" },
	{ IN("false"), "f" },
	{ IN("null"), "z" },
	{ IN("\"\""), "s:\"\"" },
	{ IN("[true,false,null,[],{}]"), "[t,f,z,[],{}]" },
	{ IN("{\"a\":[1,{\"b\":\"c\"}],\"A\":\"x\"}"),
	  "{a:[n:1,{b:s:\"c\"}],A:s:\"x\"}" },
	{ IN("\"a\\u00e9\\ud83d\\ude00\\n\\\"\\/\\\\\\b\\f\\r\\t\""),
	  "s:\"a\xC3\xA9\xF0\x9F\x98\x80\n\"/\\\b\f\r\t\"" },
	{ IN("\"\\u20AC\\u20ac\""), "s:\"\xE2\x82\xAC\xE2\x82\xAC\"" },
	{ IN("\"\\uDBFF\\uDFFF\xF4\x8F\xBF\xBF\""),
	  "s:\"\xF4\x8F\xBF\xBF\xF4\x8F\xBF\xBF\"" },
	{ IN("\"\x7f\xC2\x80\xE2\x80\xA8\""), "s:\"\x7f\xC2\x80\xE2\x80\xA8\"" },
	{ IN("{\"\\u0061\":{\"\":[\"\\u0001\"]}}"), "{a:{:[s:\"\x01\"]}}" },
	{ IN("[-1,2.5,-3e2,4E-1]"), "[n:-1,n:2.5,n:-300,n:0.40000000000000002]" },
	{ IN("0.1111111111111111111111111111111111111111111111111111111111111"),
	  "n:0.1111111111111111" },
};

START_TEST(test_tree_cases)
{
	const struct tree_case *c = &tree_cases[_i];
	cJSON *tree = NULL;
	pg_error e;
	pg_buf b;

	pg_error_clear(&e);
	ck_assert_msg(pg_json_parse(c->in, c->len, NULL, &tree, &e) == PG_OK,
	              "tree case %d: %s", _i, e.message);
	pg_buf_init(&b, 1 << 20);
	dump(&b, tree);
	ck_assert_str_eq(b.data, c->dump);
	pg_buf_free(&b);
	cJSON_Delete(tree);
}
END_TEST

/* ----------------------------------------------------------- depth at caps */

static char *nested(unsigned n, size_t *len)
{
	char *s = malloc(2 * (size_t)n + 2);

	memset(s, '[', n);
	memset(s + n, ']', n);
	s[2 * (size_t)n] = '\0';
	*len = 2 * (size_t)n;
	return s;
}

START_TEST(test_default_depth)
{
	cJSON *tree = NULL;
	pg_error e;
	size_t len;
	char *s;

	/* 64 levels: the default cap, accepted */
	s = nested(64, &len);
	pg_error_clear(&e);
	ck_assert_int_eq(pg_json_parse(s, len, NULL, &tree, &e), PG_OK);
	ck_assert_ptr_nonnull(tree);
	cJSON_Delete(tree);
	free(s);

	/* 65 levels: refused at the 65th bracket */
	s = nested(65, &len);
	tree = NULL;
	ck_assert_int_eq(pg_json_parse(s, len, NULL, &tree, &e), PG_JSON_DEPTH);
	ck_assert_ptr_null(tree);
	assert_error(&e, PG_JSON_DEPTH, 64, "65 levels");
	free(s);
}
END_TEST

START_TEST(test_depth_clamped_to_cjson)
{
	pg_json_limits lim = { (size_t)1 << 20, 5000 };
	cJSON *tree = NULL;
	pg_error e;
	size_t len;
	char *s;

	s = nested(1000, &len);
	pg_error_clear(&e);
	ck_assert_int_eq(pg_json_parse(s, len, &lim, &tree, &e), PG_OK);
	cJSON_Delete(tree);
	free(s);

	s = nested(1001, &len);
	ck_assert_int_eq(pg_json_parse(s, len, &lim, &tree, &e), PG_JSON_DEPTH);
	assert_error(&e, PG_JSON_DEPTH, 1000, "1001 levels");
	free(s);
}
END_TEST

START_TEST(test_size_cap_default)
{
	size_t cap = (size_t)16 * 1024 * 1024;
	char *s = malloc(cap + 1);
	cJSON *tree = NULL;
	pg_error e;

	/* a string of exactly 16 MiB is accepted, one byte more is not */
	memset(s, 'a', cap + 1);
	s[0] = '"';
	s[cap - 1] = '"';
	pg_error_clear(&e);
	ck_assert_int_eq(pg_json_parse(s, cap, NULL, &tree, &e), PG_OK);
	ck_assert_uint_eq(strlen(cJSON_GetStringValue(tree)), cap - 2);
	cJSON_Delete(tree);
	tree = NULL;
	s[cap - 1] = ' ';
	s[cap] = '"';
	ck_assert_int_eq(pg_json_parse(s, cap + 1, NULL, &tree, &e),
	                 PG_LIMIT_JSON_BYTES);
	ck_assert_ptr_null(tree);
	assert_error(&e, PG_LIMIT_JSON_BYTES, (long long)cap, "16 MiB + 1");
	free(s);
}
END_TEST

/* -------------------------------------------------------- large objects */

#define BIG_KEYS 200000

/* {"k199999":0,"k199998":1,...} in descending order, so the sort has work;
 * with dup set, one more member repeating the first name. */
static char *big_object(int dup, size_t *len, size_t *dup_off)
{
	pg_buf b;

	pg_buf_init(&b, (size_t)64 << 20);
	pg_buf_addc(&b, '{');
	for (int i = 0; i < BIG_KEYS; i++)
		pg_buf_printf(&b, "%s\"k%06d\":%d", i ? "," : "", BIG_KEYS - 1 - i, i);
	if (dup) {
		pg_buf_addc(&b, ',');
		*dup_off = b.len;
		pg_buf_printf(&b, "\"k%06d\":true", BIG_KEYS - 1);
	}
	pg_buf_addc(&b, '}');
	return pg_buf_steal(&b, len);
}

START_TEST(test_big_object)
{
	cJSON *tree = NULL;
	pg_error e;
	size_t len, off = 0;
	char *s;

	s = big_object(0, &len, &off);
	pg_error_clear(&e);
	ck_assert_int_eq(pg_json_parse(s, len, NULL, &tree, &e), PG_OK);
	ck_assert_int_eq(cJSON_GetArraySize(tree), BIG_KEYS);
	ck_assert(pg_json_is_uint(pg_json_get(tree, "k000000"), 1000000));
	ck_assert_int_eq((int)pg_json_get(tree, "k000000")->valuedouble, BIG_KEYS - 1);
	cJSON_Delete(tree);
	free(s);

	s = big_object(1, &len, &off);
	tree = NULL;
	ck_assert_int_eq(pg_json_parse(s, len, NULL, &tree, &e),
	                 PG_JSON_DUPLICATE_KEY);
	ck_assert_ptr_null(tree);
	assert_error(&e, PG_JSON_DUPLICATE_KEY, (long long)off, "200,000 keys");
	ck_assert_ptr_nonnull(strstr(e.message, "\"k199999\""));
	free(s);
}
END_TEST

/* Many small objects inside one array: each object's names are checked
 * and dropped when it closes. */
START_TEST(test_many_objects)
{
	cJSON *tree = NULL;
	pg_error e;
	pg_buf b;
	size_t off;

	pg_buf_init(&b, (size_t)64 << 20);
	pg_buf_addc(&b, '[');
	for (int i = 0; i < 50000; i++)
		pg_buf_printf(&b, "%s{\"a\":%d,\"b\":{\"a\":1}}", i ? "," : "", i);
	pg_buf_adds(&b, ",{\"b\":1,\"a\":2,");
	off = b.len;
	pg_buf_adds(&b, "\"b\":3}]");
	pg_error_clear(&e);
	ck_assert_int_eq(pg_json_parse(b.data, b.len, NULL, &tree, &e),
	                 PG_JSON_DUPLICATE_KEY);
	assert_error(&e, PG_JSON_DUPLICATE_KEY, (long long)off, "many objects");
	pg_buf_free(&b);
}
END_TEST

START_TEST(test_dup_message_long_name)
{
	char doc[2048];
	cJSON *tree = NULL;
	pg_error e;
	size_t n = 0;

	/* a 300-byte name of 'é's: the message shows a prefix cut between
	 * characters */
	n += (size_t)sprintf(doc + n, "{\"");
	for (int i = 0; i < 150; i++)
		n += (size_t)sprintf(doc + n, "\xC3\xA9");
	n += (size_t)sprintf(doc + n, "\":1,\"");
	for (int i = 0; i < 150; i++)
		n += (size_t)sprintf(doc + n, "\\u00e9");
	n += (size_t)sprintf(doc + n, "\":2}");
	pg_error_clear(&e);
	ck_assert_int_eq(pg_json_parse(doc, n, NULL, &tree, &e),
	                 PG_JSON_DUPLICATE_KEY);
	assert_error(&e, PG_JSON_DUPLICATE_KEY, 306, "long name");
	ck_assert_ptr_nonnull(strstr(e.message, "\xC3\xA9\xC3\xA9..."));
	ck_assert_ptr_null(strstr(e.message, "\\x"));
}
END_TEST

START_TEST(test_null_buffer)
{
	cJSON *tree = (cJSON *)1;
	pg_error e;

	pg_error_clear(&e);
	ck_assert_int_eq(pg_json_parse(NULL, 0, NULL, &tree, &e), PG_JSON_SYNTAX);
	ck_assert_ptr_null(tree);
	assert_error(&e, PG_JSON_SYNTAX, 0, "NULL buffer");
}
END_TEST

START_TEST(test_err_null)
{
	cJSON *tree = NULL;

	ck_assert_int_eq(pg_json_parse(IN("[1,]"), NULL, &tree, NULL), PG_JSON_SYNTAX);
	ck_assert_int_eq(pg_json_parse(IN("\"\\u0000\""), NULL, &tree, NULL),
	                 PG_JSON_ENCODING);
	ck_assert_int_eq(pg_json_parse(IN("{\"a\":1,\"a\":1}"), NULL, &tree, NULL),
	                 PG_JSON_DUPLICATE_KEY);
	ck_assert_int_eq(pg_json_parse(IN("[1]"), NULL, &tree, NULL), PG_OK);
	cJSON_Delete(tree);
}
END_TEST

/* A message never carries raw control characters or invalid UTF-8 from
 * the document. */
START_TEST(test_message_escaped)
{
	cJSON *tree = NULL;
	pg_error e;

	pg_error_clear(&e);
	ck_assert_int_eq(pg_json_parse(IN("{\"\x1b[31m\\u001b\":1,\"\x1b[31m\\u001b\":2}"),
	                               NULL, &tree, &e), PG_JSON_SYNTAX);
	ck_assert_int_eq(pg_json_parse(IN("{\"\\u001b[31m\\u00ad\":1,\"\\u001b[31m\xC2\xAD\":2}"),
	                               NULL, &tree, &e), PG_JSON_DUPLICATE_KEY);
	ck_assert_ptr_null(strchr(e.message, 0x1b));
	ck_assert_ptr_nonnull(strstr(e.message, "^[[31m<U+00AD>"));
}
END_TEST

/* --------------------------------------------------------------- accessors */

struct uint_case {
	const char *in;
	uint64_t max;
	int want;
};

static const struct uint_case uint_cases[] = {
	{ "0", 0, 1 },
	{ "1", 0, 0 },
	{ "-0", 0, 1 },
	{ "-1", UINT64_MAX, 0 },
	{ "1.5", UINT64_MAX, 0 },
	{ "1.0", 1, 1 },
	{ "1e3", 1000, 1 },
	{ "1e3", 999, 0 },
	{ "5e-324", UINT64_MAX, 0 },
	{ "9007199254740991", PG_INT_MAX, 1 },
	{ "9007199254740992", PG_INT_MAX, 0 },
	{ "9007199254740993", PG_INT_MAX, 0 },
	{ "18446744073709549568", UINT64_MAX, 1 },
	{ "18446744073709551616", UINT64_MAX, 0 },
	{ "1e20", UINT64_MAX, 0 },
	{ "\"1\"", UINT64_MAX, 0 },
	{ "true", UINT64_MAX, 0 },
	{ "null", UINT64_MAX, 0 },
	{ "[1]", UINT64_MAX, 0 },
};

START_TEST(test_is_uint)
{
	const struct uint_case *c = &uint_cases[_i];
	cJSON *tree = NULL;
	pg_error e;

	pg_error_clear(&e);
	ck_assert_int_eq(pg_json_parse(c->in, strlen(c->in), NULL, &tree, &e), PG_OK);
	ck_assert_msg(pg_json_is_uint(tree, c->max) == c->want,
	              "pg_json_is_uint(%s, %llu) != %d", c->in,
	              (unsigned long long)c->max, c->want);
	cJSON_Delete(tree);
}
END_TEST

START_TEST(test_is_uint_special)
{
	cJSON *n;

	ck_assert_int_eq(pg_json_is_uint(NULL, UINT64_MAX), 0);
	n = cJSON_CreateNumber(NAN);
	ck_assert_int_eq(pg_json_is_uint(n, UINT64_MAX), 0);
	cJSON_Delete(n);
	n = cJSON_CreateNumber(INFINITY);
	ck_assert_int_eq(pg_json_is_uint(n, UINT64_MAX), 0);
	cJSON_Delete(n);
	n = cJSON_CreateNumber(-INFINITY);
	ck_assert_int_eq(pg_json_is_uint(n, UINT64_MAX), 0);
	cJSON_Delete(n);
}
END_TEST

START_TEST(test_get_and_str)
{
	cJSON *tree = NULL;
	pg_error e;

	pg_error_clear(&e);
	ck_assert_int_eq(pg_json_parse(IN("{\"a\":\"x\",\"A\":2,\"l\":[\"y\"]}"),
	                               NULL, &tree, &e), PG_OK);
	ck_assert_str_eq(pg_json_str(pg_json_get(tree, "a")), "x");
	ck_assert(pg_json_is_uint(pg_json_get(tree, "A"), 2));
	ck_assert_ptr_null(pg_json_get(tree, "b"));
	ck_assert_ptr_null(pg_json_get(tree, "x"));
	ck_assert_ptr_null(pg_json_str(pg_json_get(tree, "A")));
	ck_assert_ptr_null(pg_json_get(pg_json_get(tree, "l"), "0"));
	ck_assert_ptr_null(pg_json_str(pg_json_get(tree, "l")));
	ck_assert_ptr_null(pg_json_get(NULL, "a"));
	ck_assert_ptr_null(pg_json_str(NULL));
	cJSON_Delete(tree);
}
END_TEST

START_TEST(test_limits_from)
{
	pg_limits caps;
	pg_json_limits lim;

	memset(&caps, 0, sizeof caps);
	caps.json_bytes = 100;
	caps.json_depth = 5;
	pg_json_limits_from(&lim, &caps);
	ck_assert_uint_eq(lim.max_bytes, 100);
	ck_assert_uint_eq(lim.max_depth, 5);

	caps.json_bytes = UINT64_MAX;
	caps.json_depth = UINT64_MAX;
	pg_json_limits_from(&lim, &caps);
	ck_assert_uint_eq(lim.max_bytes, SIZE_MAX);
	ck_assert_uint_eq(lim.max_depth, UINT_MAX);

	pg_json_limits_from(&lim, NULL);
	ck_assert_uint_eq(lim.max_bytes, (size_t)16 * 1024 * 1024);
	ck_assert_uint_eq(lim.max_depth, 64);
}
END_TEST

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The field paths messages name: keys, indexes, marks to go back to, and
 * a path too long for the buffer cut, never overrun. */
START_TEST(test_jpath)
{
	pg_jpath p;
	size_t m1, m2;
	char key[300];

	pg_jpath_init(&p, NULL);
	ck_assert_str_eq(p.s, "");
	m1 = pg_jpath_key(&p, "files");
	m2 = pg_jpath_index(&p, 2);
	pg_jpath_key(&p, "path");
	ck_assert_str_eq(p.s, "files[2].path");
	pg_jpath_pop(&p, m2);
	ck_assert_str_eq(p.s, "files");
	pg_jpath_pop(&p, m1);
	ck_assert_str_eq(p.s, "");
	ck_assert_uint_eq(p.len, 0);

	pg_jpath_init(&p, "people[1]");
	pg_jpath_key(&p, "roles");
	ck_assert_str_eq(p.s, "people[1].roles");

	memset(key, 'k', sizeof key - 1);
	key[sizeof key - 1] = '\0';
	pg_jpath_init(&p, "");
	pg_jpath_key(&p, key);
	m1 = pg_jpath_key(&p, key);
	ck_assert_uint_eq(p.len, PG_JPATH_MAX - 1);
	ck_assert_uint_eq(strlen(p.s), PG_JPATH_MAX - 1);
	pg_jpath_index(&p, 7);
	ck_assert_uint_eq(strlen(p.s), PG_JPATH_MAX - 1);
	pg_jpath_pop(&p, m1);
	ck_assert_uint_eq(strlen(p.s), sizeof key - 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("parse");
	TCase *big = tcase_create("big");
	TCase *acc = tcase_create("access");

	tcase_add_loop_test(tc, test_parse_cases, 0, COUNT(parse_cases));
	tcase_add_loop_test(tc, test_tree_cases, 0, COUNT(tree_cases));
	tcase_add_test(tc, test_default_depth);
	tcase_add_test(tc, test_depth_clamped_to_cjson);
	tcase_add_test(tc, test_dup_message_long_name);
	tcase_add_test(tc, test_null_buffer);
	tcase_add_test(tc, test_err_null);
	tcase_add_test(tc, test_message_escaped);
	suite_add_tcase(s, tc);

	/* large inputs: a generous harness timeout, no timing assertion */
	tcase_set_timeout(big, 120);
	tcase_add_test(big, test_size_cap_default);
	tcase_add_test(big, test_big_object);
	tcase_add_test(big, test_many_objects);
	suite_add_tcase(s, big);

	tcase_add_loop_test(acc, test_is_uint, 0, COUNT(uint_cases));
	tcase_add_test(acc, test_is_uint_special);
	tcase_add_test(acc, test_get_and_str);
	tcase_add_test(acc, test_limits_from);
	tcase_add_test(acc, test_jpath);
	suite_add_tcase(s, acc);

	return pg_check_run(s);
}
