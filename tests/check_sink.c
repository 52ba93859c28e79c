/* check_sink.c — the file sink of an import (core/sink.h): every byte
 * reaches the file and the hash in order, whatever the sizes of the writes
 * and of the file; whole blocks go straight to the disk wherever the
 * filesystem takes O_DIRECT (and the rest, or everything where it does
 * not, through the page cache); a failed write is reported, with the
 * first error; an abandoned sink lets go of the file. */
#include "pg.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checkrun.h"
#include "digest.h"
#include "sink.h"

#define MIB ((size_t)1024 * 1024)

static char dir[4096];

static void make_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof dir, "%s/pgsink.XXXXXX", tmp && *tmp ? tmp : ".");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
	ck_assert_int_eq(rmdir(dir), 0);
}

/* A fresh directory and an empty file "member" in it, open for writing;
 * its path into path. */
static int open_member(char *path, size_t size)
{
	int fd;

	make_dir();
	snprintf(path, size, "%s/member", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	return fd;
}

static unsigned char pattern(size_t i)
{
	return (unsigned char)((i * 2654435761u) >> 13);
}

/* Whether the filesystem of path takes O_DIRECT (what the sink should
 * find out by itself). */
static int takes_direct(const char *path)
{
#ifdef O_DIRECT
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT | O_CLOEXEC, 0600);

	if (fd >= 0) {
		close(fd);
		return 1;
	}
	ck_assert_int_eq(errno, EINVAL);
#endif
	return 0;
}

/* Writes size pattern bytes through a sink in pieces of 1, 2, ... 70001
 * bytes and checks the file and the hash. */
static void write_and_check(size_t size)
{
	char path[4200], want[PG_SHA256_HEX], got[PG_SHA256_HEX];
	unsigned char *data = malloc(size ? size : 1), *back = malloc(size ? size : 1);
	size_t done = 0, piece = 1;
	uint64_t direct_bytes = 12345;
	pg_sha256 sha;
	pg_sink *s;
	struct stat st;
	int fd, direct;

	ck_assert_ptr_nonnull(data);
	ck_assert_ptr_nonnull(back);
	for (size_t i = 0; i < size; i++)
		data[i] = pattern(i);
	snprintf(path, sizeof path, "%s/member", dir);
	direct = takes_direct(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pg_sha256_begin(&sha, NULL), PG_OK);
	s = pg_sink_start(fd, &sha);
	ck_assert_ptr_nonnull(s);
	while (done < size) {
		size_t n = size - done < piece ? size - done : piece;
		ck_assert_int_eq(pg_sink_write(s, data + done, n), 0);
		done += n;
		piece = piece % 70001 + 1;
	}
	ck_assert_int_eq(pg_sink_finish(s, &direct_bytes), 0);
	/* whole 4 KiB blocks went straight to the disk where it can */
	ck_assert_uint_eq(direct_bytes, direct ? size - size % 4096 : 0);
#ifdef O_DIRECT
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_DIRECT, 0);
#endif
	ck_assert_int_eq(close(fd), 0);
	pg_sha256_end(&sha, got);
	pg_sha256_hex(data, size, want);
	ck_assert_str_eq(got, want);

	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq((long long)st.st_size, (long long)size);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq((long long)read(fd, back, size), (long long)size);
	close(fd);
	ck_assert(memcmp(back, data, size) == 0);
	ck_assert_int_eq(unlink(path), 0);
	free(data);
	free(back);
}

/* Empty, smaller than a block, around a block, around a buffer (4 MiB),
 * more than the ring holds (16 MiB), and a tail that is not whole blocks. */
static const size_t sizes[] = {
	0, 1, 4095, 4096, 4097,
	4 * MIB - 1, 4 * MIB, 4 * MIB + 1,
	17 * MIB + 12345,
};

START_TEST(test_every_byte_in_order)
{
	make_dir();
	write_and_check(sizes[_i]);
	remove_dir();
}
END_TEST

/* Without a hash the sink only writes. */
START_TEST(test_no_hash)
{
	char path[4200];
	unsigned char buf[1000];
	struct stat st;
	pg_sink *s;
	int fd;

	fd = open_member(path, sizeof path);
	s = pg_sink_start(fd, NULL);
	ck_assert_ptr_nonnull(s);
	memset(buf, 'x', sizeof buf);
	for (int i = 0; i < 9000; i++)
		ck_assert_int_eq(pg_sink_write(s, buf, sizeof buf), 0);
	ck_assert_int_eq(pg_sink_finish(s, NULL), 0);
	close(fd);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq((long long)st.st_size, 9000000LL);
	ck_assert_int_eq(unlink(path), 0);
	remove_dir();
}
END_TEST

/* A file the sink cannot write (open read-only): the first full buffer's
 * failure comes back from a later write, and from finish. */
START_TEST(test_write_fails)
{
	static unsigned char buf[MIB];
	char path[4200];
	pg_sink *s;
	int fd, e = 0;

	close(open_member(path, sizeof path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	s = pg_sink_start(fd, NULL);
	ck_assert_ptr_nonnull(s);
	/* more than the ring: a write has to wait for the failed one */
	for (int i = 0; i < 32 && !e; i++)
		e = pg_sink_write(s, buf, sizeof buf);
	ck_assert_int_eq(e, EBADF);
	ck_assert_int_eq(pg_sink_write(s, buf, sizeof buf), EBADF);
	ck_assert_int_eq(pg_sink_finish(s, NULL), EBADF);
	close(fd);
	ck_assert_int_eq(unlink(path), 0);
	remove_dir();
}
END_TEST

/* A full device: ENOSPC from finish even when every write was taken. */
START_TEST(test_device_full)
{
	pg_sink *s;
	int fd = open("/dev/full", O_WRONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	s = pg_sink_start(fd, NULL);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(pg_sink_write(s, "abc", 3), 0);
	ck_assert_int_eq(pg_sink_finish(s, NULL), ENOSPC);
	close(fd);
}
END_TEST

/* Given up half way: the threads end, the hash and the file are the
 * caller's again, and nothing more is written. */
START_TEST(test_abort)
{
	static unsigned char buf[MIB];
	char path[4200];
	struct stat st;
	pg_sha256 sha;
	pg_sink *s;
	int fd;

	fd = open_member(path, sizeof path);
	ck_assert_int_eq(pg_sha256_begin(&sha, NULL), PG_OK);
	s = pg_sink_start(fd, &sha);
	ck_assert_ptr_nonnull(s);
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(pg_sink_write(s, buf, sizeof buf), 0);
	pg_sink_abort(s);
	pg_sink_abort(NULL);
#ifdef O_DIRECT
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_DIRECT, 0);
#endif
	/* at most the two full buffers; the 2 MiB being filled never */
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_le((long long)st.st_size, 8LL * 1024 * 1024);
	ck_assert_int_eq(write(fd, "z", 1), 1); /* the caller's to use */
	close(fd);
	pg_sha256_abort(&sha); /* the caller's again, to release */
	ck_assert_int_eq(unlink(path), 0);
	remove_dir();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sink");
	TCase *tc = tcase_create("sink");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_every_byte_in_order, 0, (int)(sizeof sizes / sizeof sizes[0]));
	tcase_add_test(tc, test_no_hash);
	tcase_add_test(tc, test_write_fails);
	tcase_add_test(tc, test_device_full);
	tcase_add_test(tc, test_abort);
	suite_add_tcase(s, tc);
	return pg_check_run(s);
}
