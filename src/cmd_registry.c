/* cmd_registry.c — import, list, show, lineage: the registry commands. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "card.h"
#include "cli.h"
#include "escape.h"
#include "json.h"
#include "lineage.h"
#include "pack.h"
#include "policy.h"
#include "registry.h"
#include "review.h"
#include "sig.h"
#include "schema.h"

/* ------------------------------------------------------------ shared */

int cli_open_registry(pg_cli *cli, pg_reg **reg, int create, pg_error *err)
{
	const char *path = cli->cfg.value[PG_SET_REGISTRY];

	*reg = NULL;
	if (!path)
		return pg_err(err, PG_USAGE, _("no registry: give --registry DB"));
	/* reading never creates a registry as a side effect */
	if (!create && !pg_reg_exists(path))
		return pg_err(err, PG_IO_NOT_FOUND, _("%s: no registry here yet (packgate import creates it)"), path);
	return pg_reg_open(path, reg, err);
}

int cli_load_policy(pg_cli *cli, pg_policy **pol, pg_error *err)
{
	const char *path = cli->cfg.value[PG_SET_POLICY];

	*pol = NULL;
	if (!path)
		return PG_OK;
	return pg_policy_load(path, pol, err);
}

/* Parses a non-negative decimal integer option strictly. */
static int parse_count(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

/* ------------------------------------------------------------ import */

struct item {
	char *path;
	char id[PG_ID_LEN];
	char **parents;
	size_t nparents;
	int done;
};

static void items_free(struct item *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].path);
		for (size_t k = 0; k < v[i].nparents; k++)
			free(v[i].parents[k]);
		free(v[i].parents);
	}
	free(v);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Expands the arguments: a directory stands for the regular files in it, in
 * byte order of name. */
static pg_code collect(pg_cli *cli, char ***paths, size_t *n, pg_error *err)
{
	char **v = NULL;
	size_t len = 0, cap = 0;

	for (int i = 0; i < cli->nargs; i++) {
		const char *arg = cli->args[i];
		struct stat st;
		char **names = NULL;
		size_t nnames = 0, capn = 0;

		if (stat(arg, &st) != 0 || !S_ISDIR(st.st_mode)) {
			names = malloc(sizeof *names);
			if (!names || !(names[0] = strdup(arg)))
				goto oom;
			nnames = 1;
		} else {
			DIR *d = opendir(arg);
			struct dirent *de;
			if (!d)
				return pg_err_errno(err, errno, 0, arg);
			while ((de = readdir(d))) {
				char *p;
				struct stat fst;
				if (de->d_name[0] == '.')
					continue;
				if (asprintf(&p, "%s/%s", arg, de->d_name) < 0) {
					closedir(d);
					goto oom;
				}
				if (stat(p, &fst) != 0 || !S_ISREG(fst.st_mode)) {
					free(p);
					continue;
				}
				if (nnames == capn) {
					capn = capn ? capn * 2 : 64;
					char **t = realloc(names, capn * sizeof *t);
					if (!t) {
						free(p);
						closedir(d);
						goto oom;
					}
					names = t;
				}
				names[nnames++] = p;
			}
			closedir(d);
			if (nnames)
				qsort(names, nnames, sizeof *names, str_cmp);
		}
		for (size_t k = 0; k < nnames; k++) {
			if (len == cap) {
				cap = cap ? cap * 2 : 64;
				char **t = realloc(v, cap * sizeof *t);
				if (!t)
					goto oom;
				v = t;
			}
			v[len++] = names[k];
		}
		free(names);
	}
	*paths = v;
	*n = len;
	return PG_OK;
oom:
	for (size_t k = 0; k < len; k++)
		free(v[k]);
	free(v);
	return pg_err(err, PG_IO_MEMORY, _("out of memory"));
}

/* Orders the batch so that a parent imported in the same command comes
 * before its children (its presence then counts for the parent check);
 * otherwise the order given is kept. */
static size_t next_item(struct item *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int waiting = 0;
		if (v[i].done)
			continue;
		for (size_t k = 0; k < v[i].nparents && !waiting; k++)
			for (size_t j = 0; j < n && !waiting; j++)
				if (!v[j].done && j != i && strcmp(v[j].id, v[i].parents[k]) == 0)
					waiting = 1;
		if (!waiting)
			return i;
	}
	for (size_t i = 0; i < n; i++) /* a cycle cannot exist; keep going anyway */
		if (!v[i].done)
			return i;
	return n;
}

static int exit_for(int worst, pg_code code)
{
	int e = pg_code_exit(code);
	return e > worst ? e : worst;
}

static void report_error_line(const pg_error *err, const char *path)
{
	size_t n = strlen(path);

	fprintf(stderr, "packgate: %s: ", pg_code_name(err->code));
	/* name the pack unless the message already starts with it */
	if (strncmp(err->message, path, n) != 0 || err->message[n] != ':') {
		cli_put(stderr, path);
		fputs(": ", stderr);
	}
	cli_put(stderr, err->message);
	fputc('\n', stderr);
}

static cJSON *error_json(const pg_error *err, const char *path)
{
	cJSON *e = cJSON_CreateObject();

	cJSON_AddStringToObject(e, "code", pg_code_name(err->code));
	cJSON_AddStringToObject(e, "class", pg_code_class(err->code));
	cJSON_AddStringToObject(e, "message", err->message);
	cJSON_AddStringToObject(e, "pack", path);
	if (err->path[0])
		cJSON_AddStringToObject(e, "path", err->path);
	return e;
}

int cmd_import(pg_cli *cli)
{
	pg_reg *reg = NULL;
	pg_policy *pol = NULL;
	pg_sig *sig = NULL;
	pg_pack_opts opts, iopts;
	char **paths = NULL, digest[PG_ID_LEN] = "";
	size_t n = 0;
	struct item *items = NULL;
	cJSON *out = NULL, *packs = NULL, *errors = NULL;
	pg_error err;
	int worst = 0, nfail = 0;

	pg_error_clear(&err);
	if (cli_load_policy(cli, &pol, &err) || cli_open_registry(cli, &reg, 1, &err) ||
	    cli_open_gnupg(cli, pol, &sig, &err))
		goto fail;
	pg_pack_opts_init(&opts);
	if (pol) {
		pg_policy_apply_limits(pol, &opts.limits);
		opts.file_types = pg_policy_file_types(pol);
		if (pg_reg_policy_put(reg, pol->canon, pol->canon_len, digest, &err))
			goto fail;
	}
	if (collect(cli, &paths, &n, &err))
		goto fail;
	items = calloc(n ? n : 1, sizeof *items);
	if (!items) {
		pg_err(&err, PG_IO_MEMORY, _("out of memory"));
		goto fail;
	}
	/* first the manifests, cheaply, to order parents before children */
	iopts = opts;
	iopts.mode = PG_PACK_INSPECT;
	for (size_t i = 0; i < n; i++) {
		pg_pack *p = NULL;
		pg_error ierr;
		items[i].path = paths[i];
		paths[i] = NULL;
		if (pg_pack_load(items[i].path, &iopts, &p, &ierr) != PG_OK)
			continue; /* the full load below reports it */
		memcpy(items[i].id, p->id, sizeof items[i].id);
		const cJSON *par = pg_json_get(p->manifest, "parents"), *e;
		size_t np = (size_t)cJSON_GetArraySize(par), k = 0;
		items[i].parents = calloc(np ? np : 1, sizeof(char *));
		cJSON_ArrayForEach(e, par) {
			if (items[i].parents && (items[i].parents[k] = strdup(pg_json_str(e))))
				items[i].nparents = ++k;
		}
		pg_pack_free(p);
	}
	free(paths);
	paths = NULL;

	if (cli->json) {
		out = cJSON_CreateObject();
		packs = cJSON_AddArrayToObject(out, "packs");
		errors = cJSON_CreateArray();
	}
	for (size_t done = 0; done < n; done++) {
		size_t i = next_item(items, n);
		pg_reg_imported res;
		pg_error e1;

		items[i].done = 1;
		memset(&res, 0, sizeof res);
		pg_error_clear(&e1);
		if (pg_review_import(reg, pol, sig, items[i].path, &opts, 0, &res, &e1) != PG_OK) {
			nfail++;
			worst = exit_for(worst, e1.code);
			report_error_line(&e1, items[i].path);
			if (errors)
				cJSON_AddItemToArray(errors, error_json(&e1, items[i].path));
			if (nfail == 1)
				err = e1;
			continue;
		}
		if (packs) {
			cJSON *j = cJSON_CreateObject();
			cJSON_AddStringToObject(j, "id", res.id);
			cJSON_AddStringToObject(j, "name", res.name);
			cJSON_AddStringToObject(j, "version", res.version);
			cJSON_AddStringToObject(j, "state", pg_state_name(res.state));
			cJSON_AddBoolToObject(j, "new", res.is_new);
			cJSON_AddStringToObject(j, "file", items[i].path);
			cJSON_AddItemToArray(packs, j);
		} else {
			printf("%-9s ", res.is_new ? _("imported") : _("present"));
			cli_put(stdout, res.name);
			putchar(' ');
			cli_put(stdout, res.version);
			printf(" %s %s\n", res.id, pg_state_name(res.state));
		}
		pg_reg_imported_clear(&res);
	}
	if (out) {
		if (nfail) {
			cJSON *e = error_json(&err, "");
			cJSON_DeleteItemFromObjectCaseSensitive(e, "pack");
			cJSON_AddBoolToObject(out, "ok", 0);
			cJSON_AddItemToObject(out, "error", e);
			cJSON_AddItemToObject(out, "errors", errors);
			errors = NULL;
			cli_json_print(out);
		} else {
			cli_json_ok(out);
		}
		out = NULL;
	}
	cJSON_Delete(errors);
	items_free(items, n);
	pg_sig_close(sig);
	pg_policy_free(pol);
	pg_reg_close(reg);
	return nfail ? worst : 0;
fail:
	items_free(items, n);
	free(paths);
	pg_sig_close(sig);
	pg_policy_free(pol);
	pg_reg_close(reg);
	return cli_fail(cli, &err);
}

/* ------------------------------------------------------------ list */

int cmd_list(pg_cli *cli)
{
	pg_reg *reg = NULL;
	pg_reg_query q;
	pg_reg_rows rows = { 0 };
	pg_error err;
	uint64_t v;
	int rc = 0;

	pg_error_clear(&err);
	pg_reg_query_init(&q);
	if (cli->state) {
		q.state = pg_state_parse(cli->state);
		if (q.state < 0)
			return cli_usage(cli, _("unknown state %s"), cli->state);
	}
	if (cli->sort) {
		const char *col = cli->sort;
		if (*col == '-') {
			q.descending = 1;
			col++;
		}
		int s = pg_reg_sort_parse(col);
		if (s < 0)
			return cli_usage(cli, _("--sort takes name, version, state, created_at or operator (a leading - reverses), not %s"),
			                 cli->sort);
		q.sort = (pg_reg_sort)s;
	}
	if (cli->limit) {
		if (parse_count(cli->limit, &v) || v > INT64_MAX)
			return cli_usage(cli, _("--limit takes a number, not %s"), cli->limit);
		q.limit = (int64_t)v;
	}
	if (cli->offset) {
		if (parse_count(cli->offset, &v))
			return cli_usage(cli, _("--offset takes a number, not %s"), cli->offset);
		q.offset = v;
	}
	q.name = cli->name;
	q.search = cli->search;
	if (cli_open_registry(cli, &reg, 0, &err) || pg_reg_list(reg, &q, &rows, &err)) {
		pg_reg_close(reg);
		return cli_fail(cli, &err);
	}
	if (cli->json) {
		cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "packs");
		for (size_t i = 0; i < rows.n; i++) {
			const pg_reg_row *r = &rows.v[i];
			cJSON *j = cJSON_CreateObject();
			cJSON_AddStringToObject(j, "id", r->id);
			cJSON_AddStringToObject(j, "name", r->name);
			cJSON_AddStringToObject(j, "version", r->version);
			cJSON_AddStringToObject(j, "state", pg_state_name(r->state));
			cJSON_AddStringToObject(j, "operator", r->operator);
			cJSON_AddStringToObject(j, "created_at", r->created_at);
			cJSON_AddBoolToObject(j, "tainted", r->tainted);
			cJSON_AddItemToArray(arr, j);
		}
		rc = cli_json_ok(o);
	} else {
		/* the registry is a file on disk: its text is escaped like any other */
		char *(*cell)[5] = calloc(rows.n ? rows.n : 1, sizeof *cell);
		int wn = 4, wv = 7, wo = 8;
		if (!cell) {
			pg_reg_rows_free(&rows);
			pg_reg_close(reg);
			pg_err(&err, PG_IO_MEMORY, _("out of memory"));
			return cli_fail(cli, &err);
		}
		for (size_t i = 0; i < rows.n; i++) {
			const pg_reg_row *r = &rows.v[i];
			cell[i][0] = pg_escape_str(r->name);
			cell[i][1] = pg_escape_str(r->version);
			cell[i][2] = pg_escape_str(r->operator);
			cell[i][3] = pg_escape_str(r->created_at);
			cell[i][4] = pg_escape_str(r->id);
			for (int k = 0; k < 5; k++)
				if (!cell[i][k])
					cell[i][k] = strdup("?");
			int a = (int)strlen(cell[i][0]), b = (int)strlen(cell[i][1]), c = (int)strlen(cell[i][2]);
			wn = a > wn ? a : wn;
			wv = b > wv ? b : wv;
			wo = c > wo ? c : wo;
		}
		if (rows.n)
			printf("%-*s  %-*s  %-11s  %-*s  %-20s  %s\n", wn, _("NAME"), wv, _("VERSION"), _("STATE"), wo,
			       _("OPERATOR"), _("CREATED"), _("ID"));
		for (size_t i = 0; i < rows.n; i++) {
			printf("%-*s  %-*s  %-11s  %-*s  %-20s  %.19s%s\n", wn, cell[i][0], wv, cell[i][1],
			       pg_state_name(rows.v[i].state), wo, cell[i][2], cell[i][3], cell[i][4],
			       rows.v[i].tainted ? _("  (tainted: quarantined ancestor)") : "");
			for (int k = 0; k < 5; k++)
				free(cell[i][k]);
		}
		free(cell);
	}
	pg_reg_rows_free(&rows);
	pg_reg_close(reg);
	return rc;
}

/* ------------------------------------------------------------ show */

static cJSON *parse_doc(const pg_reg_pack *p, const char *role)
{
	cJSON *doc = NULL;
	pg_error err;

	for (size_t i = 0; i < p->ndocs; i++)
		if (strcmp(p->docs[i].role, role) == 0 &&
		    pg_json_parse(p->docs[i].canonical, p->docs[i].len, NULL, &doc, &err) == PG_OK)
			return doc;
	return NULL;
}

/* The headline metric of an evaluation card (pg_card_headline):
 * "suite/metric value [lo, hi]", "-" when there is none. */
static void headline(const cJSON *card, char *buf, size_t cap)
{
	const cJSON *s, *m = pg_card_headline(card, &s), *ci = pg_json_get(m, "ci");
	const char *sn = pg_json_str(pg_json_get(s, "name")), *mn = pg_json_str(pg_json_get(m, "name"));
	const cJSON *v = pg_json_get(m, "value");

	if (!m || !sn || !mn || !cJSON_IsNumber(v))
		snprintf(buf, cap, "-");
	else if (cJSON_GetArraySize(ci) == 2)
		snprintf(buf, cap, "%s/%s %.4g [%.4g, %.4g]", sn, mn, v->valuedouble, cJSON_GetArrayItem(ci, 0)->valuedouble,
		         cJSON_GetArrayItem(ci, 1)->valuedouble);
	else
		snprintf(buf, cap, "%s/%s %.4g", sn, mn, v->valuedouble);
}

struct show_checks {
	pg_policy_check live[PG_POLICY_NCHECKS];
	int have_live;
};

int cmd_show(pg_cli *cli)
{
	pg_reg *reg = NULL;
	pg_reg_pack *p = NULL;
	pg_policy *pol = NULL;
	cJSON *manifest = NULL, *card = NULL, *contract = NULL, *perms = NULL;
	struct show_checks sc = { .have_live = 0 };
	char id[PG_ID_LEN], hl[256];
	pg_error err;
	int rc = 0;

	pg_error_clear(&err);
	if (cli_load_policy(cli, &pol, &err) || cli_open_registry(cli, &reg, 0, &err) ||
	    pg_reg_resolve(reg, cli->args[0], id, &err) || pg_reg_show(reg, id, &p, &err))
		goto fail;
	if (pg_json_parse(p->manifest, p->manifest_len, NULL, &manifest, &err))
		goto fail;
	card = parse_doc(p, "evaluation-card");
	contract = parse_doc(p, "contract");
	perms = parse_doc(p, "permissions");
	if (pol) {
		if (pg_policy_check_pack(pol, manifest, contract, perms, card, time(NULL), pg_review_parent_present, reg,
		                         sc.live, &err))
			goto fail;
		sc.have_live = 1;
	}
	headline(card, hl, sizeof hl);

	if (cli->json) {
		cJSON *o = cJSON_CreateObject(), *j = cJSON_AddObjectToObject(o, "pack");
		cJSON *arr;
		cJSON_AddStringToObject(j, "id", p->id);
		cJSON_AddStringToObject(j, "name", p->name);
		cJSON_AddStringToObject(j, "version", p->version);
		cJSON_AddStringToObject(j, "state", pg_state_name(p->state));
		cJSON_AddBoolToObject(j, "tainted", p->tainted);
		cJSON_AddStringToObject(j, "operator", p->operator);
		cJSON_AddStringToObject(j, "created_at", p->created_at);
		cJSON_AddStringToObject(j, "imported_at", p->imported_at);
		arr = cJSON_AddArrayToObject(j, "parents");
		for (size_t i = 0; i < p->nparents; i++) {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "id", p->parents[i].id);
			cJSON_AddBoolToObject(x, "present", p->parents[i].present);
			if (p->parents[i].present) {
				cJSON_AddStringToObject(x, "name", p->parents[i].name);
				cJSON_AddStringToObject(x, "version", p->parents[i].version);
				cJSON_AddStringToObject(x, "state", pg_state_name((pg_state)p->parents[i].state));
			}
			cJSON_AddItemToArray(arr, x);
		}
		arr = cJSON_AddArrayToObject(j, "files");
		for (size_t i = 0; i < p->nfiles; i++) {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "path", p->files[i].path);
			cJSON_AddStringToObject(x, "role", p->files[i].role);
			cJSON_AddNumberToObject(x, "size", (double)p->files[i].size);
			cJSON_AddStringToObject(x, "sha256", p->files[i].sha256);
			cJSON_AddItemToArray(arr, x);
		}
		arr = cJSON_AddArrayToObject(j, "approvals");
		for (size_t i = 0; i < p->napprovals; i++) {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "signer", p->approvals[i].signer);
			cJSON_AddStringToObject(x, "role", p->approvals[i].role);
			cJSON_AddStringToObject(x, "decision", p->approvals[i].decision);
			cJSON_AddStringToObject(x, "target", p->approvals[i].target);
			cJSON_AddStringToObject(x, "signed_at", p->approvals[i].signed_at);
			cJSON_AddStringToObject(x, "status", "recorded");
			cJSON_AddItemToArray(arr, x);
		}
		arr = cJSON_AddArrayToObject(j, "checks");
		if (sc.have_live) {
			for (int i = 0; i < PG_POLICY_NCHECKS; i++) {
				cJSON *x = cJSON_CreateObject();
				cJSON_AddStringToObject(x, "code", pg_code_name(sc.live[i].code));
				cJSON_AddBoolToObject(x, "ok", sc.live[i].ok);
				cJSON_AddStringToObject(x, "message", sc.live[i].message);
				cJSON_AddItemToArray(arr, x);
			}
		} else {
			for (size_t i = 0; i < p->nchecks; i++) {
				cJSON *x = cJSON_CreateObject();
				cJSON_AddStringToObject(x, "code", p->checks[i].code);
				cJSON_AddBoolToObject(x, "ok", p->checks[i].ok);
				cJSON_AddStringToObject(x, "message", p->checks[i].message);
				cJSON_AddItemToArray(arr, x);
			}
		}
		cJSON_AddStringToObject(j, "checks_from", sc.have_live ? "policy" : "import");
		cJSON_AddStringToObject(j, "headline", hl);
		cJSON_AddItemReferenceToObject(j, "manifest", manifest);
		rc = cli_json_ok(o);
	} else {
		printf("%-12s ", _("name"));
		cli_put(stdout, p->name);
		printf("\n%-12s ", _("version"));
		cli_put(stdout, p->version);
		printf("\n%-12s %s\n", _("id"), p->id);
		printf("%-12s %s%s\n", _("state"), pg_state_name(p->state),
		       p->tainted ? _("  (tainted: quarantined ancestor)") : "");
		printf("%-12s ", _("operator"));
		cli_put(stdout, p->operator);
		printf("\n%-12s ", _("created"));
		cli_put(stdout, p->created_at);
		printf("\n%-12s ", _("evaluation"));
		cli_put(stdout, hl);
		putchar('\n');
		printf("%s\n", _("parents"));
		if (!p->nparents)
			printf("  %s\n", _("(none: a base model)"));
		for (size_t i = 0; i < p->nparents; i++) {
			fputs("  ", stdout);
			cli_put(stdout, p->parents[i].id);
			fputs("  ", stdout);
			if (p->parents[i].present) {
				cli_put(stdout, p->parents[i].name);
				putchar(' ');
				cli_put(stdout, p->parents[i].version);
				printf("  %s\n", pg_state_name((pg_state)p->parents[i].state));
			} else {
				printf("%s\n", _("(not in registry)"));
			}
		}
		printf("%s\n", _("files"));
		for (size_t i = 0; i < p->nfiles; i++) {
			printf("  %-16s %14llu  %.16s…  ", p->files[i].role, (unsigned long long)p->files[i].size,
			       p->files[i].sha256);
			cli_put(stdout, p->files[i].path);
			putchar('\n');
		}
		printf("%s (%s)\n", _("checks"), sc.have_live ? _("under the current policy") : _("recorded at import"));
		if (!sc.have_live && !p->nchecks)
			printf("  %s\n", _("(none: no policy was configured)"));
		for (size_t i = 0; sc.have_live && i < PG_POLICY_NCHECKS; i++) {
			printf("  %-6s %-24s ", sc.live[i].skipped ? _("skip") : sc.live[i].ok ? _("pass") : _("FAIL"),
			       pg_code_name(sc.live[i].code));
			cli_put(stdout, sc.live[i].message);
			putchar('\n');
		}
		for (size_t i = 0; !sc.have_live && i < p->nchecks; i++) {
			printf("  %-6s %-24s ", p->checks[i].ok ? _("pass") : _("FAIL"), p->checks[i].code);
			cli_put(stdout, p->checks[i].message);
			putchar('\n');
		}
		printf("%s\n", _("approvals"));
		if (!p->napprovals)
			printf("  %s\n", _("(none)"));
		for (size_t i = 0; i < p->napprovals; i++) {
			printf("  %-8s -> %-10s ", p->approvals[i].decision, p->approvals[i].target);
			cli_put(stdout, p->approvals[i].role);
			putchar(' ');
			cli_put(stdout, p->approvals[i].signer);
			putchar(' ');
			cli_put(stdout, p->approvals[i].signed_at);
			putchar('\n');
		}
	}
	goto out;
fail:
	rc = cli_fail(cli, &err);
out:
	cJSON_Delete(manifest);
	cJSON_Delete(card);
	cJSON_Delete(contract);
	cJSON_Delete(perms);
	pg_reg_pack_free(p);
	pg_policy_free(pol);
	pg_reg_close(reg);
	return rc;
}

/* ------------------------------------------------------------ lineage */

int cmd_lineage(pg_cli *cli)
{
	pg_reg *reg = NULL;
	pg_lin_graph g;
	pg_lin_lines lines = { 0 };
	char id[PG_ID_LEN];
	pg_error err;
	uint64_t depth = 0;
	int d = -1, rc = 0;
	pg_lin_dir dir = cli->descendants ? PG_LIN_DESCENDANTS : PG_LIN_ANCESTORS;

	memset(&g, 0, sizeof g);
	pg_error_clear(&err);
	if (cli->depth) {
		if (parse_count(cli->depth, &depth) || depth > 1000000)
			return cli_usage(cli, _("--depth takes a number, not %s"), cli->depth);
		d = (int)depth;
	}
	if (cli_open_registry(cli, &reg, 0, &err) || pg_reg_resolve(reg, cli->args[0], id, &err) ||
	    pg_reg_lineage(reg, id, dir, d, &g, &err))
		goto fail;
	if (cli->json) {
		cJSON *o = cJSON_CreateObject(), *nodes, *edges;
		cJSON_AddStringToObject(o, "root", g.nodes[g.root].id);
		cJSON_AddStringToObject(o, "direction", cli->descendants ? "descendants" : "ancestors");
		nodes = cJSON_AddArrayToObject(o, "nodes");
		for (size_t i = 0; i < g.nnodes; i++) {
			const pg_lin_node *nd = &g.nodes[i];
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "id", nd->id);
			if (nd->present) {
				cJSON_AddStringToObject(x, "name", nd->name);
				cJSON_AddStringToObject(x, "version", nd->version);
				cJSON_AddStringToObject(x, "operator", nd->operator);
				cJSON_AddStringToObject(x, "state", pg_state_name((pg_state)nd->state));
			} else {
				cJSON_AddNullToObject(x, "name");
				cJSON_AddNullToObject(x, "version");
				cJSON_AddNullToObject(x, "state");
			}
			cJSON_AddBoolToObject(x, "present", nd->present);
			cJSON_AddBoolToObject(x, "tainted", nd->tainted);
			cJSON_AddItemToArray(nodes, x);
		}
		edges = cJSON_AddArrayToObject(o, "edges");
		for (size_t i = 0; i < g.nedges; i++) {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "child", g.nodes[g.edges[i].child].id);
			cJSON_AddStringToObject(x, "parent", g.nodes[g.edges[i].parent].id);
			cJSON_AddItemToArray(edges, x);
		}
		rc = cli_json_ok(o);
	} else {
		if (pg_lin_layout(&g, dir, &lines, &err))
			goto fail;
		/* the layout escaped every string it took from the graph */
		for (size_t i = 0; i < lines.n; i++)
			printf("%s\n", lines.lines[i].text);
	}
	goto out;
fail:
	rc = cli_fail(cli, &err);
out:
	pg_lin_lines_free(&lines);
	pg_lin_graph_free(&g);
	pg_reg_close(reg);
	return rc;
}
