/* tui_int.h — what the TUI's files share: requests and keymap, semantic
 * colours, display-safe drawing, text lines, the view operations table and
 * the application state handed to every view.
 *
 * Layout of the screen (rows):
 *   0            title line (the current view's)
 *   1            tab / filter line (the current view's)
 *   2 .. L-3     the view body
 *   L-2          key hints of the current view
 *   L-1          status line: messages and errors with their codes
 * Below TUI_MIN_COLS x TUI_MIN_LINES a "terminal too small" screen is shown.
 */
#ifndef PG_TUI_INT_H
#define PG_TUI_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <curses.h>

#include "pg.h"
#include "registry.h"
#include "policy.h"
#include "sig.h"
#include "tui.h"

#define TUI_MIN_COLS 60
#define TUI_MIN_LINES 15
#define TUI_MAX_VIEWS 48

/* ------------------------------------------------------------ requests */

/* X(symbol, name, short hint label, help text).  The keymap binds keys to
 * these; the `?` screen and the hint line are generated from this table. */
#define TUI_REQUESTS(X) \
	X(NONE,          "none",          "",             "") \
	X(QUIT,          "quit",          N_("quit"),     N_("Quit, or back out of the current view")) \
	X(BACK,          "back",          N_("back"),     N_("Back to the previous view; cancel a prompt")) \
	X(HELP,          "help",          N_("help"),     N_("Show the keys of this view")) \
	X(SEARCH,        "search",        N_("search"),   N_("Search as you type (the list and failed cases filter, other views jump)")) \
	X(SEARCH_NEXT,   "search-next",   N_("next"),     N_("Jump to the next match")) \
	X(SEARCH_PREV,   "search-prev",   N_("prev"),     N_("Jump to the previous match")) \
	X(ENTER,         "enter",         N_("open"),     N_("Open the selected pack, or expand the selected item")) \
	X(NEXT_TAB,      "next-tab",      N_("next tab"), N_("Next tab (in the list: next state filter)")) \
	X(PREV_TAB,      "prev-tab",      N_("prev tab"), N_("Previous tab (in the list: previous state filter)")) \
	X(MOVE_DOWN,     "move-down",     N_("down"),     N_("Move down one line")) \
	X(MOVE_UP,       "move-up",       N_("up"),       N_("Move up one line")) \
	X(MOVE_LEFT,     "move-left",     N_("walk"),     N_("Lineage: walk to the node's child (towards the root)")) \
	X(MOVE_RIGHT,    "move-right",    N_("walk"),     N_("Lineage: walk into the node's first branch")) \
	X(PAGE_DOWN,     "page-down",     N_("page"),     N_("Move down one page")) \
	X(PAGE_UP,       "page-up",       N_("page"),     N_("Move up one page")) \
	X(MOVE_FIRST,    "move-first",    N_("top"),      N_("Move to the first line")) \
	X(MOVE_LAST,     "move-last",     N_("bottom"),   N_("Move to the last line")) \
	X(VIEW_OVERVIEW, "view-overview", N_("overview"), N_("Pack: Overview tab")) \
	X(VIEW_FILES,    "view-files",    N_("files"),    N_("Pack: Files tab")) \
	X(VIEW_EVAL,     "view-eval",     N_("eval"),     N_("Pack: Evaluation tab")) \
	X(VIEW_LINEAGE,  "view-lineage",  N_("lineage"),  N_("Pack: Lineage tab")) \
	X(VIEW_LICENSE,  "view-license",  N_("license"),  N_("Pack: License tab")) \
	X(VIEW_PERMS,    "view-perms",    N_("perms"),    N_("Pack: Permissions tab")) \
	X(VIEW_AUDIT,    "view-audit",    N_("audit"),    N_("Pack: Audit tab")) \
	X(APPROVE,       "approve",       N_("approve"),  N_("Approve or reject the pack (signed)")) \
	X(TRANSITION,    "transition",    N_("transition"), N_("Move the pack to another lifecycle state (signed)")) \
	X(REFRESH,       "refresh",       N_("refresh"),  N_("Reload from the registry")) \
	X(REDRAW,        "redraw",        N_("redraw"),   N_("Redraw the screen")) \
	X(SORT_NEXT,     "sort-next",     N_("sort"),     N_("List: sort by the next column")) \
	X(SORT_REVERSE,  "sort-reverse",  N_("reverse"),  N_("List: reverse the sort order")) \
	X(AWAITING,      "awaiting",      N_("to review"), N_("List: packs awaiting my review (toggle)")) \
	X(DESCENDANTS,   "descendants",   N_("descendants"), N_("Lineage: toggle ancestors and descendants")) \
	X(VERIFY,        "verify",        N_("verify"),   N_("Files: verify every file against its digest")) \
	X(NEXT_FIELD,    "next-field",    N_("next field"), N_("Dialog: the next field")) \
	X(PREV_FIELD,    "prev-field",    N_("prev field"), N_("Dialog: the previous field")) \
	X(CHOICE_PREV,   "choice-prev",   N_("choose"),   N_("Dialog: the previous choice of the field (decision, target, key)")) \
	X(CHOICE_NEXT,   "choice-next",   N_("choose"),   N_("Dialog: the next choice of the field")) \
	X(CONFIRM,       "confirm",       N_("sign"),     N_("Dialog: sign and record, after a last y/n"))

#define TUI_REQ_ENUM_(sym, name, hint, help) REQ_##sym,
typedef enum tui_req { TUI_REQUESTS(TUI_REQ_ENUM_) REQ_COUNT_ } tui_req;
#undef TUI_REQ_ENUM_

/* Keymap scopes: a view's ops name the scopes whose bindings apply to it;
 * TUI_SCOPE_ANY bindings apply everywhere, after the specific ones. */
#define TUI_SCOPE_ANY     0x01u
#define TUI_SCOPE_LIST    0x02u
#define TUI_SCOPE_PACK    0x04u
#define TUI_SCOPE_LINEAGE 0x08u
#define TUI_SCOPE_FILES   0x10u
#define TUI_SCOPE_DIALOG  0x20u

/* A key: a Unicode character, or TUI_KEY_FN | a curses KEY_* code. */
#define TUI_KEY_FN 0x1000000
#define TUI_KEY_ESC 27
#define TUI_KEY_CTRL(c) ((c) & 0x1f)

typedef struct tui_binding {
	int key;
	tui_req req;
	unsigned scope;
} tui_binding;

/* Name ("quit"), hint label and help text (translated) of a request. */
const char *tui_req_name(tui_req r);
const char *tui_req_hint(tui_req r);
const char *tui_req_help(tui_req r);
/* The request bound to key for a view with these scope bits (specific
 * scopes first, then TUI_SCOPE_ANY); REQ_NONE when unbound. */
tui_req tui_key_request(int key, unsigned scopes);
/* The keymap, for the help screen: *n entries. */
const tui_binding *tui_keymap(size_t *n);
/* The first key bound to r within scopes, written as text ("q", "Enter",
 * "S-Tab") into buf; "" when none. */
void tui_req_key(tui_req r, unsigned scopes, char *buf, size_t cap);
/* A key as text ("j", "Down", "^L") into buf. */
void tui_key_name(int key, char *buf, size_t cap);

/* One line of a key script: what it asks for. */
enum tui_script_kind {
	TUI_SCRIPT_SKIP,     /* blank line or "#" comment */
	TUI_SCRIPT_KEY,      /* *key */
	TUI_SCRIPT_RESIZE,   /* *cols x *rows */
	TUI_SCRIPT_DUMP,     /* ":dump" */
	TUI_SCRIPT_BAD       /* not understood */
};
/* Parses one script line (without its newline). */
enum tui_script_kind tui_script_parse(const char *line, int *key, int *cols, int *rows);

/* ------------------------------------------------------------ colours */

/* X(symbol, foreground, background, colour attributes, monochrome
 * attributes).  -1 is the terminal's default colour (use_default_colors). */
#define TUI_COLORS(X) \
	X(NORMAL,       -1,            -1,          A_NORMAL, A_NORMAL) \
	X(TITLE,        COLOR_WHITE,   COLOR_BLUE,  A_BOLD,   A_REVERSE | A_BOLD) \
	X(TAB,          -1,            -1,          A_NORMAL, A_NORMAL) \
	X(TAB_ACTIVE,   COLOR_BLACK,   COLOR_CYAN,  A_BOLD,   A_REVERSE) \
	X(HEADER,       -1,            -1,          A_BOLD | A_UNDERLINE, A_BOLD | A_UNDERLINE) \
	X(CURSOR,       COLOR_BLACK,   COLOR_CYAN,  A_NORMAL, A_REVERSE) \
	X(HINT,         COLOR_BLACK,   COLOR_WHITE, A_NORMAL, A_REVERSE) \
	X(HINT_KEY,     COLOR_BLUE,    COLOR_WHITE, A_BOLD,   A_REVERSE | A_BOLD) \
	X(STATUS,       -1,            -1,          A_NORMAL, A_NORMAL) \
	X(ERROR,        COLOR_RED,     -1,          A_BOLD,   A_BOLD | A_UNDERLINE) \
	X(DIM,          COLOR_BLUE,    -1,          A_NORMAL, A_DIM) \
	X(LABEL,        COLOR_CYAN,    -1,          A_NORMAL, A_BOLD) \
	X(SEARCH,       COLOR_YELLOW,  -1,          A_BOLD,   A_BOLD) \
	X(STATE_CANDIDATE,   COLOR_WHITE,   -1,     A_NORMAL, A_NORMAL) \
	X(STATE_EVALUATED,   COLOR_CYAN,    -1,     A_NORMAL, A_NORMAL) \
	X(STATE_APPROVED,    COLOR_GREEN,   -1,     A_NORMAL, A_NORMAL) \
	X(STATE_SHADOW,      COLOR_MAGENTA, -1,     A_NORMAL, A_NORMAL) \
	X(STATE_CANARY,      COLOR_YELLOW,  -1,     A_NORMAL, A_NORMAL) \
	X(STATE_CHAMPION,    COLOR_GREEN,   -1,     A_BOLD,   A_BOLD) \
	X(STATE_ARCHIVED,    COLOR_BLUE,    -1,     A_NORMAL, A_DIM) \
	X(STATE_QUARANTINED, COLOR_RED,     -1,     A_BOLD,   A_BOLD | A_UNDERLINE) \
	X(STATE_RETIRED,     COLOR_BLUE,    -1,     A_NORMAL, A_DIM) \
	X(TAINT,        COLOR_YELLOW,  -1,          A_BOLD,   A_BOLD) \
	X(REGRESSION,   COLOR_RED,     -1,          A_BOLD,   A_BOLD | A_UNDERLINE) \
	X(IMPROVEMENT,  COLOR_GREEN,   -1,          A_BOLD,   A_BOLD) \
	X(OVERLAP,      -1,            -1,          A_NORMAL, A_NORMAL) \
	X(SIG_GOOD,     COLOR_GREEN,   -1,          A_NORMAL, A_BOLD) \
	X(SIG_BAD,      COLOR_RED,     -1,          A_BOLD,   A_BOLD | A_UNDERLINE) \
	X(SIG_UNKNOWN,  COLOR_YELLOW,  -1,          A_NORMAL, A_NORMAL) \
	X(CHECK_PASS,   COLOR_GREEN,   -1,          A_NORMAL, A_NORMAL) \
	X(CHECK_FAIL,   COLOR_RED,     -1,          A_BOLD,   A_BOLD | A_UNDERLINE) \
	X(MISSING,      COLOR_RED,     -1,          A_NORMAL, A_UNDERLINE) \
	X(CONFLICT,     COLOR_RED,     -1,          A_BOLD,   A_BOLD | A_UNDERLINE) \
	X(WORST,        COLOR_RED,     -1,          A_NORMAL, A_UNDERLINE) \
	X(BAR,          COLOR_CYAN,    -1,          A_NORMAL, A_NORMAL) \
	X(FIELD,        -1,            -1,          A_UNDERLINE, A_UNDERLINE) \
	X(FOCUS,        COLOR_BLACK,   COLOR_CYAN,  A_BOLD,   A_REVERSE | A_BOLD)

#define TUI_COLOR_ENUM_(sym, fg, bg, attr, mono) TC_##sym,
typedef enum tui_color { TUI_COLORS(TUI_COLOR_ENUM_) TC_COUNT_ } tui_color;
#undef TUI_COLOR_ENUM_

/* The colour of a lifecycle state (-1 or out of range: TC_MISSING). */
tui_color tui_state_color(int state);
/* The colour of a signature status (model.h): good under a policy, bad,
 * or anything else (a problem, not verified, sound but untrusted). */
struct tm_sig;
tui_color tui_sig_color(const struct tm_sig *s);

/* ------------------------------------------------------------ display */

/* Sets up the display module: UTF-8 or ASCII glyphs (from the locale's
 * codeset), colours or monochrome (has_colors(), NO_COLOR).  Call after
 * the screen exists. */
void tui_display_init(void);
/* 1 when drawing UTF-8 glyphs, 0 for the ASCII fallback. */
int tui_utf8(void);
/* 1 when colours are used. */
int tui_has_color(void);
/* Curses attributes of a semantic colour. */
attr_t tui_attr(tui_color c);

/* Display columns of s (UTF-8) as tui_put would draw it. */
size_t tui_width(const char *s);
/* Draws s at (y, x) in at most w columns with colour c: the text is run
 * through pg_escape first (so nothing untrusted reaches the terminal),
 * then drawn by columns (wcwidth); when cut, it ends in an ellipsis; in the
 * ASCII fallback box and graph characters become ASCII look-alikes.
 * Returns the columns drawn.  w <= 0 draws nothing. */
int tui_put(int y, int x, int w, tui_color c, const char *s);
/* Same, then fills up to w columns with spaces in colour c. */
int tui_put_fill(int y, int x, int w, tui_color c, const char *s);
/* Fills w columns with spaces. */
void tui_fill(int y, int x, int w, tui_color c);
/* A new string: s escaped, then cut to w columns with an ellipsis when
 * longer and padded with spaces to exactly w columns (align > 0: right
 * aligned).  NULL on OOM. */
char *tui_fit(const char *s, int w, int align);

/* ------------------------------------------------------------ text lines */

typedef struct tui_seg {
	tui_color color;
	char *text;          /* display-safe (escaped when added); owned */
} tui_seg;

typedef struct tui_line {
	tui_seg *seg;
	size_t nseg;
	int selectable;      /* the cursor may stop here */
	long data;           /* the view's own tag (node index, case index ...) */
	tui_color fill;      /* colour of the rest of the row */
} tui_line;

typedef struct tui_text {
	tui_line *v;
	size_t n, cap;
	size_t top;          /* first line shown */
	size_t cur;          /* cursor line (selectable), or n when none */
	int sticky;          /* list-like: the cursor always stays on a line;
	                      * else it starts off and j/k scroll until a
	                      * selectable line is in view */
	int built_w;         /* width the lines were built for; 0: rebuild */
	int page;            /* body height at the last draw */
	int oom;             /* something could not be added */
	char find[256];      /* the last jump search, "" when none */
} tui_text;

/* Appends an empty line and returns it (NULL on OOM; t->oom set). */
tui_line *tl_new(tui_text *t);
/* Appends untrusted text to a line: escaped with pg_escape. */
void tl_add(tui_text *t, tui_line *l, tui_color c, const char *s);
/* Appends printf-formatted text (escaped too, so a %s of untrusted text
 * is safe). */
void tl_addf(tui_text *t, tui_line *l, tui_color c, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Appends s fitted to exactly w columns (tui_fit). */
void tl_addw(tui_text *t, tui_line *l, tui_color c, const char *s, int w, int align);
/* Display width of a line so far. */
size_t tl_width(const tui_line *l);
/* Adds s as lines of at most w columns (breaking at spaces where it can),
 * the first line after label (a column of label_w), the next ones
 * indented by label_w.  Newlines in s start new lines (they are shown, not
 * escaped).  Line pointers taken before are invalid afterwards (the array
 * may move). */
void tl_wrap(tui_text *t, tui_color lc, const char *label, int label_w, tui_color c,
             const char *s, int w);
/* Same, continuing line l (its remaining room first), the next lines
 * indented by indent columns. */
void tl_wrap_on(tui_text *t, tui_line *l, tui_color c, const char *s, int w, int indent);
/* Frees every line and resets the text (keeps top, cur, find). */
void tl_clear(tui_text *t);

/* ------------------------------------------------------------ views */

typedef struct tui tui;
typedef struct tui_view tui_view;

typedef struct tui_rect {
	int y, x, h, w;
} tui_rect;

/* The operations of a view (one file each, its table at the end). */
typedef struct tui_view_ops {
	const char *name;
	unsigned scopes;     /* TUI_SCOPE_* whose bindings apply */
	/* Loads what the view shows; arg is the view's own argument.  Returns
	 * 0, or -1 with an error in the status line (the view is not shown). */
	int (*open)(tui *t, tui_view *v, void *arg);
	/* Draws the view: the title (row 0), tab line (row 1) and body r. */
	void (*draw)(tui *t, tui_view *v, const tui_rect *r);
	/* Handles a request; returns REQ_NONE when done with it, else the
	 * request for the generic handling (movement, then global). */
	tui_req (*request)(tui *t, tui_view *v, tui_req req);
	/* The cursor moved to line (text views); may be NULL. */
	void (*select)(tui *t, tui_view *v, tui_line *line);
	/* Frees what open made. */
	void (*done)(tui_view *v);
	/* The requests the hint line shows, REQ_NONE-terminated. */
	const tui_req *hints;
	/* The pack the view is about (the selected one in a list), or NULL;
	 * what approve and transition act on.  May be NULL. */
	const char *(*pack)(tui_view *v);
	/* Raw keys before the keymap (a dialog's text field): returns 1 when
	 * the view used the key, 0 to have it mapped to a request as usual.
	 * The view may close itself (tui_pop) when it returns 1.  May be NULL. */
	int (*key)(tui *t, tui_view *v, int key);
} tui_view_ops;

struct tui_view {
	const tui_view_ops *ops;
	void *priv;
	tui_text text;       /* body lines of text views */
	tui_view *parent;    /* a tab's pack view, or NULL */
	unsigned scopes;     /* extra keymap scopes now (a pack view: its tab's) */
	const tui_req *hints; /* hint line now, or NULL for ops->hints */
	const char *title;   /* name for the help screen now, or NULL for ops->name */
};

/* The approve and transition dialogs (view_approve.c, view_transition.c):
 * they get the pack id of the current view.  NULL means "not available". */
typedef struct tui_dialogs {
	int (*approve)(tui *t, const char *pack_id);
	int (*transition)(tui *t, const char *pack_id);
} tui_dialogs;

/* The prompt on the status line (search as you type). */
typedef struct tui_prompt {
	int active;
	char label[32];
	char buf[256];
	size_t len;
	char saved[256];     /* restored on Esc */
	tui_view *owner;
	/* called after each change and at the end (done: 1 accepted, -1
	 * cancelled) */
	void (*changed)(tui *t, tui_view *v, const char *text, int done);
} tui_prompt;

typedef struct tui_cache tui_cache;
typedef struct tui_script tui_script;
typedef struct tm_verifier tm_verifier;

struct tui {
	const pg_tui_opts *opts;
	pg_reg *reg;             /* NULL when the registry does not exist */
	char *reg_label;         /* display path of the registry */
	pg_policy *policy;       /* NULL without one */
	char policy_label[160];  /* "prod (3f2a9c1e)" or "" */
	int have_me;             /* a signing key is known */
	char me[PG_FPR_SIZE];    /* its fingerprint, uppercase */
	char me_label[256];      /* "Alice <alice@...> reviewer" */
	time_t now;
	tui_view *stack[TUI_MAX_VIEWS];
	size_t depth;
	tui_prompt prompt;
	char status[1024];
	int status_error;
	char info[160];          /* right side of the status line (position ...);
	                          * views set it while drawing */
	int quit;
	int scripted;
	tui_dialogs dialogs;
	tui_cache *cache;        /* per-pack list summaries */
	unsigned long generation; /* bumped by refresh */
	/* GnuPG: the configured home, the policy's people keys imported; NULL
	 * when no home is configured or it cannot be used (sig_err says why;
	 * signatures then show "not verified (no GnuPG home)") */
	pg_sig *sig;
	pg_error sig_err;        /* why sig is NULL (code 0: none configured) */
	tm_verifier *verifier;   /* signature statuses for the views (model.h) */
	/* the key script of the scripted tests, or NULL */
	tui_script *script;
	int failed;              /* the run ends with fatal (a bad script line) */
	pg_error fatal;
	/* a modal box drawn over everything (the passphrase prompt), or NULL */
	void (*overlay)(tui *t, void *ctx);
	void *overlay_ctx;
};

/* Status line: a plain message, or an error shown as "CODE: message". */
void tui_status(tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tui_status_err(tui *t, const pg_error *err);
/* "CODE: message" of err into buf (cut to cap). */
void tui_err_text(const pg_error *err, char *buf, size_t cap);
/* Starts the prompt for view v. */
void tui_prompt_start(tui *t, tui_view *v, const char *label, const char *initial,
                      void (*changed)(tui *t, tui_view *v, const char *text, int done));
/* Draws the whole screen as it is now (and shows it on a terminal): for
 * a view that is about to block (signing). */
void tui_draw(tui *t);
/* Draws the screen, then waits for the next key: from the script in the
 * scripted tests (carrying out its :dump and resize lines), else from the
 * terminal.  Returns 1 with *key, or 0 when the run is ending (the script
 * ended, a quit signal came, a bad script line: t->quit is set then).
 * The main loop and modal prompts use it. */
int tui_next_key(tui *t, int *key);
/* After a signed change: empties the list cache and has every view on the
 * stack reload from the registry (REQ_REFRESH). */
void tui_refresh_views(tui *t);
/* Opens a view with ops and arg on top of the stack; 0 or -1 (status set). */
int tui_push(tui *t, const tui_view_ops *ops, void *arg);
/* Closes the top view (never the home list). */
void tui_pop(tui *t);
/* A redraw of the whole screen happens after every request; views call
 * this when they must be rebuilt for the next draw (data changed). */
void tui_text_invalidate(tui_view *v);

/* The generic text view: draw v->text in r with the cursor, and handle
 * movement and jump search.  tui_text_request returns REQ_NONE when it
 * handled req. */
void tui_text_draw(tui *t, tui_view *v, const tui_rect *r);
tui_req tui_text_request(tui *t, tui_view *v, tui_req req);
/* Puts the cursor on line i (or the nearest selectable line after it). */
void tui_text_goto(tui_view *v, size_t i);
/* After a rebuild: the cursor on the first selectable line tagged data
 * (when active), else off (sticky views: the first selectable line). */
void tui_text_keep(tui_view *v, int active, long data);
/* Scrolls so that the cursor line and the lines after it up to the next
 * selectable one (an expanded item) show, the cursor line first. */
void tui_text_reveal(tui_view *v);
/* The line under the cursor, or NULL. */
tui_line *tui_text_current(tui_view *v);

/* Draws the title bar (row 0): left text and right text. */
void tui_draw_title(tui *t, const char *left, const char *right);
/* Draws a tab line at row y: names[0..n), active one marked; right-hand
 * text after them when room.  Tabs that do not fit scroll around the
 * active one. */
void tui_draw_tabs(int y, const char *const *names, size_t n, size_t active, const char *right);

/* A short age ("5m", "2h", "14d", "3mo", "2y"; "-" when unknown) of an
 * RFC 3339 time against t->now. */
void tui_age(const tui *t, const char *rfc3339, char *buf, size_t cap);

/* ------------------------------------------------------------ the views */

extern const tui_view_ops tui_list_ops;
extern const tui_view_ops tui_pack_ops;
extern const tui_view_ops tui_overview_ops;
extern const tui_view_ops tui_files_ops;
extern const tui_view_ops tui_eval_ops;
extern const tui_view_ops tui_lineage_ops;
extern const tui_view_ops tui_license_ops;
extern const tui_view_ops tui_perms_ops;
extern const tui_view_ops tui_audit_ops;
extern const tui_view_ops tui_help_ops;
extern const tui_view_ops tui_approve_ops;
extern const tui_view_ops tui_transition_ops;

/* ------------------------------------------------------------ dialogs */

/* The dialogs' entry points (tui_dialogs): check what signing needs (a
 * registry, a policy, a GnuPG home, a usable key), then open the dialog on
 * the pack; on a refusal the status line says why with its code. */
int tui_approve_dialog(tui *t, const char *pack_id);
int tui_transition_dialog(tui *t, const char *pack_id);

/* A one-line text field: UTF-8, edited by grapheme clusters. */
#define TUI_FIELD_MAX 1024
typedef struct tui_field {
	char buf[TUI_FIELD_MAX]; /* NUL-terminated UTF-8 */
	size_t len;              /* bytes in buf */
	size_t pos;              /* the cursor: a byte offset at a cluster start */
} tui_field;

/* Applies an editing key to f: a printable character is inserted at the
 * cursor (control characters never are); Backspace, Del, ^D, ^H delete a
 * cluster; Left/Right (^B/^F) move by cluster, Home/End (^A/^E) to the
 * ends; ^U and ^K delete to the start and the end, ^W the word before.
 * Returns 1 when the key was an editing key, 0 otherwise (Enter, Esc, Tab,
 * Up, Down ... are the caller's). */
int tui_field_key(tui_field *f, int key);
/* Appends f to line l in exactly w columns: the part around the cursor
 * (a cut start shows as an ellipsis), the cursor cell when focused. */
void tui_field_add(tui_text *x, tui_line *l, const tui_field *f, int w, int focused);
/* Wipes f (explicit_bzero). */
void tui_field_wipe(tui_field *f);

/* The GnuPG passphrase prompt (a pg_sig_passphrase_fn; ctx is the tui):
 * a masked field in a box over the screen, keys from tui_next_key, so it
 * works in the scripted tests too; the terminal is never handed to
 * pinentry.  Enter gives the passphrase, Esc (^C, ^G) or the end of the
 * run cancels.  The typed text is wiped once handed over. */
int tui_passphrase(void *ctx, const char *hint, int prev_was_bad, char *buf, size_t cap);

/* The secret keys of the GnuPG home that belong to people of the policy
 * holding one of the PG_PERSON_* bits of roles (0: any role), keyring
 * order; *pick is the index of the configured key (--key) when it is
 * among them, else 0.  Refusals: sig.unknown_key (none), with a message
 * naming the home.  *keys is new (free()). */
pg_code tui_signing_keys(tui *t, unsigned roles, pg_sig_key **keys, size_t *n, size_t *pick,
                         pg_error *err);
/* What a dialog needs to sign: a registry, a policy and a GnuPG home.
 * Returns 0, or -1 with the reason and its code in the status line
 * (`what` names the dialog: "approve"). */
int tui_dialog_ready(tui *t, const char *what);
/* A person of the policy as "Name" (escaped by the caller's drawing), or
 * the fingerprint's first 16 digits when not one. */
void tui_person(const tui *t, const char *fpr, char *buf, size_t cap);
/* Draws a dialog's lines (v->text) in r without a cursor bar (the dialog
 * marks its focused field itself); when reveal is set the view scrolls so
 * that lines focus and focus + 1 show, else it keeps its place (PgUp/PgDn
 * scroll freely). */
void tui_dialog_text_draw(tui *t, tui_view *v, const tui_rect *r, size_t focus, int reveal);
/* A dialog's label column: "   Label" or " › Label" when focused, in
 * exactly w columns. */
void tui_dialog_label(tui_text *x, tui_line *l, const char *label, int focused, int w);
/* The label column of a dialog's "What will be signed" lines. */
#define TUI_DIALOG_SW 19
/* One line of "What will be signed": label, value, then extra (may be
 * NULL) dimmed; a value too long for the line (a digest on a narrow
 * screen) goes on the next line, indented. */
void tui_dialog_say(tui_text *x, const char *label, const char *extra, tui_color c, const char *value, int w);
/* Below a dialog's signing-key field (label column lw): the key's
 * fingerprint, and when the configured key (--key) is none of keys[0..n),
 * the warning not_mine (a format taking the first 16 digits of it). */
void tui_dialog_key_lines(tui *t, tui_text *x, const pg_sig_key *keys, size_t n, size_t k, const char *not_mine,
                          int lw, int w);
/* PgDn/PgUp in a dialog's lines: 1 when req was one of them. */
int tui_dialog_page(tui_view *v, tui_req req);

/* The pack view's tabs, in order. */
enum tui_tab {
	TUI_TAB_OVERVIEW, TUI_TAB_FILES, TUI_TAB_EVAL, TUI_TAB_LINEAGE,
	TUI_TAB_LICENSE, TUI_TAB_PERMS, TUI_TAB_AUDIT, TUI_TAB_COUNT_
};

/* What the pack view opens: a pack id and the first tab. */
typedef struct tui_pack_arg {
	const char *id;
	enum tui_tab tab;
} tui_pack_arg;

/* Shared by a pack view and its tabs: the pack as the registry holds it,
 * its documents parsed (NULL when absent or unreadable). */
typedef struct tui_pack {
	pg_reg_pack *p;
	cJSON *manifest, *card, *license, *lineage, *contract, *permissions, *resources,
	      *rollback;
	char card_sha256[PG_SHA256_HEX]; /* of the evaluation card file, "" if none */
	char *taint_reason;  /* "ancestor NAME VERSION is quarantined" (escaped), or NULL */
} tui_pack;

/* The help view's argument: the scopes of the view it explains. */
typedef struct tui_help_arg {
	unsigned scopes;
	const char *title;
} tui_help_arg;

#endif
