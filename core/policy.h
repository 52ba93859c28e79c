/* policy.h — the policy file of CONTRACT section 5: parsing, schema, digest,
 * accessors, the pack checks and the granted permission set.
 *
 * A policy is one strict JSON document (json.h) that a deployment owns.
 * pg_policy_parse validates it completely before anything uses it: every
 * failure names the exact field path in err->path and at the start of the
 * message ("transitions[2].from: unknown state \"canary2\"").  Members not
 * named in doc/policy.md are refused (a misspelt "publishers" must not
 * silently drop the signature requirement).  The members and every rule are
 * in doc/policy.md; this header states the API.
 *
 * Pure core logic: no registry, no GnuPG, no display.  Everything returned
 * is display-safe (escaped as escape.h says) where noted.
 */
#ifndef PG_POLICY_H
#define PG_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cjson/cJSON.h>
#include "pg.h"
#include "schema.h"

/* ------------------------------------------------------------ people */

/* Roles a person holds (bit mask). */
#define PG_PERSON_REVIEWER        0x1u
#define PG_PERSON_RELEASE_MANAGER 0x2u
#define PG_PERSON_AUDITOR         0x4u
#define PG_PERSON_ALL             0x7u

/* "reviewer", "release-manager", "auditor" for one bit; NULL otherwise. */
const char *pg_person_role_name(unsigned bit);
/* The bit of a role name, or 0 when unknown. */
unsigned pg_person_role_parse(const char *name);
/* Writes the names of the bits of mask, in the order above, joined by
 * ", " into buf (capacity cap >= 1, always NUL-terminated, cut if short).
 * An empty mask gives "". */
void pg_person_roles_format(unsigned mask, char *buf, size_t cap);

#define PG_FPR_LEN 40
#define PG_FPR_SIZE 41 /* 40 hex digits and NUL */

/* True when s is exactly 40 hex digits (either case); then, when out is
 * not NULL, writes the uppercase form there. */
int pg_fpr_normalize(const char *s, char out[PG_FPR_SIZE]);

typedef struct pg_policy_person {
	char fingerprint[PG_FPR_SIZE]; /* uppercase hex */
	const char *name;              /* borrowed from the policy; raw, not escaped */
	unsigned roles;                /* PG_PERSON_* bits */
	const char *public_key;        /* armored key or NULL; borrowed */
} pg_policy_person;

/* ------------------------------------------------------------ rules */

#define PG_POLICY_ANY (-1)           /* rule.from for "*" */

/* Requirements of a rule (bit mask). */
#define PG_REQUIRE_ROLLBACK            0x1u
#define PG_REQUIRE_PUBLISHER_SIGNATURE 0x2u

typedef struct pg_policy_rule {
	int from;            /* a pg_state, or PG_POLICY_ANY */
	pg_state to;
	unsigned roles;      /* PG_PERSON_* bits; never 0 */
	uint64_t approvals;  /* required approvals; 0 when absent */
	unsigned requires;   /* PG_REQUIRE_* bits */
	size_t index;        /* position in the policy's transitions[] */
} pg_policy_rule;

/* ------------------------------------------------------------ the policy */

/* Limit members a policy may set (bits of pg_policy.limits_set). */
#define PG_POLICY_LIMIT_ARCHIVE_BYTES 0x01u
#define PG_POLICY_LIMIT_ENTRY_BYTES   0x02u
#define PG_POLICY_LIMIT_TOTAL_BYTES   0x04u
#define PG_POLICY_LIMIT_ENTRIES       0x08u
#define PG_POLICY_LIMIT_PATH_BYTES    0x10u
#define PG_POLICY_LIMIT_SEGMENT_BYTES 0x20u
#define PG_POLICY_LIMIT_JSON_BYTES    0x40u
#define PG_POLICY_LIMIT_JSON_DEPTH    0x80u

/* A validated policy.  Read-only for callers: use the accessors below, or
 * read the fields.  Every pointer is owned by the policy (or borrowed from
 * its `doc`) and lives until pg_policy_free. */
typedef struct pg_policy {
	cJSON *doc;                  /* the parsed document */
	char *canon;                 /* RFC 8785 bytes, NUL-terminated */
	size_t canon_len;
	char digest[72];             /* "sha256:" + hex SHA-256 of canon */
	const char *name;            /* NULL when absent */
	uint64_t memory_ceiling_bytes;
	int max_risk_tier;           /* 0..3 as pg_safety_tier_parse */
	uint64_t max_age_days;
	const cJSON *allowed_inputs;      /* string arrays in doc */
	const cJSON *allowed_outputs;
	const cJSON *supported_backends;
	const cJSON *required_suites;
	const cJSON *environment_permissions; /* permission set in doc */
	const char **file_types;     /* NULL-terminated, or NULL when absent */
	pg_limits limits;            /* values of the members that are set */
	unsigned limits_set;         /* PG_POLICY_LIMIT_* bits */
	char (*publishers)[PG_FPR_SIZE]; /* uppercase; NULL when absent */
	size_t npublishers;
	pg_policy_person *people;
	size_t npeople;
	pg_policy_rule *rules;       /* transitions[] order */
	size_t nrules;
} pg_policy;

/* Parses and validates a policy from buf[0..len) with the strict JSON
 * layer under the default caps (the policy's own `limits` apply to packs,
 * not to itself).  Codes: mpk.json.* and mpk.limit.json_bytes from the JSON
 * layer; mpk.json.number for a number where an integer in 0..2^53-1 is
 * required; mpk.version.unsupported for a policy_version other than 1;
 * mpk.schema for every other defect, with err->path set; io.memory.  On
 * success *out is a new policy the caller frees with pg_policy_free; on
 * failure *out is NULL. */
pg_code pg_policy_parse(const char *buf, size_t len, pg_policy **out, pg_error *err);

/* Reads the file at path (at most the default JSON cap; a longer file is
 * mpk.limit.json_bytes) and parses it as pg_policy_parse does.  File errors
 * are io.not_found, io.permission or io.read naming the path; a parse
 * error's message starts with "policy PATH: ". */
pg_code pg_policy_load(const char *path, pg_policy **out, pg_error *err);

/* Frees a policy; NULL is fine. */
void pg_policy_free(pg_policy *p);

/* Overwrites the members of lim that the policy's `limits` sets; leaves
 * the others as they are (start from pg_limits_default). */
void pg_policy_apply_limits(const pg_policy *p, pg_limits *lim);

/* The policy's file-type list (NULL-terminated, lowercase with the dot) for
 * pg_pack_opts.file_types, or NULL when the policy has none (the default
 * list applies).  Borrowed. */
const char *const *pg_policy_file_types(const pg_policy *p);

/* The person with this fingerprint (40 hex digits, either case), or NULL
 * when fpr is not a fingerprint or names nobody.  Borrowed. */
const pg_policy_person *pg_policy_person_find(const pg_policy *p, const char *fpr);

/* The roles (PG_PERSON_* bits) the person with this fingerprint holds;
 * 0 for someone who is not one of the people. */
unsigned pg_policy_roles_of(const pg_policy *p, const char *fpr);

/* True when fpr (either case) is one of the policy's publishers. */
int pg_policy_is_publisher(const pg_policy *p, const char *fpr);

/* The rule for from -> to: a rule whose `from` is exactly `from` wins over
 * a "*" rule.  NULL when there is none, and always when from == to (a "*"
 * rule never matches a move to the state the pack is in).  Borrowed. */
const pg_policy_rule *pg_policy_rule_find(const pg_policy *p, pg_state from, pg_state to);

/* The rules that apply from `from`: for every target state, in the order of
 * pg_state, the rule pg_policy_rule_find would pick.  Fills out[0..n) and
 * returns n (at most PG_STATE_COUNT_ - 1).  Borrowed pointers. */
size_t pg_policy_rules_from(const pg_policy *p, pg_state from,
                            const pg_policy_rule *out[PG_STATE_COUNT_]);

/* ------------------------------------------------------------ pack checks */

/* The eight checks of section 5, always in this order. */
enum {
	PG_CHECK_INPUT_CONTRACT,
	PG_CHECK_OUTPUT_CONTRACT,
	PG_CHECK_BACKEND,
	PG_CHECK_MEMORY,
	PG_CHECK_RISK_TIER,
	PG_CHECK_EVALUATION,
	PG_CHECK_PARENT_MISSING,
	PG_CHECK_PERMISSIONS,
	PG_POLICY_NCHECKS
};

typedef struct pg_policy_check {
	pg_code code;       /* policy.input_contract ... (whether ok or not) */
	int ok;             /* 1 passed (or skipped), 0 failed */
	int skipped;        /* 1 when the check could not run (no registry) */
	char message[1024]; /* display-safe, one line */
} pg_policy_check;

/* Whether a parent is in the registry: returns 1 present, 0 absent, or a
 * negated pg_code (-PG_REGISTRY_BUSY ...) when the lookup itself failed;
 * a negative value that is not a failure code (such as -1) means io.read. */
typedef int (*pg_parent_present_fn)(void *ctx, const char *id);

/* Runs the checks of section 5 on a pack whose manifest and member documents
 * (contract.json, permissions.json, evaluation-card.json) are already
 * schema-valid, at time `now`.  parent_present NULL means no registry is
 * open: policy.parent_missing is then ok and skipped.  Fills out[0..
 * PG_POLICY_NCHECKS) in the order of the enum above, whatever the outcome.
 * Evaluation age: the card's created_at may be at most max_age_days * 86400
 * seconds before now, and at most 86400 seconds after now.
 * Returns PG_OK when the checks ran (failing checks are not an error: read
 * out[i].ok); mpk.schema when a document is NULL; the lookup's code when
 * parent_present failed (out is then filled up to and excluding the parent
 * check). */
pg_code pg_policy_check_pack(const pg_policy *p, const cJSON *manifest,
                             const cJSON *contract, const cJSON *permissions,
                             const cJSON *card, time_t now,
                             pg_parent_present_fn parent_present, void *ctx,
                             pg_policy_check out[PG_POLICY_NCHECKS], pg_error *err);

/* True when every check passed or was skipped (what the lifecycle calls
 * "the pack's policy checks pass"). */
int pg_policy_checks_pass(const pg_policy_check *checks, size_t n);

/* True when the checks make `import` refuse the pack (nothing written):
 * policy.permissions failed.  Any other failing check only keeps the pack
 * a candidate (section 5). */
int pg_policy_refuses_import(const pg_policy_check *checks, size_t n);

/* The granted permission set: for each of tools, files, network and
 * data_classes, the strings of permissions.requested that are also in
 * contract.maximum_permissions and in the policy's environment_permissions
 * (exact match), in requested order, each once.  `denied` is not consulted:
 * it is shown, never used to widen or narrow.  *out is a new object with all
 * four members (empty arrays included); the caller frees it with
 * cJSON_Delete.  Codes: mpk.schema (a document NULL), io.memory. */
pg_code pg_policy_granted(const pg_policy *p, const cJSON *contract,
                          const cJSON *permissions, cJSON **out, pg_error *err);

#endif
