/* lifecycle.c — the transition rule of CONTRACT section 6; the steps and
 * their order are stated in lifecycle.h and doc/policy.md. */
#include "pg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lifecycle.h"

/* Rank on the promotion ladder; -1 for states outside it. */
static int ladder_rank(pg_state s)
{
	switch (s) {
	case PG_STATE_CANDIDATE: return 0;
	case PG_STATE_EVALUATED: return 1;
	case PG_STATE_APPROVED: return 2;
	case PG_STATE_SHADOW: return 3;
	case PG_STATE_CANARY: return 4;
	case PG_STATE_CHAMPION: return 5;
	default: return -1;
	}
}

int pg_lifecycle_forward(pg_state from, pg_state to)
{
	int t = ladder_rank(to);

	return t > 0 && ladder_rank(from) < t;
}

/* True when b is 40 hex digits equal to the uppercase fingerprint a,
 * ignoring case. */
static int fpr_eq(const char *a, const char *b)
{
	char up[PG_FPR_SIZE];

	return pg_fpr_normalize(b, up) && strcmp(a, up) == 0;
}

/* Index of the latest approval of person for target, or -1. */
static long latest_of(const pg_policy_person *person, const pg_approval *list,
		      size_t n, pg_state target)
{
	for (size_t i = n; i-- > 0;)
		if (list[i].target == target && fpr_eq(person->fingerprint, list[i].signer))
			return (long)i;
	return -1;
}

void pg_lifecycle_tally(const pg_policy *p, const pg_approval *list, size_t n,
			pg_state target, pg_tally *out, unsigned char *counted)
{
	out->approvals = 0;
	out->rejections = 0;
	if (counted && n)
		memset(counted, 0, n);
	if (!p)
		return;
	for (size_t k = 0; k < p->npeople; k++) {
		const pg_policy_person *person = &p->people[k];
		long i;

		if (!(person->roles & PG_PERSON_REVIEWER))
			continue;
		i = latest_of(person, list, n, target);
		if (i < 0)
			continue;
		if (list[i].decision == PG_DECISION_APPROVE) {
			out->approvals++;
			if (counted)
				counted[i] = 1;
		} else {
			out->rejections++;
		}
	}
}

/* Appends to a bounded text buffer, cutting when full. */
static void append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= cap - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, cap - *len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*len += (size_t)n;
	if (*len > cap - 1)
		*len = cap - 1;
}

static pg_code check_approvals(const pg_lifecycle_input *in, const pg_policy_rule *rule,
			       pg_error *err)
{
	const pg_policy *p = in->policy;
	pg_tally t;
	char text[900];
	size_t len = 0;
	unsigned long long need = (unsigned long long)rule->approvals;

	pg_lifecycle_tally(p, in->approvals, in->napprovals, rule->to, &t, NULL);
	if (t.approvals >= rule->approvals && t.rejections == 0)
		return PG_OK;
	text[0] = '\0';
	append(text, sizeof text, &len,
	       ngettext("%zu of %llu approval for %s", "%zu of %llu approvals for %s",
			(unsigned long)(need > 1000000 ? 1000000 : need)),
	       t.approvals, need, pg_state_name(rule->to));
	if (t.rejections) {
		size_t shown = 0;

		append(text, sizeof text, &len, "%s", _("; rejected by "));
		for (size_t k = 0; k < p->npeople; k++) {
			const pg_policy_person *person = &p->people[k];
			long i;

			if (!(person->roles & PG_PERSON_REVIEWER))
				continue;
			i = latest_of(person, in->approvals, in->napprovals, rule->to);
			if (i < 0 || in->approvals[i].decision != PG_DECISION_REJECT)
				continue;
			append(text, sizeof text, &len, "%s%s <%s>", shown++ ? ", " : "",
			       person->name, person->fingerprint);
		}
	}
	return pg_err(err, PG_LIFECYCLE_APPROVALS, "%s", text);
}

/* Steps 2 to 5 for a rule that exists. */
static pg_code check_rule(const pg_lifecycle_input *in, const pg_policy_rule *rule,
			  pg_error *err)
{
	const pg_policy *p = in->policy;
	const pg_policy_person *person = pg_policy_person_find(p, in->signer);
	const char *from = pg_state_name(in->from), *to = pg_state_name(in->to);

	/* 2. role */
	if (!person)
		return pg_err(err, PG_LIFECYCLE_ROLE, _("%s is not one of the policy's people"),
			      in->signer ? in->signer : _("(no signer)"));
	if (!(person->roles & rule->roles)) {
		char roles[64];

		pg_person_roles_format(rule->roles, roles, sizeof roles);
		return pg_err(err, PG_LIFECYCLE_ROLE,
			      _("%s <%s> holds none of the roles %s -> %s needs (%s)"),
			      person->name, person->fingerprint, from, to, roles);
	}
	/* 3. forward moves need passing checks and no quarantined ancestor */
	if (pg_lifecycle_forward(in->from, in->to)) {
		if (!in->checks_pass)
			return pg_err(err, PG_LIFECYCLE_NOT_ALLOWED,
				      _("the pack fails its policy checks, so it cannot move forward to %s"),
				      to);
		if (in->tainted)
			return pg_err(err, PG_LIFECYCLE_NOT_ALLOWED,
				      _("the pack has a quarantined ancestor, so it cannot move forward to %s"),
				      to);
	}
	/* 4. requires, then the champion rollback rule */
	if ((rule->requires & PG_REQUIRE_PUBLISHER_SIGNATURE) && !in->publisher_signed)
		return pg_err(err, PG_SIG_MISSING,
			      _("%s -> %s requires a good publisher signature"), from, to);
	if (!in->rollback_ok) {
		if (in->to == PG_STATE_CHAMPION && in->champion_exists)
			return pg_err(err, PG_LIFECYCLE_ROLLBACK,
				      _("a new champion needs rollback.json naming a prior pack that the registry knows and that is not quarantined"));
		if (in->to != PG_STATE_CHAMPION && (rule->requires & PG_REQUIRE_ROLLBACK))
			return pg_err(err, PG_LIFECYCLE_ROLLBACK,
				      _("%s -> %s requires rollback.json naming a prior pack that the registry knows and that is not quarantined"),
				      from, to);
	}
	/* 5. approvals */
	return check_approvals(in, rule, err);
}

pg_code pg_lifecycle_check(const pg_lifecycle_input *in, pg_error *err)
{
	const pg_policy_rule *rule;
	const char *from, *to;

	if (!in || !in->policy || !pg_state_name(in->from) || !pg_state_name(in->to))
		return pg_err(err, PG_LIFECYCLE_NOT_ALLOWED, _("no policy or no such state"));
	from = pg_state_name(in->from);
	to = pg_state_name(in->to);
	if (in->from == in->to)
		return pg_err(err, PG_LIFECYCLE_NOT_ALLOWED, _("the pack is already %s"), to);
	rule = pg_policy_rule_find(in->policy, in->from, in->to);
	if (!rule)
		return pg_err(err, PG_LIFECYCLE_NOT_ALLOWED,
			      _("the policy has no transition from %s to %s"), from, to);
	return check_rule(in, rule, err);
}

size_t pg_lifecycle_options(const pg_lifecycle_input *in,
			    pg_lifecycle_option out[PG_STATE_COUNT_])
{
	const pg_policy_rule *rules[PG_STATE_COUNT_];
	size_t n;

	if (!in || !in->policy)
		return 0;
	n = pg_policy_rules_from(in->policy, in->from, rules);
	for (size_t i = 0; i < n; i++) {
		pg_lifecycle_input one = *in;
		pg_error e;

		pg_error_clear(&e);
		one.to = rules[i]->to;
		out[i].to = rules[i]->to;
		out[i].rule = rules[i];
		out[i].code = check_rule(&one, rules[i], &e);
		out[i].possible = out[i].code == PG_OK;
		memcpy(out[i].message, e.message, sizeof out[i].message);
	}
	return n;
}

int pg_lifecycle_supersedes(pg_state to, const char *pack_id,
			    const char *champion_id, const char *canary_id,
			    pg_supersede *out)
{
	const char *prev = NULL;
	pg_state from, dest;

	if (to == PG_STATE_CHAMPION) {
		prev = champion_id;
		from = PG_STATE_CHAMPION;
		dest = PG_STATE_ARCHIVED;
	} else if (to == PG_STATE_CANARY) {
		prev = canary_id;
		from = PG_STATE_CANARY;
		dest = PG_STATE_APPROVED;
	} else {
		return 0;
	}
	if (!prev || (pack_id && strcmp(prev, pack_id) == 0))
		return 0;
	out->id = prev;
	out->from = from;
	out->to = dest;
	return 1;
}
