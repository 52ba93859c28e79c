/* sink.h — a file written from a stream by threads of its own, hashed on
 * the way, with direct I/O where the filesystem takes it.
 *
 * An import writes and hashes every member it extracts.  Through the page
 * cache a large member costs more CPU to write than to hash (each 4 KiB
 * page is allocated, copied into and accounted for), and done in the
 * caller's thread both stall whatever feeds it.  A sink copies the stream
 * into a ring of aligned buffers; one thread hashes full buffers, another
 * writes them with O_DIRECT, so the bytes go from those buffers to the disk
 * and the caller goes on receiving while the disk and the hash work.
 * Where O_DIRECT is refused (tmpfs, some FUSE filesystems) it writes
 * through the page cache and starts writeback as it goes.  Either way the
 * caller still syncs the file before it relies on it. */
#ifndef PG_SINK_H
#define PG_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "digest.h"

typedef struct pg_sink pg_sink;

/* Starts a sink writing to fd (the caller's: open for writing, empty, not
 * O_APPEND) from offset 0 and, when sha is not NULL (begun), feeding it
 * every byte in order; sha is the sink's until pg_sink_finish or
 * pg_sink_abort.  NULL when no memory or thread can be had: the caller
 * writes and hashes by itself then. */
pg_sink *pg_sink_start(int fd, pg_sha256 *sha);

/* Copies p[0..n) into the sink, waiting while every buffer is in flight.
 * Returns 0, or the errno of an earlier write that failed (the sink keeps
 * failing from then on). */
int pg_sink_write(pg_sink *s, const void *p, size_t n);

/* Writes and hashes what is left, ends the threads and frees s.  Returns 0
 * when every byte reached the file, else the errno of the first failure.
 * fd stays open, the caller's, without O_DIRECT.  *direct_bytes (when not
 * NULL) is set to how many bytes went straight to the disk. */
int pg_sink_finish(pg_sink *s, uint64_t *direct_bytes);

/* Stops without writing or hashing what is left (a failed extraction
 * removes the file and drops the hash) and frees s.  NULL is fine. */
void pg_sink_abort(pg_sink *s);

#endif
