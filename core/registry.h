/* registry.h — the local registry: packs, lineage, checks, policies, the
 * audit chain and the event log in one SQLite database (CONTRACT sections 3,
 * 5 and 6; doc/registry.md describes the schema and the guarantees).
 *
 * A registry is a database file DB plus a directory REGDIR (the directory
 * holding DB) with:
 *   REGDIR/blobs/sha256/<hex>  member files, content-addressed, immutable;
 *   REGDIR/tmp/                private scratch directories of imports.
 * The database runs in WAL mode with synchronous=FULL, foreign keys on and a
 * busy timeout of PG_REG_BUSY_MS; every writer takes the write lock up front
 * (BEGIN IMMEDIATE) and writes one whole change in one transaction.
 *
 * Codes every function here may return besides its own: registry.busy (the
 * write lock stayed taken past the timeout), registry.corrupt (not a packgate
 * registry, a damaged file, a schema newer than this program), io.* (the
 * file system), io.memory.
 *
 * A pg_reg handle is for one thread at a time.  Open one handle per process
 * (or thread); any number of processes may share a registry.
 */
#ifndef PG_REGISTRY_H
#define PG_REGISTRY_H

#include <stddef.h>
#include <stdint.h>
#include "pg.h"
#include "digest.h"
#include "lineage.h"
#include "pack.h"
#include "schema.h"

#define PG_REG_SCHEMA_VERSION 1   /* the schema this program writes */
#define PG_REG_BUSY_MS 5000       /* how long a writer waits for the lock */
#define PG_REG_PREFIX_MIN 12      /* hex digits of the shortest id prefix */
#define PG_ID_LEN 72              /* "sha256:" + 64 hex + NUL */

typedef struct pg_reg pg_reg;

/* ------------------------------------------------------------------ open */

/* Opens the registry at path, creating it (and its missing parent
 * directories, mode 0700, and REGDIR/blobs/sha256 and REGDIR/tmp) when it
 * does not exist, and migrating an older schema in one transaction.  Stale
 * scratch directories of killed imports are removed.  A database with a
 * schema_version above PG_REG_SCHEMA_VERSION, or one that is not a packgate
 * registry (also any non-empty file without the SQLite header), is
 * registry.corrupt and is not modified.  On success *out is a
 * new handle (pg_reg_close). */
pg_code pg_reg_open(const char *path, pg_reg **out, pg_error *err);

/* False only when nothing is at path: the commands that only read use it
 * not to create a registry as a side effect, and leave anything else there
 * (a directory, a device, a file that is not a database) to pg_reg_open,
 * which refuses it by name. */
int pg_reg_exists(const char *path);

/* Closes the handle and frees everything it holds; NULL is fine. */
void pg_reg_close(pg_reg *reg);

/* REGDIR, borrowed from the handle. */
const char *pg_reg_dir(const pg_reg *reg);

/* Path of the blob holding content with this SHA-256 (64 hex): a new
 * string the caller frees, NULL when out of memory.  The file exists for
 * every file of every pack in the registry. */
char *pg_reg_blob_path(const pg_reg *reg, const char *sha256);

/* PRAGMA integrity_check and foreign_key_check: PG_OK when both are clean,
 * else registry.corrupt naming the first problem. */
pg_code pg_reg_check_integrity(pg_reg *reg, pg_error *err);

/* ---------------------------------------------------------------- import */

/* A policy check computed by the caller (core/policy.h) for a pack. */
typedef struct pg_reg_check {
	const char *code;     /* "policy.memory" */
	int ok;
	const char *message;
} pg_reg_check;

/* What an import did. */
typedef struct pg_reg_imported {
	char id[PG_ID_LEN];
	char *name;           /* owned */
	char *version;        /* owned */
	pg_state state;       /* candidate when new, else the pack's current state */
	int is_new;           /* 0: the pack was already there, nothing written */
} pg_reg_imported;

/* Frees the strings of r and zeroes it; r may be NULL. */
void pg_reg_imported_clear(pg_reg_imported *r);

/* A pack verified and unpacked into a private scratch directory, waiting to
 * be committed.  Lets the caller compute policy checks on the loaded pack
 * (with registry lookups) before anything is written. */
typedef struct pg_reg_staged pg_reg_staged;

/* Verifies the pack at pack_path fully (pg_pack_load in VERIFY mode with
 * opts; NULL: pg_pack_opts_init defaults; opts->mode and extract_dir are
 * overridden) while unpacking its members into a fresh 0700 directory
 * REGDIR/tmp/imp-XXXXXX, which it holds an exclusive flock(2) on while it
 * lives (pg_reg_open removes unlocked ones: imports that were killed).  Any loader code on failure (nothing is left behind).
 * On success *out is a new staged import (pg_reg_import_staged or
 * pg_reg_staged_free). */
pg_code pg_reg_stage(pg_reg *reg, const char *pack_path, const pg_pack_opts *opts,
                     pg_reg_staged **out, pg_error *err);

/* pg_reg_stage over the bytes fn gives (pg_pack_load_stream; a pull reads
 * a pack as it downloads).  Touches nothing of reg but its tmp directory,
 * so it may run in a thread of its own while the thread that opened reg
 * feeds the stream. */
pg_code pg_reg_stage_stream(pg_reg *reg, pg_pack_read_fn fn, void *ctx, const pg_pack_opts *opts,
                            pg_reg_staged **out, pg_error *err);

/* The loaded pack of a staged import (manifest, files, documents,
 * signatures); borrowed, valid until the staged import is consumed. */
const pg_pack *pg_reg_staged_pack(const pg_reg_staged *st);

/* Discards a staged import and its scratch directory; NULL is fine. */
void pg_reg_staged_free(pg_reg_staged *st);

/* Commits a staged import and consumes st (whatever the outcome).
 * checks[0..nchecks) are recorded in order; policy is the digest
 * ("sha256:<hex>") of the policy they were computed under, which must be in
 * the registry already (pg_reg_policy_put), or NULL.  A failed
 * `policy.permissions` check refuses the import with that code (section 5).
 * Member files move into the blob store (each fsynced; a blob already
 * present is kept) before one transaction inserts the pack, its files,
 * documents, signatures, parent edges (absent parents included), checks,
 * search text and an "import" event.  The new pack's state is candidate.
 * The same pack already present: PG_OK with is_new 0, nothing written.  A
 * different pack with the same NAME@VERSION: registry.version_taken.  res
 * (may be NULL) is filled on PG_OK; clear it with pg_reg_imported_clear. */
pg_code pg_reg_import_staged(pg_reg *reg, pg_reg_staged *st,
                             const pg_reg_check *checks, size_t nchecks, const char *policy,
                             pg_reg_imported *res, pg_error *err);

/* pg_reg_stage then pg_reg_import_staged. */
pg_code pg_reg_import(pg_reg *reg, const char *pack_path, const pg_pack_opts *opts,
                      const pg_reg_check *checks, size_t nchecks, const char *policy,
                      pg_reg_imported *res, pg_error *err);

/* ------------------------------------------------------------------- REF */

/* Resolves a REF (section 3) to a pack id written into id:
 *   sha256:<64 hex>                  that pack;
 *   [sha256:]<12..64 hex digits>     the one pack whose id starts so
 *                                    (hex digits case-insensitive);
 *   NAME@VERSION                     that pack;
 *   NAME:champion, NAME:canary       the pack of NAME in that state;
 *   NAME:latest                      the highest version of NAME by SemVer
 *                                    precedence (pg_semver_cmp), any state.
 * Codes: registry.not_found (nothing matches, or REF has none of these
 * forms; the message says which forms exist), registry.ambiguous (a prefix
 * matching several packs; the message lists up to 8 of them). */
pg_code pg_reg_resolve(pg_reg *reg, const char *ref, char id[PG_ID_LEN], pg_error *err);

/* ------------------------------------------------------------------ list */

typedef enum pg_reg_sort {
	PG_REG_SORT_NAME,        /* name, then version */
	PG_REG_SORT_VERSION,     /* SemVer precedence, then name */
	PG_REG_SORT_STATE,       /* lifecycle order (candidate first), then name, version */
	PG_REG_SORT_CREATED_AT,  /* creation time, then name, version */
	PG_REG_SORT_OPERATOR,    /* operator, then name, version */
	PG_REG_SORT_COUNT_
} pg_reg_sort;

/* "name", "version", "state", "created_at", "operator" -> the sort, else -1. */
int pg_reg_sort_parse(const char *s);

typedef struct pg_reg_query {
	int state;            /* a pg_state, or -1 for any */
	const char *name;     /* exact name, or NULL */
	const char *search;   /* free text, or NULL: every word of it must occur
	                       * (as a word prefix) in the pack's name, operator,
	                       * contracts, suite names, failed-case text or
	                       * license ids; no search syntax is interpreted */
	pg_reg_sort sort;
	int descending;
	int64_t limit;        /* < 0: no limit */
	uint64_t offset;
	unsigned states;      /* a set of states: bit (1u << s) for each pg_state s
	                       * wanted, or 0 for any; applies together with state
	                       * (bits of no state match nothing) */
	const char *unreviewed_by; /* a signer's fingerprint, or NULL: only packs
	                       * with no approval statement by that signer (no
	                       * approval or rejection, whatever its target),
	                       * compared ignoring case: "awaiting review by" */
} pg_reg_query;

/* Any state, no name, no search, sorted by name, no limit, no offset, no
 * state set, no reviewer filter. */
void pg_reg_query_init(pg_reg_query *q);

typedef struct pg_reg_row {
	char id[PG_ID_LEN];
	char *name, *version, *operator, *created_at;  /* owned */
	pg_state state;
	int tainted;
} pg_reg_row;

typedef struct pg_reg_rows {
	pg_reg_row *v;
	size_t n;
} pg_reg_rows;

/* Lists the packs matching q, in q's order.  On success *out holds the
 * rows (pg_reg_rows_free). */
pg_code pg_reg_list(pg_reg *reg, const pg_reg_query *q, pg_reg_rows *out, pg_error *err);

/* Number of packs matching q's filters (limit and offset ignored). */
pg_code pg_reg_count(pg_reg *reg, const pg_reg_query *q, uint64_t *n, pg_error *err);

void pg_reg_rows_free(pg_reg_rows *r);

/* ------------------------------------------------------------------ show */

typedef struct pg_reg_file {
	char *path;           /* owned */
	char *role;           /* owned */
	uint64_t size;
	char sha256[PG_SHA256_HEX];
} pg_reg_file;

typedef struct pg_reg_doc {
	char *role;           /* owned */
	char *path;           /* owned */
	char *canonical;      /* RFC 8785 bytes, NUL-terminated; owned */
	size_t len;
} pg_reg_doc;

typedef struct pg_reg_sig {
	char *path;           /* "signatures/FPR.asc"; owned */
	char *armored;        /* owned */
} pg_reg_sig;

typedef struct pg_reg_parent {
	char id[PG_ID_LEN];
	int present;
	char *name, *version; /* owned; NULL when not present */
	int state;            /* pg_state, or -1 when not present */
} pg_reg_parent;

typedef struct pg_reg_check_row {
	char *code;           /* owned */
	int ok;
	char *message;        /* owned */
} pg_reg_check_row;

typedef struct pg_reg_approval_row {
	int64_t seq;          /* its audit chain entry */
	char *decision;       /* "approve" | "reject"; owned */
	char *target;         /* owned */
	char *role;           /* owned */
	char *signer;         /* fingerprint; owned */
	char *signed_at;      /* owned */
	char *policy;         /* owned; may be NULL */
	char statement_sha256[PG_SHA256_HEX]; /* of the canonical statement */
} pg_reg_approval_row;

typedef struct pg_reg_pack {
	char id[PG_ID_LEN];
	char *name, *version, *created_at, *operator, *imported_at;  /* owned */
	pg_state state;
	int tainted;
	char *manifest;       /* canonical manifest bytes, NUL-terminated; owned */
	size_t manifest_len;
	char *policy;         /* digest the checks ran under, or NULL; owned */
	pg_reg_file *files;   /* manifest order */
	size_t nfiles;
	pg_reg_doc *docs;     /* one per member document, manifest order */
	size_t ndocs;
	pg_reg_sig *sigs;
	size_t nsigs;
	pg_reg_parent *parents;  /* manifest order */
	size_t nparents;
	pg_reg_check_row *checks;  /* as recorded at import */
	size_t nchecks;
	pg_reg_approval_row *approvals;  /* chain order */
	size_t napprovals;
} pg_reg_pack;

/* One member document of a pack, without the rest of pg_reg_show (a list
 * row needs its evaluation card, not the whole pack): the document of `role`
 * ("evaluation-card", "license-notice" ...; the first in manifest order) of
 * the pack `id`, its role, path and canonical bytes (NUL-terminated, len
 * bytes) copied into *out.  A pack without a document of that role gives
 * PG_OK with out zeroed (canonical NULL).  Codes: registry.not_found (no
 * such pack).  On PG_OK the caller frees the strings with pg_reg_doc_clear;
 * on failure out is zeroed. */
pg_code pg_reg_doc_get(pg_reg *reg, const char *id, const char *role, pg_reg_doc *out,
                       pg_error *err);

/* Frees the strings of a document filled by pg_reg_doc_get and zeroes it;
 * NULL is fine. */
void pg_reg_doc_clear(pg_reg_doc *d);

/* Everything about the pack with this id.  Codes: registry.not_found.  On
 * success *out is new (pg_reg_pack_free). */
pg_code pg_reg_show(pg_reg *reg, const char *id, pg_reg_pack **out, pg_error *err);
void pg_reg_pack_free(pg_reg_pack *p);

/* The approvals of a pack, chain order.  *rows is new (free with
 * pg_reg_approvals_free(*rows, *n)); an unknown pack gives none. */
pg_code pg_reg_approvals(pg_reg *reg, const char *id, pg_reg_approval_row **rows, size_t *n,
                         pg_error *err);
void pg_reg_approvals_free(pg_reg_approval_row *rows, size_t n);

/* Current state of a pack.  Codes: registry.not_found. */
pg_code pg_reg_state(pg_reg *reg, const char *id, pg_state *state, pg_error *err);

/* Whether some ancestor of the pack (transitively) is quarantined.
 * Codes: registry.not_found. */
pg_code pg_reg_tainted(pg_reg *reg, const char *id, int *tainted, pg_error *err);

/* --------------------------------------------------------------- lineage */

/* The ancestors (or descendants) of the pack `id` up to `depth` edges away
 * (depth < 0: unlimited), as a graph: the root first, then the other nodes
 * in breadth-first order; edges between returned nodes, each node's in its
 * drawing order (ancestors: the child's parent order; descendants: the
 * children by name, version, id).  Parents absent from the registry are
 * nodes with present 0.  Every node's `tainted` is computed now from the
 * full ancestry, whatever depth.  Codes: registry.not_found.  On success
 * *out is filled (pg_lin_graph_free). */
pg_code pg_reg_lineage(pg_reg *reg, const char *id, pg_lin_dir dir, int depth,
                       pg_lin_graph *out, pg_error *err);

/* ---------------------------------------------------------------- policy */

/* Stores a policy by its digest ("sha256:" + hex SHA-256 of canon, written
 * into digest when not NULL); storing it again is a no-op.  canon must be the
 * canonical bytes (the caller canonicalises). */
pg_code pg_reg_policy_put(pg_reg *reg, const char *canon, size_t len, char digest[PG_ID_LEN],
                          pg_error *err);

/* The canonical bytes of a stored policy: *canon is new and NUL-terminated.
 * Codes: registry.not_found. */
pg_code pg_reg_policy_get(pg_reg *reg, const char *digest, char **canon, size_t *len,
                          pg_error *err);

/* ----------------------------------------------------------- audit chain */

#define PG_REG_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* A signed statement to append to the audit chain. */
typedef struct pg_reg_stmt {
	const char *statement;   /* canonical bytes (RFC 8785), UTF-8 */
	size_t statement_len;
	const char *signature;   /* ASCII-armored detached signature */
	const char *signer;      /* primary key fingerprint */
	int outbox;              /* 1: queue it for `push` (a local statement) */
} pg_reg_stmt;

typedef struct pg_reg_approval_in {
	pg_reg_stmt st;
	const char *pack;        /* pack id */
	const char *decision;    /* "approve" | "reject" */
	const char *target;      /* a state name */
	const char *role;
	const char *signed_at;
	const char *policy;      /* "sha256:<hex>" or NULL */
} pg_reg_approval_in;

/* A state change a transition makes to another pack (`supersedes`). */
typedef struct pg_reg_supersede {
	const char *id;
	pg_state from, to;
} pg_reg_supersede;

typedef struct pg_reg_transition_in {
	pg_reg_stmt st;
	const char *pack;        /* pack id */
	pg_state from, to;       /* from: the state the caller saw */
	const char *expected_head; /* the head the caller saw (pg_reg_transition_head),
	                            * NULL when the pack had no transition */
	const pg_reg_supersede *supersedes;
	size_t nsupersedes;
	const char *signed_at;
	const char *policy;      /* "sha256:<hex>" or NULL */
} pg_reg_transition_in;

/* Where an appended statement landed. */
typedef struct pg_reg_appended {
	int64_t seq;
	char hash[PG_SHA256_HEX];
	char prev_hash[PG_SHA256_HEX];
	char statement_sha256[PG_SHA256_HEX];
} pg_reg_appended;

/* The chain hash of section 6: hex SHA-256 of prev_hash "\n" statement "\n"
 * signature (prev_hash and signature NUL-terminated), into out.  Codes:
 * io.memory (libgcrypt cannot start). */
pg_code pg_reg_chain_hash(const char *prev_hash, const char *statement, size_t statement_len,
                          const char *signature, char out[PG_SHA256_HEX], pg_error *err);

/* Appends an approval statement to the chain and its row to the approvals
 * (and the outbox when st.outbox) in one transaction.  Codes:
 * registry.not_found (no such pack).  out may be NULL. */
pg_code pg_reg_append_approval(pg_reg *reg, const pg_reg_approval_in *a, pg_reg_appended *out,
                               pg_error *err);

/* The head of a pack's own transition history: the hex SHA-256 of the
 * canonical bytes of the last transition statement whose subject is the
 * pack (what the next statement's `prev` names), written into head with
 * *has = 1, or *has = 0 when it has none.  A state change the pack received
 * through another pack's `supersedes` does not move its head. */
pg_code pg_reg_transition_head(pg_reg *reg, const char *id, char head[PG_SHA256_HEX], int *has,
                               pg_error *err);

/* Applies a transition in one transaction: the chain entry, a transitions
 * row for the pack and one per superseded pack, every state change, the
 * outbox entry when st.outbox.  Optimistic concurrency: the pack's state
 * must still be t->from and its head still t->expected_head, and each
 * superseded pack must still be in its `from` state; afterwards at most one
 * champion and one canary may exist per name.  Any of these failing is
 * lifecycle.conflict and nothing is written.  Codes also:
 * registry.not_found (the pack or a superseded pack).  out may be NULL. */
pg_code pg_reg_apply_transition(pg_reg *reg, const pg_reg_transition_in *t, pg_reg_appended *out,
                                pg_error *err);

typedef struct pg_reg_entry {
	int64_t seq;
	char kind[16];           /* "approval" | "transition" */
	char pack[PG_ID_LEN];
	char *statement;         /* owned, NUL-terminated */
	size_t statement_len;
	char *signature;         /* owned */
	char *signer;            /* owned */
	char *recorded_at;       /* owned */
	char hash[PG_SHA256_HEX];
	char prev_hash[PG_SHA256_HEX];
} pg_reg_entry;

typedef struct pg_reg_entries {
	pg_reg_entry *v;
	size_t n;
} pg_reg_entries;

/* The chain entries in seq order, all of them or (pack not NULL) those
 * whose subject is that pack.  *out is filled (pg_reg_entries_free). */
pg_code pg_reg_log(pg_reg *reg, const char *pack, pg_reg_entries *out, pg_error *err);
void pg_reg_entries_free(pg_reg_entries *e);

/* Recomputes the whole chain: seqs 1..n without gaps, each prev_hash equal
 * to the previous hash (the zero hash first), each hash recomputed, the
 * head recorded at the last append equal to the last entry, every approval
 * and transition row pointing at an entry of its kind.  *count (may be
 * NULL) receives the number of entries.  On a break: registry.chain_broken,
 * *bad_seq (may be NULL) the seq of the first bad entry (for a removed
 * entry, the missing seq), the message saying what is wrong. */
pg_code pg_reg_chain_verify(pg_reg *reg, int64_t *count, int64_t *bad_seq, pg_error *err);

/* ---------------------------------------------------------------- outbox */

/* Seqs of the statements waiting to be pushed, ascending.  *seqs is new
 * (free()), NULL when *n is 0. */
pg_code pg_reg_outbox(pg_reg *reg, int64_t **seqs, size_t *n, pg_error *err);

/* Removes a statement from the outbox (it was pushed); absent is fine. */
pg_code pg_reg_outbox_done(pg_reg *reg, int64_t seq, pg_error *err);

/* ---------------------------------------------------------------- events */

typedef struct pg_reg_event {
	int64_t seq;
	char *at;                /* RFC 3339 UTC; owned */
	char *kind;              /* "import" ...; owned */
	char pack[PG_ID_LEN];    /* "" when none */
	char *detail;            /* canonical JSON object; owned */
} pg_reg_event;

typedef struct pg_reg_events {
	pg_reg_event *v;
	size_t n;
} pg_reg_events;

/* Appends an unsigned event (outside the audit chain).  kind is a short
 * word; pack may be NULL; detail a JSON object text (NULL: "{}"), stored as
 * given. */
pg_code pg_reg_event_add(pg_reg *reg, const char *kind, const char *pack, const char *detail,
                         pg_error *err);

/* Events in order, all or those of one pack.  *out is filled
 * (pg_reg_events_free). */
pg_code pg_reg_events_read(pg_reg *reg, const char *pack, pg_reg_events *out, pg_error *err);
void pg_reg_events_free(pg_reg_events *e);

/* ----------------------------------------------------------------- tests */

/* The sort key of a version: memcmp order of keys is SemVer precedence
 * (pg_semver_cmp) for valid versions; build metadata is ignored, so versions
 * of equal precedence share a key.  New string (caller frees), NULL when
 * out of memory. */
char *pg_reg_version_key(const char *version);

#endif
