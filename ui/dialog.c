/* dialog.c — what the approve and transition dialogs share: the one-line
 * text field (UTF-8, edited by grapheme clusters), the GnuPG passphrase
 * prompt drawn in curses over the screen (loopback mode: the terminal is
 * never handed to pinentry), the choice of the signing key among the
 * policy's people, and the checks that signing is possible at all. */
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unigbrk.h>
#include <unistr.h>

/* ------------------------------------------------------------ text field */

/* Byte offset of the cluster after (before) the one at pos. */
static size_t next_cluster(const tui_field *f, size_t pos)
{
	const uint8_t *s = (const uint8_t *)f->buf;
	const uint8_t *n = pos < f->len ? u8_grapheme_next(s + pos, s + f->len) : NULL;

	return n ? (size_t)(n - s) : f->len;
}

static size_t prev_cluster(const tui_field *f, size_t pos)
{
	const uint8_t *s = (const uint8_t *)f->buf;
	const uint8_t *p = pos > 0 ? u8_grapheme_prev(s + pos, s) : NULL;

	return p ? (size_t)(p - s) : 0;
}

/* Removes buf[from, to) and puts the cursor at from. */
static void field_cut(tui_field *f, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(f->buf + from, f->buf + to, f->len - to + 1);
	f->len -= to - from;
	f->pos = from;
}

/* A character a user may type into a field: printable, not a control. */
static int typable(int key)
{
	if (key & TUI_KEY_FN)
		return 0;
	if (key < 0x20 || key == 0x7f || (key >= 0x80 && key < 0xa0))
		return 0;
	return key <= 0x10FFFF && !(key >= 0xD800 && key <= 0xDFFF);
}

int tui_field_key(tui_field *f, int key)
{
	size_t p;

	if (typable(key)) {
		uint8_t u[8];
		int n = u8_uctomb(u, (ucs4_t)key, (ptrdiff_t)sizeof u);

		if (n > 0 && f->len + (size_t)n < sizeof f->buf) {
			memmove(f->buf + f->pos + n, f->buf + f->pos, f->len - f->pos + 1);
			memcpy(f->buf + f->pos, u, (size_t)n);
			f->len += (size_t)n;
			f->pos += (size_t)n;
		}
		return 1;
	}
	switch (key) {
	case TUI_KEY_FN | KEY_BACKSPACE:
	case 127:
	case 8:
		field_cut(f, prev_cluster(f, f->pos), f->pos);
		return 1;
	case TUI_KEY_FN | KEY_DC:
	case TUI_KEY_CTRL('d'):
		p = f->pos;
		field_cut(f, p, next_cluster(f, p));
		return 1;
	case TUI_KEY_FN | KEY_LEFT:
	case TUI_KEY_CTRL('b'):
		f->pos = prev_cluster(f, f->pos);
		return 1;
	case TUI_KEY_FN | KEY_RIGHT:
	case TUI_KEY_CTRL('f'):
		f->pos = next_cluster(f, f->pos);
		return 1;
	case TUI_KEY_FN | KEY_HOME:
	case TUI_KEY_CTRL('a'):
		f->pos = 0;
		return 1;
	case TUI_KEY_FN | KEY_END:
	case TUI_KEY_CTRL('e'):
		f->pos = f->len;
		return 1;
	case TUI_KEY_CTRL('u'):
		field_cut(f, 0, f->pos);
		return 1;
	case TUI_KEY_CTRL('k'):
		f->len = f->pos;
		f->buf[f->len] = '\0';
		return 1;
	case TUI_KEY_CTRL('w'):
		p = f->pos;
		while (p > 0 && f->buf[p - 1] == ' ')
			p--;
		while (p > 0 && f->buf[p - 1] != ' ')
			p--;
		field_cut(f, p, f->pos);
		return 1;
	default:
		return 0;
	}
}

/* Display width of buf[from, to). */
static int span_width(const tui_field *f, size_t from, size_t to)
{
	char *s = strndup(f->buf + from, to - from);
	int w = s ? (int)tui_width(s) : 0;

	free(s);
	return w;
}

void tui_field_add(tui_text *x, tui_line *l, const tui_field *f, int w, int focused)
{
	size_t from = 0, cend;
	int cw, used;
	char *part;

	if (!l || w < 1)
		return;
	if (!focused) {
		tl_addw(x, l, TC_FIELD, f->buf, w, 0);
		return;
	}
	cend = next_cluster(f, f->pos);
	cw = f->pos < f->len ? span_width(f, f->pos, cend) : 1;
	/* start late enough that the cursor shows (an ellipsis marks the cut) */
	while (from < f->pos && (from ? 1 : 0) + span_width(f, from, f->pos) + cw > w)
		from = next_cluster(f, from);
	used = 0;
	if (from) {
		tl_add(x, l, TC_DIM, "\xe2\x80\xa6");
		used++;
	}
	part = strndup(f->buf + from, f->pos - from);
	tl_add(x, l, TC_FIELD, part ? part : "");
	used += span_width(f, from, f->pos);
	free(part);
	if (f->pos < f->len) {
		part = strndup(f->buf + f->pos, cend - f->pos);
		tl_add(x, l, TC_CURSOR, part ? part : "");
		free(part);
	} else {
		tl_add(x, l, TC_CURSOR, " ");
	}
	used += cw;
	if (w - used > 0)
		tl_addw(x, l, TC_FIELD, f->buf + cend, w - used, 0);
}

void tui_field_wipe(tui_field *f)
{
	explicit_bzero(f, sizeof *f);
}

/* ------------------------------------------------------------ passphrase */

struct pass_box {
	const char *hint;     /* display-safe: "KEYID Name <mail>" */
	int bad;              /* the previous attempt was wrong */
	tui_field f;
};

/* A row of the box: borders, blank inside. */
static void box_row(int y, int x, int w, const char *left, const char *fill, const char *right)
{
	tui_put(y, x, 1, TC_LABEL, left);
	for (int i = 1; i < w - 1; i++)
		tui_put(y, x + i, 1, fill[0] == ' ' ? TC_NORMAL : TC_LABEL, fill);
	tui_put(y, x + w - 1, 1, TC_LABEL, right);
}

static void pass_draw(tui *t, void *ctx)
{
	struct pass_box *B = ctx;
	int w = COLS - 4 < 74 ? COLS - 4 : 74, h = 8;
	int y = (LINES - h) / 2, x = (COLS - w) / 2, in = w - 4, fw;
	size_t nchars = u8_mbsnlen((const uint8_t *)B->f.buf, B->f.len);
	char title[64];

	(void)t;
	/* the rows of the box are the box's: nothing half hidden beside it */
	for (int r = 0; r < h; r++)
		tui_fill(y + r, 0, COLS, TC_NORMAL);
	box_row(y, x, w, "\xe2\x94\x8c", "\xe2\x94\x80", "\xe2\x94\x90");
	snprintf(title, sizeof title, " %s ", _("Passphrase"));
	tui_put(y, x + 2, in, TC_HEADER, title);
	for (int r = 1; r < h - 1; r++)
		box_row(y + r, x, w, "\xe2\x94\x82", " ", "\xe2\x94\x82");
	box_row(y + h - 1, x, w, "\xe2\x94\x94", "\xe2\x94\x80", "\xe2\x94\x98");
	tui_put(y + 2, x + 2, in, TC_NORMAL, B->hint);
	tui_put(y + 3, x + 2, in, B->bad ? TC_ERROR : TC_DIM,
	        B->bad ? _("That passphrase was wrong; try again.") : _("This key needs its passphrase to sign."));
	fw = tui_put(y + 5, x + 2, in, TC_LABEL, _("Passphrase  "));
	/* one bullet per character typed, never the characters */
	for (size_t i = 0; i < nchars && fw < in - 1; i++)
		fw += tui_put(y + 5, x + 2 + fw, 1, TC_FIELD, "\xe2\x80\xa2");
	tui_put(y + 5, x + 2 + fw, 1, TC_CURSOR, " ");
	tui_put(y + 6, x + 2, in, TC_DIM, _("Enter sign \xc2\xb7 Esc cancel"));
}

int tui_passphrase(void *ctx, const char *hint, int prev_was_bad, char *buf, size_t cap)
{
	tui *t = ctx;
	struct pass_box B;
	int rc = 1;

	memset(&B, 0, sizeof B);
	B.hint = hint;
	B.bad = prev_was_bad;
	t->overlay = pass_draw;
	t->overlay_ctx = &B;
	for (;;) {
		int key;

		if (!tui_next_key(t, &key))
			break;
		if (key == (TUI_KEY_FN | KEY_RESIZE)) {
			clearok(curscr, TRUE);
			continue;
		}
		if (key == '\n' || key == '\r' || key == (TUI_KEY_FN | KEY_ENTER)) {
			if (B.f.len >= cap)
				continue; /* cannot be handed over whole; the user edits */
			memcpy(buf, B.f.buf, B.f.len);
			buf[B.f.len] = '\0';
			rc = 0;
			break;
		}
		if (key == TUI_KEY_ESC || key == TUI_KEY_CTRL('c') || key == TUI_KEY_CTRL('g'))
			break;
		tui_field_key(&B.f, key);
	}
	tui_field_wipe(&B.f);
	t->overlay = NULL;
	t->overlay_ctx = NULL;
	/* GnuPG goes on signing: show the screen without the box meanwhile */
	if (!t->quit)
		tui_draw(t);
	return rc;
}

/* ------------------------------------------------------------ signing */

pg_code tui_signing_keys(tui *t, unsigned roles, pg_sig_key **keys, size_t *n, size_t *pick,
                         pg_error *err)
{
	pg_sig_key *all = NULL;
	size_t nall = 0, k = 0;
	char rb[96];
	pg_code rc;

	*keys = NULL;
	*n = 0;
	*pick = 0;
	rc = pg_sig_secret_keys(t->sig, t->policy, &all, &nall, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < nall; i++)
		if (!roles || (pg_policy_roles_of(t->policy, all[i].fingerprint) & roles))
			all[k++] = all[i];
	if (!k) {
		free(all);
		pg_person_roles_format(roles ? roles : PG_PERSON_ALL, rb, sizeof rb);
		return pg_err(err, PG_SIG_UNKNOWN_KEY,
		              _("no secret key of a person of the policy holding %s is in the GnuPG home %s"),
		              roles ? rb : _("a role"), t->opts->gnupghome);
	}
	for (size_t i = 0; i < k; i++)
		if (t->have_me && !strcasecmp(all[i].fingerprint, t->me))
			*pick = i;
	*keys = all;
	*n = k;
	return PG_OK;
}

int tui_dialog_ready(tui *t, const char *what)
{
	pg_error err;

	pg_error_clear(&err);
	if (!t->reg)
		pg_err(&err, PG_REGISTRY_NOT_FOUND, _("%s: the registry %s does not exist yet"), what,
		       t->reg_label);
	else if (!t->policy)
		pg_err(&err, PG_USAGE, _("%s needs a policy (--policy)"), what);
	else if (!t->sig && t->sig_err.code)
		pg_err(&err, t->sig_err.code, _("%s needs GnuPG: %s"), what, t->sig_err.message);
	else if (!t->sig)
		pg_err(&err, PG_USAGE, _("%s needs a GnuPG home (--gnupghome)"), what);
	else
		return 0;
	tui_status_err(t, &err);
	return -1;
}

void tui_person(const tui *t, const char *fpr, char *buf, size_t cap)
{
	const pg_policy_person *p = t->policy && fpr ? pg_policy_person_find(t->policy, fpr) : NULL;

	if (p)
		snprintf(buf, cap, "%s", p->name);
	else
		snprintf(buf, cap, "%.16s\xe2\x80\xa6", fpr ? fpr : "?");
}

/* ------------------------------------------------------------ layout */

void tui_dialog_text_draw(tui *t, tui_view *v, const tui_rect *r, size_t focus, int reveal)
{
	tui_text *x = &v->text;
	size_t h = r->h > 0 ? (size_t)r->h : 1;

	x->cur = x->n;
	if (reveal && focus < x->n) {
		size_t last = focus + 1 < x->n ? focus + 1 : focus;

		if (focus < x->top)
			x->top = focus;
		if (last >= x->top + h)
			x->top = last - h + 1;
	}
	tui_text_draw(t, v, r);
}

void tui_dialog_label(tui_text *x, tui_line *l, const char *label, int focused, int w)
{
	char buf[160];

	snprintf(buf, sizeof buf, "%s%s", focused ? " \xe2\x80\xba " : "   ", label);
	tl_addw(x, l, focused ? TC_FOCUS : TC_LABEL, buf, w, 0);
}

void tui_dialog_say(tui_text *x, const char *label, const char *extra, tui_color c, const char *value, int w)
{
	tui_line *l;
	char lb[96];

	snprintf(lb, sizeof lb, "   %s", label);
	if (TUI_DIALOG_SW + (int)tui_width(value) <= w || !strchr(value, ':') || strchr(value, ' ')) {
		tl_wrap(x, TC_LABEL, lb, TUI_DIALOG_SW, c, value, w);
		if (extra && extra[0]) {
			l = &x->v[x->n - 1];
			tl_add(x, l, TC_DIM, "  ");
			tl_add(x, l, TC_DIM, extra);
		}
		return;
	}
	if (label[0]) {
		l = tl_new(x);
		tl_addw(x, l, TC_LABEL, lb, TUI_DIALOG_SW, 0);
		if (extra && extra[0])
			tl_add(x, l, TC_DIM, extra);
	}
	tl_wrap(x, TC_LABEL, "", 5, c, value, w);
}

void tui_dialog_key_lines(tui *t, tui_text *x, const pg_sig_key *keys, size_t n, size_t k, const char *not_mine,
                          int lw, int w)
{
	tui_line *l = tl_new(x);
	int mine = 0;
	char buf[600];

	tl_addw(x, l, TC_NORMAL, "", lw, 0);
	tl_add(x, l, TC_DIM, keys[k].fingerprint);
	if (!t->have_me || !strcmp(t->me, keys[k].fingerprint))
		return;
	for (size_t i = 0; i < n; i++)
		mine |= !strcmp(keys[i].fingerprint, t->me);
	if (!mine) {
		snprintf(buf, sizeof buf, not_mine, t->me);
		tl_wrap(x, TC_LABEL, "", lw, TC_SIG_UNKNOWN, buf, w);
	}
}

int tui_dialog_page(tui_view *v, tui_req req)
{
	size_t page = v->text.page > 1 ? (size_t)v->text.page - 1 : 1;

	if (req == REQ_PAGE_DOWN)
		v->text.top += page;
	else if (req == REQ_PAGE_UP)
		v->text.top = v->text.top > page ? v->text.top - page : 0;
	else
		return 0;
	return 1;
}
