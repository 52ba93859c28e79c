/* check_semver.c — SemVer 2.0.0 validity and precedence; RFC 3339 UTC
 * timestamps (parse and format). */
#include "pg.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checkrun.h"
#include "rfc3339.h"
#include "semver.h"

/* ------------------------------------------------------------ validity */

static const struct {
	const char *v;
	int valid;
} valid_cases[] = {
	/* The SemVer 2.0.0 text's own examples. */
	{ "1.9.0", 1 },
	{ "1.10.0", 1 },
	{ "1.11.0", 1 },
	{ "0.0.0", 1 },
	{ "1.0.0-alpha", 1 },
	{ "1.0.0-alpha.1", 1 },
	{ "1.0.0-0.3.7", 1 },
	{ "1.0.0-x.7.z.92", 1 },
	{ "1.0.0-x-y-z.--", 1 },
	{ "1.0.0-alpha+001", 1 },
	{ "1.0.0+20130313144700", 1 },
	{ "1.0.0-beta+exp.sha.5114f85", 1 },
	{ "1.0.0+21AF26D3----117B344092BD", 1 },
	{ "1.0.0-rc.1+build.1", 1 },
	{ "1.2.3----RC-SNAPSHOT.12.9.1--.12+788", 1 },
	{ "1.0.0-0A.is.legal", 1 },
	{ "1.0.0+0.build.007", 1 },  /* build ids may have leading zeros */
	{ "1.0.0-0", 1 },
	{ "99999999999999999999999.999999999999999999.99999999999999999", 1 },
	/* Invalid. */
	{ "01.0.0", 0 },
	{ "1.01.0", 0 },
	{ "1.0.01", 0 },
	{ "1.0", 0 },
	{ "1", 0 },
	{ "1.2.3.4", 0 },
	{ "1.0.0-", 0 },
	{ "1.0.0-01", 0 },
	{ "1.0.0-alpha.01", 0 },
	{ "v1.0.0", 0 },
	{ "1.0.0+", 0 },
	{ "1.0.0-a..b", 0 },
	{ "1.0.0-a.", 0 },
	{ "1.0.0-.a", 0 },
	{ "1.0.0+a..b", 0 },
	{ "1.0.0+a+b", 0 },
	{ "1.0.0-alpha_beta", 0 },
	{ "1.0.0-\xc3\xa9", 0 },
	{ "", 0 },
	{ " 1.0.0", 0 },
	{ "1.0.0 ", 0 },
	{ "1.2-SNAPSHOT", 0 },
	{ "1.2.3.DEV", 0 },
	{ "-1.0.0", 0 },
	{ "+1.0.0", 0 },
	{ "1..0", 0 },
	{ "1.0.0-+b", 0 },
	{ "a.b.c", 0 },
};

START_TEST(test_semver_valid)
{
	ck_assert_msg(pg_semver_valid(valid_cases[_i].v) == valid_cases[_i].valid,
		      "\"%s\" should be %s", valid_cases[_i].v,
		      valid_cases[_i].valid ? "valid" : "invalid");
}
END_TEST

START_TEST(test_semver_null)
{
	ck_assert_int_eq(pg_semver_valid(NULL), 0);
}
END_TEST

/* ---------------------------------------------------------- precedence */

/* Strictly increasing. */
static const char *const chain[] = {
	"0.0.0",
	"0.0.1",
	"0.1.0",
	"0.9.0",
	"0.10.0",
	"1.0.0-0",
	"1.0.0-2",
	"1.0.0-10",
	"1.0.0-99999999999999999999",
	"1.0.0-100000000000000000000",
	"1.0.0-A",           /* ASCII order: uppercase below lowercase */
	"1.0.0-alpha",
	"1.0.0-alpha.1",
	"1.0.0-alpha.beta",
	"1.0.0-beta",
	"1.0.0-beta.2",
	"1.0.0-beta.11",
	"1.0.0-rc.1",
	"1.0.0",
	"1.0.1",
	"1.9.0",
	"1.10.0",
	"1.11.0",
	"2.0.0",
	"2.1.0",
	"2.1.1",
	"10.0.0",
	"99999999999999999999.0.0",
	"100000000000000000000.0.0",
};

#define NCHAIN (sizeof chain / sizeof chain[0])

START_TEST(test_semver_chain)
{
	/* _i runs over every ordered pair. */
	size_t a = (size_t)_i / NCHAIN, b = (size_t)_i % NCHAIN;
	int want = a < b ? -1 : a > b ? 1 : 0;

	ck_assert_msg(pg_semver_cmp(chain[a], chain[b]) == want,
		      "cmp(%s, %s) should be %d", chain[a], chain[b], want);
}
END_TEST

static const struct {
	const char *a, *b;
	int want;
} cmp_cases[] = {
	{ "1.0.0+a", "1.0.0+b", 0 },                 /* build ignored */
	{ "1.0.0-alpha+x.1", "1.0.0-alpha", 0 },
	{ "1.0.0-alpha+zzz", "1.0.0-alpha.1+aaa", -1 },
	{ "1.0.0-rc.1+build", "1.0.0+build", -1 },
	{ "1.0.0-1.a", "1.0.0-1.1", 1 },             /* alphanumeric above numeric */
	{ "1.0.0-a-b", "1.0.0-a", 1 },
	{ "1.0.0-alpha.10", "1.0.0-alpha.9", 1 },
	{ "1.0.0-alpha9", "1.0.0-alpha10", 1 },      /* not numeric: ASCII */
	{ "1.2.3", "1.2.3", 0 },
	/* Invalid arguments still give a total order: invalid first. */
	{ "bogus", "0.0.0", -1 },
	{ "0.0.0", "bogus", 1 },
	{ NULL, "0.0.0", -1 },
	{ "a", "b", -1 },
	{ NULL, NULL, 0 },
};

START_TEST(test_semver_cmp)
{
	ck_assert_msg(pg_semver_cmp(cmp_cases[_i].a, cmp_cases[_i].b) == cmp_cases[_i].want,
		      "cmp(%s, %s) should be %d",
		      cmp_cases[_i].a ? cmp_cases[_i].a : "NULL",
		      cmp_cases[_i].b ? cmp_cases[_i].b : "NULL", cmp_cases[_i].want);
}
END_TEST

/* ------------------------------------------------------------- RFC 3339 */

static const struct {
	const char *s;
	int ok;
	long long t;
} ts_cases[] = {
	{ "2026-06-26T12:00:00Z", 1, 1782475200LL },
	{ "2026-06-26T12:00:00.250Z", 1, 1782475200LL },
	{ "2026-06-26T12:00:00.000000001Z", 1, 1782475200LL },
	{ "2026-06-26T12:00:00.9Z", 1, 1782475200LL },
	{ "2024-02-29T00:00:00Z", 1, 1709164800LL },
	{ "2000-02-29T23:59:59Z", 1, 951868799LL },
	{ "1970-01-01T00:00:00Z", 1, 0LL },
	{ "1969-12-31T23:59:59Z", 1, -1LL },
	{ "9999-12-31T23:59:59Z", 1, 253402300799LL },
	{ "0000-01-01T00:00:00Z", 1, -62167219200LL },
	{ "2023-02-29T00:00:00Z", 0, 0 },
	{ "1900-02-29T00:00:00Z", 0, 0 },
	{ "2026-04-31T00:00:00Z", 0, 0 },
	{ "2026-13-01T00:00:00Z", 0, 0 },
	{ "2026-00-01T00:00:00Z", 0, 0 },
	{ "2026-01-00T00:00:00Z", 0, 0 },
	{ "2026-01-32T00:00:00Z", 0, 0 },
	{ "2026-06-26T24:00:00Z", 0, 0 },
	{ "2026-06-26T12:60:00Z", 0, 0 },
	{ "2026-06-26T12:00:60Z", 0, 0 },
	{ "2026-06-26t12:00:00Z", 0, 0 },
	{ "2026-06-26T12:00:00z", 0, 0 },
	{ "2026-06-26T12:00:00+00:00", 0, 0 },
	{ "2026-06-26T12:00:00-01:00", 0, 0 },
	{ "2026-06-26T12:00:00", 0, 0 },
	{ "2026-06-26 12:00:00Z", 0, 0 },
	{ "2026-06-26T12:00:00.Z", 0, 0 },
	{ "2026-06-26T12:00:00,5Z", 0, 0 },
	{ "2026-06-26T12:00:00Z ", 0, 0 },
	{ " 2026-06-26T12:00:00Z", 0, 0 },
	{ "2026-6-26T12:00:00Z", 0, 0 },
	{ "2026-06-26T1:00:00Z", 0, 0 },
	{ "+2026-06-26T12:00:00Z", 0, 0 },
	{ "20260626T120000Z", 0, 0 },
	{ "2026-06-26", 0, 0 },
	{ "", 0, 0 },
};

START_TEST(test_rfc3339_parse)
{
	time_t t = 12345;
	int rc = pg_rfc3339_parse(ts_cases[_i].s, &t);

	if (ts_cases[_i].ok) {
		ck_assert_msg(rc == 0, "\"%s\" should parse", ts_cases[_i].s);
		ck_assert_msg((long long)t == ts_cases[_i].t, "\"%s\" gave %lld, want %lld",
			      ts_cases[_i].s, (long long)t, ts_cases[_i].t);
	} else {
		ck_assert_msg(rc == -1, "\"%s\" should be refused", ts_cases[_i].s);
		ck_assert_msg(t == 12345, "\"%s\": output touched on failure", ts_cases[_i].s);
	}
}
END_TEST

START_TEST(test_rfc3339_null)
{
	ck_assert_int_eq(pg_rfc3339_parse(NULL, NULL), -1);
	ck_assert_int_eq(pg_rfc3339_parse("2026-06-26T12:00:00Z", NULL), 0);
}
END_TEST

static const struct {
	long long t;
	const char *s;
} fmt_cases[] = {
	{ 0LL, "1970-01-01T00:00:00Z" },
	{ 1782475200LL, "2026-06-26T12:00:00Z" },
	{ 1709164800LL, "2024-02-29T00:00:00Z" },
	{ -1LL, "1969-12-31T23:59:59Z" },
	{ 253402300799LL, "9999-12-31T23:59:59Z" },
	{ 253402300800LL, "9999-12-31T23:59:59Z" },   /* clamped */
	{ -62167219200LL, "0000-01-01T00:00:00Z" },
	{ -62167219201LL, "0000-01-01T00:00:00Z" },   /* clamped */
};

START_TEST(test_rfc3339_format)
{
	char buf[21];
	time_t back;

	memset(buf, 'x', sizeof buf);
	pg_rfc3339_format((time_t)fmt_cases[_i].t, buf);
	ck_assert_str_eq(buf, fmt_cases[_i].s);
	/* What format writes, parse reads back. */
	ck_assert_int_eq(pg_rfc3339_parse(buf, &back), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("semver");
	TCase *tc = tcase_create("semver");
	TCase *tr = tcase_create("rfc3339");

	tcase_add_loop_test(tc, test_semver_valid, 0,
			    sizeof valid_cases / sizeof valid_cases[0]);
	tcase_add_test(tc, test_semver_null);
	tcase_add_loop_test(tc, test_semver_chain, 0, NCHAIN * NCHAIN);
	tcase_add_loop_test(tc, test_semver_cmp, 0, sizeof cmp_cases / sizeof cmp_cases[0]);
	suite_add_tcase(s, tc);

	tcase_add_loop_test(tr, test_rfc3339_parse, 0, sizeof ts_cases / sizeof ts_cases[0]);
	tcase_add_test(tr, test_rfc3339_null);
	tcase_add_loop_test(tr, test_rfc3339_format, 0, sizeof fmt_cases / sizeof fmt_cases[0]);
	suite_add_tcase(s, tr);

	return pg_check_run(s);
}
