/* walk.c — see walk.h. */
#include "walk.h"

#include <stdarg.h>
#include <stdio.h>

void pg_walk_init(pg_walk *w, pg_error *err, const char *doc, int doc_prefix, const char *where)
{
	w->err = err;
	w->doc = doc;
	w->doc_prefix = doc_prefix;
	pg_jpath_init(&w->p, where);
}

size_t pg_walk_key(pg_walk *w, const char *key)
{
	return pg_jpath_key(&w->p, key);
}

size_t pg_walk_index(pg_walk *w, size_t i)
{
	return pg_jpath_index(&w->p, i);
}

void pg_walk_pop(pg_walk *w, size_t mark)
{
	pg_jpath_pop(&w->p, mark);
}

pg_code pg_walk_fail(pg_walk *w, pg_code code, const char *fmt, ...)
{
	char detail[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	pg_error_path(w->err, "%s", w->p.s);
	if (w->p.len == 0)
		return pg_err(w->err, code, "%s: %s", w->doc ? w->doc : "", detail);
	if (w->doc_prefix && w->doc)
		return pg_err(w->err, code, "%s: %s: %s", w->doc, w->p.s, detail);
	return pg_err(w->err, code, "%s: %s", w->p.s, detail);
}

pg_code pg_walk_kind(pg_walk *w, const cJSON *v, pg_kind k)
{
	const char *why;
	pg_code rc = pg_schema_kind(v, k, &why);

	return rc ? pg_walk_fail(w, rc, "%s", why) : PG_OK;
}

pg_code pg_walk_get(pg_walk *w, const cJSON *obj, const char *key, pg_kind k, int flags, const cJSON **out)
{
	const cJSON *v = pg_json_get(obj, key);
	size_t mark = pg_walk_key(w, key);
	pg_code rc = PG_OK;

	*out = NULL;
	if (!v) {
		if (flags & PG_WALK_REQ)
			rc = pg_walk_fail(w, PG_SCHEMA, _("missing"));
		goto out;
	}
	rc = pg_walk_kind(w, v, k);
	if (rc == PG_OK && (flags & PG_WALK_NONEMPTY)) {
		if (k == PG_KIND_STRING && v->valuestring[0] == '\0')
			rc = pg_walk_fail(w, PG_SCHEMA, _("empty"));
		else if (k == PG_KIND_ARRAY && !v->child)
			rc = pg_walk_fail(w, PG_SCHEMA, _("empty"));
	}
	if (rc == PG_OK)
		*out = v;
out:
	pg_walk_pop(w, mark);
	return rc;
}
