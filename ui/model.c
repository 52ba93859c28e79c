/* model.c — the TUI's data layer without curses (see model.h). */
#include "model.h"
#include "review.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "escape.h"
#include "json.h"
#include "lifecycle.h"
#include "lineage.h"
#include "schema.h"
#include "statement.h"

/* ------------------------------------------------------------ helpers */

static char *esc(const char *s)
{
	return pg_escape_str(s ? s : "");
}

/* A JSON value as display text: strings as they are, anything else as
 * compact JSON; escaped.  NULL v gives "". */
static char *esc_value(const cJSON *v)
{
	char *raw, *r;

	if (!v)
		return esc("");
	if (cJSON_IsString(v))
		return esc(v->valuestring);
	raw = cJSON_PrintUnformatted(v);
	if (!raw)
		return NULL;
	r = esc(raw);
	cJSON_free(raw);
	return r;
}

static int num_of(const cJSON *v, double *out)
{
	if (!cJSON_IsNumber(v))
		return 0;
	*out = v->valuedouble;
	return 1;
}

void tm_num(double v, char *buf, size_t cap)
{
	if (!isfinite(v))
		snprintf(buf, cap, "?");
	else if (fabs(v) >= 100 || (v == floor(v) && fabs(v) < 1e15))
		snprintf(buf, cap, "%.0f", v);
	else
		snprintf(buf, cap, "%.3f", v);
}

void tm_delta(double v, char *buf, size_t cap)
{
	if (!isfinite(v))
		snprintf(buf, cap, "?");
	else if (fabs(v) >= 100 || (v == floor(v) && fabs(v) < 1e15 && v != 0))
		snprintf(buf, cap, "%+.0f", v);
	else
		snprintf(buf, cap, "%+.3f", v);
}

void tm_bytes(uint64_t n, char *buf, size_t cap)
{
	if (n >= 1000000000000ULL)
		snprintf(buf, cap, "%.1f TB", (double)n / 1e12);
	else if (n >= 1000000000ULL)
		snprintf(buf, cap, "%.1f GB", (double)n / 1e9);
	else if (n >= 1000000ULL)
		snprintf(buf, cap, "%.1f MB", (double)n / 1e6);
	else if (n >= 1000ULL)
		snprintf(buf, cap, "%.1f kB", (double)n / 1e3);
	else
		snprintf(buf, cap, "%llu B", (unsigned long long)n);
}

/* ------------------------------------------------------------ card */

static void metric_free(tm_metric *m)
{
	free(m->suite);
	free(m->name);
}

static void metrics_free(tm_metric *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		metric_free(&m[i]);
	free(m);
}

void tm_card_free(tm_card *c)
{
	if (!c)
		return;
	free(c->id);
	free(c->created_at);
	free(c->environment);
	free(c->suites_label);
	metrics_free(c->m, c->nm);
	for (size_t i = 0; i < c->nslices; i++) {
		free(c->slices[i].suite);
		free(c->slices[i].name);
		metrics_free(c->slices[i].m, c->slices[i].nm);
	}
	free(c->slices);
	for (size_t i = 0; i < c->ncases; i++) {
		free(c->cases[i].suite);
		free(c->cases[i].id);
		free(c->cases[i].input);
		free(c->cases[i].expected);
		free(c->cases[i].actual);
		free(c->cases[i].reason);
	}
	free(c->cases);
	free(c->bins);
	free(c->hist);
	for (size_t i = 0; i < c->nsafety; i++)
		free(c->safety[i].test);
	free(c->safety);
	free(c->champion_id);
	metrics_free(c->champ, c->nchamp);
	memset(c, 0, sizeof *c);
}

static int metric_read(const cJSON *jm, const char *suite, tm_metric *m)
{
	const cJSON *ci = pg_json_get(jm, "ci"), *hib = pg_json_get(jm, "higher_is_better");
	double d;

	memset(m, 0, sizeof *m);
	m->higher_is_better = 1;
	m->suite = esc(suite);
	m->name = esc(pg_json_str(pg_json_get(jm, "name")));
	if (!m->suite || !m->name)
		return -1;
	if (!num_of(pg_json_get(jm, "value"), &m->value))
		m->value = NAN;
	if (cJSON_IsArray(ci) && cJSON_GetArraySize(ci) == 2 &&
	    num_of(cJSON_GetArrayItem(ci, 0), &m->lo) && num_of(cJSON_GetArrayItem(ci, 1), &m->hi))
		m->has_ci = 1;
	if (num_of(pg_json_get(jm, "confidence"), &d))
		m->confidence = d;
	if (pg_json_is_uint(pg_json_get(jm, "n"), PG_INT_MAX)) {
		m->has_n = 1;
		m->n = (uint64_t)pg_json_get(jm, "n")->valuedouble;
	}
	if (cJSON_IsBool(hib))
		m->higher_is_better = cJSON_IsTrue(hib);
	return 0;
}

/* Appends the metrics of a JSON metrics array to *v. */
static int metrics_read(const cJSON *arr, const char *suite, tm_metric **v, size_t *n)
{
	size_t k = (size_t)cJSON_GetArraySize(arr), at = *n;
	const cJSON *jm;
	tm_metric *nv;

	if (!cJSON_IsArray(arr) || k == 0)
		return 0;
	nv = realloc(*v, (*n + k) * sizeof *nv);
	if (!nv)
		return -1;
	*v = nv;
	cJSON_ArrayForEach(jm, arr) {
		if (!cJSON_IsObject(jm))
			continue;
		if (metric_read(jm, suite, &nv[at])) {
			metric_free(&nv[at]);
			*n = at;
			return -1;
		}
		at++;
	}
	*n = at;
	return 0;
}

/* Appends "name version" of a suite to the label buffer. */
static int label_add(char **label, const char *name, const char *version)
{
	size_t old = *label ? strlen(*label) : 0;
	size_t add = strlen(name) + (version ? strlen(version) + 1 : 0) + 3;
	char *nl = realloc(*label, old + add);

	if (!nl)
		return -1;
	snprintf(nl + old, add, "%s%s%s%s", old ? ", " : "", name, version ? " " : "",
	         version ? version : "");
	*label = nl;
	return 0;
}

static void mark_worst(tm_card *c)
{
	for (size_t i = 0; i < c->nslices; i++) {
		for (size_t j = 0; j < c->slices[i].nm; j++) {
			tm_metric *m = &c->slices[i].m[j];
			size_t others = 0;
			int worst = 1;

			if (isnan(m->value))
				continue;
			for (size_t k = 0; k < c->nslices && worst; k++) {
				for (size_t l = 0; l < c->slices[k].nm; l++) {
					const tm_metric *o = &c->slices[k].m[l];
					int worse;

					if (o == m || strcmp(o->suite, m->suite) || strcmp(o->name, m->name) ||
					    isnan(o->value))
						continue;
					others++;
					worse = m->higher_is_better ? o->value < m->value : o->value > m->value;
					/* ties: the first slice is the worst */
					if (worse || (o->value == m->value && k < i)) {
						worst = 0;
						break;
					}
				}
			}
			m->worst = worst && others > 0;
		}
	}
}

static int card_full(const cJSON *card, tm_card *c)
{
	const cJSON *suites = pg_json_get(card, "suites"), *s, *x;
	const cJSON *lat = pg_json_get(pg_json_get(card, "costs"), "latency_ms");
	double d;

	/* slices */
	cJSON_ArrayForEach(s, suites) {
		const char *sname = pg_json_str(pg_json_get(s, "name"));

		cJSON_ArrayForEach(x, pg_json_get(s, "slices")) {
			tm_slice *ns = realloc(c->slices, (c->nslices + 1) * sizeof *ns);

			if (!ns)
				return -1;
			c->slices = ns;
			memset(&ns[c->nslices], 0, sizeof *ns);
			c->nslices++;
			ns[c->nslices - 1].suite = esc(sname);
			ns[c->nslices - 1].name = esc(pg_json_str(pg_json_get(x, "name")));
			if (!ns[c->nslices - 1].suite || !ns[c->nslices - 1].name ||
			    metrics_read(pg_json_get(x, "metrics"), sname, &ns[c->nslices - 1].m,
			                 &ns[c->nslices - 1].nm))
				return -1;
		}
	}
	mark_worst(c);
	/* failed cases */
	cJSON_ArrayForEach(x, pg_json_get(card, "failed_cases")) {
		tm_case *nc = realloc(c->cases, (c->ncases + 1) * sizeof *nc), *k;

		if (!nc)
			return -1;
		c->cases = nc;
		k = &nc[c->ncases++];
		memset(k, 0, sizeof *k);
		k->suite = esc_value(pg_json_get(x, "suite"));
		k->id = esc_value(pg_json_get(x, "case"));
		k->input = esc_value(pg_json_get(x, "input"));
		k->expected = esc_value(pg_json_get(x, "expected"));
		k->actual = esc_value(pg_json_get(x, "actual"));
		k->reason = esc_value(pg_json_get(x, "reason"));
		if (!k->suite || !k->id || !k->input || !k->expected || !k->actual || !k->reason)
			return -1;
	}
	/* calibration */
	cJSON_ArrayForEach(x, pg_json_get(pg_json_get(card, "calibration"), "bins")) {
		tm_bin *nb = realloc(c->bins, (c->nbins + 1) * sizeof *nb);

		if (!nb)
			return -1;
		c->bins = nb;
		memset(&nb[c->nbins], 0, sizeof *nb);
		num_of(pg_json_get(x, "confidence"), &nb[c->nbins].confidence);
		num_of(pg_json_get(x, "accuracy"), &nb[c->nbins].accuracy);
		if (num_of(pg_json_get(x, "count"), &d) && d >= 0)
			nb[c->nbins].count = (uint64_t)d;
		c->nbins++;
	}
	/* latency */
	c->has_p50 = num_of(pg_json_get(lat, "p50"), &c->p50);
	c->has_p95 = num_of(pg_json_get(lat, "p95"), &c->p95);
	c->has_p99 = num_of(pg_json_get(lat, "p99"), &c->p99);
	cJSON_ArrayForEach(x, pg_json_get(lat, "histogram")) {
		tm_hist *nh = realloc(c->hist, (c->nhist + 1) * sizeof *nh);

		if (!nh)
			return -1;
		c->hist = nh;
		memset(&nh[c->nhist], 0, sizeof *nh);
		num_of(pg_json_get(x, "le"), &nh[c->nhist].le);
		if (num_of(pg_json_get(x, "count"), &d) && d >= 0)
			nh[c->nhist].count = (uint64_t)d;
		c->nhist++;
	}
	/* safety */
	cJSON_ArrayForEach(x, pg_json_get(card, "safety")) {
		tm_safety *nf = realloc(c->safety, (c->nsafety + 1) * sizeof *nf);

		if (!nf)
			return -1;
		c->safety = nf;
		memset(&nf[c->nsafety], 0, sizeof *nf);
		nf[c->nsafety].test = esc(pg_json_str(pg_json_get(x, "test")));
		nf[c->nsafety].passed = cJSON_IsTrue(pg_json_get(x, "passed"));
		nf[c->nsafety].has_score = num_of(pg_json_get(x, "score"), &nf[c->nsafety].score);
		if (!nf[c->nsafety++].test)
			return -1;
	}
	return 0;
}

int tm_card_read(const cJSON *card, int full, tm_card *c)
{
	const cJSON *suites = pg_json_get(card, "suites"), *s, *head, *hsuite, *champ;
	const char *hs, *hm;

	memset(c, 0, sizeof *c);
	c->id = esc(pg_json_str(pg_json_get(card, "id")));
	c->created_at = esc(pg_json_str(pg_json_get(card, "created_at")));
	c->environment = pg_json_get(card, "environment") ? esc_value(pg_json_get(card, "environment"))
	                                                  : esc("");
	c->suites_label = esc("");
	if (!c->id || !c->created_at || !c->environment || !c->suites_label)
		goto oom;
	cJSON_ArrayForEach(s, suites) {
		const char *sname = pg_json_str(pg_json_get(s, "name"));
		char *e1 = esc(sname), *e2 = esc(pg_json_str(pg_json_get(s, "version")));
		int bad = !e1 || !e2 || label_add(&c->suites_label, e1, e2);

		free(e1);
		free(e2);
		if (bad || metrics_read(pg_json_get(s, "metrics"), sname, &c->m, &c->nm))
			goto oom;
	}
	/* the headline (pg_card_headline), found among the metrics read */
	c->headline = 0;
	head = pg_card_headline(card, &hsuite);
	hs = pg_json_str(pg_json_get(hsuite, "name"));
	hm = pg_json_str(pg_json_get(head, "name"));
	if (hs && hm) {
		char *es = esc(hs), *em = esc(hm);

		if (!es || !em) {
			free(es);
			free(em);
			goto oom;
		}
		for (size_t i = 0; i < c->nm; i++)
			if (!strcmp(c->m[i].suite, es) && !strcmp(c->m[i].name, em)) {
				c->headline = i;
				break;
			}
		free(es);
		free(em);
	}
	champ = pg_json_get(card, "champion");
	if (cJSON_IsObject(champ)) {
		c->has_champion = 1;
		if (!(c->champion_id = esc(pg_json_str(pg_json_get(champ, "id")))))
			goto oom;
		cJSON_ArrayForEach(s, pg_json_get(champ, "suites"))
			if (metrics_read(pg_json_get(s, "metrics"), pg_json_str(pg_json_get(s, "name")),
			                 &c->champ, &c->nchamp))
				goto oom;
	}
	if (full && card_full(card, c))
		goto oom;
	return 0;
oom:
	tm_card_free(c);
	return -1;
}

const tm_metric *tm_card_champion(const tm_card *c, const tm_metric *m)
{
	for (size_t i = 0; m && i < c->nchamp; i++)
		if (!strcmp(c->champ[i].suite, m->suite) && !strcmp(c->champ[i].name, m->name))
			return &c->champ[i];
	return NULL;
}

pg_card_verdict tm_compare(const tm_metric *m, const tm_metric *ch)
{
	pg_card_value a = { m->value, m->has_ci, m->lo, m->hi, m->higher_is_better }, b;

	if (!ch)
		return pg_card_compare(&a, NULL);
	b = (pg_card_value){ ch->value, ch->has_ci, ch->lo, ch->hi, ch->higher_is_better };
	return pg_card_compare(&a, &b);
}

/* ------------------------------------------------------------ approvals */

static const pg_state ladder[] = {
	PG_STATE_CANDIDATE, PG_STATE_EVALUATED, PG_STATE_APPROVED,
	PG_STATE_SHADOW, PG_STATE_CANARY, PG_STATE_CHAMPION,
};

void tm_approvals(const pg_policy *policy, pg_state st, const pg_reg_approval_row *rows, size_t n,
                  char *buf, size_t cap, int *target_out)
{
	const pg_policy_rule *pick = NULL;
	pg_approval *list = NULL;
	size_t nl = 0, at = sizeof ladder / sizeof ladder[0];

	if (target_out)
		*target_out = -1;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof ladder / sizeof ladder[0]; i++)
		if (ladder[i] == st)
			at = i;
	/* the nearest rule up the ladder that needs approvals (from this
	 * state or a later one), else the first rule from this state */
	for (size_t f = at; policy && !pick && f < sizeof ladder / sizeof ladder[0]; f++)
		for (size_t i = f + 1; !pick && i < sizeof ladder / sizeof ladder[0]; i++) {
			const pg_policy_rule *r = pg_policy_rule_find(policy, ladder[f], ladder[i]);

			if (r && r->approvals > 0)
				pick = r;
		}
	for (size_t i = at + 1; policy && !pick && i < sizeof ladder / sizeof ladder[0]; i++)
		pick = pg_policy_rule_find(policy, st, ladder[i]);
	if (n)
		list = calloc(n, sizeof *list);
	if (n && !list)
		return;
	for (size_t i = 0; i < n; i++) {
		int tg = pg_state_parse(rows[i].target);

		if (tg < 0 || !rows[i].signer || !rows[i].decision)
			continue;
		list[nl].signer = rows[i].signer;
		list[nl].decision = strcmp(rows[i].decision, "reject") ? PG_DECISION_APPROVE
		                                                     : PG_DECISION_REJECT;
		list[nl].target = (pg_state)tg;
		nl++;
	}
	if (pick && policy) {
		pg_tally tally;

		pg_lifecycle_tally(policy, list, nl, pick->to, &tally, NULL);
		if (pick->approvals)
			snprintf(buf, cap, "%zu/%llu%s", tally.approvals,
			         (unsigned long long)pick->approvals, tally.rejections ? "\xe2\x9c\x97" : "");
		else if (tally.approvals || tally.rejections)
			snprintf(buf, cap, "%zu%s", tally.approvals, tally.rejections ? "\xe2\x9c\x97" : "");
		if (target_out)
			*target_out = (int)pick->to;
	} else {
		/* people whose latest decision (any target) is approve */
		size_t count = 0, rejects = 0;

		for (size_t i = 0; i < nl; i++) {
			int later = 0;

			for (size_t j = i + 1; j < nl && !later; j++)
				later = strcasecmp(list[j].signer, list[i].signer) == 0;
			if (later)
				continue;
			if (list[i].decision == PG_DECISION_APPROVE)
				count++;
			else
				rejects++;
		}
		if (count || rejects)
			snprintf(buf, cap, "%zu%s", count, rejects ? "\xe2\x9c\x97" : "");
	}
	free(list);
}

/* ------------------------------------------------------------ taint */

int tm_taint_reason(pg_reg *reg, const char *id, char *buf, size_t cap, pg_error *err)
{
	pg_lin_graph g;
	pg_code rc;

	buf[0] = '\0';
	memset(&g, 0, sizeof g);
	rc = pg_reg_lineage(reg, id, PG_LIN_ANCESTORS, -1, &g, err);
	if (rc)
		return -1;
	for (size_t i = 0; i < g.nnodes; i++) {
		const pg_lin_node *nd = &g.nodes[i];
		int direct = 0;
		char *en, *ev;

		if (i == g.root || !nd->present || nd->state != PG_STATE_QUARANTINED)
			continue;
		for (size_t e = 0; e < g.nedges; e++)
			if (g.edges[e].child == g.root && g.edges[e].parent == i)
				direct = 1;
		en = esc(nd->name);
		ev = esc(nd->version);
		if (en && ev)
			snprintf(buf, cap, direct ? _("parent %s %s quarantined")
			                          : _("ancestor %s %s quarantined"), en, ev);
		free(en);
		free(ev);
		break;
	}
	pg_lin_graph_free(&g);
	return 0;
}

/* ------------------------------------------------------------ documents */

cJSON *tm_pack_doc(const pg_reg_pack *p, const char *role, char *sha256)
{
	cJSON *doc = NULL;
	pg_error err;

	if (sha256)
		sha256[0] = '\0';
	for (size_t i = 0; i < p->nfiles; i++)
		if (sha256 && p->files[i].role && !strcmp(p->files[i].role, role)) {
			memcpy(sha256, p->files[i].sha256, PG_SHA256_HEX);
			break;
		}
	for (size_t i = 0; i < p->ndocs; i++) {
		if (!p->docs[i].role || strcmp(p->docs[i].role, role))
			continue;
		if (pg_json_parse(p->docs[i].canonical, p->docs[i].len, NULL, &doc, &err) != PG_OK)
			doc = NULL;
		break;
	}
	return doc;
}

char *tm_join(const cJSON *arr)
{
	size_t len = 1;
	const cJSON *x;
	char *raw, *r;

	cJSON_ArrayForEach(x, arr)
		if (cJSON_IsString(x))
			len += strlen(x->valuestring) + 2;
	raw = malloc(len);
	if (!raw)
		return NULL;
	raw[0] = '\0';
	cJSON_ArrayForEach(x, arr)
		if (cJSON_IsString(x)) {
			if (raw[0])
				strcat(raw, ", ");
			strcat(raw, x->valuestring);
		}
	r = esc(raw);
	free(raw);
	return r;
}

/* ------------------------------------------------------------ cache */

struct tui_cache_entry {
	char id[PG_ID_LEN];
	int tainted;
	pg_state state;
	tm_summary s;
};

struct tui_cache {
	struct tui_cache_entry *v;
	size_t n, cap;
};

tui_cache *tm_cache_new(size_t cap)
{
	tui_cache *c = calloc(1, sizeof *c);

	if (!c)
		return NULL;
	c->v = calloc(cap ? cap : 1, sizeof *c->v);
	if (!c->v) {
		free(c);
		return NULL;
	}
	c->cap = cap ? cap : 1;
	return c;
}

void tm_cache_free(tui_cache *c)
{
	if (!c)
		return;
	free(c->v);
	free(c);
}

void tm_cache_clear(tui_cache *c)
{
	if (c)
		c->n = 0;
}

static int summary_compute(pg_reg *reg, const pg_policy *policy, const pg_reg_row *r,
                           tm_summary *s, pg_error *err)
{
	pg_reg_doc d;
	pg_reg_approval_row *ap = NULL;
	size_t nap = 0;
	cJSON *doc = NULL;
	pg_error perr;
	tm_card card;
	int rc = -1;

	memset(s, 0, sizeof *s);
	if (pg_reg_doc_get(reg, r->id, "evaluation-card", &d, err) != PG_OK)
		return -1;
	if (d.canonical && pg_json_parse(d.canonical, d.len, NULL, &doc, &perr) != PG_OK)
		doc = NULL;
	pg_reg_doc_clear(&d);
	if (pg_reg_approvals(reg, r->id, &ap, &nap, err) != PG_OK)
		goto out;
	if (doc) {
		if (tm_card_read(doc, 0, &card))
			goto out;
		if (card.headline < card.nm) {
			const tm_metric *m = &card.m[card.headline];
			const tm_metric *ch = tm_card_champion(&card, m);

			if (!isnan(m->value))
				tm_num(m->value, s->score, sizeof s->score);
			s->verdict = tm_compare(m, ch);
			if (ch && !isnan(m->value) && !isnan(ch->value))
				tm_delta(m->value - ch->value, s->delta, sizeof s->delta);
		}
		tm_card_free(&card);
	}
	tm_approvals(policy, r->state, ap, nap, s->appr, sizeof s->appr, NULL);
	if (r->tainted && tm_taint_reason(reg, r->id, s->taint, sizeof s->taint, err))
		goto out;
	rc = 0;
out:
	if (rc && !err->code)
		pg_err(err, PG_IO_MEMORY, _("out of memory"));
	cJSON_Delete(doc);
	pg_reg_approvals_free(ap, nap);
	return rc;
}

int tm_summary_get(tui_cache *c, pg_reg *reg, const pg_policy *policy, const pg_reg_row *r,
                   tm_summary *out, pg_error *err)
{
	struct tui_cache_entry *e;

	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].tainted == r->tainted && c->v[i].state == r->state && !strcmp(c->v[i].id, r->id)) {
			*out = c->v[i].s;
			return 0;
		}
	pg_error_clear(err);
	if (summary_compute(reg, policy, r, out, err))
		return -1;
	if (c->n == c->cap)
		c->n = 0;
	e = &c->v[c->n++];
	snprintf(e->id, sizeof e->id, "%s", r->id);
	e->tainted = r->tainted;
	e->state = r->state;
	e->s = *out;
	return 0;
}

/* ------------------------------------------------------------ signatures */

struct tm_verifier {
	pg_sig *sig;
	const pg_policy *policy;
	pg_review_verifier *core; /* the one entry check, shared with the CLI */
};

tm_verifier *tm_verifier_new(pg_sig *sig, pg_reg *reg, const pg_policy *policy)
{
	tm_verifier *v = calloc(1, sizeof *v);

	if (!v)
		return NULL;
	v->sig = sig;
	v->policy = policy;
	v->core = pg_review_verifier_new(sig, reg, policy);
	if (!v->core) {
		free(v);
		return NULL;
	}
	return v;
}

void tm_verifier_free(tm_verifier *v)
{
	if (!v)
		return;
	pg_review_verifier_free(v->core);
	free(v);
}

/* Fills out's status and text from a verification outcome. */
static void sig_outcome(tm_sig *out, pg_code rc, const pg_sig_result *res, const pg_error *err,
                        int trusted)
{
	out->checked = 1;
	out->code = rc;
	out->trusted = trusted;
	out->status = rc == PG_OK ? "good" : res->status && !strcmp(res->status, "bad") ? "bad" : "problem";
	out->expired_after = rc == PG_OK && res->expired_after_signing;
	if (rc == PG_OK) {
		snprintf(out->text, sizeof out->text, "%s%s", trusted ? _("good") : _("good, not trusted (no policy)"),
		         out->expired_after ? _(" (key expired since)") : "");
		out->message[0] = '\0';
		return;
	}
	snprintf(out->text, sizeof out->text, "%s (%s)", !strcmp(out->status, "bad") ? _("bad") : _("problem"),
	         pg_code_name(rc));
	snprintf(out->message, sizeof out->message, "%s", res->message[0] ? res->message : err->message);
}

static void not_checked(tm_sig *out)
{
	memset(out, 0, sizeof *out);
	out->status = "";
	snprintf(out->text, sizeof out->text, "%s", _("not verified (no GnuPG home)"));
}

void tm_verify_entry(tm_verifier *v, const pg_reg_entry *e, tm_sig *out)
{
	pg_sig_result res;
	pg_error err;

	not_checked(out);
	if (!v->sig)
		return;
	pg_error_clear(&err);
	memset(&res, 0, sizeof res);
	if (!e) {
		res.status = "problem";
		pg_err(&err, PG_REGISTRY_CHAIN_BROKEN, _("the approval has no audit chain entry"));
		sig_outcome(out, err.code, &res, &err, v->policy != NULL);
		return;
	}
	pg_review_verify_entry(v->core, e, &res, NULL);
	pg_err(&err, res.code, "%s", res.message);
	sig_outcome(out, res.code, &res, &err, v->policy != NULL);
}

void tm_verify_publisher(tm_verifier *v, const pg_reg_pack *p, size_t i, tm_sig *out)
{
	const char *path = p->sigs[i].path, *name = strrchr(path, '/');
	char fpr[PG_FPR_SIZE + 8];
	pg_sig_result res;
	pg_error err;
	size_t n;
	pg_code rc;

	not_checked(out);
	if (!v->sig)
		return;
	/* signatures/FPR.asc names the key that must have made it */
	name = name ? name + 1 : path;
	n = strlen(name);
	n = n > 4 ? n - 4 : 0;
	snprintf(fpr, sizeof fpr, "%.*s", (int)(n < sizeof fpr - 1 ? n : sizeof fpr - 1), name);
	pg_error_clear(&err);
	memset(&res, 0, sizeof res);
	rc = pg_sig_verify(v->sig, p->manifest, p->manifest_len, p->sigs[i].armored, strlen(p->sigs[i].armored),
	                   fpr, v->policy, PG_SIG_PUBLISHER, &res, &err);
	sig_outcome(out, rc, &res, &err, v->policy != NULL);
}

/* ------------------------------------------------------------ license */

static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; hay && *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

/* What a license expression or obligation text implies. */
#define LIC_NC 0x1u
#define LIC_SA 0x2u
#define LIC_BY 0x4u

static unsigned license_flags(const char *spdx)
{
	unsigned f = 0;

	if (contains_ci(spdx, "-NC") || contains_ci(spdx, "noncommercial"))
		f |= LIC_NC;
	if (contains_ci(spdx, "-SA") || contains_ci(spdx, "sharealike") ||
	    ((contains_ci(spdx, "GPL") && !contains_ci(spdx, "LGPL"))))
		f |= LIC_SA;
	if (contains_ci(spdx, "CC-BY"))
		f |= LIC_BY;
	return f;
}

static unsigned obligation_flags(const cJSON *arr)
{
	const cJSON *x;
	unsigned f = 0;

	cJSON_ArrayForEach(x, arr) {
		const char *s = pg_json_str(x);

		if (contains_ci(s, "non-commercial") || contains_ci(s, "noncommercial") ||
		    contains_ci(s, "non commercial"))
			f |= LIC_NC;
		if (contains_ci(s, "share-alike") || contains_ci(s, "sharealike") ||
		    contains_ci(s, "share alike") || contains_ci(s, "copyleft"))
			f |= LIC_SA;
		if (contains_ci(s, "attribution"))
			f |= LIC_BY;
	}
	return f;
}

/* Listed obligations plus the ones the license implies, marked. */
static char *obligations_text(const cJSON *arr, const char *spdx)
{
	unsigned have = obligation_flags(arr), lf = license_flags(spdx);
	char *listed = tm_join(arr), *r;
	char extra[160] = "";

	if (!listed)
		return NULL;
	if ((lf & LIC_BY) && !(have & LIC_BY))
		strcat(extra, ", attribution");
	if ((lf & LIC_NC) && !(have & LIC_NC))
		strcat(extra, ", non-commercial");
	if ((lf & LIC_SA) && !(have & LIC_SA))
		strcat(extra, ", share-alike");
	if (!extra[0])
		return listed;
	r = malloc(strlen(listed) + strlen(extra) + 32);
	if (r)
		sprintf(r, "%s%s%s (%s)", listed, listed[0] ? ", " : "", extra + 2, _("from the license"));
	free(listed);
	return r;
}

static int item_add(tm_license *l, const char *from, int self, int missing, const char *kind,
                    const char *name, const char *license, char *obligations,
                    const char *redistribution)
{
	tm_lic_item *nv = realloc(l->v, (l->n + 1) * sizeof *nv), *it;

	if (!nv) {
		free(obligations);
		return -1;
	}
	l->v = nv;
	it = &nv[l->n++];
	memset(it, 0, sizeof *it);
	it->self = self;
	it->missing = missing;
	it->from = esc(from);
	it->kind = esc(kind);
	it->name = esc(name);
	it->license = esc(license);
	it->obligations = obligations ? obligations : esc("");
	it->redistribution = esc(redistribution);
	if (!it->from || !it->kind || !it->name || !it->license || !it->obligations ||
	    !it->redistribution)
		return -1;
	return 0;
}

static int conflict_add(tm_license *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int conflict_add(tm_license *l, const char *fmt, ...)
{
	char raw[1024];
	char **nv;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	nv = realloc(l->conflicts, (l->nconflicts + 1) * sizeof *nv);
	if (!nv)
		return -1;
	l->conflicts = nv;
	if (!(nv[l->nconflicts] = esc(raw)))
		return -1;
	l->nconflicts++;
	return 0;
}

static int redis_rank(const char *r)
{
	if (!r)
		return -1;
	if (!strcmp(r, "allowed"))
		return 2;
	if (!strcmp(r, "restricted"))
		return 1;
	if (!strcmp(r, "forbidden"))
		return 0;
	return -1;
}

/* The items of one notice; from is the raw label. */
static int notice_items(tm_license *l, const char *from, int self, const cJSON *doc)
{
	const char *model = pg_json_str(pg_json_get(pg_json_get(doc, "model"), "license"));
	static const char *const lists[] = { "data", "code" };
	const cJSON *x;

	if (item_add(l, from, self, 0, "model", "", model ? model : "",
	             obligations_text(NULL, model), "") ||
	    item_add(l, from, self, 0, "terms", "", "",
	             obligations_text(pg_json_get(doc, "obligations"), NULL),
	             pg_json_str(pg_json_get(doc, "redistribution"))))
		return -1;
	for (size_t k = 0; k < 2; k++)
		cJSON_ArrayForEach(x, pg_json_get(doc, lists[k])) {
			const char *lic = pg_json_str(pg_json_get(x, "license"));

			if (item_add(l, from, self, 0, lists[k], pg_json_str(pg_json_get(x, "name")),
			             lic ? lic : "", obligations_text(pg_json_get(x, "obligations"), lic),
			             ""))
				return -1;
		}
	return 0;
}

/* Conflicts between the pack's own notice and one notice (an ancestor's,
 * or its own data and code lists when self). */
static int notice_conflicts(tm_license *l, const cJSON *own, const char *from, int self,
                            const cJSON *doc)
{
	const char *my_redis = pg_json_str(pg_json_get(own, "redistribution"));
	const char *my_model = pg_json_str(pg_json_get(pg_json_get(own, "model"), "license"));
	const char *their_model = pg_json_str(pg_json_get(pg_json_get(doc, "model"), "license"));
	const char *their_redis = pg_json_str(pg_json_get(doc, "redistribution"));
	static const char *const lists[] = { "data", "code" };
	const cJSON *x;
	int allowed = my_redis && !strcmp(my_redis, "allowed");

	if (!self) {
		unsigned f = license_flags(their_model) | obligation_flags(pg_json_get(doc, "obligations"));

		if (redis_rank(their_redis) >= 0 && redis_rank(my_redis) > redis_rank(their_redis) &&
		    conflict_add(l, _("redistribution \"%s\" but %s says \"%s\""), my_redis, from,
		                 their_redis))
			return -1;
		if (allowed && (f & LIC_NC) &&
		    conflict_add(l, _("redistribution \"allowed\" over non-commercial %s (%s)"), from,
		                 their_model ? their_model : _("its obligations")))
			return -1;
		if ((f & LIC_SA) && their_model && (!my_model || strcmp(my_model, their_model)) &&
		    conflict_add(l, _("share-alike: %s is %s but this pack is %s"), from, their_model,
		                 my_model ? my_model : "?"))
			return -1;
	}
	for (size_t k = 0; allowed && k < 2; k++)
		cJSON_ArrayForEach(x, pg_json_get(doc, lists[k])) {
			const char *lic = pg_json_str(pg_json_get(x, "license"));
			const char *name = pg_json_str(pg_json_get(x, "name"));
			unsigned f = license_flags(lic) | obligation_flags(pg_json_get(x, "obligations"));

			if ((f & LIC_NC) &&
			    conflict_add(l, _("redistribution \"allowed\" over non-commercial %s %s of %s (%s)"),
			                 lists[k], name ? name : "?", from, lic ? lic : "?"))
				return -1;
		}
	return 0;
}

void tm_license_free(tm_license *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].from);
		free(l->v[i].kind);
		free(l->v[i].name);
		free(l->v[i].license);
		free(l->v[i].obligations);
		free(l->v[i].redistribution);
	}
	free(l->v);
	for (size_t i = 0; i < l->nconflicts; i++)
		free(l->conflicts[i]);
	free(l->conflicts);
	free(l->notice);
	memset(l, 0, sizeof *l);
}

int tm_license_collect(pg_reg *reg, const char *id, const cJSON *own, tm_license *out,
                       pg_error *err)
{
	pg_lin_graph g;
	int rc = -1;

	memset(out, 0, sizeof *out);
	memset(&g, 0, sizeof g);
	if (!(out->notice = esc(pg_json_str(pg_json_get(own, "notice")))))
		goto oom;
	if (own && (notice_items(out, _("this pack"), 1, own) ||
	            notice_conflicts(out, own, _("this pack"), 1, own)))
		goto oom;
	if (pg_reg_lineage(reg, id, PG_LIN_ANCESTORS, -1, &g, err) != PG_OK)
		goto out;
	for (size_t i = 0; i < g.nnodes; i++) {
		const pg_lin_node *nd = &g.nodes[i];
		char from[400];
		pg_reg_pack *p = NULL;
		cJSON *doc;
		int bad;

		if (i == g.root)
			continue;
		if (!nd->present) {
			snprintf(from, sizeof from, "%.19s\xe2\x80\xa6 (%s)", nd->id, _("not in registry"));
			if (item_add(out, from, 0, 1, "terms", "", "", NULL, ""))
				goto oom;
			continue;
		}
		snprintf(from, sizeof from, "%s %s", nd->name, nd->version);
		if (pg_reg_show(reg, nd->id, &p, err) != PG_OK)
			goto out;
		doc = tm_pack_doc(p, "license-notice", NULL);
		bad = doc ? notice_items(out, from, 0, doc) || notice_conflicts(out, own, from, 0, doc)
		          : item_add(out, from, 0, 1, "terms", "", "", NULL, "");
		cJSON_Delete(doc);
		pg_reg_pack_free(p);
		if (bad)
			goto oom;
	}
	rc = 0;
	goto out;
oom:
	pg_err(err, PG_IO_MEMORY, _("out of memory"));
out:
	pg_lin_graph_free(&g);
	if (rc)
		tm_license_free(out);
	return rc;
}
