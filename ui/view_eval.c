/* view_eval.c — the pack view's Evaluation tab: the card's metrics with
 * confidence-interval bars, the champion comparison (a difference is
 * called only when the intervals do not overlap), slices with the worst
 * marked, calibration (ECE and a reliability chart), latency histogram,
 * safety tests, and the failed cases, first-class: Enter expands one, /
 * filters them as you type. */
#include "tui_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "escape.h"
#include "model.h"

struct eval {
	tui_pack *P;
	int has_card;
	tm_card c;
	char *champ_label;       /* "NAME VERSION" or "sha256:…" (escaped) */
	unsigned char *open;     /* failed cases expanded */
	char filter[256];        /* failed-case search */
	size_t shown;            /* failed cases matching the filter */
};

static const char *const blocks[8] = {
	"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
};

static const char *block_of(double v)
{
	int i = (int)lround(v * 7.0);

	if (!(v >= 0))
		i = 0;
	if (i > 7)
		i = 7;
	if (i < 0)
		i = 0;
	return blocks[i];
}

static void heading(tui_text *x, const char *text)
{
	tui_line *l;

	tl_new(x);
	l = tl_new(x);
	tl_add(x, l, TC_HEADER, text);
}

/* The CI bar: lo ├──●──┤ hi in exactly bw columns for the bar part. */
static void ci_bar(tui_text *x, tui_line *l, const tm_metric *m, int bw, int nw, tui_color c)
{
	char lo[32], hi[32], bar[512];
	int dot;

	if (!m->has_ci) {
		tl_addw(x, l, TC_DIM, _("no CI"), nw + 1 + bw + 1 + nw, 0);
		return;
	}
	tm_num(m->lo, lo, sizeof lo);
	tm_num(m->hi, hi, sizeof hi);
	dot = m->hi > m->lo ? (int)lround((m->value - m->lo) / (m->hi - m->lo) * (bw - 3)) + 1
	                    : bw / 2;
	if (dot < 1)
		dot = 1;
	if (dot > bw - 2)
		dot = bw - 2;
	bar[0] = '\0';
	for (int i = 0; i < bw; i++)
		strcat(bar, i == 0 ? "\xe2\x94\x9c" : i == bw - 1 ? "\xe2\x94\xa4"
		            : i == dot ? "\xe2\x97\x8f" : "\xe2\x94\x80");
	tl_addw(x, l, TC_NORMAL, lo, nw, 1);
	tl_add(x, l, TC_NORMAL, " ");
	tl_add(x, l, c, bar);
	tl_add(x, l, TC_NORMAL, " ");
	tl_addw(x, l, TC_NORMAL, hi, nw, 0);
}

static void build_header(tui *t, struct eval *E, tui_text *x, int w)
{
	tui_line *l;
	char buf[600], age[16];

	l = tl_new(x);
	tl_add(x, l, TC_LABEL, _(" Evaluation  "));
	tl_add(x, l, TC_NORMAL, E->c.id);
	tl_wrap(x, TC_LABEL, _(" suites"), 14, TC_NORMAL, E->c.suites_label, w);
	if (E->c.environment[0])
		tl_wrap(x, TC_LABEL, _(" environment"), 14, TC_NORMAL, E->c.environment, w);
	tui_age(t, E->c.created_at, age, sizeof age);
	/* TRANSLATORS: a timestamp and how long ago it was ("3d") */
	snprintf(buf, sizeof buf, _("%s  (%s ago)"), E->c.created_at, age);
	tl_wrap(x, TC_LABEL, _(" created"), 14, TC_NORMAL, buf, w);
	tl_wrap(x, TC_LABEL, _(" vs champion"), 14, E->c.has_champion ? TC_NORMAL : TC_DIM,
	        E->c.has_champion ? E->champ_label : _("no champion block in the card"), w);
}

static void build_metrics(struct eval *E, tui_text *x, int w)
{
	int wide = w >= 120;
	int mw = wide ? 24 : 14, vw = wide ? 10 : 7, nw = wide ? 7 : 6, bw = wide ? 21 : 11;
	int cw = wide ? 10 : 7, dw = wide ? 9 : 7;
	int multi = 0;
	tui_line *l;

	for (size_t i = 1; i < E->c.nm; i++)
		multi |= strcmp(E->c.m[i].suite, E->c.m[0].suite) != 0;
	tl_new(x);
	l = tl_new(x);
	tl_add(x, l, TC_HEADER, " ");
	tl_addw(x, l, TC_HEADER, _("METRIC"), mw, 0);
	tl_add(x, l, TC_HEADER, " ");
	tl_addw(x, l, TC_HEADER, wide ? _("CANDIDATE") : _("SCORE"), vw, 1);
	tl_add(x, l, TC_HEADER, " ");
	{
		char ci[64];
		int cw2 = nw + 1 + bw + 1 + nw, pad;

		/* centred over the bars */
		/* xgettext:no-c-format */
		snprintf(ci, sizeof ci, "%s", _("95% CI"));
		pad = (cw2 - (int)tui_width(ci)) / 2;
		tl_addw(x, l, TC_HEADER, "", pad > 0 ? pad : 0, 0);
		tl_addw(x, l, TC_HEADER, ci, cw2 - (pad > 0 ? pad : 0), 0);
	}
	tl_add(x, l, TC_HEADER, " ");
	tl_addw(x, l, TC_HEADER, wide ? _("CHAMPION") : _("CHAMP"), cw, 1);
	tl_add(x, l, TC_HEADER, " ");
	tl_addw(x, l, TC_HEADER, "\xce\x94", dw, 1);
	tl_add(x, l, TC_HEADER, " ");
	tl_addw(x, l, TC_HEADER, _("VERDICT"), 10, 0);
	if (!E->c.nm) {
		l = tl_new(x);
		tl_add(x, l, TC_DIM, _("  no metrics"));
	}
	for (size_t i = 0; i < E->c.nm; i++) {
		const tm_metric *m = &E->c.m[i], *ch = tm_card_champion(&E->c, m);
		pg_card_verdict vd = tm_compare(m, ch);
		tui_color vc = vd == PG_CARD_BETTER ? TC_IMPROVEMENT : vd == PG_CARD_WORSE ? TC_REGRESSION : TC_NORMAL;
		char name[300], val[32], cv[32], dv[40], conf[16] = "";

		l = tl_new(x);
		if (multi)
			snprintf(name, sizeof name, "%s\xc2\xb7%s", m->suite, m->name);
		else
			snprintf(name, sizeof name, "%s", m->name);
		if (i == E->c.headline)
			strcat(name, " *");
		tm_num(m->value, val, sizeof val);
		tl_add(x, l, TC_NORMAL, " ");
		tl_addw(x, l, TC_NORMAL, name, mw, 0);
		tl_add(x, l, TC_NORMAL, " ");
		tl_addw(x, l, vc, val, vw, 1);
		tl_add(x, l, TC_NORMAL, " ");
		ci_bar(x, l, m, bw, nw, vc == TC_NORMAL ? TC_BAR : vc);
		tl_add(x, l, TC_NORMAL, " ");
		if (ch) {
			tm_num(ch->value, cv, sizeof cv);
			tm_delta(m->value - ch->value, dv, sizeof dv);
		} else {
			snprintf(cv, sizeof cv, "\xe2\x80\x94");
			dv[0] = '\0';
		}
		tl_addw(x, l, ch ? TC_NORMAL : TC_DIM, cv, cw, 1);
		tl_add(x, l, TC_NORMAL, " ");
		tl_addw(x, l, vc, dv, dw, 1);
		tl_add(x, l, TC_NORMAL, " ");
		switch (vd) {
		case PG_CARD_BETTER:
			tl_add(x, l, vc, wide ? _("\xe2\x96\xb2 CI clear") : _("\xe2\x96\xb2 clear"));
			break;
		case PG_CARD_WORSE:
			tl_add(x, l, vc, wide ? _("\xe2\x96\xbc CI clear") : _("\xe2\x96\xbc clear"));
			break;
		case PG_CARD_OVERLAP:
			tl_add(x, l, TC_OVERLAP, _("overlaps"));
			break;
		case PG_CARD_NO_CI:
			tl_add(x, l, TC_DIM, _("no CI"));
			break;
		default:
			break;
		}
		/* on a wide screen: the champion's interval, confidence and n */
		if (wide) {
			if (ch && ch->has_ci) {
				char a[32], b[32];

				tm_num(ch->lo, a, sizeof a);
				tm_num(ch->hi, b, sizeof b);
				tl_addf(x, l, TC_DIM, "  %s [%s, %s]", _("champion CI"), a, b);
			}
			if (m->confidence > 0)
				snprintf(conf, sizeof conf, "%.0f%%", m->confidence * 100);
			if (conf[0])
				tl_addf(x, l, TC_DIM, "  %s", conf);
			if (m->has_n)
				tl_addf(x, l, TC_DIM, "  n=%llu", (unsigned long long)m->n);
		}
	}
	if (E->c.nm && E->c.headline < E->c.nm)
		tl_wrap(x, TC_DIM, "  *", 4, TC_DIM, _("headline metric; a difference is called only "
		                                          "when the confidence intervals do not overlap"), w);
}

static void build_slices(struct eval *E, tui_text *x)
{
	tui_line *l;

	if (!E->c.nslices)
		return;
	heading(x, _(" Slices"));
	for (size_t i = 0; i < E->c.nslices; i++) {
		const tm_slice *s = &E->c.slices[i];

		for (size_t j = 0; j < s->nm; j++) {
			const tm_metric *m = &s->m[j];
			char label[300], val[32];

			l = tl_new(x);
			snprintf(label, sizeof label, "%s \xc2\xb7 %s", s->suite, s->name);
			tm_num(m->value, val, sizeof val);
			tl_add(x, l, TC_NORMAL, "   ");
			tl_addw(x, l, m->worst ? TC_WORST : TC_NORMAL, label, 28, 0);
			tl_add(x, l, TC_NORMAL, " ");
			tl_addw(x, l, TC_NORMAL, m->name, 14, 0);
			tl_add(x, l, TC_NORMAL, " ");
			tl_addw(x, l, m->worst ? TC_WORST : TC_NORMAL, val, 7, 1);
			if (m->has_ci) {
				char a[32], b[32];

				tm_num(m->lo, a, sizeof a);
				tm_num(m->hi, b, sizeof b);
				tl_addf(x, l, TC_DIM, " [%s, %s]", a, b);
			}
			if (m->has_n)
				tl_addf(x, l, TC_DIM, "  n=%llu", (unsigned long long)m->n);
			if (m->worst)
				tl_add(x, l, TC_WORST, _("  \xe2\x96\xbc worst"));
		}
	}
}

static void build_calibration(struct eval *E, tui_text *x)
{
	tui_line *l;
	double ece = pg_card_ece(E->c.bins, E->c.nbins);
	uint64_t total = 0;

	if (!E->c.nbins)
		return;
	for (size_t i = 0; i < E->c.nbins; i++)
		total += E->c.bins[i].count;
	heading(x, _(" Calibration"));
	l = tl_new(x);
	tl_add(x, l, TC_NORMAL, "   ECE ");
	if (ece >= 0)
		tl_addf(x, l, ece > 0.1 ? TC_REGRESSION : TC_NORMAL, "%.3f", ece);
	else
		tl_add(x, l, TC_DIM, "?");
	tl_addf(x, l, TC_DIM, "   %zu %s, n=%llu", E->c.nbins, _("bins"), (unsigned long long)total);
	l = tl_new(x);
	tl_addw(x, l, TC_NORMAL, _("   reliability"), 15, 0);
	for (size_t i = 0; i < E->c.nbins && i < 64; i++)
		tl_add(x, l, fabs(E->c.bins[i].accuracy - E->c.bins[i].confidence) > 0.1 ? TC_REGRESSION : TC_BAR,
		       block_of(E->c.bins[i].accuracy));
	tl_add(x, l, TC_DIM, _("  accuracy per bin"));
	l = tl_new(x);
	tl_addw(x, l, TC_NORMAL, _("   ideal"), 15, 0);
	for (size_t i = 0; i < E->c.nbins && i < 64; i++)
		tl_add(x, l, TC_DIM, block_of(E->c.bins[i].confidence));
	tl_add(x, l, TC_DIM, _("  the diagonal: accuracy = confidence"));
}

static void build_latency(struct eval *E, tui_text *x, int w)
{
	tui_line *l;
	uint64_t max = 0;
	int bw = w - 34;

	if (!E->c.has_p50 && !E->c.has_p95 && !E->c.has_p99 && !E->c.nhist)
		return;
	if (bw > 40)
		bw = 40;
	if (bw < 5)
		bw = 5;
	heading(x, _(" Latency"));
	l = tl_new(x);
	tl_add(x, l, TC_NORMAL, "   ");
	if (E->c.has_p50)
		tl_addf(x, l, TC_NORMAL, "p50 %.0f ms   ", E->c.p50);
	if (E->c.has_p95)
		tl_addf(x, l, TC_NORMAL, "p95 %.0f ms   ", E->c.p95);
	if (E->c.has_p99)
		tl_addf(x, l, TC_NORMAL, "p99 %.0f ms", E->c.p99);
	for (size_t i = 0; i < E->c.nhist; i++)
		if (E->c.hist[i].count > max)
			max = E->c.hist[i].count;
	for (size_t i = 0; i < E->c.nhist; i++) {
		char le[40], bar[400] = "";
		int n = max ? (int)lround((double)E->c.hist[i].count / (double)max * bw) : 0;

		if (n == 0 && E->c.hist[i].count)
			n = 1;
		for (int k = 0; k < n; k++)
			strcat(bar, "\xe2\x96\x88");
		snprintf(le, sizeof le, "\xe2\x89\xa4 %.0f ms", E->c.hist[i].le);
		l = tl_new(x);
		tl_add(x, l, TC_NORMAL, "   ");
		tl_addw(x, l, TC_NORMAL, le, 12, 1);
		tl_add(x, l, TC_NORMAL, " ");
		tl_add(x, l, TC_BAR, bar);
		tl_addf(x, l, TC_DIM, " %llu", (unsigned long long)E->c.hist[i].count);
	}
}

static void build_safety(struct eval *E, tui_text *x)
{
	tui_line *l;

	if (!E->c.nsafety)
		return;
	heading(x, _(" Safety"));
	for (size_t i = 0; i < E->c.nsafety; i++) {
		const tm_safety *s = &E->c.safety[i];

		l = tl_new(x);
		tl_add(x, l, TC_NORMAL, "   ");
		tl_add(x, l, s->passed ? TC_CHECK_PASS : TC_CHECK_FAIL, s->passed ? "\xe2\x9c\x93 " : "\xe2\x9c\x97 ");
		tl_addw(x, l, s->passed ? TC_NORMAL : TC_CHECK_FAIL, s->test, 28, 0);
		if (s->has_score)
			tl_addf(x, l, TC_DIM, " %.3f", s->score);
		if (!s->passed)
			tl_add(x, l, TC_CHECK_FAIL, _("  failed"));
	}
}

static int case_matches(const tm_case *k, const char *needle)
{
	const char *fields[] = { k->suite, k->id, k->input, k->expected, k->actual, k->reason };
	char *e;
	int m = 0;

	if (!needle[0])
		return 1;
	if (!(e = pg_escape_str(needle)))
		return 0;
	for (size_t f = 0; f < sizeof fields / sizeof fields[0] && !m; f++)
		for (const char *p = fields[f]; *p && !m; p++)
			m = strncasecmp(p, e, strlen(e)) == 0;
	free(e);
	return m;
}

static void build_cases(struct eval *E, tui_text *x, int w)
{
	tui_line *l;
	char buf[300];

	tl_new(x);
	l = tl_new(x);
	snprintf(buf, sizeof buf, _(" Failed cases (%zu)"), E->c.ncases);
	tl_add(x, l, TC_HEADER, buf);
	tl_add(x, l, TC_DIM, _("   Enter to expand \xc2\xb7 / to search"));
	E->shown = 0;
	for (size_t i = 0; i < E->c.ncases; i++)
		E->shown += case_matches(&E->c.cases[i], E->filter);
	if (E->filter[0]) {
		l = tl_new(x);
		tl_addf(x, l, TC_SEARCH, _("   matching \"%s\": %zu of %zu"), E->filter, E->shown,
		        E->c.ncases);
	}
	if (!E->c.ncases) {
		l = tl_new(x);
		tl_add(x, l, TC_DIM, _("   none listed in the card"));
	}
	for (size_t i = 0; i < E->c.ncases; i++) {
		const tm_case *k = &E->c.cases[i];

		if (!case_matches(k, E->filter))
			continue;
		l = tl_new(x);
		if (!l)
			return;
		l->selectable = 1;
		l->data = (long)i;
		tl_add(x, l, TC_DIM, E->open[i] ? " \xe2\x96\xbc " : " \xe2\x80\xba ");
		tl_addw(x, l, TC_NORMAL, k->suite, 10, 0);
		tl_add(x, l, TC_NORMAL, " ");
		tl_addw(x, l, TC_NORMAL, k->id, 12, 0);
		tl_addf(x, l, TC_DIM, "  %s ", _("expected"));
		tl_addf(x, l, TC_NORMAL, "\"%s\"", k->expected);
		tl_addf(x, l, TC_DIM, "  %s ", _("got"));
		tl_addf(x, l, TC_REGRESSION, "\"%s\"", k->actual);
		if (k->reason[0])
			tl_addf(x, l, TC_DIM, "  %s", k->reason);
		if (E->open[i]) {
			tl_wrap(x, TC_LABEL, _("     input"), 16, TC_NORMAL, k->input, w);
			tl_wrap(x, TC_LABEL, _("     expected"), 16, TC_NORMAL, k->expected, w);
			tl_wrap(x, TC_LABEL, _("     got"), 16, TC_REGRESSION, k->actual, w);
			tl_wrap(x, TC_LABEL, _("     reason"), 16, TC_NORMAL, k->reason, w);
		}
	}
}

static void build(tui *t, tui_view *v, int w)
{
	struct eval *E = v->priv;
	tui_text *x = &v->text;
	tui_line *cur = tui_text_current(v);
	int active = cur != NULL;
	long data = cur ? cur->data : 0;

	tl_clear(x);
	x->built_w = w;
	if (!E->has_card) {
		tui_line *l = tl_new(x);

		tl_add(x, l, TC_DIM, _(" The pack's evaluation card could not be read."));
		x->cur = x->n;
		return;
	}
	build_header(t, E, x, w);
	build_metrics(E, x, w);
	build_slices(E, x);
	build_calibration(E, x);
	build_latency(E, x, w);
	build_safety(E, x);
	build_cases(E, x, w);
	tui_text_keep(v, active, data);
	if (x->oom)
		tui_status(t, "io.memory: %s", _("out of memory"));
}

static int eval_open(tui *t, tui_view *v, void *arg)
{
	struct eval *E = calloc(1, sizeof *E);
	pg_reg_pack *cp = NULL;
	pg_error err;
	char label[400];

	if (!E)
		return -1;
	v->priv = E;
	E->P = arg;
	v->text.cur = 0;
	if (E->P->card) {
		if (tm_card_read(E->P->card, 1, &E->c))
			return -1;
		E->has_card = 1;
	}
	E->open = calloc(E->c.ncases ? E->c.ncases : 1, 1);
	if (!E->open)
		return -1;
	if (E->c.has_champion) {
		/* the champion block names a pack id: show it by name when known */
		pg_error_clear(&err);
		if (t->reg && pg_reg_show(t->reg, E->c.champion_id, &cp, &err) == PG_OK)
			snprintf(label, sizeof label, "%s %s (%s)", cp->name, cp->version,
			         pg_state_name(cp->state));
		else
			snprintf(label, sizeof label, "%.19s\xe2\x80\xa6 %s", E->c.champion_id,
			         _("(not in registry)"));
		pg_reg_pack_free(cp);
		if (!(E->champ_label = pg_escape_str(label)))
			return -1;
	}
	return 0;
}

static void eval_draw(tui *t, tui_view *v, const tui_rect *r)
{
	if (v->text.built_w != r->w)
		build(t, v, r->w);
	tui_text_draw(t, v, r);
	{
		struct eval *E = v->priv;
		tui_line *l = tui_text_current(v);

		if (l)
			snprintf(t->info, sizeof t->info, _("case %ld/%zu"), l->data + 1, E->c.ncases);
	}
}

static void filter_changed(tui *t, tui_view *v, const char *text, int done)
{
	struct eval *E = v->priv;

	(void)done;
	if (!strcmp(E->filter, text))
		return;
	snprintf(E->filter, sizeof E->filter, "%s", text);
	tui_text_invalidate(v);
	/* show the first matching case */
	build(t, v, v->text.built_w ? v->text.built_w : COLS);
	for (size_t i = 0; i < v->text.n; i++)
		if (v->text.v[i].selectable) {
			v->text.cur = i;
			break;
		}
}

static tui_req eval_request(tui *t, tui_view *v, tui_req req)
{
	struct eval *E = v->priv;
	tui_line *l = tui_text_current(v);

	switch (req) {
	case REQ_ENTER:
		if (l) {
			E->open[l->data] = !E->open[l->data];
			build(t, v, v->text.built_w ? v->text.built_w : COLS);
			tui_text_reveal(v);
		} else {
			tui_status(t, _("move to a failed case (j) to expand it"));
		}
		return REQ_NONE;
	case REQ_SEARCH:
		if (!E->has_card)
			return REQ_NONE;
		tui_prompt_start(t, v, _("/ failed cases: "), E->filter, filter_changed);
		return REQ_NONE;
	case REQ_SEARCH_NEXT:
		return tui_text_request(t, v, REQ_MOVE_DOWN);
	case REQ_SEARCH_PREV:
		return tui_text_request(t, v, REQ_MOVE_UP);
	case REQ_BACK:
		if (E->filter[0]) {
			E->filter[0] = '\0';
			tui_text_invalidate(v);
			return REQ_NONE;
		}
		return req;
	default:
		return tui_text_request(t, v, req);
	}
}

static void eval_done(tui_view *v)
{
	struct eval *E = v->priv;

	if (E) {
		tm_card_free(&E->c);
		free(E->champ_label);
		free(E->open);
		free(E);
	}
	v->priv = NULL;
}

static const tui_req eval_hints[] = {
	REQ_ENTER, REQ_SEARCH, REQ_NEXT_TAB, REQ_VIEW_LINEAGE, REQ_VIEW_LICENSE, REQ_APPROVE,
	REQ_TRANSITION, REQ_HELP, REQ_QUIT, REQ_NONE,
};

const tui_view_ops tui_eval_ops = {
	.name = N_("Evaluation"),
	.scopes = TUI_SCOPE_PACK,
	.open = eval_open,
	.draw = eval_draw,
	.request = eval_request,
	.select = NULL,
	.done = eval_done,
	.hints = eval_hints,
	.pack = NULL,
};
