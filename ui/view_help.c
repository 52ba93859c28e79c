/* view_help.c — the `?` screen, generated from the keymap and the request
 * table: the keys of the view it was opened from, then the keys that work
 * everywhere, then what the colours and marks mean. */
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

struct help {
	unsigned scopes;
	char title[64];
};

/* One line per request: every key bound to it (as the view sees keys). */
static void section(tui_text *x, unsigned scopes, int specific, const char *title, int w)
{
	size_t n;
	const tui_binding *km = tui_keymap(&n);
	int done[REQ_COUNT_] = { 0 };
	tui_line *l;

	tl_new(x);
	l = tl_new(x);
	tl_add(x, l, TC_HEADER, title);
	for (size_t i = 0; i < n; i++) {
		tui_req r = km[i].req;
		char keys[128] = "";

		if (done[r] || (specific ? !(km[i].scope & scopes) || km[i].scope == TUI_SCOPE_ANY
		                         : km[i].scope != TUI_SCOPE_ANY))
			continue;
		for (size_t j = i; j < n; j++) {
			char name[32];

			if (km[j].req != r || tui_key_request(km[j].key, scopes) != r)
				continue;
			if (specific ? km[j].scope == TUI_SCOPE_ANY : km[j].scope != TUI_SCOPE_ANY)
				continue;
			tui_key_name(km[j].key, name, sizeof name);
			if (strstr(keys, name) && strlen(name) > 1)
				continue;
			if (keys[0])
				strncat(keys, ", ", sizeof keys - strlen(keys) - 1);
			strncat(keys, name, sizeof keys - strlen(keys) - 1);
		}
		done[r] = 1;
		if (!keys[0])
			continue;
		l = tl_new(x);
		tl_add(x, l, TC_NORMAL, "   ");
		tl_addw(x, l, TC_HINT_KEY, keys, 18, 0);
		tl_add(x, l, TC_NORMAL, " ");
		tl_addw(x, l, TC_DIM, tui_req_name(r), 14, 0);
		tl_add(x, l, TC_NORMAL, " ");
		tl_wrap_on(x, l, TC_NORMAL, tui_req_help(r), w, 37);
	}
}

static void legend(tui_text *x, int w)
{
	static const struct {
		tui_color c;
		const char *sample, *meaning;
	} marks[] = {
		{ TC_STATE_CHAMPION, "champion", N_("the pack in production for its name") },
		{ TC_STATE_QUARANTINED, "quarantined", N_("blocked; its descendants are tainted") },
		{ TC_TAINT, N_("\xe2\x9a\xa0 tainted"), N_("an ancestor is quarantined") },
		{ TC_IMPROVEMENT, "+0.031 \xe2\x96\xb2", N_("better than the champion, intervals clear") },
		{ TC_REGRESSION, "-0.040 \xe2\x96\xbc", N_("worse than the champion, intervals clear (a regression)") },
		{ TC_OVERLAP, N_("overlaps"), N_("intervals overlap: no difference is called") },
		{ TC_CHECK_PASS, "\xe2\x9c\x93", N_("a check passed") },
		{ TC_CHECK_FAIL, "\xe2\x9c\x97", N_("a check failed (with its code)") },
		{ TC_MISSING, "\xe2\x9c\x97 sha256:\xe2\x80\xa6", N_("a parent not in the registry") },
		{ TC_DIM, "\xe2\x86\x91", N_("lineage: a pack already drawn above") },
		{ TC_CONFLICT, N_("\xe2\x9a\xa0 conflict"), N_("license terms that contradict an ancestor's") },
		{ TC_SIG_GOOD, N_("sig: good"), N_("the signature counts under the policy (GnuPG checked it now)") },
		{ TC_SIG_BAD, N_("sig: bad (sig.bad)"), N_("the signature does not match what it signs") },
		{ TC_SIG_UNKNOWN, N_("sig: problem (\xe2\x80\xa6)"), N_("it does not count: unknown key, untrusted, revoked, expired ...") },
		{ TC_SIG_UNKNOWN, N_("not verified"), N_("no GnuPG home (--gnupghome): nothing was checked") },
	};
	tui_line *l;

	tl_new(x);
	l = tl_new(x);
	tl_add(x, l, TC_HEADER, _(" Colours and marks"));
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
		l = tl_new(x);
		tl_add(x, l, TC_NORMAL, "   ");
		/* state names and numbers are data; gettext leaves unmarked samples as they are */
		tl_addw(x, l, marks[i].c, _(marks[i].sample), 18, 0);
		tl_add(x, l, TC_NORMAL, " ");
		tl_wrap_on(x, l, TC_NORMAL, _(marks[i].meaning), w, 22);
	}
	tl_wrap(x, TC_DIM, "", 3, TC_DIM, _("Text from packs is shown escaped: ^[ for ESC, <U+202E> for "
	                                   "bidi controls, \\xNN for invalid bytes."), w);
}

static void build(tui_view *v, int w)
{
	struct help *H = v->priv;
	tui_text *x = &v->text;
	char buf[128];

	tl_clear(x);
	x->built_w = w;
	x->cur = x->n;
	snprintf(buf, sizeof buf, _(" Keys of the %s view"), H->title);
	section(x, H->scopes, 1, buf, w);
	if (H->scopes & TUI_SCOPE_DIALOG) {
		tl_wrap(x, TC_DIM, "", 3, TC_NORMAL,
		        _("In the comment field typing inserts (? and q too; F1 is help there): Left and "
		          "Right (^B ^F) and Home and End (^A ^E) move, Backspace and Del (^D) delete, ^U "
		          "and ^K delete to the start and the end, ^W the word before."), w);
		tl_wrap(x, TC_DIM, "", 3, TC_NORMAL,
		        _("Enter asks on the status line before signing what the screen shows: y signs, "
		          "any other key goes back.  A key with a passphrase asks for it here: Enter signs, "
		          "Esc cancels."), w);
	}
	section(x, H->scopes, 0, _(" Everywhere"), w);
	legend(x, w);
}

static int help_open(tui *t, tui_view *v, void *arg)
{
	const tui_help_arg *a = arg;
	struct help *H = calloc(1, sizeof *H);

	(void)t;
	if (!H)
		return -1;
	H->scopes = a->scopes;
	snprintf(H->title, sizeof H->title, "%s", a->title ? _(a->title) : "");
	v->priv = H;
	return 0;
}

static void help_draw(tui *t, tui_view *v, const tui_rect *r)
{
	struct help *H = v->priv;
	char title[160];

	snprintf(title, sizeof title, " packgate \xe2\x80\xba %s \xe2\x80\xba %s", _("help"), H->title);
	tui_draw_title(t, title, NULL);
	tui_fill(1, 0, COLS, TC_TAB);
	if (v->text.built_w != r->w)
		build(v, r->w);
	tui_text_draw(t, v, r);
}

static tui_req help_request(tui *t, tui_view *v, tui_req req)
{
	/* keys of the view below do not apply here */
	if (req >= REQ_VIEW_OVERVIEW && req <= REQ_TRANSITION)
		return REQ_NONE;
	return tui_text_request(t, v, req);
}

static void help_done(tui_view *v)
{
	free(v->priv);
	v->priv = NULL;
}

static const tui_req help_hints[] = {
	REQ_MOVE_DOWN, REQ_PAGE_DOWN, REQ_SEARCH, REQ_BACK, REQ_QUIT, REQ_NONE,
};

const tui_view_ops tui_help_ops = {
	.name = N_("Help"),
	.scopes = 0,
	.open = help_open,
	.draw = help_draw,
	.request = help_request,
	.select = NULL,
	.done = help_done,
	.hints = help_hints,
	.pack = NULL,
};
