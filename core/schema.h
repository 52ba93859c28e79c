/* schema.h — the pack manifest and member documents of CONTRACT section 4.
 *
 * Every failure is reported with the exact field path in err->path and at
 * the start of the message ("files[3].sha256: not 64 lowercase hex").  Paths
 * are member names joined by '.', array indexes as "[i]"; a failure of the
 * document root has err->path "" and the message starts with the document's
 * name ("manifest.json: not an object").  Unknown members are accepted and
 * left alone.  Validators walk a document in one fixed order and stop at the
 * first failure, so one bad document always gets the same error.  err may
 * be NULL everywhere; on success err is left untouched.
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

/* "weights", "evaluation-card" ...; never NULL for a valid role, NULL for
 * an out-of-range one. */
const char *pg_role_name(pg_role r);
/* Role for a name (exact, case-sensitive), or -1 (also for NULL). */
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
 * top-level file named exactly like a member document ("contract.json")
 * gets that document's role ("sub/contract.json" does not); else by the
 * last segment, first rule that matches: "tokenizer.*" tokenizer;
 * "*.safetensors", "*.gguf", "*.onnx", "*.tflite", "*.bin", "model.*"
 * weights; "*.md", "README*", "LICENSE*" doc; anything else (and NULL)
 * other.  Extensions compare ASCII case-insensitively ("X.BIN" is weights);
 * the name prefixes "tokenizer.", "model.", "README", "LICENSE" and the
 * document names are case-sensitive as written ("readme.txt" is other). */
pg_role pg_role_infer(const char *path);

/* Lifecycle states of section 6, in contract order; names "candidate" ... */
#define PG_STATES(X) X(CANDIDATE, "candidate") X(EVALUATED, "evaluated") \
	X(APPROVED, "approved") X(SHADOW, "shadow") X(CANARY, "canary") \
	X(CHAMPION, "champion") X(ARCHIVED, "archived") \
	X(QUARANTINED, "quarantined") X(RETIRED, "retired")
#define PG_STATE_ENUM_(sym, name) PG_STATE_##sym,
typedef enum pg_state { PG_STATES(PG_STATE_ENUM_) PG_STATE_COUNT_ } pg_state;
#undef PG_STATE_ENUM_
/* Name of a state; NULL for an out-of-range value. */
const char *pg_state_name(pg_state s);
/* State for an exact (case-sensitive) name; -1 when unknown or NULL. */
int pg_state_parse(const char *name);

/* Safety tiers low < medium < high < critical: 0..3, or -1 when unknown
 * (case-sensitive; NULL gives -1). */
int pg_safety_tier_parse(const char *name);

/* True when s matches the name rule of section 4
 * ([a-z0-9]+([._-][a-z0-9]+)*, at most 128 bytes, not "sha256"); false for
 * NULL. */
int pg_name_valid(const char *s);

/* Validates an operator string ("adapter-fusion+quantize") against the
 * parent count: one or more steps of import, fine-tune, distill, merge,
 * quantize, prune, adapter-train, adapter-fusion joined by '+' (no empty
 * step, steps case-sensitive, repeats allowed); import only as the first
 * step and then no parents; with merge anywhere two or more parents;
 * otherwise one or more.  Checked in that order.  Returns PG_OK or
 * mpk.schema with a message (no path set, err->path untouched). */
pg_code pg_operator_check(const char *op, size_t nparents, pg_error *err);

/* Validates a parsed manifest, in this order:
 *  1. every number anywhere (unknown members and the root included) an
 *     integer in 0..2^53-1 (mpk.json.number), in document order;
 *  2. the root an object; schema_version present and an integer
 *     (mpk.schema) equal to 1 (mpk.version.unsupported);
 *  3. no statement member _type, subject, predicateType, predicate
 *     (mpk.schema), checked in that order;
 *  4. the members, each present with its form (mpk.schema), in this order:
 *     id ("sha256:" + 64 lowercase hex), name, version (SemVer), created_at
 *     (RFC 3339), parents (ids, no repeats), operator (pg_operator_check),
 *     input_contract, output_contract (non-empty), runtime {backend
 *     (non-empty), tokenizer?, quantization?}, resource_profile {bytes,
 *     expected_p95_ms, peak_ram_bytes}, risk_profile {data_lineage,
 *     license, safety_tier}, evaluation_card (a non-empty string),
 *     lifecycle_state, files;
 *  5. files: a non-empty array; each entry in turn {path, role, size,
 *     sha256}, its path through pg_path_check (that code and message,
 *     prefixed "files[i].path: ", err->path "files[i].path"), exactly
 *     "manifest.json" refused (mpk.schema) and a path folding to it
 *     mpk.archive.duplicate_entry; then duplicates over the whole list (the
 *     first entry in list order whose pg_path_fold key an earlier entry has:
 *     mpk.archive.duplicate_entry); then a second file of a single role
 *     ("files[i].role", in list order); then the required roles, in role
 *     order ("files: no file with role contract");
 *  6. evaluation_card equal to the path of the evaluation-card file.
 * lim caps path lengths (NULL: defaults).  Does not recompute the id. */
pg_code pg_schema_manifest(const cJSON *m, const pg_limits *lim, pg_error *err);

/* Validates a member document of a document role against section 4, in
 * the member order the contract lists (the evaluation card's headline names
 * are checked right after its suites).  `manifest` is the pack's (already
 * valid) manifest, for the cross-checks: contract contracts equal the
 * manifest's, lineage parents' ids exactly the manifest's parents (same
 * order, same count), lineage operator equal; manifest NULL skips them.
 * mpk.schema on failure with the path prefixed by the role's file
 * ("lineage.json: parents[0].id: ..." in the message; err->path
 * "parents[0].id"); the root must be an object ("lineage.json: not an
 * object", err->path "").  Where the contract asks for an integer (n, count,
 * seed, bytes, peak_ram_bytes), a number that is not an integer in
 * 0..2^53-1 is mpk.json.number (a JSON rule of section 7), another type
 * mpk.schema.  Also fixed here: parents[].name and .version follow the name
 * and SemVer rules; confidence is in (0, 1], calibration confidence and
 * accuracy in 0..1, ci is [low, high] with low <= high, latencies and
 * throughput_per_s are >= 0; metric, suite, slice names, evaluation-card id
 * and licenses are non-empty.  A role without a document gives mpk.schema. */
pg_code pg_schema_member(pg_role role, const cJSON *doc, const cJSON *manifest, pg_error *err);

/* Validates a permission set (object of optional string lists tools, files,
 * network, data_classes; other members accepted) at field path `where`
 * ("environment_permissions": failures read
 * "environment_permissions.tools[0]: not a string").  v NULL is "missing".
 * mpk.schema on failure. */
/* The JSON kinds a schema asks for. */
typedef enum pg_kind {
	PG_KIND_STRING,
	PG_KIND_UINT,   /* an integer in 0..2^53-1 */
	PG_KIND_NUMBER,
	PG_KIND_BOOL,
	PG_KIND_OBJECT,
	PG_KIND_ARRAY,
	PG_KIND_ANY
} pg_kind;

/* Whether v (not NULL) is of kind k: PG_OK, else the code — mpk.schema for
 * a wrong type, mpk.json.number for a number that is not an integer in
 * range (a JSON rule of section 7) — and in *why the reason (translated,
 * static) for the caller's message, which adds the field path. */
pg_code pg_schema_kind(const cJSON *v, pg_kind k, const char **why);

pg_code pg_schema_permission_set(const cJSON *v, const char *where, pg_error *err);

#endif
