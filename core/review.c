/* review.c — approvals and transitions, from the facts to the audit entry. */
#include "review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "rfc3339.h"
#include "statement.h"

static time_t review_now(const pg_review *rv)
{
	return rv->now ? rv->now : time(NULL);
}

static pg_code oom(pg_error *err)
{
	return pg_err(err, PG_IO_MEMORY, _("out of memory"));
}

int pg_review_parent_present(void *ctx, const char *id)
{
	pg_state st;
	pg_error err;
	pg_code rc = pg_reg_state(ctx, id, &st, &err);

	if (rc == PG_OK)
		return 1;
	if (rc == PG_REGISTRY_NOT_FOUND)
		return 0;
	return -(int)rc;
}

/* The member document of `role` as a parsed tree, or NULL. */
static cJSON *pack_doc(const pg_reg_pack *p, const char *role)
{
	cJSON *doc = NULL;
	pg_error err;

	for (size_t i = 0; i < p->ndocs; i++)
		if (strcmp(p->docs[i].role, role) == 0 &&
		    pg_json_parse(p->docs[i].canonical, p->docs[i].len, NULL, &doc, &err) == PG_OK)
			return doc;
	return NULL;
}

/* Resolves NAME:alias into id ("" when there is none). */
static pg_code alias_of(pg_reg *reg, const char *name, const char *alias, char id[PG_ID_LEN], pg_error *err)
{
	char ref[256];
	pg_error e2;
	pg_code rc;

	id[0] = '\0';
	snprintf(ref, sizeof ref, "%s:%s", name, alias);
	rc = pg_reg_resolve(reg, ref, id, &e2);
	if (rc == PG_REGISTRY_NOT_FOUND) {
		id[0] = '\0';
		return PG_OK;
	}
	if (rc && err)
		*err = e2;
	return rc;
}

/* The fingerprint a signature file names: signatures/FPR.asc -> FPR. */
static void sig_file_fpr(const char *path, char *out, size_t cap)
{
	const char *name = strrchr(path, '/');
	size_t n;

	name = name ? name + 1 : path;
	n = strlen(name);
	if (n > 4)
		n -= 4;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, name, n);
	out[n] = '\0';
}

void pg_review_facts_free(pg_review_facts *f)
{
	if (!f)
		return;
	pg_reg_pack_free(f->pack);
	if (f->approvals)
		for (size_t i = 0; i < f->napprovals; i++)
			free((char *)f->approvals[i].signer);
	free(f->approvals);
	free(f->approval_digests);
	free(f);
}

/* Keeps the approvals whose statements parse and whose signatures count. */
static pg_code verified_approvals(pg_review *rv, pg_review_facts *f, pg_error *err)
{
	pg_reg_entries entries = { 0 };
	pg_code rc = pg_reg_log(rv->reg, f->pack->id, &entries, err);

	if (rc)
		return rc;
	f->approvals = calloc(entries.n ? entries.n : 1, sizeof *f->approvals);
	f->approval_digests = calloc(entries.n ? entries.n : 1, sizeof *f->approval_digests);
	if (!f->approvals || !f->approval_digests) {
		rc = oom(err);
		goto out;
	}
	for (size_t i = 0; i < entries.n; i++) {
		const pg_reg_entry *e = &entries.v[i];
		pg_stmt *st = NULL;
		pg_sig_result res;
		pg_error e2;

		if (strcmp(e->kind, "approval") != 0)
			continue;
		if (pg_stmt_parse(e->statement, e->statement_len, &st, &e2) != PG_OK) {
			f->ignored_approvals++;
			continue;
		}
		if (pg_sig_verify(rv->sig, e->statement, e->statement_len, e->signature, strlen(e->signature),
		                  st->signer, rv->policy, PG_PERSON_REVIEWER, &res, &e2) != PG_OK ||
		    res.code != PG_OK) {
			f->ignored_approvals++;
			pg_stmt_free(st);
			continue;
		}
		pg_approval *a = &f->approvals[f->napprovals];
		a->signer = strdup(st->signer);
		a->decision = st->decision;
		a->target = st->target;
		pg_stmt_free(st);
		if (!a->signer) {
			rc = oom(err);
			goto out;
		}
		pg_stmt_digest(e->statement, e->statement_len, f->approval_digests[f->napprovals]);
		f->napprovals++;
	}
out:
	pg_reg_entries_free(&entries);
	return rc;
}

pg_code pg_review_facts_get(pg_review *rv, const char *pack_id, pg_review_facts **out, pg_error *err)
{
	pg_review_facts *f = calloc(1, sizeof *f);
	cJSON *manifest = NULL, *contract = NULL, *perms = NULL, *card = NULL, *rollback = NULL;
	const cJSON *prior;
	pg_code rc;

	*out = NULL;
	if (!f)
		return oom(err);
	rc = pg_reg_show(rv->reg, pack_id, &f->pack, err);
	if (rc)
		goto out;
	rc = pg_json_parse(f->pack->manifest, f->pack->manifest_len, NULL, &manifest, err);
	if (rc)
		goto out;
	contract = pack_doc(f->pack, "contract");
	perms = pack_doc(f->pack, "permissions");
	card = pack_doc(f->pack, "evaluation-card");
	rollback = pack_doc(f->pack, "rollback");

	rc = pg_policy_check_pack(rv->policy, manifest, contract, perms, card, review_now(rv), pg_review_parent_present,
	                          rv->reg, f->checks, err);
	if (rc)
		goto out;
	f->checks_pass = pg_policy_checks_pass(f->checks, PG_POLICY_NCHECKS);
	f->tainted = f->pack->tainted;

	for (size_t i = 0; i < f->pack->nsigs && !f->publisher_signed; i++) {
		char fpr[128];
		pg_sig_result res;
		pg_error e2;
		const pg_reg_sig *s = &f->pack->sigs[i];

		sig_file_fpr(s->path, fpr, sizeof fpr);
		if (pg_sig_verify(rv->sig, f->pack->manifest, f->pack->manifest_len, s->armored, strlen(s->armored),
		                  fpr, rv->policy, PG_SIG_PUBLISHER, &res, &e2) == PG_OK &&
		    res.code == PG_OK)
			f->publisher_signed = 1;
	}

	cJSON_ArrayForEach(prior, pg_json_get(rollback, "compatible_prior")) {
		pg_state st;
		pg_error e2;
		const char *id = pg_json_str(prior);
		if (id && strcmp(id, f->pack->id) != 0 && pg_reg_state(rv->reg, id, &st, &e2) == PG_OK &&
		    st != PG_STATE_QUARANTINED)
			f->rollback_ok = 1;
	}
	rc = alias_of(rv->reg, f->pack->name, "champion", f->champion_id, err);
	if (!rc)
		rc = alias_of(rv->reg, f->pack->name, "canary", f->canary_id, err);
	if (rc)
		goto out;
	f->champion_exists = f->champion_id[0] != '\0';
	rc = verified_approvals(rv, f, err);
	if (rc)
		goto out;

	f->in.policy = rv->policy;
	f->in.from = f->pack->state;
	f->in.to = PG_STATE_CANDIDATE;
	f->in.signer = rv->signer;
	f->in.checks_pass = f->checks_pass;
	f->in.tainted = f->tainted;
	f->in.publisher_signed = f->publisher_signed;
	f->in.rollback_ok = f->rollback_ok;
	f->in.champion_exists = f->champion_exists;
	f->in.approvals = f->approvals;
	f->in.napprovals = f->napprovals;
out:
	cJSON_Delete(manifest);
	cJSON_Delete(contract);
	cJSON_Delete(perms);
	cJSON_Delete(card);
	cJSON_Delete(rollback);
	if (rc) {
		pg_review_facts_free(f);
		return rc;
	}
	*out = f;
	return PG_OK;
}

/* Signs canon, checks the new signature counts for `role`, and returns the
 * armored text. */
static pg_code sign_and_check(pg_review *rv, const char *canon, size_t len, unsigned role, char **armored,
                              pg_error *err)
{
	size_t alen;
	pg_sig_result res;
	pg_code rc = pg_sig_sign(rv->sig, rv->signer, canon, len, armored, &alen, err);

	if (rc)
		return rc;
	rc = pg_sig_verify(rv->sig, canon, len, *armored, alen, rv->signer, rv->policy, role, &res, err);
	if (!rc && res.code != PG_OK)
		rc = pg_err(err, res.code, "%s", res.message);
	if (rc) {
		free(*armored);
		*armored = NULL;
	}
	return rc;
}

pg_code pg_review_approve(pg_review *rv, const char *pack_id, pg_decision decision, pg_state target,
                          const char *comment, pg_reg_appended *out, pg_error *err)
{
	pg_reg_pack *p = NULL;
	const pg_policy_person *person;
	char card[PG_ID_LEN] = "", when[32], digest[PG_ID_LEN];
	char *canon = NULL, *armored = NULL;
	size_t len;
	pg_stmt st;
	pg_reg_approval_in in;
	pg_code rc;

	person = pg_policy_person_find(rv->policy, rv->signer);
	if (!person || !(person->roles & PG_PERSON_REVIEWER))
		return pg_err(err, PG_LIFECYCLE_ROLE, _("%s does not hold the reviewer role in the policy"), rv->signer);
	rc = pg_reg_show(rv->reg, pack_id, &p, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < p->nfiles; i++)
		if (strcmp(p->files[i].role, "evaluation-card") == 0)
			snprintf(card, sizeof card, "sha256:%s", p->files[i].sha256);
	rc = pg_reg_policy_put(rv->reg, rv->policy->canon, rv->policy->canon_len, digest, err);
	if (rc)
		goto out;
	pg_rfc3339_format(review_now(rv), when);

	memset(&st, 0, sizeof st);
	st.kind = PG_STMT_APPROVAL;
	st.name = p->name;
	st.version = p->version;
	st.pack_id = p->id;
	st.comment = comment ? comment : "";
	st.policy = digest;
	st.signer = person->fingerprint;
	st.signed_at = when;
	st.decision = decision;
	st.target = target;
	st.role = PG_PERSON_REVIEWER;
	st.evaluation_card = card;
	rc = pg_stmt_build(&st, &canon, &len, err);
	if (rc)
		goto out;
	rc = sign_and_check(rv, canon, len, PG_PERSON_REVIEWER, &armored, err);
	if (rc)
		goto out;

	memset(&in, 0, sizeof in);
	in.st.statement = canon;
	in.st.statement_len = len;
	in.st.signature = armored;
	in.st.signer = person->fingerprint;
	in.st.outbox = 1;
	in.pack = p->id;
	in.decision = decision == PG_DECISION_APPROVE ? "approve" : "reject";
	in.target = pg_state_name(target);
	in.role = "reviewer";
	in.signed_at = when;
	in.policy = digest;
	rc = pg_reg_append_approval(rv->reg, &in, out, err);
out:
	free(canon);
	free(armored);
	pg_reg_pack_free(p);
	return rc;
}

pg_code pg_review_transition(pg_review *rv, const char *pack_id, pg_state to, const char *comment,
                             pg_reg_appended *out, pg_error *err)
{
	pg_review_facts *f = NULL;
	const pg_policy_rule *rule;
	pg_supersede sup;
	pg_stmt_supersede ssup;
	pg_reg_supersede rsup;
	unsigned char *counted = NULL;
	const char **relied = NULL;
	size_t nrelied = 0;
	int nsup;
	char head[PG_SHA256_HEX], prev[PG_ID_LEN], digest[PG_ID_LEN], when[32];
	char *canon = NULL, *armored = NULL;
	size_t len;
	int has_head = 0;
	pg_tally tally;
	pg_stmt st;
	pg_reg_transition_in in;
	pg_code rc;

	rc = pg_review_facts_get(rv, pack_id, &f, err);
	if (rc)
		return rc;
	f->in.to = to;
	rc = pg_lifecycle_check(&f->in, err);
	if (rc)
		goto out;
	rule = pg_policy_rule_find(rv->policy, f->in.from, to);

	/* the approvals the move relies on, named by digest in the statement */
	counted = calloc(f->napprovals ? f->napprovals : 1, 1);
	relied = calloc(f->napprovals ? f->napprovals : 1, sizeof *relied);
	if (!counted || !relied) {
		rc = oom(err);
		goto out;
	}
	pg_lifecycle_tally(rv->policy, f->approvals, f->napprovals, to, &tally, counted);
	for (size_t i = 0; i < f->napprovals; i++)
		if (counted[i])
			relied[nrelied++] = f->approval_digests[i];

	nsup = pg_lifecycle_supersedes(to, f->pack->id, f->champion_id[0] ? f->champion_id : NULL,
	                               f->canary_id[0] ? f->canary_id : NULL, &sup);
	rc = pg_reg_transition_head(rv->reg, f->pack->id, head, &has_head, err);
	if (rc)
		goto out;
	if (has_head)
		snprintf(prev, sizeof prev, "sha256:%s", head);
	rc = pg_reg_policy_put(rv->reg, rv->policy->canon, rv->policy->canon_len, digest, err);
	if (rc)
		goto out;
	pg_rfc3339_format(review_now(rv), when);

	memset(&st, 0, sizeof st);
	st.kind = PG_STMT_TRANSITION;
	st.name = f->pack->name;
	st.version = f->pack->version;
	st.pack_id = f->pack->id;
	st.comment = comment ? comment : "";
	st.policy = digest;
	st.signer = pg_policy_person_find(rv->policy, rv->signer)->fingerprint;
	st.signed_at = when;
	st.from = f->in.from;
	st.to = to;
	st.prev = has_head ? prev : NULL;
	st.approvals = relied;
	st.napprovals = nrelied;
	if (nsup) {
		ssup.id = sup.id;
		ssup.from = sup.from;
		ssup.to = sup.to;
		st.supersedes = &ssup;
		st.nsupersedes = 1;
	}
	rc = pg_stmt_build(&st, &canon, &len, err);
	if (rc)
		goto out;
	rc = sign_and_check(rv, canon, len, rule ? rule->roles : PG_PERSON_ALL, &armored, err);
	if (rc)
		goto out;

	memset(&in, 0, sizeof in);
	in.st.statement = canon;
	in.st.statement_len = len;
	in.st.signature = armored;
	in.st.signer = st.signer;
	in.st.outbox = 1;
	in.pack = f->pack->id;
	in.from = f->in.from;
	in.to = to;
	in.expected_head = has_head ? head : NULL;
	if (nsup) {
		rsup.id = sup.id;
		rsup.from = sup.from;
		rsup.to = sup.to;
		in.supersedes = &rsup;
		in.nsupersedes = 1;
	}
	in.signed_at = when;
	in.policy = digest;
	rc = pg_reg_apply_transition(rv->reg, &in, out, err);
out:
	free(counted);
	free(relied);
	free(canon);
	free(armored);
	pg_review_facts_free(f);
	return rc;
}

/* True when the pack's chain already holds exactly these statement bytes. */
static pg_code already_held(pg_review *rv, const char *pack_id, const char *statement, size_t len, int *held,
                            pg_error *err)
{
	pg_reg_entries entries = { 0 };
	pg_code rc = pg_reg_log(rv->reg, pack_id, &entries, err);

	*held = 0;
	if (rc)
		return rc;
	for (size_t i = 0; i < entries.n && !*held; i++)
		if (entries.v[i].statement_len == len && memcmp(entries.v[i].statement, statement, len) == 0)
			*held = 1;
	pg_reg_entries_free(&entries);
	return PG_OK;
}

static pg_code replay_transition(pg_review *rv, const pg_stmt *st, const char *statement, size_t len,
                                 const char *signature, pg_error *err)
{
	pg_review_facts *f = NULL;
	pg_review sub = *rv;
	char head[PG_SHA256_HEX];
	int has_head = 0;
	pg_reg_supersede *sups = NULL;
	pg_reg_transition_in in;
	pg_code rc;

	rc = pg_reg_transition_head(rv->reg, st->pack_id, head, &has_head, err);
	if (rc)
		return rc;
	if ((st->prev == NULL) != (has_head == 0) ||
	    (st->prev && (strncmp(st->prev, "sha256:", 7) != 0 || strcmp(st->prev + 7, head) != 0)))
		return pg_err(err, PG_REMOTE_CONFLICT,
		              _("%s@%s: the transition %s -> %s does not continue the local history (a fork)"),
		              st->name, st->version, pg_state_name(st->from), pg_state_name(st->to));
	/* the rule is judged for the statement's signer, under the local policy */
	sub.signer = st->signer;
	rc = pg_review_facts_get(&sub, st->pack_id, &f, err);
	if (rc)
		return rc;
	if (f->in.from != st->from) {
		rc = pg_err(err, PG_REMOTE_CONFLICT, _("%s@%s is %s here, the statement moves it from %s"), st->name,
		            st->version, pg_state_name(f->in.from), pg_state_name(st->from));
		goto out;
	}
	f->in.to = st->to;
	rc = pg_lifecycle_check(&f->in, err);
	if (rc)
		goto out;
	sups = calloc(st->nsupersedes ? st->nsupersedes : 1, sizeof *sups);
	if (!sups) {
		rc = oom(err);
		goto out;
	}
	for (size_t i = 0; i < st->nsupersedes; i++) {
		sups[i].id = st->supersedes[i].id;
		sups[i].from = st->supersedes[i].from;
		sups[i].to = st->supersedes[i].to;
	}
	memset(&in, 0, sizeof in);
	in.st.statement = statement;
	in.st.statement_len = len;
	in.st.signature = signature;
	in.st.signer = st->signer;
	in.st.outbox = 0;
	in.pack = st->pack_id;
	in.from = st->from;
	in.to = st->to;
	in.expected_head = has_head ? head : NULL;
	in.supersedes = sups;
	in.nsupersedes = st->nsupersedes;
	in.signed_at = st->signed_at;
	in.policy = st->policy;
	rc = pg_reg_apply_transition(rv->reg, &in, NULL, err);
out:
	free(sups);
	pg_review_facts_free(f);
	return rc;
}

pg_code pg_review_replay(pg_review *rv, const char *statement, size_t len, const char *signature,
                         pg_replay_result *result, pg_error *err)
{
	pg_stmt *st = NULL;
	pg_sig_result res;
	pg_state state;
	unsigned role = PG_PERSON_REVIEWER;
	int held = 0;
	pg_code rc;

	rc = pg_stmt_parse(statement, len, &st, err);
	if (rc)
		return rc;
	rc = pg_reg_state(rv->reg, st->pack_id, &state, err);
	if (!rc)
		rc = already_held(rv, st->pack_id, statement, len, &held, err);
	if (rc)
		goto out;
	if (held) {
		*result = PG_REPLAY_KNOWN;
		goto out;
	}
	if (st->kind == PG_STMT_TRANSITION) {
		const pg_policy_rule *r = pg_policy_rule_find(rv->policy, st->from, st->to);
		if (!r) {
			rc = pg_err(err, PG_LIFECYCLE_NOT_ALLOWED, _("the local policy has no rule %s -> %s"),
			            pg_state_name(st->from), pg_state_name(st->to));
			goto out;
		}
		role = r->roles;
	}
	rc = pg_sig_verify(rv->sig, statement, len, signature, strlen(signature), st->signer, rv->policy, role, &res,
	                   err);
	if (!rc && res.code != PG_OK)
		rc = pg_err(err, res.code, "%s", res.message);
	if (rc)
		goto out;
	if (st->kind == PG_STMT_APPROVAL) {
		pg_reg_approval_in in;

		memset(&in, 0, sizeof in);
		in.st.statement = statement;
		in.st.statement_len = len;
		in.st.signature = signature;
		in.st.signer = st->signer;
		in.st.outbox = 0;
		in.pack = st->pack_id;
		in.decision = st->decision == PG_DECISION_APPROVE ? "approve" : "reject";
		in.target = pg_state_name(st->target);
		in.role = pg_person_role_name(st->role);
		in.signed_at = st->signed_at;
		in.policy = st->policy;
		rc = pg_reg_append_approval(rv->reg, &in, NULL, err);
	} else {
		rc = replay_transition(rv, st, statement, len, signature, err);
	}
	if (!rc)
		*result = PG_REPLAY_APPLIED;
out:
	pg_stmt_free(st);
	return rc;
}

pg_code pg_review_import(pg_reg *reg, const pg_policy *pol, pg_sig *sig, const char *path,
                         const pg_pack_opts *opts, time_t now, pg_reg_imported *res, pg_error *err)
{
	pg_reg_staged *st = NULL;
	pg_code rc = pg_reg_stage(reg, path, opts, &st, err);

	if (rc)
		return rc;
	return pg_review_import_staged(reg, pol, sig, st, now, res, err);
}

pg_code pg_review_import_staged(pg_reg *reg, const pg_policy *pol, pg_sig *sig, pg_reg_staged *st, time_t now,
                                pg_reg_imported *res, pg_error *err)
{
	pg_policy_check checks[PG_POLICY_NCHECKS];
	pg_reg_check rows[PG_POLICY_NCHECKS];
	size_t nrows = 0;
	const pg_pack *p = pg_reg_staged_pack(st);
	pg_code rc = PG_OK;

	if (sig && (p->nsigs || (pol && pol->npublishers))) {
		pg_sig_result *results = NULL;
		size_t ngood = 0;
		rc = pg_sig_verify_pack(sig, p, pol, &results, &ngood, err);
		free(results);
	} else if (pol && pol->npublishers) {
		rc = pg_err(err, PG_SIG_MISSING, _("the policy requires a publisher signature and no GnuPG home is available to check one"));
	}
	if (!rc && pol) {
		rc = pg_policy_check_pack(pol, p->manifest, p->docs[PG_ROLE_CONTRACT], p->docs[PG_ROLE_PERMISSIONS],
		                          p->docs[PG_ROLE_EVALUATION_CARD], now ? now : time(NULL), pg_review_parent_present, reg,
		                          checks, err);
		for (int i = 0; !rc && i < PG_POLICY_NCHECKS; i++) {
			rows[i].code = pg_code_name(checks[i].code);
			rows[i].ok = checks[i].ok;
			rows[i].message = checks[i].message;
		}
		nrows = PG_POLICY_NCHECKS;
	}
	if (rc) {
		pg_reg_staged_free(st);
		return rc;
	}
	return pg_reg_import_staged(reg, st, nrows ? rows : NULL, nrows, pol ? pol->digest : NULL, res, err);
}

struct pg_review_verifier {
	pg_sig *sig;
	pg_reg *reg;
	const pg_policy *current;
	char (*imported)[PG_ID_LEN]; /* policies whose people keys are imported */
	size_t nimported;
};

pg_review_verifier *pg_review_verifier_new(pg_sig *sig, pg_reg *reg, const pg_policy *current)
{
	pg_review_verifier *v = calloc(1, sizeof *v);

	if (!v)
		return NULL;
	v->sig = sig;
	v->reg = reg;
	v->current = current;
	return v;
}

void pg_review_verifier_free(pg_review_verifier *v)
{
	if (!v)
		return;
	free(v->imported);
	free(v);
}

/* Imports the people keys of a policy the first time it is met. */
static void import_once(pg_review_verifier *v, const pg_policy *p)
{
	char (*nv)[PG_ID_LEN];
	pg_error err;

	for (size_t i = 0; i < v->nimported; i++)
		if (!strcmp(v->imported[i], p->digest))
			return;
	nv = realloc(v->imported, (v->nimported + 1) * sizeof *nv);
	if (!nv)
		return;
	v->imported = nv;
	snprintf(nv[v->nimported++], PG_ID_LEN, "%s", p->digest);
	/* a key that cannot be imported then shows as sig.unknown_key */
	pg_sig_import_policy(v->sig, p, NULL, &err);
}

static pg_code verify_problem(pg_sig_result *res, const pg_error *err)
{
	res->code = err->code;
	res->status = "problem";
	snprintf(res->message, sizeof res->message, "%s", err->message);
	return res->code;
}

pg_code pg_review_verify_entry(pg_review_verifier *v, const pg_reg_entry *e, pg_sig_result *res,
                               pg_stmt **st_out)
{
	pg_stmt *st = NULL;
	pg_policy *named = NULL;
	const pg_policy *pol = v->current;
	unsigned role = PG_PERSON_REVIEWER;
	pg_error err;

	memset(res, 0, sizeof *res);
	res->status = "problem";
	pg_error_clear(&err);
	if (st_out)
		*st_out = NULL;
	if (pg_stmt_parse(e->statement, e->statement_len, &st, &err) != PG_OK)
		return verify_problem(res, &err);
	if (st->policy && v->reg && (!pol || strcmp(st->policy, pol->digest) != 0)) {
		char *canon = NULL;
		size_t len = 0;
		pg_error e2;

		if (pg_reg_policy_get(v->reg, st->policy, &canon, &len, &e2) == PG_OK &&
		    pg_policy_parse(canon, len, &named, &e2) == PG_OK)
			pol = named;
		free(canon);
	}
	if (pol && v->sig)
		import_once(v, pol);
	if (st->kind == PG_STMT_TRANSITION) {
		const pg_policy_rule *r = pol ? pg_policy_rule_find(pol, st->from, st->to) : NULL;
		role = r ? r->roles : PG_PERSON_ALL;
	}
	if (!v->sig) {
		pg_err(&err, PG_SIG_UNKNOWN_KEY, _("not verified: no GnuPG home"));
		verify_problem(res, &err);
	} else if (pg_sig_verify(v->sig, e->statement, e->statement_len, e->signature, strlen(e->signature),
	                         st->signer, pol, role, res, &err) != PG_OK && res->code == PG_OK) {
		verify_problem(res, &err);
	}
	pg_policy_free(named);
	if (st_out)
		*st_out = st;
	else
		pg_stmt_free(st);
	return res->code;
}
