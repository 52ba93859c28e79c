/* view_audit.c — the pack view's Audit tab: the audit chain entries whose
 * subject is the pack (pg_reg_log) with time, signer, role, what each
 * statement says, its signature verified now (tm_verify_entry: good, bad or
 * problem with the code) and whether it waits in the outbox;
 * the chain's status (pg_reg_chain_verify).  Enter shows an entry's
 * canonical statement and hashes. */
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "model.h"

struct audit {
	tui_pack *P;
	pg_reg_entries e;
	tm_sig *sig;           /* each entry's signature, verified at open */
	cJSON **stmt;          /* parsed statements (NULL when unreadable) */
	unsigned char *open;
	int64_t *outbox;
	size_t noutbox;
	pg_code chain_rc;
	int64_t chain_count, bad_seq;
	char chain_msg[1024];
};

static int unsent(const struct audit *A, int64_t seq)
{
	for (size_t i = 0; i < A->noutbox; i++)
		if (A->outbox[i] == seq)
			return 1;
	return 0;
}

static const char *pstr(const cJSON *pred, const char *key)
{
	const char *s = pg_json_str(pg_json_get(pred, key));

	return s ? s : "";
}


static void who(tui *t, const char *fpr, char *buf, size_t cap)
{
	const pg_policy_person *p = t->policy && fpr ? pg_policy_person_find(t->policy, fpr) : NULL;

	if (p)
		snprintf(buf, cap, "%s", p->name);
	else
		snprintf(buf, cap, "%.16s", fpr ? fpr : "?");
}

static void build(tui *t, tui_view *v, int w)
{
	struct audit *A = v->priv;
	tui_text *x = &v->text;
	tui_line *cur = tui_text_current(v), *l;
	long data = cur ? cur->data : 0;
	size_t nunsent = 0;
	int sw = w >= 140 ? 28 : w - 40 > 40 ? 40 : w - 40;

	tl_clear(x);
	x->built_w = w;
	l = tl_new(x);
	tl_add(x, l, TC_HEADER, _(" Audit chain  "));
	if (A->chain_rc == PG_OK) {
		tl_addf(x, l, TC_CHECK_PASS,
		        ngettext("\xe2\x9c\x93 intact, %lld entry in the registry",
		                 "\xe2\x9c\x93 intact, %lld entries in the registry", (unsigned long)A->chain_count),
		        (long long)A->chain_count);
	} else {
		tl_addf(x, l, TC_CHECK_FAIL, "\xe2\x9c\x97 %s", pg_code_name(A->chain_rc));
		if (A->bad_seq > 0)
			tl_addf(x, l, TC_CHECK_FAIL, _(" at seq %lld"), (long long)A->bad_seq);
		tl_wrap(x, TC_LABEL, "", 3, TC_CHECK_FAIL, A->chain_msg, w);
	}
	for (size_t i = 0; i < A->e.n; i++)
		nunsent += unsent(A, A->e.v[i].seq);
	l = tl_new(x);
	tl_addf(x, l, TC_DIM, ngettext("   %zu statement about this pack", "   %zu statements about this pack", A->e.n),
	        A->e.n);
	if (nunsent || A->noutbox) {
		char buf[200];

		snprintf(buf, sizeof buf, _("%zu unsent (waiting in the outbox for push), %zu in the registry"),
		         nunsent, A->noutbox);
		tl_add(x, l, TC_DIM, " \xc2\xb7 ");
		tl_wrap_on(x, l, nunsent ? TC_SIG_UNKNOWN : TC_DIM, buf, w, 3);
	}
	tl_new(x);
	l = tl_new(x);
	tl_add(x, l, TC_HEADER, " ");
	tl_addw(x, l, TC_HEADER, _("SEQ"), 4, 1);
	tl_add(x, l, TC_HEADER, " ");
	tl_addw(x, l, TC_HEADER, _("SIGNED AT"), 20, 0);
	tl_add(x, l, TC_HEADER, " ");
	tl_addw(x, l, TC_HEADER, _("KIND"), 10, 0);
	tl_add(x, l, TC_HEADER, " ");
	tl_addw(x, l, TC_HEADER, _("SIGNER"), sw, 0);
	tl_add(x, l, TC_HEADER, " ");
	if (w >= 140)
		tl_add(x, l, TC_HEADER, _("STATEMENT"));
	if (!A->e.n) {
		l = tl_new(x);
		tl_add(x, l, TC_DIM, _("   no approvals or transitions yet"));
	}
	for (size_t i = 0; i < A->e.n; i++) {
		const pg_reg_entry *en = &A->e.v[i];
		const cJSON *pred = A->stmt[i] ? pg_json_get(A->stmt[i], "predicate") : NULL;
		char name[200], what[600];
		int approval = !strcmp(en->kind, "approval");
		int reject = approval && !strcmp(pstr(pred, "decision"), "reject");

		who(t, en->signer, name, sizeof name);
		if (!pred)
			snprintf(what, sizeof what, "%s", _("(statement unreadable)"));
		else if (approval)
			snprintf(what, sizeof what, "%s %s \xe2\x86\x92 %s", pstr(pred, "role"),
			         pstr(pred, "decision"), pstr(pred, "target"));
		else
			snprintf(what, sizeof what, "%s%s%s \xe2\x86\x92 %s", pstr(pred, "role"),
			         pstr(pred, "role")[0] ? " " : "", pstr(pred, "from"), pstr(pred, "to"));
		l = tl_new(x);
		if (!l)
			break;
		l->selectable = 1;
		l->data = (long)i;
		tl_add(x, l, TC_NORMAL, " ");
		tl_addf(x, l, TC_NORMAL, "%4lld", (long long)en->seq);
		tl_add(x, l, TC_NORMAL, " ");
		tl_addw(x, l, TC_NORMAL, pstr(pred, "signed_at"), 20, 0);
		tl_add(x, l, TC_NORMAL, " ");
		tl_addw(x, l, TC_DIM, en->kind, 10, 0);
		tl_add(x, l, TC_NORMAL, " ");
		tl_addw(x, l, TC_NORMAL, name, sw, 0);
		tl_add(x, l, TC_NORMAL, " ");
		if (w < 140) {
			/* narrow: what the statement says goes on a line of its own */
			l = tl_new(x);
			tl_addw(x, l, TC_NORMAL, "", 6, 0);
		}
		tl_add(x, l, reject ? TC_SIG_BAD : TC_NORMAL, what);
		tl_addf(x, l, tui_sig_color(&A->sig[i]), "  %s %s", _("sig:"), A->sig[i].text);
		if (unsent(A, en->seq))
			tl_add(x, l, TC_SIG_UNKNOWN, _("  unsent"));
		if (pstr(pred, "comment")[0])
			tl_addf(x, l, TC_DIM, "  \"%s\"", pstr(pred, "comment"));
		if (A->open[i]) {
			const cJSON *sup;

			if (pstr(pred, "comment")[0]) {
				char *q = malloc(strlen(pstr(pred, "comment")) + 3);

				if (q) {
					sprintf(q, "\"%s\"", pstr(pred, "comment"));
					tl_wrap(x, TC_LABEL, _("      comment"), 18, TC_NORMAL, q, w);
					free(q);
				}
			}
			if (A->sig[i].message[0])
				tl_wrap(x, TC_LABEL, _("      signature"), 18, tui_sig_color(&A->sig[i]), A->sig[i].message, w);

			tl_wrap(x, TC_LABEL, _("      signer"), 18, TC_NORMAL, en->signer, w);
			tl_wrap(x, TC_LABEL, _("      policy"), 18, TC_NORMAL, pstr(pred, "policy"), w);
			cJSON_ArrayForEach(sup, pg_json_get(pred, "supersedes")) {
				char buf[300];

				snprintf(buf, sizeof buf, "%s: %s \xe2\x86\x92 %s", pstr(sup, "id"), pstr(sup, "from"),
				         pstr(sup, "to"));
				tl_wrap(x, TC_LABEL, _("      supersedes"), 18, TC_NORMAL, buf, w);
			}
			tl_wrap(x, TC_LABEL, _("      hash"), 18, TC_DIM, en->hash, w);
			tl_wrap(x, TC_LABEL, _("      prev hash"), 18, TC_DIM, en->prev_hash, w);
			tl_wrap(x, TC_LABEL, _("      statement"), 18, TC_NORMAL, en->statement, w);
		}
	}
	tui_text_keep(v, cur != NULL, data);
}

static int audit_open(tui *t, tui_view *v, void *arg)
{
	struct audit *A = calloc(1, sizeof *A);
	pg_error err;

	if (!A)
		return -1;
	v->priv = A;
	v->text.sticky = 1;
	A->P = arg;
	pg_error_clear(&err);
	if (!t->reg)
		return -1;
	if (pg_reg_log(t->reg, A->P->p->id, &A->e, &err) ||
	    pg_reg_outbox(t->reg, &A->outbox, &A->noutbox, &err)) {
		tui_status_err(t, &err);
		return -1;
	}
	A->stmt = calloc(A->e.n ? A->e.n : 1, sizeof *A->stmt);
	A->open = calloc(A->e.n ? A->e.n : 1, 1);
	A->sig = calloc(A->e.n ? A->e.n : 1, sizeof *A->sig);
	if (!A->stmt || !A->open || !A->sig)
		return -1;
	for (size_t i = 0; i < A->e.n; i++) {
		if (pg_json_parse(A->e.v[i].statement, A->e.v[i].statement_len, NULL, &A->stmt[i], &err))
			A->stmt[i] = NULL;
		tm_verify_entry(t->verifier, &A->e.v[i], &A->sig[i]);
	}
	pg_error_clear(&err);
	A->chain_rc = pg_reg_chain_verify(t->reg, &A->chain_count, &A->bad_seq, &err);
	if (A->chain_rc)
		snprintf(A->chain_msg, sizeof A->chain_msg, "%s", err.message);
	return 0;
}

static void audit_draw(tui *t, tui_view *v, const tui_rect *r)
{
	if (v->text.built_w != r->w)
		build(t, v, r->w);
	tui_text_draw(t, v, r);
}

static tui_req audit_request(tui *t, tui_view *v, tui_req req)
{
	struct audit *A = v->priv;
	tui_line *l = tui_text_current(v);

	if (req == REQ_ENTER) {
		if (l) {
			A->open[l->data] = !A->open[l->data];
			build(t, v, v->text.built_w ? v->text.built_w : COLS);
			tui_text_reveal(v);
		}
		return REQ_NONE;
	}
	return tui_text_request(t, v, req);
}

static void audit_done(tui_view *v)
{
	struct audit *A = v->priv;

	if (A) {
		for (size_t i = 0; A->stmt && i < A->e.n; i++)
			cJSON_Delete(A->stmt[i]);
		free(A->stmt);
		free(A->open);
		free(A->sig);
		free(A->outbox);
		pg_reg_entries_free(&A->e);
		free(A);
	}
	v->priv = NULL;
}

static const tui_req audit_hints[] = {
	REQ_ENTER, REQ_PREV_TAB, REQ_VIEW_EVAL, REQ_VIEW_LINEAGE, REQ_APPROVE, REQ_TRANSITION,
	REQ_SEARCH, REQ_HELP, REQ_QUIT, REQ_NONE,
};

const tui_view_ops tui_audit_ops = {
	.name = N_("Audit"),
	.scopes = TUI_SCOPE_PACK,
	.open = audit_open,
	.draw = audit_draw,
	.request = audit_request,
	.select = NULL,
	.done = audit_done,
	.hints = audit_hints,
	.pack = NULL,
};
