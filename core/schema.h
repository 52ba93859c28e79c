/* schema.h — the pack manifest and member documents of CONTRACT section 4.
 *
 * Every failure is reported with the exact field path in err->path and at
 * the start of the message ("files[3].sha256: not 64 lowercase hex").
 * Unknown members are accepted and left alone.
 */
#ifndef PG_SCHEMA_H
#define PG_SCHEMA_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "pg.h"

typedef enum pg_role {
	PG_ROLE_WEIGHTS,
	PG_ROLE_TOKENIZER,
	PG_ROLE_CONTRACT,
	PG_ROLE_LINEAGE,
	PG_ROLE_EVALUATION_CARD,
	PG_ROLE_RESOURCE_PROFILE,
	PG_ROLE_PERMISSIONS,
	PG_ROLE_LICENSE_NOTICE,
	PG_ROLE_ROLLBACK,
	PG_ROLE_DOC,
	PG_ROLE_CONFIG,
	PG_ROLE_OTHER,
	PG_ROLE_COUNT_
} pg_role;

/* "weights", "evaluation-card" ...; never NULL for a valid role. */
const char *pg_role_name(pg_role r);
/* Role for a name, or -1. */
int pg_role_parse(const char *name);
/* True for the roles whose file is a JSON member document with a schema
 * (contract, lineage, evaluation-card, resource-profile, permissions,
 * license-notice, rollback). */
int pg_role_is_document(pg_role r);
/* Default file name of a document role ("contract.json"), else NULL. */
const char *pg_role_document_name(pg_role r);
/* True for roles a pack must have (weights, contract, lineage,
 * evaluation-card, permissions, license-notice). */
int pg_role_required(pg_role r);
/* True for roles that may appear more than once (weights, tokenizer, doc,
 * config, other). */
int pg_role_multiple(pg_role r);

/* Role inferred from a member path by `packgate build` (section 3): a
 * top-level file named like a member document gets that document's role;
 * else by the last segment: "tokenizer.*" tokenizer; "*.safetensors",
 * "*.gguf", "*.onnx", "*.tflite", "*.bin", "model.*" weights; "*.md",
 * "README*", "LICENSE*" doc; anything else other. */
pg_role pg_role_infer(const char *path);

/* Lifecycle states of section 6, in contract order; names "candidate" ... */
#define PG_STATES(X) X(CANDIDATE, "candidate") X(EVALUATED, "evaluated") \
	X(APPROVED, "approved") X(SHADOW, "shadow") X(CANARY, "canary") \
	X(CHAMPION, "champion") X(ARCHIVED, "archived") \
	X(QUARANTINED, "quarantined") X(RETIRED, "retired")
#define PG_STATE_ENUM_(sym, name) PG_STATE_##sym,
typedef enum pg_state { PG_STATES(PG_STATE_ENUM_) PG_STATE_COUNT_ } pg_state;
#undef PG_STATE_ENUM_
const char *pg_state_name(pg_state s);
int pg_state_parse(const char *name); /* -1 when unknown */

/* Safety tiers low < medium < high < critical: 0..3, or -1 when unknown. */
int pg_safety_tier_parse(const char *name);

/* True when s matches the name rule of section 4
 * ([a-z0-9]+([._-][a-z0-9]+)*, at most 128 bytes, not "sha256"). */
int pg_name_valid(const char *s);

/* Validates an operator string ("adapter-fusion+quantize") against the
 * parent count.  Returns PG_OK or mpk.schema with a message (no path set). */
pg_code pg_operator_check(const char *op, size_t nparents, pg_error *err);

/* Validates a parsed manifest, in this order: every number an integer in
 * 0..2^53-1 anywhere in the document (mpk.json.number); schema_version
 * present and an integer (mpk.schema) equal to 1 (mpk.version.unsupported);
 * no statement members (_type, subject, predicateType, predicate); then every
 * required member and its form (mpk.schema), files[] entries (path rules of
 * path.h with their own codes; a path listed twice, also after folding:
 * mpk.archive.duplicate_entry; "manifest.json" may not be listed; role
 * counts; evaluation_card naming the evaluation-card file), the id's form.
 * lim caps path lengths (NULL: defaults).  Does not recompute the id. */
pg_code pg_schema_manifest(const cJSON *m, const pg_limits *lim, pg_error *err);

/* Validates a member document of a document role against section 4.
 * `manifest` is the pack's (already valid) manifest, for the cross-checks:
 * contract contracts equal the manifest's, lineage parents' ids exactly the
 * manifest's parents (same order), lineage operator equal.  mpk.schema on
 * failure with the path prefixed by the role's file ("lineage.json:
 * parents[0].id: ..." in the message; err->path "parents[0].id"). */
pg_code pg_schema_member(pg_role role, const cJSON *doc, const cJSON *manifest, pg_error *err);

/* Validates a permission set (object of optional string lists tools, files,
 * network, data_classes) at field path `where`.  mpk.schema on failure. */
pg_code pg_schema_permission_set(const cJSON *v, const char *where, pg_error *err);

#endif
