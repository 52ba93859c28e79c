/* pack.h — the fail-closed pack loader (CONTRACT sections 4 and 7).
 *
 * pg_pack_load reads a pack through libarchive (tar only, gzip/zstd/none
 * filters only; the format is detected from content), and runs the defenses
 * in the contract's order; the first failure stops the load with its code:
 *   archive format -> manifest (first regular entry, size cap, JSON rules,
 *   schema_version, schema, id, declared sizes against the caps) -> per
 *   entry: type, path, duplicate, file type by name, listed?, size against
 *   the declared size (at the header), content type, digest, member
 *   document JSON + schema -> files listed but never seen.
 * Entries that come before the manifest must be directories; each gets the
 * type and path checks (doc/pack-loader.md).
 *
 * PG_PACK_INSPECT stops after the manifest (reading on through headers only
 * to tell mpk.manifest.missing from mpk.manifest.not_first).
 * PG_PACK_VERIFY reads every entry, streaming members through SHA-256 in
 * constant memory.  Nothing is written anywhere unless opts->extract_dir is
 * set, in which case verified members are written below that directory,
 * which must exist, be empty and be private (0700).
 */
#ifndef PG_PACK_H
#define PG_PACK_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <cjson/cJSON.h>
#include "pg.h"
#include "digest.h"
#include "schema.h"

typedef enum pg_pack_mode { PG_PACK_INSPECT, PG_PACK_VERIFY } pg_pack_mode;

typedef enum pg_file_status {
	PG_FILE_NOT_CHECKED = 0,
	PG_FILE_OK,
	PG_FILE_BAD
} pg_file_status;

typedef struct pg_pack_file {
	char *path;                 /* owned */
	pg_role role;
	uint64_t size;
	char sha256[PG_SHA256_HEX];
	pg_file_status status;
} pg_pack_file;

typedef struct pg_pack_sig {
	char *path;        /* "signatures/FPR.asc"; owned */
	char *armored;     /* the signature text, NUL-terminated; owned */
	size_t len;
} pg_pack_sig;

/* Progress callback: bytes of the pack file read so far and its size (0 when
 * unknown).  Returning non-zero cancels the load with io.read. */
typedef int (*pg_pack_progress_fn)(void *ctx, uint64_t done, uint64_t total);

typedef struct pg_pack_opts {
	pg_pack_mode mode;
	pg_limits limits;                /* start from pg_limits_default */
	const char *const *file_types;   /* NULL: the default list */
	const char *extract_dir;         /* NULL: write nothing */
	pg_pack_progress_fn progress;
	void *progress_ctx;
} pg_pack_opts;

typedef struct pg_pack {
	cJSON *manifest;            /* the parsed manifest; owned */
	char *manifest_canon;       /* RFC 8785 bytes of the manifest, id included */
	size_t manifest_canon_len;
	char id[72];                /* "sha256:<hex>" */
	const char *name;           /* borrowed from manifest */
	const char *version;        /* borrowed from manifest */
	pg_pack_file *files;        /* manifest order; owned */
	size_t nfiles;
	pg_pack_sig *sigs;          /* archive order; owned */
	size_t nsigs;
	cJSON *docs[PG_ROLE_COUNT_]; /* parsed member documents (VERIFY); owned, may be NULL */
	uint64_t archive_bytes;     /* bytes of the pack file read */
} pg_pack;

/* Fills opts with mode PG_PACK_VERIFY and default limits, nothing else. */
void pg_pack_opts_init(pg_pack_opts *opts);

/* Loads the pack at `path` ("-" is not accepted).  On success *out is a new
 * pack the caller frees with pg_pack_free.  On failure *out is NULL, err has
 * the code, message and (for entry failures) err->path the member path, and
 * nothing was left in extract_dir beyond what the caller created. */
pg_code pg_pack_load(const char *path, const pg_pack_opts *opts, pg_pack **out, pg_error *err);

/* Same over an open stream positioned at the start of the pack (fuzzing,
 * stdin).  The stream is not closed. */
pg_code pg_pack_load_fp(FILE *fp, const pg_pack_opts *opts, pg_pack **out, pg_error *err);

/* A source of pack bytes: points *buf at the next ones (the source keeps
 * them, valid until its next call) and returns their count, 0 at the end,
 * -1 with errno set on failure. */
typedef ssize_t (*pg_pack_read_fn)(void *ctx, const void **buf);

/* Same over bytes that fn gives (a pull streaming from the network). */
pg_code pg_pack_load_stream(pg_pack_read_fn fn, void *ctx, const pg_pack_opts *opts, pg_pack **out, pg_error *err);

/* Frees a pack and everything it owns; NULL is fine. */
void pg_pack_free(pg_pack *p);

/* Computes the pack id of a manifest: "sha256:" + hex SHA-256 of the
 * canonical form without the `id` member.  id must hold 72 bytes. */
pg_code pg_pack_compute_id(const cJSON *manifest, char id[72], pg_error *err);

#endif
