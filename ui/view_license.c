/* view_license.c — the pack view's License tab: the pack's own notice and,
 * below it, every obligation inherited through the lineage with the
 * ancestor it comes from; conflicts flagged first. */
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "model.h"

struct license {
	tui_pack *P;
	tm_license L;
};

static void heading(tui_text *x, const char *text)
{
	tui_line *l;

	tl_new(x);
	l = tl_new(x);
	tl_add(x, l, TC_HEADER, text);
}

static void items(tui_text *x, const tm_license *L, int self, int w)
{
	int fw = w >= 120 ? 34 : w >= 96 ? 30 : 22, kw = 6, nw = w >= 120 ? 26 : 14, lw = w >= 120 ? 22 : 14;
	tui_line *l;
	const char *last = NULL;

	l = tl_new(x);
	tl_add(x, l, TC_HEADER, "   ");
	if (!self) {
		tl_addw(x, l, TC_HEADER, _("FROM"), fw, 0);
		tl_add(x, l, TC_HEADER, " ");
	}
	tl_addw(x, l, TC_HEADER, _("KIND"), kw, 0);
	tl_add(x, l, TC_HEADER, " ");
	tl_addw(x, l, TC_HEADER, _("NAME"), nw, 0);
	tl_add(x, l, TC_HEADER, " ");
	tl_addw(x, l, TC_HEADER, _("LICENSE"), lw, 0);
	tl_add(x, l, TC_HEADER, " ");
	tl_add(x, l, TC_HEADER, _("OBLIGATIONS"));
	if (self)
		tl_wrap(x, TC_DIM, "", 3, TC_DIM, _("(kind \"terms\": the notice's own obligations; its "
	                                   "LICENSE column is the redistribution it allows)"), w);
	for (size_t i = 0; i < L->n; i++) {
		const tm_lic_item *it = &L->v[i];
		char lic[300];

		if (it->self != self)
			continue;
		/* the pack-level row only when it says something */
		if (!strcmp(it->kind, "terms") && !it->missing && !it->obligations[0] &&
		    !it->redistribution[0])
			continue;
		l = tl_new(x);
		tl_add(x, l, TC_NORMAL, "   ");
		if (!self) {
			int same = last && !strcmp(last, it->from);

			tl_addw(x, l, it->missing ? TC_MISSING : TC_NORMAL, same ? "" : it->from, fw, 0);
			tl_add(x, l, TC_NORMAL, " ");
			last = it->from;
		}
		tl_addw(x, l, TC_DIM, it->kind, kw, 0);
		tl_add(x, l, TC_NORMAL, " ");
		tl_addw(x, l, TC_NORMAL, it->name, nw, 0);
		tl_add(x, l, TC_NORMAL, " ");
		if (it->missing)
			snprintf(lic, sizeof lic, "%s", _("unknown"));
		else if (!strcmp(it->kind, "terms"))
			snprintf(lic, sizeof lic, "%s", it->redistribution);
		else
			snprintf(lic, sizeof lic, "%s", it->license);
		tl_addw(x, l, it->missing ? TC_MISSING : TC_NORMAL, lic, lw, 0);
		tl_add(x, l, TC_NORMAL, " ");
		tl_wrap_on(x, l, it->missing ? TC_MISSING : TC_NORMAL,
		           it->missing ? _("obligations unknown: the notice is not in the registry")
		                       : it->obligations, w, (int)tl_width(l));
	}
}

static void build(tui *t, tui_view *v, int w)
{
	struct license *S = v->priv;
	tui_text *x = &v->text;
	const cJSON *own = S->P->license;
	tui_line *l;
	char buf[300];
	size_t ninh = 0;

	(void)t;
	tl_clear(x);
	x->built_w = w;
	l = tl_new(x);
	snprintf(buf, sizeof buf, _(" License of %s %s"), S->P->p->name, S->P->p->version);
	tl_add(x, l, TC_HEADER, buf);
	if (!own) {
		l = tl_new(x);
		tl_add(x, l, TC_ERROR, _("   the license notice could not be read"));
	}
	/* conflicts first: they are what a reviewer must not miss */
	if (S->L.nconflicts) {
		snprintf(buf, sizeof buf, _(" Conflicts (%zu)"), S->L.nconflicts);
		heading(x, buf);
		for (size_t i = 0; i < S->L.nconflicts; i++)
			tl_wrap(x, TC_CONFLICT, "   \xe2\x9a\xa0", 6, TC_CONFLICT, S->L.conflicts[i], w);
	}
	if (own) {
		const char *model = pg_json_str(pg_json_get(pg_json_get(own, "model"), "license"));
		const char *redis = pg_json_str(pg_json_get(own, "redistribution"));

		tl_new(x);
		tl_wrap(x, TC_LABEL, _("   model license"), 20, TC_NORMAL, model ? model : "?", w);
		tl_wrap(x, TC_LABEL, _("   redistribution"), 20, redis ? TC_NORMAL : TC_DIM,
		        redis ? redis : _("not stated"), w);
		heading(x, _(" This pack's terms"));
		items(x, &S->L, 1, w);
		if (S->L.notice[0]) {
			heading(x, _(" Notice"));
			tl_wrap(x, TC_NORMAL, "", 3, TC_NORMAL, pg_json_str(pg_json_get(own, "notice")), w);
		}
	}
	for (size_t i = 0; i < S->L.n; i++)
		ninh += !S->L.v[i].self;
	heading(x, _(" Inherited through the lineage"));
	if (!ninh) {
		l = tl_new(x);
		tl_add(x, l, TC_DIM, _("   nothing: the pack has no ancestors"));
	} else {
		items(x, &S->L, 0, w);
	}
	x->cur = x->n;
}

static int license_open(tui *t, tui_view *v, void *arg)
{
	struct license *S = calloc(1, sizeof *S);
	pg_error err;

	if (!S)
		return -1;
	v->priv = S;
	S->P = arg;
	pg_error_clear(&err);
	if (!t->reg || tm_license_collect(t->reg, S->P->p->id, S->P->license, &S->L, &err)) {
		if (!t->reg)
			pg_err(&err, PG_REGISTRY_NOT_FOUND, _("no registry"));
		tui_status_err(t, &err);
		return -1;
	}
	return 0;
}

static void license_draw(tui *t, tui_view *v, const tui_rect *r)
{
	if (v->text.built_w != r->w)
		build(t, v, r->w);
	tui_text_draw(t, v, r);
}

static tui_req license_request(tui *t, tui_view *v, tui_req req)
{
	return tui_text_request(t, v, req);
}

static void license_done(tui_view *v)
{
	struct license *S = v->priv;

	if (S) {
		tm_license_free(&S->L);
		free(S);
	}
	v->priv = NULL;
}

static const tui_req license_hints[] = {
	REQ_NEXT_TAB, REQ_VIEW_LINEAGE, REQ_VIEW_EVAL, REQ_SEARCH, REQ_APPROVE, REQ_TRANSITION,
	REQ_HELP, REQ_QUIT, REQ_NONE,
};

const tui_view_ops tui_license_ops = {
	.name = N_("License"),
	.scopes = TUI_SCOPE_PACK,
	.open = license_open,
	.draw = license_draw,
	.request = license_request,
	.select = NULL,
	.done = license_done,
	.hints = license_hints,
	.pack = NULL,
};
