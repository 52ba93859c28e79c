/* view_perms.c — the pack view's Permissions tab: for tools, files,
 * network and data classes, what the pack requests, the contract's
 * maximum, the environment's (the policy's) and the granted set
 * (pg_policy_granted: requested ∩ contract maximum ∩ environment; shown,
 * never widened). */
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "model.h"

static const char *const kinds[] = { "tools", "files", "network", "data_classes" };

struct perms {
	tui_pack *P;
	cJSON *granted;      /* NULL without a policy */
	char error[1100];
};

static int has(const cJSON *set, const char *kind, const char *item)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, pg_json_get(set, kind))
		if (cJSON_IsString(x) && !strcmp(x->valuestring, item))
			return 1;
	return 0;
}

static void set_line(tui_text *x, const char *label, const cJSON *arr, tui_color c, int w)
{
	char *j = tm_join(arr);

	tl_wrap(x, TC_LABEL, label, 20, c, j && j[0] ? j : "\xe2\x80\x94", w);
	free(j);
}

static void build(tui *t, tui_view *v, int w)
{
	struct perms *S = v->priv;
	tui_text *x = &v->text;
	const cJSON *req = pg_json_get(S->P->permissions, "requested");
	const cJSON *max = pg_json_get(S->P->contract, "maximum_permissions");
	const cJSON *env = t->policy ? t->policy->environment_permissions : NULL;
	int beyond = 0;
	tui_line *l;

	tl_clear(x);
	x->built_w = w;
	x->cur = x->n;
	l = tl_new(x);
	tl_add(x, l, TC_HEADER, _(" Permissions"));
	tl_add(x, l, TC_DIM, _("   granted = requested \xe2\x88\xa9 contract maximum \xe2\x88\xa9 environment"));
	if (!S->P->permissions || !S->P->contract) {
		l = tl_new(x);
		tl_add(x, l, TC_ERROR, _("   permissions.json or contract.json could not be read"));
		return;
	}
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		const cJSON *it;

		cJSON_ArrayForEach(it, pg_json_get(req, kinds[k]))
			if (cJSON_IsString(it) && !has(max, kinds[k], it->valuestring))
				beyond = 1;
	}
	l = tl_new(x);
	tl_add(x, l, TC_NORMAL, "   ");
	if (beyond)
		tl_add(x, l, TC_CHECK_FAIL, _("\xe2\x9c\x97 policy.permissions: the pack requests more than its contract allows"));
	else
		tl_add(x, l, TC_CHECK_PASS, _("\xe2\x9c\x93 requested within the contract maximum"));
	if (S->error[0]) {
		l = tl_new(x);
		tl_add(x, l, TC_ERROR, "   ");
		tl_add(x, l, TC_ERROR, S->error);
	}
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		const cJSON *it;
		int any = 0;

		tl_new(x);
		l = tl_new(x);
		tl_addf(x, l, TC_HEADER, " %s", kinds[k]);
		/* requested, each item marked granted or with why not */
		l = tl_new(x);
		tl_addw(x, l, TC_LABEL, _("   requested"), 20, 0);
		cJSON_ArrayForEach(it, pg_json_get(req, kinds[k])) {
			const char *s = cJSON_IsString(it) ? it->valuestring : "?";
			int in_max = has(max, kinds[k], s);
			int in_env = !t->policy || has(env, kinds[k], s);

			if (tl_width(l) + tui_width(s) + 24 > (size_t)w) {
				l = tl_new(x);
				tl_addw(x, l, TC_LABEL, "", 20, 0);
			} else if (any) {
				tl_add(x, l, TC_NORMAL, ", ");
			}
			any = 1;
			tl_add(x, l, TC_NORMAL, s);
			if (!in_max)
				tl_add(x, l, TC_CHECK_FAIL, _(" \xe2\x9c\x97 not in contract"));
			else if (!in_env)
				tl_add(x, l, TC_CHECK_FAIL, _(" \xe2\x9c\x97 not in environment"));
			else if (t->policy)
				tl_add(x, l, TC_CHECK_PASS, " \xe2\x9c\x93");
		}
		if (!any)
			tl_add(x, l, TC_DIM, "\xe2\x80\x94");
		set_line(x, _("   contract max"), pg_json_get(max, kinds[k]), TC_NORMAL, w);
		if (t->policy)
			set_line(x, _("   environment"), pg_json_get(env, kinds[k]), TC_NORMAL, w);
		else
			tl_wrap(x, TC_LABEL, _("   environment"), 20, TC_DIM, _("unknown without a policy"), w);
		if (S->granted)
			set_line(x, _("   granted"), pg_json_get(S->granted, kinds[k]), TC_CHECK_PASS, w);
		else
			tl_wrap(x, TC_LABEL, _("   granted"), 20, TC_DIM, _("needs a policy (--policy)"), w);
	}
	if (pg_json_get(S->P->permissions, "denied")) {
		char *j = tm_join(pg_json_get(S->P->permissions, "denied"));

		tl_new(x);
		l = tl_new(x);
		tl_addw(x, l, TC_HEADER, _(" denied"), 20, 0);
		tl_add(x, l, TC_NORMAL, j && j[0] ? j : "\xe2\x80\x94");
		tl_add(x, l, TC_DIM, _("  (shown; never used to grant or widen)"));
		free(j);
	}
}

static int perms_open(tui *t, tui_view *v, void *arg)
{
	struct perms *S = calloc(1, sizeof *S);
	pg_error err;

	if (!S)
		return -1;
	v->priv = S;
	S->P = arg;
	pg_error_clear(&err);
	if (t->policy && S->P->contract && S->P->permissions &&
	    pg_policy_granted(t->policy, S->P->contract, S->P->permissions, &S->granted, &err))
		tui_err_text(&err, S->error, sizeof S->error);
	return 0;
}

static void perms_draw(tui *t, tui_view *v, const tui_rect *r)
{
	if (v->text.built_w != r->w)
		build(t, v, r->w);
	tui_text_draw(t, v, r);
}

static tui_req perms_request(tui *t, tui_view *v, tui_req req)
{
	return tui_text_request(t, v, req);
}

static void perms_done(tui_view *v)
{
	struct perms *S = v->priv;

	if (S) {
		cJSON_Delete(S->granted);
		free(S);
	}
	v->priv = NULL;
}

static const tui_req perms_hints[] = {
	REQ_NEXT_TAB, REQ_PREV_TAB, REQ_VIEW_EVAL, REQ_VIEW_LINEAGE, REQ_APPROVE, REQ_TRANSITION,
	REQ_HELP, REQ_QUIT, REQ_NONE,
};

const tui_view_ops tui_perms_ops = {
	.name = N_("Permissions"),
	.scopes = TUI_SCOPE_PACK,
	.open = perms_open,
	.draw = perms_draw,
	.request = perms_request,
	.select = NULL,
	.done = perms_done,
	.hints = perms_hints,
	.pack = NULL,
};
