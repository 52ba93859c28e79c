/* view_lineage.c — the pack view's Lineage tab: the registry's lineage
 * graph drawn by pg_lin_layout (ancestors, or descendants with d), walked
 * with j/k and ←/→, Enter opening any pack that is present; below it the
 * pack's own lineage record (operator parameters, data, training). */
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "json.h"
#include "lineage.h"
#include "model.h"

struct lineage {
	tui_pack *P;
	pg_lin_dir dir;
	pg_lin_graph g;
	pg_lin_lines lines;
	size_t first;        /* text line of layout line 0 */
};

static int load(tui *t, struct lineage *L, pg_error *err)
{
	pg_lin_lines_free(&L->lines);
	pg_lin_graph_free(&L->g);
	if (!t->reg)
		return pg_err(err, PG_REGISTRY_NOT_FOUND, _("no registry")), -1;
	if (pg_reg_lineage(t->reg, L->P->p->id, L->dir, -1, &L->g, err))
		return -1;
	if (pg_lin_layout(&L->g, L->dir, &L->lines, err))
		return -1;
	return 0;
}

static tui_color node_color(const pg_lin_node *nd, const pg_lin_line *ln)
{
	if (!nd->present)
		return TC_MISSING;
	if (ln->back_ref)
		return TC_DIM;
	if (nd->state == PG_STATE_QUARANTINED)
		return TC_STATE_QUARANTINED;
	if (nd->tainted)
		return TC_TAINT;
	return TC_NORMAL;
}

static void record(tui_text *x, const cJSON *lin, int w)
{
	const cJSON *it;
	tui_line *l;

	if (!lin)
		return;
	tl_new(x);
	l = tl_new(x);
	tl_add(x, l, TC_HEADER, _(" Lineage record of this pack"));
	if (pg_json_get(lin, "operator_params")) {
		char *s = cJSON_PrintUnformatted(pg_json_get(lin, "operator_params"));

		tl_wrap(x, TC_LABEL, _("   parameters"), 17, TC_NORMAL, s ? s : "?", w);
		cJSON_free(s);
	}
	cJSON_ArrayForEach(it, pg_json_get(lin, "data")) {
		char buf[600];
		const char *v = pg_json_str(pg_json_get(it, "version"));
		const char *h = pg_json_str(pg_json_get(it, "sha256"));

		snprintf(buf, sizeof buf, "%s%s%s%s%.12s%s", pg_json_str(pg_json_get(it, "name")) ?
		         pg_json_str(pg_json_get(it, "name")) : "?", v ? " " : "", v ? v : "",
		         h ? "  sha256:" : "", h ? h : "", h ? "\xe2\x80\xa6" : "");
		tl_wrap(x, TC_LABEL, _("   data"), 17, TC_NORMAL, buf, w);
	}
	if (cJSON_IsObject(pg_json_get(lin, "training"))) {
		cJSON_ArrayForEach(it, pg_json_get(lin, "training")) {
			char *s = cJSON_IsString(it) ? NULL : cJSON_PrintUnformatted(it);
			char label[80];

			snprintf(label, sizeof label, "   %s", it->string ? it->string : "?");
			tl_wrap(x, TC_LABEL, label, 17, TC_NORMAL, s ? s : it->valuestring, w);
			cJSON_free(s);
		}
	}
	if (pg_json_str(pg_json_get(lin, "created_by")))
		tl_wrap(x, TC_LABEL, _("   created by"), 17, TC_NORMAL,
		        pg_json_str(pg_json_get(lin, "created_by")), w);
}

static void build(tui *t, tui_view *v, int w)
{
	struct lineage *L = v->priv;
	tui_text *x = &v->text;
	tui_line *cur = tui_text_current(v), *l;
	long data = cur ? cur->data : 0;
	char buf[600];
	size_t nmissing = 0, ntaint = 0;

	(void)t;
	tl_clear(x);
	x->built_w = w;
	l = tl_new(x);
	snprintf(buf, sizeof buf, L->dir == PG_LIN_ANCESTORS ? _(" Ancestors of %s %s")
	                                                       : _(" Descendants of %s %s"),
	         L->P->p->name, L->P->p->version);
	tl_add(x, l, TC_HEADER, buf);
	tl_add(x, l, TC_DIM, "   ");
	tl_wrap_on(x, l, TC_DIM, _("d: descendants/ancestors  Enter: open  \xe2\x86\x90/\xe2\x86\x92 walk"), w, 3);
	tl_new(x);
	L->first = x->n;
	for (size_t i = 0; i < L->lines.n; i++) {
		const pg_lin_line *ln = &L->lines.lines[i];
		const pg_lin_node *nd = &L->g.nodes[ln->node];
		size_t plen = strlen(ln->prefix);

		l = tl_new(x);
		if (!l)
			break;
		l->selectable = 1;
		l->data = (long)i;
		tl_add(x, l, TC_NORMAL, " ");
		if (plen) {
			char *pre = strndup(ln->text, plen);

			tl_add(x, l, TC_DIM, pre ? pre : "");
			free(pre);
		}
		tl_add(x, l, node_color(nd, ln), ln->text + (strlen(ln->text) >= plen ? plen : 0));
		nmissing += !nd->present && !ln->back_ref;
		ntaint += nd->present && nd->tainted && !ln->back_ref;
	}
	tl_new(x);
	l = tl_new(x);
	snprintf(buf, sizeof buf, ngettext(" %zu pack", " %zu packs", L->g.nnodes), L->g.nnodes);
	tl_add(x, l, TC_DIM, buf);
	if (nmissing)
		tl_addf(x, l, TC_MISSING, " \xc2\xb7 %zu %s", nmissing, _("not in the registry"));
	if (ntaint)
		tl_addf(x, l, TC_TAINT, " \xc2\xb7 %zu %s", ntaint, _("tainted"));
	if (L->dir == PG_LIN_ANCESTORS)
		record(x, L->P->lineage, w);
	tui_text_keep(v, cur != NULL, data);
}

static int lineage_open(tui *t, tui_view *v, void *arg)
{
	struct lineage *L = calloc(1, sizeof *L);
	pg_error err;

	if (!L)
		return -1;
	v->priv = L;
	v->text.sticky = 1;
	L->P = arg;
	L->dir = PG_LIN_ANCESTORS;
	pg_error_clear(&err);
	if (load(t, L, &err)) {
		tui_status_err(t, &err);
		return -1;
	}
	return 0;
}

static void lineage_draw(tui *t, tui_view *v, const tui_rect *r)
{
	struct lineage *L = v->priv;
	tui_line *l;

	if (v->text.built_w != r->w)
		build(t, v, r->w);
	tui_text_draw(t, v, r);
	if ((l = tui_text_current(v)) != NULL && (size_t)l->data < L->lines.n) {
		const pg_lin_line *ln = &L->lines.lines[l->data];

		snprintf(t->info, sizeof t->info, _("depth %u  %zu/%zu"), ln->depth, (size_t)l->data + 1,
		         L->lines.n);
	}
}

static void go_line(tui *t, tui_view *v, size_t layout_line)
{
	struct lineage *L = v->priv;

	(void)t;
	tui_text_goto(v, L->first + layout_line);
}

static tui_req lineage_request(tui *t, tui_view *v, tui_req req)
{
	struct lineage *L = v->priv;
	tui_line *l = tui_text_current(v);
	const pg_lin_line *ln = l && (size_t)l->data < L->lines.n ? &L->lines.lines[l->data] : NULL;
	const pg_lin_node *nd = ln ? &L->g.nodes[ln->node] : NULL;
	pg_error err;

	switch (req) {
	case REQ_MOVE_LEFT:
		if (ln && ln->up != PG_LIN_NO_LINE)
			go_line(t, v, ln->up);
		return REQ_NONE;
	case REQ_MOVE_RIGHT:
		if (!ln)
			return REQ_NONE;
		if (ln->back_ref) {
			go_line(t, v, ln->full);
			return REQ_NONE;
		}
		for (size_t i = (size_t)l->data + 1; i < L->lines.n; i++)
			if (L->lines.lines[i].up == (size_t)l->data) {
				go_line(t, v, i);
				break;
			}
		return REQ_NONE;
	case REQ_ENTER:
		if (!nd)
			return REQ_NONE;
		if (!nd->present) {
			tui_status(t, _("not in the registry: %s"), nd->id);
		} else {
			tui_pack_arg a;
			char id[PG_ID_LEN];

			snprintf(id, sizeof id, "%s", nd->id);
			a.id = id;
			a.tab = TUI_TAB_LINEAGE;
			tui_push(t, &tui_pack_ops, &a);
		}
		return REQ_NONE;
	case REQ_DESCENDANTS:
		L->dir = L->dir == PG_LIN_ANCESTORS ? PG_LIN_DESCENDANTS : PG_LIN_ANCESTORS;
		pg_error_clear(&err);
		if (load(t, L, &err))
			tui_status_err(t, &err);
		v->text.cur = v->text.n;
		tui_text_invalidate(v);
		build(t, v, v->text.built_w ? v->text.built_w : COLS);
		tui_text_goto(v, L->first);
		return REQ_NONE;
	default:
		return tui_text_request(t, v, req);
	}
}

static void lineage_done(tui_view *v)
{
	struct lineage *L = v->priv;

	if (L) {
		pg_lin_lines_free(&L->lines);
		pg_lin_graph_free(&L->g);
		free(L);
	}
	v->priv = NULL;
}

static const tui_req lineage_hints[] = {
	REQ_ENTER, REQ_DESCENDANTS, REQ_MOVE_LEFT, REQ_MOVE_RIGHT, REQ_NEXT_TAB, REQ_APPROVE,
	REQ_TRANSITION, REQ_HELP, REQ_QUIT, REQ_NONE,
};

const tui_view_ops tui_lineage_ops = {
	.name = N_("Lineage"),
	.scopes = TUI_SCOPE_LINEAGE,
	.open = lineage_open,
	.draw = lineage_draw,
	.request = lineage_request,
	.select = NULL,
	.done = lineage_done,
	.hints = lineage_hints,
	.pack = NULL,
};
