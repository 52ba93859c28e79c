/* keygen.c — throwaway keys for the demo, through GPGME. */
#include "keygen.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <gpgme.h>

extern char **environ;

static pg_code open_ctx(const char *homedir, gpgme_ctx_t *ctx, pg_error *err)
{
	if (!gpgme_check_version("1.18.0"))
		return pg_err(err, PG_IO_NOT_FOUND, _("GPGME 1.18 or newer is required"));
	if (gpgme_new(ctx))
		return pg_err(err, PG_IO_MEMORY, _("cannot start GPGME"));
	if (gpgme_ctx_set_engine_info(*ctx, GPGME_PROTOCOL_OpenPGP, NULL, homedir)) {
		gpgme_release(*ctx);
		return pg_err(err, PG_IO_NOT_FOUND, _("no usable gpg for %s"), homedir);
	}
	gpgme_set_armor(*ctx, 1);
	return PG_OK;
}

pg_code pg_keygen_create(const char *homedir, const char *uid, char fpr[41], pg_error *err)
{
	gpgme_ctx_t ctx;
	gpgme_genkey_result_t res;
	gpgme_error_t ge;
	pg_code rc = open_ctx(homedir, &ctx, err);

	if (rc)
		return rc;
	ge = gpgme_op_createkey(ctx, uid, "ed25519", 0, 0, NULL,
	                        GPGME_CREATE_SIGN | GPGME_CREATE_NOPASSWD | GPGME_CREATE_NOEXPIRE |
	                        GPGME_CREATE_FORCE);
	res = ge ? NULL : gpgme_op_genkey_result(ctx);
	if (ge || !res || !res->fpr || strlen(res->fpr) != 40) {
		rc = pg_err(err, PG_SIG_BAD, _("GnuPG could not create a key for %s: %s"), uid,
		            ge ? gpgme_strerror(ge) : "?");
	} else {
		for (int i = 0; i < 40; i++)
			fpr[i] = (char)((res->fpr[i] >= 'a' && res->fpr[i] <= 'f') ? res->fpr[i] - 32 : res->fpr[i]);
		fpr[40] = '\0';
	}
	gpgme_release(ctx);
	return rc;
}

pg_code pg_keygen_export(const char *homedir, const char *fpr, char **armored, pg_error *err)
{
	gpgme_ctx_t ctx;
	gpgme_data_t out;
	size_t len;
	char *p;
	pg_code rc = open_ctx(homedir, &ctx, err);

	*armored = NULL;
	if (rc)
		return rc;
	if (gpgme_data_new(&out)) {
		gpgme_release(ctx);
		return pg_err(err, PG_IO_MEMORY, _("out of memory"));
	}
	if (gpgme_op_export(ctx, fpr, GPGME_EXPORT_MODE_MINIMAL, out)) {
		rc = pg_err(err, PG_SIG_UNKNOWN_KEY, _("cannot export the key %s"), fpr);
		gpgme_data_release(out);
	} else {
		p = gpgme_data_release_and_get_mem(out, &len);
		*armored = p ? strndup(p, len) : NULL;
		gpgme_free(p);
		if (!*armored || !len)
			rc = pg_err(err, PG_SIG_UNKNOWN_KEY, _("cannot export the key %s"), fpr);
	}
	gpgme_release(ctx);
	return rc;
}

void pg_keygen_stop_agent(const char *homedir)
{
	char *argv[] = { "gpgconf", "--homedir", (char *)homedir, "--kill", "all", NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status;

	if (posix_spawn_file_actions_init(&fa))
		return;
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, "gpgconf", &fa, NULL, argv, environ) == 0)
		waitpid(pid, &status, 0);
	posix_spawn_file_actions_destroy(&fa);
}
