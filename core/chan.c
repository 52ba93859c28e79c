/* chan.c — the bounded byte channel of chan.h: a ring of slots under one
 * mutex.  The writer fills the slot after the last full one outside the
 * lock (the reader cannot see it before it is published), the reader holds
 * the first full one until its next read. */
#include "chan.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct slot {
	unsigned char *data;
	size_t len;
};

struct pg_chan {
	pthread_mutex_t mu;
	pthread_cond_t readable, writable;
	struct slot *slots;
	size_t nslots, slot_size;
	size_t head;     /* the first full slot (the reader's while it holds one) */
	size_t full;     /* full slots from head on, the held one included */
	int holding;     /* the reader holds slots[head] */
	int filling;     /* the writer fills slots[(head + full) % nslots] */
	size_t fill;     /* that slot's index */
	int eof;         /* the writer closed */
	int gone;        /* the reader closed */
};

pg_chan *pg_chan_new(size_t slot_size, size_t nslots)
{
	pg_chan *c;

	if (nslots < 2 || slot_size == 0)
		return NULL;
	c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->readable, NULL);
	pthread_cond_init(&c->writable, NULL);
	c->slot_size = slot_size;
	c->slots = calloc(nslots, sizeof *c->slots);
	if (!c->slots) {
		pg_chan_free(c);
		return NULL;
	}
	for (size_t i = 0; i < nslots; i++, c->nslots++)
		if (!(c->slots[i].data = malloc(slot_size))) {
			pg_chan_free(c);
			return NULL;
		}
	return c;
}

void pg_chan_free(pg_chan *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nslots; i++)
		free(c->slots[i].data);
	free(c->slots);
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->readable);
	pthread_cond_destroy(&c->writable);
	free(c);
}

/* Publishes the slot being filled; with mu held. */
static void publish(pg_chan *c)
{
	c->filling = 0;
	c->full++;
	pthread_cond_signal(&c->readable);
}

int pg_chan_write(pg_chan *c, const void *buf, size_t n)
{
	const unsigned char *p = buf;

	while (n) {
		struct slot *s;
		size_t k;

		if (!c->filling) {
			pthread_mutex_lock(&c->mu);
			while (c->full == c->nslots && !c->gone)
				pthread_cond_wait(&c->writable, &c->mu);
			if (c->gone) {
				pthread_mutex_unlock(&c->mu);
				return EPIPE;
			}
			c->fill = (c->head + c->full) % c->nslots;
			c->filling = 1;
			c->slots[c->fill].len = 0;
			pthread_mutex_unlock(&c->mu);
		}
		s = &c->slots[c->fill];
		k = c->slot_size - s->len;
		if (k > n)
			k = n;
		memcpy(s->data + s->len, p, k);
		s->len += k;
		p += k;
		n -= k;
		if (s->len == c->slot_size) {
			pthread_mutex_lock(&c->mu);
			publish(c);
			pthread_mutex_unlock(&c->mu);
		}
	}
	{
		int gone;
		pthread_mutex_lock(&c->mu);
		gone = c->gone;
		pthread_mutex_unlock(&c->mu);
		return gone ? EPIPE : 0;
	}
}

void pg_chan_close_write(pg_chan *c)
{
	pthread_mutex_lock(&c->mu);
	if (c->filling && c->slots[c->fill].len)
		publish(c);
	c->filling = 0;
	c->eof = 1;
	pthread_cond_signal(&c->readable);
	pthread_mutex_unlock(&c->mu);
}

size_t pg_chan_read(pg_chan *c, const void **out)
{
	size_t n = 0;

	pthread_mutex_lock(&c->mu);
	if (c->holding) {
		c->holding = 0;
		c->head = (c->head + 1) % c->nslots;
		c->full--;
		pthread_cond_signal(&c->writable);
	}
	while (c->full == 0 && !c->eof)
		pthread_cond_wait(&c->readable, &c->mu);
	if (c->full) {
		c->holding = 1;
		*out = c->slots[c->head].data;
		n = c->slots[c->head].len;
	} else {
		*out = NULL;
	}
	pthread_mutex_unlock(&c->mu);
	return n;
}

void pg_chan_close_read(pg_chan *c)
{
	pthread_mutex_lock(&c->mu);
	c->gone = 1;
	pthread_cond_signal(&c->writable);
	pthread_mutex_unlock(&c->mu);
}
