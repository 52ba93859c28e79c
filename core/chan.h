/* chan.h — a bounded byte channel between two threads.
 *
 * A pull streams a pack from the network into the loader: the thread that
 * downloads writes, the thread that verifies reads.  Bytes are copied once,
 * into one of a few fixed slots; the reader gets a pointer into a slot, so
 * libarchive reads straight from it (its read callback contract: valid
 * until the next call).  Memory is nslots * slot_size, whatever the pack. */
#ifndef PG_CHAN_H
#define PG_CHAN_H

#include <stddef.h>
#include <sys/types.h>

typedef struct pg_chan pg_chan;

/* A new channel of nslots (at least 2) slots of slot_size bytes; NULL when
 * out of memory.  Free it with pg_chan_free once both sides are done. */
pg_chan *pg_chan_new(size_t slot_size, size_t nslots);
void pg_chan_free(pg_chan *c);

/* Writer side.  Copies n bytes in, waiting for free slots.  Returns 0, or
 * EPIPE once the reader has closed its side (the bytes are dropped). */
int pg_chan_write(pg_chan *c, const void *buf, size_t n);
/* Hands over the partly filled slot and marks the end of the stream.  The
 * writer must not write afterwards. */
void pg_chan_close_write(pg_chan *c);

/* Reader side.  Gives the next bytes: *out points into a slot the channel
 * owns, valid until the next pg_chan_read or pg_chan_close_read.  Returns
 * their count, 0 at the end of the stream. */
size_t pg_chan_read(pg_chan *c, const void **out);
/* The reader stops: every later write returns EPIPE, a waiting writer
 * wakes.  The reader must not read afterwards. */
void pg_chan_close_read(pg_chan *c);

#endif
