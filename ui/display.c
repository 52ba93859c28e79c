/* display.c — semantic colours, display-safe text drawn by columns, text
 * lines and the generic text view (see tui_int.h). */
#include "tui_int.h"

#include <langinfo.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistr.h>
#include <wchar.h>

#include "escape.h"
#include "model.h"

#define ELLIPSIS "\xe2\x80\xa6"

/* The scheme table: every semantic colour with its colour and monochrome
 * looks (TUI_COLORS). */
static const struct style {
	short fg, bg;
	attr_t attr, mono;
} scheme[TC_COUNT_] = {
#define TUI_COLOR_STYLE_(sym, fg, bg, attr, mono) { fg, bg, attr, mono },
	TUI_COLORS(TUI_COLOR_STYLE_)
#undef TUI_COLOR_STYLE_
};

static struct {
	int utf8;
	int color;
} disp;

int tui_utf8(void)
{
	return disp.utf8;
}

int tui_has_color(void)
{
	return disp.color;
}

void tui_display_init(void)
{
	const char *cs = nl_langinfo(CODESET);
	const char *nc = getenv("NO_COLOR");
	int defaults;

	disp.utf8 = cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
	disp.color = has_colors() && !(nc && nc[0]);
	if (!disp.color)
		return;
	if (start_color() == ERR || COLOR_PAIRS < TC_COUNT_ + 1) {
		disp.color = 0;
		return;
	}
	defaults = use_default_colors() == OK;
	for (int i = 0; i < TC_COUNT_; i++) {
		short fg = scheme[i].fg, bg = scheme[i].bg;

		if (!defaults) {
			if (fg < 0)
				fg = COLOR_WHITE;
			if (bg < 0)
				bg = COLOR_BLACK;
		}
		init_pair((short)(i + 1), fg, bg);
	}
}

attr_t tui_attr(tui_color c)
{
	if (c < 0 || c >= TC_COUNT_)
		c = TC_NORMAL;
	if (disp.color)
		return scheme[c].attr | (attr_t)COLOR_PAIR(c + 1);
	return scheme[c].mono;
}

tui_color tui_state_color(int state)
{
	static const tui_color map[PG_STATE_COUNT_] = {
		TC_STATE_CANDIDATE, TC_STATE_EVALUATED, TC_STATE_APPROVED, TC_STATE_SHADOW,
		TC_STATE_CANARY, TC_STATE_CHAMPION, TC_STATE_ARCHIVED, TC_STATE_QUARANTINED,
		TC_STATE_RETIRED,
	};

	if (state < 0 || state >= PG_STATE_COUNT_)
		return TC_MISSING;
	return map[state];
}

tui_color tui_sig_color(const struct tm_sig *s)
{
	if (!s->checked)
		return TC_SIG_UNKNOWN;
	if (s->code == PG_OK)
		return s->trusted ? TC_SIG_GOOD : TC_SIG_UNKNOWN;
	return strcmp(s->status, "bad") ? TC_SIG_UNKNOWN : TC_SIG_BAD;
}

/* ------------------------------------------------------------ glyphs */

/* ASCII look-alikes of the box, graph and mark characters we draw, for a
 * terminal whose locale is not UTF-8.  All one column wide. */
static const struct { ucs4_t uc; char a; } ascii_map[] = {
	{ 0x2500, '-' }, { 0x2501, '-' }, { 0x2502, '|' }, { 0x2503, '|' },
	{ 0x250C, '+' }, { 0x2510, '+' }, { 0x2514, '`' }, { 0x2518, '+' },
	{ 0x251C, '|' }, { 0x2524, '|' }, { 0x252C, '+' }, { 0x2534, '+' },
	{ 0x253C, '+' }, { 0x25CF, '*' }, { 0x2022, '*' }, { 0x2717, 'x' },
	{ 0x2713, '+' }, { 0x2191, '^' }, { 0x2193, 'v' }, { 0x2190, '<' },
	{ 0x2192, '>' }, { 0x25B2, '^' }, { 0x25BC, 'v' }, { 0x26A0, '!' },
	{ 0x2026, '~' }, { 0x00B7, '.' }, { 0x0394, 'D' }, { 0x2581, '_' },
	{ 0x2582, '.' }, { 0x2583, ',' }, { 0x2584, '-' }, { 0x2585, '=' },
	{ 0x2586, '+' }, { 0x2587, '*' }, { 0x2588, '#' }, { 0x2591, '.' },
	{ 0x2592, ':' }, { 0x2264, '<' }, { 0x2265, '>' }, { 0x00D7, 'x' },
	{ 0x2039, '<' }, { 0x203A, '>' }, { 0x2014, '-' }, { 0x2013, '-' },
	{ 0x2261, '=' },
};

/* The wide character drawn for code point uc and its width: in the ASCII
 * fallback a look-alike or '?'; in UTF-8 the character itself when
 * printable, else '?'. */
static wchar_t cell_of(ucs4_t uc, int *width)
{
	int w;

	if (uc < 0x80) {
		*width = 1;
		return uc < 0x20 || uc == 0x7f ? L'?' : (wchar_t)uc;
	}
	if (!disp.utf8) {
		*width = 1;
		for (size_t i = 0; i < sizeof ascii_map / sizeof ascii_map[0]; i++)
			if (ascii_map[i].uc == uc)
				return (wchar_t)ascii_map[i].a;
		return L'?';
	}
	w = wcwidth((wchar_t)uc);
	if (w < 0) {
		*width = 1;
		return L'?';
	}
	*width = w;
	return (wchar_t)uc;
}

/* Escapes s into a buffer: *heap is set when it had to be allocated. */
static const char *escaped(const char *s, char *stack, size_t cap, char **heap)
{
	size_t need;

	*heap = NULL;
	if (!s)
		return "";
	need = pg_escape_buf(stack, cap, s, strlen(s));
	if (need < cap)
		return stack;
	*heap = pg_escape_str(s);
	return *heap ? *heap : "";
}

static size_t width_raw(const char *s)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t n = strlen(s), w = 0;

	while (n) {
		ucs4_t uc;
		int len = u8_mbtouc(&uc, p, n), cw;

		cell_of(uc, &cw);
		w += (size_t)cw;
		p += len;
		n -= (size_t)len;
	}
	return w;
}

size_t tui_width(const char *s)
{
	char stack[1024], *heap;
	const char *e = escaped(s, stack, sizeof stack, &heap);
	size_t w = width_raw(e);

	free(heap);
	return w;
}

/* Cells of e (escaped) that fit in w columns, ellipsis included when cut:
 * fills out (capacity cap wide chars) and *cols. */
static size_t layout(const char *e, int w, wchar_t *out, size_t cap, int *cols)
{
	const uint8_t *p = (const uint8_t *)e;
	size_t n = strlen(e), k = 0;
	int used = 0, total = (int)width_raw(e);
	int room = total > w ? w - 1 : w;   /* keep a column for the ellipsis */

	while (n && k + 2 < cap) {
		ucs4_t uc;
		int len = u8_mbtouc(&uc, p, n), cw;
		wchar_t wc = cell_of(uc, &cw);

		if (used + cw > room)
			break;
		out[k++] = wc;
		used += cw;
		p += len;
		n -= (size_t)len;
	}
	if (total > w && w > 0) {
		int ew;

		out[k++] = cell_of(0x2026, &ew);
		used += ew;
	}
	out[k] = L'\0';
	*cols = used;
	return k;
}

int tui_put(int y, int x, int w, tui_color c, const char *s)
{
	char stack[1024], *heap;
	const char *e;
	wchar_t cells[512], *buf = cells;
	size_t cap = sizeof cells / sizeof cells[0], k;
	int cols;

	if (x >= COLS || y >= LINES || y < 0 || x < 0)
		return 0;
	if (w > COLS - x)
		w = COLS - x;
	if (w <= 0 || !s)
		return 0;
	e = escaped(s, stack, sizeof stack, &heap);
	if ((size_t)w + 2 > cap) {
		cap = (size_t)w + 2;
		if (!(buf = malloc(cap * sizeof *buf))) {
			free(heap);
			return 0;
		}
	}
	k = layout(e, w, buf, cap, &cols);
	attrset(tui_attr(c));
	if (k)
		mvaddnwstr(y, x, buf, (int)k);
	attrset(A_NORMAL);
	if (buf != cells)
		free(buf);
	free(heap);
	return cols;
}

void tui_fill(int y, int x, int w, tui_color c)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return;
	if (w > COLS - x)
		w = COLS - x;
	if (w <= 0)
		return;
	attrset(tui_attr(c));
	mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

int tui_put_fill(int y, int x, int w, tui_color c, const char *s)
{
	int n = tui_put(y, x, w, c, s);

	tui_fill(y, x + n, w - n, c);
	return w;
}

char *tui_fit(const char *s, int w, int align)
{
	char stack[1024], *heap, *r;
	const char *e = escaped(s ? s : "", stack, sizeof stack, &heap);
	const uint8_t *p = (const uint8_t *)e;
	size_t n = strlen(e), used = 0, out = 0;
	int total = (int)width_raw(e), room, pad;

	if (w < 0)
		w = 0;
	room = total > w ? w - 1 : w;
	r = malloc(strlen(e) + (size_t)w + 8);
	if (!r) {
		free(heap);
		return NULL;
	}
	/* copy whole characters that fit */
	while (n) {
		ucs4_t uc;
		int len = u8_mbtouc(&uc, p, n), cw;

		cell_of(uc, &cw);
		if ((int)used + cw > room)
			break;
		memcpy(r + out, p, (size_t)len);
		out += (size_t)len;
		used += (size_t)cw;
		p += len;
		n -= (size_t)len;
	}
	if (total > w && w > 0) {
		memcpy(r + out, ELLIPSIS, 3);
		out += 3;
		used++;
	}
	r[out] = '\0';
	pad = w - (int)used;
	if (pad > 0) {
		if (align > 0) {
			memmove(r + pad, r, out + 1);
			memset(r, ' ', (size_t)pad);
		} else {
			memset(r + out, ' ', (size_t)pad);
			r[out + (size_t)pad] = '\0';
		}
	}
	free(heap);
	return r;
}

/* ------------------------------------------------------------ text lines */

tui_line *tl_new(tui_text *t)
{
	tui_line *l;

	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 64;
		tui_line *nv = realloc(t->v, ncap * sizeof *nv);

		if (!nv) {
			t->oom = 1;
			return NULL;
		}
		t->v = nv;
		t->cap = ncap;
	}
	l = &t->v[t->n++];
	memset(l, 0, sizeof *l);
	l->fill = TC_NORMAL;
	return l;
}

/* Takes ownership of text (display-safe already). */
static void seg_push(tui_text *t, tui_line *l, tui_color c, char *text)
{
	tui_seg *ns;

	if (!l || !text) {
		if (l && !text)
			t->oom = 1;
		free(text);
		return;
	}
	ns = realloc(l->seg, (l->nseg + 1) * sizeof *ns);
	if (!ns) {
		t->oom = 1;
		free(text);
		return;
	}
	l->seg = ns;
	ns[l->nseg].color = c;
	ns[l->nseg].text = text;
	l->nseg++;
}

void tl_add(tui_text *t, tui_line *l, tui_color c, const char *s)
{
	if (!l)
		return;
	seg_push(t, l, c, pg_escape_str(s ? s : ""));
}

void tl_addf(tui_text *t, tui_line *l, tui_color c, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	if (!l)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	seg_push(t, l, c, pg_escape_str(buf));
}

void tl_addw(tui_text *t, tui_line *l, tui_color c, const char *s, int w, int align)
{
	if (!l)
		return;
	seg_push(t, l, c, tui_fit(s, w, align));
}

size_t tl_width(const tui_line *l)
{
	size_t w = 0;

	for (size_t i = 0; l && i < l->nseg; i++)
		w += width_raw(l->seg[i].text);
	return w;
}

/* Byte length of the longest prefix of e (escaped) that fits in w columns,
 * broken after a space when there is one (else a hard cut); at least one
 * character. */
static size_t wrap_cut(const char *e, int w)
{
	const uint8_t *p = (const uint8_t *)e;
	size_t n = strlen(e), off = 0, last_space = 0;
	int used = 0;

	while (off < n) {
		ucs4_t uc;
		int len = u8_mbtouc(&uc, p + off, n - off), cw;

		cell_of(uc, &cw);
		if (used + cw > w && off > 0)
			return last_space ? last_space : off;
		used += cw;
		off += (size_t)len;
		if (uc == ' ')
			last_space = off;
	}
	return off;
}

void tl_wrap_on(tui_text *t, tui_line *l, tui_color c, const char *s, int w, int indent)
{
	const char *p = s ? s : "";
	int room = w - (int)tl_width(l);

	if (indent > w - 8)
		indent = w - 8 > 0 ? w - 8 : 0;
	if (room < 8) {
		/* no room left on this line: start below */
		if (!(l = tl_new(t)))
			return;
		tl_addw(t, l, TC_NORMAL, "", indent, 0);
		room = w - indent;
	}
	if (room < 8)
		room = 8;
	for (;;) {
		size_t plen = strcspn(p, "\n");
		char *piece = strndup(p, plen), *e, *q;

		e = piece ? pg_escape_str(piece) : NULL;
		free(piece);
		if (!e) {
			t->oom = 1;
			return;
		}
		q = e;
		do {
			size_t cut = wrap_cut(q, room), keep = cut;
			char *chunk;

			if (!l) {
				if (!(l = tl_new(t)))
					break;
				tl_addw(t, l, TC_NORMAL, "", indent, 0);
				room = w - indent > 8 ? w - indent : 8;
				cut = keep = wrap_cut(q, room);
			}
			/* trailing spaces of a broken line are not shown */
			while (keep && q[keep - 1] == ' ' && q[cut])
				keep--;
			chunk = strndup(q, keep);
			seg_push(t, l, c, chunk);
			l = NULL;
			q += cut;
		} while (*q);
		free(e);
		p += plen;
		if (*p != '\n')
			break;
		p++;
	}
}

void tl_wrap(tui_text *t, tui_color lc, const char *label, int label_w, tui_color c, const char *s,
             int w)
{
	tui_line *l = tl_new(t);

	if (!l)
		return;
	tl_addw(t, l, lc, label ? label : "", label_w, 0);
	tl_wrap_on(t, l, c, s, w, label_w);
}

void tl_clear(tui_text *t)
{
	for (size_t i = 0; i < t->n; i++) {
		for (size_t j = 0; j < t->v[i].nseg; j++)
			free(t->v[i].seg[j].text);
		free(t->v[i].seg);
	}
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
	t->built_w = 0;
	t->oom = 0;
}

/* ------------------------------------------------------------ text view */

/* The first selectable line in [from, to), or x->n. */
static size_t first_sel(const tui_text *x, size_t from, size_t to)
{
	for (size_t j = from; j < to && j < x->n; j++)
		if (x->v[j].selectable)
			return j;
	return x->n;
}

static size_t last_sel(const tui_text *x, size_t from, size_t to)
{
	for (size_t j = to < x->n ? to : x->n; j-- > from;)
		if (x->v[j].selectable)
			return j;
	return x->n;
}

void tui_text_invalidate(tui_view *v)
{
	v->text.built_w = 0;
}

static int any_selectable(const tui_text *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].selectable)
			return 1;
	return 0;
}

static void moved(tui *t, tui_view *v)
{
	if (v->ops->select && v->text.cur < v->text.n)
		v->ops->select(t, v, &v->text.v[v->text.cur]);
}

void tui_text_goto(tui_view *v, size_t i)
{
	tui_text *x = &v->text;

	if (!any_selectable(x)) {
		x->cur = x->n;
		return;
	}
	if (i >= x->n)
		i = x->n - 1;
	for (size_t j = i; j < x->n; j++)
		if (x->v[j].selectable) {
			x->cur = j;
			return;
		}
	for (size_t j = i + 1; j-- > 0;)
		if (x->v[j].selectable) {
			x->cur = j;
			return;
		}
}

void tui_text_reveal(tui_view *v)
{
	tui_text *x = &v->text;
	size_t last, h = x->page > 0 ? (size_t)x->page : 1;

	if (x->cur >= x->n)
		return;
	last = first_sel(x, x->cur + 1, x->n);
	last = last < x->n ? last - 1 : x->n - 1;
	if (last >= x->top + h)
		x->top = last - h + 1 > x->cur ? x->cur : last - h + 1;
}

tui_line *tui_text_current(tui_view *v)
{
	return v->text.cur < v->text.n ? &v->text.v[v->text.cur] : NULL;
}

void tui_text_draw(tui *t, tui_view *v, const tui_rect *r)
{
	tui_text *x = &v->text;
	size_t maxtop;

	(void)t;
	x->page = r->h > 0 ? r->h : 1;
	if (x->cur < x->n) {
		if (x->cur < x->top)
			x->top = x->cur;
		if (x->cur >= x->top + (size_t)x->page)
			x->top = x->cur - (size_t)x->page + 1;
	}
	maxtop = x->n > (size_t)x->page ? x->n - (size_t)x->page : 0;
	if (x->top > maxtop && (x->cur >= x->n || x->cur >= maxtop))
		x->top = maxtop;
	for (int row = 0; row < r->h; row++) {
		size_t i = x->top + (size_t)row;
		int col = 0;

		if (i >= x->n) {
			tui_fill(r->y + row, r->x, r->w, TC_NORMAL);
			continue;
		}
		for (size_t s = 0; s < x->v[i].nseg && col < r->w; s++)
			col += tui_put(r->y + row, r->x + col, r->w - col,
			               i == x->cur ? TC_CURSOR : x->v[i].seg[s].color, x->v[i].seg[s].text);
		tui_fill(r->y + row, r->x + col, r->w - col, i == x->cur ? TC_CURSOR : x->v[i].fill);
	}
}

/* The text of a line joined, for searching; new string or NULL. */
static char *line_text(const tui_line *l)
{
	size_t n = 1;
	char *s;

	for (size_t i = 0; i < l->nseg; i++)
		n += strlen(l->seg[i].text);
	if (!(s = malloc(n)))
		return NULL;
	s[0] = '\0';
	for (size_t i = 0; i < l->nseg; i++)
		strcat(s, l->seg[i].text);
	return s;
}

static int line_matches(const tui_line *l, const char *needle)
{
	char *s = line_text(l);
	char *e = pg_escape_str(needle);
	int m = 0;

	if (s && e && e[0]) {
		size_t n = strlen(e);

		for (const char *p = s; *p && !m; p++)
			m = strncasecmp(p, e, n) == 0;
	}
	free(s);
	free(e);
	return m;
}

/* Jumps to the next (dir 1) or previous (-1) line matching find, starting
 * at from (included when inclusive).  Returns 1 when found. */
static int find_line(tui_view *v, size_t from, int dir, int inclusive)
{
	tui_text *x = &v->text;

	if (!x->find[0] || !x->n)
		return 0;
	for (size_t k = 0; k < x->n; k++) {
		size_t step = inclusive ? k : k + 1;
		size_t i = dir > 0 ? (from + step) % x->n : (from + x->n - step % x->n) % x->n;

		if (line_matches(&x->v[i], x->find)) {
			if (x->v[i].selectable || (x->sticky && any_selectable(x))) {
				tui_text_goto(v, i);
			} else {
				x->cur = x->n;
				x->top = i;
			}
			return 1;
		}
	}
	return 0;
}

static void text_find_changed(tui *t, tui_view *v, const char *text, int done)
{
	tui_text *x = &v->text;
	size_t from = x->cur < x->n ? x->cur : x->top;

	snprintf(x->find, sizeof x->find, "%s", text);
	if (done < 0)
		return;
	if (x->find[0] && !find_line(v, from, 1, 1))
		tui_status(t, _("no line matches \"%s\""), x->find);
	else if (done > 0)
		moved(t, v);
}

void tui_text_keep(tui_view *v, int active, long data)
{
	tui_text *x = &v->text;

	x->cur = x->n;
	if (active)
		for (size_t j = 0; j < x->n; j++)
			if (x->v[j].selectable && x->v[j].data == data) {
				x->cur = j;
				return;
			}
	if (x->sticky)
		x->cur = first_sel(x, 0, x->n);
}

tui_req tui_text_request(tui *t, tui_view *v, tui_req req)
{
	tui_text *x = &v->text;
	size_t page = x->page > 1 ? (size_t)x->page - 1 : 1;
	size_t h = x->page > 0 ? (size_t)x->page : 1;
	size_t maxtop = x->n > h ? x->n - h : 0;
	int active = x->cur < x->n;
	size_t s;

	switch (req) {
	case REQ_MOVE_DOWN:
		if (active) {
			s = first_sel(x, x->cur + 1, x->n);
			if (s < x->n) {
				x->cur = s;
				moved(t, v);
			} else if (x->top < maxtop && x->top < x->cur) {
				x->top++;
			}
		} else if ((s = first_sel(x, x->top, x->top + h)) < x->n) {
			x->cur = s;
			moved(t, v);
		} else if (x->top < maxtop) {
			x->top++;
		}
		return REQ_NONE;
	case REQ_MOVE_UP:
		if (active) {
			s = last_sel(x, 0, x->cur);
			if (s < x->n) {
				x->cur = s;
				moved(t, v);
			} else if (x->sticky) {
				x->top = 0;
			} else {
				x->cur = x->n;
				if (x->top > 0)
					x->top--;
			}
		} else if (x->top > 0) {
			x->top--;
		}
		return REQ_NONE;
	case REQ_PAGE_DOWN:
	case REQ_PAGE_UP:
		if (req == REQ_PAGE_DOWN)
			x->top = x->top + page > maxtop ? maxtop : x->top + page;
		else
			x->top = x->top > page ? x->top - page : 0;
		if (x->sticky && active) {
			size_t c = req == REQ_PAGE_DOWN ? x->cur + page : (x->cur > page ? x->cur - page : 0);

			tui_text_goto(v, c);
			moved(t, v);
		} else if (active) {
			s = first_sel(x, x->top, x->top + h);
			x->cur = s;
			if (s < x->n)
				moved(t, v);
		}
		return REQ_NONE;
	case REQ_MOVE_FIRST:
		/* the top; the cursor on the first item when it shows there */
		x->top = 0;
		x->cur = x->sticky ? first_sel(x, 0, x->n) : first_sel(x, 0, h);
		moved(t, v);
		return REQ_NONE;
	case REQ_MOVE_LAST:
		x->top = maxtop;
		x->cur = x->sticky ? last_sel(x, 0, x->n) : last_sel(x, maxtop, x->n);
		moved(t, v);
		return REQ_NONE;
	case REQ_SEARCH:
		tui_prompt_start(t, v, "/", "", text_find_changed);
		return REQ_NONE;
	case REQ_SEARCH_NEXT:
	case REQ_SEARCH_PREV:
		if (!x->find[0]) {
			tui_status(t, _("no search yet: press / first"));
			return REQ_NONE;
		}
		if (!find_line(v, x->cur < x->n ? x->cur : x->top, req == REQ_SEARCH_NEXT ? 1 : -1, 0))
			tui_status(t, _("no line matches \"%s\""), x->find);
		else
			moved(t, v);
		return REQ_NONE;
	default:
		return req;
	}
}

/* ------------------------------------------------------------ bars */

void tui_draw_title(tui *t, const char *left, const char *right)
{
	int rw = right ? (int)tui_width(right) : 0;
	int lw;

	(void)t;
	tui_fill(0, 0, COLS, TC_TITLE);
	if (rw > COLS / 2)
		rw = COLS / 2;
	lw = tui_put(0, 0, COLS - (rw ? rw + 2 : 0), TC_TITLE, left);
	(void)lw;
	if (rw)
		tui_put(0, COLS - rw - 1, rw, TC_TITLE, right);
}

void tui_draw_tabs(int y, const char *const *names, size_t n, size_t active, const char *right)
{
	int *w = calloc(n ? n : 1, sizeof *w);
	int total = 0, avail, x = 1, rw = right ? (int)tui_width(right) : 0;
	size_t first = 0, last;

	tui_fill(y, 0, COLS, TC_TAB);
	if (!w)
		return;
	for (size_t i = 0; i < n; i++) {
		w[i] = (int)tui_width(names[i]) + 2;
		total += w[i];
	}
	avail = COLS - 2 - (rw ? rw + 2 : 0);
	if (avail < 20) {
		avail = COLS - 2;
		rw = 0;
	}
	last = n;
	if (total > avail) {
		/* a window around the active tab, with markers on cut sides */
		int used;

		first = last = active;
		used = w[active] + 4;
		for (;;) {
			int grew = 0;

			if (last + 1 < n && used + w[last + 1] <= avail) {
				used += w[++last];
				grew = 1;
			}
			if (first > 0 && used + w[first - 1] <= avail) {
				used += w[--first];
				grew = 1;
			}
			if (!grew)
				break;
		}
		last++;
	}
	if (first > 0)
		x += tui_put(y, x, 2, TC_DIM, "\xe2\x80\xb9 ");
	for (size_t i = first; i < last; i++) {
		char buf[128];

		snprintf(buf, sizeof buf, i == active ? "[%s]" : " %s ", names[i]);
		x += tui_put(y, x, COLS - x, i == active ? TC_TAB_ACTIVE : TC_TAB, buf);
	}
	if (last < n)
		x += tui_put(y, x, 2, TC_DIM, " \xe2\x80\xba");
	if (rw && x + 2 + rw <= COLS)
		tui_put(y, COLS - rw - 1, rw, TC_SEARCH, right);
	free(w);
}
