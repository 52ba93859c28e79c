/* check_path.c — the path rules of CONTRACT section 7, the duplicate key and
 * file types by name and content. */
#include "pg.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkrun.h"
#include "path.h"
#include "tables.h"

/* A byte string with its length (may hold NUL and invalid UTF-8). */
#define B(s) s, sizeof(s) - 1

#define TRAV PG_ARCHIVE_PATH_TRAVERSAL
#define ENC PG_ARCHIVE_PATH_ENCODING
#define CONF PG_ARCHIVE_CONFUSABLE_PATH
#define LEN PG_LIMIT_PATH_LENGTH

struct path_case {
	const char *in;
	size_t len;
	pg_code code;
	const char *msg;  /* exact message; NULL for PG_OK */
	const char *shown; /* exact err.path; NULL for PG_OK */
};

static const struct path_case path_cases[] = {
	/* accepted */
	{ B("model.onnx"), PG_OK, NULL, NULL },
	{ B("weights/part-00001.safetensors"), PG_OK, NULL, NULL },
	{ B("a/b/c/d.txt"), PG_OK, NULL, NULL },
	{ B(".hidden"), PG_OK, NULL, NULL },
	{ B("..."), PG_OK, NULL, NULL },
	{ B("a..b/c.d"), PG_OK, NULL, NULL },
	{ B("ab:c"), PG_OK, NULL, NULL },
	{ B("a/c:d"), PG_OK, NULL, NULL },
	{ B("1:a"), PG_OK, NULL, NULL },
	{ B("_:a"), PG_OK, NULL, NULL },
	{ B("model-v2_final.bin"), PG_OK, NULL, NULL },
	{ B("caf\xc3\xa9.txt"), PG_OK, NULL, NULL },
	{ B("\xc3\xa9"), PG_OK, NULL, NULL },
	{ B("\xed\x95\x9c"), PG_OK, NULL, NULL },
	{ B("x\xcc\x81"), PG_OK, NULL, NULL },
	{ B("\xcc\x81"), PG_OK, NULL, NULL },
	{ B("\xc2\xa0" "nbsp"), PG_OK, NULL, NULL },
	{ B("signatures/a.asc"), PG_OK, NULL, NULL },

	/* traversal */
	{ B(""), TRAV, "path \"\": empty path", "" },
	{ B("/etc/passwd"), TRAV, "path \"/etc/passwd\": absolute path", "/etc/passwd" },
	{ B("/"), TRAV, "path \"/\": absolute path", "/" },
	{ B("//a"), TRAV, "path \"//a\": absolute path", "//a" },
	{ B("C:foo"), TRAV, "path \"C:foo\": drive letter", "C:foo" },
	{ B("c:\\x"), TRAV, "path \"c:\\x\": drive letter", "c:\\x" },
	{ B("C:"), TRAV, "path \"C:\": drive letter", "C:" },
	{ B("z:/a"), TRAV, "path \"z:/a\": drive letter", "z:/a" },
	{ B("a:b"), TRAV, "path \"a:b\": drive letter", "a:b" },
	{ B("a\\b"), TRAV, "path \"a\\b\": backslash", "a\\b" },
	{ B("\\a"), TRAV, "path \"\\a\": backslash", "\\a" },
	{ B("a/b\\"), TRAV, "path \"a/b\\\": backslash", "a/b\\" },
	{ B("..\\a"), TRAV, "path \"..\\a\": backslash", "..\\a" },
	{ B("./a"), TRAV, "path \"./a\": \".\" segment", "./a" },
	{ B("a/./b"), TRAV, "path \"a/./b\": \".\" segment", "a/./b" },
	{ B("a/."), TRAV, "path \"a/.\": \".\" segment", "a/." },
	{ B("."), TRAV, "path \".\": \".\" segment", "." },
	{ B("../a"), TRAV, "path \"../a\": \"..\" segment", "../a" },
	{ B("a/.."), TRAV, "path \"a/..\": \"..\" segment", "a/.." },
	{ B("a/../b"), TRAV, "path \"a/../b\": \"..\" segment", "a/../b" },
	{ B(".."), TRAV, "path \"..\": \"..\" segment", ".." },
	{ B("a//b"), TRAV, "path \"a//b\": empty segment", "a//b" },
	{ B("a/"), TRAV, "path \"a/\": empty segment", "a/" },
	{ B("a/b//"), TRAV, "path \"a/b//\": empty segment", "a/b//" },

	/* encoding */
	{ B("a\xff" "b"), ENC, "path \"a\\xFFb\": invalid UTF-8 at byte 1", "a\\xFFb" },
	{ B("\x80"), ENC, "path \"\\x80\": invalid UTF-8 at byte 0", "\\x80" },
	{ B("ab\xc0\xaf"), ENC, "path \"ab\\xC0\\xAF\": invalid UTF-8 at byte 2", "ab\\xC0\\xAF" },
	{ B("\xed\xa0\x80"), ENC, "path \"\\xED\\xA0\\x80\": invalid UTF-8 at byte 0",
	  "\\xED\\xA0\\x80" },
	{ B("x/\xf5"), ENC, "path \"x/\\xF5\": invalid UTF-8 at byte 2", "x/\\xF5" },
	{ B("abc\xe2\x82"), ENC, "path \"abc\\xE2\\x82\": invalid UTF-8 at byte 3", "abc\\xE2\\x82" },
	{ B("e\xcc\x81"), ENC, "path \"e\xcc\x81\": not in NFC", "e\xcc\x81" },
	{ B("A\xcc\x8a.txt"), ENC, "path \"A\xcc\x8a.txt\": not in NFC", "A\xcc\x8a.txt" },
	{ B("\xe2\x84\xab"), ENC, "path \"\xe2\x84\xab\": not in NFC", "\xe2\x84\xab" },
	{ B("\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab"), ENC,
	  "path \"\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab\": not in NFC",
	  "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab" },

	/* confusable: controls */
	{ B("a\x1b" "b"), CONF, "path \"a^[b\": U+001B (control character) in segment 1", "a^[b" },
	{ B("a\0b"), CONF, "path \"a^@b\": U+0000 (control character) in segment 1", "a^@b" },
	{ B("x/a\tb"), CONF, "path \"x/a^Ib\": U+0009 (control character) in segment 2", "x/a^Ib" },
	{ B("a\nb"), CONF, "path \"a^Jb\": U+000A (control character) in segment 1", "a^Jb" },
	{ B("a\x7f"), CONF, "path \"a^?\": U+007F (control character) in segment 1", "a^?" },
	{ B("a\xc2\x85"), CONF, "path \"a<U+0085>\": U+0085 (control character) in segment 1",
	  "a<U+0085>" },
	{ B("\xc2\x80" "a"), CONF, "path \"<U+0080>a\": U+0080 (control character) in segment 1",
	  "<U+0080>a" },
	{ B("\xc2\x9f"), CONF, "path \"<U+009F>\": U+009F (control character) in segment 1",
	  "<U+009F>" },
	/* confusable: other format characters, separators */
	{ B("a\u2061" "b"), CONF, "path \"a<U+2061>b\": U+2061 (format character) in segment 1",
	  "a<U+2061>b" },
	{ B("a\U000E0041"), CONF, "path \"a<U+E0041>\": U+E0041 (format character) in segment 1",
	  "a<U+E0041>" },
	{ B("a\u2028"), CONF,
	  "path \"a<U+2028>\": U+2028 (line or paragraph separator) in segment 1", "a<U+2028>" },
	{ B("a\u2029"), CONF,
	  "path \"a<U+2029>\": U+2029 (line or paragraph separator) in segment 1", "a<U+2029>" },

	/* confusable: scripts */
	{ B("p\xd0\xb0ypal"), CONF,
	  "path \"p\xd0\xb0ypal\": letters of several scripts (Latin+Cyrillic) in segment 1",
	  "p\xd0\xb0ypal" },
	{ B("docs/p\xd0\xb0ypal.txt"), CONF,
	  "path \"docs/p\xd0\xb0ypal.txt\": letters of several scripts (Latin+Cyrillic) in segment 2",
	  "docs/p\xd0\xb0ypal.txt" },
	{ B("\xd0\xb0" "bc"), CONF,
	  "path \"\xd0\xb0" "bc\": letters of several scripts (Cyrillic+Latin) in segment 1",
	  "\xd0\xb0" "bc" },
	{ B("alpha\xce\xb1"), CONF,
	  "path \"alpha\xce\xb1\": letters of several scripts (Latin+Greek) in segment 1",
	  "alpha\xce\xb1" },
	{ B("\xd0\xb0\xce\xb1"), CONF,
	  "path \"\xd0\xb0\xce\xb1\": letters of several scripts (Cyrillic+Greek) in segment 1",
	  "\xd0\xb0\xce\xb1" },
	{ B("한국어データ"), CONF,
	  "path \"한국어データ\": letters of several scripts (Hangul+Katakana) in segment 1",
	  "한국어データ" },
	/* UTS #39 "highly restrictive" allows Latin with Han and Hangul, and
	 * Latin with Han and Bopomofo */
	{ B("中한a"), PG_OK, NULL, NULL },
	{ B("aㄅ"), PG_OK, NULL, NULL },
	{ B("aㄅ한"), CONF, "path \"aㄅ한\": letters of several scripts (Latin+Bopomofo+Hangul) in segment 1",
	  "aㄅ한" },
	{ B("ㄅか"), CONF,
	  "path \"ㄅか\": letters of several scripts (Bopomofo+Hiragana) in segment 1", "ㄅか" },
	{ B("a\xd9\xa0"), CONF,
	  "path \"a\xd9\xa0\": letters of several scripts (Latin+Arabic) in segment 1",
	  "a\xd9\xa0" },
	{ B("ok/fine/\xce\xb1" "b\xd0\xb0"), CONF,
	  "path \"ok/fine/\xce\xb1" "b\xd0\xb0\": letters of several scripts (Greek+Latin+Cyrillic) in segment 3",
	  "ok/fine/\xce\xb1" "b\xd0\xb0" },
	{ B("データmodel"), PG_OK, NULL, NULL },
	{ B("中文한국어"), PG_OK, NULL, NULL },
	{ B("中文ㄅㄆ"), PG_OK, NULL, NULL },
	{ B("データ-01_模型/v2.0-rc1"), PG_OK, NULL, NULL },
	{ B("漢字ひらがなカタカナabc.txt"), PG_OK, NULL, NULL },
	{ B("latin/кириллица/ελληνικά"), PG_OK, NULL, NULL },
	{ B("ｍｏｄｅｌ"), PG_OK, NULL, NULL },
	{ B("x/中文.onnx"), PG_OK, NULL, NULL },
	{ B("ملف"), PG_OK, NULL, NULL },
	{ B("ملف.txt"), CONF,
	  "path \"ملف.txt\": letters of several scripts (Arabic+Latin) in segment 1", "ملف.txt" },

	/* precedence: traversal, then encoding, then confusable, then length */
	{ B("a\\\xff"), TRAV, "path \"a\\\\xFF\": backslash", "a\\\\xFF" },
	{ B("/\xff"), TRAV, "path \"/\\xFF\": absolute path", "/\\xFF" },
	{ B("a/\xe2\x80\xae/../b"), TRAV, "path \"a/<U+202E>/../b\": \"..\" segment",
	  "a/<U+202E>/../b" },
	{ B("\xff\u202E"), ENC, "path \"\\xFF<U+202E>\": invalid UTF-8 at byte 0",
	  "\\xFF<U+202E>" },
	{ B("e\xcc\x81\x1b"), ENC, "path \"e\xcc\x81^[\": not in NFC", "e\xcc\x81^[" },
	{ B("p\xd0\xb0\u202Eypal"), CONF,
	  "path \"p\xd0\xb0<U+202E>ypal\": U+202E (bidi control) in segment 1",
	  "p\xd0\xb0<U+202E>ypal" },
	{ B("p\xd0\xb0ypal/a\u202E"), CONF,
	  "path \"p\xd0\xb0ypal/a<U+202E>\": U+202E (bidi control) in segment 2",
	  "p\xd0\xb0ypal/a<U+202E>" },
};
#define NPATH (sizeof path_cases / sizeof path_cases[0])

START_TEST(test_path_table)
{
	const struct path_case *c = &path_cases[_i];
	pg_error err;
	pg_code rc;

	pg_error_clear(&err);
	rc = pg_path_check(c->in, c->len, NULL, &err);
	ck_assert_msg(rc == c->code, "case %d: got %s, want %s (%s)", _i,
		      pg_code_name(rc), pg_code_name(c->code), err.message);
	ck_assert_int_eq(err.code, c->code);
	if (c->code == PG_OK) {
		ck_assert_str_eq(err.message, "");
		ck_assert_str_eq(err.path, "");
	} else {
		ck_assert_str_eq(err.message, c->msg);
		ck_assert_str_eq(err.path, c->shown);
	}
	/* the code does not depend on err being there */
	ck_assert_int_eq(pg_path_check(c->in, c->len, NULL, NULL), c->code);
}
END_TEST

/* One character between "a" and "b": refused with its kind, shown escaped
 * as <U+XXXX> (bidi and invisible) or as itself (look-alikes). */
struct char_case {
	uint32_t cp;
	const char *utf8;
	const char *kind;
	int escaped;
};

static const struct char_case char_cases[] = {
	{ 0x061C, "\u061C", "bidi control", 1 },
	{ 0x200E, "\u200E", "bidi control", 1 },
	{ 0x200F, "\u200F", "bidi control", 1 },
	{ 0x202A, "\u202A", "bidi control", 1 },
	{ 0x202B, "\u202B", "bidi control", 1 },
	{ 0x202C, "\u202C", "bidi control", 1 },
	{ 0x202D, "\u202D", "bidi control", 1 },
	{ 0x202E, "\u202E", "bidi control", 1 },
	{ 0x2066, "\u2066", "bidi control", 1 },
	{ 0x2067, "\u2067", "bidi control", 1 },
	{ 0x2068, "\u2068", "bidi control", 1 },
	{ 0x2069, "\u2069", "bidi control", 1 },
	{ 0x00AD, "\u00AD", "invisible character", 1 },
	{ 0x200B, "\u200B", "invisible character", 1 },
	{ 0x200C, "\u200C", "invisible character", 1 },
	{ 0x200D, "\u200D", "invisible character", 1 },
	{ 0x2060, "\u2060", "invisible character", 1 },
	{ 0xFEFF, "\uFEFF", "invisible character", 1 },
	{ 0x2044, "\u2044", "look-alike of '/', '\\' or '.'", 0 },
	{ 0x2215, "\u2215", "look-alike of '/', '\\' or '.'", 0 },
	{ 0xFF0F, "\uFF0F", "look-alike of '/', '\\' or '.'", 0 },
	{ 0x29F8, "\u29F8", "look-alike of '/', '\\' or '.'", 0 },
	{ 0xFF3C, "\uFF3C", "look-alike of '/', '\\' or '.'", 0 },
	{ 0x2216, "\u2216", "look-alike of '/', '\\' or '.'", 0 },
	{ 0xFE68, "\uFE68", "look-alike of '/', '\\' or '.'", 0 },
	{ 0xFF0E, "\uFF0E", "look-alike of '/', '\\' or '.'", 0 },
	{ 0x2024, "\u2024", "look-alike of '/', '\\' or '.'", 0 },
	{ 0xFE52, "\uFE52", "look-alike of '/', '\\' or '.'", 0 },
	{ 0x3002, "\u3002", "look-alike of '/', '\\' or '.'", 0 },
};
#define NCHAR (sizeof char_cases / sizeof char_cases[0])

START_TEST(test_char_table)
{
	const struct char_case *c = &char_cases[_i];
	char path[64], shown[64], msg[256];
	const char *mid = c->utf8;
	char esc[16];
	pg_error err;

	if (c->escaped) {
		snprintf(esc, sizeof esc, "<U+%04X>", (unsigned)c->cp);
		mid = esc;
	}
	/* in the first and in a later segment */
	snprintf(path, sizeof path, "a%sb", c->utf8);
	snprintf(shown, sizeof shown, "a%sb", mid);
	snprintf(msg, sizeof msg, "path \"%s\": U+%04X (%s) in segment 1", shown,
		 (unsigned)c->cp, c->kind);
	pg_error_clear(&err);
	ck_assert_int_eq(pg_path_check(path, strlen(path), NULL, &err), CONF);
	ck_assert_str_eq(err.message, msg);
	ck_assert_str_eq(err.path, shown);

	snprintf(path, sizeof path, "x/y/%s.txt", c->utf8);
	snprintf(shown, sizeof shown, "x/y/%s.txt", mid);
	snprintf(msg, sizeof msg, "path \"%s\": U+%04X (%s) in segment 3", shown,
		 (unsigned)c->cp, c->kind);
	pg_error_clear(&err);
	ck_assert_int_eq(pg_path_check(path, strlen(path), NULL, &err), CONF);
	ck_assert_str_eq(err.message, msg);
}
END_TEST

/* The confusables table holds exactly the eleven of section 7. */
START_TEST(test_confusable_table)
{
	static const uint32_t want[] = {
		0x2044, 0x2215, 0xFF0F, 0x29F8, 0xFF3C, 0x2216, 0xFE68, 0xFF0E,
		0x2024, 0xFE52, 0x3002,
	};

	ck_assert_uint_eq(pg_confusable_separators_count, 11);
	for (size_t i = 0; i < 11; i++)
		ck_assert_uint_eq(pg_confusable_separators[i], want[i]);
}
END_TEST

/* Every C0 control and every C1 control, and DEL. */
START_TEST(test_controls)
{
	unsigned cp = _i < 32 ? (unsigned)_i : _i == 32 ? 0x7f : 0x80 + (unsigned)_i - 33;
	char path[8], msg[128];
	size_t len = 0;
	pg_error err;

	path[len++] = 'a';
	if (cp < 0x80) {
		path[len++] = (char)cp;
	} else {
		path[len++] = (char)0xc2;
		path[len++] = (char)cp;
	}
	path[len++] = 'b';
	pg_error_clear(&err);
	ck_assert_int_eq(pg_path_check(path, len, NULL, &err), CONF);
	snprintf(msg, sizeof msg, "U+%04X (control character) in segment 1", cp);
	ck_assert_ptr_nonnull(strstr(err.message, msg));
}
END_TEST

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	ck_assert_ptr_nonnull(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* The message shows the first 160 bytes of the escaped path and "…". */
static void expect_shown_msg(const pg_error *err, const char *path, const char *rest)
{
	char want[512];

	if (strlen(path) > 160)
		snprintf(want, sizeof want, "path \"%.160s…\": %s", path, rest);
	else
		snprintf(want, sizeof want, "path \"%s\": %s", path, rest);
	ck_assert_str_eq(err->message, want);
}

START_TEST(test_segment_length)
{
	pg_error err;
	char *seg255 = repeat('a', 255), *seg256 = repeat('a', 256);
	char path[600], want[600];

	pg_error_clear(&err);
	ck_assert_int_eq(pg_path_check(seg255, 255, NULL, &err), PG_OK);
	ck_assert_int_eq(pg_path_check(seg256, 256, NULL, &err), LEN);
	expect_shown_msg(&err, seg256, "segment 1 is 256 bytes, over the 255-byte cap");
	ck_assert_str_eq(err.path, seg256);

	snprintf(path, sizeof path, "x/%s/y", seg256);
	ck_assert_int_eq(pg_path_check(path, strlen(path), NULL, &err), LEN);
	expect_shown_msg(&err, path, "segment 2 is 256 bytes, over the 255-byte cap");

	snprintf(path, sizeof path, "x/%s/%s", seg255, seg255);
	ck_assert_int_eq(pg_path_check(path, strlen(path), NULL, &err), PG_OK);

	/* bytes, not characters: "x" + 127 x "é" is 255 bytes, one more "e" 256 */
	strcpy(path, "x");
	for (int i = 0; i < 127; i++)
		strcat(path, "\xc3\xa9");
	ck_assert_uint_eq(strlen(path), 255);
	ck_assert_int_eq(pg_path_check(path, strlen(path), NULL, &err), PG_OK);
	strcat(path, "e");
	ck_assert_int_eq(pg_path_check(path, strlen(path), NULL, &err), LEN);
	/* the shown path is cut between characters: "x" + 79 x "é" (159 bytes) */
	strcpy(want, "path \"x");
	for (int i = 0; i < 79; i++)
		strcat(want, "\xc3\xa9");
	strcat(want, "…\": segment 1 is 256 bytes, over the 255-byte cap");
	ck_assert_str_eq(err.message, want);
	free(seg255);
	free(seg256);
}
END_TEST

/* A path of `total` bytes in segments of at most 200 bytes. */
static char *long_path(size_t total)
{
	char *s = repeat('a', total);

	for (size_t i = 200; i < total - 1; i += 201)
		s[i] = '/';
	return s;
}

START_TEST(test_path_length)
{
	pg_error err;
	char *p1024 = long_path(1024), *p1025 = long_path(1025);

	pg_error_clear(&err);
	ck_assert_int_eq(pg_path_check(p1024, 1024, NULL, &err), PG_OK);
	ck_assert_int_eq(pg_path_check(p1025, 1025, NULL, &err), LEN);
	expect_shown_msg(&err, p1025, "1025 bytes, over the 1024-byte cap");
	/* err.path holds as much of the path as fits */
	ck_assert_uint_eq(strlen(err.path), sizeof err.path - 1);
	ck_assert_int_eq(strncmp(err.path, p1025, sizeof err.path - 1), 0);
	free(p1024);
	free(p1025);
}
END_TEST

START_TEST(test_custom_limits)
{
	pg_limits lim;
	pg_error err;
	char *seg256 = repeat('a', 256), *seg301 = repeat('b', 301);

	pg_limits_default(&lim);
	lim.path_bytes = 10;
	lim.segment_bytes = 4;
	pg_error_clear(&err);
	ck_assert_int_eq(pg_path_check(B("abcd/efgh"), &lim, &err), PG_OK);
	ck_assert_int_eq(pg_path_check(B("abcd/ef/gh"), &lim, &err), PG_OK);
	ck_assert_int_eq(pg_path_check(B("abcd/efghi"), &lim, &err), LEN);
	ck_assert_str_eq(err.message,
			 "path \"abcd/efghi\": segment 2 is 5 bytes, over the 4-byte cap");
	ck_assert_int_eq(pg_path_check(B("abcd/ef/ghi"), &lim, &err), LEN);
	ck_assert_str_eq(err.message, "path \"abcd/ef/ghi\": 11 bytes, over the 10-byte cap");
	/* over both caps: the path cap is named */
	ck_assert_int_eq(pg_path_check(B("abcdefghijk"), &lim, &err), LEN);
	ck_assert_str_eq(err.message, "path \"abcdefghijk\": 11 bytes, over the 10-byte cap");
	/* an earlier rule wins over length */
	ck_assert_int_eq(pg_path_check(B("abcd/efgh/"), &lim, &err), TRAV);
	ck_assert_int_eq(pg_path_check(B("abcdefgh\x1b" "ijk"), &lim, &err), CONF);

	lim.path_bytes = 1024;
	lim.segment_bytes = 300;
	ck_assert_int_eq(pg_path_check(seg256, 256, &lim, &err), PG_OK);
	ck_assert_int_eq(pg_path_check(seg301, 301, &lim, &err), LEN);
	expect_shown_msg(&err, seg301, "segment 1 is 301 bytes, over the 300-byte cap");
	free(seg256);
	free(seg301);
}
END_TEST

/* A path that breaks several rules gets the code of the first. */
START_TEST(test_precedence_long)
{
	char *path = repeat('a', 1200);
	pg_error err;

	/* traversal and over-length */
	memcpy(path, "../", 3);
	pg_error_clear(&err);
	ck_assert_int_eq(pg_path_check(path, 1200, NULL, &err), TRAV);
	expect_shown_msg(&err, path, "\"..\" segment");
	/* invalid UTF-8 and over-length */
	memcpy(path, "ab\xff", 3);
	ck_assert_int_eq(pg_path_check(path, 1200, NULL, &err), ENC);
	/* control and over-length */
	memcpy(path, "ab\x1b", 3);
	ck_assert_int_eq(pg_path_check(path, 1200, NULL, &err), CONF);
	free(path);
}
END_TEST

START_TEST(test_limits_default)
{
	pg_limits lim;

	memset(&lim, 0xff, sizeof lim);
	pg_limits_default(&lim);
	ck_assert_uint_eq(lim.archive_bytes, 274877906944ULL);
	ck_assert_uint_eq(lim.entry_bytes, 137438953472ULL);
	ck_assert_uint_eq(lim.total_bytes, 274877906944ULL);
	ck_assert_uint_eq(lim.entries, 10000);
	ck_assert_uint_eq(lim.path_bytes, 1024);
	ck_assert_uint_eq(lim.segment_bytes, 255);
	ck_assert_uint_eq(lim.json_bytes, 16777216);
	ck_assert_uint_eq(lim.json_depth, 64);
}
END_TEST

/* ------------------------------------------------------------------ fold */

struct fold_case {
	const char *a;
	const char *b;
	const char *folded_a;
	int equal;
};

static const struct fold_case fold_cases[] = {
	{ "Model.ONNX", "model.onnx", "model.onnx", 1 },
	{ "stra\xc3\x9f" "e", "STRASSE", "strasse", 1 },
	{ "e\xcc\x81", "\xc3\xa9", "\xc3\xa9", 1 },
	{ "\xc3\x89", "e\xcc\x81", "\xc3\xa9", 1 },
	{ "\xe2\x84\xab", "\xc3\x85", "\xc3\xa5", 1 },
	{ "\xce\xa3\xce\x91\xce\xa3", "\xcf\x83\xce\xb1\xcf\x82", "\xcf\x83\xce\xb1\xcf\x83", 1 },
	{ "DIR/File.TXT", "dir/file.txt", "dir/file.txt", 1 },
	{ "\xc4\xb0", "i\xcc\x87", "i\xcc\x87", 1 },
	{ "a", "b", "a", 0 },
	{ "model.onnx", "model.onnx ", "model.onnx", 0 },
	{ "\xc4\xb1", "i", "\xc4\xb1", 0 },
	{ "a/b", "a\xe2\x88\x95" "b", "a/b", 0 },
};
#define NFOLD (sizeof fold_cases / sizeof fold_cases[0])

START_TEST(test_fold)
{
	const struct fold_case *c = &fold_cases[_i];
	char *fa = pg_path_fold(c->a, strlen(c->a));
	char *fb = pg_path_fold(c->b, strlen(c->b));

	ck_assert_ptr_nonnull(fa);
	ck_assert_ptr_nonnull(fb);
	ck_assert_str_eq(fa, c->folded_a);
	ck_assert_int_eq(strcmp(fa, fb) == 0, c->equal);
	free(fa);
	free(fb);
}
END_TEST

START_TEST(test_fold_edge)
{
	char *f = pg_path_fold("", 0);

	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f, "");
	free(f);
	/* only len bytes are read */
	f = pg_path_fold("ABCDEF", 3);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f, "abc");
	free(f);
}
END_TEST

/* ------------------------------------------------------------- file type */

static const char *const types_py[] = { ".py", NULL };
static const char *const types_none[] = { NULL };
static const char *const types_mixed[] = { ".onnx", ".bin", NULL };

struct type_case {
	const char *path;
	const char *const *types;
	pg_code code;
	const char *msg;
};

static const struct type_case type_cases[] = {
	{ ".onnx", NULL, PG_OK, NULL },
	{ "model.onnx", NULL, PG_OK, NULL },
	{ "MODEL.ONNX", NULL, PG_OK, NULL },
	{ "x.Json", NULL, PG_OK, NULL },
	{ "README", NULL, PG_OK, NULL },
	{ "a.b/c", NULL, PG_OK, NULL },
	{ "dir.d/LICENSE", NULL, PG_OK, NULL },
	{ "signatures/publisher.asc", NULL, PG_OK, NULL },
	{ "x.py", NULL, PG_ARCHIVE_FILE_TYPE, "path \"x.py\": file type \".py\" not allowed" },
	{ ".py", NULL, PG_ARCHIVE_FILE_TYPE, "path \".py\": file type \".py\" not allowed" },
	{ "x.PY", NULL, PG_ARCHIVE_FILE_TYPE, "path \"x.PY\": file type \".PY\" not allowed" },
	{ "x.tar.gz", NULL, PG_ARCHIVE_FILE_TYPE,
	  "path \"x.tar.gz\": file type \".gz\" not allowed" },
	{ "model.onnx/x.pkl", NULL, PG_ARCHIVE_FILE_TYPE,
	  "path \"model.onnx/x.pkl\": file type \".pkl\" not allowed" },
	{ "x.", NULL, PG_ARCHIVE_FILE_TYPE, "path \"x.\": file type \".\" not allowed" },
	{ "x.onnx.exe", NULL, PG_ARCHIVE_FILE_TYPE,
	  "path \"x.onnx.exe\": file type \".exe\" not allowed" },
	{ "x.safetensors\xe2\x80\x8b", NULL, PG_ARCHIVE_FILE_TYPE,
	  "path \"x.safetensors<U+200B>\": file type \".safetensors<U+200B>\" not allowed" },
	{ "x.py", types_py, PG_OK, NULL },
	{ "x.onnx", types_py, PG_ARCHIVE_FILE_TYPE,
	  "path \"x.onnx\": file type \".onnx\" not allowed" },
	{ "README", types_py, PG_OK, NULL },
	{ "x.txt", types_none, PG_ARCHIVE_FILE_TYPE,
	  "path \"x.txt\": file type \".txt\" not allowed" },
	{ "README", types_none, PG_OK, NULL },
	{ "w.BIN", types_mixed, PG_OK, NULL },
	{ "w.gguf", types_mixed, PG_ARCHIVE_FILE_TYPE,
	  "path \"w.gguf\": file type \".gguf\" not allowed" },
};
#define NTYPE (sizeof type_cases / sizeof type_cases[0])

START_TEST(test_type)
{
	const struct type_case *c = &type_cases[_i];
	pg_error err;

	pg_error_clear(&err);
	ck_assert_int_eq(pg_path_check_type(c->path, c->types, &err), c->code);
	if (c->msg) {
		ck_assert_str_eq(err.message, c->msg);
		ck_assert_int_eq(err.code, PG_ARCHIVE_FILE_TYPE);
	} else {
		ck_assert_str_eq(err.message, "");
	}
	ck_assert_int_eq(pg_path_check_type(c->path, c->types, NULL), c->code);
}
END_TEST

/* The default list is exactly the one of section 7. */
START_TEST(test_type_defaults)
{
	static const char *const want[] = {
		".safetensors", ".gguf", ".onnx", ".tflite", ".bin", ".json", ".txt",
		".md", ".model", ".vocab", ".spm", ".tiktoken", ".asc",
	};
	size_t n = 0;

	while (pg_default_file_types[n])
		n++;
	ck_assert_uint_eq(n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < n; i++) {
		char name[32];

		ck_assert_str_eq(pg_default_file_types[i], want[i]);
		snprintf(name, sizeof name, "m/x%s", want[i]);
		ck_assert_int_eq(pg_path_check_type(name, NULL, NULL), PG_OK);
	}
}
END_TEST

/* ----------------------------------------------------------------- sniff */

struct sniff_case {
	const char *head;
	size_t n;
	const char *what; /* NULL: allowed */
};

static const struct sniff_case sniff_cases[] = {
	{ B("\x80\x02"), "a pickle stream" },
	{ B("\x80\x03}q\x00"), "a pickle stream" },
	{ B("\x80\x04\x95"), "a pickle stream" },
	{ B("\x80\x05"), "a pickle stream" },
	{ B("PK\x03\x04"), "a zip header" },
	{ B("PK\x03\x04\x14\x00"), "a zip header" },
	{ B("\x7f" "ELF\x02\x01"), "an ELF header" },
	{ B("\x7f" "ELF"), "an ELF header" },
	{ B("MZ"), "a PE header" },
	{ B("MZ\x90\x00"), "a PE header" },
	{ B("#!"), "a script header" },
	{ B("#!/bin/sh\n"), "a script header" },
	{ B("\x80\x01"), NULL },
	{ B("\x80\x06"), NULL },
	{ B("\x80"), NULL },
	{ B("\x00\x80\x02"), NULL },
	{ B("PK\x03\x05"), NULL },
	{ B("PK\x03"), NULL },
	{ B("PK"), NULL },
	{ B("\x7f" "EL"), NULL },
	{ B("\x7f" "elf"), NULL },
	{ B("M"), NULL },
	{ B("mz"), NULL },
	{ B("ZM"), NULL },
	{ B("#"), NULL },
	{ B("# !"), NULL },
	{ B(""), NULL },
	{ B("{\"a\":1}"), NULL },
	{ B("GGUF\x03\x00"), NULL },
};
#define NSNIFF (sizeof sniff_cases / sizeof sniff_cases[0])

START_TEST(test_sniff)
{
	const struct sniff_case *c = &sniff_cases[_i];
	unsigned char *head = malloc(c->n ? c->n : 1); /* exact size for ASan */
	char msg[128];
	pg_error err;

	ck_assert_ptr_nonnull(head);
	memcpy(head, c->head, c->n);
	pg_error_clear(&err);
	if (!c->what) {
		ck_assert_int_eq(pg_path_sniff(head, c->n, "x.bin", &err), PG_OK);
		ck_assert_str_eq(err.message, "");
	} else {
		ck_assert_int_eq(pg_path_sniff(head, c->n, "w/x.bin", &err), PG_ARCHIVE_FILE_TYPE);
		snprintf(msg, sizeof msg, "path \"w/x.bin\": content begins with %s", c->what);
		ck_assert_str_eq(err.message, msg);
		ck_assert_str_eq(err.path, "w/x.bin");
	}
	free(head);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("path");
	TCase *tc = tcase_create("check");
	TCase *tf = tcase_create("fold");
	TCase *tt = tcase_create("type");

	tcase_add_loop_test(tc, test_path_table, 0, NPATH);
	tcase_add_loop_test(tc, test_char_table, 0, NCHAR);
	tcase_add_test(tc, test_confusable_table);
	tcase_add_loop_test(tc, test_controls, 0, 32 + 1 + 32);
	tcase_add_test(tc, test_segment_length);
	tcase_add_test(tc, test_path_length);
	tcase_add_test(tc, test_custom_limits);
	tcase_add_test(tc, test_precedence_long);
	tcase_add_test(tc, test_limits_default);
	suite_add_tcase(s, tc);
	tcase_add_loop_test(tf, test_fold, 0, NFOLD);
	tcase_add_test(tf, test_fold_edge);
	suite_add_tcase(s, tf);
	tcase_add_loop_test(tt, test_type, 0, NTYPE);
	tcase_add_test(tt, test_type_defaults);
	tcase_add_loop_test(tt, test_sniff, 0, NSNIFF);
	suite_add_tcase(s, tt);
	return pg_check_run(s);
}
