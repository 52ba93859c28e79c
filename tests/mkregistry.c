/* mkregistry — builds a registry for the TUI tests (tests/tui.test)
 * straight through core/registry.h, including lifecycle states and
 * approvals whose statements carry a placeholder signature (the registry
 * stores statements; it does not verify them), or, with a GnuPG home,
 * statements really signed through core/review.h at a given time (so the
 * screens that show them do not depend on the clock).
 *
 * Usage: mkregistry DB < COMMANDS, one command a line (# comments):
 *   now RFC3339                      the clock for policy checks
 *   policy FILE                      store the policy; later imports record
 *                                    its checks
 *   import PACK                      verify and import; prints "ID NAME@VERSION"
 *   approve REF FPR DECISION TARGET ROLE SIGNED_AT [COMMENT]
 *   transition REF TO FPR ROLE SIGNED_AT [COMMENT]
 *                                    (a move to champion archives the previous
 *                                    champion, to canary sends the previous
 *                                    canary back to approved)
 *   sent                             empties the outbox (statements so far
 *                                    count as pushed)
 *   gnupg DIR                        open the GnuPG home DIR for signing and
 *                                    import the policy's people keys (after
 *                                    `policy`)
 *   sign-approve REF FPR DECISION TARGET SIGNED_AT [COMMENT]
 *   sign-transition REF TO FPR SIGNED_AT [COMMENT]
 *                                    pg_review_approve / pg_review_transition
 *                                    signed by key FPR (unprotected) with the
 *                                    clock at SIGNED_AT: every lifecycle rule
 *                                    applies, as for `packgate approve`
 * Exits 0, or 1 with "mkregistry: LINE: CODE: message" on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cjson/cJSON.h>

#include "pg.h"
#include "canon.h"
#include "digest.h"
#include "lifecycle.h"
#include "policy.h"
#include "registry.h"
#include "review.h"
#include "rfc3339.h"
#include "schema.h"
#include "sig.h"

#define FAKE_SIG "-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEEtest0nly0placeholder0signature0for0tests\n" \
	"=TEST\n-----END PGP SIGNATURE-----\n"

static pg_reg *reg;
static pg_sig *sig;
static pg_policy *policy;
static char policy_digest[PG_ID_LEN];
static time_t now_t;

static int parent_present(void *ctx, const char *id)
{
	pg_state st;
	pg_error err;

	(void)ctx;
	if (pg_reg_state(reg, id, &st, &err) == PG_OK)
		return 1;
	return err.code == PG_REGISTRY_NOT_FOUND ? 0 : -(int)err.code;
}

static pg_code do_policy(const char *file, pg_error *err)
{
	pg_code rc;

	pg_policy_free(policy);
	policy = NULL;
	if ((rc = pg_policy_load(file, &policy, err)))
		return rc;
	return pg_reg_policy_put(reg, policy->canon, policy->canon_len, policy_digest, err);
}

static pg_code do_import(const char *path, pg_error *err)
{
	pg_reg_staged *st = NULL;
	pg_policy_check ck[PG_POLICY_NCHECKS];
	pg_reg_check rc_checks[PG_POLICY_NCHECKS];
	pg_reg_imported res;
	const pg_pack *p;
	size_t n = 0;
	pg_code rc;

	memset(&res, 0, sizeof res);
	if ((rc = pg_reg_stage(reg, path, NULL, &st, err)))
		return rc;
	p = pg_reg_staged_pack(st);
	if (policy) {
		rc = pg_policy_check_pack(policy, p->manifest, p->docs[PG_ROLE_CONTRACT],
		                          p->docs[PG_ROLE_PERMISSIONS], p->docs[PG_ROLE_EVALUATION_CARD],
		                          now_t, parent_present, NULL, ck, err);
		if (rc) {
			pg_reg_staged_free(st);
			return rc;
		}
		for (n = 0; n < PG_POLICY_NCHECKS; n++) {
			rc_checks[n].code = pg_code_name(ck[n].code);
			rc_checks[n].ok = ck[n].ok;
			rc_checks[n].message = ck[n].message;
		}
	}
	rc = pg_reg_import_staged(reg, st, rc_checks, n, policy ? policy_digest : NULL, &res, err);
	if (!rc)
		printf("%s %s@%s\n", res.id, res.name, res.version);
	pg_reg_imported_clear(&res);
	return rc;
}

/* The canonical statement of the subject pack id with this predicate. */
static pg_code statement(const char *id, const char *type, cJSON *pred, char **out, size_t *len,
                         pg_error *err)
{
	cJSON *st = cJSON_CreateObject(), *subj = cJSON_AddArrayToObject(st, "subject");
	cJSON *s = cJSON_CreateObject(), *dg = cJSON_AddObjectToObject(s, "digest");
	pg_reg_pack *p = NULL;
	char name[600];
	pg_code rc;

	if ((rc = pg_reg_show(reg, id, &p, err))) {
		cJSON_Delete(st);
		cJSON_Delete(s);
		cJSON_Delete(pred);
		return rc;
	}
	snprintf(name, sizeof name, "%s@%s", p->name, p->version);
	pg_reg_pack_free(p);
	cJSON_AddStringToObject(st, "_type", "https://in-toto.io/Statement/v1");
	cJSON_AddStringToObject(s, "name", name);
	cJSON_AddStringToObject(dg, "sha256", id + 7);
	cJSON_AddItemToArray(subj, s);
	cJSON_AddStringToObject(st, "predicateType", type);
	cJSON_AddItemToObject(st, "predicate", pred);
	rc = pg_canon(st, out, len, err);
	cJSON_Delete(st);
	return rc;
}

static pg_code do_approve(char **a, int n, pg_error *err)
{
	char id[PG_ID_LEN], card[PG_ID_LEN] = "";
	pg_reg_approval_in in;
	pg_reg_pack *p = NULL;
	cJSON *pred;
	char *canon = NULL;
	size_t len;
	pg_code rc;

	if (n < 6)
		return pg_err(err, PG_USAGE, "approve REF FPR DECISION TARGET ROLE SIGNED_AT [COMMENT]");
	if ((rc = pg_reg_resolve(reg, a[0], id, err)) || (rc = pg_reg_show(reg, id, &p, err)))
		return rc;
	for (size_t i = 0; i < p->nfiles; i++)
		if (!strcmp(p->files[i].role, "evaluation-card"))
			snprintf(card, sizeof card, "sha256:%s", p->files[i].sha256);
	pg_reg_pack_free(p);
	pred = cJSON_CreateObject();
	cJSON_AddStringToObject(pred, "decision", a[2]);
	cJSON_AddStringToObject(pred, "target", a[3]);
	cJSON_AddStringToObject(pred, "role", a[4]);
	cJSON_AddStringToObject(pred, "comment", n > 6 ? a[6] : "");
	cJSON_AddStringToObject(pred, "evaluation_card", card);
	cJSON_AddStringToObject(pred, "policy", policy ? policy_digest : "");
	cJSON_AddStringToObject(pred, "signer", a[1]);
	cJSON_AddStringToObject(pred, "signed_at", a[5]);
	if ((rc = statement(id, "urn:packgate:approval:v1", pred, &canon, &len, err)))
		return rc;
	memset(&in, 0, sizeof in);
	in.st.statement = canon;
	in.st.statement_len = len;
	in.st.signature = FAKE_SIG;
	in.st.signer = a[1];
	in.st.outbox = 1;
	in.pack = id;
	in.decision = a[2];
	in.target = a[3];
	in.role = a[4];
	in.signed_at = a[5];
	in.policy = policy ? policy_digest : NULL;
	rc = pg_reg_append_approval(reg, &in, NULL, err);
	free(canon);
	return rc;
}

/* The pack of this name in state st, into id; 0 when none. */
static int find_state(const char *name, pg_state st, char id[PG_ID_LEN])
{
	pg_reg_query q;
	pg_reg_rows r;
	pg_error err;
	int found = 0;

	pg_reg_query_init(&q);
	q.name = name;
	q.state = (int)st;
	if (pg_reg_list(reg, &q, &r, &err))
		return 0;
	if (r.n) {
		memcpy(id, r.v[0].id, PG_ID_LEN);
		found = 1;
	}
	pg_reg_rows_free(&r);
	return found;
}

static pg_code do_transition(char **a, int n, pg_error *err)
{
	char id[PG_ID_LEN], head[PG_SHA256_HEX], prev_id[PG_ID_LEN];
	pg_reg_transition_in in;
	pg_reg_supersede sup;
	pg_reg_pack *p = NULL;
	cJSON *pred, *sups;
	char *canon = NULL, prevbuf[80];
	size_t len;
	int has, to, nsup = 0;
	pg_state from;
	pg_code rc;

	if (n < 5)
		return pg_err(err, PG_USAGE, "transition REF TO FPR ROLE SIGNED_AT [COMMENT]");
	if ((to = pg_state_parse(a[1])) < 0)
		return pg_err(err, PG_USAGE, "unknown state %s", a[1]);
	if ((rc = pg_reg_resolve(reg, a[0], id, err)) || (rc = pg_reg_show(reg, id, &p, err)))
		return rc;
	from = p->state;
	if ((to == PG_STATE_CHAMPION && find_state(p->name, PG_STATE_CHAMPION, prev_id)) ||
	    (to == PG_STATE_CANARY && find_state(p->name, PG_STATE_CANARY, prev_id))) {
		sup.id = prev_id;
		sup.from = (pg_state)to;
		sup.to = to == PG_STATE_CHAMPION ? PG_STATE_ARCHIVED : PG_STATE_APPROVED;
		nsup = 1;
	}
	pg_reg_pack_free(p);
	if ((rc = pg_reg_transition_head(reg, id, head, &has, err)))
		return rc;
	pred = cJSON_CreateObject();
	cJSON_AddStringToObject(pred, "from", pg_state_name(from));
	cJSON_AddStringToObject(pred, "to", a[1]);
	snprintf(prevbuf, sizeof prevbuf, "sha256:%s", head);
	if (has)
		cJSON_AddStringToObject(pred, "prev", prevbuf);
	else
		cJSON_AddNullToObject(pred, "prev");
	cJSON_AddArrayToObject(pred, "approvals");
	sups = cJSON_AddArrayToObject(pred, "supersedes");
	if (nsup) {
		cJSON *s = cJSON_CreateObject();

		cJSON_AddStringToObject(s, "id", sup.id);
		cJSON_AddStringToObject(s, "from", pg_state_name(sup.from));
		cJSON_AddStringToObject(s, "to", pg_state_name(sup.to));
		cJSON_AddItemToArray(sups, s);
	}
	cJSON_AddStringToObject(pred, "role", a[3]);
	cJSON_AddStringToObject(pred, "policy", policy ? policy_digest : "");
	cJSON_AddStringToObject(pred, "signer", a[2]);
	cJSON_AddStringToObject(pred, "signed_at", a[4]);
	cJSON_AddStringToObject(pred, "comment", n > 5 ? a[5] : "");
	if ((rc = statement(id, "urn:packgate:transition:v1", pred, &canon, &len, err)))
		return rc;
	memset(&in, 0, sizeof in);
	in.st.statement = canon;
	in.st.statement_len = len;
	in.st.signature = FAKE_SIG;
	in.st.signer = a[2];
	in.st.outbox = 1;
	in.pack = id;
	in.from = from;
	in.to = (pg_state)to;
	in.expected_head = has ? head : NULL;
	in.supersedes = nsup ? &sup : NULL;
	in.nsupersedes = (size_t)nsup;
	in.signed_at = a[4];
	in.policy = policy ? policy_digest : NULL;
	rc = pg_reg_apply_transition(reg, &in, NULL, err);
	free(canon);
	return rc;
}

static pg_code do_sent(pg_error *err)
{
	int64_t *seqs = NULL;
	size_t n = 0;
	pg_code rc = pg_reg_outbox(reg, &seqs, &n, err);

	for (size_t i = 0; !rc && i < n; i++)
		rc = pg_reg_outbox_done(reg, seqs[i], err);
	free(seqs);
	return rc;
}

static pg_code do_gnupg(const char *dir, pg_error *err)
{
	pg_code rc;

	if (!policy)
		return pg_err(err, PG_USAGE, "gnupg needs a policy first");
	pg_sig_close(sig);
	sig = NULL;
	if ((rc = pg_sig_open(dir, &sig, err)))
		return rc;
	return pg_sig_import_policy(sig, policy, NULL, err);
}

/* A review session signing as fpr at the time `when`. */
static pg_code review_at(pg_review *rv, const char *fpr, const char *when, pg_error *err)
{
	memset(rv, 0, sizeof *rv);
	if (!sig || !policy)
		return pg_err(err, PG_USAGE, "sign-* needs `policy` and `gnupg` first");
	if (pg_rfc3339_parse(when, &rv->now))
		return pg_err(err, PG_USAGE, "bad time %s", when);
	rv->reg = reg;
	rv->policy = policy;
	rv->sig = sig;
	rv->signer = fpr;
	return PG_OK;
}

static pg_code do_sign_approve(char **a, int n, pg_error *err)
{
	char id[PG_ID_LEN];
	pg_review rv;
	int target;
	pg_code rc;

	if (n < 5)
		return pg_err(err, PG_USAGE, "sign-approve REF FPR DECISION TARGET SIGNED_AT [COMMENT]");
	if ((target = pg_state_parse(a[3])) < 0)
		return pg_err(err, PG_USAGE, "unknown state %s", a[3]);
	if ((rc = review_at(&rv, a[1], a[4], err)) || (rc = pg_reg_resolve(reg, a[0], id, err)))
		return rc;
	return pg_review_approve(&rv, id, strcmp(a[2], "reject") ? PG_DECISION_APPROVE : PG_DECISION_REJECT,
	                         (pg_state)target, n > 5 ? a[5] : "", NULL, err);
}

static pg_code do_sign_transition(char **a, int n, pg_error *err)
{
	char id[PG_ID_LEN];
	pg_review rv;
	int to;
	pg_code rc;

	if (n < 4)
		return pg_err(err, PG_USAGE, "sign-transition REF TO FPR SIGNED_AT [COMMENT]");
	if ((to = pg_state_parse(a[1])) < 0)
		return pg_err(err, PG_USAGE, "unknown state %s", a[1]);
	if ((rc = review_at(&rv, a[2], a[3], err)) || (rc = pg_reg_resolve(reg, a[0], id, err)))
		return rc;
	return pg_review_transition(&rv, id, (pg_state)to, n > 4 ? a[4] : "", NULL, err);
}

/* Splits a line into words; the last word of a command may be a comment
 * with spaces, so at most max words are made (the rest joined). */
static int split(char *line, char **w, int max)
{
	int n = 0;
	char *p = line;

	while (*p && n < max) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		w[n++] = p;
		if (n == max)
			break;
		p += strcspn(p, " ");
		if (*p)
			*p++ = '\0';
	}
	return n;
}

int main(int argc, char **argv)
{
	char line[4096];
	long lineno = 0;
	pg_error err;
	int status = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: mkregistry DB < COMMANDS\n");
		return 2;
	}
	now_t = time(NULL);
	pg_error_clear(&err);
	if (pg_digest_init(&err) || pg_reg_open(argv[1], &reg, &err)) {
		fprintf(stderr, "mkregistry: %s: %s\n", pg_code_name(err.code), err.message);
		return 1;
	}
	while (fgets(line, sizeof line, stdin)) {
		char *w[8];
		int n;
		pg_code rc = PG_OK;

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		n = split(line, w, !strncmp(line, "approve ", 8) ? 8 : !strncmp(line, "transition ", 11) ? 7 :
		                   !strncmp(line, "sign-approve ", 13) ? 7 :
		                   !strncmp(line, "sign-transition ", 16) ? 6 : 3);
		pg_error_clear(&err);
		if (!strcmp(w[0], "now") && n == 2) {
			if (pg_rfc3339_parse(w[1], &now_t))
				rc = pg_err(&err, PG_USAGE, "bad time %s", w[1]);
		} else if (!strcmp(w[0], "policy") && n == 2) {
			rc = do_policy(w[1], &err);
		} else if (!strcmp(w[0], "import") && n == 2) {
			rc = do_import(w[1], &err);
		} else if (!strcmp(w[0], "approve")) {
			rc = do_approve(w + 1, n - 1, &err);
		} else if (!strcmp(w[0], "transition")) {
			rc = do_transition(w + 1, n - 1, &err);
		} else if (!strcmp(w[0], "sent") && n == 1) {
			rc = do_sent(&err);
		} else if (!strcmp(w[0], "gnupg") && n == 2) {
			rc = do_gnupg(w[1], &err);
		} else if (!strcmp(w[0], "sign-approve")) {
			rc = do_sign_approve(w + 1, n - 1, &err);
		} else if (!strcmp(w[0], "sign-transition")) {
			rc = do_sign_transition(w + 1, n - 1, &err);
		} else {
			rc = pg_err(&err, PG_USAGE, "unknown command");
		}
		if (rc) {
			fprintf(stderr, "mkregistry: %ld: %s: %s\n", lineno, pg_code_name(rc), err.message);
			status = 1;
			break;
		}
	}
	pg_sig_close(sig);
	pg_reg_close(reg);
	pg_policy_free(policy);
	return status;
}
