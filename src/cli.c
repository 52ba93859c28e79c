/* cli.c — error reporting and output shared by the subcommands. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "canon.h"
#include "escape.h"

void cli_put(FILE *fp, const char *s)
{
	char *e = pg_escape_str(s);

	fputs(e ? e : "?", fp);
	free(e);
}

static int print_json(cJSON *obj)
{
	char *text = NULL;
	size_t len = 0;
	int rc = 0;

	if (pg_canon(obj, &text, &len, NULL) != PG_OK)
		rc = 3;
	else if (fwrite(text, 1, len, stdout) != len || fputc('\n', stdout) == EOF)
		rc = 3;
	free(text);
	cJSON_Delete(obj);
	return rc;
}

int cli_fail(const pg_cli *cli, const pg_error *err)
{
	pg_code code = err->code ? err->code : PG_IO_READ;

	fprintf(stderr, "packgate: %s: ", pg_code_name(code));
	cli_put(stderr, err->message[0] ? err->message : _("failed"));
	fputc('\n', stderr);
	if (cli && cli->json) {
		cJSON *o = cJSON_CreateObject(), *e = cJSON_CreateObject();
		cJSON_AddBoolToObject(o, "ok", 0);
		cJSON_AddStringToObject(e, "code", pg_code_name(code));
		cJSON_AddStringToObject(e, "class", pg_code_class(code));
		cJSON_AddStringToObject(e, "message", err->message);
		if (err->path[0])
			cJSON_AddStringToObject(e, "path", err->path);
		if (err->offset >= 0)
			cJSON_AddNumberToObject(e, "offset", (double)err->offset);
		cJSON_AddItemToObject(o, "error", e);
		print_json(o);
		fflush(stdout);
	}
	return pg_code_exit(code);
}

int cli_usage(const pg_cli *cli, const char *fmt, ...)
{
	pg_error err;
	va_list ap;

	pg_error_clear(&err);
	va_start(ap, fmt);
	pg_verr(&err, PG_USAGE, fmt, ap);
	va_end(ap);
	cli_fail(cli, &err);
	if (!cli || !cli->json)
		fprintf(stderr, _("Try 'packgate --help' for more information.\n"));
	return 2;
}

int cli_json_print(cJSON *obj)
{
	return print_json(obj);
}

int cli_json_ok(cJSON *obj)
{
	cJSON_DeleteItemFromObjectCaseSensitive(obj, "ok");
	cJSON_AddBoolToObject(obj, "ok", 1);
	return print_json(obj);
}

int cli_finish(const pg_cli *cli)
{
	pg_error err;

	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	pg_error_clear(&err);
	pg_err_errno(&err, errno ? errno : EIO, 1, _("standard output"));
	(void)cli;
	fprintf(stderr, "packgate: %s: %s\n", pg_code_name(err.code), err.message);
	return 3;
}

/* Whether a GnuPG home is there to use: the configured one, GNUPGHOME or
 * ~/.gnupg.  Verifying must not create a keyring as a side effect. */
static int gnupg_home_exists(const pg_cli *cli)
{
	const char *h = cli->cfg.value[PG_SET_GNUPGHOME], *home = getenv("HOME");
	char *def = NULL;
	struct stat st;
	int ok;

	if (h)
		return stat(h, &st) == 0 && S_ISDIR(st.st_mode);
	if (!home || asprintf(&def, "%s/.gnupg", home) < 0)
		return 0;
	ok = stat(def, &st) == 0 && S_ISDIR(st.st_mode);
	free(def);
	return ok;
}

int cli_open_gnupg(pg_cli *cli, const pg_policy *pol, pg_sig **sig, pg_error *err)
{
	pg_code rc;

	*sig = NULL;
	if (!pol && !gnupg_home_exists(cli))
		return PG_OK;
	rc = pg_sig_open(cli->cfg.value[PG_SET_GNUPGHOME], sig, err);
	if (!rc && pol)
		rc = pg_sig_import_policy(*sig, pol, NULL, err);
	if (rc) {
		pg_sig_close(*sig);
		*sig = NULL;
	}
	return rc;
}

int cli_check_publishers(pg_cli *cli, const pg_pack *p, const pg_policy *pol, pg_sig_result **results,
                         pg_error *err)
{
	pg_sig *sig = NULL;
	size_t ngood = 0;
	pg_code rc;

	*results = NULL;
	if (!p->nsigs && !(pol && pol->npublishers))
		return PG_OK;
	rc = cli_open_gnupg(cli, pol, &sig, err);
	if (rc || !sig)
		return rc; /* no GnuPG home and no policy: reported as not checked */
	rc = pg_sig_verify_pack(sig, p, pol, results, &ngood, err);
	pg_sig_close(sig);
	return rc;
}
