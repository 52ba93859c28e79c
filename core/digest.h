/* digest.h — SHA-256 through libgcrypt, streaming. */
#ifndef PG_DIGEST_H
#define PG_DIGEST_H

#include <stddef.h>
#include "pg.h"

#define PG_SHA256_LEN 32
#define PG_SHA256_HEX 65 /* 64 hex digits and NUL */

typedef struct pg_sha256 {
	void *hd; /* gcry_md_hd_t; opaque to callers */
} pg_sha256;

/* Initialises libgcrypt once (thread-safe to call repeatedly).  Returns PG_OK
 * or io.memory when libgcrypt is too old or cannot start. */
pg_code pg_digest_init(pg_error *err);

/* Starts a streaming hash.  Codes: io.memory. */
pg_code pg_sha256_begin(pg_sha256 *ctx, pg_error *err);
void pg_sha256_update(pg_sha256 *ctx, const void *p, size_t n);
/* Writes the lowercase hex digest into hex and releases ctx. */
void pg_sha256_end(pg_sha256 *ctx, char hex[PG_SHA256_HEX]);
/* Releases ctx without a result (error paths). */
void pg_sha256_abort(pg_sha256 *ctx);

/* A hasher on a thread of its own, so that a caller can hash a block while
 * it writes the same block somewhere (an import extracting a large member
 * does both; in one thread the times add up). */
typedef struct pg_sha256_bg pg_sha256_bg;

/* Starts a thread that feeds ctx (begun, and left to the thread until
 * pg_sha256_bg_stop).  NULL when no thread can be made: hash in the
 * caller then. */
pg_sha256_bg *pg_sha256_bg_start(pg_sha256 *ctx);
/* Hands p[0..n) to the thread; the bytes must stay as they are until
 * pg_sha256_bg_wait returns.  One block at a time: wait before the next. */
void pg_sha256_bg_post(pg_sha256_bg *b, const void *p, size_t n);
/* Waits until the posted block is hashed. */
void pg_sha256_bg_wait(pg_sha256_bg *b);
/* Waits for the posted block, ends the thread and frees b; ctx belongs
 * to the caller again.  NULL is fine. */
void pg_sha256_bg_stop(pg_sha256_bg *b);

/* One-shot: lowercase hex of SHA-256 of p[0..n). */
void pg_sha256_hex(const void *p, size_t n, char hex[PG_SHA256_HEX]);

/* True when s is exactly 64 lowercase hex digits. */
int pg_is_hex64(const char *s);
/* True when s is "sha256:" followed by 64 lowercase hex digits (a pack id). */
int pg_is_pack_id(const char *s);

#endif
