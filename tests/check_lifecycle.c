/* check_lifecycle.c — the transition rule of CONTRACT section 6: every step
 * in the contract's order with its precedence, "*" rules, approvals counted
 * per person, the champion rollback rule, the options of the transition
 * dialog and what a promotion supersedes. */
#include "pg.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "checkrun.h"
#include "lifecycle.h"
#include "policy.h"

#define FA "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1"
#define FB "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB2"
#define FC "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC3"
#define FD "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD4"
#define FE "EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE5"
#define FX "9999999999999999999999999999999999999999"
#define FA_LOWER "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1"

#define PEOPLE(bob_roles) \
	"\"people\": [" \
	"{\"fingerprint\": \"" FA "\", \"name\": \"Alice\", \"roles\": [\"reviewer\"]}," \
	"{\"fingerprint\": \"" FB "\", \"name\": \"Bob\", \"roles\": " bob_roles "}," \
	"{\"fingerprint\": \"" FC "\", \"name\": \"Carol\", \"roles\": [\"release-manager\"]}," \
	"{\"fingerprint\": \"" FD "\", \"name\": \"Dave\", \"roles\": [\"reviewer\", \"auditor\"]}," \
	"{\"fingerprint\": \"" FE "\", \"name\": \"Erin\", \"roles\": [\"auditor\"]}],"

#define POLICY(bob_roles) \
	"{\"policy_version\": 1, \"allowed_inputs\": [], \"allowed_outputs\": []," \
	" \"supported_backends\": [], \"memory_ceiling_bytes\": 1, \"max_risk_tier\": \"low\"," \
	" \"evaluation\": {\"max_age_days\": 1, \"required_suites\": []}," \
	" \"environment_permissions\": {}," \
	PEOPLE(bob_roles) \
	" \"transitions\": [" \
	/* 0 */ "{\"from\": \"candidate\", \"to\": \"evaluated\", \"roles\": [\"reviewer\"]}," \
	/* 1 */ "{\"from\": \"evaluated\", \"to\": \"approved\", \"roles\": [\"reviewer\", \"release-manager\"], \"approvals\": 2}," \
	/* 2 */ "{\"from\": \"approved\", \"to\": \"shadow\", \"roles\": [\"release-manager\"]}," \
	/* 3 */ "{\"from\": \"shadow\", \"to\": \"canary\", \"roles\": [\"release-manager\"], \"requires\": [\"publisher_signature\"]}," \
	/* 4 */ "{\"from\": \"canary\", \"to\": \"champion\", \"roles\": [\"release-manager\"], \"approvals\": 1}," \
	/* 5 */ "{\"from\": \"*\", \"to\": \"quarantined\", \"roles\": [\"reviewer\", \"release-manager\"]}," \
	/* 6 */ "{\"from\": \"champion\", \"to\": \"quarantined\", \"roles\": [\"auditor\"]}," \
	/* 7 */ "{\"from\": \"*\", \"to\": \"archived\", \"roles\": [\"release-manager\"]}," \
	/* 8 */ "{\"from\": \"approved\", \"to\": \"canary\", \"roles\": [\"release-manager\"], \"requires\": [\"rollback\"]}," \
	/* 9 */ "{\"from\": \"champion\", \"to\": \"canary\", \"roles\": [\"release-manager\"]}," \
	/* 10 */ "{\"from\": \"quarantined\", \"to\": \"approved\", \"roles\": [\"release-manager\"]}," \
	/* 11 */ "{\"from\": \"*\", \"to\": \"candidate\", \"roles\": [\"release-manager\"]}," \
	/* 12 */ "{\"from\": \"shadow\", \"to\": \"champion\", \"roles\": [\"release-manager\"], \"approvals\": 1," \
	"  \"requires\": [\"publisher_signature\", \"rollback\"]}" \
	"]}"

static const char policy_text[] = POLICY("[\"reviewer\"]");
/* The same, with Bob no longer a reviewer. */
static const char policy_text_bob_auditor[] = POLICY("[\"auditor\"]");

static pg_policy *load(const char *text)
{
	pg_policy *p = NULL;
	pg_error err;

	pg_error_clear(&err);
	ck_assert_msg(pg_policy_parse(text, strlen(text), &p, &err) == PG_OK, "%s", err.message);
	return p;
}

#define A(who, dec, tgt) { who, PG_DECISION_##dec, PG_STATE_##tgt }
#define LIST(x) x, sizeof x / sizeof x[0]

static const pg_approval ap_none[1] = { A(FA, APPROVE, RETIRED) };
static const pg_approval ap_alice[] = { A(FA, APPROVE, APPROVED) };
static const pg_approval ap_alice_twice[] = { A(FA, APPROVE, APPROVED), A(FA, APPROVE, APPROVED) };
static const pg_approval ap_alice_bob[] = { A(FA, APPROVE, APPROVED), A(FB, APPROVE, APPROVED) };
static const pg_approval ap_alice_bob_rej[] = { A(FA, APPROVE, APPROVED), A(FB, REJECT, APPROVED) };
static const pg_approval ap_dave_rejects[] = {
	A(FA, APPROVE, APPROVED), A(FB, APPROVE, APPROVED), A(FD, REJECT, APPROVED)
};
static const pg_approval ap_dave_withdraws[] = {
	A(FD, REJECT, APPROVED), A(FA, APPROVE, APPROVED), A(FB, APPROVE, APPROVED),
	A(FD, APPROVE, APPROVED)
};
static const pg_approval ap_bob_turns[] = {
	A(FB, APPROVE, APPROVED), A(FA, APPROVE, APPROVED), A(FB, REJECT, APPROVED)
};
static const pg_approval ap_wrong_target[] = {
	A(FA, APPROVE, EVALUATED), A(FB, APPROVE, SHADOW), A(FD, APPROVE, CANARY)
};
static const pg_approval ap_not_reviewers[] = {
	A(FC, APPROVE, APPROVED), A(FE, APPROVE, APPROVED), A(FX, APPROVE, APPROVED),
	A(FA, APPROVE, APPROVED)
};
static const pg_approval ap_lowercase[] = { A(FA_LOWER, APPROVE, APPROVED), A(FB, APPROVE, APPROVED) };
static const pg_approval ap_other_target_rej[] = {
	A(FA, APPROVE, APPROVED), A(FB, APPROVE, APPROVED), A(FD, REJECT, CANARY)
};
static const pg_approval ap_non_reviewer_rej[] = {
	A(FA, APPROVE, APPROVED), A(FB, APPROVE, APPROVED), A(FE, REJECT, APPROVED),
	A(FC, REJECT, APPROVED)
};
static const pg_approval ap_two_rej[] = { A(FB, REJECT, APPROVED), A(FA, REJECT, APPROVED) };
static const pg_approval ap_champion[] = { A(FA, APPROVE, CHAMPION) };
static const pg_approval ap_bob_rej_evaluated[] = { A(FB, REJECT, EVALUATED) };

#define S(x) PG_STATE_##x
#define PASS 1
#define FAIL 0

static const struct {
	const char *name;
	pg_state from, to;
	const char *signer;
	int checks_pass, tainted, publisher_signed, rollback_ok, champion_exists;
	const pg_approval *approvals;
	size_t napprovals;
	pg_code code;
	const char *message;
} cases[] = {
	/* 1. a rule must exist */
	{ "no rule", S(CANDIDATE), S(CHAMPION), FC, PASS, 0, 1, 1, 0, ap_none, 0,
	  PG_LIFECYCLE_NOT_ALLOWED, "the policy has no transition from candidate to champion" },
	{ "star to candidate, role", S(EVALUATED), S(CANDIDATE), FA, PASS, 0, 1, 1, 0, ap_none, 0,
	  PG_LIFECYCLE_ROLE, "Alice <" FA "> holds none of the roles evaluated -> candidate needs (release-manager)" },
	{ "no rule before role", S(RETIRED), S(CHAMPION), FE, FAIL, 1, 0, 0, 1, ap_none, 0,
	  PG_LIFECYCLE_NOT_ALLOWED, "the policy has no transition from retired to champion" },
	{ "same state", S(QUARANTINED), S(QUARANTINED), FA, PASS, 0, 1, 1, 0, ap_none, 0,
	  PG_LIFECYCLE_NOT_ALLOWED, "the pack is already quarantined" },
	/* 2. the signer's role */
	{ "role", S(CANDIDATE), S(EVALUATED), FC, PASS, 0, 1, 1, 0, ap_none, 0,
	  PG_LIFECYCLE_ROLE, "Carol <" FC "> holds none of the roles candidate -> evaluated needs (reviewer)" },
	{ "unknown signer", S(CANDIDATE), S(EVALUATED), FX, PASS, 0, 1, 1, 0, ap_none, 0,
	  PG_LIFECYCLE_ROLE, FX " is not one of the policy's people" },
	{ "no signer", S(CANDIDATE), S(EVALUATED), NULL, PASS, 0, 1, 1, 0, ap_none, 0,
	  PG_LIFECYCLE_ROLE, "(no signer) is not one of the policy's people" },
	{ "signer lowercase", S(CANDIDATE), S(EVALUATED), FA_LOWER, PASS, 0, 1, 1, 0, ap_none, 0,
	  PG_OK, "" },
	{ "role before approvals", S(EVALUATED), S(APPROVED), FE, PASS, 0, 1, 1, 0, ap_none, 0,
	  PG_LIFECYCLE_ROLE, "Erin <" FE "> holds none of the roles evaluated -> approved needs (reviewer, release-manager)" },
	{ "role before checks", S(EVALUATED), S(APPROVED), FE, FAIL, 1, 0, 0, 1, LIST(ap_alice),
	  PG_LIFECYCLE_ROLE, "Erin <" FE "> holds none of the roles evaluated -> approved needs (reviewer, release-manager)" },
	/* "*" rules; an exact from wins over "*" */
	{ "star rule", S(APPROVED), S(QUARANTINED), FA, PASS, 0, 0, 0, 1, ap_none, 0, PG_OK, "" },
	{ "star rule role", S(CANARY), S(QUARANTINED), FE, PASS, 0, 0, 0, 1, ap_none, 0,
	  PG_LIFECYCLE_ROLE, "Erin <" FE "> holds none of the roles canary -> quarantined needs (reviewer, release-manager)" },
	{ "exact beats star", S(CHAMPION), S(QUARANTINED), FA, PASS, 0, 0, 0, 1, ap_none, 0,
	  PG_LIFECYCLE_ROLE, "Alice <" FA "> holds none of the roles champion -> quarantined needs (auditor)" },
	{ "exact beats star ok", S(CHAMPION), S(QUARANTINED), FE, PASS, 0, 0, 0, 1, ap_none, 0,
	  PG_OK, "" },
	/* 3. forward moves need passing checks and no quarantined ancestor */
	{ "checks fail", S(CANDIDATE), S(EVALUATED), FA, FAIL, 0, 1, 1, 0, ap_none, 0,
	  PG_LIFECYCLE_NOT_ALLOWED, "the pack fails its policy checks, so it cannot move forward to evaluated" },
	{ "tainted", S(CANDIDATE), S(EVALUATED), FA, PASS, 1, 1, 1, 0, ap_none, 0,
	  PG_LIFECYCLE_NOT_ALLOWED, "the pack has a quarantined ancestor, so it cannot move forward to evaluated" },
	{ "checks before taint", S(CANDIDATE), S(EVALUATED), FA, FAIL, 1, 1, 1, 0, ap_none, 0,
	  PG_LIFECYCLE_NOT_ALLOWED, "the pack fails its policy checks, so it cannot move forward to evaluated" },
	{ "checks before sig", S(SHADOW), S(CANARY), FC, FAIL, 0, 0, 0, 1, ap_none, 0,
	  PG_LIFECYCLE_NOT_ALLOWED, "the pack fails its policy checks, so it cannot move forward to canary" },
	{ "checks before approvals", S(EVALUATED), S(APPROVED), FA, FAIL, 0, 1, 1, 0, ap_none, 0,
	  PG_LIFECYCLE_NOT_ALLOWED, "the pack fails its policy checks, so it cannot move forward to approved" },
	{ "tainted quarantine", S(CANARY), S(QUARANTINED), FA, FAIL, 1, 0, 0, 1, ap_none, 0, PG_OK, "" },
	{ "tainted archive", S(CANARY), S(ARCHIVED), FC, FAIL, 1, 0, 0, 1, ap_none, 0, PG_OK, "" },
	{ "tainted backward", S(CHAMPION), S(CANARY), FC, FAIL, 1, 0, 0, 1, ap_none, 0, PG_OK, "" },
	{ "tainted to candidate", S(QUARANTINED), S(CANDIDATE), FC, FAIL, 1, 0, 0, 1, ap_none, 0, PG_OK, "" },
	{ "tainted out of quarantine", S(QUARANTINED), S(APPROVED), FC, PASS, 1, 1, 1, 1, ap_none, 0,
	  PG_LIFECYCLE_NOT_ALLOWED, "the pack has a quarantined ancestor, so it cannot move forward to approved" },
	{ "out of quarantine", S(QUARANTINED), S(APPROVED), FC, PASS, 0, 0, 0, 1, ap_none, 0, PG_OK, "" },
	/* 4. requires: publisher_signature */
	{ "publisher signature", S(SHADOW), S(CANARY), FC, PASS, 0, 0, 1, 1, ap_none, 0,
	  PG_SIG_MISSING, "shadow -> canary requires a good publisher signature" },
	{ "publisher signature ok", S(SHADOW), S(CANARY), FC, PASS, 0, 1, 0, 1, ap_none, 0, PG_OK, "" },
	{ "sig before rollback", S(SHADOW), S(CHAMPION), FC, PASS, 0, 0, 0, 1, ap_none, 0,
	  PG_SIG_MISSING, "shadow -> champion requires a good publisher signature" },
	/* 4. requires: rollback (no exemption outside champion) */
	{ "rollback required", S(APPROVED), S(CANARY), FC, PASS, 0, 1, 0, 0, ap_none, 0,
	  PG_LIFECYCLE_ROLLBACK, "approved -> canary requires rollback.json naming a prior pack that the registry knows and that is not quarantined" },
	{ "rollback required ok", S(APPROVED), S(CANARY), FC, PASS, 0, 0, 1, 0, ap_none, 0, PG_OK, "" },
	/* 4. every move to champion needs a rollback target once a champion exists */
	{ "champion rollback", S(CANARY), S(CHAMPION), FC, PASS, 0, 0, 0, 1, LIST(ap_champion),
	  PG_LIFECYCLE_ROLLBACK, "a new champion needs rollback.json naming a prior pack that the registry knows and that is not quarantined" },
	{ "champion rollback before approvals", S(CANARY), S(CHAMPION), FC, PASS, 0, 0, 0, 1, ap_none, 0,
	  PG_LIFECYCLE_ROLLBACK, "a new champion needs rollback.json naming a prior pack that the registry knows and that is not quarantined" },
	{ "first champion", S(CANARY), S(CHAMPION), FC, PASS, 0, 0, 0, 0, LIST(ap_champion), PG_OK, "" },
	{ "champion with rollback", S(CANARY), S(CHAMPION), FC, PASS, 0, 0, 1, 1, LIST(ap_champion), PG_OK, "" },
	{ "first champion, rule requires rollback", S(SHADOW), S(CHAMPION), FC, PASS, 0, 1, 0, 0, ap_none, 0,
	  PG_LIFECYCLE_APPROVALS, "0 of 1 approval for champion" },
	{ "champion, rule requires rollback", S(SHADOW), S(CHAMPION), FC, PASS, 0, 1, 0, 1, LIST(ap_champion),
	  PG_LIFECYCLE_ROLLBACK, "a new champion needs rollback.json naming a prior pack that the registry knows and that is not quarantined" },
	/* 5. approvals */
	{ "no approvals", S(EVALUATED), S(APPROVED), FA, PASS, 0, 0, 0, 0, ap_none, 0,
	  PG_LIFECYCLE_APPROVALS, "0 of 2 approvals for approved" },
	{ "one approval", S(EVALUATED), S(APPROVED), FA, PASS, 0, 0, 0, 0, LIST(ap_alice),
	  PG_LIFECYCLE_APPROVALS, "1 of 2 approvals for approved" },
	{ "one person twice", S(EVALUATED), S(APPROVED), FA, PASS, 0, 0, 0, 0, LIST(ap_alice_twice),
	  PG_LIFECYCLE_APPROVALS, "1 of 2 approvals for approved" },
	{ "two approvals", S(EVALUATED), S(APPROVED), FC, PASS, 0, 0, 0, 0, LIST(ap_alice_bob), PG_OK, "" },
	{ "rejection", S(EVALUATED), S(APPROVED), FA, PASS, 0, 0, 0, 0, LIST(ap_alice_bob_rej),
	  PG_LIFECYCLE_APPROVALS, "1 of 2 approvals for approved; rejected by Bob <" FB ">" },
	{ "rejection blocks a met count", S(EVALUATED), S(APPROVED), FA, PASS, 0, 0, 0, 0, LIST(ap_dave_rejects),
	  PG_LIFECYCLE_APPROVALS, "2 of 2 approvals for approved; rejected by Dave <" FD ">" },
	{ "later approval withdraws", S(EVALUATED), S(APPROVED), FA, PASS, 0, 0, 0, 0, LIST(ap_dave_withdraws),
	  PG_OK, "" },
	{ "later rejection stands", S(EVALUATED), S(APPROVED), FA, PASS, 0, 0, 0, 0, LIST(ap_bob_turns),
	  PG_LIFECYCLE_APPROVALS, "1 of 2 approvals for approved; rejected by Bob <" FB ">" },
	{ "wrong target", S(EVALUATED), S(APPROVED), FA, PASS, 0, 0, 0, 0, LIST(ap_wrong_target),
	  PG_LIFECYCLE_APPROVALS, "0 of 2 approvals for approved" },
	{ "not reviewers", S(EVALUATED), S(APPROVED), FA, PASS, 0, 0, 0, 0, LIST(ap_not_reviewers),
	  PG_LIFECYCLE_APPROVALS, "1 of 2 approvals for approved" },
	{ "lowercase approver", S(EVALUATED), S(APPROVED), FA, PASS, 0, 0, 0, 0, LIST(ap_lowercase), PG_OK, "" },
	{ "rejection for another target", S(EVALUATED), S(APPROVED), FA, PASS, 0, 0, 0, 0,
	  LIST(ap_other_target_rej), PG_OK, "" },
	{ "rejection by a non-reviewer", S(EVALUATED), S(APPROVED), FA, PASS, 0, 0, 0, 0,
	  LIST(ap_non_reviewer_rej), PG_OK, "" },
	{ "two rejections", S(EVALUATED), S(APPROVED), FA, PASS, 0, 0, 0, 0, LIST(ap_two_rej),
	  PG_LIFECYCLE_APPROVALS, "0 of 2 approvals for approved; rejected by Alice <" FA ">, Bob <" FB ">" },
	{ "one required", S(CANARY), S(CHAMPION), FC, PASS, 0, 0, 1, 1, ap_none, 0,
	  PG_LIFECYCLE_APPROVALS, "0 of 1 approval for champion" },
	{ "rejection with none required", S(CANDIDATE), S(EVALUATED), FA, PASS, 0, 0, 0, 0,
	  LIST(ap_bob_rej_evaluated),
	  PG_LIFECYCLE_APPROVALS, "0 of 0 approvals for evaluated; rejected by Bob <" FB ">" },
};
#define NCASES (sizeof cases / sizeof cases[0])

static void fill(pg_lifecycle_input *in, const pg_policy *p, size_t i)
{
	memset(in, 0, sizeof *in);
	in->policy = p;
	in->from = cases[i].from;
	in->to = cases[i].to;
	in->signer = cases[i].signer;
	in->checks_pass = cases[i].checks_pass;
	in->tainted = cases[i].tainted;
	in->publisher_signed = cases[i].publisher_signed;
	in->rollback_ok = cases[i].rollback_ok;
	in->champion_exists = cases[i].champion_exists;
	in->approvals = cases[i].approvals;
	in->napprovals = cases[i].napprovals;
}

START_TEST(test_case)
{
	pg_policy *p = load(policy_text);
	pg_lifecycle_input in;
	pg_error err;
	pg_code rc;

	fill(&in, p, (size_t)_i);
	pg_error_clear(&err);
	rc = pg_lifecycle_check(&in, &err);
	ck_assert_msg(rc == cases[_i].code, "%s: %s (%s), expected %s", cases[_i].name,
		      pg_code_name(rc), err.message, pg_code_name(cases[_i].code));
	ck_assert_int_eq(err.code, rc);
	ck_assert_str_eq(err.message, cases[_i].message);
	ck_assert_int_eq(pg_lifecycle_check(&in, NULL), rc);
	pg_policy_free(p);
}
END_TEST

START_TEST(test_no_longer_reviewer)
{
	pg_policy *p = load(policy_text), *q = load(policy_text_bob_auditor);
	pg_lifecycle_input in;
	pg_error err;

	memset(&in, 0, sizeof in);
	in.policy = p;
	in.from = PG_STATE_EVALUATED;
	in.to = PG_STATE_APPROVED;
	in.signer = FC;
	in.checks_pass = 1;
	in.approvals = ap_alice_bob;
	in.napprovals = 2;
	ck_assert_int_eq(pg_lifecycle_check(&in, &err), PG_OK);
	/* Under a policy where Bob is no longer a reviewer, his approval is gone. */
	in.policy = q;
	pg_error_clear(&err);
	ck_assert_int_eq(pg_lifecycle_check(&in, &err), PG_LIFECYCLE_APPROVALS);
	ck_assert_str_eq(err.message, "1 of 2 approvals for approved");
	/* ... and so is his rejection. */
	in.approvals = ap_dave_withdraws;
	in.napprovals = 4;
	ck_assert_int_eq(pg_lifecycle_check(&in, &err), PG_OK);
	in.approvals = ap_alice_bob_rej;
	in.napprovals = 2;
	pg_error_clear(&err);
	ck_assert_int_eq(pg_lifecycle_check(&in, &err), PG_LIFECYCLE_APPROVALS);
	ck_assert_str_eq(err.message, "1 of 2 approvals for approved");
	pg_policy_free(p);
	pg_policy_free(q);
}
END_TEST

START_TEST(test_tally)
{
	static const pg_approval list[] = {
		A(FA, APPROVE, APPROVED),  /* 0: superseded by 1 */
		A(FA_LOWER, APPROVE, APPROVED), /* 1: counts */
		A(FB, REJECT, APPROVED),   /* 2: withdrawn by 3 */
		A(FB, APPROVE, APPROVED),  /* 3: counts */
		A(FC, APPROVE, APPROVED),  /* 4: not a reviewer */
		A(FD, APPROVE, CANARY),    /* 5: another target */
		A(FD, REJECT, APPROVED),   /* 6: a standing rejection */
	};
	static const unsigned char want[] = { 0, 1, 0, 1, 0, 0, 0 };
	unsigned char counted[7];
	pg_policy *p = load(policy_text);
	pg_tally t;

	memset(counted, 0xff, sizeof counted);
	pg_lifecycle_tally(p, list, 7, PG_STATE_APPROVED, &t, counted);
	ck_assert_uint_eq(t.approvals, 2);
	ck_assert_uint_eq(t.rejections, 1);
	ck_assert_int_eq(memcmp(counted, want, sizeof want), 0);

	pg_lifecycle_tally(p, list, 7, PG_STATE_CANARY, &t, counted);
	ck_assert_uint_eq(t.approvals, 1);
	ck_assert_uint_eq(t.rejections, 0);
	ck_assert_uint_eq(counted[5], 1);

	pg_lifecycle_tally(p, list, 0, PG_STATE_APPROVED, &t, NULL);
	ck_assert_uint_eq(t.approvals, 0);
	ck_assert_uint_eq(t.rejections, 0);
	pg_policy_free(p);
}
END_TEST

static const struct {
	pg_state from, to;
	int forward;
} forward_cases[] = {
	{ S(CANDIDATE), S(EVALUATED), 1 },
	{ S(CANDIDATE), S(CHAMPION), 1 },
	{ S(EVALUATED), S(APPROVED), 1 },
	{ S(APPROVED), S(SHADOW), 1 },
	{ S(SHADOW), S(CANARY), 1 },
	{ S(CANARY), S(CHAMPION), 1 },
	{ S(QUARANTINED), S(APPROVED), 1 },
	{ S(ARCHIVED), S(CHAMPION), 1 },
	{ S(RETIRED), S(EVALUATED), 1 },
	{ S(EVALUATED), S(CANDIDATE), 0 },
	{ S(CHAMPION), S(CANARY), 0 },
	{ S(CANARY), S(APPROVED), 0 },
	{ S(SHADOW), S(SHADOW), 0 },
	{ S(QUARANTINED), S(CANDIDATE), 0 },
	{ S(RETIRED), S(CANDIDATE), 0 },
	{ S(CANDIDATE), S(QUARANTINED), 0 },
	{ S(CHAMPION), S(ARCHIVED), 0 },
	{ S(APPROVED), S(RETIRED), 0 },
	{ S(ARCHIVED), S(QUARANTINED), 0 },
};
#define NFORWARD (sizeof forward_cases / sizeof forward_cases[0])

START_TEST(test_forward)
{
	ck_assert_int_eq(pg_lifecycle_forward(forward_cases[_i].from, forward_cases[_i].to),
			 forward_cases[_i].forward);
}
END_TEST

/* ------------------------------------------------------------ options */

struct want_option {
	pg_state to;
	size_t rule;
	pg_code code;
	const char *message;
};

static void check_options(const pg_lifecycle_input *in, const struct want_option *want, size_t n)
{
	pg_lifecycle_option out[PG_STATE_COUNT_];
	size_t got = pg_lifecycle_options(in, out);

	ck_assert_uint_eq(got, n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(out[i].to, want[i].to);
		ck_assert_uint_eq(out[i].rule->index, want[i].rule);
		ck_assert_int_eq(out[i].code, want[i].code);
		ck_assert_int_eq(out[i].possible, want[i].code == PG_OK);
		ck_assert_str_eq(out[i].message, want[i].message);
	}
}

START_TEST(test_options)
{
	static const struct want_option from_approved[] = {
		{ S(CANDIDATE), 11, PG_OK, "" },
		{ S(SHADOW), 2, PG_OK, "" },
		{ S(CANARY), 8, PG_LIFECYCLE_ROLLBACK,
		  "approved -> canary requires rollback.json naming a prior pack that the registry knows and that is not quarantined" },
		{ S(ARCHIVED), 7, PG_OK, "" },
		{ S(QUARANTINED), 5, PG_OK, "" },
	};
	static const struct want_option from_approved_alice_failing[] = {
		{ S(CANDIDATE), 11, PG_LIFECYCLE_ROLE,
		  "Alice <" FA "> holds none of the roles approved -> candidate needs (release-manager)" },
		{ S(SHADOW), 2, PG_LIFECYCLE_ROLE,
		  "Alice <" FA "> holds none of the roles approved -> shadow needs (release-manager)" },
		{ S(CANARY), 8, PG_LIFECYCLE_ROLE,
		  "Alice <" FA "> holds none of the roles approved -> canary needs (release-manager)" },
		{ S(ARCHIVED), 7, PG_LIFECYCLE_ROLE,
		  "Alice <" FA "> holds none of the roles approved -> archived needs (release-manager)" },
		{ S(QUARANTINED), 5, PG_OK, "" },
	};
	static const struct want_option from_shadow[] = {
		{ S(CANDIDATE), 11, PG_OK, "" },
		{ S(CANARY), 3, PG_SIG_MISSING, "shadow -> canary requires a good publisher signature" },
		{ S(CHAMPION), 12, PG_SIG_MISSING, "shadow -> champion requires a good publisher signature" },
		{ S(ARCHIVED), 7, PG_OK, "" },
		{ S(QUARANTINED), 5, PG_OK, "" },
	};
	static const struct want_option from_shadow_failing[] = {
		{ S(CANDIDATE), 11, PG_OK, "" },
		{ S(CANARY), 3, PG_LIFECYCLE_NOT_ALLOWED,
		  "the pack fails its policy checks, so it cannot move forward to canary" },
		{ S(CHAMPION), 12, PG_LIFECYCLE_NOT_ALLOWED,
		  "the pack fails its policy checks, so it cannot move forward to champion" },
		{ S(ARCHIVED), 7, PG_OK, "" },
		{ S(QUARANTINED), 5, PG_OK, "" },
	};
	static const struct want_option from_champion[] = {
		{ S(CANDIDATE), 11, PG_OK, "" },
		{ S(CANARY), 9, PG_OK, "" },
		{ S(ARCHIVED), 7, PG_OK, "" },
		{ S(QUARANTINED), 6, PG_LIFECYCLE_ROLE,
		  "Carol <" FC "> holds none of the roles champion -> quarantined needs (auditor)" },
	};
	pg_policy *p = load(policy_text);
	pg_lifecycle_input in;

	memset(&in, 0, sizeof in);
	in.policy = p;
	in.from = PG_STATE_APPROVED;
	in.to = PG_STATE_RETIRED; /* ignored */
	in.signer = FC;
	in.checks_pass = 1;
	in.champion_exists = 1;
	check_options(&in, from_approved, sizeof from_approved / sizeof from_approved[0]);

	in.signer = FA;
	in.checks_pass = 0;
	in.tainted = 1;
	check_options(&in, from_approved_alice_failing,
		      sizeof from_approved_alice_failing / sizeof from_approved_alice_failing[0]);

	in.from = PG_STATE_SHADOW;
	in.signer = FC;
	in.checks_pass = 1;
	in.tainted = 0;
	check_options(&in, from_shadow, sizeof from_shadow / sizeof from_shadow[0]);
	in.checks_pass = 0;
	check_options(&in, from_shadow_failing,
		      sizeof from_shadow_failing / sizeof from_shadow_failing[0]);

	in.from = PG_STATE_CHAMPION;
	check_options(&in, from_champion, sizeof from_champion / sizeof from_champion[0]);

	/* Nothing leaves retired but the "*" rules. */
	{
		pg_lifecycle_option out[PG_STATE_COUNT_];

		in.from = PG_STATE_RETIRED;
		ck_assert_uint_eq(pg_lifecycle_options(&in, out), 3);
		ck_assert_int_eq(out[0].to, PG_STATE_CANDIDATE);
		ck_assert_int_eq(out[1].to, PG_STATE_ARCHIVED);
		ck_assert_int_eq(out[2].to, PG_STATE_QUARANTINED);
	}
	pg_policy_free(p);
}
END_TEST

/* Every option agrees with pg_lifecycle_check for the same target. */
START_TEST(test_options_agree)
{
	pg_policy *p = load(policy_text);
	pg_lifecycle_input in;
	pg_lifecycle_option out[PG_STATE_COUNT_];
	pg_error err;
	size_t n;

	fill(&in, p, (size_t)_i);
	n = pg_lifecycle_options(&in, out);
	for (size_t k = 0; k < n; k++) {
		pg_lifecycle_input one = in;

		one.to = out[k].to;
		pg_error_clear(&err);
		ck_assert_int_eq(pg_lifecycle_check(&one, &err), out[k].code);
		ck_assert_str_eq(err.message, out[k].message);
	}
	pg_policy_free(p);
}
END_TEST

/* ------------------------------------------------------------ supersedes */

#define ID_NEW "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define ID_CHAMP "sha256:2222222222222222222222222222222222222222222222222222222222222222"
#define ID_CANARY "sha256:3333333333333333333333333333333333333333333333333333333333333333"

START_TEST(test_supersedes)
{
	pg_supersede s;

	memset(&s, 0, sizeof s);
	ck_assert_int_eq(pg_lifecycle_supersedes(PG_STATE_CHAMPION, ID_NEW, ID_CHAMP, ID_CANARY, &s), 1);
	ck_assert_str_eq(s.id, ID_CHAMP);
	ck_assert_int_eq(s.from, PG_STATE_CHAMPION);
	ck_assert_int_eq(s.to, PG_STATE_ARCHIVED);

	ck_assert_int_eq(pg_lifecycle_supersedes(PG_STATE_CANARY, ID_NEW, ID_CHAMP, ID_CANARY, &s), 1);
	ck_assert_str_eq(s.id, ID_CANARY);
	ck_assert_int_eq(s.from, PG_STATE_CANARY);
	ck_assert_int_eq(s.to, PG_STATE_APPROVED);

	/* The canary promoted to champion displaces the champion only. */
	ck_assert_int_eq(pg_lifecycle_supersedes(PG_STATE_CHAMPION, ID_CANARY, ID_CHAMP, ID_CANARY, &s), 1);
	ck_assert_str_eq(s.id, ID_CHAMP);

	memset(&s, 0, sizeof s);
	ck_assert_int_eq(pg_lifecycle_supersedes(PG_STATE_CHAMPION, ID_NEW, NULL, ID_CANARY, &s), 0);
	ck_assert_int_eq(pg_lifecycle_supersedes(PG_STATE_CANARY, ID_NEW, ID_CHAMP, NULL, &s), 0);
	ck_assert_int_eq(pg_lifecycle_supersedes(PG_STATE_CHAMPION, ID_CHAMP, ID_CHAMP, NULL, &s), 0);
	ck_assert_int_eq(pg_lifecycle_supersedes(PG_STATE_APPROVED, ID_NEW, ID_CHAMP, ID_CANARY, &s), 0);
	ck_assert_int_eq(pg_lifecycle_supersedes(PG_STATE_QUARANTINED, ID_CHAMP, ID_CHAMP, ID_CANARY, &s), 0);
	ck_assert_ptr_null(s.id);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lifecycle");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_case, 0, NCASES);
	tcase_add_test(tc, test_no_longer_reviewer);
	tcase_add_test(tc, test_tally);
	tcase_add_loop_test(tc, test_forward, 0, NFORWARD);
	tcase_add_test(tc, test_options);
	tcase_add_loop_test(tc, test_options_agree, 0, NCASES);
	tcase_add_test(tc, test_supersedes);
	suite_add_tcase(s, tc);
	return pg_check_run(s);
}
