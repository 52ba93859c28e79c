/* check_lineage.c — the text layout of lineage graphs (core/lineage.h). */
#include "pg.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkrun.h"
#include "lineage.h"
#include "schema.h"

#define ID(c) "sha256:" c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c \
	c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c

#define P(id, name, version, op, state) { (char *)(id), (char *)(name), (char *)(version), \
	(char *)(op), PG_STATE_##state, 1, 0 }
#define PT(id, name, version, op, state) { (char *)(id), (char *)(name), (char *)(version), \
	(char *)(op), PG_STATE_##state, 1, 1 }
#define MISSING(id) { (char *)(id), NULL, NULL, NULL, -1, 0, 0 }

#define MAX_LINES 12

struct layout_case {
	const char *name;
	pg_lin_node nodes[8];
	size_t nnodes;
	pg_lin_edge edges[12];
	size_t nedges;
	size_t root;
	pg_lin_dir dir;
	const char *lines[MAX_LINES];  /* NULL-terminated */
};

static const struct layout_case cases[] = {
	{
		/* The sketch of UI.md: two parents, a chain, a missing parent. */
		"sketch",
		{
			P(ID("1"), "skill.math.reasoner", "1.3.0", "distill", EVALUATED),
			P(ID("2"), "skill.math.reasoner", "1.2.0", "quantize", CHAMPION),
			P(ID("3"), "skill.math.reasoner", "1.1.0", "fine-tune", ARCHIVED),
			P(ID("4"), "base.reasoner", "1.1.0", "import", CHAMPION),
			P(ID("5"), "adapter.math", "0.4.2", "adapter-train", APPROVED),
			MISSING("sha256:9c1e4f0a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6"),
		}, 6,
		{ { 0, 1 }, { 0, 4 }, { 1, 2 }, { 2, 3 }, { 4, 5 } }, 5,
		0, PG_LIN_ANCESTORS,
		{
			"● skill.math.reasoner 1.3.0      distill        evaluated",
			"├─● skill.math.reasoner 1.2.0    quantize       champion",
			"│ └─● skill.math.reasoner 1.1.0  fine-tune      archived",
			"│   └─● base.reasoner 1.1.0      import         champion",
			"└─● adapter.math 0.4.2           adapter-train  approved",
			"  └─✗ sha256:9c1e4f0a2b3c…       (not in registry)",
			NULL
		}
	},
	{
		/* A plain chain. */
		"chain",
		{
			P(ID("a"), "skill.x", "1.2.0", "distill", EVALUATED),
			P(ID("b"), "skill.x", "1.1.0", "fine-tune", ARCHIVED),
			P(ID("c"), "base.x", "1.0.0", "import", CHAMPION),
		}, 3,
		{ { 0, 1 }, { 1, 2 } }, 2,
		0, PG_LIN_ANCESTORS,
		{
			"● skill.x 1.2.0     distill    evaluated",
			"└─● skill.x 1.1.0   fine-tune  archived",
			"  └─● base.x 1.0.0  import     champion",
			NULL
		}
	},
	{
		/* A merge of three parents. */
		"merge",
		{
			P(ID("a"), "merged", "2.0.0", "merge", CANDIDATE),
			P(ID("b"), "left", "1.0.0", "import", APPROVED),
			P(ID("c"), "middle", "1.0.0", "import", APPROVED),
			P(ID("d"), "right", "1.0.0", "import", SHADOW),
		}, 4,
		{ { 0, 1 }, { 0, 2 }, { 0, 3 } }, 3,
		0, PG_LIN_ANCESTORS,
		{
			"● merged 2.0.0    merge   candidate",
			"├─● left 1.0.0    import  approved",
			"├─● middle 1.0.0  import  approved",
			"└─● right 1.0.0   import  shadow",
			NULL
		}
	},
	{
		/* A diamond: the shared ancestor in full once, then a back-reference. */
		"diamond",
		{
			P(ID("a"), "top", "1.0.0", "merge", CANDIDATE),
			P(ID("b"), "left", "1.0.0", "fine-tune", APPROVED),
			P(ID("c"), "right", "1.0.0", "distill", APPROVED),
			P(ID("d"), "base", "1.0.0", "import", CHAMPION),
			P(ID("e"), "root", "0.1.0", "import", ARCHIVED),
		}, 5,
		{ { 0, 1 }, { 0, 2 }, { 1, 3 }, { 2, 3 }, { 3, 4 } }, 5,
		0, PG_LIN_ANCESTORS,
		{
			"● top 1.0.0         merge      candidate",
			"├─● left 1.0.0      fine-tune  approved",
			"│ └─● base 1.0.0    import     champion",
			"│   └─● root 0.1.0  import     archived",
			"└─● right 1.0.0     distill    approved",
			"  └─↑ base 1.0.0    (shown above)",
			NULL
		}
	},
	{
		/* Missing parents of a merge, one of them named twice. */
		"missing",
		{
			P(ID("a"), "m", "1.0.0", "merge", CANDIDATE),
			MISSING(ID("b")),
			MISSING(ID("c")),
		}, 3,
		{ { 0, 1 }, { 0, 2 } }, 2,
		0, PG_LIN_ANCESTORS,
		{
			"● m 1.0.0                 merge  candidate",
			"├─✗ sha256:bbbbbbbbbbbb…  (not in registry)",
			"└─✗ sha256:cccccccccccc…  (not in registry)",
			NULL
		}
	},
	{
		/* Descendants of a quarantined pack: every one is tainted. */
		"tainted_descendants",
		{
			P(ID("q"), "base", "1.0.0", "import", QUARANTINED),
			PT(ID("x"), "skill.a", "1.0.0", "fine-tune", APPROVED),
			PT(ID("y"), "skill.b", "1.0.0", "distill", CANDIDATE),
			PT(ID("z"), "skill.a", "1.1.0", "quantize", CANARY),
		}, 4,
		/* child -> parent */
		{ { 1, 0 }, { 2, 0 }, { 3, 1 } }, 3,
		0, PG_LIN_DESCENDANTS,
		{
			"● base 1.0.0         import     quarantined",
			"├─● skill.a 1.0.0    fine-tune  approved   ⚠ tainted",
			"│ └─● skill.a 1.1.0  quantize   canary     ⚠ tainted",
			"└─● skill.b 1.0.0    distill    candidate  ⚠ tainted",
			NULL
		}
	},
	{
		/* Ancestors with a quarantined grandparent: the taint shows on
		 * the root and the parent, the quarantined one says so. */
		"tainted_ancestors",
		{
			PT(ID("a"), "skill.a", "1.1.0", "quantize", CANDIDATE),
			PT(ID("b"), "skill.a", "1.0.0", "fine-tune", APPROVED),
			P(ID("c"), "base", "1.0.0", "import", QUARANTINED),
		}, 3,
		{ { 0, 1 }, { 1, 2 } }, 2,
		0, PG_LIN_ANCESTORS,
		{
			"● skill.a 1.1.0    quantize   candidate  ⚠ tainted",
			"└─● skill.a 1.0.0  fine-tune  approved   ⚠ tainted",
			"  └─● base 1.0.0   import     quarantined",
			NULL
		}
	},
	{
		/* Descendants of a diamond's base: the merge child reached twice. */
		"descendants_diamond",
		{
			P(ID("d"), "base", "1.0.0", "import", CHAMPION),
			P(ID("b"), "left", "1.0.0", "fine-tune", APPROVED),
			P(ID("c"), "right", "1.0.0", "distill", APPROVED),
			P(ID("a"), "top", "1.0.0", "merge", CANDIDATE),
		}, 4,
		{ { 1, 0 }, { 2, 0 }, { 3, 1 }, { 3, 2 } }, 4,
		0, PG_LIN_DESCENDANTS,
		{
			"● base 1.0.0     import     champion",
			"├─● left 1.0.0   fine-tune  approved",
			"│ └─● top 1.0.0  merge      candidate",
			"└─● right 1.0.0  distill    approved",
			"  └─↑ top 1.0.0  (shown above)",
			NULL
		}
	},
	{
		/* A cycle (only an edited database could hold one) ends. */
		"cycle",
		{
			P(ID("a"), "a", "1.0.0", "fine-tune", CANDIDATE),
			P(ID("b"), "b", "1.0.0", "fine-tune", CANDIDATE),
		}, 2,
		{ { 0, 1 }, { 1, 0 } }, 2,
		0, PG_LIN_ANCESTORS,
		{
			"● a 1.0.0      fine-tune  candidate",
			"└─● b 1.0.0    fine-tune  candidate",
			"  └─↑ a 1.0.0  (shown above)",
			NULL
		}
	},
	{
		/* Untrusted text is escaped; out-of-range edges are ignored. */
		"escape",
		{
			P(ID("a"), "evil\x1b[31m", "1.0.0", "op\xe2\x80\xaeX", CANDIDATE),
		}, 1,
		{ { 0, 5 }, { 7, 0 } }, 2,
		0, PG_LIN_ANCESTORS,
		{
			"● evil^[[31m 1.0.0  op<U+202E>X  candidate",
			NULL
		}
	},
};

static pg_lin_graph graph_of(const struct layout_case *c)
{
	pg_lin_graph g;

	g.nodes = (pg_lin_node *)c->nodes;
	g.nnodes = c->nnodes;
	g.edges = (pg_lin_edge *)c->edges;
	g.nedges = c->nedges;
	g.root = c->root;
	return g;
}

START_TEST(test_layout_text)
{
	const struct layout_case *c = &cases[_i];
	pg_lin_graph g = graph_of(c);
	pg_lin_lines out;
	pg_error err;
	size_t want = 0;

	pg_error_clear(&err);
	ck_assert_int_eq(pg_lin_layout(&g, c->dir, &out, &err), PG_OK);
	while (c->lines[want])
		want++;
	for (size_t i = 0; i < out.n && i < want; i++)
		ck_assert_msg(strcmp(out.lines[i].text, c->lines[i]) == 0,
		              "%s line %zu:\n got  [%s]\n want [%s]", c->name, i, out.lines[i].text, c->lines[i]);
	ck_assert_msg(out.n == want, "%s: %zu lines, want %zu", c->name, out.n, want);
	pg_lin_lines_free(&out);
	ck_assert_ptr_null(out.lines);
	ck_assert_uint_eq(out.n, 0);
}
END_TEST

/* The layout as data: depth, tree parent, prefix, back-references. */
START_TEST(test_layout_data)
{
	const struct layout_case *c = &cases[3]; /* diamond */
	pg_lin_graph g = graph_of(c);
	pg_lin_lines out;
	pg_error err;
	static const struct {
		size_t node;
		unsigned depth;
		size_t up;
		int back_ref;
		size_t full;
		const char *prefix;
	} want[] = {
		{ 0, 0, PG_LIN_NO_LINE, 0, 0, "" },
		{ 1, 1, 0, 0, 1, "├─" },
		{ 3, 2, 1, 0, 2, "│ └─" },
		{ 4, 3, 2, 0, 3, "│   └─" },
		{ 2, 1, 0, 0, 4, "└─" },
		{ 3, 2, 4, 1, 2, "  └─" },
	};

	ck_assert_str_eq(c->name, "diamond");
	ck_assert_int_eq(pg_lin_layout(&g, c->dir, &out, &err), PG_OK);
	ck_assert_uint_eq(out.n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < out.n; i++) {
		ck_assert_uint_eq(out.lines[i].node, want[i].node);
		ck_assert_uint_eq(out.lines[i].depth, want[i].depth);
		ck_assert_uint_eq(out.lines[i].up, want[i].up);
		ck_assert_int_eq(out.lines[i].back_ref, want[i].back_ref);
		ck_assert_uint_eq(out.lines[i].full, want[i].full);
		ck_assert_str_eq(out.lines[i].prefix, want[i].prefix);
	}
	pg_lin_lines_free(&out);
}
END_TEST

/* A root out of range gives no lines; so does an empty graph. */
START_TEST(test_layout_empty)
{
	pg_lin_node n = P(ID("a"), "a", "1.0.0", "import", CANDIDATE);
	pg_lin_graph g = { &n, 1, NULL, 0, 1 };
	pg_lin_graph empty = { NULL, 0, NULL, 0, 0 };
	pg_lin_lines out;
	pg_error err;

	ck_assert_int_eq(pg_lin_layout(&g, PG_LIN_ANCESTORS, &out, &err), PG_OK);
	ck_assert_uint_eq(out.n, 0);
	ck_assert_int_eq(pg_lin_layout(&empty, PG_LIN_DESCENDANTS, &out, &err), PG_OK);
	ck_assert_uint_eq(out.n, 0);
	g.root = 0;
	ck_assert_int_eq(pg_lin_layout(&g, PG_LIN_ANCESTORS, &out, &err), PG_OK);
	ck_assert_uint_eq(out.n, 1);
	ck_assert_str_eq(out.lines[0].text, "● a 1.0.0  import  candidate");
	pg_lin_lines_free(&out);
}
END_TEST

/* A chain of 3,000 generations: no recursion, every line in place. */
START_TEST(test_layout_deep_chain)
{
	enum { N = 3000 };
	pg_lin_node *nodes = calloc(N, sizeof *nodes);
	pg_lin_edge *edges = calloc(N, sizeof *edges);
	char (*names)[16] = calloc(N, sizeof *names);
	pg_lin_graph g;
	pg_lin_lines out;
	pg_error err;
	char want[64];

	ck_assert_ptr_nonnull(nodes);
	ck_assert_ptr_nonnull(edges);
	ck_assert_ptr_nonnull(names);
	for (size_t i = 0; i < N; i++) {
		snprintf(names[i], sizeof names[i], "g%zu", i);
		nodes[i].id = names[i];
		nodes[i].name = names[i];
		nodes[i].version = (char *)"1.0.0";
		nodes[i].operator = (char *)"fine-tune";
		nodes[i].state = PG_STATE_APPROVED;
		nodes[i].present = 1;
		if (i + 1 < N) {
			edges[i].child = i;
			edges[i].parent = i + 1;
		}
	}
	g.nodes = nodes;
	g.nnodes = N;
	g.edges = edges;
	g.nedges = N - 1;
	g.root = 0;
	ck_assert_int_eq(pg_lin_layout(&g, PG_LIN_ANCESTORS, &out, &err), PG_OK);
	ck_assert_uint_eq(out.n, N);
	ck_assert_uint_eq(out.lines[N - 1].depth, N - 1);
	ck_assert_uint_eq(out.lines[N - 1].node, N - 1);
	ck_assert_uint_eq(out.lines[N - 1].up, N - 2);
	/* (N - 2) continuation columns of two spaces, then the branch. */
	ck_assert_uint_eq(strlen(out.lines[N - 1].prefix), 2 * (N - 2) + strlen("└─"));
	snprintf(want, sizeof want, "└─● g%d 1.0.0", N - 1);
	ck_assert_ptr_nonnull(strstr(out.lines[N - 1].text, want));
	pg_lin_lines_free(&out);
	/* The other way round from the last one. */
	g.root = N - 1;
	ck_assert_int_eq(pg_lin_layout(&g, PG_LIN_DESCENDANTS, &out, &err), PG_OK);
	ck_assert_uint_eq(out.n, N);
	ck_assert_uint_eq(out.lines[N - 1].node, 0);
	pg_lin_lines_free(&out);
	free(nodes);
	free(edges);
	free(names);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lineage");
	TCase *tc = tcase_create("layout");

	tcase_add_loop_test(tc, test_layout_text, 0, (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tc, test_layout_data);
	tcase_add_test(tc, test_layout_empty);
	tcase_add_test(tc, test_layout_deep_chain);
	suite_add_tcase(s, tc);
	return pg_check_run(s);
}
