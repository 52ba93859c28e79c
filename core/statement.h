/* statement.h — approval and transition statements (CONTRACT section 6):
 * in-toto Statement v1 documents, built and parsed strictly, stored as
 * their RFC 8785 canonical bytes.
 *
 *   {"_type": "https://in-toto.io/Statement/v1",
 *    "subject": [{"name": "NAME@VERSION", "digest": {"sha256": "<hex>"}}],
 *    "predicateType": "urn:packgate:approval:v1" | "urn:packgate:transition:v1",
 *    "predicate": {...}}
 *
 * Approval predicate: decision ("approve" | "reject"), target (a state),
 * role (a person role), comment (string, may be empty), evaluation_card
 * ("sha256:" + hex of the card file), policy ("sha256:" + policy digest),
 * signer (40 uppercase hex digits), signed_at (RFC 3339 UTC).
 * Transition predicate: from, to (states, different), prev ("sha256:" +
 * hex, or null), approvals (list of "sha256:" digests, no repeats),
 * supersedes (list of {id, from, to}), policy, signer, signed_at, comment.
 *
 * Validation walks one fixed order and stops at the first defect:
 *   1. the root is an object ("statement: not a JSON object");
 *   2. no member but the four (first unknown one in document order:
 *      "foo: unknown member"), then each of _type, subject, predicateType,
 *      predicate present ("subject: missing");
 *   3. _type, then subject, then predicateType, then predicate;
 *   4. inside subject[0], subject[0].digest, predicate and supersedes[i]:
 *      unknown members first, then the members in the order listed above;
 *   5. last, the bytes are their own canonical form (parse only).
 * Every defect is mpk.schema with the field path in err->path
 * ("predicate.approvals[1]") and at the start of the message
 * ("predicate.approvals[1]: same value as predicate.approvals[0]"); a
 * defect of the root has path "" and a message starting "statement: ".
 * Defects of the JSON text itself are the mpk.json.* codes of the strict
 * JSON layer (json.h), with their offsets.
 */
#ifndef PG_STATEMENT_H
#define PG_STATEMENT_H

#include <stddef.h>
#include <time.h>
#include <cjson/cJSON.h>
#include "pg.h"
#include "lifecycle.h"
#include "schema.h"

#define PG_STMT_TYPE "https://in-toto.io/Statement/v1"
#define PG_STMT_APPROVAL_TYPE "urn:packgate:approval:v1"
#define PG_STMT_TRANSITION_TYPE "urn:packgate:transition:v1"

#define PG_STMT_DIGEST_SIZE 72 /* "sha256:" + 64 hex + NUL */

typedef enum pg_stmt_kind {
	PG_STMT_APPROVAL,
	PG_STMT_TRANSITION
} pg_stmt_kind;

/* One entry of a transition's `supersedes`. */
typedef struct pg_stmt_supersede {
	const char *id;   /* pack id, "sha256:<hex>" */
	pg_state from;
	pg_state to;
} pg_stmt_supersede;

/* A statement's fields.  To build one, fill it with your own strings
 * (zero it first; members of the other kind are ignored).  pg_stmt_parse
 * returns one whose strings and arrays belong to it (pg_stmt_free). */
typedef struct pg_stmt {
	pg_stmt_kind kind;
	/* subject */
	const char *name;            /* pack name */
	const char *version;         /* pack version */
	const char *pack_id;         /* "sha256:<hex>"; the subject digest is the hex */
	/* both kinds */
	const char *comment;         /* may be ""; NULL is refused */
	const char *policy;          /* "sha256:<hex>" */
	const char *signer;          /* 40 uppercase hex digits */
	const char *signed_at;       /* RFC 3339 UTC */
	time_t signed_at_time;       /* parse only: signed_at as seconds */
	/* approval */
	pg_decision decision;
	pg_state target;
	unsigned role;               /* exactly one PG_PERSON_* bit */
	const char *evaluation_card; /* "sha256:<hex of the card file>" */
	/* transition */
	pg_state from;
	pg_state to;
	const char *prev;            /* "sha256:<hex>", or NULL for null */
	const char *const *approvals; /* "sha256:<hex>" each */
	size_t napprovals;
	const pg_stmt_supersede *supersedes;
	size_t nsupersedes;
	/* private to parse */
	cJSON *doc_;
	void *mem_;
} pg_stmt;

/* Builds the statement st describes and returns its canonical bytes: *out
 * is a new NUL-terminated buffer (caller frees) of *outlen bytes (outlen
 * may be NULL).  The fields are held to the same rules as parsing (paths
 * as in the parsed document: "predicate.signer"), so a statement that
 * builds always parses.  Codes: mpk.schema, io.memory.  On failure *out is
 * NULL. */
pg_code pg_stmt_build(const pg_stmt *st, char **out, size_t *outlen, pg_error *err);

/* Parses a statement from buf[0..len) under the default JSON caps and
 * validates it as above, then requires the bytes to be canonical
 * (mpk.schema, "statement: not in RFC 8785 canonical form"): a statement
 * is stored, signed and hashed as its canonical bytes only.  On success
 * *out is a new statement (pg_stmt_free); on failure NULL. */
pg_code pg_stmt_parse(const char *buf, size_t len, pg_stmt **out, pg_error *err);

/* Frees a statement returned by pg_stmt_parse; NULL is fine.  Never call it
 * on a statement you filled yourself. */
void pg_stmt_free(pg_stmt *st);

/* The digest by which statements name each other (`prev`, `approvals`):
 * "sha256:" + lowercase hex SHA-256 of canon[0..len), into out. */
void pg_stmt_digest(const char *canon, size_t len, char out[PG_STMT_DIGEST_SIZE]);

/* "approval" / "transition"; NULL for another value. */
const char *pg_stmt_kind_name(pg_stmt_kind k);

/* The audit chain hash of section 6 is pg_reg_chain_hash (registry.h). */

#endif
