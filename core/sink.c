/* sink.c — the file sink of sink.h: a ring of aligned buffers under one
 * mutex, counted by sequence number.  Buffer k lives in slot k % NBUF; the
 * caller fills buffer `filled` outside the lock, the write thread writes
 * buffer `written` at offset k * BUF, the hash thread follows the caller
 * in pieces (byte `hashed` of the stream, up to `shown`), and a slot is
 * filled again once both are past it.  Every write happens on the write
 * thread (the last, partial buffer too), so only it touches the file and
 * its O_DIRECT flag. */
#include <config.h>

#include "sink.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* Four 4 MiB buffers: writes of 4 MiB keep a disk at its pace (2 MiB ones
 * ran at a third of it on the test machine), and four leave the caller one
 * to fill while the others wait for the hash or the disk. */
#define SINK_BUF ((size_t)4 * 1024 * 1024)
#define SINK_NBUF 4
/* The hash thread is shown the bytes copied in pieces of this size, so it
 * reads them while they are still in a cache (a hash that waited for whole
 * buffers made a 1 GiB pull about 5% slower on the test machine). */
#define SINK_PIECE ((size_t)256 * 1024)
/* Memory and file offsets of direct writes are multiples of this; it
 * covers the logical block size of any disk. */
#define SINK_ALIGN 4096

struct pg_sink {
	int fd;
	int flags;       /* fd's status flags before the sink */
	int direct;      /* O_DIRECT is on (the write thread's once it runs) */
	uint64_t direct_bytes; /* bytes that went straight to the disk */
	pg_sha256 *sha;  /* fed by the hash thread, or NULL */
	pthread_t writer, hasher;
	int has_hasher;
	pthread_mutex_t mu;
	pthread_cond_t work, room;
	unsigned char *mem;            /* SINK_NBUF * SINK_BUF, aligned */
	size_t len[SINK_NBUF];         /* bytes in each queued buffer */
	uint64_t filled;  /* buffers queued so far */
	uint64_t written; /* of those, written (or skipped after a failure) */
	uint64_t shown;   /* bytes the hash thread may take (whole pieces) */
	uint64_t hashed;  /* bytes hashed (UINT64_MAX without a hash) */
	size_t pos;       /* bytes in buffer `filled`, the one being filled */
	int err;          /* first failure, 0 if none */
	int told;         /* the failure the caller was given (its own copy) */
	int quit;         /* the caller is done: finish what is queued, end */
	int drop;         /* the caller gave up: end now */
};

static unsigned char *slot(pg_sink *s, uint64_t k)
{
	return s->mem + (size_t)(k % SINK_NBUF) * SINK_BUF;
}

/* Turns direct I/O off for good: the filesystem refused a direct write, or
 * what is left is not a whole number of blocks. */
static int go_buffered(pg_sink *s)
{
	if (s->direct) {
#ifdef O_DIRECT
		if (fcntl(s->fd, F_SETFL, s->flags & ~O_DIRECT) != 0)
			return errno;
#endif
		s->direct = 0;
	}
	return 0;
}

/* Writes p[0..n) at off.  0 or an errno. */
static int put(pg_sink *s, const unsigned char *p, size_t n, uint64_t off)
{
	while (n) {
		size_t want = n;
		ssize_t w;

		if (s->direct && n % SINK_ALIGN) {
			want = n - n % SINK_ALIGN; /* the blocks, then the tail buffered */
			if (!want) {
				int e = go_buffered(s);
				if (e)
					return e;
				want = n;
			}
		}
		w = pwrite(s->fd, p, want, (off_t)off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EINVAL && s->direct) {
				int e = go_buffered(s); /* and the same bytes again */
				if (e)
					return e;
				continue;
			}
			return errno;
		}
		if (w == 0)
			return EIO;
		if (s->direct)
			s->direct_bytes += (uint64_t)w;
#ifdef SYNC_FILE_RANGE_WRITE
		else /* only a hint: a failure shows in the caller's sync */
			(void)sync_file_range(s->fd, (off_t)off, (off_t)w, SYNC_FILE_RANGE_WRITE);
#endif
		p += w;
		n -= (size_t)w;
		off += (uint64_t)w;
	}
	return 0;
}

/* The write thread: takes the next queued buffer, writes it outside the
 * lock, counts it written (or skips it after a failure). */
static void *writer_main(void *arg)
{
	pg_sink *s = arg;
	uint64_t *done = &s->written;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		uint64_t k;
		size_t n;
		int skip, e = 0;

		while (*done == s->filled && !s->quit && !s->drop)
			pthread_cond_wait(&s->work, &s->mu);
		if (*done == s->filled || s->drop)
			break;
		k = *done;
		n = s->len[k % SINK_NBUF];
		skip = s->err;
		pthread_mutex_unlock(&s->mu);
		if (!skip)
			e = put(s, slot(s, k), n, k * SINK_BUF);
		pthread_mutex_lock(&s->mu);
		if (e && !s->err)
			s->err = e;
		(*done)++;
		pthread_cond_broadcast(&s->room);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* The hash thread: hashes what it was shown, in order, at most to the end
 * of a buffer at a time. */
static void *hasher_main(void *arg)
{
	pg_sink *s = arg;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		uint64_t h = s->hashed;
		size_t n;

		while (h == s->shown && !s->quit && !s->drop)
			pthread_cond_wait(&s->work, &s->mu);
		if (h == s->shown || s->drop)
			break;
		n = (size_t)(s->shown - h);
		if (n > SINK_BUF - h % SINK_BUF)
			n = SINK_BUF - h % SINK_BUF;
		pthread_mutex_unlock(&s->mu);
		pg_sha256_update(s->sha, slot(s, h / SINK_BUF) + h % SINK_BUF, n);
		pthread_mutex_lock(&s->mu);
		s->hashed = h + n;
		pthread_cond_broadcast(&s->room);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static void sink_free(pg_sink *s)
{
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->work);
	pthread_cond_destroy(&s->room);
	free(s->mem);
	free(s);
}

/* Ends the threads (after the queued buffers unless drop) and frees s. */
static int end(pg_sink *s, int drop, uint64_t *direct_bytes)
{
	int e;

	pthread_mutex_lock(&s->mu);
	s->quit = 1;
	s->drop = drop;
	pthread_cond_broadcast(&s->work);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->writer, NULL);
	if (s->has_hasher)
		pthread_join(s->hasher, NULL);
	if (direct_bytes)
		*direct_bytes = s->direct_bytes;
	e = go_buffered(s);
	if (!s->err)
		s->err = e;
	e = s->err;
	sink_free(s);
	return e;
}

pg_sink *pg_sink_start(int fd, pg_sha256 *sha)
{
	pg_sink *s = calloc(1, sizeof *s);
	void *mem;

	if (!s)
		return NULL;
	if (posix_memalign(&mem, SINK_ALIGN, SINK_NBUF * SINK_BUF) != 0) {
		free(s);
		return NULL;
	}
	s->mem = mem;
	s->fd = fd;
	s->sha = sha;
	s->flags = fcntl(fd, F_GETFL);
#ifdef O_DIRECT
	/* refused (EINVAL) where the filesystem has no direct I/O */
	if (s->flags != -1 && fcntl(fd, F_SETFL, s->flags | O_DIRECT) == 0)
		s->direct = 1;
#endif
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->work, NULL);
	pthread_cond_init(&s->room, NULL);
	if (pthread_create(&s->writer, NULL, writer_main, s) != 0) {
		go_buffered(s);
		sink_free(s);
		return NULL;
	}
	if (!sha) {
		s->hashed = UINT64_MAX; /* never the one a slot waits for */
	} else if (pthread_create(&s->hasher, NULL, hasher_main, s) == 0) {
		s->has_hasher = 1;
	} else {
		end(s, 1, NULL);
		return NULL;
	}
	return s;
}

/* Shows the hash thread the bytes copied so far. */
static void show(pg_sink *s)
{
	pthread_mutex_lock(&s->mu);
	s->shown = s->filled * SINK_BUF + s->pos;
	pthread_cond_broadcast(&s->work);
	pthread_mutex_unlock(&s->mu);
}

/* Queues the buffer being filled, then waits until the next one's slot is
 * free: the buffer NBUF before it written and hashed. */
static int submit(pg_sink *s)
{
	int e;

	pthread_mutex_lock(&s->mu);
	s->len[s->filled % SINK_NBUF] = s->pos;
	s->filled++;
	s->shown = s->filled * SINK_BUF;
	pthread_cond_broadcast(&s->work);
	while (s->filled - s->written >= SINK_NBUF ||
	       (s->filled >= SINK_NBUF && s->hashed != UINT64_MAX &&
	        s->hashed < (s->filled - SINK_NBUF + 1) * SINK_BUF))
		pthread_cond_wait(&s->room, &s->mu);
	s->pos = 0;
	e = s->err;
	pthread_mutex_unlock(&s->mu);
	return e;
}

int pg_sink_write(pg_sink *s, const void *p, size_t n)
{
	const unsigned char *c = p;

	if (s->told)
		return s->told;
	while (n) {
		size_t room = SINK_BUF - s->pos, take = SINK_PIECE - s->pos % SINK_PIECE;
		if (take > n)
			take = n;
		memcpy(slot(s, s->filled) + s->pos, c, take);
		s->pos += take;
		c += take;
		n -= take;
		if (take == room) {
			s->told = submit(s);
			if (s->told)
				return s->told;
		} else if (s->pos % SINK_PIECE == 0 && s->sha) {
			show(s);
		}
	}
	return 0;
}

int pg_sink_finish(pg_sink *s, uint64_t *direct_bytes)
{
	if (s->pos) {
		pthread_mutex_lock(&s->mu);
		s->len[s->filled % SINK_NBUF] = s->pos;
		s->shown = s->filled * SINK_BUF + s->pos;
		s->filled++;
		pthread_mutex_unlock(&s->mu);
	}
	return end(s, 0, direct_bytes);
}

void pg_sink_abort(pg_sink *s)
{
	if (s)
		end(s, 1, NULL);
}
