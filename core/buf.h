/* buf.h — growable byte buffer with a hard maximum (curl's dynbuf habit).
 * Growing past `max` is an error the caller maps to its own limit code,
 * never a crash or an unbounded allocation. */
#ifndef PG_BUF_H
#define PG_BUF_H

#include <stddef.h>
#include <stdarg.h>

typedef struct pg_buf {
	char *data;   /* always NUL-terminated when non-NULL; owned by the buffer */
	size_t len;
	size_t cap;
	size_t max;   /* len may never exceed max */
} pg_buf;

/* Initialises an empty buffer that may hold at most max bytes. */
void pg_buf_init(pg_buf *b, size_t max);
/* Frees the storage; the buffer is empty and reusable afterwards. */
void pg_buf_free(pg_buf *b);
/* Empties without freeing. */
void pg_buf_reset(pg_buf *b);
/* Appends n bytes.  Returns 0, or -1 when max would be exceeded, -2 on ENOMEM
 * (the buffer is unchanged in both cases). */
int pg_buf_add(pg_buf *b, const void *p, size_t n);
/* Appends a NUL-terminated string; same returns. */
int pg_buf_adds(pg_buf *b, const char *s);
/* Appends one byte; same returns. */
int pg_buf_addc(pg_buf *b, char c);
/* Appends printf output; same returns. */
int pg_buf_printf(pg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends what fd holds, up to its end.  Returns 0 at the end; -1 when fd
 * holds more than the buffer may take (the buffer then holds what fit);
 * -2 on ENOMEM; -3 on a read error, errno telling which.  A read
 * interrupted by a signal is retried.  fd stays open (the caller's). */
int pg_buf_read_fd(pg_buf *b, int fd);
/* Hands the storage to the caller (free() it) and empties the buffer.  Never
 * NULL unless out of memory: an empty buffer yields "". */
char *pg_buf_steal(pg_buf *b, size_t *len);

#endif
