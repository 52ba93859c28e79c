/* cmd_review.c — approve, transition, log, audit and sign. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "policy.h"
#include "registry.h"
#include "review.h"
#include "sig.h"
#include "statement.h"

/* ------------------------------------------------------------ passphrases */

struct pass_ctx {
	const char *file; /* --passphrase-file, or NULL to ask on the terminal */
};

/* Reads the first line of the passphrase file, or asks on /dev/tty with
 * echo off.  Returns 0, or non-zero to cancel. */
static int cli_passphrase(void *vctx, const char *hint, int prev_was_bad, char *buf, size_t cap)
{
	struct pass_ctx *ctx = vctx;
	struct termios old, quiet;
	FILE *fp;
	int tty, ok;
	size_t n;

	if (ctx->file) {
		if (prev_was_bad)
			return 1; /* the file's passphrase was wrong: asking again cannot help */
		fp = fopen(ctx->file, "r");
		if (!fp)
			return 1;
		ok = fgets(buf, (int)cap, fp) != NULL;
		fclose(fp);
		if (!ok)
			return 1;
		n = strcspn(buf, "\r\n");
		buf[n] = '\0';
		return 0;
	}
	tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (tty < 0)
		return 1;
	fp = fdopen(tty, "r+");
	if (!fp) {
		close(tty);
		return 1;
	}
	if (prev_was_bad)
		fprintf(fp, "%s\n", _("Wrong passphrase."));
	fprintf(fp, _("Passphrase for %s: "), hint); /* hint is escaped by core */
	fflush(fp);
	if (tcgetattr(tty, &old) != 0) {
		fclose(fp);
		return 1;
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(tty, TCSAFLUSH, &quiet);
	ok = fgets(buf, (int)cap, fp) != NULL;
	tcsetattr(tty, TCSAFLUSH, &old);
	fputc('\n', fp);
	fclose(fp);
	if (!ok)
		return 1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

/* ------------------------------------------------------------ setup */

struct session {
	pg_reg *reg;
	pg_policy *pol;
	pg_sig *sig;
	pg_sig_key key;
	struct pass_ctx pass;
};

static void session_close(struct session *s)
{
	pg_sig_close(s->sig);
	pg_policy_free(s->pol);
	pg_reg_close(s->reg);
	memset(s, 0, sizeof *s);
}

/* Opens the registry, the policy (required), GnuPG (with the policy's keys
 * imported) and, when signing, chooses the key. */
static pg_code session_open(pg_cli *cli, struct session *s, int signing, pg_error *err)
{
	pg_code rc;

	memset(s, 0, sizeof *s);
	if (!cli->cfg.value[PG_SET_POLICY])
		return pg_err(err, PG_USAGE, _("this command needs a policy: give --policy FILE or set it in the config file"));
	rc = cli_load_policy(cli, &s->pol, err);
	if (!rc)
		rc = cli_open_registry(cli, &s->reg, signing, err);
	if (!rc)
		rc = pg_sig_open(cli->cfg.value[PG_SET_GNUPGHOME], &s->sig, err);
	if (!rc)
		rc = pg_sig_import_policy(s->sig, s->pol, NULL, err);
	if (!rc && signing)
		rc = pg_sig_choose_key(s->sig, s->pol, cli->cfg.value[PG_SET_KEY], &s->key, err);
	if (!rc && signing) {
		s->pass.file = cli->passphrase_file;
		pg_sig_set_passphrase(s->sig, cli_passphrase, &s->pass);
	}
	return rc;
}

static void review_init(pg_review *rv, struct session *s)
{
	memset(rv, 0, sizeof *rv);
	rv->reg = s->reg;
	rv->policy = s->pol;
	rv->sig = s->sig;
	rv->signer = s->key.fingerprint;
}

/* ------------------------------------------------------------ approve */

int cmd_approve(pg_cli *cli)
{
	struct session s;
	pg_review rv;
	pg_reg_appended app;
	char id[PG_ID_LEN];
	pg_error err;
	int target = PG_STATE_APPROVED, rc = 0;
	pg_decision decision = cli->reject ? PG_DECISION_REJECT : PG_DECISION_APPROVE;

	pg_error_clear(&err);
	if (cli->target && (target = pg_state_parse(cli->target)) < 0)
		return cli_usage(cli, _("unknown state %s"), cli->target);
	if (session_open(cli, &s, 1, &err) || pg_reg_resolve(s.reg, cli->args[0], id, &err))
		goto fail;
	review_init(&rv, &s);
	if (pg_review_approve(&rv, id, decision, (pg_state)target, cli->comment, &app, &err))
		goto fail;
	if (cli->json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "pack", id);
		cJSON_AddStringToObject(o, "decision", decision == PG_DECISION_APPROVE ? "approve" : "reject");
		cJSON_AddStringToObject(o, "target", pg_state_name((pg_state)target));
		cJSON_AddStringToObject(o, "signer", s.key.fingerprint);
		cJSON_AddNumberToObject(o, "seq", (double)app.seq);
		cJSON_AddStringToObject(o, "hash", app.hash);
		rc = cli_json_ok(o);
	} else {
		printf(decision == PG_DECISION_APPROVE ? _("approved %s for %s") : _("rejected %s for %s"), id,
		       pg_state_name((pg_state)target));
		printf(_(" as %s (audit entry %lld)\n"), s.key.fingerprint, (long long)app.seq);
	}
	session_close(&s);
	return rc;
fail:
	session_close(&s);
	return cli_fail(cli, &err);
}

/* ------------------------------------------------------------ transition */

int cmd_transition(pg_cli *cli)
{
	struct session s;
	pg_review rv;
	pg_reg_appended app;
	pg_state before = PG_STATE_CANDIDATE;
	char id[PG_ID_LEN];
	pg_error err;
	int to, rc = 0;

	pg_error_clear(&err);
	to = pg_state_parse(cli->args[1]);
	if (to < 0)
		return cli_usage(cli, _("unknown state %s"), cli->args[1]);
	if (session_open(cli, &s, 1, &err) || pg_reg_resolve(s.reg, cli->args[0], id, &err) ||
	    pg_reg_state(s.reg, id, &before, &err))
		goto fail;
	review_init(&rv, &s);
	if (pg_review_transition(&rv, id, (pg_state)to, cli->comment, &app, &err))
		goto fail;
	if (cli->json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "pack", id);
		cJSON_AddStringToObject(o, "from", pg_state_name(before));
		cJSON_AddStringToObject(o, "to", pg_state_name((pg_state)to));
		cJSON_AddStringToObject(o, "signer", s.key.fingerprint);
		cJSON_AddNumberToObject(o, "seq", (double)app.seq);
		cJSON_AddStringToObject(o, "hash", app.hash);
		rc = cli_json_ok(o);
	} else {
		printf(_("%s: %s -> %s (audit entry %lld)\n"), id, pg_state_name(before), pg_state_name((pg_state)to),
		       (long long)app.seq);
	}
	session_close(&s);
	return rc;
fail:
	session_close(&s);
	return cli_fail(cli, &err);
}

/* ------------------------------------------------------------ log, audit */

int cmd_log(pg_cli *cli)
{
	struct session s;
	pg_reg_entries entries = { 0 };
	pg_review_verifier *ver = NULL;
	char id[PG_ID_LEN];
	pg_error err;
	cJSON *o = NULL, *arr = NULL;
	int rc = 0;

	pg_error_clear(&err);
	if (session_open(cli, &s, 0, &err))
		goto fail;
	ver = pg_review_verifier_new(s.sig, s.reg, s.pol);
	if (!ver) {
		pg_err(&err, PG_IO_MEMORY, _("out of memory"));
		goto fail;
	}
	if (cli->nargs && pg_reg_resolve(s.reg, cli->args[0], id, &err))
		goto fail;
	if (pg_reg_log(s.reg, cli->nargs ? id : NULL, &entries, &err))
		goto fail;
	if (cli->json) {
		o = cJSON_CreateObject();
		arr = cJSON_AddArrayToObject(o, "entries");
	}
	for (size_t i = 0; i < entries.n; i++) {
		const pg_reg_entry *e = &entries.v[i];
		pg_sig_result res;
		pg_stmt *st;

		pg_review_verify_entry(ver, e, &res, &st);
		if (arr) {
			cJSON *j = cJSON_CreateObject();
			cJSON_AddNumberToObject(j, "seq", (double)e->seq);
			cJSON_AddStringToObject(j, "kind", e->kind);
			cJSON_AddStringToObject(j, "pack", e->pack);
			cJSON_AddStringToObject(j, "statement", e->statement);
			cJSON_AddStringToObject(j, "signature", e->signature);
			cJSON_AddStringToObject(j, "signer", e->signer);
			cJSON_AddStringToObject(j, "status", res.status);
			if (res.code != PG_OK)
				cJSON_AddStringToObject(j, "code", pg_code_name(res.code));
			if (res.expired_after_signing)
				cJSON_AddBoolToObject(j, "expired_after_signing", 1);
			cJSON_AddStringToObject(j, "hash", e->hash);
			cJSON_AddStringToObject(j, "prev_hash", e->prev_hash);
			cJSON_AddStringToObject(j, "recorded_at", e->recorded_at);
			cJSON_AddItemToArray(arr, j);
		} else {
			printf("%4lld  %-20s  %-10s  ", (long long)e->seq, e->recorded_at, e->kind);
			if (st) {
				cli_put(stdout, st->name);
				putchar('@');
				cli_put(stdout, st->version);
				if (st->kind == PG_STMT_APPROVAL)
					printf("  %s -> %s", st->decision == PG_DECISION_APPROVE ? "approve" : "reject",
					       pg_state_name(st->target));
				else
					printf("  %s -> %s", pg_state_name(st->from), pg_state_name(st->to));
			} else {
				cli_put(stdout, e->pack);
			}
			fputs("  ", stdout);
			cli_put(stdout, e->signer);
			printf("  %s", res.status);
			if (res.code != PG_OK)
				printf(" (%s)", pg_code_name(res.code));
			if (res.expired_after_signing)
				printf(" %s", _("(key expired since)"));
			putchar('\n');
			if (st && st->comment && *st->comment) {
				printf("      ");
				cli_put(stdout, st->comment);
				putchar('\n');
			}
		}
		pg_stmt_free(st);
	}
	if (o) {
		rc = cli_json_ok(o);
		o = NULL;
	}
	pg_review_verifier_free(ver);
	pg_reg_entries_free(&entries);
	session_close(&s);
	return rc;
fail:
	cJSON_Delete(o);
	pg_review_verifier_free(ver);
	pg_reg_entries_free(&entries);
	session_close(&s);
	return cli_fail(cli, &err);
}

int cmd_audit(pg_cli *cli)
{
	struct session s;
	pg_reg_entries entries = { 0 };
	pg_review_verifier *ver = NULL;
	int64_t count = 0, bad_seq = 0;
	pg_error err, chain;
	cJSON *problems = cJSON_CreateArray();
	pg_code first = PG_OK;
	int rc = 0;

	pg_error_clear(&err);
	pg_error_clear(&chain);
	if (session_open(cli, &s, 0, &err))
		goto fail;
	if (pg_reg_chain_verify(s.reg, &count, &bad_seq, &chain) != PG_OK) {
		if (chain.code != PG_REGISTRY_CHAIN_BROKEN) {
			err = chain;
			goto fail;
		}
		cJSON *j = cJSON_CreateObject();
		cJSON_AddNumberToObject(j, "seq", (double)bad_seq);
		cJSON_AddStringToObject(j, "code", pg_code_name(chain.code));
		cJSON_AddStringToObject(j, "message", chain.message);
		cJSON_AddItemToArray(problems, j);
		first = chain.code;
	}
	if (pg_reg_log(s.reg, NULL, &entries, &err))
		goto fail;
	ver = pg_review_verifier_new(s.sig, s.reg, s.pol);
	if (!ver) {
		pg_err(&err, PG_IO_MEMORY, _("out of memory"));
		goto fail;
	}
	for (size_t i = 0; i < entries.n; i++) {
		pg_sig_result res;

		pg_review_verify_entry(ver, &entries.v[i], &res, NULL);
		if (res.code == PG_OK)
			continue;
		cJSON *j = cJSON_CreateObject();
		cJSON_AddNumberToObject(j, "seq", (double)entries.v[i].seq);
		cJSON_AddStringToObject(j, "code", pg_code_name(res.code));
		cJSON_AddStringToObject(j, "message", res.message);
		cJSON_AddItemToArray(problems, j);
		if (!first)
			first = res.code;
	}
	if (cli->json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "entries", (double)count);
		cJSON_AddItemToObject(o, "problems", problems);
		problems = NULL;
		if (first) {
			cJSON_AddBoolToObject(o, "ok", 0);
			cli_json_print(o);
		} else {
			rc = cli_json_ok(o);
		}
	} else {
		const cJSON *p;
		printf(ngettext("%lld audit entry checked\n", "%lld audit entries checked\n",
		                (unsigned long)count),
		       (long long)count);
		cJSON_ArrayForEach(p, problems) {
			printf("  %4lld  %s  ", (long long)pg_json_get(p, "seq")->valuedouble,
			       pg_json_str(pg_json_get(p, "code")));
			cli_put(stdout, pg_json_str(pg_json_get(p, "message")));
			putchar('\n');
		}
		if (!first)
			printf("%s\n", _("the chain is intact and every signature counts"));
	}
	if (first) {
		fprintf(stderr, "packgate: %s: %s\n", pg_code_name(first), _("the audit found problems"));
		rc = pg_code_exit(first);
	}
	cJSON_Delete(problems);
	pg_review_verifier_free(ver);
	pg_reg_entries_free(&entries);
	session_close(&s);
	return rc;
fail:
	cJSON_Delete(problems);
	pg_review_verifier_free(ver);
	pg_reg_entries_free(&entries);
	session_close(&s);
	return cli_fail(cli, &err);
}

/* ------------------------------------------------------------ sign */

int cmd_sign(pg_cli *cli)
{
	pg_sig *sig = NULL;
	pg_policy *pol = NULL;
	pg_sig_key key;
	pg_pack_opts opts;
	struct pass_ctx pass = { cli->passphrase_file };
	const char *out = cli->output ? cli->output : cli->args[0];
	char id[PG_ID_LEN];
	pg_error err;

	pg_error_clear(&err);
	pg_pack_opts_init(&opts);
	if (cli_load_policy(cli, &pol, &err) || pg_sig_open(cli->cfg.value[PG_SET_GNUPGHOME], &sig, &err) ||
	    pg_sig_choose_key(sig, pol, cli->cfg.value[PG_SET_KEY], &key, &err))
		goto fail;
	if (pol) {
		pg_policy_apply_limits(pol, &opts.limits);
		opts.file_types = pg_policy_file_types(pol);
	}
	pg_sig_set_passphrase(sig, cli_passphrase, &pass);
	if (pg_sig_sign_pack(sig, cli->args[0], out, key.fingerprint, &opts, id, &err))
		goto fail;
	if (cli->json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", id);
		cJSON_AddStringToObject(o, "path", out);
		cJSON_AddStringToObject(o, "fingerprint", key.fingerprint);
		pg_sig_close(sig);
		pg_policy_free(pol);
		return cli_json_ok(o);
	}
	printf("%s ", _("signed"));
	cli_put(stdout, out);
	printf(" %s %s\n", id, key.fingerprint);
	pg_sig_close(sig);
	pg_policy_free(pol);
	return 0;
fail:
	pg_sig_close(sig);
	pg_policy_free(pol);
	return cli_fail(cli, &err);
}
