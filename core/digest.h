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

/* One-shot: lowercase hex of SHA-256 of p[0..n). */
void pg_sha256_hex(const void *p, size_t n, char hex[PG_SHA256_HEX]);

/* True when s is exactly 64 lowercase hex digits. */
int pg_is_hex64(const char *s);
/* True when s is "sha256:" followed by 64 lowercase hex digits (a pack id). */
int pg_is_pack_id(const char *s);

#endif
