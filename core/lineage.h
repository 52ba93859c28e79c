/* lineage.h — lineage graphs and their text layout (UI.md "Lineage graph").
 *
 * A pg_lin_graph is what a lineage query returns: the nodes met (the root
 * included), each present in the registry or not, and the parent edges
 * between them (child -> parent, in the child's parent order).  The graph
 * itself has no direction; pg_lin_layout draws it from the root either
 * towards the ancestors (follow child -> parent) or towards the descendants
 * (follow parent -> child).
 *
 * The layout is pure: no registry, no I/O.  It draws a tree in preorder:
 *
 *   ● skill.math.reasoner 1.3.0    distill        evaluated  ⚠ tainted
 *   ├─● skill.math.reasoner 1.2.0  quantize       champion
 *   │ └─● base.reasoner 1.1.0      import         quarantined
 *   ├─● adapter.math 0.4.2         adapter-train  approved   ⚠ tainted
 *   │ └─↑ base.reasoner 1.1.0      (shown above)
 *   └─✗ sha256:9c1e4f0a2b3c…       (not in registry)
 *
 * Markers: ● a node in the registry, ✗ one that is not (shown by the first
 * 12 hex digits of its id and "…"), ↑ a node already drawn in full above
 * (a diamond or merge reaching it a second time; its subtree is not drawn
 * again, which also ends any cycle).  Columns: tree + "name version", then
 * the operator (or "(not in registry)" / "(shown above)"), then the state,
 * then "⚠ tainted" for a tainted node (the root included: a pack is tainted
 * when an ancestor is quarantined; the quarantined pack itself shows its
 * state).  Columns are separated by at least two spaces and aligned over all
 * lines; lines carry no trailing spaces.
 * Every string taken from the graph is escaped for display (pg_escape).
 */
#ifndef PG_LINEAGE_H
#define PG_LINEAGE_H

#include <stddef.h>
#include "pg.h"

typedef enum pg_lin_dir { PG_LIN_ANCESTORS, PG_LIN_DESCENDANTS } pg_lin_dir;

typedef struct pg_lin_node {
	char *id;        /* "sha256:<hex>" */
	char *name;      /* NULL when not present */
	char *version;   /* NULL when not present */
	char *operator;  /* NULL when not present */
	int state;       /* pg_state (schema.h), or -1 when not present */
	int present;     /* 1 when the registry holds the pack */
	int tainted;     /* 1 when some ancestor (transitively) is quarantined */
} pg_lin_node;

/* child and parent are indices into nodes. */
typedef struct pg_lin_edge {
	size_t child;
	size_t parent;
} pg_lin_edge;

typedef struct pg_lin_graph {
	pg_lin_node *nodes;
	size_t nnodes;
	pg_lin_edge *edges;  /* ordered: the layout draws a node's branches in
	                      * the order its edges appear here */
	size_t nedges;
	size_t root;         /* index of the root node */
} pg_lin_graph;

/* Frees every string of every node and both arrays of a graph whose memory
 * is all heap-owned (as pg_reg_lineage returns it), then zeroes g.  Graphs
 * built by hand over static strings must not be passed here.  g may be
 * NULL. */
void pg_lin_graph_free(pg_lin_graph *g);

#define PG_LIN_NO_LINE ((size_t)-1)

/* One drawn line. */
typedef struct pg_lin_line {
	size_t node;     /* index into the graph's nodes */
	unsigned depth;  /* 0 for the root line */
	size_t up;       /* line index of the tree parent; PG_LIN_NO_LINE for the root */
	int back_ref;    /* 1: the node is drawn in full on an earlier line
	                  * (that line is `full`); its branches are not repeated */
	size_t full;     /* line index where the node is drawn in full */
	char *prefix;    /* tree drawing before the marker ("│ └─"), "" for the
	                  * root; owned */
	char *text;      /* the whole display line; owned */
} pg_lin_line;

typedef struct pg_lin_lines {
	pg_lin_line *lines;
	size_t n;
} pg_lin_lines;

/* Lays out g from g->root in direction dir.  Edges naming an index out of
 * range are ignored; a root out of range gives an empty layout.  Works
 * without recursion, so a chain of any depth is fine.  On success *out
 * holds the lines (free with pg_lin_lines_free).  Codes: io.memory (out is
 * then empty). */
pg_code pg_lin_layout(const pg_lin_graph *g, pg_lin_dir dir, pg_lin_lines *out, pg_error *err);

/* Frees the lines and zeroes l; l may be NULL. */
void pg_lin_lines_free(pg_lin_lines *l);

#endif
