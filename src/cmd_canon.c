/* cmd_canon.c — `packgate canon [FILE]`: RFC 8785 form of one document. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "canon.h"
#include "cli.h"
#include "json.h"

int cmd_canon(pg_cli *cli)
{
	pg_limits caps;
	pg_json_limits jlim;
	pg_buf in;
	pg_error err;
	char block[65536], *out = NULL;
	size_t n, outlen = 0;
	const char *name = cli->nargs ? cli->args[0] : "-";
	FILE *fp = stdin;
	int rc = 0;

	pg_error_clear(&err);
	pg_limits_default(&caps);
	pg_json_limits_from(&jlim, &caps);
	pg_buf_init(&in, (size_t)caps.json_bytes);
	if (strcmp(name, "-") != 0) {
		fp = fopen(name, "rb");
		if (!fp) {
			pg_err_errno(&err, errno, 0, name);
			return cli_fail(cli, &err);
		}
	}
	while ((n = fread(block, 1, sizeof block, fp)) > 0) {
		int b = pg_buf_add(&in, block, n);
		if (b == -1) {
			pg_err(&err, PG_LIMIT_JSON_BYTES, _("%s: over the %llu-byte JSON limit"),
			       name, (unsigned long long)caps.json_bytes);
			goto fail;
		}
		if (b) {
			pg_err(&err, PG_IO_MEMORY, _("out of memory"));
			goto fail;
		}
	}
	if (ferror(fp)) {
		pg_err_errno(&err, errno ? errno : EIO, 0, name);
		goto fail;
	}
	if (pg_canon_bytes(in.data ? in.data : "", in.len, &jlim, &out, &outlen, &err) != PG_OK)
		goto fail;
	if (cli->json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "canonical", out);
		rc = cli_json_ok(o);
	} else if (fwrite(out, 1, outlen, stdout) != outlen) {
		rc = 3;
	}
	goto out;
fail:
	rc = cli_fail(cli, &err);
out:
	free(out);
	pg_buf_free(&in);
	if (fp != stdin)
		fclose(fp);
	return rc;
}
