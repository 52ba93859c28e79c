/* view_approve.c — the approve dialog (`a`): decision, target state,
 * comment and signing key, and exactly what will be signed (the
 * predicate of the approval statement); Enter, then y, signs it through
 * pg_review_approve — the one path the command line takes too — with the
 * passphrase asked inside the TUI when the key needs one. */
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

#include "review.h"
#include "rfc3339.h"

#define LW 16  /* label column of the fields */

enum { F_DECISION, F_TARGET, F_COMMENT, F_KEY, F_COUNT };

struct approve {
	char id[PG_ID_LEN];
	char *name, *version;          /* raw */
	pg_state state;
	char card[PG_ID_LEN];          /* "sha256:<hex of the card file>", "" */
	pg_decision decision;
	pg_state targets[PG_STATE_COUNT_];
	size_t ntargets, ti;
	tui_field comment;
	pg_sig_key *keys;              /* reviewers' secret keys */
	size_t nkeys, ki;
	int focus;
	int confirming;
	int reveal;                    /* the focus moved: scroll to it */
	size_t focus_line;
};

/* The approval targets worth offering: every state a rule needing
 * approvals leads to, and approved (the default), in lifecycle order. */
static void targets_init(tui *t, struct approve *A)
{
	for (int s = 0; s < PG_STATE_COUNT_; s++) {
		int want = s == PG_STATE_APPROVED;

		for (size_t i = 0; !want && i < t->policy->nrules; i++)
			want = t->policy->rules[i].to == (pg_state)s && t->policy->rules[i].approvals > 0;
		if (!want)
			continue;
		if (s == PG_STATE_APPROVED)
			A->ti = A->ntargets;
		A->targets[A->ntargets++] = (pg_state)s;
	}
}

static void build(tui *t, tui_view *v, int w)
{
	struct approve *A = v->priv;
	tui_text *x = &v->text;
	const pg_sig_key *k = &A->keys[A->ki];
	pg_state target = A->targets[A->ti];
	int approve = A->decision == PG_DECISION_APPROVE;
	char buf[1200], who[300];
	tui_line *l;

	tl_clear(x);
	x->built_w = w;
	/* the fields */
	l = tl_new(x);
	if (A->focus == F_DECISION)
		A->focus_line = x->n - 1;
	tui_dialog_label(x, l, _("Decision"), A->focus == F_DECISION, LW);
	tl_add(x, l, approve ? TC_SIG_GOOD : TC_DIM, approve ? "(\xe2\x80\xa2) " : "( ) ");
	tl_add(x, l, approve ? TC_SIG_GOOD : TC_DIM, _("approve"));
	tl_add(x, l, TC_NORMAL, "   ");
	tl_add(x, l, approve ? TC_DIM : TC_SIG_BAD, approve ? "( ) " : "(\xe2\x80\xa2) ");
	tl_add(x, l, approve ? TC_DIM : TC_SIG_BAD, _("reject"));

	l = tl_new(x);
	if (A->focus == F_TARGET)
		A->focus_line = x->n - 1;
	tui_dialog_label(x, l, _("Target"), A->focus == F_TARGET, LW);
	tl_add(x, l, tui_state_color((int)target), pg_state_name(target));
	if (A->ntargets > 1) {
		buf[0] = '\0';
		for (size_t i = 0; i < A->ntargets; i++)
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", i ? ", " : "",
			         pg_state_name(A->targets[i]));
		tl_addf(x, l, TC_DIM, "   (%s)", buf);
	}

	l = tl_new(x);
	if (A->focus == F_COMMENT)
		A->focus_line = x->n - 1;
	tui_dialog_label(x, l, _("Comment"), A->focus == F_COMMENT, LW);
	tui_field_add(x, l, &A->comment, w - LW - 1, A->focus == F_COMMENT);

	l = tl_new(x);
	if (A->focus == F_KEY)
		A->focus_line = x->n - 1;
	tui_dialog_label(x, l, _("Signing key"), A->focus == F_KEY, LW);
	tui_person(t, k->fingerprint, who, sizeof who);
	tl_add(x, l, TC_NORMAL, who);
	if (A->nkeys > 1)
		tl_addf(x, l, TC_DIM, "   (%zu %s %zu)", A->ki + 1, _("of"), A->nkeys);
	tui_dialog_key_lines(t, x, A->keys, A->nkeys, A->ki,
	                     _("your key %.16s\xe2\x80\xa6 (--key) is not the secret key of a reviewer in this GnuPG home"),
	                     LW, w);

	/* the predicate of the statement, field by field */
	tl_new(x);
	l = tl_new(x);
	tl_add(x, l, TC_HEADER, _(" What will be signed"));
	tl_add(x, l, TC_DIM, "  in-toto statement, ");
	tl_add(x, l, TC_DIM, "urn:packgate:approval:v1");
	snprintf(buf, sizeof buf, "%s@%s", A->name, A->version);
	tui_dialog_say(x, "subject", NULL, TC_NORMAL, buf, w);
	tui_dialog_say(x, "", NULL, TC_NORMAL, A->id, w);
	tui_dialog_say(x, "decision", NULL, approve ? TC_SIG_GOOD : TC_SIG_BAD, approve ? "approve" : "reject", w);
	tui_dialog_say(x, "target", NULL, tui_state_color((int)target), pg_state_name(target), w);
	tui_dialog_say(x, "role", NULL, TC_NORMAL, "reviewer", w);
	snprintf(buf, sizeof buf, "\"%s\"", A->comment.buf);
	tui_dialog_say(x, "comment", NULL, TC_NORMAL, buf, w);
	tui_dialog_say(x, "evaluation_card", NULL, A->card[0] ? TC_NORMAL : TC_MISSING,
	    A->card[0] ? A->card : _("(the pack has no evaluation card)"), w);
	tui_dialog_say(x, "policy", t->policy->name ? t->policy->name : "", TC_NORMAL, t->policy->digest, w);
	tui_dialog_say(x, "signer", who, TC_NORMAL, k->fingerprint, w);
	if (t->opts->now) {
		char when[32];

		pg_rfc3339_format(t->opts->now, when);
		tui_dialog_say(x, "signed_at", NULL, TC_NORMAL, when, w);
	} else {
		tui_dialog_say(x, "signed_at", NULL, TC_DIM, _("the time you confirm"), w);
	}
	if (x->oom)
		tui_status(t, "io.memory: %s", _("out of memory"));
}

static void approve_draw(tui *t, tui_view *v, const tui_rect *r)
{
	struct approve *A = v->priv;
	const char *tabs[1];
	char left[700], right[40];

	snprintf(left, sizeof left, " packgate \xe2\x80\xba %s %s %s  %s", _("approve"), A->name, A->version,
	         pg_state_name(A->state));
	snprintf(right, sizeof right, "%.19s\xe2\x80\xa6", A->id);
	tui_draw_title(t, left, right);
	tabs[0] = _("Approve or reject");
	tui_draw_tabs(1, tabs, 1, 0, NULL);
	build(t, v, r->w);
	tui_dialog_text_draw(t, v, r, A->focus_line, A->reveal);
	A->reveal = 0;
}

static void approve_sign(tui *t, tui_view *v)
{
	struct approve *A = v->priv;
	pg_state target = A->targets[A->ti];
	pg_decision decision = A->decision;
	pg_reg_appended app;
	pg_review rv;
	pg_error err;
	char who[300], msg[1024];

	memset(&rv, 0, sizeof rv);
	rv.reg = t->reg;
	rv.policy = t->policy;
	rv.sig = t->sig;
	rv.signer = A->keys[A->ki].fingerprint;
	rv.now = t->opts->now;
	tui_person(t, rv.signer, who, sizeof who);
	tui_status(t, _("signing as %s\xe2\x80\xa6"), who);
	tui_draw(t);
	pg_error_clear(&err);
	if (pg_review_approve(&rv, A->id, decision, target, A->comment.buf, &app, &err) != PG_OK) {
		tui_status_err(t, &err);
		return;
	}
	snprintf(msg, sizeof msg,
	         decision == PG_DECISION_APPROVE ? _("%s %s: approved for %s (audit entry %lld)")
	                                         : _("%s %s: rejected for %s (audit entry %lld)"),
	         A->name, A->version, pg_state_name(target), (long long)app.seq);
	tui_pop(t);
	tui_refresh_views(t);
	tui_status(t, "%s", msg);
}

static void confirm(tui *t, struct approve *A)
{
	char who[300];

	tui_person(t, A->keys[A->ki].fingerprint, who, sizeof who);
	A->confirming = 1;
	tui_status(t, A->decision == PG_DECISION_APPROVE ? _("Sign this approval as %s?  y sign \xc2\xb7 n back")
	                                                 : _("Sign this rejection as %s?  y sign \xc2\xb7 n back"),
	           who);
}

static int approve_key(tui *t, tui_view *v, int key)
{
	struct approve *A = v->priv;

	if (A->confirming) {
		A->confirming = 0;
		if (key == 'y' || key == 'Y')
			approve_sign(t, v);
		else
			tui_status(t, _("not signed"));
		return 1;
	}
	return A->focus == F_COMMENT && tui_field_key(&A->comment, key);
}

static void choose(tui *t, struct approve *A, int dir)
{
	switch (A->focus) {
	case F_DECISION:
		A->decision = A->decision == PG_DECISION_APPROVE ? PG_DECISION_REJECT : PG_DECISION_APPROVE;
		break;
	case F_TARGET:
		A->ti = (A->ti + A->ntargets + (size_t)(dir > 0 ? 1 : A->ntargets - 1)) % A->ntargets;
		break;
	case F_KEY:
		A->ki = (A->ki + (dir > 0 ? 1 : A->nkeys - 1)) % A->nkeys;
		break;
	default:
		tui_status(t, _("type the comment; Tab goes to the next field"));
		break;
	}
}

static tui_req approve_request(tui *t, tui_view *v, tui_req req)
{
	struct approve *A = v->priv;

	switch (req) {
	case REQ_NEXT_FIELD:
	case REQ_PREV_FIELD:
		A->focus = (A->focus + (req == REQ_NEXT_FIELD ? 1 : F_COUNT - 1)) % F_COUNT;
		A->reveal = 1;
		return REQ_NONE;
	case REQ_MOVE_FIRST:
	case REQ_MOVE_LAST:
		A->focus = req == REQ_MOVE_FIRST ? F_DECISION : F_KEY;
		A->reveal = 1;
		return REQ_NONE;
	case REQ_CHOICE_NEXT:
	case REQ_CHOICE_PREV:
		choose(t, A, req == REQ_CHOICE_NEXT ? 1 : -1);
		return REQ_NONE;
	case REQ_CONFIRM:
		confirm(t, A);
		return REQ_NONE;
	case REQ_PAGE_DOWN:
	case REQ_PAGE_UP:
		tui_dialog_page(v, req);
		return REQ_NONE;
	case REQ_BACK:
	case REQ_QUIT:
	case REQ_HELP:
	case REQ_REDRAW:
		return req;
	case REQ_REFRESH:
		return REQ_NONE;
	default:
		tui_status(t, _("approve: Enter signs, Esc cancels, ? shows the keys"));
		return REQ_NONE;
	}
}

static int approve_open(tui *t, tui_view *v, void *arg)
{
	struct approve *A = calloc(1, sizeof *A);
	pg_reg_pack *p = NULL;
	size_t pick;
	pg_error err;

	if (!A) {
		tui_status(t, "io.memory");
		return -1;
	}
	v->priv = A;
	pg_error_clear(&err);
	snprintf(A->id, sizeof A->id, "%s", (const char *)arg);
	if (tui_signing_keys(t, PG_PERSON_REVIEWER, &A->keys, &A->nkeys, &pick, &err) != PG_OK ||
	    pg_reg_show(t->reg, A->id, &p, &err) != PG_OK) {
		tui_status_err(t, &err);
		return -1;
	}
	A->ki = pick;
	A->name = strdup(p->name);
	A->version = strdup(p->version);
	A->state = p->state;
	for (size_t i = 0; i < p->nfiles; i++)
		if (!strcmp(p->files[i].role, "evaluation-card"))
			snprintf(A->card, sizeof A->card, "sha256:%s", p->files[i].sha256);
	pg_reg_pack_free(p);
	if (!A->name || !A->version) {
		tui_status(t, "io.memory");
		return -1;
	}
	A->decision = PG_DECISION_APPROVE;
	targets_init(t, A);
	A->focus = F_DECISION;
	A->reveal = 1;
	return 0;
}

static void approve_done(tui_view *v)
{
	struct approve *A = v->priv;

	if (A) {
		free(A->name);
		free(A->version);
		free(A->keys);
		tui_field_wipe(&A->comment);
		free(A);
	}
	v->priv = NULL;
}

int tui_approve_dialog(tui *t, const char *pack_id)
{
	if (tui_dialog_ready(t, _("approve")))
		return -1;
	return tui_push(t, &tui_approve_ops, (void *)pack_id);
}

static const tui_req approve_hints[] = {
	REQ_CONFIRM, REQ_NEXT_FIELD, REQ_CHOICE_NEXT, REQ_BACK, REQ_HELP, REQ_QUIT, REQ_NONE,
};

const tui_view_ops tui_approve_ops = {
	.name = N_("Approve"),
	.scopes = TUI_SCOPE_DIALOG,
	.open = approve_open,
	.draw = approve_draw,
	.request = approve_request,
	.select = NULL,
	.done = approve_done,
	.hints = approve_hints,
	.pack = NULL,
	.key = approve_key,
};
