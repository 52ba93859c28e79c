/* request.c — the request table, the keymap and key names (see tui_int.h).
 * The `?` screen and the hint line are generated from here. */
#include "tui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

static const struct {
	const char *name, *hint, *help;
} requests[REQ_COUNT_] = {
#define TUI_REQ_INFO_(sym, name, hint, help) { name, hint, help },
	TUI_REQUESTS(TUI_REQ_INFO_)
#undef TUI_REQ_INFO_
};

#define FN(k) (TUI_KEY_FN | (k))
#define S_ANY TUI_SCOPE_ANY
#define S_LIST TUI_SCOPE_LIST
#define S_PACK TUI_SCOPE_PACK
#define S_LIN TUI_SCOPE_LINEAGE
#define S_FILES TUI_SCOPE_FILES
#define S_DLG TUI_SCOPE_DIALOG

/* Specific scopes first: the first binding whose scope the view has wins. */
static const tui_binding keymap[] = {
	/* pack list */
	{ 's', REQ_SORT_NEXT, S_LIST },
	{ 'S', REQ_SORT_REVERSE, S_LIST },
	{ 'm', REQ_AWAITING, S_LIST },
	/* lineage */
	{ 'd', REQ_DESCENDANTS, S_LIN },
	{ FN(KEY_LEFT), REQ_MOVE_LEFT, S_LIN },
	{ FN(KEY_RIGHT), REQ_MOVE_RIGHT, S_LIN },
	{ 'h', REQ_MOVE_LEFT, S_LIN },
	/* files */
	{ 'v', REQ_VERIFY, S_FILES },
	/* dialogs (approve, transition): a text field takes its keys first */
	{ '\n', REQ_CONFIRM, S_DLG },
	{ '\r', REQ_CONFIRM, S_DLG },
	{ FN(KEY_ENTER), REQ_CONFIRM, S_DLG },
	{ '\t', REQ_NEXT_FIELD, S_DLG },
	{ FN(KEY_DOWN), REQ_NEXT_FIELD, S_DLG },
	{ 'j', REQ_NEXT_FIELD, S_DLG },
	{ FN(KEY_BTAB), REQ_PREV_FIELD, S_DLG },
	{ FN(KEY_UP), REQ_PREV_FIELD, S_DLG },
	{ 'k', REQ_PREV_FIELD, S_DLG },
	{ FN(KEY_RIGHT), REQ_CHOICE_NEXT, S_DLG },
	{ ' ', REQ_CHOICE_NEXT, S_DLG },
	{ FN(KEY_LEFT), REQ_CHOICE_PREV, S_DLG },
	/* pack view tabs */
	{ 'o', REQ_VIEW_OVERVIEW, S_PACK },
	{ 'f', REQ_VIEW_FILES, S_PACK },
	{ 'p', REQ_VIEW_PERMS, S_PACK },
	{ 'A', REQ_VIEW_AUDIT, S_PACK },
	{ '1', REQ_VIEW_OVERVIEW, S_PACK },
	{ '2', REQ_VIEW_FILES, S_PACK },
	{ '3', REQ_VIEW_EVAL, S_PACK },
	{ '4', REQ_VIEW_LINEAGE, S_PACK },
	{ '5', REQ_VIEW_LICENSE, S_PACK },
	{ '6', REQ_VIEW_PERMS, S_PACK },
	{ '7', REQ_VIEW_AUDIT, S_PACK },
	/* everywhere (UI.md's fixed keys first) */
	{ 'q', REQ_QUIT, S_ANY },
	{ TUI_KEY_ESC, REQ_BACK, S_ANY },
	{ '?', REQ_HELP, S_ANY },
	{ FN(KEY_F(1)), REQ_HELP, S_ANY },
	{ '/', REQ_SEARCH, S_ANY },
	{ 'n', REQ_SEARCH_NEXT, S_ANY },
	{ 'N', REQ_SEARCH_PREV, S_ANY },
	{ '\n', REQ_ENTER, S_ANY },
	{ '\r', REQ_ENTER, S_ANY },
	{ FN(KEY_ENTER), REQ_ENTER, S_ANY },
	{ '\t', REQ_NEXT_TAB, S_ANY },
	{ FN(KEY_BTAB), REQ_PREV_TAB, S_ANY },
	{ 'j', REQ_MOVE_DOWN, S_ANY },
	{ FN(KEY_DOWN), REQ_MOVE_DOWN, S_ANY },
	{ 'k', REQ_MOVE_UP, S_ANY },
	{ FN(KEY_UP), REQ_MOVE_UP, S_ANY },
	{ FN(KEY_NPAGE), REQ_PAGE_DOWN, S_ANY },
	{ ' ', REQ_PAGE_DOWN, S_ANY },
	{ FN(KEY_PPAGE), REQ_PAGE_UP, S_ANY },
	{ 'b', REQ_PAGE_UP, S_ANY },
	{ 'g', REQ_MOVE_FIRST, S_ANY },
	{ FN(KEY_HOME), REQ_MOVE_FIRST, S_ANY },
	{ 'G', REQ_MOVE_LAST, S_ANY },
	{ FN(KEY_END), REQ_MOVE_LAST, S_ANY },
	{ 'e', REQ_VIEW_EVAL, S_ANY },
	{ 'l', REQ_VIEW_LINEAGE, S_ANY },
	{ 'L', REQ_VIEW_LICENSE, S_ANY },
	{ 'a', REQ_APPROVE, S_ANY },
	{ 't', REQ_TRANSITION, S_ANY },
	{ 'r', REQ_REFRESH, S_ANY },
	{ TUI_KEY_CTRL('l'), REQ_REDRAW, S_ANY },
	{ FN(KEY_LEFT), REQ_BACK, S_ANY },
	{ FN(KEY_RIGHT), REQ_ENTER, S_ANY },
};

const char *tui_req_name(tui_req r)
{
	return r >= 0 && r < REQ_COUNT_ ? requests[r].name : "";
}

const char *tui_req_hint(tui_req r)
{
	return r > 0 && r < REQ_COUNT_ ? _(requests[r].hint) : "";
}

const char *tui_req_help(tui_req r)
{
	return r > 0 && r < REQ_COUNT_ ? _(requests[r].help) : "";
}

const tui_binding *tui_keymap(size_t *n)
{
	*n = sizeof keymap / sizeof keymap[0];
	return keymap;
}

tui_req tui_key_request(int key, unsigned scopes)
{
	for (size_t i = 0; i < sizeof keymap / sizeof keymap[0]; i++)
		if (keymap[i].key == key && keymap[i].scope != S_ANY && (keymap[i].scope & scopes))
			return keymap[i].req;
	for (size_t i = 0; i < sizeof keymap / sizeof keymap[0]; i++)
		if (keymap[i].key == key && keymap[i].scope == S_ANY)
			return keymap[i].req;
	return REQ_NONE;
}

/* Names of function keys, for the help screen and the key scripts. */
static const struct {
	int key;
	const char *name;
} key_names[] = {
	{ '\n', "Enter" }, { FN(KEY_ENTER), "Enter" }, { '\r', "Enter" },
	{ TUI_KEY_ESC, "Esc" }, { '\t', "Tab" }, { FN(KEY_BTAB), "S-Tab" },
	{ FN(KEY_DOWN), "Down" }, { FN(KEY_UP), "Up" }, { FN(KEY_LEFT), "Left" },
	{ FN(KEY_RIGHT), "Right" }, { FN(KEY_NPAGE), "PgDn" }, { FN(KEY_PPAGE), "PgUp" },
	{ FN(KEY_HOME), "Home" }, { FN(KEY_END), "End" }, { FN(KEY_BACKSPACE), "Backspace" },
	{ 127, "Backspace" }, { 8, "Backspace" }, { FN(KEY_DC), "Del" }, { FN(KEY_F(1)), "F1" },
	{ ' ', "Space" },
};

void tui_key_name(int key, char *buf, size_t cap)
{
	for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
		if (key_names[i].key == key) {
			snprintf(buf, cap, "%s", key_names[i].name);
			return;
		}
	if (key > 0 && key < 32) {
		snprintf(buf, cap, "^%c", key + '@');
	} else if (!(key & TUI_KEY_FN) && key > 0) {
		uint8_t u[8];
		int n = u8_uctomb(u, (ucs4_t)key, (ptrdiff_t)sizeof u);

		if (n > 0) {
			snprintf(buf, cap, "%.*s", n, (const char *)u);
			return;
		}
		snprintf(buf, cap, "?");
	} else {
		snprintf(buf, cap, "key-%d", key & ~TUI_KEY_FN);
	}
}

void tui_req_key(tui_req r, unsigned scopes, char *buf, size_t cap)
{
	buf[0] = '\0';
	/* the keys everyone knows first (UI.md's fixed keys), then the view's */
	for (size_t pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < sizeof keymap / sizeof keymap[0]; i++) {
			int match = pass == 1 ? keymap[i].scope != S_ANY && (keymap[i].scope & scopes)
			                      : keymap[i].scope == S_ANY;

			if (!match || keymap[i].req != r)
				continue;
			/* a key the view's own scope took over is not this request's */
			if (tui_key_request(keymap[i].key, scopes) != r)
				continue;
			tui_key_name(keymap[i].key, buf, cap);
			return;
		}
}

/* Script key names: "<Enter>", "<S-Tab>", "<Resize 80x24>" ... */
static const struct {
	const char *name;
	int key;
} script_names[] = {
	{ "Enter", '\n' }, { "Esc", TUI_KEY_ESC }, { "Tab", '\t' }, { "S-Tab", FN(KEY_BTAB) },
	{ "Down", FN(KEY_DOWN) }, { "Up", FN(KEY_UP) }, { "Left", FN(KEY_LEFT) },
	{ "Right", FN(KEY_RIGHT) }, { "PgDn", FN(KEY_NPAGE) }, { "PgUp", FN(KEY_PPAGE) },
	{ "Home", FN(KEY_HOME) }, { "End", FN(KEY_END) }, { "Backspace", FN(KEY_BACKSPACE) },
	{ "Del", FN(KEY_DC) }, { "Space", ' ' }, { "F1", FN(KEY_F(1)) }, { "C-l", TUI_KEY_CTRL('l') },
	{ "C-c", TUI_KEY_CTRL('c') },
};

enum tui_script_kind tui_script_parse(const char *line, int *key, int *cols, int *rows)
{
	size_t n = strlen(line);
	ucs4_t uc;
	int len;

	if (n == 0 || line[0] == '#')
		return TUI_SCRIPT_SKIP;
	if (!strcmp(line, ":dump"))
		return TUI_SCRIPT_DUMP;
	if (n > 2 && line[0] == '<' && line[n - 1] == '>') {
		char name[32];
		int w, h;
		char tail;

		if (sscanf(line, "<Resize %dx%d%c", &w, &h, &tail) == 3 && tail == '>' && w > 0 &&
		    h > 0 && w <= 1000 && h <= 1000) {
			*cols = w;
			*rows = h;
			return TUI_SCRIPT_RESIZE;
		}
		if (n - 2 >= sizeof name)
			return TUI_SCRIPT_BAD;
		memcpy(name, line + 1, n - 2);
		name[n - 2] = '\0';
		for (size_t i = 0; i < sizeof script_names / sizeof script_names[0]; i++)
			if (!strcmp(script_names[i].name, name)) {
				*key = script_names[i].key;
				return TUI_SCRIPT_KEY;
			}
		return TUI_SCRIPT_BAD;
	}
	/* one character (UTF-8) */
	len = u8_mbtoucr(&uc, (const uint8_t *)line, n);
	if (len < 1 || (size_t)len != n || uc < 0x20)
		return TUI_SCRIPT_BAD;
	*key = (int)uc;
	return TUI_SCRIPT_KEY;
}
