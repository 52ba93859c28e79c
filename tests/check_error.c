/* check_error.c — the code table, the error record, the capped buffer. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "pg.h"
#include "checkrun.h"

static const struct {
	pg_code code;
	const char *name;
	const char *cls;
	int exit_status;
} codes[] = {
	{ PG_OK, "ok", "", 0 },
	{ PG_USAGE, "usage", "UsageError", 2 },
	{ PG_IO_NOT_FOUND, "io.not_found", "IOError", 3 },
	{ PG_IO_WRITE, "io.write", "IOError", 3 },
	{ PG_ARCHIVE_PATH_TRAVERSAL, "mpk.archive.path_traversal", "PathTraversal", 1 },
	{ PG_ARCHIVE_PATH_ENCODING, "mpk.archive.path_encoding", "PathTraversal", 1 },
	{ PG_LIMIT_JSON_BYTES, "mpk.limit.json_bytes", "SizeLimitExceeded", 1 },
	{ PG_JSON_DUPLICATE_KEY, "mpk.json.duplicate_key", "SchemaError", 1 },
	{ PG_MANIFEST_ID_MISMATCH, "mpk.manifest.id_mismatch", "IntegrityError", 1 },
	{ PG_VERSION_UNSUPPORTED, "mpk.version.unsupported", "UnsupportedVersion", 1 },
	{ PG_DIGEST_MISMATCH, "mpk.digest.mismatch", "IntegrityError", 1 },
	{ PG_SIG_REVOKED, "sig.revoked", "SignatureError", 1 },
	{ PG_POLICY_PARENT_MISSING, "policy.parent_missing", "PolicyError", 1 },
	{ PG_LIFECYCLE_CONFLICT, "lifecycle.conflict", "LifecycleError", 1 },
	{ PG_REGISTRY_AMBIGUOUS, "registry.ambiguous", "RegistryError", 1 },
	{ PG_REGISTRY_BUSY, "registry.busy", "RegistryError", 3 },
	{ PG_REGISTRY_CORRUPT, "registry.corrupt", "RegistryError", 3 },
	{ PG_REGISTRY_CHAIN_BROKEN, "registry.chain_broken", "RegistryError", 1 },
	{ PG_REMOTE_TLS, "remote.tls", "RemoteError", 3 },
	{ PG_REMOTE_CONFLICT, "remote.conflict", "RemoteError", 1 },
};

START_TEST(test_code_table)
{
	ck_assert_str_eq(pg_code_name(codes[_i].code), codes[_i].name);
	ck_assert_str_eq(pg_code_class(codes[_i].code), codes[_i].cls);
	ck_assert_int_eq(pg_code_exit(codes[_i].code), codes[_i].exit_status);
	ck_assert_int_eq(pg_code_from_name(codes[_i].name), (int)codes[_i].code);
}
END_TEST

START_TEST(test_every_code_is_distinct)
{
	for (int i = 0; i < PG_CODE_COUNT_; i++) {
		const char *cls = pg_code_class((pg_code)i);
		int ex = pg_code_exit((pg_code)i);
		ck_assert_int_eq(pg_code_from_name(pg_code_name((pg_code)i)), i);
		ck_assert(i == 0 || cls[0] != '\0');
		ck_assert(ex >= 0 && ex <= 3);
	}
	ck_assert_int_eq(pg_code_from_name("mpk.nope"), -1);
}
END_TEST

START_TEST(test_err_escapes)
{
	pg_error err;

	pg_error_clear(&err);
	ck_assert_int_eq(err.offset, -1);
	ck_assert_int_eq(pg_err(&err, PG_SCHEMA, "name %s: bad", "a\x1b[2Jb\xff"), PG_SCHEMA);
	ck_assert_int_eq(err.code, PG_SCHEMA);
	ck_assert_str_eq(err.message, "name a^[[2Jb\\xFF: bad");
	pg_error_path(&err, "files[%d].%s", 3, "pa\xe2\x80\xaeth");
	ck_assert_str_eq(err.path, "files[3].pa<U+202E>th");
	ck_assert_int_eq(pg_err(NULL, PG_IO_READ, "x"), PG_IO_READ);
}
END_TEST

START_TEST(test_err_errno)
{
	pg_error err;

	pg_error_clear(&err);
	ck_assert_int_eq(pg_err_errno(&err, ENOENT, 0, "f"), PG_IO_NOT_FOUND);
	ck_assert_int_eq(pg_err_errno(&err, EACCES, 1, "f"), PG_IO_PERMISSION);
	ck_assert_int_eq(pg_err_errno(&err, EIO, 0, "f"), PG_IO_READ);
	ck_assert_int_eq(pg_err_errno(&err, ENOSPC, 1, "f"), PG_IO_WRITE);
	ck_assert_int_eq(strncmp(err.message, "f: ", 3), 0);
}
END_TEST

START_TEST(test_buf_cap)
{
	pg_buf b;
	size_t len;
	char *s;

	pg_buf_init(&b, 8);
	ck_assert_int_eq(pg_buf_adds(&b, "abcd"), 0);
	ck_assert_int_eq(pg_buf_printf(&b, "%d", 1234), 0);
	ck_assert_int_eq(b.len, 8);
	ck_assert_str_eq(b.data, "abcd1234");
	ck_assert_int_eq(pg_buf_addc(&b, 'x'), -1);
	ck_assert_int_eq(pg_buf_printf(&b, "%s", "y"), -1);
	ck_assert_str_eq(b.data, "abcd1234");
	pg_buf_reset(&b);
	ck_assert_int_eq(b.len, 0);
	ck_assert_int_eq(pg_buf_add(&b, "\0z", 2), 0);
	s = pg_buf_steal(&b, &len);
	ck_assert_int_eq(len, 2);
	ck_assert_int_eq(s[1], 'z');
	free(s);
	ck_assert_ptr_null(b.data);
	s = pg_buf_steal(&b, &len);
	ck_assert_str_eq(s, "");
	ck_assert_int_eq(len, 0);
	free(s);
	pg_buf_free(&b);
}
END_TEST

/* pg_buf_read_fd: a pipe's bytes in small writes up to its end; more than
 * the cap (the buffer keeps what fit); a read error with its errno. */
START_TEST(test_buf_read_fd)
{
	int p[2];
	pg_buf b;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], "key = ", 6), 6);
	ck_assert_int_eq(write(p[1], "v\n", 2), 2);
	close(p[1]);
	pg_buf_init(&b, 8);
	ck_assert_int_eq(pg_buf_read_fd(&b, p[0]), 0);
	ck_assert_uint_eq(b.len, 8);
	ck_assert_str_eq(b.data, "key = v\n");
	close(p[0]);
	pg_buf_free(&b);

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], "0123456789", 10), 10);
	close(p[1]);
	pg_buf_init(&b, 8);
	ck_assert_int_eq(pg_buf_read_fd(&b, p[0]), -1);
	ck_assert_uint_eq(b.len, 8);
	ck_assert_str_eq(b.data, "01234567");
	close(p[0]);
	pg_buf_free(&b);

	ck_assert_int_eq(pipe(p), 0);
	pg_buf_init(&b, 8);
	errno = 0;
	ck_assert_int_eq(pg_buf_read_fd(&b, p[1]), -3); /* the write end cannot be read */
	ck_assert_int_eq(errno, EBADF);
	ck_assert_uint_eq(b.len, 0);
	close(p[0]);
	close(p[1]);
	pg_buf_free(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("error");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_code_table, 0, (int)(sizeof codes / sizeof codes[0]));
	tcase_add_test(tc, test_every_code_is_distinct);
	tcase_add_test(tc, test_err_escapes);
	tcase_add_test(tc, test_err_errno);
	tcase_add_test(tc, test_buf_cap);
	tcase_add_test(tc, test_buf_read_fd);
	suite_add_tcase(s, tc);
	return pg_check_run(s);
}
