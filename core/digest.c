/* digest.c — SHA-256 through libgcrypt. */
#include "digest.h"

#include <pthread.h>
#include <string.h>
#include <gcrypt.h>

#define PG_GCRYPT_MIN "1.10.0"

static pthread_once_t gcrypt_once = PTHREAD_ONCE_INIT;
static int gcrypt_ok;

static void gcrypt_start(void)
{
	if (!gcry_check_version(PG_GCRYPT_MIN))
		return;
	/* Only hashing is used: no secure memory needed. */
	gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
	gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	gcrypt_ok = 1;
}

pg_code pg_digest_init(pg_error *err)
{
	pthread_once(&gcrypt_once, gcrypt_start);
	if (!gcrypt_ok)
		return pg_err(err, PG_IO_MEMORY, _("libgcrypt %s or newer is required"), PG_GCRYPT_MIN);
	return PG_OK;
}

pg_code pg_sha256_begin(pg_sha256 *ctx, pg_error *err)
{
	gcry_md_hd_t hd;
	pg_code rc = pg_digest_init(err);

	ctx->hd = NULL;
	if (rc)
		return rc;
	if (gcry_md_open(&hd, GCRY_MD_SHA256, 0))
		return pg_err(err, PG_IO_MEMORY, _("cannot start SHA-256"));
	ctx->hd = hd;
	return PG_OK;
}

void pg_sha256_update(pg_sha256 *ctx, const void *p, size_t n)
{
	if (n)
		gcry_md_write((gcry_md_hd_t)ctx->hd, p, n);
}

static void to_hex(const unsigned char *d, char hex[PG_SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < PG_SHA256_LEN; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[64] = '\0';
}

void pg_sha256_end(pg_sha256 *ctx, char hex[PG_SHA256_HEX])
{
	gcry_md_hd_t hd = ctx->hd;

	to_hex(gcry_md_read(hd, GCRY_MD_SHA256), hex);
	gcry_md_close(hd);
	ctx->hd = NULL;
}

void pg_sha256_abort(pg_sha256 *ctx)
{
	if (ctx->hd)
		gcry_md_close((gcry_md_hd_t)ctx->hd);
	ctx->hd = NULL;
}

void pg_sha256_hex(const void *p, size_t n, char hex[PG_SHA256_HEX])
{
	unsigned char d[PG_SHA256_LEN];

	pg_digest_init(NULL);
	gcry_md_hash_buffer(GCRY_MD_SHA256, d, p, n);
	to_hex(d, hex);
}

int pg_is_hex64(const char *s)
{
	size_t i;

	if (!s)
		return 0;
	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[64] == '\0';
}

int pg_is_pack_id(const char *s)
{
	return s && strncmp(s, "sha256:", 7) == 0 && pg_is_hex64(s + 7);
}
