/* view_transition.c — the transition dialog (`t`): the target states the
 * policy has a rule for from the pack's state (pg_review_facts_get, then
 * pg_lifecycle_options for the signing key), each with whether it can be
 * chosen now and, when not, what is missing (approvals 1/2, rollback
 * target, stale evaluation, role, taint ...); the champion or canary a
 * promotion displaces (pg_lifecycle_supersedes); what the statement will
 * say; then a y/n and pg_review_transition, the path the command line
 * takes too. */
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

#include "review.h"

#define LW 16  /* label column */

struct transition {
	char id[PG_ID_LEN];
	char *name, *version;           /* raw */
	pg_review_facts *f;
	pg_lifecycle_option opts[PG_STATE_COUNT_];
	size_t nopts;
	size_t sel;                     /* the chosen option */
	pg_sig_key *keys;               /* secret keys of the policy's people */
	size_t nkeys, ki;
	char champion[300], canary[300]; /* "NAME VERSION" of the ones now, raw */
	char champion_v[140], canary_v[140]; /* their versions (same name) */
	tui_field comment;
	size_t focus;                   /* 0 key, 1 + i option i, 1 + nopts comment */
	int confirming;
	int reveal;
	size_t focus_line;
};

#define FOCUS_KEY 0
#define FOCUS_COMMENT(T) (1 + (T)->nopts)

/* "NAME VERSION" and VERSION of a pack, raw ("" when it cannot be read). */
static void pack_label(tui *t, const char *id, char *buf, size_t cap, char *ver, size_t vcap)
{
	pg_reg_pack *p = NULL;
	pg_error err;

	buf[0] = ver[0] = '\0';
	if (id[0] && pg_reg_show(t->reg, id, &p, &err) == PG_OK) {
		snprintf(buf, cap, "%s %s", p->name, p->version);
		snprintf(ver, vcap, "%s", p->version);
	}
	pg_reg_pack_free(p);
}

static void options(struct transition *T)
{
	pg_state keep = T->nopts ? T->opts[T->sel].to : PG_STATE_CANDIDATE;
	int kept = 0;

	T->f->in.signer = T->keys[T->ki].fingerprint;
	T->nopts = pg_lifecycle_options(&T->f->in, T->opts);
	T->sel = 0;
	for (size_t i = 0; i < T->nopts; i++)
		if (T->opts[i].to == keep) {
			T->sel = i;
			kept = 1;
		}
	/* first time (or the target went away): the first move forward, never
	 * a quarantine or a retirement by default */
	for (size_t i = 0; !kept && i < T->nopts; i++)
		if (pg_lifecycle_forward(T->f->in.from, T->opts[i].to)) {
			T->sel = i;
			break;
		}
	if (T->focus > FOCUS_COMMENT(T))
		T->focus = FOCUS_COMMENT(T);
}

/* Gathers the facts again (after a change, or a refusal). */
static int load(tui *t, struct transition *T, pg_error *err)
{
	pg_review rv;
	pg_review_facts *f = NULL;

	memset(&rv, 0, sizeof rv);
	rv.reg = t->reg;
	rv.policy = t->policy;
	rv.sig = t->sig;
	rv.signer = T->keys[T->ki].fingerprint;
	rv.now = t->opts->now;
	if (pg_review_facts_get(&rv, T->id, &f, err) != PG_OK)
		return -1;
	pg_review_facts_free(T->f);
	T->f = f;
	pack_label(t, f->champion_id, T->champion, sizeof T->champion, T->champion_v, sizeof T->champion_v);
	pack_label(t, f->canary_id, T->canary, sizeof T->canary, T->canary_v, sizeof T->canary_v);
	options(T);
	return 0;
}

/* What keeps option o from being chosen, in a few words. */
static void missing(tui *t, const struct transition *T, const pg_lifecycle_option *o, char *buf,
                    size_t cap)
{
	const pg_review_facts *f = T->f;
	char roles[96];
	pg_tally tally;

	switch (o->code) {
	case PG_OK:
		snprintf(buf, cap, "%s", _("can be chosen"));
		break;
	case PG_LIFECYCLE_APPROVALS:
		pg_lifecycle_tally(t->policy, f->approvals, f->napprovals, o->to, &tally, NULL);
		snprintf(buf, cap, _("approvals %zu/%llu%s"), tally.approvals,
		         (unsigned long long)(o->rule ? o->rule->approvals : 0),
		         tally.rejections ? _(", a rejection stands") : "");
		break;
	case PG_LIFECYCLE_ROLE:
		pg_person_roles_format(o->rule ? o->rule->roles : 0, roles, sizeof roles);
		snprintf(buf, cap, _("role: needs %s"), roles);
		break;
	case PG_LIFECYCLE_ROLLBACK:
		snprintf(buf, cap, "%s", _("rollback target"));
		break;
	case PG_SIG_MISSING:
		snprintf(buf, cap, "%s", _("publisher signature"));
		break;
	case PG_LIFECYCLE_NOT_ALLOWED:
		if (!f->checks_pass) {
			for (size_t i = 0; i < PG_POLICY_NCHECKS; i++)
				if (!f->checks[i].ok && !f->checks[i].skipped) {
					if (f->checks[i].code == PG_POLICY_EVALUATION)
						snprintf(buf, cap, "%s", _("stale evaluation"));
					else
						snprintf(buf, cap, _("policy check %s"), pg_code_name(f->checks[i].code));
					return;
				}
			snprintf(buf, cap, "%s", _("policy checks"));
		} else if (f->tainted) {
			snprintf(buf, cap, "%s", _("taint: an ancestor is quarantined"));
		} else {
			snprintf(buf, cap, "%s", _("not allowed"));
		}
		break;
	default:
		snprintf(buf, cap, "%s", pg_code_name(o->code));
		break;
	}
}

/* What a move to `to` displaces, as "NAME VERSION: champion → archived";
 * 0 when nothing. */
static int displaced(const struct transition *T, pg_state to, char *buf, size_t cap)
{
	const pg_review_facts *f = T->f;
	pg_supersede sup;

	if (!pg_lifecycle_supersedes(to, f->pack->id, f->champion_id[0] ? f->champion_id : NULL,
	                             f->canary_id[0] ? f->canary_id : NULL, &sup))
		return 0;
	snprintf(buf, cap, "%s: %s \xe2\x86\x92 %s",
	         sup.from == PG_STATE_CHAMPION ? T->champion : T->canary, pg_state_name(sup.from),
	         pg_state_name(sup.to));
	return 1;
}

static void build(tui *t, tui_view *v, int w)
{
	struct transition *T = v->priv;
	const pg_review_facts *f = T->f;
	tui_text *x = &v->text;
	const pg_sig_key *k = &T->keys[T->ki];
	char buf[1200], who[300], roles[96];
	tui_line *l;

	tl_clear(x);
	x->built_w = w;
	l = tl_new(x);
	tl_addw(x, l, TC_LABEL, _("   From"), LW, 0);
	tl_add(x, l, tui_state_color((int)f->in.from), pg_state_name(f->in.from));
	tl_add(x, l, TC_DIM, "   ");
	tl_addf(x, l, TC_DIM, "%s %s", T->name, T->version);
	if (f->tainted)
		tl_addf(x, l, TC_TAINT, "  %s", _("\xe2\x9a\xa0 tainted"));

	l = tl_new(x);
	if (T->focus == FOCUS_KEY)
		T->focus_line = x->n - 1;
	tui_dialog_label(x, l, _("As"), T->focus == FOCUS_KEY, LW);
	tui_person(t, k->fingerprint, who, sizeof who);
	tl_add(x, l, TC_NORMAL, who);
	pg_person_roles_format(pg_policy_roles_of(t->policy, k->fingerprint), roles, sizeof roles);
	tl_addf(x, l, TC_DIM, "  %s", roles);
	if (T->nkeys > 1)
		tl_addf(x, l, TC_DIM, "   (%zu %s %zu)", T->ki + 1, _("of"), T->nkeys);
	tui_dialog_key_lines(t, x, T->keys, T->nkeys, T->ki,
	                     _("your key %.16s\xe2\x80\xa6 (--key) is not the secret key of a person of the policy in "
	                       "this GnuPG home"),
	                     LW, w);
	if (f->ignored_approvals) {
		snprintf(buf, sizeof buf,
		         ngettext("%zu approval of this pack does not count: its signature does not verify under the policy",
		                  "%zu approvals of this pack do not count: their signatures do not verify under the policy",
		                  f->ignored_approvals),
		         f->ignored_approvals);
		tl_wrap(x, TC_LABEL, "", LW, TC_SIG_UNKNOWN, buf, w);
	}

	tl_new(x);
	l = tl_new(x);
	tl_add(x, l, TC_HEADER, _(" To"));
	tl_addf(x, l, TC_DIM, _("  the moves the policy has from %s"), pg_state_name(f->in.from));
	if (!T->nopts) {
		l = tl_new(x);
		tl_addw(x, l, TC_NORMAL, "", LW, 0);
		tl_addf(x, l, TC_DIM, _("none: the policy has no rule from %s"), pg_state_name(f->in.from));
	}
	for (size_t i = 0; i < T->nopts; i++) {
		const pg_lifecycle_option *o = &T->opts[i];
		int focused = T->focus == 1 + i;
		char mark[8], what[300];

		l = tl_new(x);
		if (focused)
			T->focus_line = x->n - 1;
		snprintf(mark, sizeof mark, "%s", i == T->sel ? "(\xe2\x80\xa2)" : "( )");
		tui_dialog_label(x, l, mark, focused, 7);
		tl_addw(x, l, o->possible ? tui_state_color((int)o->to) : TC_DIM, pg_state_name(o->to), 13, 0);
		missing(t, T, o, what, sizeof what);
		tl_add(x, l, o->possible ? TC_CHECK_PASS : TC_CHECK_FAIL, o->possible ? "\xe2\x9c\x93 " : "\xe2\x9c\x97 ");
		tl_add(x, l, o->possible ? TC_NORMAL : TC_DIM, what);
		if (!o->possible) {
			snprintf(buf, sizeof buf, "%s: %s", pg_code_name(o->code), o->message);
			tl_wrap(x, TC_LABEL, "", 22, TC_DIM, buf, w);
		}
		if (displaced(T, o->to, what, sizeof what)) {
			if (o->to == PG_STATE_CHAMPION)
				snprintf(buf, sizeof buf, _("archives the previous champion %s"), T->champion);
			else
				snprintf(buf, sizeof buf, _("sends the previous canary %s back to approved"), T->canary);
			tl_wrap(x, TC_LABEL, "", 22, TC_TAINT, buf, w);
		}
	}

	tl_new(x);
	l = tl_new(x);
	if (T->focus == FOCUS_COMMENT(T))
		T->focus_line = x->n - 1;
	tui_dialog_label(x, l, _("Comment"), T->focus == FOCUS_COMMENT(T), LW);
	tui_field_add(x, l, &T->comment, w - LW - 1, T->focus == FOCUS_COMMENT(T));

	/* what the transition statement will say */
	if (T->nopts) {
		const pg_lifecycle_option *o = &T->opts[T->sel];
		unsigned char *counted = calloc(f->napprovals ? f->napprovals : 1, 1);
		pg_tally tally;
		size_t nrel = 0;

		tl_new(x);
		l = tl_new(x);
		tl_add(x, l, TC_HEADER, _(" What will be signed"));
		tl_add(x, l, TC_DIM, "  in-toto statement, ");
		tl_add(x, l, TC_DIM, "urn:packgate:transition:v1");
		snprintf(buf, sizeof buf, "%s \xe2\x86\x92 %s", pg_state_name(f->in.from), pg_state_name(o->to));
		tui_dialog_say(x, "from, to", NULL, o->possible ? TC_NORMAL : TC_DIM, buf, w);
		buf[0] = '\0';
		if (counted) {
			pg_lifecycle_tally(t->policy, f->approvals, f->napprovals, o->to, &tally, counted);
			for (size_t i = 0; i < f->napprovals; i++)
				if (counted[i]) {
					tui_person(t, f->approvals[i].signer, who, sizeof who);
					snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", nrel++ ? ", " : "", who);
				}
			free(counted);
		}
		if (!nrel)
			snprintf(buf, sizeof buf, "%s", _("none"));
		tui_dialog_say(x, "approvals", NULL, TC_NORMAL, buf, w);
		if (!displaced(T, o->to, buf, sizeof buf))
			snprintf(buf, sizeof buf, "%s", _("nothing"));
		tui_dialog_say(x, "supersedes", NULL, TC_NORMAL, buf, w);
		tui_dialog_say(x, "policy", NULL, TC_NORMAL, t->policy->digest, w);
		tui_dialog_say(x, "signer", NULL, TC_NORMAL, k->fingerprint, w);
	}
	if (x->oom)
		tui_status(t, "io.memory: %s", _("out of memory"));
}

static void transition_draw(tui *t, tui_view *v, const tui_rect *r)
{
	struct transition *T = v->priv;
	const char *tabs[1];
	char left[700], right[40];

	snprintf(left, sizeof left, " packgate \xe2\x80\xba %s %s %s  %s", _("transition"), T->name, T->version,
	         pg_state_name(T->f->in.from));
	snprintf(right, sizeof right, "%.19s\xe2\x80\xa6", T->id);
	tui_draw_title(t, left, right);
	tabs[0] = _("Move through the lifecycle");
	tui_draw_tabs(1, tabs, 1, 0, NULL);
	build(t, v, r->w);
	tui_dialog_text_draw(t, v, r, T->focus_line, T->reveal);
	T->reveal = 0;
}

static void transition_sign(tui *t, tui_view *v)
{
	struct transition *T = v->priv;
	pg_state from = T->f->in.from, to = T->opts[T->sel].to;
	pg_reg_appended app;
	pg_review rv;
	pg_error err, e2;
	char who[300], msg[1024], sup[400];
	int has_sup = displaced(T, to, sup, sizeof sup);

	/* the displaced pack has the same name: its version says which */
	if (has_sup)
		snprintf(sup, sizeof sup, _("; %s %s"), to == PG_STATE_CHAMPION ? T->champion_v : T->canary_v,
		         to == PG_STATE_CHAMPION ? _("archived") : _("back to approved"));

	memset(&rv, 0, sizeof rv);
	rv.reg = t->reg;
	rv.policy = t->policy;
	rv.sig = t->sig;
	rv.signer = T->keys[T->ki].fingerprint;
	rv.now = t->opts->now;
	tui_person(t, rv.signer, who, sizeof who);
	tui_status(t, _("signing as %s\xe2\x80\xa6"), who);
	tui_draw(t);
	pg_error_clear(&err);
	if (pg_review_transition(&rv, T->id, to, T->comment.buf, &app, &err) != PG_OK) {
		/* the registry may have moved on: show it as it is now */
		pg_error_clear(&e2);
		load(t, T, &e2);
		tui_status_err(t, &err);
		return;
	}
	snprintf(msg, sizeof msg, _("%s %s: %s \xe2\x86\x92 %s (audit entry %lld)%s"), T->name, T->version,
	         pg_state_name(from), pg_state_name(to), (long long)app.seq, has_sup ? sup : "");
	tui_pop(t);
	tui_refresh_views(t);
	tui_status(t, "%s", msg);
}

static void confirm(tui *t, struct transition *T)
{
	const pg_lifecycle_option *o;
	char who[300], sup[400];
	pg_error err;

	if (!T->nopts) {
		pg_err(&err, PG_LIFECYCLE_NOT_ALLOWED, _("the policy has no rule from %s"),
		       pg_state_name(T->f->in.from));
		tui_status_err(t, &err);
		return;
	}
	o = &T->opts[T->sel];
	if (!o->possible) {
		/* a disabled entry cannot be chosen: say why, with its code */
		pg_err(&err, o->code, "%s", o->message);
		tui_status_err(t, &err);
		return;
	}
	tui_person(t, T->keys[T->ki].fingerprint, who, sizeof who);
	T->confirming = 1;
	if (!displaced(T, o->to, sup, sizeof sup))
		tui_status(t, _("Move to %s as %s?  y sign \xc2\xb7 n back"), pg_state_name(o->to), who);
	else if (o->to == PG_STATE_CHAMPION)
		tui_status(t, _("Move to champion, archiving %s?  y sign \xc2\xb7 n back"), T->champion);
	else
		tui_status(t, _("Move to canary, sending %s back?  y sign \xc2\xb7 n back"), T->canary);
}

static int transition_key(tui *t, tui_view *v, int key)
{
	struct transition *T = v->priv;

	if (T->confirming) {
		T->confirming = 0;
		if (key == 'y' || key == 'Y')
			transition_sign(t, v);
		else
			tui_status(t, _("not signed"));
		return 1;
	}
	return T->focus == FOCUS_COMMENT(T) && tui_field_key(&T->comment, key);
}

static void move_focus(struct transition *T, size_t focus)
{
	T->focus = focus;
	if (focus >= 1 && focus <= T->nopts)
		T->sel = focus - 1;   /* the choice follows the cursor */
	T->reveal = 1;
}

static tui_req transition_request(tui *t, tui_view *v, tui_req req)
{
	struct transition *T = v->priv;
	size_t n = FOCUS_COMMENT(T) + 1;
	pg_error err;

	switch (req) {
	case REQ_NEXT_FIELD:
		move_focus(T, (T->focus + 1) % n);
		return REQ_NONE;
	case REQ_PREV_FIELD:
		move_focus(T, (T->focus + n - 1) % n);
		return REQ_NONE;
	case REQ_MOVE_FIRST:
		move_focus(T, FOCUS_KEY);
		return REQ_NONE;
	case REQ_MOVE_LAST:
		move_focus(T, FOCUS_COMMENT(T));
		return REQ_NONE;
	case REQ_CHOICE_NEXT:
	case REQ_CHOICE_PREV:
		if (T->focus == FOCUS_KEY) {
			T->ki = (T->ki + (req == REQ_CHOICE_NEXT ? 1 : T->nkeys - 1)) % T->nkeys;
			options(T);
		} else if (T->focus <= T->nopts && T->nopts) {
			/* on the list: left and right walk it too */
			size_t i = (T->sel + (req == REQ_CHOICE_NEXT ? 1 : T->nopts - 1)) % T->nopts;

			move_focus(T, 1 + i);
		}
		return REQ_NONE;
	case REQ_CONFIRM:
		confirm(t, T);
		return REQ_NONE;
	case REQ_PAGE_DOWN:
	case REQ_PAGE_UP:
		tui_dialog_page(v, req);
		return REQ_NONE;
	case REQ_REFRESH:
		pg_error_clear(&err);
		if (load(t, T, &err))
			tui_status_err(t, &err);
		return REQ_REFRESH;
	case REQ_BACK:
	case REQ_QUIT:
	case REQ_HELP:
	case REQ_REDRAW:
		return req;
	default:
		tui_status(t, _("transition: Enter signs, Esc cancels, ? shows the keys"));
		return REQ_NONE;
	}
}

static int transition_open(tui *t, tui_view *v, void *arg)
{
	struct transition *T = calloc(1, sizeof *T);
	pg_error err;

	if (!T) {
		tui_status(t, "io.memory");
		return -1;
	}
	v->priv = T;
	pg_error_clear(&err);
	snprintf(T->id, sizeof T->id, "%s", (const char *)arg);
	if (tui_signing_keys(t, 0, &T->keys, &T->nkeys, &T->ki, &err) != PG_OK || load(t, T, &err)) {
		tui_status_err(t, &err);
		return -1;
	}
	T->name = strdup(T->f->pack->name);
	T->version = strdup(T->f->pack->version);
	if (!T->name || !T->version) {
		tui_status(t, "io.memory");
		return -1;
	}
	move_focus(T, T->nopts ? 1 + T->sel : FOCUS_KEY);
	return 0;
}

static void transition_done(tui_view *v)
{
	struct transition *T = v->priv;

	if (T) {
		pg_review_facts_free(T->f);
		free(T->name);
		free(T->version);
		free(T->keys);
		tui_field_wipe(&T->comment);
		free(T);
	}
	v->priv = NULL;
}

int tui_transition_dialog(tui *t, const char *pack_id)
{
	if (tui_dialog_ready(t, _("transition")))
		return -1;
	return tui_push(t, &tui_transition_ops, (void *)pack_id);
}

static const tui_req transition_hints[] = {
	REQ_CONFIRM, REQ_NEXT_FIELD, REQ_CHOICE_NEXT, REQ_BACK, REQ_HELP, REQ_QUIT, REQ_NONE,
};

const tui_view_ops tui_transition_ops = {
	.name = N_("Transition"),
	.scopes = TUI_SCOPE_DIALOG,
	.open = transition_open,
	.draw = transition_draw,
	.request = transition_request,
	.select = NULL,
	.done = transition_done,
	.hints = transition_hints,
	.pack = NULL,
	.key = transition_key,
};
