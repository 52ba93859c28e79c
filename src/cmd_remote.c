/* cmd_remote.c — push, pull, sync. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "remote_cmds.h"
#include "json.h"
#include "policy.h"
#include "registry.h"
#include "remote.h"
#include "review.h"
#include "sig.h"

struct session {
	pg_reg *reg;
	pg_policy *pol;
	pg_sig *sig;
	pg_remote *remote;
	pg_review rv;
	int tty;          /* progress lines on stderr */
};

static void session_close(struct session *s)
{
	pg_remote_close(s->remote);
	pg_sig_close(s->sig);
	pg_policy_free(s->pol);
	pg_reg_close(s->reg);
	memset(s, 0, sizeof *s);
}

static void progress(void *ctx, const pg_remote_progress *p)
{
	struct session *s = ctx;

	switch (p->event) {
	case PG_REMOTE_EV_WARNING:
		fputs(_("packgate: warning: "), stderr);
		cli_put(stderr, p->message ? p->message : "");
		fputc('\n', stderr);
		break;
	case PG_REMOTE_EV_RETRY:
	case PG_REMOTE_EV_RESTART:
		fputs(p->event == PG_REMOTE_EV_RETRY ? _("packgate: retrying: ") : _("packgate: upload started over: "), stderr);
		cli_put(stderr, p->message ? p->message : "");
		fputc('\n', stderr);
		break;
	case PG_REMOTE_EV_BLOB_START:
		if (s->tty && p->total >= 1024 * 1024) {
			fputs("  ", stderr);
			cli_put(stderr, p->path ? p->path : p->digest ? p->digest : "");
			fprintf(stderr, ngettext(" (%llu byte)\n", " (%llu bytes)\n", (unsigned long)p->total),
			        (unsigned long long)p->total);
		}
		break;
	default:
		break;
	}
}

/* Opens the registry, the remote and, for pulling, the policy and GnuPG. */
static pg_code session_open(pg_cli *cli, struct session *s, const char *url, int pulling, pg_error *err)
{
	pg_remote_opts o;
	pg_code rc;

	memset(s, 0, sizeof *s);
	s->tty = !cli->json && isatty(2);
	if (pulling) {
		rc = cli_load_policy(cli, &s->pol, err);
		if (!rc)
			rc = cli_open_registry(cli, &s->reg, 1, err);
		if (!rc)
			rc = cli_open_gnupg(cli, s->pol, &s->sig, err);
	} else {
		rc = cli_open_registry(cli, &s->reg, 0, err);
	}
	if (rc)
		return rc;
	pg_remote_opts_init(&o);
	o.cacert = cli->cfg.value[PG_SET_CACERT];
	o.progress = progress;
	o.progress_ctx = s;
	rc = pg_remote_open(url, &o, &s->remote, err);
	if (rc)
		return rc;
	s->rv.reg = s->reg;
	s->rv.policy = s->pol;
	s->rv.sig = s->sig;
	return PG_OK;
}

static const char *remote_url(pg_cli *cli)
{
	return cli->cfg.value[PG_SET_REMOTE];
}

/* ------------------------------------------------------------ output */

static cJSON *packs_json(const pg_remote_result *res, int pushing)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; a && i < res->npacks; i++) {
		const pg_remote_pack *p = &res->packs[i];
		cJSON *o = cJSON_CreateObject();
		if (!o)
			break;
		cJSON_AddItemToArray(a, o);
		cJSON_AddStringToObject(o, "status", pg_remote_status_name(p->status));
		if (p->id[0])
			cJSON_AddStringToObject(o, "id", p->id);
		cJSON_AddStringToObject(o, "name", p->name);
		cJSON_AddStringToObject(o, "version", p->version);
		cJSON_AddStringToObject(o, "repository", p->repository);
		cJSON_AddStringToObject(o, "tag", p->tag);
		if (p->digest[0])
			cJSON_AddStringToObject(o, "digest", p->digest);
		if (pushing) {
			cJSON_AddNumberToObject(o, "blobs_uploaded", p->blobs_uploaded);
			cJSON_AddNumberToObject(o, "blobs_present", p->blobs_present);
			cJSON_AddNumberToObject(o, "bytes_uploaded", (double)p->bytes_uploaded);
		} else if (p->status == PG_REMOTE_IMPORTED || p->status == PG_REMOTE_PRESENT) {
			cJSON_AddStringToObject(o, "state", pg_state_name(p->state));
			cJSON_AddBoolToObject(o, "new", p->is_new);
		}
		if (p->status == PG_REMOTE_FAILED) {
			cJSON_AddStringToObject(o, "code", pg_code_name(p->code));
			cJSON_AddStringToObject(o, "message", p->message);
		}
	}
	return a;
}

static cJSON *stmts_json(const pg_remote_result *res)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; a && i < res->nstmts; i++) {
		const pg_remote_stmt *s = &res->stmts[i];
		cJSON *o = cJSON_CreateObject();
		if (!o)
			break;
		cJSON_AddItemToArray(a, o);
		if (s->seq)
			cJSON_AddNumberToObject(o, "seq", (double)s->seq);
		cJSON_AddStringToObject(o, "kind", s->kind);
		cJSON_AddStringToObject(o, "pack", s->pack);
		if (s->digest[0])
			cJSON_AddStringToObject(o, "digest", s->digest);
		if (s->statement[0])
			cJSON_AddStringToObject(o, "statement", s->statement);
		cJSON_AddStringToObject(o, "status", pg_remote_status_name(s->status));
		if (s->code) {
			cJSON_AddStringToObject(o, "code", pg_code_name(s->code));
			cJSON_AddStringToObject(o, "message", s->message);
		}
	}
	return a;
}

/* The members describing one push or pull, added to o. */
static void result_members(cJSON *o, const pg_remote_result *res, int pushing)
{
	cJSON *tags, *w;

	cJSON_AddItemToObject(o, "packs", packs_json(res, pushing));
	cJSON_AddItemToObject(o, "statements", stmts_json(res));
	tags = cJSON_AddArrayToObject(o, "tags");
	for (size_t i = 0; tags && i < res->ntags; i++) {
		cJSON *t = cJSON_CreateObject();
		cJSON_AddItemToArray(tags, t);
		cJSON_AddStringToObject(t, "repository", res->tags[i].repository);
		cJSON_AddStringToObject(t, "tag", res->tags[i].tag);
		cJSON_AddStringToObject(t, "digest", res->tags[i].digest);
	}
	w = cJSON_AddArrayToObject(o, "warnings");
	for (size_t i = 0; w && i < res->nwarnings; i++)
		cJSON_AddItemToArray(w, cJSON_CreateString(res->warnings[i]));
	cJSON_AddNumberToObject(o, "retries", res->retries);
	cJSON_AddNumberToObject(o, "upload_restarts", res->restarts);
}

/* push and pull: the members at the top; sync: "pull" and "push" objects. */
static cJSON *result_json(const char *remote, const pg_remote_result *pulled, const pg_remote_result *pushed)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "remote", remote);
	if (pulled && pushed) {
		result_members(cJSON_AddObjectToObject(o, "pull"), pulled, 0);
		result_members(cJSON_AddObjectToObject(o, "push"), pushed, 1);
	} else {
		result_members(o, pulled ? pulled : pushed, pushed != NULL);
	}
	return o;
}

static void print_text(const pg_remote_result *res, int pushing)
{
	for (size_t i = 0; i < res->npacks; i++) {
		const pg_remote_pack *p = &res->packs[i];
		if (p->status == PG_REMOTE_FAILED)
			continue; /* on stderr */
		printf("%-9s ", pg_remote_status_name(p->status));
		cli_put(stdout, p->name);
		putchar(' ');
		cli_put(stdout, p->version);
		fputs(" ", stdout);
		cli_put(stdout, p->repository);
		putchar(':');
		cli_put(stdout, p->tag);
		putchar(' ');
		cli_put(stdout, p->digest);
		if (pushing && p->status == PG_REMOTE_PUSHED)
			printf(ngettext(" (%u blob sent, %u present)", " (%u blobs sent, %u present)", p->blobs_uploaded),
			       p->blobs_uploaded, p->blobs_present);
		if (!pushing)
			printf(" %s", pg_state_name(p->state));
		putchar('\n');
	}
	for (size_t i = 0; i < res->nstmts; i++) {
		const pg_remote_stmt *s = &res->stmts[i];
		if (s->status == PG_REMOTE_FAILED)
			continue;
		printf("%-9s ", pg_remote_status_name(s->status));
		cli_put(stdout, s->kind);
		putchar(' ');
		cli_put(stdout, s->pack);
		putchar(' ');
		cli_put(stdout, s->digest);
		putchar('\n');
	}
	for (size_t i = 0; i < res->ntags; i++) {
		printf("%-9s ", "tagged");
		cli_put(stdout, res->tags[i].repository);
		putchar(':');
		cli_put(stdout, res->tags[i].tag);
		putchar(' ');
		cli_put(stdout, res->tags[i].digest);
		putchar('\n');
	}
}

/* The failed items, one line each on stderr (the final error excepted). */
static void print_failures(const pg_remote_result *res, const pg_error *final)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->npacks; i++) {
		const pg_remote_pack *p = &res->packs[i];
		if (p->status != PG_REMOTE_FAILED || (p->code == final->code && strcmp(p->message, final->message) == 0))
			continue;
		fprintf(stderr, "packgate: %s: ", pg_code_name(p->code));
		cli_put(stderr, p->repository);
		fputc(':', stderr);
		cli_put(stderr, p->tag);
		fputs(": ", stderr);
		cli_put(stderr, p->message);
		fputc('\n', stderr);
	}
	for (size_t i = 0; i < res->nstmts; i++) {
		const pg_remote_stmt *s = &res->stmts[i];
		if (s->status != PG_REMOTE_FAILED || (s->code == final->code && strcmp(s->message, final->message) == 0))
			continue;
		fprintf(stderr, "packgate: %s: %s %s: ", pg_code_name(s->code), s->kind, s->digest);
		cli_put(stderr, s->message);
		fputc('\n', stderr);
	}
}

/* Prints the outcome; returns the exit status.  pulled or pushed may be
 * NULL (push, pull); both are given for sync. */
static int finish(pg_cli *cli, const char *remote, const pg_remote_result *pulled, const pg_remote_result *pushed,
                  pg_code rc, const pg_error *err)
{
	if (!rc) {
		if (cli->json)
			return cli_json_ok(result_json(remote, pulled, pushed));
		if (pulled)
			print_text(pulled, 0);
		if (pushed)
			print_text(pushed, 1);
		return 0;
	}
	print_failures(pulled, err);
	print_failures(pushed, err);
	if (cli->json) {
		cJSON *o = result_json(remote, pulled, pushed), *e = cJSON_CreateObject();
		fprintf(stderr, "packgate: %s: ", pg_code_name(rc));
		cli_put(stderr, err->message);
		fputc('\n', stderr);
		cJSON_AddBoolToObject(o, "ok", 0);
		cJSON_AddStringToObject(e, "code", pg_code_name(rc));
		cJSON_AddStringToObject(e, "class", pg_code_class(rc));
		cJSON_AddStringToObject(e, "message", err->message);
		if (err->path[0])
			cJSON_AddStringToObject(e, "path", err->path);
		cJSON_AddItemToObject(o, "error", e);
		cli_json_print(o);
		return pg_code_exit(rc);
	}
	if (pulled)
		print_text(pulled, 0);
	if (pushed)
		print_text(pushed, 1);
	return cli_fail(cli, err);
}

/* ------------------------------------------------------------ commands */

int cmd_push(pg_cli *cli)
{
	struct session s;
	pg_remote_result res;
	char (*ids)[PG_ID_LEN] = NULL;
	const char **idp = NULL;
	const char *url = remote_url(cli);
	pg_error err;
	pg_code rc;
	int status;

	pg_error_clear(&err);
	memset(&res, 0, sizeof res);
	if (!url)
		return cli_usage(cli, _("no remote: give --remote URL or set remote in the config file"));
	rc = session_open(cli, &s, url, 0, &err);
	if (rc)
		goto fail;
	ids = calloc((size_t)cli->nargs + 1, sizeof *ids);
	idp = calloc((size_t)cli->nargs + 1, sizeof *idp);
	if (!ids || !idp) {
		rc = pg_err(&err, PG_IO_MEMORY, _("out of memory"));
		goto fail;
	}
	for (int i = 0; i < cli->nargs; i++) {
		rc = pg_reg_resolve(s.reg, cli->args[i], ids[i], &err);
		if (rc)
			goto fail;
		idp[i] = ids[i];
	}
	rc = pg_remote_push(s.remote, s.reg, idp, (size_t)cli->nargs, &res, &err);
	status = finish(cli, url, NULL, &res, rc, &err);
	pg_remote_result_free(&res);
	free(ids);
	free(idp);
	session_close(&s);
	return status;
fail:
	free(ids);
	free(idp);
	session_close(&s);
	return cli_fail(cli, &err);
}

int cmd_pull(pg_cli *cli)
{
	struct session s;
	pg_remote_result res;
	char *url = NULL, *name = NULL, *tag = NULL;
	pg_error err;
	pg_code rc;
	int status;

	pg_error_clear(&err);
	memset(&res, 0, sizeof res);
	memset(&s, 0, sizeof s);
	rc = pg_remote_parse_ref(cli->args[0], remote_url(cli), &url, &name, &tag, &err);
	if (rc == PG_USAGE)
		return cli_usage(cli, "%s", err.message);
	if (!rc)
		rc = session_open(cli, &s, url, 1, &err);
	if (rc)
		goto fail;
	rc = pg_remote_pull(s.remote, &s.rv, name, tag, &res, &err);
	status = finish(cli, url, &res, NULL, rc, &err);
	pg_remote_result_free(&res);
	session_close(&s);
	free(url);
	free(name);
	free(tag);
	return status;
fail:
	session_close(&s);
	free(url);
	free(name);
	free(tag);
	return cli_fail(cli, &err);
}

int cmd_sync(pg_cli *cli)
{
	struct session s;
	pg_remote_result pulled, pushed;
	const char *url = remote_url(cli);
	pg_error err;
	pg_code rc;
	int status;

	pg_error_clear(&err);
	memset(&pulled, 0, sizeof pulled);
	memset(&pushed, 0, sizeof pushed);
	if (!url)
		return cli_usage(cli, _("no remote: give --remote URL or set remote in the config file"));
	rc = session_open(cli, &s, url, 1, &err);
	if (rc) {
		session_close(&s);
		return cli_fail(cli, &err);
	}
	rc = pg_remote_sync(s.remote, &s.rv, &pulled, &pushed, &err);
	status = finish(cli, url, &pulled, &pushed, rc, &err);
	pg_remote_result_free(&pulled);
	pg_remote_result_free(&pushed);
	session_close(&s);
	return status;
}
