/* lifecycle.h — the transition rule of CONTRACT section 6 as pure
 * functions: given the policy and what the registry knows about a pack,
 * may this signer move it from one state to another, and if not, what is
 * the first thing missing.  No registry, no signatures: the caller gathers
 * the facts (the booleans below) and records the outcome.
 *
 * The steps, in the contract's order; the first that fails decides:
 *   1. a rule for from -> to exists (pg_policy_rule_find: an exact `from`
 *      wins over "*"; a move to the state the pack is in never has one)
 *                                                  lifecycle.not_allowed
 *   2. the signer holds one of the rule's roles    lifecycle.role
 *   3. when moving forward: the pack's policy checks pass, then it is not
 *      tainted by a quarantined ancestor           lifecycle.not_allowed
 *   4. the rule's requires: publisher_signature    sig.missing
 *      then rollback (the rule's, or any move to champion)
 *                                                  lifecycle.rollback
 *   5. approvals                                   lifecycle.approvals
 *
 * "Forward": `to` is one of evaluated, approved, shadow, canary, champion,
 * and `from` comes earlier in candidate -> evaluated -> approved -> shadow
 * -> canary -> champion, or is outside that ladder (archived, quarantined,
 * retired count as below candidate).  Moves to candidate, archived,
 * quarantined and retired, and moves down the ladder, are never forward.
 *
 * Rollback: a rule that requires `rollback` needs rollback_ok.  Every move
 * to champion, whatever its rule says, needs rollback_ok unless no champion
 * exists for the name (champion_exists == 0); that exemption applies to
 * champion moves only.
 *
 * Approvals: only approvals whose target is the rule's `to`; per person the
 * latest such decision (by position in the list) counts; only people who
 * hold `reviewer` in the policy now; the count of people whose latest
 * decision is approve must reach rule.approvals, and any person whose
 * latest decision is reject blocks, whatever the required count.
 */
#ifndef PG_LIFECYCLE_H
#define PG_LIFECYCLE_H

#include <stddef.h>
#include "pg.h"
#include "policy.h"
#include "schema.h"

typedef enum pg_decision {
	PG_DECISION_APPROVE,
	PG_DECISION_REJECT
} pg_decision;

/* One approval statement already verified by the caller (its signature
 * counts).  Strings are borrowed. */
typedef struct pg_approval {
	const char *signer;    /* fingerprint, 40 hex digits, either case */
	pg_decision decision;
	pg_state target;
} pg_approval;

/* The facts of one transition request; everything borrowed. */
typedef struct pg_lifecycle_input {
	const pg_policy *policy;
	pg_state from;              /* the pack's current state */
	pg_state to;                /* target (pg_lifecycle_options ignores it) */
	const char *signer;         /* fingerprint of the signing key */
	int checks_pass;            /* pg_policy_checks_pass over the pack's checks */
	int tainted;                /* an ancestor is quarantined */
	int publisher_signed;       /* a good publisher signature is present */
	int rollback_ok;            /* rollback.json names a prior pack known to
	                             * the registry and not quarantined */
	int champion_exists;        /* a pack of this name is champion now */
	const pg_approval *approvals; /* the pack's approvals, oldest first */
	size_t napprovals;
} pg_lifecycle_input;

/* True when from -> to is a forward move as defined above. */
int pg_lifecycle_forward(pg_state from, pg_state to);

/* The approvals for one target state, counted as step 5 says. */
typedef struct pg_tally {
	size_t approvals;   /* current reviewers whose latest decision is approve */
	size_t rejections;  /* current reviewers whose latest decision is reject */
} pg_tally;

/* Counts list[0..n) for `target`.  When counted is not NULL it must hold n
 * bytes; counted[i] is set to 1 for each approval that counts (the latest
 * approve of a current reviewer: the statements a transition relies on)
 * and 0 for the others. */
void pg_lifecycle_tally(const pg_policy *p, const pg_approval *list, size_t n,
                        pg_state target, pg_tally *out, unsigned char *counted);

/* Decides in->from -> in->to for in->signer.  Returns PG_OK when the move
 * is allowed, else the code of the first failing step with err's message
 * saying what is missing ("1 of 2 approvals for approved; rejected by Bob
 * <FPR>").  err may be NULL. */
pg_code pg_lifecycle_check(const pg_lifecycle_input *in, pg_error *err);

/* One entry of the transition dialog. */
typedef struct pg_lifecycle_option {
	pg_state to;
	const pg_policy_rule *rule;  /* the rule that applies; borrowed */
	int possible;                /* pg_lifecycle_check would return PG_OK */
	pg_code code;                /* PG_OK, or the first failing step's code */
	char message[1024];          /* "" when possible, else what is missing */
} pg_lifecycle_option;

/* Every target state the policy has a rule for from in->from (in->to is
 * ignored), in the order of pg_state, with whether in->signer could make
 * the move now.  Fills out[0..n) and returns n. */
size_t pg_lifecycle_options(const pg_lifecycle_input *in,
                            pg_lifecycle_option out[PG_STATE_COUNT_]);

/* What a promotion displaces (section 6: at most one champion and one
 * canary per name). */
typedef struct pg_supersede {
	const char *id;      /* the displaced pack; borrowed from the arguments */
	pg_state from;
	pg_state to;
} pg_supersede;

/* For a move of pack_id to `to`, given the name's current champion and
 * canary ids (NULL when there is none): a move to champion archives the
 * previous champion; a move to canary sends the previous canary back to
 * approved.  Returns 1 and fills *out when a pack is displaced, 0 when
 * none is (no such pack, it is pack_id itself, or another target). */
int pg_lifecycle_supersedes(pg_state to, const char *pack_id,
                            const char *champion_id, const char *canary_id,
                            pg_supersede *out);

#endif
