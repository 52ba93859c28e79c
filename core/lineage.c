/* lineage.c — the text layout of a lineage graph (see lineage.h). */
#include "lineage.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uniwidth.h>

#include "buf.h"
#include "escape.h"
#include "schema.h"

#define MARK_PRESENT "\xe2\x97\x8f"   /* ● */
#define MARK_MISSING "\xe2\x9c\x97"   /* ✗ */
#define MARK_BACKREF "\xe2\x86\x91"   /* ↑ */
#define BR_MID       "\xe2\x94\x9c\xe2\x94\x80" /* ├─ */
#define BR_LAST      "\xe2\x94\x94\xe2\x94\x80" /* └─ */
#define CONT_MORE    "\xe2\x94\x82 "  /* │ and a space */
#define CONT_NONE    "  "
#define TAINT_MARK   _("\xe2\x9a\xa0 tainted") /* ⚠ tainted */
#define ELLIPSIS     "\xe2\x80\xa6"   /* … */
#define SHORT_HEX    12               /* hex digits shown of a missing id */

void pg_lin_graph_free(pg_lin_graph *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nnodes; i++) {
		free(g->nodes[i].id);
		free(g->nodes[i].name);
		free(g->nodes[i].version);
		free(g->nodes[i].operator);
	}
	free(g->nodes);
	free(g->edges);
	memset(g, 0, sizeof *g);
}

void pg_lin_lines_free(pg_lin_lines *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->lines[i].prefix);
		free(l->lines[i].text);
	}
	free(l->lines);
	l->lines = NULL;
	l->n = 0;
}

/* The three columns of a line before alignment; all owned. */
struct cols {
	char *c1, *c2, *c3, *c4;   /* tree and label, operator, state, taint */
	size_t w1, w2, w3;
};

struct frame {
	size_t node;
	size_t line;
	size_t next;      /* next branch to draw */
	size_t cont_len;  /* bytes of the continuation prefix for its branches */
};

struct lay {
	const pg_lin_graph *g;
	size_t *start;    /* adjacency in drawing direction: start[n]..start[n+1] */
	size_t *adj;
	size_t *seen;     /* line where each node is drawn in full, or NO_LINE */
	pg_lin_line *lines;
	struct cols *cols;
	size_t n, cap;
	struct frame *stack;
	size_t depth, stack_cap;
	pg_buf cont;      /* continuation prefix of the frame being expanded */
};

static size_t width_of(const char *s)
{
	int w = u8_strwidth((const uint8_t *)s, "UTF-8");

	return w > 0 ? (size_t)w : 0;
}

/* Builds the adjacency lists in the drawing direction, keeping edge order. */
static int build_adjacency(struct lay *L, pg_lin_dir dir)
{
	const pg_lin_graph *g = L->g;
	size_t *fill;

	L->start = calloc(g->nnodes + 1, sizeof *L->start);
	L->adj = malloc((g->nedges ? g->nedges : 1) * sizeof *L->adj);
	fill = calloc(g->nnodes + 1, sizeof *fill);
	if (!L->start || !L->adj || !fill) {
		free(fill);
		return -1;
	}
	for (size_t i = 0; i < g->nedges; i++) {
		const pg_lin_edge *e = &g->edges[i];
		if (e->child >= g->nnodes || e->parent >= g->nnodes)
			continue;
		L->start[(dir == PG_LIN_ANCESTORS ? e->child : e->parent) + 1]++;
	}
	for (size_t i = 0; i < g->nnodes; i++)
		L->start[i + 1] += L->start[i];
	for (size_t i = 0; i < g->nedges; i++) {
		const pg_lin_edge *e = &g->edges[i];
		size_t from, to;
		if (e->child >= g->nnodes || e->parent >= g->nnodes)
			continue;
		from = dir == PG_LIN_ANCESTORS ? e->child : e->parent;
		to = dir == PG_LIN_ANCESTORS ? e->parent : e->child;
		L->adj[L->start[from] + fill[from]++] = to;
	}
	free(fill);
	return 0;
}

/* Columns of the line drawing `node` after `prefix`. */
static int make_cols(struct cols *c, const pg_lin_node *nd, const char *prefix, int back_ref)
{
	pg_buf b;
	char *id = NULL, *name = NULL, *version = NULL;
	int rc = -1;

	memset(c, 0, sizeof *c);
	pg_buf_init(&b, SIZE_MAX);
	if (pg_buf_adds(&b, prefix) ||
	    pg_buf_adds(&b, back_ref ? MARK_BACKREF : nd->present ? MARK_PRESENT : MARK_MISSING) ||
	    pg_buf_addc(&b, ' '))
		goto out;
	if (nd->present) {
		name = pg_escape_str(nd->name);
		version = pg_escape_str(nd->version);
		if (!name || !version || pg_buf_adds(&b, name) || pg_buf_addc(&b, ' ') ||
		    pg_buf_adds(&b, version))
			goto out;
	} else {
		size_t keep = strlen("sha256:") + SHORT_HEX;

		id = pg_escape_str(nd->id);
		if (!id)
			goto out;
		if (strlen(id) > keep && strncmp(id, "sha256:", 7) == 0) {
			if (pg_buf_add(&b, id, keep) || pg_buf_adds(&b, ELLIPSIS))
				goto out;
		} else if (pg_buf_adds(&b, id)) {
			goto out;
		}
	}
	if (!(c->c1 = pg_buf_steal(&b, NULL)))
		goto out;
	if (back_ref)
		c->c2 = strdup(_("(shown above)"));
	else if (!nd->present)
		c->c2 = strdup(_("(not in registry)"));
	else
		c->c2 = pg_escape_str(nd->operator);
	if (!c->c2)
		goto out;
	if (nd->present && !back_ref) {
		const char *st = nd->state >= 0 && nd->state < PG_STATE_COUNT_ ?
			pg_state_name((pg_state)nd->state) : "?";
		if (!(c->c3 = strdup(st)))
			goto out;
		if (nd->tainted && !(c->c4 = strdup(TAINT_MARK)))
			goto out;
	}
	c->w1 = width_of(c->c1);
	c->w2 = width_of(c->c2);
	c->w3 = c->c3 ? width_of(c->c3) : 0;
	rc = 0;
out:
	pg_buf_free(&b);
	free(id);
	free(name);
	free(version);
	return rc;
}

static int add_line(struct lay *L, size_t node, unsigned depth, size_t up, int back_ref,
                    size_t full, const char *prefix)
{
	pg_lin_line *ln;

	if (L->n == L->cap) {
		size_t ncap = L->cap ? L->cap * 2 : 16;
		pg_lin_line *nl = realloc(L->lines, ncap * sizeof *nl);
		struct cols *nc;
		if (!nl)
			return -1;
		L->lines = nl;
		nc = realloc(L->cols, ncap * sizeof *nc);
		if (!nc)
			return -1;
		L->cols = nc;
		L->cap = ncap;
	}
	ln = &L->lines[L->n];
	memset(ln, 0, sizeof *ln);
	memset(&L->cols[L->n], 0, sizeof L->cols[L->n]);
	L->n++;
	ln->node = node;
	ln->depth = depth;
	ln->up = up;
	ln->back_ref = back_ref;
	ln->full = back_ref ? full : L->n - 1;
	if (!(ln->prefix = strdup(prefix)))
		return -1;
	return make_cols(&L->cols[L->n - 1], &L->g->nodes[node], prefix, back_ref);
}

static int push(struct lay *L, size_t node, size_t line, size_t cont_len)
{
	if (L->depth == L->stack_cap) {
		size_t ncap = L->stack_cap ? L->stack_cap * 2 : 32;
		struct frame *ns = realloc(L->stack, ncap * sizeof *ns);
		if (!ns)
			return -1;
		L->stack = ns;
		L->stack_cap = ncap;
	}
	L->stack[L->depth].node = node;
	L->stack[L->depth].line = line;
	L->stack[L->depth].next = 0;
	L->stack[L->depth].cont_len = cont_len;
	L->depth++;
	return 0;
}

/* Preorder walk with an explicit stack. */
static int walk(struct lay *L)
{
	size_t root = L->g->root;

	if (add_line(L, root, 0, PG_LIN_NO_LINE, 0, 0, ""))
		return -1;
	L->seen[root] = 0;
	if (push(L, root, 0, 0))
		return -1;
	while (L->depth) {
		struct frame *f = &L->stack[L->depth - 1];
		size_t deg = L->start[f->node + 1] - L->start[f->node];
		size_t kid, line, up = f->line;
		int last;
		char *prefix;

		if (f->next == deg) {
			L->depth--;
			continue;
		}
		kid = L->adj[L->start[f->node] + f->next];
		last = f->next + 1 == deg;
		f->next++;
		L->cont.len = f->cont_len;
		L->cont.data[L->cont.len] = '\0';
		if (pg_buf_adds(&L->cont, last ? BR_LAST : BR_MID))
			return -1;
		prefix = L->cont.data;
		line = L->n;
		if (L->seen[kid] != PG_LIN_NO_LINE) {
			if (add_line(L, kid, L->lines[up].depth + 1, up, 1, L->seen[kid], prefix))
				return -1;
			continue;
		}
		if (add_line(L, kid, L->lines[up].depth + 1, up, 0, 0, prefix))
			return -1;
		L->seen[kid] = line;
		/* The continuation for the kid's own branches. */
		L->cont.len = f->cont_len;
		L->cont.data[L->cont.len] = '\0';
		if (pg_buf_adds(&L->cont, last ? CONT_NONE : CONT_MORE))
			return -1;
		if (push(L, kid, line, L->cont.len))
			return -1;
	}
	return 0;
}

static int pad(pg_buf *b, size_t n)
{
	while (n--)
		if (pg_buf_addc(b, ' '))
			return -1;
	return 0;
}

/* Aligns the columns into each line's text. */
static int finish_text(struct lay *L)
{
	size_t w1 = 0, w2 = 0, w3 = 0;

	for (size_t i = 0; i < L->n; i++) {
		if (L->cols[i].w1 > w1)
			w1 = L->cols[i].w1;
		if (L->cols[i].c3 && L->cols[i].w2 > w2)
			w2 = L->cols[i].w2;
		if (L->cols[i].c4 && L->cols[i].w3 > w3)
			w3 = L->cols[i].w3;
	}
	for (size_t i = 0; i < L->n; i++) {
		struct cols *c = &L->cols[i];
		pg_buf b;

		pg_buf_init(&b, SIZE_MAX);
		if (pg_buf_adds(&b, c->c1) || pad(&b, w1 - c->w1 + 2) || pg_buf_adds(&b, c->c2) ||
		    (c->c3 && (pad(&b, w2 - c->w2 + 2) || pg_buf_adds(&b, c->c3))) ||
		    (c->c4 && (pad(&b, w3 - c->w3 + 2) || pg_buf_adds(&b, c->c4))) ||
		    !(L->lines[i].text = pg_buf_steal(&b, NULL))) {
			pg_buf_free(&b);
			return -1;
		}
	}
	return 0;
}

pg_code pg_lin_layout(const pg_lin_graph *g, pg_lin_dir dir, pg_lin_lines *out, pg_error *err)
{
	struct lay L;
	pg_code rc = PG_OK;

	out->lines = NULL;
	out->n = 0;
	if (!g || g->root >= g->nnodes)
		return PG_OK;
	memset(&L, 0, sizeof L);
	L.g = g;
	pg_buf_init(&L.cont, SIZE_MAX);
	L.seen = malloc(g->nnodes * sizeof *L.seen);
	if (!L.seen || pg_buf_adds(&L.cont, "") || build_adjacency(&L, dir)) {
		rc = pg_err(err, PG_IO_MEMORY, _("out of memory"));
		goto out;
	}
	for (size_t i = 0; i < g->nnodes; i++)
		L.seen[i] = PG_LIN_NO_LINE;
	if (walk(&L) || finish_text(&L)) {
		rc = pg_err(err, PG_IO_MEMORY, _("out of memory"));
		goto out;
	}
	out->lines = L.lines;
	out->n = L.n;
	L.lines = NULL;
out:
	for (size_t i = 0; i < L.n; i++) {
		if (L.lines) {
			free(L.lines[i].prefix);
			free(L.lines[i].text);
		}
		free(L.cols[i].c1);
		free(L.cols[i].c2);
		free(L.cols[i].c3);
		free(L.cols[i].c4);
	}
	free(L.lines);
	free(L.cols);
	free(L.stack);
	free(L.seen);
	free(L.start);
	free(L.adj);
	pg_buf_free(&L.cont);
	return rc;
}
