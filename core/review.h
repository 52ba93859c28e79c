/* review.h — approving and transitioning a pack: the one path the CLI, the
 * TUI and the demo all take (CONTRACT section 6).
 *
 * It gathers the facts the lifecycle rule needs from the registry, checking
 * every signature it relies on (approvals, publisher signatures) under the
 * current policy, builds the in-toto statement, signs it through GPGME,
 * verifies the new signature as any verifier would, and records the
 * statement, its signature, the state change and the audit entry in one
 * registry transaction.
 */
#ifndef PG_REVIEW_H
#define PG_REVIEW_H

#include <time.h>
#include "pg.h"
#include "lifecycle.h"
#include "policy.h"
#include "registry.h"
#include "sig.h"
#include "statement.h"

typedef struct pg_review {
	pg_reg *reg;              /* open registry */
	const pg_policy *policy;  /* the policy statements are made under */
	pg_sig *sig;              /* GnuPG handle (passphrase prompt set on it) */
	const char *signer;       /* primary fingerprint of the signing key */
	time_t now;               /* 0: the current time */
} pg_review;

/* Everything the lifecycle rule looks at for one pack. */
typedef struct pg_review_facts {
	pg_reg_pack *pack;                        /* owned */
	pg_policy_check checks[PG_POLICY_NCHECKS];
	int checks_pass;
	int tainted;
	int publisher_signed;
	int rollback_ok;
	int champion_exists;
	char champion_id[PG_ID_LEN];              /* "" when none */
	char canary_id[PG_ID_LEN];                /* "" when none */
	pg_approval *approvals;                   /* verified ones, oldest first; owned */
	char (*approval_digests)[PG_ID_LEN];      /* "sha256:<hex>" of each; owned */
	size_t napprovals;
	size_t ignored_approvals;                 /* whose signature does not count */
	pg_lifecycle_input in;                    /* filled from the above; borrows */
} pg_review_facts;

/* The parent lookup of the policy checks (pg_parent_present_fn) over a
 * registry: ctx is a pg_reg *; 1 present, 0 absent, a negated pg_code when
 * the registry fails. */
int pg_review_parent_present(void *ctx, const char *id);

/* Gathers the facts for pack_id (a full id).  On success *out is new (free
 * with pg_review_facts_free); in->to is left as PG_STATE_CANDIDATE and
 * in->signer as rv->signer. */
pg_code pg_review_facts_get(pg_review *rv, const char *pack_id, pg_review_facts **out, pg_error *err);
void pg_review_facts_free(pg_review_facts *f);

/* Signs and records an approval (or, with PG_DECISION_REJECT, a rejection)
 * of pack_id for `target` by rv->signer, who must hold `reviewer` in the
 * policy (lifecycle.role).  out (may be NULL) receives where the statement
 * landed in the audit chain. */
pg_code pg_review_approve(pg_review *rv, const char *pack_id, pg_decision decision, pg_state target,
                          const char *comment, pg_reg_appended *out, pg_error *err);

/* Checks the lifecycle rule for pack_id -> to and, when it holds, signs and
 * records the transition (with the `supersedes` of a promotion).  Refusals
 * carry their lifecycle.* or sig.* code; a concurrent change is
 * lifecycle.conflict. */
pg_code pg_review_transition(pg_review *rv, const char *pack_id, pg_state to, const char *comment,
                             pg_reg_appended *out, pg_error *err);

/* Imports the pack at path as `packgate import` does: full verification
 * (opts: limits and file types, NULL for defaults), the publisher
 * signatures (through sig when not NULL: a policy with `publishers` needs a
 * good one, sig.missing; without sig such a policy refuses the pack too),
 * the policy checks with parents looked up in the registry (pol may be NULL:
 * none are recorded; a failing policy.permissions refuses the pack), then
 * one registry transaction.  now 0: the clock.  res as pg_reg_import. */
pg_code pg_review_import(pg_reg *reg, const pg_policy *pol, pg_sig *sig, const char *path,
                         const pg_pack_opts *opts, time_t now, pg_reg_imported *res, pg_error *err);

/* pg_review_import of a pack staged already (pg_reg_stage_fp, say): st is
 * consumed whatever the outcome. */
pg_code pg_review_import_staged(pg_reg *reg, const pg_policy *pol, pg_sig *sig, pg_reg_staged *st, time_t now,
                                pg_reg_imported *res, pg_error *err);

/* Checks audit entries' signatures the way `log`, `audit` and the TUI all
 * show them: each statement is parsed strictly and its signature verified
 * under the policy the statement names (taken from the registry; the
 * current policy when the registry lacks it), with the role the statement
 * needs (reviewer for an approval; the rule's roles for a transition).  The
 * people keys of every policy met are imported once per verifier. */
typedef struct pg_review_verifier pg_review_verifier;

/* A verifier over sig (may be NULL: every entry is then "problem", not
 * checked), reg and the current policy (may be NULL); all borrowed.
 * Returns NULL when out of memory. */
pg_review_verifier *pg_review_verifier_new(pg_sig *sig, pg_reg *reg, const pg_policy *current);
void pg_review_verifier_free(pg_review_verifier *v);

/* Verifies entry e into *res (res->code PG_OK when the signature counts;
 * res->status "good", "bad" or "problem").  *st_out (may be NULL) receives
 * the parsed statement (pg_stmt_free), or NULL when it does not parse.
 * Returns res->code. */
pg_code pg_review_verify_entry(pg_review_verifier *v, const pg_reg_entry *e, pg_sig_result *res,
                               pg_stmt **st_out);

/* What replaying a statement from elsewhere did. */
typedef enum pg_replay_result {
	PG_REPLAY_APPLIED,   /* recorded now */
	PG_REPLAY_KNOWN,     /* the registry already holds this statement */
} pg_replay_result;

/* Replays a signed statement received from a team registry (pull, sync):
 * the statement is parsed strictly, its subject must be a pack in the
 * registry (registry.not_found otherwise), its signature must count under
 * the LOCAL policy for the signer's role (sig.*), and
 *   - an approval is recorded as it is;
 *   - a transition must continue the pack's local transition history: its
 *     `prev` must be the local head (a statement already held is
 *     PG_REPLAY_KNOWN; one whose `prev` is not the head is a fork:
 *     remote.conflict), its `from` the pack's current state, and the
 *     lifecycle rule must hold under the local policy for its signer, with
 *     the approvals the registry holds (lifecycle.*).  Its `supersedes` is
 *     applied in the same transaction.
 * The statement keeps its original bytes and signature, so the audit chain
 * holds exactly what was signed; it is not queued for pushing again. */
pg_code pg_review_replay(pg_review *rv, const char *statement, size_t len, const char *signature,
                         pg_replay_result *result, pg_error *err);

#endif
