/* check_escape.c — display escaping (CONTRACT section 7, "Display"). */
#include "pg.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <unistr.h>

#include "checkrun.h"
#include "escape.h"

/* A byte string with its length (may hold NUL and invalid UTF-8). */
#define B(s) s, sizeof(s) - 1

struct esc_case {
	const char *in;
	size_t len;
	const char *out;
};

static const struct esc_case cases[] = {
	{ B(""), "" },
	{ B("plain ascii 123 ~!@#"), "plain ascii 123 ~!@#" },
	/* C0 and DEL in caret notation */
	{ B("\x1b"), "^[" },
	{ B("a\0b"), "a^@b" },
	{ B("\0"), "^@" },
	{ B("\t\n\r"), "^I^J^M" },
	{ B("\x1f"), "^_" },
	{ B("\x7f"), "^?" },
	{ B("x\x7fy"), "x^?y" },
	/* terminal sequences are defused */
	{ B("\x1b]0;evil\x07"), "^[]0;evil^G" },
	{ B("\x1b[2J"), "^[[2J" },
	{ B("\x1b[31mred\x1b[0m"), "^[[31mred^[[0m" },
	/* C1 controls */
	{ B("\xc2\x80"), "<U+0080>" },
	{ B("\xc2\x85"), "<U+0085>" },
	{ B("\xc2\x9b" "2J"), "<U+009B>2J" },
	{ B("\xc2\x9f"), "<U+009F>" },
	/* bidi controls */
	{ B("\xd8\x9c"), "<U+061C>" },
	{ B("\u200E"), "<U+200E>" },
	{ B("\u200F"), "<U+200F>" },
	{ B("\u202A"), "<U+202A>" },
	{ B("\u202B"), "<U+202B>" },
	{ B("\u202C"), "<U+202C>" },
	{ B("\u202D"), "<U+202D>" },
	{ B("\u202E"), "<U+202E>" },
	{ B("\u2066"), "<U+2066>" },
	{ B("\u2067"), "<U+2067>" },
	{ B("\u2068"), "<U+2068>" },
	{ B("\u2069"), "<U+2069>" },
	{ B("evil\u202Etxt.exe"), "evil<U+202E>txt.exe" },
	/* zero-width and invisible */
	{ B("\u00AD"), "<U+00AD>" },
	{ B("\u200B"), "<U+200B>" },
	{ B("\u200C"), "<U+200C>" },
	{ B("\u200D"), "<U+200D>" },
	{ B("\u2060"), "<U+2060>" },
	{ B("\uFEFF"), "<U+FEFF>" },
	/* other format characters, line and paragraph separators */
	{ B("\u2061"), "<U+2061>" },
	{ B("\U000E0041"), "<U+E0041>" },
	{ B("\U000E0001"), "<U+E0001>" },
	{ B("\u2028"), "<U+2028>" },
	{ B("\u2029"), "<U+2029>" },
	/* invalid UTF-8: each byte that does not start a valid sequence */
	{ B("\x80"), "\\x80" },
	{ B("\xff"), "\\xFF" },
	{ B("\xfe"), "\\xFE" },
	{ B("\xc0\xaf"), "\\xC0\\xAF" },
	{ B("\xe0\x80\xaf"), "\\xE0\\x80\\xAF" },
	{ B("\xf0\x82\x82\xac"), "\\xF0\\x82\\x82\\xAC" },
	{ B("\xed\xa0\x80"), "\\xED\\xA0\\x80" },
	{ B("\xf5"), "\\xF5" },
	{ B("\xf4\x90\x80\x80"), "\\xF4\\x90\\x80\\x80" },
	{ B("\xe2\x82"), "\\xE2\\x82" },
	{ B("\xe2\x82" "A"), "\\xE2\\x82" "A" },
	{ B("\xc2" "\xe2\x82\xac"), "\\xC2\xe2\x82\xac" },
	{ B("a\xff" "b\xfe" "c"), "a\\xFF" "b\\xFE" "c" },
	/* ordinary UTF-8 stays itself */
	{ B("\xc3\xa9"), "\xc3\xa9" },
	{ B("\xe4\xb8\xad"), "\xe4\xb8\xad" },
	{ B("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80" },
	{ B("\xc2\xa0"), "\xc2\xa0" },
	{ B("\xef\xbf\xbd"), "\xef\xbf\xbd" },
	{ B("e\xcc\x81"), "e\xcc\x81" },
	/* text that looks like an escape is left alone */
	{ B("^[ \\xFF <U+202E>"), "^[ \\xFF <U+202E>" },
	/* everything at once */
	{ B("a\u202E" "b\xff" "c\x1b" "d\xc2\x85" "\xe4\xb8\xad"),
	  "a<U+202E>b\\xFFc^[d<U+0085>\xe4\xb8\xad" },
};
#define NCASES (sizeof cases / sizeof cases[0])

START_TEST(test_table)
{
	const struct esc_case *c = &cases[_i];
	char *out = pg_escape(c->in, c->len);
	char buf[256];

	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, c->out);
	ck_assert_uint_eq(pg_escape_buf(buf, sizeof buf, c->in, c->len), strlen(c->out));
	ck_assert_str_eq(buf, c->out);
	ck_assert_uint_eq(pg_escape_buf(NULL, 0, c->in, c->len), strlen(c->out));
	free(out);
}
END_TEST

/* Every C0 control: ^@ .. ^_ */
START_TEST(test_c0)
{
	char in[3] = { 'x', (char)_i, 'y' };
	char want[5] = { 'x', '^', (char)('@' + _i), 'y', '\0' };
	char *out = pg_escape(in, sizeof in);

	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, want);
	free(out);
}
END_TEST

START_TEST(test_str)
{
	char *out;

	out = pg_escape_str(NULL);
	ck_assert_str_eq(out, "");
	free(out);
	out = pg_escape_str("x\x1b" "y\u202E");
	ck_assert_str_eq(out, "x^[y<U+202E>");
	free(out);
	out = pg_escape(NULL, 0);
	ck_assert_str_eq(out, "");
	free(out);
}
END_TEST

/* Every code point: itself, caret notation or <U+XXXX>, as the rules say;
 * the result is valid UTF-8 and escaping it again changes nothing. */
START_TEST(test_all_code_points)
{
	for (ucs4_t c = 0; c <= 0x10ffff; c++) {
		uint8_t in[4];
		char want[16];
		char *out, *again;
		int n;

		if (c >= 0xd800 && c <= 0xdfff)
			continue;
		n = u8_uctomb(in, c, sizeof in);
		if (n <= 0)
			ck_abort_msg("U+%04X: cannot encode", (unsigned)c);
		if (c < 0x20)
			snprintf(want, sizeof want, "^%c", (char)('@' + c));
		else if (c == 0x7f)
			snprintf(want, sizeof want, "^?");
		else if ((c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029 ||
			 uc_is_general_category(c, UC_CATEGORY_Cf))
			snprintf(want, sizeof want, "<U+%04X>", (unsigned)c);
		else {
			memcpy(want, in, (size_t)n);
			want[n] = '\0';
		}
		/* plain ifs in this loop: each ck_assert costs a message to the
		 * runner, a million of them take a minute under ASan */
		out = pg_escape((const char *)in, (size_t)n);
		if (!out)
			ck_abort_msg("U+%04X: out of memory", (unsigned)c);
		if (strcmp(out, want) != 0)
			ck_abort_msg("U+%04X: got \"%s\", want \"%s\"", (unsigned)c, out, want);
		again = pg_escape(out, strlen(out));
		if (!again || strcmp(again, out) != 0)
			ck_abort_msg("U+%04X: not idempotent", (unsigned)c);
		free(again);
		free(out);
	}
}
END_TEST

/* The output is valid UTF-8 and never holds a control or format character.
 * (Plain ifs: this runs in loops, see test_all_code_points.) */
static void assert_clean(const char *s)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t len = strlen(s);

	if (u8_check(p, len))
		ck_abort_msg("\"%s\": not valid UTF-8", s);
	while (len > 0) {
		ucs4_t c;
		int n = u8_mbtoucr(&c, p, len);

		if (n <= 0 || uc_is_general_category(c, UC_CATEGORY_Cc) ||
		    uc_is_general_category(c, UC_CATEGORY_Cf) || c == 0x2028 || c == 0x2029)
			ck_abort_msg("\"%s\": holds a control or format character", s);
		p += n;
		len -= (size_t)n;
	}
}

static void assert_idempotent(const char *in, size_t len)
{
	char *once = pg_escape(in, len);
	char *twice;

	if (!once)
		ck_abort_msg("out of memory");
	assert_clean(once);
	twice = pg_escape(once, strlen(once));
	if (!twice || strcmp(twice, once) != 0)
		ck_abort_msg("\"%s\": escaping again gives \"%s\"", once, twice ? twice : "(null)");
	free(twice);
	free(once);
}

START_TEST(test_idempotent_table)
{
	assert_idempotent(cases[_i].in, cases[_i].len);
	assert_idempotent(cases[_i].out, strlen(cases[_i].out));
}
END_TEST

/* Deterministic pseudo-random byte strings, drawn mostly from bytes that
 * matter (controls, lead and continuation bytes, '^', '\', '<'). */
START_TEST(test_idempotent_random)
{
	static const unsigned char pick[] = {
		0x00, 0x07, 0x1b, 0x7f, 0x80, 0x85, 0x9b, 0xa0, 0xad, 0xbf, 0xc0,
		0xc2, 0xd8, 0xe2, 0xed, 0xef, 0xf0, 0xf3, 0xf4, 0xf5, 0xff, '^',
		'\\', '<', 'U', '+', 'x', 'a', '[',
	};
	uint32_t state = 12345;

	for (int round = 0; round < 5000; round++) {
		char in[48];
		size_t len;

		state = state * 1103515245u + 12345u;
		len = (state >> 16) % sizeof in;
		for (size_t i = 0; i < len; i++) {
			state = state * 1103515245u + 12345u;
			if ((state >> 8) & 1)
				in[i] = (char)pick[(state >> 16) % sizeof pick];
			else
				in[i] = (char)(state >> 16);
		}
		assert_idempotent(in, len);
	}
}
END_TEST

/* Truncation: sequences of units with their escaped forms. */
struct unit {
	const char *in;
	const char *out;
};

static const struct unit seq_mixed[] = {
	{ "a", "a" }, { "\xc3\xa9", "\xc3\xa9" }, { "\x1b", "^[" },
	{ "\u202E", "<U+202E>" }, { "\xff", "\\xFF" }, { "\xe4\xb8\xad", "\xe4\xb8\xad" },
	{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" }, { "\U000E0041", "<U+E0041>" },
	{ "z", "z" }, { NULL, NULL },
};
static const struct unit seq_wide[] = {
	{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" }, { "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },
	{ "\xe4\xb8\xad", "\xe4\xb8\xad" }, { "\xc3\xa9", "\xc3\xa9" }, { NULL, NULL },
};
static const struct unit seq_escapes[] = {
	{ "\xc0", "\\xC0" }, { "\xaf", "\\xAF" }, { "\x7f", "^?" },
	{ "\xc2\x85", "<U+0085>" }, { "\xe2", "\\xE2" }, { "\x82", "\\x82" },
	{ NULL, NULL },
};
static const struct unit *const seqs[] = { seq_mixed, seq_wide, seq_escapes };

START_TEST(test_truncation)
{
	const struct unit *u = seqs[_i];
	char in[128] = "", full[256] = "";
	size_t full_len, in_len;
	size_t bound[32], nb = 0;

	/* Unit boundaries of the expected output. */
	bound[nb++] = 0;
	for (size_t k = 0; u[k].in; k++) {
		strcat(in, u[k].in);
		strcat(full, u[k].out);
		bound[nb++] = strlen(full);
	}
	in_len = strlen(in);
	full_len = strlen(full);
	for (size_t cap = 1; cap <= full_len + 1; cap++) {
		char *dst = malloc(cap); /* exact size: ASan sees any overrun */
		size_t keep = 0;

		ck_assert_ptr_nonnull(dst);
		for (size_t b = 0; b < nb; b++)
			if (bound[b] <= cap - 1)
				keep = bound[b];
		ck_assert_uint_eq(pg_escape_buf(dst, cap, in, in_len), full_len);
		ck_assert_uint_eq(strlen(dst), keep);
		ck_assert_int_eq(memcmp(dst, full, keep), 0);
		ck_assert_ptr_null(u8_check((const uint8_t *)dst, keep));
		free(dst);
	}
}
END_TEST

/* Cutting every table case at every cap yields a valid UTF-8 prefix of the
 * full output. */
START_TEST(test_truncation_table)
{
	const struct esc_case *c = &cases[_i];
	size_t full = strlen(c->out);

	for (size_t cap = 1; cap <= full + 1; cap++) {
		char *dst = malloc(cap);
		size_t got;

		ck_assert_ptr_nonnull(dst);
		ck_assert_uint_eq(pg_escape_buf(dst, cap, c->in, c->len), full);
		got = strlen(dst);
		ck_assert_uint_lt(got, cap);
		ck_assert_int_eq(memcmp(dst, c->out, got), 0);
		ck_assert_ptr_null(u8_check((const uint8_t *)dst, got));
		/* no unit is longer than 10 bytes, so no more is left out */
		ck_assert(got == full || got + 10 >= cap - 1);
		free(dst);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60); /* every code point: slow under valgrind */
	tcase_add_loop_test(tc, test_table, 0, NCASES);
	tcase_add_loop_test(tc, test_c0, 0, 32);
	tcase_add_test(tc, test_str);
	tcase_add_test(tc, test_all_code_points);
	tcase_add_loop_test(tc, test_idempotent_table, 0, NCASES);
	tcase_add_test(tc, test_idempotent_random);
	tcase_add_loop_test(tc, test_truncation, 0, sizeof seqs / sizeof seqs[0]);
	tcase_add_loop_test(tc, test_truncation_table, 0, NCASES);
	suite_add_tcase(s, tc);
	return pg_check_run(s);
}
