/* view_overview.c — the pack view's Overview tab: identity, contracts,
 * runtime, resources against the policy ceiling, risk against the policy
 * maximum, parents and taint, every policy check with its code, publisher
 * signatures and approvals with their signatures verified now (GnuPG), state,
 * and the manifest's unknown members. */
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "json.h"
#include "model.h"
#include "schema.h"

#define LW 16 /* label column */

struct overview {
	tui_pack *P;
	pg_policy_check checks[PG_POLICY_NCHECKS];
	int live;            /* checks computed now against the policy */
	pg_code live_rc;     /* their outcome (PG_OK when they ran) */
	char live_msg[1024];
	tm_sig *appr_sig;    /* per approval row: its signature verified now */
	tm_sig *pub_sig;     /* per publisher signature */
};


/* Verifies the approvals (their audit chain entries, by seq) and the
 * publisher signatures of the pack. */
static void verify_sigs(tui *t, struct overview *o)
{
	const pg_reg_pack *p = o->P->p;
	pg_reg_entries e;
	pg_error err;

	memset(&e, 0, sizeof e);
	o->appr_sig = calloc(p->napprovals ? p->napprovals : 1, sizeof *o->appr_sig);
	o->pub_sig = calloc(p->nsigs ? p->nsigs : 1, sizeof *o->pub_sig);
	if (!o->appr_sig || !o->pub_sig)
		return;
	pg_error_clear(&err);
	if (p->napprovals && t->sig && pg_reg_log(t->reg, p->id, &e, &err) != PG_OK)
		tui_status_err(t, &err);
	for (size_t i = 0; i < p->napprovals; i++) {
		tm_sig *s = &o->appr_sig[i];
		size_t k = 0;

		while (k < e.n && e.v[k].seq != p->approvals[i].seq)
			k++;
		tm_verify_entry(t->verifier, k < e.n ? &e.v[k] : NULL, s);
	}
	for (size_t i = 0; i < p->nsigs; i++)
		tm_verify_publisher(t->verifier, p, i, &o->pub_sig[i]);
	pg_reg_entries_free(&e);
}

static const char *str(const cJSON *obj, const char *key)
{
	const char *s = pg_json_str(pg_json_get(obj, key));

	return s ? s : "";
}

static void kv(tui_text *x, const char *label, tui_color c, const char *value, int w)
{
	char lb[128];

	snprintf(lb, sizeof lb, " %s", label);
	tl_wrap(x, TC_LABEL, lb, LW, c, value, w);
}

/* A new line starting with a label, for values in several colours. */
static tui_line *kv_line(tui_text *x, const char *label)
{
	tui_line *l = tl_new(x);
	char lb[128];

	snprintf(lb, sizeof lb, " %s", label);
	tl_addw(x, l, TC_LABEL, lb, LW, 0);
	return l;
}

static void heading(tui_text *x, const char *text)
{
	tui_line *l;

	tl_new(x);
	l = tl_new(x);
	tl_add(x, l, TC_HEADER, " ");
	tl_add(x, l, TC_HEADER, text);
}

static int parent_present(void *ctx, const char *id)
{
	tui *t = ctx;
	pg_state st;
	pg_error err;

	if (pg_reg_state(t->reg, id, &st, &err) == PG_OK)
		return 1;
	if (err.code == PG_REGISTRY_NOT_FOUND)
		return 0;
	return -(int)err.code;
}

static void run_checks(tui *t, struct overview *o)
{
	tui_pack *P = o->P;
	pg_error err;

	o->live = 0;
	if (!t->policy)
		return;
	pg_error_clear(&err);
	memset(o->checks, 0, sizeof o->checks);
	o->live = 1;
	o->live_rc = pg_policy_check_pack(t->policy, P->manifest, P->contract, P->permissions, P->card,
	                                  t->now, t->reg ? parent_present : NULL, t, o->checks, &err);
	if (o->live_rc)
		tui_err_text(&err, o->live_msg, sizeof o->live_msg);
}

static void check_line(tui_text *x, int ok, int skipped, const char *code, const char *msg, int w)
{
	tui_line *l = tl_new(x);
	char *c = tui_fit(code, 24, 0);

	tl_add(x, l, TC_NORMAL, "   ");
	tl_add(x, l, ok ? TC_CHECK_PASS : TC_CHECK_FAIL, ok ? "\xe2\x9c\x93 " : "\xe2\x9c\x97 ");
	if (c)
		tl_add(x, l, ok ? TC_NORMAL : TC_CHECK_FAIL, c);
	free(c);
	tl_add(x, l, TC_NORMAL, " ");
	if (skipped)
		tl_add(x, l, TC_DIM, _("(skipped) "));
	tl_wrap_on(x, l, ok ? TC_DIM : TC_NORMAL, msg, w, 30);
}

static void build_checks(tui *t, struct overview *o, tui_text *x, int w)
{
	const pg_reg_pack *p = o->P->p;
	char buf[300];

	if (o->live) {
		snprintf(buf, sizeof buf, _("Policy checks  (policy %s, now)"), t->policy_label);
		heading(x, buf);
		for (size_t i = 0; i < PG_POLICY_NCHECKS; i++) {
			if (o->live_rc && !o->checks[i].message[0] && !o->checks[i].code)
				continue;
			check_line(x, o->checks[i].ok, o->checks[i].skipped, pg_code_name(o->checks[i].code),
			           o->checks[i].message, w);
		}
		if (o->live_rc)
			kv(x, _(" not run"), TC_ERROR, o->live_msg, w);
	} else {
		if (p->policy)
			snprintf(buf, sizeof buf, _("Policy checks  (recorded at import under %.19s\xe2\x80\xa6)"),
			         p->policy);
		else
			snprintf(buf, sizeof buf, "%s", _("Policy checks  (recorded at import)"));
		heading(x, buf);
		if (!p->nchecks)
			kv(x, "", TC_DIM, _("none recorded: the pack was imported without a policy; "
			                     "give --policy to check it now"), w);
		for (size_t i = 0; i < p->nchecks; i++)
			check_line(x, p->checks[i].ok, 0, p->checks[i].code, p->checks[i].message, w);
	}
}

static const char *const known_members[] = {
	"schema_version", "id", "name", "version", "created_at", "parents", "operator",
	"input_contract", "output_contract", "runtime", "resource_profile", "risk_profile",
	"evaluation_card", "lifecycle_state", "files",
};

static void build_unknown(tui_text *x, const cJSON *m, int w)
{
	const cJSON *it;
	int any = 0;

	cJSON_ArrayForEach(it, m) {
		int known = 0;
		char *val;

		for (size_t i = 0; i < sizeof known_members / sizeof known_members[0]; i++)
			known |= it->string && !strcmp(it->string, known_members[i]);
		if (known)
			continue;
		if (!any)
			heading(x, _("Other manifest members (kept, not acted on)"));
		any = 1;
		val = cJSON_PrintUnformatted(it);
		kv(x, it->string, TC_NORMAL, val ? val : "?", w);
		cJSON_free(val);
	}
}

static void build_approvals(tui *t, struct overview *o, tui_text *x, int w)
{
	const pg_reg_pack *p = o->P->p;
	char appr[32], buf[256];
	int target;

	tm_approvals(t->policy, p->state, p->approvals, p->napprovals, appr, sizeof appr, &target);
	if (target >= 0)
		snprintf(buf, sizeof buf, _("Approvals  (%s for %s)"), appr, pg_state_name((pg_state)target));
	else
		snprintf(buf, sizeof buf, _("Approvals  (%zu recorded)"), p->napprovals);
	heading(x, buf);
	if (!p->napprovals)
		kv(x, "", TC_DIM, _("none yet"), w);
	for (size_t i = 0; i < p->napprovals; i++) {
		const pg_reg_approval_row *a = &p->approvals[i];
		const pg_policy_person *who = t->policy ? pg_policy_person_find(t->policy, a->signer) : NULL;
		int approve = a->decision && !strcmp(a->decision, "approve");
		tui_line *l = tl_new(x);
		char who_buf[300], line[300];

		if (who)
			snprintf(who_buf, sizeof who_buf, "%s (%.8s)", who->name, a->signer);
		else
			snprintf(who_buf, sizeof who_buf, "%.16s%s", a->signer ? a->signer : "?",
			         t->policy ? _(" (not in the policy)") : "");
		tl_add(x, l, TC_NORMAL, "   ");
		tl_add(x, l, approve ? TC_SIG_GOOD : TC_SIG_BAD, approve ? "\xe2\x9c\x93 " : "\xe2\x9c\x97 ");
		tl_addf(x, l, approve ? TC_SIG_GOOD : TC_SIG_BAD, "%s \xe2\x86\x92 %s", a->decision ? a->decision : "?",
		        a->target ? a->target : "?");
		tl_add(x, l, TC_NORMAL, "  ");
		tl_add(x, l, TC_NORMAL, who_buf);
		l = tl_new(x);
		tl_add(x, l, TC_NORMAL, "     ");
		snprintf(line, sizeof line, "%s \xc2\xb7 %s %s \xc2\xb7 ", a->role ? a->role : "?", _("signed"),
		         a->signed_at ? a->signed_at : "?");
		tl_add(x, l, TC_DIM, line);
		if (o->appr_sig) {
			const tm_sig *s = &o->appr_sig[i];
			char sb[160];

			snprintf(sb, sizeof sb, "%s %s", _("signature"), s->text);
			tl_wrap_on(x, l, tui_sig_color(s), sb, w, 5);
			if (s->message[0])
				tl_wrap(x, TC_DIM, "", 7, TC_DIM, s->message, w);
		}
	}
}

static void build(tui *t, tui_view *v, int w)
{
	struct overview *o = v->priv;
	tui_text *x = &v->text;
	const pg_reg_pack *p = o->P->p;
	const cJSON *m = o->P->manifest;
	const cJSON *rt = pg_json_get(m, "runtime"), *rp = pg_json_get(m, "resource_profile");
	const cJSON *risk = pg_json_get(m, "risk_profile");
	char buf[1200], age[16], b1[32], b2[32];
	tui_line *l;

	tl_clear(x);
	x->built_w = w;
	kv(x, _("Name"), TC_NORMAL, p->name, w);
	kv(x, _("Version"), TC_NORMAL, p->version, w);
	kv(x, _("Id"), TC_NORMAL, p->id, w);
	tui_age(t, p->created_at, age, sizeof age);
	/* TRANSLATORS: a timestamp and how long ago it was ("3d") */
	snprintf(buf, sizeof buf, _("%s  (%s ago)"), p->created_at, age);
	kv(x, _("Created"), TC_NORMAL, buf, w);
	kv(x, _("Operator"), TC_NORMAL, p->operator, w);
	snprintf(buf, sizeof buf, "%s \xe2\x86\x92 %s", str(m, "input_contract"), str(m, "output_contract"));
	kv(x, _("Contracts"), TC_NORMAL, buf, w);
	snprintf(buf, sizeof buf, "%s", str(rt, "backend"));
	if (pg_json_get(rt, "tokenizer"))
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), " \xc2\xb7 %s %s", _("tokenizer"),
		         str(rt, "tokenizer"));
	if (pg_json_get(rt, "quantization"))
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), " \xc2\xb7 %s %s", _("quantization"),
		         str(rt, "quantization"));
	kv(x, _("Runtime"), TC_NORMAL, buf, w);
	/* resources against the policy's ceiling */
	if (rp) {
		const cJSON *ram = pg_json_get(rp, "peak_ram_bytes"), *by = pg_json_get(rp, "bytes");
		uint64_t peak = pg_json_is_uint(ram, PG_INT_MAX) ? (uint64_t)ram->valuedouble : 0;
		int over = t->policy && peak > t->policy->memory_ceiling_bytes;

		tm_bytes(peak, b1, sizeof b1);
		l = kv_line(x, _("Resources"));
		tl_addf(x, l, TC_NORMAL, "%s %s", _("peak RAM"), b1);
		if (t->policy) {
			tm_bytes(t->policy->memory_ceiling_bytes, b2, sizeof b2);
			tl_addf(x, l, over ? TC_CHECK_FAIL : TC_CHECK_PASS, " %s %s %s %s", over ? ">" : "\xe2\x89\xa4",
			        _("ceiling"), b2, over ? "\xe2\x9c\x97" : "\xe2\x9c\x93");
		}
		tm_bytes(pg_json_is_uint(by, PG_INT_MAX) ? (uint64_t)by->valuedouble : 0, b1, sizeof b1);
		snprintf(buf, sizeof buf, "%s %s \xc2\xb7 %s %.0f ms", _("size"), b1, _("expected p95"),
		         cJSON_IsNumber(pg_json_get(rp, "expected_p95_ms")) ? pg_json_get(rp, "expected_p95_ms")->valuedouble : 0.0);
		kv(x, "", TC_NORMAL, buf, w);
	}
	if (risk) {
		int tier = pg_safety_tier_parse(str(risk, "safety_tier"));
		static const char *const tiers[] = { "low", "medium", "high", "critical" };

		l = kv_line(x, _("Risk tier"));
		tl_add(x, l, TC_NORMAL, str(risk, "safety_tier"));
		if (t->policy) {
			int over = tier < 0 || tier > t->policy->max_risk_tier;

			tl_addf(x, l, over ? TC_CHECK_FAIL : TC_CHECK_PASS, "  (%s %s %s)", _("policy maximum"),
			        t->policy->max_risk_tier >= 0 && t->policy->max_risk_tier < 4
			                ? tiers[t->policy->max_risk_tier] : "?",
			        over ? "\xe2\x9c\x97" : "\xe2\x9c\x93");
		}
		snprintf(buf, sizeof buf, "%s %s \xc2\xb7 %s %s", _("data lineage"), str(risk, "data_lineage"),
		         _("license"), str(risk, "license"));
		kv(x, "", TC_NORMAL, buf, w);
	}
	/* parents */
	if (!p->nparents)
		kv(x, _("Parents"), TC_DIM, _("none (a base model)"), w);
	for (size_t i = 0; i < p->nparents; i++) {
		const pg_reg_parent *pa = &p->parents[i];

		if (pa->present)
			snprintf(buf, sizeof buf, "%s %s  %s", pa->name, pa->version,
			         pg_state_name((pg_state)pa->state));
		else
			snprintf(buf, sizeof buf, "%s  %s", pa->id, _("(not in registry)"));
		kv(x, i ? "" : _("Parents"), pa->present ? tui_state_color(pa->state) : TC_MISSING, buf, w);
	}
	/* state */
	l = kv_line(x, _("State"));
	tl_add(x, l, tui_state_color((int)p->state), pg_state_name(p->state));
	if (p->tainted) {
		tl_add(x, l, TC_TAINT, "  \xe2\x9a\xa0 ");
		tl_addf(x, l, TC_TAINT, "%s: %s", _("tainted"), o->P->taint_reason ? o->P->taint_reason : "");
	}
	build_checks(t, o, x, w);
	/* publisher signatures */
	snprintf(buf, sizeof buf, _("Publisher signatures  (%zu)"), p->nsigs);
	heading(x, buf);
	if (!p->nsigs)
		kv(x, "", TC_DIM, _("none"), w);
	for (size_t i = 0; i < p->nsigs; i++) {
		l = tl_new(x);
		tl_add(x, l, TC_NORMAL, "   ");
		tl_add(x, l, TC_NORMAL, p->sigs[i].path);
		tl_add(x, l, TC_NORMAL, "  ");
		if (o->pub_sig) {
			const tm_sig *s = &o->pub_sig[i];

			tl_wrap_on(x, l, tui_sig_color(s), s->text, w, 5);
			if (s->message[0])
				tl_wrap(x, TC_DIM, "", 5, TC_DIM, s->message, w);
		}
	}
	build_approvals(t, o, x, w);
	build_unknown(x, m, w);
	if (x->oom)
		tui_status(t, "io.memory: %s", _("out of memory"));
}

static int overview_open(tui *t, tui_view *v, void *arg)
{
	struct overview *o = calloc(1, sizeof *o);

	if (!o)
		return -1;
	o->P = arg;
	v->priv = o;
	run_checks(t, o);
	verify_sigs(t, o);
	return 0;
}

static void overview_draw(tui *t, tui_view *v, const tui_rect *r)
{
	if (v->text.built_w != r->w)
		build(t, v, r->w);
	tui_text_draw(t, v, r);
}

static tui_req overview_request(tui *t, tui_view *v, tui_req req)
{
	return tui_text_request(t, v, req);
}

static void overview_done(tui_view *v)
{
	struct overview *o = v->priv;

	if (o) {
		free(o->appr_sig);
		free(o->pub_sig);
		free(o);
	}
	v->priv = NULL;
}

static const tui_req overview_hints[] = {
	REQ_NEXT_TAB, REQ_VIEW_EVAL, REQ_VIEW_LINEAGE, REQ_VIEW_LICENSE, REQ_APPROVE,
	REQ_TRANSITION, REQ_SEARCH, REQ_HELP, REQ_QUIT, REQ_NONE,
};

const tui_view_ops tui_overview_ops = {
	.name = N_("Overview"),
	.scopes = TUI_SCOPE_PACK,
	.open = overview_open,
	.draw = overview_draw,
	.request = overview_request,
	.select = NULL,
	.done = overview_done,
	.hints = overview_hints,
	.pack = NULL,
};
