/* check_chan.c — the byte channel between a pull's download and its loader
 * (core/chan.h): every byte arrives once and in order across slot
 * boundaries, the end of the stream, a reader that stops early, and the
 * arguments it refuses. */
#include "pg.h"

#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "chan.h"
#include "checkrun.h"

static unsigned char pattern(size_t i)
{
	return (unsigned char)((i * 2654435761u) >> 13);
}

struct writer {
	pg_chan *c;
	size_t total;     /* bytes to write */
	size_t written;   /* bytes accepted */
	int last;         /* what the last write returned */
};

/* Writes total pattern bytes in pieces of 1, 2, ... 9000 bytes. */
static void *writer_main(void *arg)
{
	struct writer *w = arg;
	static unsigned char buf[9000];
	size_t piece = 1;

	while (w->written < w->total) {
		size_t n = w->total - w->written < piece ? w->total - w->written : piece;
		for (size_t i = 0; i < n; i++)
			buf[i] = pattern(w->written + i);
		w->last = pg_chan_write(w->c, buf, n);
		if (w->last)
			break;
		w->written += n;
		piece = piece % sizeof buf + 1;
	}
	pg_chan_close_write(w->c);
	return NULL;
}

START_TEST(test_every_byte_in_order)
{
	static const size_t slots[][2] = { { 1, 2 }, { 1000, 3 }, { 4096, 2 }, { 65536, 4 } };
	struct writer w;
	pthread_t t;
	const void *p;
	size_t got = 0, n, reads = 0;

	memset(&w, 0, sizeof w);
	w.c = pg_chan_new(slots[_i][0], slots[_i][1]);
	ck_assert_ptr_nonnull(w.c);
	/* thousands of slots, the last one partly filled */
	w.total = slots[_i][0] * 3000 + 17;
	ck_assert_int_eq(pthread_create(&t, NULL, writer_main, &w), 0);
	while ((n = pg_chan_read(w.c, &p)) > 0) {
		const unsigned char *b = p;
		ck_assert_uint_le(n, slots[_i][0]);
		for (size_t i = 0; i < n; i++)
			if (b[i] != pattern(got + i))
				ck_abort_msg("byte %zu: %u, expected %u", got + i, b[i], pattern(got + i));
		got += n;
		reads++;
	}
	ck_assert_uint_eq(got, w.total);
	/* full slots but the last */
	ck_assert_uint_eq(reads, (w.total + slots[_i][0] - 1) / slots[_i][0]);
	/* the end stays the end */
	ck_assert_uint_eq(pg_chan_read(w.c, &p), 0);
	ck_assert_ptr_null(p);
	pthread_join(t, NULL);
	ck_assert_int_eq(w.last, 0);
	pg_chan_close_read(w.c);
	pg_chan_free(w.c);
}
END_TEST

START_TEST(test_empty_stream)
{
	pg_chan *c = pg_chan_new(16, 2);
	const void *p = &p;

	ck_assert_ptr_nonnull(c);
	pg_chan_close_write(c);
	ck_assert_uint_eq(pg_chan_read(c, &p), 0);
	ck_assert_ptr_null(p);
	pg_chan_close_read(c);
	pg_chan_free(c);
}
END_TEST

/* The reader stops after the first slot: a writer waiting for room wakes
 * with EPIPE instead of waiting for ever, and writes no more. */
START_TEST(test_reader_stops)
{
	struct writer w;
	pthread_t t;
	const void *p;

	memset(&w, 0, sizeof w);
	w.c = pg_chan_new(100, 2);
	ck_assert_ptr_nonnull(w.c);
	w.total = 1000000;
	ck_assert_int_eq(pthread_create(&t, NULL, writer_main, &w), 0);
	ck_assert_uint_eq(pg_chan_read(w.c, &p), 100);
	ck_assert_int_eq(((const unsigned char *)p)[99], pattern(99));
	pg_chan_close_read(w.c);
	pthread_join(t, NULL);
	ck_assert_int_eq(w.last, EPIPE);
	ck_assert_uint_lt(w.written, w.total);
	/* at most the slot read, the one held back and the one being filled */
	ck_assert_uint_le(w.written, 300);
	ck_assert_int_eq(pg_chan_write(w.c, "x", 1), EPIPE);
	pg_chan_free(w.c);
}
END_TEST

START_TEST(test_refused)
{
	ck_assert_ptr_null(pg_chan_new(0, 4));
	ck_assert_ptr_null(pg_chan_new(16, 1));
	ck_assert_ptr_null(pg_chan_new(16, 0));
	pg_chan_free(NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("chan");
	TCase *tc = tcase_create("chan");

	tcase_add_loop_test(tc, test_every_byte_in_order, 0, 4);
	tcase_add_test(tc, test_empty_stream);
	tcase_add_test(tc, test_reader_stops);
	tcase_add_test(tc, test_refused);
	suite_add_tcase(s, tc);
	return pg_check_run(s);
}
