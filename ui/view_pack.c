/* view_pack.c — the pack view: title, the tab line (Overview · Files ·
 * Evaluation · Lineage · License · Permissions · Audit) and the current
 * tab, each tab a view of its own file sharing the loaded pack. */
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "json.h"
#include "model.h"

static const tui_view_ops *const tab_ops[TUI_TAB_COUNT_] = {
	&tui_overview_ops, &tui_files_ops, &tui_eval_ops, &tui_lineage_ops,
	&tui_license_ops, &tui_perms_ops, &tui_audit_ops,
};

static const char *const tab_names[TUI_TAB_COUNT_] = {
	N_("Overview"), N_("Files"), N_("Evaluation"), N_("Lineage"), N_("License"),
	N_("Permissions"), N_("Audit"),
};

struct pack {
	char id[PG_ID_LEN];
	tui_pack P;
	enum tui_tab tab;
	tui_view tabs[TUI_TAB_COUNT_];
	int opened[TUI_TAB_COUNT_];
};

static void shared_free(tui_pack *P)
{
	cJSON_Delete(P->manifest);
	cJSON_Delete(P->card);
	cJSON_Delete(P->license);
	cJSON_Delete(P->lineage);
	cJSON_Delete(P->contract);
	cJSON_Delete(P->permissions);
	cJSON_Delete(P->resources);
	cJSON_Delete(P->rollback);
	free(P->taint_reason);
	pg_reg_pack_free(P->p);
	memset(P, 0, sizeof *P);
}

static int shared_load(tui *t, const char *id, tui_pack *P, pg_error *err)
{
	char reason[256];

	memset(P, 0, sizeof *P);
	if (!t->reg)
		return pg_err(err, PG_REGISTRY_NOT_FOUND, _("%s: not in the registry"), id), -1;
	if (pg_reg_show(t->reg, id, &P->p, err))
		return -1;
	if (pg_json_parse(P->p->manifest, P->p->manifest_len, NULL, &P->manifest, err))
		P->manifest = NULL;
	P->card = tm_pack_doc(P->p, "evaluation-card", P->card_sha256);
	P->license = tm_pack_doc(P->p, "license-notice", NULL);
	P->lineage = tm_pack_doc(P->p, "lineage", NULL);
	P->contract = tm_pack_doc(P->p, "contract", NULL);
	P->permissions = tm_pack_doc(P->p, "permissions", NULL);
	P->resources = tm_pack_doc(P->p, "resource-profile", NULL);
	P->rollback = tm_pack_doc(P->p, "rollback", NULL);
	if (P->p->tainted) {
		if (tm_taint_reason(t->reg, id, reason, sizeof reason, err)) {
			shared_free(P);
			return -1;
		}
		P->taint_reason = strdup(reason[0] ? reason : _("ancestor quarantined"));
	}
	return 0;
}

static void tabs_close(struct pack *pk)
{
	for (int i = 0; i < TUI_TAB_COUNT_; i++) {
		if (pk->opened[i] && pk->tabs[i].ops->done)
			pk->tabs[i].ops->done(&pk->tabs[i]);
		tl_clear(&pk->tabs[i].text);
		memset(&pk->tabs[i], 0, sizeof pk->tabs[i]);
		pk->opened[i] = 0;
	}
}

/* Opens tab i when it is not yet; 0 or -1. */
static int tab_open(tui *t, tui_view *v, struct pack *pk, enum tui_tab i)
{
	tui_view *tv = &pk->tabs[i];

	if (pk->opened[i])
		return 0;
	memset(tv, 0, sizeof *tv);
	tv->ops = tab_ops[i];
	tv->parent = v;
	if (tv->ops->open(t, tv, &pk->P)) {
		if (tv->ops->done)
			tv->ops->done(tv);
		tl_clear(&tv->text);
		return -1;
	}
	pk->opened[i] = 1;
	return 0;
}

/* Makes tab i current: its keys and hints become the view's. */
static void set_tab(tui_view *v, struct pack *pk, enum tui_tab i)
{
	pk->tab = i;
	v->scopes = tab_ops[i]->scopes;
	v->hints = tab_ops[i]->hints;
	v->title = tab_ops[i]->name;
}

static void switch_tab(tui *t, tui_view *v, struct pack *pk, int i)
{
	i = (i + TUI_TAB_COUNT_) % TUI_TAB_COUNT_;
	if (tab_open(t, v, pk, (enum tui_tab)i) == 0)
		set_tab(v, pk, (enum tui_tab)i);
}

static int pack_open(tui *t, tui_view *v, void *arg)
{
	const tui_pack_arg *a = arg;
	struct pack *pk = calloc(1, sizeof *pk);
	pg_error err;

	if (!pk) {
		tui_status(t, "io.memory");
		return -1;
	}
	v->priv = pk;
	pg_error_clear(&err);
	snprintf(pk->id, sizeof pk->id, "%s", a->id);
	if (shared_load(t, pk->id, &pk->P, &err)) {
		tui_status_err(t, &err);
		return -1;
	}
	if (tab_open(t, v, pk, a->tab)) {
		/* the tab could not open: fall back to the overview */
		if (a->tab == TUI_TAB_OVERVIEW || tab_open(t, v, pk, TUI_TAB_OVERVIEW))
			return -1;
		set_tab(v, pk, TUI_TAB_OVERVIEW);
		return 0;
	}
	set_tab(v, pk, a->tab);
	return 0;
}

static void pack_done(tui_view *v)
{
	struct pack *pk = v->priv;

	if (!pk)
		return;
	tabs_close(pk);
	shared_free(&pk->P);
	free(pk);
	v->priv = NULL;
}

static void pack_draw(tui *t, tui_view *v, const tui_rect *r)
{
	struct pack *pk = v->priv;
	const pg_reg_pack *p = pk->P.p;
	const char *names[TUI_TAB_COUNT_];
	char left[700], right[40];
	tui_rect body = *r;

	snprintf(left, sizeof left, " packgate \xe2\x80\xba %s %s  %s%s", p->name, p->version,
	         pg_state_name(p->state), p->tainted ? "  \xe2\x9a\xa0 " : "");
	if (p->tainted)
		strncat(left, _("tainted"), sizeof left - strlen(left) - 1);
	snprintf(right, sizeof right, "%.19s\xe2\x80\xa6", p->id);
	tui_draw_title(t, left, right);
	for (int i = 0; i < TUI_TAB_COUNT_; i++)
		names[i] = _(tab_names[i]);
	tui_draw_tabs(1, names, TUI_TAB_COUNT_, pk->tab, NULL);
	pk->tabs[pk->tab].ops->draw(t, &pk->tabs[pk->tab], &body);
}

static tui_req pack_request(tui *t, tui_view *v, tui_req req)
{
	struct pack *pk = v->priv;
	tui_view *tv = &pk->tabs[pk->tab];
	enum tui_tab keep = pk->tab;
	pg_error err;
	tui_pack fresh;

	switch (req) {
	case REQ_NEXT_TAB:
		switch_tab(t, v, pk, (int)pk->tab + 1);
		return REQ_NONE;
	case REQ_PREV_TAB:
		switch_tab(t, v, pk, (int)pk->tab - 1);
		return REQ_NONE;
	case REQ_VIEW_OVERVIEW:
		switch_tab(t, v, pk, TUI_TAB_OVERVIEW);
		return REQ_NONE;
	case REQ_VIEW_FILES:
		switch_tab(t, v, pk, TUI_TAB_FILES);
		return REQ_NONE;
	case REQ_VIEW_EVAL:
		switch_tab(t, v, pk, TUI_TAB_EVAL);
		return REQ_NONE;
	case REQ_VIEW_LINEAGE:
		switch_tab(t, v, pk, TUI_TAB_LINEAGE);
		return REQ_NONE;
	case REQ_VIEW_LICENSE:
		switch_tab(t, v, pk, TUI_TAB_LICENSE);
		return REQ_NONE;
	case REQ_VIEW_PERMS:
		switch_tab(t, v, pk, TUI_TAB_PERMS);
		return REQ_NONE;
	case REQ_VIEW_AUDIT:
		switch_tab(t, v, pk, TUI_TAB_AUDIT);
		return REQ_NONE;
	case REQ_REFRESH:
		pg_error_clear(&err);
		if (shared_load(t, pk->id, &fresh, &err)) {
			tui_status_err(t, &err);
			return REQ_NONE;
		}
		tabs_close(pk);
		shared_free(&pk->P);
		pk->P = fresh;
		set_tab(v, pk, TUI_TAB_OVERVIEW);
		if (tab_open(t, v, pk, TUI_TAB_OVERVIEW) == 0)
			switch_tab(t, v, pk, (int)keep);
		return REQ_REFRESH;
	default:
		break;
	}
	req = tv->ops->request(t, tv, req);
	return req;
}

static const char *pack_id(tui_view *v)
{
	struct pack *pk = v->priv;

	return pk ? pk->id : NULL;
}

static const tui_req pack_hints[] = {
	REQ_NEXT_TAB, REQ_VIEW_EVAL, REQ_VIEW_LINEAGE, REQ_VIEW_LICENSE, REQ_APPROVE,
	REQ_TRANSITION, REQ_SEARCH, REQ_HELP, REQ_QUIT, REQ_NONE,
};

const tui_view_ops tui_pack_ops = {
	.name = N_("Pack"),
	.scopes = TUI_SCOPE_PACK,
	.open = pack_open,
	.draw = pack_draw,
	.request = pack_request,
	.select = NULL,
	.done = pack_done,
	.hints = pack_hints,
	.pack = pack_id,
};
