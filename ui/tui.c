/* tui.c — the TUI's entry point and main loop: terminal setup and restore,
 * signals, the view stack, request dispatch, the prompt, the hint and
 * status lines, resize, and the scripted-test driver (tig's manner: the
 * real UI on newterm() over /dev/null, keys from a script, screens dumped
 * as text). */
#include "tui_int.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unistr.h>
#include <wchar.h>

#include "escape.h"
#include "model.h"
#include "rfc3339.h"
#include "sig.h"

#define SUMMARY_CACHE 1024

/* ------------------------------------------------------------ signals */

static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t curses_up;

static void on_quit_signal(int sig)
{
	got_signal = sig;
}

/* A crash: give the terminal back, then die of the same signal. */
static void on_fatal_signal(int sig)
{
	if (curses_up) {
		curses_up = 0;
		endwin();
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void signals_install(void)
{
	struct sigaction sa;
	static const int quit_sigs[] = { SIGINT, SIGTERM, SIGHUP };
	static const int fatal_sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_quit_signal;
	for (size_t i = 0; i < sizeof quit_sigs / sizeof quit_sigs[0]; i++)
		sigaction(quit_sigs[i], &sa, NULL);
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof fatal_sigs / sizeof fatal_sigs[0]; i++)
		sigaction(fatal_sigs[i], &sa, NULL);
}

static void signals_restore(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };

	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_DFL);
}

/* ------------------------------------------------------------ options */

void pg_tui_opts_init(pg_tui_opts *o)
{
	const char *now = getenv("PACKGATE_TUI_NOW");
	time_t t;

	memset(o, 0, sizeof *o);
	o->script = getenv("PACKGATE_TUI_SCRIPT");
	o->dump = getenv("PACKGATE_TUI_DUMP");
	if (o->script && !o->script[0])
		o->script = NULL;
	if (o->dump && !o->dump[0])
		o->dump = NULL;
	if (now && pg_rfc3339_parse(now, &t) == 0)
		o->now = t;
}

/* ------------------------------------------------------------ status */

void tui_status(tui *t, const char *fmt, ...)
{
	char raw[1024];
	char *e;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	e = pg_escape_str(raw);
	snprintf(t->status, sizeof t->status, "%s", e ? e : raw);
	free(e);
	t->status_error = 0;
}

void tui_err_text(const pg_error *err, char *buf, size_t cap)
{
	size_t n, m;

	if (!cap)
		return;
	snprintf(buf, cap, "%s: ", pg_code_name(err->code));
	n = strlen(buf);
	m = strnlen(err->message, cap - n - 1);
	memcpy(buf + n, err->message, m);
	buf[n + m] = '\0';
}

void tui_status_err(tui *t, const pg_error *err)
{
	tui_err_text(err, t->status, sizeof t->status);
	t->status_error = 1;
}

void tui_age(const tui *t, const char *rfc3339, char *buf, size_t cap)
{
	time_t then;
	long long d;

	if (!rfc3339 || pg_rfc3339_parse(rfc3339, &then)) {
		snprintf(buf, cap, "-");
		return;
	}
	d = (long long)(t->now - then);
	/* TRANSLATORS: ages in a narrow column of the pack list: a number and
	 * the shortest unit (seconds, minutes, hours, days, months, years) */
	if (d < 0)
		snprintf(buf, cap, "%s", _("future"));
	else if (d < 60)
		snprintf(buf, cap, _("%llds"), d);
	else if (d < 3600)
		snprintf(buf, cap, _("%lldm"), d / 60);
	else if (d < 86400)
		snprintf(buf, cap, _("%lldh"), d / 3600);
	else if (d < 86400LL * 60)
		snprintf(buf, cap, _("%lldd"), d / 86400);
	else if (d < 86400LL * 730)
		snprintf(buf, cap, _("%lldmo"), d / (86400LL * 30));
	else
		snprintf(buf, cap, _("%lldy"), d / (86400LL * 365));
}

/* ------------------------------------------------------------ views */

int tui_push(tui *t, const tui_view_ops *ops, void *arg)
{
	tui_view *v;

	if (t->depth == TUI_MAX_VIEWS) {
		tui_status(t, _("too many views open; press q to go back"));
		return -1;
	}
	v = calloc(1, sizeof *v);
	if (!v) {
		tui_status(t, "io.memory: %s", _("out of memory"));
		t->status_error = 1;
		return -1;
	}
	v->ops = ops;
	if (ops->open(t, v, arg)) {
		if (ops->done)
			ops->done(v);
		tl_clear(&v->text);
		free(v);
		return -1;
	}
	t->stack[t->depth++] = v;
	return 0;
}

static void view_free(tui_view *v)
{
	if (v->ops->done)
		v->ops->done(v);
	tl_clear(&v->text);
	free(v);
}

void tui_pop(tui *t)
{
	if (t->depth <= 1)
		return;
	if (t->prompt.active && t->prompt.owner == t->stack[t->depth - 1])
		t->prompt.active = 0;
	view_free(t->stack[--t->depth]);
}

static tui_view *top(tui *t)
{
	return t->depth ? t->stack[t->depth - 1] : NULL;
}

/* ------------------------------------------------------------ prompt */

void tui_prompt_start(tui *t, tui_view *v, const char *label, const char *initial,
                      void (*changed)(tui *t, tui_view *v, const char *text, int done))
{
	tui_prompt *p = &t->prompt;

	p->active = 1;
	p->owner = v;
	p->changed = changed;
	snprintf(p->label, sizeof p->label, "%s", label);
	snprintf(p->buf, sizeof p->buf, "%s", initial ? initial : "");
	snprintf(p->saved, sizeof p->saved, "%s", p->buf);
	p->len = strlen(p->buf);
}

static void prompt_end(tui *t, int done)
{
	tui_prompt *p = &t->prompt;

	p->active = 0;
	if (done < 0) {
		snprintf(p->buf, sizeof p->buf, "%s", p->saved);
		p->len = strlen(p->buf);
	}
	if (p->changed)
		p->changed(t, p->owner, p->buf, done);
}

/* Feeds a key to the active prompt.  Returns 1 when the key was used, 0
 * when the prompt ended and the key should be handled as usual. */
static int prompt_key(tui *t, int key)
{
	tui_prompt *p = &t->prompt;

	if (key == '\n' || key == '\r' || key == (TUI_KEY_FN | KEY_ENTER)) {
		prompt_end(t, 1);
		return 1;
	}
	if (key == TUI_KEY_ESC || key == TUI_KEY_CTRL('c') || key == TUI_KEY_CTRL('g')) {
		prompt_end(t, -1);
		return 1;
	}
	if (key == (TUI_KEY_FN | KEY_BACKSPACE) || key == 127 || key == 8) {
		if (p->len) {
			/* drop one whole UTF-8 character */
			do
				p->len--;
			while (p->len && ((unsigned char)p->buf[p->len] & 0xC0) == 0x80);
			p->buf[p->len] = '\0';
			p->changed(t, p->owner, p->buf, 0);
		}
		return 1;
	}
	if (key == TUI_KEY_CTRL('u')) {
		p->len = 0;
		p->buf[0] = '\0';
		p->changed(t, p->owner, p->buf, 0);
		return 1;
	}
	if (!(key & TUI_KEY_FN) && key >= 0x20 && key != 0x7f) {
		uint8_t u[8];
		int n = u8_uctomb(u, (ucs4_t)key, (ptrdiff_t)sizeof u);

		if (n > 0 && p->len + (size_t)n < sizeof p->buf) {
			memcpy(p->buf + p->len, u, (size_t)n);
			p->len += (size_t)n;
			p->buf[p->len] = '\0';
			p->changed(t, p->owner, p->buf, 0);
		}
		return 1;
	}
	/* movement and the like: accept, then act on the key */
	prompt_end(t, 1);
	return 0;
}

/* ------------------------------------------------------------ drawing */

/* One hint ("q quit") at x; returns its width, 0 when it has no key. */
static int hint_put(const tui_view *v, tui_req r, int x, int draw)
{
	char key[32];
	const char *label = tui_req_hint(r);
	int w;

	tui_req_key(r, v->ops->scopes | v->scopes, key, sizeof key);
	if (!key[0])
		return 0;
	w = (int)tui_width(key) + 1 + (int)tui_width(label) + 2;
	if (draw) {
		x += tui_put(LINES - 2, x, COLS - x, TC_HINT_KEY, key);
		x += tui_put(LINES - 2, x, 1, TC_HINT, " ");
		tui_put(LINES - 2, x, COLS - x, TC_HINT, label);
	}
	return w;
}

static void draw_hints(tui *t, const tui_view *v)
{
	const tui_req *hints = v->hints ? v->hints : v->ops->hints;
	int x = 1, tail = hint_put(v, REQ_HELP, 0, 0) + hint_put(v, REQ_QUIT, 0, 0);

	(void)t;
	tui_fill(LINES - 2, 0, COLS, TC_HINT);
	/* the view's hints while they fit, then always ? help and q quit */
	for (const tui_req *r = hints; r && *r != REQ_NONE; r++) {
		int w;

		if (*r == REQ_HELP || *r == REQ_QUIT)
			continue;
		w = hint_put(v, *r, x, 0);
		if (!w)
			continue;
		if (x + w + tail > COLS)
			break;
		x += hint_put(v, *r, x, 1);
	}
	x += hint_put(v, REQ_HELP, x, 1);
	hint_put(v, REQ_QUIT, x, 1);
}

static void draw_status(tui *t)
{
	int y = LINES - 1, iw = (int)tui_width(t->info);

	tui_fill(y, 0, COLS, TC_STATUS);
	if (t->prompt.active) {
		int x = tui_put(y, 0, COLS, TC_SEARCH, t->prompt.label);

		x += tui_put(y, x, COLS - x - 1, TC_STATUS, t->prompt.buf);
		tui_put(y, x, 1, TC_CURSOR, " ");
		return;
	}
	/* a message wider than the room the position leaves wins the line */
	if (iw > COLS / 2 || (int)tui_width(t->status) > COLS - iw - 2)
		iw = 0;
	if (t->status[0])
		tui_put(y, 0, COLS - (iw ? iw + 2 : 0), t->status_error ? TC_ERROR : TC_STATUS, t->status);
	if (iw)
		tui_put(y, COLS - iw, iw, TC_DIM, t->info);
}

/* A line centred on row y. */
static void put_centred(int y, tui_color c, const char *s)
{
	int w = (int)tui_width(s);

	tui_put(y, w < COLS ? (COLS - w) / 2 : 0, COLS, c, s);
}

static void draw_too_small(void)
{
	char msg[160];
	int y = LINES / 2;

	snprintf(msg, sizeof msg, _("terminal too small: %dx%d"), COLS, LINES);
	put_centred(y > 0 ? y - 1 : 0, TC_ERROR, msg);
	snprintf(msg, sizeof msg, _("need at least %dx%d"), TUI_MIN_COLS, TUI_MIN_LINES);
	put_centred(y, TC_NORMAL, msg);
	put_centred(y + 1, TC_DIM, _("q quit"));
}

static void draw_screen(tui *t)
{
	tui_view *v = top(t);
	tui_rect body;

	erase();
	t->info[0] = '\0';
	if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES) {
		draw_too_small();
	} else if (v) {
		body.y = 2;
		body.x = 0;
		body.h = LINES - 4;
		body.w = COLS;
		v->ops->draw(t, v, &body);
		draw_hints(t, v);
		draw_status(t);
		if (t->overlay)
			t->overlay(t, t->overlay_ctx);
	}
	if (!t->scripted)
		refresh();
}

void tui_draw(tui *t)
{
	draw_screen(t);
}

/* ------------------------------------------------------------ the script */

/* Appends the screen's text to the dump: each row without trailing
 * spaces, after a "--- screen N" line. */
static int dump_screen(FILE *out, int n)
{
	/* a cell holds up to CCHARW_MAX characters of up to 4 UTF-8 bytes */
	char *row = malloc((size_t)COLS * (CCHARW_MAX * 4 + 1) + 1);

	if (!row)
		return -1;
	fprintf(out, "--- screen %d\n", n);
	for (int y = 0; y < LINES; y++) {
		size_t len = 0;

		for (int x = 0; x < COLS;) {
			cchar_t cc;
			wchar_t wch[CCHARW_MAX + 1];
			attr_t attrs;
			short pair;
			int w = 1;

			if (mvwin_wch(stdscr, y, x, &cc) == ERR ||
			    getcchar(&cc, wch, &attrs, &pair, NULL) == ERR || !wch[0]) {
				row[len++] = ' ';
				x++;
				continue;
			}
			for (int k = 0; k < CCHARW_MAX && wch[k]; k++) {
				int m = u8_uctomb((uint8_t *)row + len, (ucs4_t)wch[k], 8);

				if (m > 0)
					len += (size_t)m;
			}
			w = wcwidth(wch[0]);
			x += w > 0 ? w : 1;
		}
		while (len && row[len - 1] == ' ')
			len--;
		fwrite(row, 1, len, out);
		fputc('\n', out);
	}
	free(row);
	return ferror(out) ? -1 : 0;
}

struct tui_script {
	FILE *in;
	FILE *dump;
	int screens;
	long lineno;
};

/* The next key of the script, after carrying out its other lines.
 * Returns 1 with *key, 0 at the end, -1 on a bad line (err set). */
static int script_next(tui *t, tui_script *s, int *key, pg_error *err)
{
	char line[512];

	while (fgets(line, sizeof line, s->in)) {
		size_t n = strcspn(line, "\n");
		int cols, rows;

		line[n] = '\0';
		s->lineno++;
		switch (tui_script_parse(line, key, &cols, &rows)) {
		case TUI_SCRIPT_SKIP:
			break;
		case TUI_SCRIPT_KEY:
			return 1;
		case TUI_SCRIPT_RESIZE:
			resizeterm(rows, cols);
			break;
		case TUI_SCRIPT_DUMP:
			draw_screen(t);
			if (s->dump && dump_screen(s->dump, ++s->screens)) {
				pg_err(err, PG_IO_WRITE, _("cannot write the screen dump %s"), t->opts->dump);
				return -1;
			}
			break;
		case TUI_SCRIPT_BAD:
			pg_err(err, PG_USAGE, _("%s:%ld: not a key: %s"), t->opts->script, s->lineno, line);
			return -1;
		}
	}
	return 0;
}

/* The next key from the terminal: ERR on a timeout or signal. */
static int term_next(void)
{
	wint_t wc;
	int r = get_wch(&wc);

	/* an interrupted read can come back as a key 0: not a key */
	if (r == ERR || wc == 0)
		return ERR;
	if (r == KEY_CODE_YES)
		return TUI_KEY_FN | (int)wc;
	return (int)wc;
}

int tui_next_key(tui *t, int *key)
{
	for (;;) {
		int r;

		if (t->quit || got_signal)
			return 0;
		/* the screen is drawn before every key, as a user would see it */
		draw_screen(t);
		if (t->script) {
			r = script_next(t, t->script, key, &t->fatal);
			if (r <= 0) {
				t->failed = r < 0;
				t->quit = 1;
				return 0;
			}
			return 1;
		}
		*key = term_next();
		if (*key != ERR && !got_signal)
			return 1;
	}
}

/* ------------------------------------------------------------ dispatch */

static const char *current_pack(tui *t)
{
	for (size_t i = t->depth; i-- > 0;) {
		tui_view *v = t->stack[i];

		if (v->ops->pack)
			return v->ops->pack(v);
	}
	return NULL;
}

static void global_request(tui *t, tui_req req)
{
	tui_view *v = top(t);
	tui_help_arg help;
	const char *id;

	switch (req) {
	case REQ_QUIT:
		if (t->depth > 1)
			tui_pop(t);
		else
			t->quit = 1;
		break;
	case REQ_BACK:
		tui_pop(t);
		break;
	case REQ_HELP:
		if (v->ops == &tui_help_ops)
			break;
		help.scopes = v->ops->scopes | v->scopes;
		help.title = v->title ? v->title : v->ops->name;
		tui_push(t, &tui_help_ops, &help);
		break;
	case REQ_APPROVE:
	case REQ_TRANSITION:
		id = current_pack(t);
		if (!id) {
			tui_status(t, _("no pack selected"));
		} else if (req == REQ_APPROVE && t->dialogs.approve) {
			t->dialogs.approve(t, id);
		} else if (req == REQ_TRANSITION && t->dialogs.transition) {
			t->dialogs.transition(t, id);
		} else {
			tui_status(t, req == REQ_APPROVE ? _("approve: not available yet")
			                                 : _("transition: not available yet"));
		}
		break;
	case REQ_REDRAW:
		clearok(curscr, TRUE);
		break;
	case REQ_NONE:
		break;
	default:
		if (req == REQ_SEARCH_NEXT || req == REQ_SEARCH_PREV || req == REQ_SEARCH)
			tui_status(t, _("nothing to search here"));
		break;
	}
}

static void handle_key(tui *t, int key)
{
	tui_view *v = top(t);
	tui_req req;

	if (key == (TUI_KEY_FN | KEY_RESIZE)) {
		clearok(curscr, TRUE);
		return;
	}
	if (t->prompt.active && prompt_key(t, key))
		return;
	t->status[0] = '\0';
	t->status_error = 0;
	if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES) {
		/* only quitting makes sense on the small screen */
		if (key == 'q')
			t->quit = 1;
		return;
	}
	if (v->ops->key && v->ops->key(t, v, key))
		return;
	req = tui_key_request(key, v->ops->scopes | v->scopes);
	if (req == REQ_NONE) {
		char name[32];

		tui_key_name(key, name, sizeof name);
		tui_status(t, _("%s: no action here; press ? for help"), name);
		return;
	}
	if (req == REQ_REFRESH) {
		tm_cache_clear(t->cache);
		t->generation++;
	}
	req = v->ops->request(t, v, req);
	if (req == REQ_REFRESH) {
		tui_status(t, _("reloaded"));
		return;
	}
	global_request(t, req);
}

void tui_refresh_views(tui *t)
{
	tm_cache_clear(t->cache);
	t->generation++;
	for (size_t i = 0; i < t->depth; i++)
		t->stack[i]->ops->request(t, t->stack[i], REQ_REFRESH);
}

/* ------------------------------------------------------------ setup */

static void identity(tui *t)
{
	const pg_policy_person *who;
	char roles[96];
	char *e;

	if (!t->opts->key || !t->opts->key[0])
		return;
	if (!pg_fpr_normalize(t->opts->key, t->me)) {
		e = pg_escape_str(t->opts->key);
		snprintf(t->me_label, sizeof t->me_label, _("key %s (not a fingerprint)"), e ? e : "?");
		free(e);
		return;
	}
	t->have_me = 1;
	who = t->policy ? pg_policy_person_find(t->policy, t->me) : NULL;
	if (!who) {
		snprintf(t->me_label, sizeof t->me_label, _("key %.16s%s%s"), t->me, "\xe2\x80\xa6",
		         t->policy ? _(" (not in the policy)") : "");
		return;
	}
	pg_person_roles_format(who->roles, roles, sizeof roles);
	e = pg_escape_str(who->name);
	snprintf(t->me_label, sizeof t->me_label, "%s %s", e ? e : "?", roles);
	free(e);
}

/* Opens the configured GnuPG home and imports the policy's people keys
 * once.  Without a home, or when GnuPG cannot be used, t->sig stays NULL
 * and signatures show as not verified; a failed import is reported on the
 * status line (verification then says which keys are missing). */
static void gnupg_setup(tui *t)
{
	pg_error err;

	pg_error_clear(&t->sig_err);
	if (!t->opts->gnupghome || !t->opts->gnupghome[0])
		return;
	if (pg_sig_open(t->opts->gnupghome, &t->sig, &t->sig_err) != PG_OK) {
		t->sig = NULL;
		tui_status_err(t, &t->sig_err);
		return;
	}
	pg_sig_set_passphrase(t->sig, tui_passphrase, t);
	pg_error_clear(&err);
	if (t->policy && pg_sig_import_policy(t->sig, t->policy, NULL, &err) != PG_OK)
		tui_status_err(t, &err);
}

static pg_code setup(tui *t, pg_error *err)
{
	struct stat st;
	pg_code rc;

	t->now = t->opts->now ? t->opts->now : time(NULL);
	if (t->opts->policy) {
		rc = pg_policy_load(t->opts->policy, &t->policy, err);
		if (rc)
			return rc;
		if (t->policy->name) {
			char *e = pg_escape_str(t->policy->name);

			snprintf(t->policy_label, sizeof t->policy_label, "%s (%.8s)", e ? e : "?",
			         t->policy->digest + 7);
			free(e);
		} else {
			snprintf(t->policy_label, sizeof t->policy_label, "(%.8s)", t->policy->digest + 7);
		}
	}
	if (!t->opts->registry)
		return pg_err(err, PG_USAGE, _("no registry given"));
	t->reg_label = pg_escape_str(t->opts->registry);
	if (!t->reg_label)
		return pg_err(err, PG_IO_MEMORY, _("out of memory"));
	if (stat(t->opts->registry, &st) == 0) {
		rc = pg_reg_open(t->opts->registry, &t->reg, err);
		if (rc)
			return rc;
	} else if (errno != ENOENT) {
		return pg_err_errno(err, errno, 0, t->opts->registry);
	}
	t->cache = tm_cache_new(SUMMARY_CACHE);
	if (!t->cache)
		return pg_err(err, PG_IO_MEMORY, _("out of memory"));
	identity(t);
	gnupg_setup(t);
	t->verifier = tm_verifier_new(t->sig, t->reg, t->policy);
	if (!t->verifier)
		return pg_err(err, PG_IO_MEMORY, _("out of memory"));
	t->dialogs.approve = tui_approve_dialog;
	t->dialogs.transition = tui_transition_dialog;
	return PG_OK;
}

static void teardown(tui *t)
{
	while (t->depth)
		view_free(t->stack[--t->depth]);
	tm_verifier_free(t->verifier);
	pg_sig_close(t->sig);
	tm_cache_free(t->cache);
	pg_reg_close(t->reg);
	pg_policy_free(t->policy);
	free(t->reg_label);
}

static void report(const pg_error *err)
{
	fprintf(stderr, "packgate: %s: %s\n", pg_code_name(err->code), err->message);
}

static void screen_setup(tui *t)
{
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	set_escdelay(25);
	curs_set(0);
	if (!t->scripted)
		timeout(250);
	tui_display_init();
}

int pg_tui_run(const pg_tui_opts *opts)
{
	tui T, *t = &T;
	tui_script s;
	pg_error err;
	SCREEN *scr = NULL;
	FILE *nul_out = NULL, *nul_in = NULL;
	int status = 0;

	memset(t, 0, sizeof *t);
	memset(&s, 0, sizeof s);
	pg_error_clear(&err);
	t->opts = opts;
	t->scripted = opts->script != NULL;
	if (setup(t, &err))
		goto fail;
	if (t->scripted) {
		if (!(s.in = fopen(opts->script, "r"))) {
			pg_err_errno(&err, errno, 0, opts->script);
			goto fail;
		}
		if (opts->dump && !(s.dump = fopen(opts->dump, "a"))) {
			pg_err_errno(&err, errno, 1, opts->dump);
			goto fail;
		}
		nul_out = fopen("/dev/null", "w");
		nul_in = fopen("/dev/null", "r");
		if (!nul_out || !nul_in) {
			pg_err_errno(&err, errno, 1, "/dev/null");
			goto fail;
		}
		use_env(TRUE);
		scr = newterm(NULL, nul_out, nul_in);
		t->script = &s;
	} else {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			pg_err(&err, PG_USAGE, _("the terminal interface needs a terminal; name a command "
			                         "(packgate --help)"));
			goto fail;
		}
		scr = newterm(NULL, stdout, stdin);
	}
	if (!scr) {
		pg_err(&err, PG_IO_WRITE, _("cannot set up the terminal (TERM=%s)"),
		       getenv("TERM") ? getenv("TERM") : "");
		goto fail;
	}
	set_term(scr);
	curses_up = 1;
	got_signal = 0;
	signals_install();
	screen_setup(t);
	if (tui_push(t, &tui_list_ops, NULL)) {
		pg_err(&err, PG_IO_MEMORY, _("cannot open the pack list: %s"), t->status);
		goto fail;
	}
	for (;;) {
		int key;

		if (!tui_next_key(t, &key))
			break;
		handle_key(t, key);
	}
	if (t->failed) {
		err = t->fatal;
		goto fail;
	}
	goto out;
fail:
	status = pg_code_exit(err.code);
out:
	teardown(t);
	if (curses_up) {
		curses_up = 0;
		endwin();
	}
	signals_restore();
	if (scr)
		delscreen(scr);
	if (status)
		report(&err);
	if (got_signal && !status)
		status = 128 + got_signal;
	if (s.in)
		fclose(s.in);
	if (s.dump && fclose(s.dump) && !status) {
		pg_err(&err, PG_IO_WRITE, _("cannot write the screen dump %s"), opts->dump);
		report(&err);
		status = pg_code_exit(err.code);
	}
	if (nul_out)
		fclose(nul_out);
	if (nul_in)
		fclose(nul_in);
	return status;
}
