/* walk.h — walking a JSON document against its schema: the field path,
 * failures at that path with their stable code, and member lookups checked
 * for their kind.  The pack documents (schema.c) and the policy (policy.c)
 * are both walked this way, so their messages read alike. */
#ifndef PG_WALK_H
#define PG_WALK_H

#include <cjson/cJSON.h>
#include "json.h"
#include "pg.h"
#include "schema.h"

typedef struct pg_walk {
	pg_error *err;
	const char *doc; /* the document's name, said for its root */
	int doc_prefix;  /* say the document's name before every path too */
	pg_jpath p;      /* where the walk is */
} pg_walk;

#define PG_WALK_REQ 1      /* the member is required */
#define PG_WALK_NONEMPTY 2 /* a string not empty, an array with an element */

/* Starts a walk of document doc (may be NULL) at path where (NULL: the
 * root); failures go into err. */
void pg_walk_init(pg_walk *w, pg_error *err, const char *doc, int doc_prefix, const char *where);

/* Where-you-are marks: append ".key" or "[i]", pop back to a mark. */
size_t pg_walk_key(pg_walk *w, const char *key);
size_t pg_walk_index(pg_walk *w, size_t i);
void pg_walk_pop(pg_walk *w, size_t mark);

/* Fails at the current path with code: err->path is the path, the message
 * "[doc: ]path: detail", at the root "doc: detail".  Returns code. */
pg_code pg_walk_fail(pg_walk *w, pg_code code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* pg_schema_kind of v at the current path. */
pg_code pg_walk_kind(pg_walk *w, const cJSON *v, pg_kind k);

/* Member key of obj, checked for kind k and the flags with the path
 * pushed (and popped again); *out is the member, NULL when it is absent
 * (an error with PG_WALK_REQ) or on failure. */
pg_code pg_walk_get(pg_walk *w, const cJSON *obj, const char *key, pg_kind k, int flags, const cJSON **out);

#endif
