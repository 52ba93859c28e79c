/* check_card.c — the evaluation card rules of core/card.h: which metric is
 * the headline, when a difference from the champion is called, and the
 * expected calibration error. */
#include "pg.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "card.h"
#include "checkrun.h"
#include "json.h"

static cJSON *parse(const char *text)
{
	cJSON *doc = NULL;
	pg_error err;

	ck_assert_int_eq(pg_json_parse(text, strlen(text), NULL, &doc, &err), PG_OK);
	return doc;
}

static const char suites[] =
	"\"suites\": [{\"name\": \"empty\", \"metrics\": []},"
	" {\"name\": \"gsm8k\", \"metrics\": [{\"name\": \"accuracy\", \"value\": 0.8},"
	"                                   {\"name\": \"exact\", \"value\": 0.7}]},"
	" {\"name\": \"math\", \"metrics\": [{\"name\": \"accuracy\", \"value\": 0.5}]}]";

static const struct {
	const char *headline;   /* the headline member, or "" */
	const char *suite, *metric; /* expected, NULL: none */
} hcases[] = {
	{ "\"headline\": {\"suite\": \"math\", \"metric\": \"accuracy\"},", "math", "accuracy" },
	{ "\"headline\": {\"suite\": \"gsm8k\", \"metric\": \"exact\"},", "gsm8k", "exact" },
	/* names are compared exactly */
	{ "\"headline\": {\"suite\": \"GSM8K\", \"metric\": \"exact\"},", "gsm8k", "accuracy" },
	/* a headline naming nothing there, or none: the first metric there is */
	{ "\"headline\": {\"suite\": \"math\", \"metric\": \"exact\"},", "gsm8k", "accuracy" },
	{ "", "gsm8k", "accuracy" },
};

START_TEST(test_headline)
{
	char *text;
	cJSON *card;
	const cJSON *s, *m;

	ck_assert_int_ge(asprintf(&text, "{%s %s}", hcases[_i].headline, suites), 0);
	card = parse(text);
	m = pg_card_headline(card, &s);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(pg_json_str(pg_json_get(s, "name")), hcases[_i].suite);
	ck_assert_str_eq(pg_json_str(pg_json_get(m, "name")), hcases[_i].metric);
	cJSON_Delete(card);
	free(text);
}
END_TEST

START_TEST(test_headline_none)
{
	cJSON *card = parse("{\"headline\": {\"suite\": \"a\", \"metric\": \"b\"}, \"suites\": [{\"name\": \"a\", \"metrics\": []}]}");
	const cJSON *s = card;

	ck_assert_ptr_null(pg_card_headline(card, &s));
	ck_assert_ptr_null(s);
	cJSON_Delete(card);
	card = parse("{}");
	ck_assert_ptr_null(pg_card_headline(card, &s));
	cJSON_Delete(card);
}
END_TEST

static const struct {
	pg_card_value m, ch;
	int no_champion;
	pg_card_verdict want;
} vcases[] = {
	{ { 0.8, 1, 0.75, 0.85, 1 }, { 0, 0, 0, 0, 1 }, 1, PG_CARD_NO_CHAMPION },
	{ { NAN, 1, 0.75, 0.85, 1 }, { 0.7, 1, 0.6, 0.72, 1 }, 0, PG_CARD_NO_CHAMPION },
	{ { 0.8, 1, 0.75, 0.85, 1 }, { NAN, 1, 0.6, 0.72, 1 }, 0, PG_CARD_NO_CHAMPION },
	{ { 0.8, 0, 0, 0, 1 }, { 0.7, 1, 0.6, 0.72, 1 }, 0, PG_CARD_NO_CI },
	{ { 0.8, 1, 0.75, 0.85, 1 }, { 0.7, 0, 0, 0, 1 }, 0, PG_CARD_NO_CI },
	/* better by value, but the intervals overlap: no difference called */
	{ { 0.8, 1, 0.70, 0.85, 1 }, { 0.7, 1, 0.6, 0.72, 1 }, 0, PG_CARD_OVERLAP },
	/* sharing one point is overlapping */
	{ { 0.8, 1, 0.72, 0.85, 1 }, { 0.7, 1, 0.6, 0.72, 1 }, 0, PG_CARD_OVERLAP },
	{ { 0.8, 1, 0.73, 0.85, 1 }, { 0.7, 1, 0.6, 0.72, 1 }, 0, PG_CARD_BETTER },
	{ { 0.6, 1, 0.55, 0.65, 1 }, { 0.7, 1, 0.66, 0.72, 1 }, 0, PG_CARD_WORSE },
	/* lower is better (a latency, a loss) */
	{ { 0.6, 1, 0.55, 0.65, 0 }, { 0.7, 1, 0.66, 0.72, 0 }, 0, PG_CARD_BETTER },
	{ { 0.8, 1, 0.73, 0.85, 0 }, { 0.7, 1, 0.6, 0.72, 0 }, 0, PG_CARD_WORSE },
};

START_TEST(test_compare)
{
	ck_assert_int_eq(pg_card_compare(&vcases[_i].m, vcases[_i].no_champion ? NULL : &vcases[_i].ch),
	                 vcases[_i].want);
}
END_TEST

START_TEST(test_ece)
{
	static const pg_card_bin bins[] = { { 0.9, 0.8, 30 }, { 0.5, 0.5, 50 }, { 0.2, 0.4, 20 } };
	static const pg_card_bin empty[] = { { 0.9, 0.1, 0 } };

	/* 0.3 * 0.1 + 0.5 * 0 + 0.2 * 0.2 */
	ck_assert_double_eq_tol(pg_card_ece(bins, 3), 0.07, 1e-12);
	ck_assert_double_eq(pg_card_ece(bins, 0), -1);
	ck_assert_double_eq(pg_card_ece(empty, 1), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("card");
	TCase *tc = tcase_create("card");

	tcase_add_loop_test(tc, test_headline, 0, (int)(sizeof hcases / sizeof hcases[0]));
	tcase_add_test(tc, test_headline_none);
	tcase_add_loop_test(tc, test_compare, 0, (int)(sizeof vcases / sizeof vcases[0]));
	tcase_add_test(tc, test_ece);
	suite_add_tcase(s, tc);
	return pg_check_run(s);
}
