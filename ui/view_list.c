/* view_list.c — the pack list (home): header, state filter tabs, search as
 * you type, sort, "to review", and the rows of the visible window only
 * (pg_reg_list with limit/offset plus pg_reg_count, To review included),
 * so it stays instant whatever the size of the registry. */
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "model.h"

/* Filter tabs: All, To review, then every state. */
#define F_ALL 0
#define F_REVIEW 1
#define F_STATE0 2
#define F_COUNT (F_STATE0 + PG_STATE_COUNT_)

/* Sortable columns, in the order `s` cycles through them. */
static const struct {
	pg_reg_sort sort;
	int col;          /* index into the column table */
	int inverted;     /* the column shows the reverse of the key (AGE) */
} sorts[] = {
	{ PG_REG_SORT_NAME, 0, 0 },
	{ PG_REG_SORT_VERSION, 1, 0 },
	{ PG_REG_SORT_STATE, 2, 0 },
	{ PG_REG_SORT_OPERATOR, 3, 0 },
	{ PG_REG_SORT_CREATED_AT, 7, 1 },
};
#define NSORTS (sizeof sorts / sizeof sorts[0])

enum { C_NAME, C_VERSION, C_STATE, C_OPERATOR, C_SCORE, C_DELTA, C_APPR, C_AGE, C_COUNT };

struct list {
	int filter;
	char search[256];
	size_t sort;             /* index into sorts */
	int desc;                /* descending by the displayed value */
	uint64_t count;          /* rows matching */
	uint64_t top, cur;
	pg_reg_rows rows;        /* rows[top .. top + rows.n) */
	uint64_t rows_top;
	int rows_h;
	int dirty;               /* the query changed: recount */
	int stale;               /* refetch the window */
	uint64_t ncand;          /* To review: candidates of the current query */
	uint64_t review;         /* "N to review" (no search) */
	int summary_error;
};

/* ------------------------------------------------------------ data */

/* The states To review shows, and the packs it leaves out: those the user
 * (--key) approved or rejected already, asked of the registry itself
 * (pg_reg_query.unreviewed_by), so the tab pages by window like the
 * others. */
#define REVIEW_STATES ((1u << PG_STATE_CANDIDATE) | (1u << PG_STATE_EVALUATED))

static void review_query(tui *t, pg_reg_query *q)
{
	q->states = REVIEW_STATES;
	q->unreviewed_by = t->have_me ? t->me : NULL;
}

static void base_query(tui *t, const struct list *L, pg_reg_query *q)
{
	pg_reg_query_init(q);
	q->sort = sorts[L->sort].sort;
	q->descending = sorts[L->sort].inverted ? !L->desc : L->desc;
	q->search = L->search[0] ? L->search : NULL;
	if (L->filter >= F_STATE0)
		q->state = L->filter - F_STATE0;
	if (L->filter == F_REVIEW)
		review_query(t, q);
}

/* The header's "N to review". */
static int count_review(tui *t, struct list *L, pg_error *err)
{
	pg_reg_query q;

	L->review = 0;
	if (!t->reg)
		return 0;
	pg_reg_query_init(&q);
	review_query(t, &q);
	return pg_reg_count(t->reg, &q, &L->review, err) ? -1 : 0;
}

static int recount(tui *t, struct list *L, pg_error *err)
{
	pg_reg_query q;

	base_query(t, L, &q);
	if (pg_reg_count(t->reg, &q, &L->count, err))
		return -1;
	if (L->filter != F_REVIEW)
		return 0;
	/* candidates come first: where the evaluated packs start */
	q.state = PG_STATE_CANDIDATE;
	return pg_reg_count(t->reg, &q, &L->ncand, err) ? -1 : 0;
}

/* Appends the rows of query q (limit/offset set) to dst. */
static int rows_append(tui *t, pg_reg_rows *dst, const pg_reg_query *q, pg_error *err)
{
	pg_reg_rows r;
	pg_reg_row *nv;

	if (pg_reg_list(t->reg, q, &r, err))
		return -1;
	if (!dst->v) {
		*dst = r;
		return 0;
	}
	if (!r.n)
		return 0;
	nv = realloc(dst->v, (dst->n + r.n + 1) * sizeof *nv);
	if (!nv) {
		pg_reg_rows_free(&r);
		return pg_err(err, PG_IO_MEMORY, _("out of memory")), -1;
	}
	dst->v = nv;
	memcpy(dst->v + dst->n, r.v, r.n * sizeof *r.v);
	dst->n += r.n;
	free(r.v);
	return 0;
}

static int fetch_window(tui *t, struct list *L, int h, pg_error *err)
{
	pg_reg_query q;

	pg_reg_rows_free(&L->rows);
	L->rows_top = L->top;
	L->rows_h = h;
	L->stale = 0;
	if (L->count == 0)
		return 0;
	base_query(t, L, &q);
	q.limit = h;
	q.offset = L->top;
	if (L->filter != F_REVIEW)
		return rows_append(t, &L->rows, &q, err);
	/* candidates, then evaluated packs, each in the chosen order */
	if (L->top < L->ncand) {
		q.state = PG_STATE_CANDIDATE;
		if (rows_append(t, &L->rows, &q, err))
			return -1;
	}
	if (L->rows.n < (size_t)h && L->top + L->rows.n >= L->ncand) {
		q.state = PG_STATE_EVALUATED;
		q.offset = L->top + L->rows.n - L->ncand;
		q.limit = h - (int64_t)L->rows.n;
		if (rows_append(t, &L->rows, &q, err))
			return -1;
	}
	return 0;
}

/* Brings the count and the window up to date for a page of h rows. */
static void refresh_window(tui *t, struct list *L, int h)
{
	pg_error err;

	pg_error_clear(&err);
	if (!t->reg) {
		L->count = 0;
		return;
	}
	if (L->dirty) {
		L->dirty = 0;
		L->stale = 1;
		if (recount(t, L, &err)) {
			L->count = 0;
			tui_status_err(t, &err);
		}
	}
	if (L->count == 0) {
		L->cur = L->top = 0;
	} else {
		if (L->cur >= L->count)
			L->cur = L->count - 1;
		if (L->top > L->cur)
			L->top = L->cur;
		if (L->cur >= L->top + (uint64_t)h)
			L->top = L->cur - (uint64_t)h + 1;
		if (L->count > (uint64_t)h && L->top > L->count - (uint64_t)h)
			L->top = L->count - (uint64_t)h;
		if (L->count <= (uint64_t)h)
			L->top = 0;
	}
	if (L->stale || L->rows_top != L->top || L->rows_h != h)
		if (fetch_window(t, L, h, &err))
			tui_status_err(t, &err);
}

/* ------------------------------------------------------------ drawing */

struct cols {
	int x[C_COUNT], w[C_COUNT];
	int taint_x, taint_w;  /* the "(tainted: …)" column, w 0 when none */
};

static void layout(int width, struct cols *c)
{
	static const int narrow[C_COUNT] = { 0, 8, 13, 10, 6, 9, 5, 4 };
	static const int wide[C_COUNT] = { 0, 10, 14, 14, 7, 10, 5, 5 };
	const int *fw = width >= 110 ? wide : narrow;
	int gap = width >= 110 ? 2 : 1, fixed = 0, x = 1;

	for (int i = 1; i < C_COUNT; i++)
		fixed += fw[i] + gap;
	c->w[C_NAME] = width - 1 - fixed - 1;
	c->taint_w = 0;
	if (c->w[C_NAME] > 44) {
		c->taint_w = c->w[C_NAME] - 36 - gap;
		c->w[C_NAME] = 36;
	}
	if (c->w[C_NAME] < 8)
		c->w[C_NAME] = 8;
	for (int i = 0; i < C_COUNT; i++) {
		if (i)
			c->w[i] = fw[i];
		c->x[i] = x;
		x += c->w[i] + gap;
	}
	c->taint_x = x;
	if (c->taint_w > width - x - 1)
		c->taint_w = width - x - 1;
	if (c->taint_w < 12)
		c->taint_w = 0;
}

static const char *const col_names[C_COUNT] = {
	N_("NAME"), N_("VERSION"), N_("STATE"), N_("OPERATOR"), N_("SCORE"),
	N_("\xce\x94 CHAMP"), N_("APPR"), N_("AGE"),
};

static void draw_header(tui *t, struct list *L)
{
	char left[1024], right[64];
	const char *reg = t->reg_label, *slash = strrchr(reg, '/');
	int pass;

	/* the registry's whole path when it fits, else its file name */
	for (pass = 0; pass < 2; pass++) {
		snprintf(left, sizeof left, " packgate  %s \xc2\xb7 %s%s \xc2\xb7 %s", reg,
		         t->policy ? _("policy ") : _("no policy"), t->policy ? t->policy_label : "",
		         t->me_label[0] ? t->me_label : _("no signing key"));
		if (!slash || (int)tui_width(left) + 16 <= COLS)
			break;
		reg = slash + 1;
	}
	if (t->reg)
		snprintf(right, sizeof right, _("%llu to review"), (unsigned long long)L->review);
	else
		right[0] = '\0';
	tui_draw_title(t, left, right);
}

static void draw_tabs(tui *t, struct list *L)
{
	const char *names[F_COUNT];
	char right[300];

	names[F_ALL] = _("All");
	names[F_REVIEW] = _("To review");
	for (int i = 0; i < PG_STATE_COUNT_; i++)
		names[F_STATE0 + i] = pg_state_name((pg_state)i);
	if (t->prompt.active && t->prompt.owner && t->prompt.owner->priv == L)
		snprintf(right, sizeof right, "/ %s", t->prompt.buf);
	else if (L->search[0])
		snprintf(right, sizeof right, "/ %s", L->search);
	else
		right[0] = '\0';
	tui_draw_tabs(1, names, F_COUNT, (size_t)L->filter, right[0] ? right : NULL);
}

static void draw_colhead(struct list *L, const struct cols *c, int y)
{
	tui_fill(y, 0, COLS, TC_HEADER);
	for (int i = 0; i < C_COUNT; i++) {
		char buf[64];
		int sorted = sorts[L->sort].col == i;

		char *f;

		snprintf(buf, sizeof buf, "%s%s", _(col_names[i]),
		         sorted ? (L->desc ? "\xe2\x96\xbc" : "\xe2\x96\xb2") : "");
		/* numeric columns are right-aligned, their heads too */
		f = tui_fit(buf, c->w[i], i == C_SCORE || i == C_DELTA || i == C_AGE);
		tui_put(y, c->x[i], c->w[i], TC_HEADER, f ? f : buf);
		free(f);
	}
}

static void draw_row(tui *t, struct list *L, const struct cols *c, int y, const pg_reg_row *r,
                     int cursor)
{
	tm_summary s;
	pg_error err;
	char age[16];
	tui_color dc = TC_NORMAL;
	char delta[64];
	int sx;

#define CC(col) (cursor ? TC_CURSOR : (col))
	if (cursor)
		tui_fill(y, 0, COLS, TC_CURSOR);
	memset(&s, 0, sizeof s);
	if (tm_summary_get(t->cache, t->reg, t->policy, r, &s, &err)) {
		if (!L->summary_error)
			tui_status_err(t, &err);
		L->summary_error = 1;
		snprintf(s.score, sizeof s.score, "?");
	}
	tui_put(y, c->x[C_NAME], c->w[C_NAME], CC(TC_NORMAL), r->name);
	tui_put(y, c->x[C_VERSION], c->w[C_VERSION], CC(TC_NORMAL), r->version);
	sx = tui_put(y, c->x[C_STATE], c->w[C_STATE] - (r->tainted ? 2 : 0), CC(tui_state_color((int)r->state)),
	             pg_state_name(r->state));
	if (r->tainted)
		tui_put(y, c->x[C_STATE] + sx + 1, 1, CC(TC_TAINT), "\xe2\x9a\xa0");
	tui_put(y, c->x[C_OPERATOR], c->w[C_OPERATOR], CC(TC_NORMAL), r->operator);
	if (s.score[0]) {
		char *f = tui_fit(s.score, c->w[C_SCORE], 1);

		tui_put(y, c->x[C_SCORE], c->w[C_SCORE], CC(TC_NORMAL), f ? f : s.score);
		free(f);
	}
	switch (s.verdict) {
	case PG_CARD_BETTER:
		snprintf(delta, sizeof delta, "%s \xe2\x96\xb2", s.delta);
		dc = TC_IMPROVEMENT;
		break;
	case PG_CARD_WORSE:
		snprintf(delta, sizeof delta, "%s \xe2\x96\xbc", s.delta);
		dc = TC_REGRESSION;
		break;
	case PG_CARD_NO_CHAMPION:
		snprintf(delta, sizeof delta, "   \xe2\x80\x94");
		dc = TC_DIM;
		break;
	default:
		snprintf(delta, sizeof delta, "%s  ", s.delta);
		break;
	}
	{
		char *f = tui_fit(delta, c->w[C_DELTA], 1);

		tui_put(y, c->x[C_DELTA], c->w[C_DELTA], CC(dc), f ? f : delta);
		free(f);
	}
	tui_put(y, c->x[C_APPR], c->w[C_APPR], CC(TC_NORMAL), s.appr);
	tui_age(t, r->created_at, age, sizeof age);
	{
		char *f = tui_fit(age, c->w[C_AGE], 1);

		tui_put(y, c->x[C_AGE], c->w[C_AGE], CC(TC_NORMAL), f ? f : age);
		free(f);
	}
	if (r->tainted && c->taint_w) {
		char buf[256];

		snprintf(buf, sizeof buf, "(%s: %s)", _("tainted"), s.taint[0] ? s.taint : _("ancestor quarantined"));
		tui_put(y, c->taint_x, c->taint_w, CC(TC_TAINT), buf);
	}
#undef CC
}

static void draw_empty(tui *t, struct list *L, const tui_rect *r)
{
	int y = r->y + 2;
	char buf[1200];

	if (!t->reg) {
		snprintf(buf, sizeof buf, _("No registry at %s yet."), t->reg_label);
		tui_put(y++, 2, r->w - 4, TC_NORMAL, buf);
		tui_put(y++, 2, r->w - 4, TC_DIM, _("Import packs with:  packgate import PACK..."));
		tui_put(y++, 2, r->w - 4, TC_DIM, _("or try the demo:    packgate demo"));
		return;
	}
	if (L->filter == F_ALL && !L->search[0]) {
		tui_put(y++, 2, r->w - 4, TC_NORMAL, _("The registry holds no packs yet."));
		tui_put(y++, 2, r->w - 4, TC_DIM, _("Import packs with:  packgate import PACK..."));
		return;
	}
	tui_put(y++, 2, r->w - 4, TC_NORMAL,
	        L->filter == F_REVIEW && !L->search[0] ? _("Nothing awaits your review.")
	                                                 : _("No packs match."));
	if (L->search[0] || L->filter != F_ALL)
		tui_put(y++, 2, r->w - 4, TC_DIM, _("Esc clears the search, then the filter."));
}

static void list_draw(tui *t, tui_view *v, const tui_rect *r)
{
	struct list *L = v->priv;
	struct cols c;
	int h = r->h - 1;
	const char *sortname;

	if (h < 1)
		h = 1;
	draw_header(t, L);
	draw_tabs(t, L);
	refresh_window(t, L, h);
	layout(r->w, &c);
	draw_colhead(L, &c, r->y);
	if (L->count == 0) {
		draw_empty(t, L, r);
		return;
	}
	for (size_t i = 0; i < L->rows.n && (int)i < h; i++)
		draw_row(t, L, &c, r->y + 1 + (int)i, &L->rows.v[i], L->top + i == L->cur);
	sortname = _(col_names[sorts[L->sort].col]);
	snprintf(t->info, sizeof t->info, "%llu/%llu  %s %s%s", (unsigned long long)L->cur + 1,
	         (unsigned long long)L->count, _("sort"), sortname,
	         L->desc ? "\xe2\x96\xbc" : "\xe2\x96\xb2");
}

/* ------------------------------------------------------------ requests */

static void search_changed(tui *t, tui_view *v, const char *text, int done)
{
	struct list *L = v->priv;

	(void)t;
	(void)done;
	if (!strcmp(L->search, text))
		return;
	snprintf(L->search, sizeof L->search, "%s", text);
	L->cur = L->top = 0;
	L->dirty = 1;
}

static const pg_reg_row *selected(struct list *L)
{
	if (L->cur < L->rows_top || L->cur - L->rows_top >= L->rows.n)
		return NULL;
	return &L->rows.v[L->cur - L->rows_top];
}

static void open_pack(tui *t, struct list *L, enum tui_tab tab)
{
	const pg_reg_row *r = selected(L);
	tui_pack_arg a;
	char id[PG_ID_LEN];

	if (!r) {
		tui_status(t, _("no pack selected"));
		return;
	}
	memcpy(id, r->id, sizeof id);
	a.id = id;
	a.tab = tab;
	tui_push(t, &tui_pack_ops, &a);
}

static void set_filter(struct list *L, int f)
{
	L->filter = (f + F_COUNT) % F_COUNT;
	L->cur = L->top = 0;
	L->dirty = 1;
}

static tui_req list_request(tui *t, tui_view *v, tui_req req)
{
	struct list *L = v->priv;
	uint64_t page = L->rows_h > 1 ? (uint64_t)L->rows_h - 1 : 1;
	pg_error err;

	switch (req) {
	case REQ_MOVE_DOWN:
		if (L->cur + 1 < L->count)
			L->cur++;
		return REQ_NONE;
	case REQ_MOVE_UP:
		if (L->cur)
			L->cur--;
		return REQ_NONE;
	case REQ_PAGE_DOWN:
		L->cur = L->cur + page < L->count ? L->cur + page : (L->count ? L->count - 1 : 0);
		L->top += page;
		return REQ_NONE;
	case REQ_PAGE_UP:
		L->cur = L->cur > page ? L->cur - page : 0;
		L->top = L->top > page ? L->top - page : 0;
		return REQ_NONE;
	case REQ_MOVE_FIRST:
		L->cur = L->top = 0;
		return REQ_NONE;
	case REQ_MOVE_LAST:
		L->cur = L->count ? L->count - 1 : 0;
		return REQ_NONE;
	case REQ_NEXT_TAB:
		set_filter(L, L->filter + 1);
		return REQ_NONE;
	case REQ_PREV_TAB:
		set_filter(L, L->filter - 1);
		return REQ_NONE;
	case REQ_AWAITING:
		set_filter(L, L->filter == F_REVIEW ? F_ALL : F_REVIEW);
		return REQ_NONE;
	case REQ_SORT_NEXT:
		L->sort = (L->sort + 1) % NSORTS;
		L->desc = 0;
		L->dirty = 1;
		return REQ_NONE;
	case REQ_SORT_REVERSE:
		L->desc = !L->desc;
		L->dirty = 1;
		return REQ_NONE;
	case REQ_SEARCH:
		tui_prompt_start(t, v, "/", L->search, search_changed);
		return REQ_NONE;
	case REQ_SEARCH_NEXT:
	case REQ_SEARCH_PREV:
		tui_status(t, _("the list filters as you type: press / to change the search"));
		return REQ_NONE;
	case REQ_BACK:
		if (L->search[0]) {
			L->search[0] = '\0';
			L->cur = L->top = 0;
			L->dirty = 1;
		} else if (L->filter != F_ALL) {
			set_filter(L, F_ALL);
		}
		return REQ_NONE;
	case REQ_ENTER:
	case REQ_VIEW_OVERVIEW:
		open_pack(t, L, TUI_TAB_OVERVIEW);
		return REQ_NONE;
	case REQ_VIEW_FILES:
		open_pack(t, L, TUI_TAB_FILES);
		return REQ_NONE;
	case REQ_VIEW_EVAL:
		open_pack(t, L, TUI_TAB_EVAL);
		return REQ_NONE;
	case REQ_VIEW_LINEAGE:
		open_pack(t, L, TUI_TAB_LINEAGE);
		return REQ_NONE;
	case REQ_VIEW_LICENSE:
		open_pack(t, L, TUI_TAB_LICENSE);
		return REQ_NONE;
	case REQ_VIEW_PERMS:
		open_pack(t, L, TUI_TAB_PERMS);
		return REQ_NONE;
	case REQ_VIEW_AUDIT:
		open_pack(t, L, TUI_TAB_AUDIT);
		return REQ_NONE;
	case REQ_REFRESH:
		pg_error_clear(&err);
		L->summary_error = 0;
		if (count_review(t, L, &err))
			tui_status_err(t, &err);
		L->dirty = 1;
		return REQ_REFRESH;
	default:
		return req;
	}
}

/* ------------------------------------------------------------ open/done */

static int list_open(tui *t, tui_view *v, void *arg)
{
	struct list *L = calloc(1, sizeof *L);
	pg_error err;

	(void)arg;
	if (!L) {
		tui_status(t, "io.memory");
		return -1;
	}
	v->priv = L;
	L->dirty = 1;
	L->rows_h = -1;
	pg_error_clear(&err);
	if (t->reg && count_review(t, L, &err))
		tui_status_err(t, &err);
	return 0;
}

static void list_done(tui_view *v)
{
	struct list *L = v->priv;

	if (!L)
		return;
	pg_reg_rows_free(&L->rows);
	free(L);
	v->priv = NULL;
}

static const char *list_pack(tui_view *v)
{
	const pg_reg_row *r = selected(v->priv);

	return r ? r->id : NULL;
}

static const tui_req list_hints[] = {
	REQ_ENTER, REQ_SEARCH, REQ_APPROVE, REQ_TRANSITION, REQ_VIEW_LINEAGE, REQ_VIEW_EVAL,
	REQ_VIEW_LICENSE, REQ_NEXT_TAB, REQ_SORT_NEXT, REQ_AWAITING, REQ_HELP, REQ_QUIT, REQ_NONE,
};

const tui_view_ops tui_list_ops = {
	.name = N_("Pack list"),
	.scopes = TUI_SCOPE_LIST,
	.open = list_open,
	.draw = list_draw,
	.request = list_request,
	.select = NULL,
	.done = list_done,
	.hints = list_hints,
	.pack = list_pack,
};
