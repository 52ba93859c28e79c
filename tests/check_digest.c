/* check_digest.c — SHA-256 through libgcrypt: known answers, streaming. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "checkrun.h"
#include "digest.h"

static const struct {
	const char *in;
	const char *hex;
} vectors[] = {
	{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
};

START_TEST(test_vectors)
{
	char hex[PG_SHA256_HEX];
	pg_sha256 ctx;
	const char *in = vectors[_i].in;

	pg_sha256_hex(in, strlen(in), hex);
	ck_assert_str_eq(hex, vectors[_i].hex);
	/* byte by byte through the streaming interface */
	ck_assert_int_eq(pg_sha256_begin(&ctx, NULL), PG_OK);
	for (size_t i = 0; in[i]; i++)
		pg_sha256_update(&ctx, in + i, 1);
	pg_sha256_end(&ctx, hex);
	ck_assert_str_eq(hex, vectors[_i].hex);
}
END_TEST

START_TEST(test_million_a)
{
	char *a = malloc(1000000), hex[PG_SHA256_HEX];
	pg_sha256 ctx;

	memset(a, 'a', 1000000);
	ck_assert_int_eq(pg_sha256_begin(&ctx, NULL), PG_OK);
	pg_sha256_update(&ctx, a, 300000);
	pg_sha256_update(&ctx, a, 700000);
	pg_sha256_end(&ctx, hex);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
}
END_TEST

START_TEST(test_forms)
{
	ck_assert(pg_is_hex64("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
	ck_assert(!pg_is_hex64("E3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
	ck_assert(!pg_is_hex64("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85"));
	ck_assert(!pg_is_hex64("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555"));
	ck_assert(!pg_is_hex64(NULL));
	ck_assert(pg_is_pack_id("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
	ck_assert(!pg_is_pack_id("sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
	ck_assert(!pg_is_pack_id("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("digest");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_vectors, 0, (int)(sizeof vectors / sizeof vectors[0]));
	tcase_add_test(tc, test_million_a);
	tcase_add_test(tc, test_forms);
	suite_add_tcase(s, tc);
	return pg_check_run(s);
}
