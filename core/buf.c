/* buf.c — growable byte buffer with a hard maximum. */
#include "buf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void pg_buf_init(pg_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void pg_buf_free(pg_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void pg_buf_reset(pg_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* Makes room for n more bytes plus the terminating NUL. */
static int grow(pg_buf *b, size_t n)
{
	size_t need, ncap;
	char *p;

	if (n > b->max || b->len > b->max - n)
		return -1;
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	p = realloc(b->data, ncap);
	if (!p)
		return -2;
	b->data = p;
	b->cap = ncap;
	return 0;
}

int pg_buf_add(pg_buf *b, const void *p, size_t n)
{
	int rc = grow(b, n);

	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int pg_buf_adds(pg_buf *b, const char *s)
{
	return pg_buf_add(b, s, strlen(s));
}

int pg_buf_addc(pg_buf *b, char c)
{
	return pg_buf_add(b, &c, 1);
}

int pg_buf_printf(pg_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -2;
	rc = grow(b, (size_t)n);
	if (rc)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

char *pg_buf_steal(pg_buf *b, size_t *len)
{
	char *p = b->data;

	if (!p)
		p = calloc(1, 1);
	if (len)
		*len = p ? b->len : 0;
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}

int pg_buf_read_fd(pg_buf *b, int fd)
{
	char block[8192];

	for (;;) {
		ssize_t n = read(fd, block, sizeof block);
		size_t room = b->max - b->len;
		int r;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -3;
		if (n == 0)
			return 0;
		if ((size_t)n > room) {
			if ((r = pg_buf_add(b, block, room)) != 0)
				return r;
			return -1;
		}
		if ((r = pg_buf_add(b, block, (size_t)n)) != 0)
			return r;
	}
}
