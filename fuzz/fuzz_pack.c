/* fuzz_pack.c — libFuzzer target: the input bytes as a pack, loaded through
 * pg_pack_load_fp in VERIFY and then INSPECT mode with 1 MiB caps.  The
 * loader must never crash, leak or run away, whatever the bytes. */
#include "pg.h"

#include <stdint.h>
#include <stdio.h>

#include "pack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void load(const uint8_t *data, size_t size, pg_pack_mode mode)
{
	static const uint64_t cap = (uint64_t)1 << 20;
	pg_pack_opts o;
	pg_pack *p = NULL;
	pg_error err;
	FILE *f;

	/* fmemopen refuses a zero-length buffer on some libcs */
	f = size ? fmemopen((void *)data, size, "rb") : fopen("/dev/null", "rb");
	if (!f)
		return;
	pg_pack_opts_init(&o);
	o.mode = mode;
	o.limits.archive_bytes = cap;
	o.limits.entry_bytes = cap;
	o.limits.total_bytes = cap;
	o.limits.json_bytes = cap;
	o.limits.entries = 1000;
	pg_error_clear(&err);
	if (pg_pack_load_fp(f, &o, &p, &err) == PG_OK)
		pg_pack_free(p);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	load(data, size, PG_PACK_VERIFY);
	load(data, size, PG_PACK_INSPECT);
	return 0;
}
