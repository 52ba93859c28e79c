/* cmd_pack.c — inspect, verify and build. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"
#include "cli.h"
#include "escape.h"
#include "json.h"
#include "pack.h"
#include "policy.h"
#include "schema.h"

static const char *file_status(pg_file_status s)
{
	switch (s) {
	case PG_FILE_OK: return _("verified");
	case PG_FILE_BAD: return _("mismatch");
	default: return _("not checked");
	}
}

/* The fingerprint a signature file names (signatures/FPR.asc -> FPR). */
static char *sig_fingerprint(const char *path)
{
	const char *name = strrchr(path, '/');
	size_t n;

	name = name ? name + 1 : path;
	n = strlen(name);
	return strndup(name, n > 4 ? n - 4 : n);
}

static cJSON *pack_json(const pg_pack *p, int verified, const pg_sig_result *sres)
{
	cJSON *o = cJSON_CreateObject(), *files = cJSON_CreateArray(), *sigs = cJSON_CreateArray();

	cJSON_AddStringToObject(o, "id", p->id);
	cJSON_AddStringToObject(o, "name", p->name);
	cJSON_AddStringToObject(o, "version", p->version);
	cJSON_AddBoolToObject(o, "verified", verified);
	for (size_t i = 0; i < p->nfiles; i++) {
		const pg_pack_file *f = &p->files[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "path", f->path);
		cJSON_AddStringToObject(j, "role", pg_role_name(f->role));
		cJSON_AddNumberToObject(j, "size", (double)f->size);
		cJSON_AddStringToObject(j, "sha256", f->sha256);
		if (f->status == PG_FILE_NOT_CHECKED)
			cJSON_AddNullToObject(j, "ok");
		else
			cJSON_AddBoolToObject(j, "ok", f->status == PG_FILE_OK);
		cJSON_AddItemToArray(files, j);
	}
	cJSON_AddItemToObject(o, "files", files);
	for (size_t i = 0; i < p->nsigs; i++) {
		cJSON *j = cJSON_CreateObject();
		char *fpr = sig_fingerprint(p->sigs[i].path);
		cJSON_AddStringToObject(j, "path", p->sigs[i].path);
		cJSON_AddStringToObject(j, "fingerprint", sres && sres[i].fingerprint[0] ? sres[i].fingerprint
		                                                                     : fpr ? fpr : "");
		cJSON_AddStringToObject(j, "status", sres ? sres[i].status : "not_checked");
		if (sres && sres[i].code != PG_OK)
			cJSON_AddStringToObject(j, "code", pg_code_name(sres[i].code));
		if (sres && sres[i].code != PG_OK)
			cJSON_AddStringToObject(j, "message", sres[i].message);
		if (sres && sres[i].expired_after_signing)
			cJSON_AddBoolToObject(j, "expired_after_signing", 1);
		cJSON_AddItemToArray(sigs, j);
		free(fpr);
	}
	cJSON_AddItemToObject(o, "signatures", sigs);
	cJSON_AddItemReferenceToObject(o, "manifest", p->manifest);
	return o;
}

static void field(const char *label, const char *value)
{
	printf("%-12s ", label);
	cli_put(stdout, value ? value : "");
	putchar('\n');
}

static void pack_text(const pg_pack *p, int verified, const pg_sig_result *sres)
{
	const cJSON *m = p->manifest, *parents = pg_json_get(m, "parents");
	char buf[64];

	field(_("name"), p->name);
	field(_("version"), p->version);
	field(_("id"), p->id);
	field(_("created"), pg_json_str(pg_json_get(m, "created_at")));
	field(_("operator"), pg_json_str(pg_json_get(m, "operator")));
	snprintf(buf, sizeof buf, "%d", cJSON_GetArraySize(parents));
	field(_("parents"), buf);
	for (const cJSON *par = parents ? parents->child : NULL; par; par = par->next)
		field("", pg_json_str(par));
	field(_("input"), pg_json_str(pg_json_get(m, "input_contract")));
	field(_("output"), pg_json_str(pg_json_get(m, "output_contract")));
	field(_("backend"), pg_json_str(pg_json_get(pg_json_get(m, "runtime"), "backend")));
	field(_("safety tier"), pg_json_str(pg_json_get(pg_json_get(m, "risk_profile"), "safety_tier")));
	printf("%s\n", _("files"));
	for (size_t i = 0; i < p->nfiles; i++) {
		const pg_pack_file *f = &p->files[i];
		printf("  %-16s %14llu  %.16s…  %-11s  ", pg_role_name(f->role), (unsigned long long)f->size,
		       f->sha256, file_status(f->status));
		cli_put(stdout, f->path);
		putchar('\n');
	}
	if (p->nsigs) {
		printf("%s\n", _("signatures"));
		for (size_t i = 0; i < p->nsigs; i++) {
			printf("  %-11s  ", sres ? sres[i].status : _("not checked"));
			cli_put(stdout, p->sigs[i].path);
			if (sres && sres[i].uid[0]) {
				fputs("  ", stdout);
				cli_put(stdout, sres[i].uid);
			}
			if (sres && sres[i].code != PG_OK)
				printf("  (%s)", pg_code_name(sres[i].code));
			putchar('\n');
		}
	}
	printf("%s\n", verified ? _("result       verified: every defense passed, every size and digest matches")
	                        : _("result       manifest valid (members not read; use verify)"));
}

/* Runs the policy checks of section 5 on a verified pack; adds them to
 * the JSON object or prints them; fills *first_failed with the first failing
 * check, or NULL. */
static void report_checks(const pg_policy_check *checks, cJSON *obj, const pg_policy_check **first_failed)
{
	cJSON *arr = obj ? cJSON_CreateArray() : NULL;

	*first_failed = NULL;
	if (!obj)
		printf("%s\n", _("policy checks"));
	for (int i = 0; i < PG_POLICY_NCHECKS; i++) {
		const pg_policy_check *c = &checks[i];
		if (!c->ok && !*first_failed)
			*first_failed = c;
		if (obj) {
			cJSON *j = cJSON_CreateObject();
			cJSON_AddStringToObject(j, "code", pg_code_name(c->code));
			cJSON_AddBoolToObject(j, "ok", c->ok);
			if (c->skipped)
				cJSON_AddBoolToObject(j, "skipped", 1);
			cJSON_AddStringToObject(j, "message", c->message);
			cJSON_AddItemToArray(arr, j);
		} else {
			printf("  %-6s %-24s ", c->skipped ? _("skip") : c->ok ? _("pass") : _("FAIL"), pg_code_name(c->code));
			cli_put(stdout, c->message);
			putchar('\n');
		}
	}
	if (obj)
		cJSON_AddItemToObject(obj, "checks", arr);
}

static int load_and_report(pg_cli *cli, pg_pack_mode mode)
{
	pg_pack_opts opts;
	pg_pack *p = NULL;
	pg_policy *pol = NULL;
	pg_policy_check checks[PG_POLICY_NCHECKS];
	const pg_policy_check *failed = NULL;
	pg_sig_result *sres = NULL;
	const char *policy_path = cli->cfg.value[PG_SET_POLICY];
	cJSON *obj = NULL;
	pg_error err;
	int rc = 0;

	pg_error_clear(&err);
	pg_pack_opts_init(&opts);
	opts.mode = mode;
	if (policy_path && mode == PG_PACK_VERIFY) {
		if (pg_policy_load(policy_path, &pol, &err) != PG_OK)
			return cli_fail(cli, &err);
		pg_policy_apply_limits(pol, &opts.limits);
		opts.file_types = pg_policy_file_types(pol);
	}
	if (pg_pack_load(cli->args[0], &opts, &p, &err) != PG_OK) {
		rc = cli_fail(cli, &err);
		goto out;
	}
	if (mode == PG_PACK_VERIFY && cli_check_publishers(cli, p, pol, &sres, &err) != PG_OK) {
		rc = cli_fail(cli, &err);
		goto out;
	}
	if (pol && pg_policy_check_pack(pol, p->manifest, p->docs[PG_ROLE_CONTRACT], p->docs[PG_ROLE_PERMISSIONS],
	                                p->docs[PG_ROLE_EVALUATION_CARD], time(NULL), NULL, NULL, checks,
	                                &err) != PG_OK) {
		rc = cli_fail(cli, &err);
		goto out;
	}
	if (cli->json) {
		obj = pack_json(p, mode == PG_PACK_VERIFY, sres);
		if (pol) {
			cJSON_AddStringToObject(obj, "policy", pol->digest);
			report_checks(checks, obj, &failed);
		}
		if (failed) {
			/* the checks ran; the pack failed one: ok false, exit 1 */
			cJSON_AddBoolToObject(obj, "ok", 0);
			pg_err(&err, failed->code, "%s", failed->message);
			cJSON *e = cJSON_CreateObject();
			cJSON_AddStringToObject(e, "code", pg_code_name(failed->code));
			cJSON_AddStringToObject(e, "class", pg_code_class(failed->code));
			cJSON_AddStringToObject(e, "message", failed->message);
			cJSON_AddItemToObject(obj, "error", e);
			cli_json_print(obj);
			obj = NULL;
			fprintf(stderr, "packgate: %s: ", pg_code_name(failed->code));
			cli_put(stderr, failed->message);
			fputc('\n', stderr);
			rc = pg_code_exit(failed->code);
		} else {
			rc = cli_json_ok(obj);
			obj = NULL;
		}
	} else {
		pack_text(p, mode == PG_PACK_VERIFY, sres);
		if (pol) {
			report_checks(checks, NULL, &failed);
			if (failed) {
				pg_err(&err, failed->code, "%s", failed->message);
				rc = cli_fail(cli, &err);
			}
		}
	}
out:
	free(sres);
	cJSON_Delete(obj);
	pg_pack_free(p);
	pg_policy_free(pol);
	return rc;
}

int cmd_inspect(pg_cli *cli)
{
	return load_and_report(cli, PG_PACK_INSPECT);
}

int cmd_verify(pg_cli *cli)
{
	return load_and_report(cli, PG_PACK_VERIFY);
}

int cmd_build(pg_cli *cli)
{
	pg_error err;
	char id[72];
	int compress = PG_COMPRESS_NONE;

	if (!cli->output)
		return cli_usage(cli, _("build needs -o PACK"));
	if (cli->compress) {
		compress = pg_compress_parse(cli->compress);
		if (compress < 0)
			return cli_usage(cli, _("--compress takes none, gzip or zstd, not %s"), cli->compress);
	}
	if (pg_build(cli->args[0], cli->output, (pg_compress)compress, NULL, id, &err) != PG_OK)
		return cli_fail(cli, &err);
	if (cli->json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", id);
		cJSON_AddStringToObject(o, "path", cli->output);
		return cli_json_ok(o);
	}
	printf("%s ", _("built"));
	cli_put(stdout, cli->output);
	printf(" %s\n", id);
	return 0;
}
