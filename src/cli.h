/* cli.h — what the subcommands share: parsed options and output. */
#ifndef PG_CLI_H
#define PG_CLI_H

#include <stdio.h>
#include <cjson/cJSON.h>
#include "pg.h"
#include "settings.h"

/* Every option of every command; main() checks which a command accepts. */
typedef struct pg_cli {
	int json;
	const char *registry, *policy, *gnupghome, *key, *config, *remote;
	const char *output;       /* -o */
	const char *compress;     /* --compress */
	const char *dir;          /* --dir */
	int no_tui;
	const char *state, *name, *search, *sort, *limit, *offset;
	int descendants;
	const char *depth;
	int reject;
	const char *target, *comment, *passphrase_file;
	pg_config cfg;            /* resolved settings (main fills it) */
	char **args;              /* operands after the command name */
	int nargs;
} pg_cli;

/* Reports err: "packgate: CODE: message" on stderr, and with --json the
 * failure object on stdout.  Returns the exit status for the code. */
int cli_fail(const pg_cli *cli, const pg_error *err);

/* Reports a usage error (exit 2) with a printf message. */
int cli_usage(const pg_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints obj (adding "ok": true) as canonical JSON plus a newline on stdout,
 * takes ownership of obj.  Returns 0, or 3 when stdout fails. */
int cli_json_ok(cJSON *obj);

/* Prints obj as it is (canonical JSON and a newline); takes ownership. */
int cli_json_print(cJSON *obj);

/* Prints untrusted text escaped for the terminal. */
void cli_put(FILE *fp, const char *s);

/* Flushes stdout; maps a write failure (a full disk, a closed pipe) to
 * io.write.  Returns the exit status to use (0 or 3). */
int cli_finish(const pg_cli *cli);

int cmd_inspect(pg_cli *cli);
int cmd_verify(pg_cli *cli);
int cmd_build(pg_cli *cli);
int cmd_canon(pg_cli *cli);
int cmd_import(pg_cli *cli);
int cmd_list(pg_cli *cli);
int cmd_show(pg_cli *cli);
int cmd_lineage(pg_cli *cli);
int cmd_approve(pg_cli *cli);
int cmd_transition(pg_cli *cli);
int cmd_log(pg_cli *cli);
int cmd_audit(pg_cli *cli);
int cmd_sign(pg_cli *cli);
int cmd_demo(pg_cli *cli);

struct pg_reg;
struct pg_policy;
/* Opens the configured registry, creating it only when `create` is set
 * (commands that write); otherwise a missing one is io.not_found.
 * Returns a pg_code. */
int cli_open_registry(pg_cli *cli, struct pg_reg **reg, int create, pg_error *err);
/* Loads the configured policy into *pol, or leaves it NULL when none is
 * configured.  Returns a pg_code. */
int cli_load_policy(pg_cli *cli, struct pg_policy **pol, pg_error *err);

#include "pack.h"
#include "policy.h"
#include "sig.h"

/* Opens GnuPG for checking signatures: always with a policy (whose people's
 * keys are imported), otherwise only when a GnuPG home exists, so checking
 * never creates a keyring (*sig NULL then).  Returns a pg_code. */
int cli_open_gnupg(pg_cli *cli, const pg_policy *pol, pg_sig **sig, pg_error *err);

/* Checks the publisher signatures of a loaded pack (CONTRACT section 4,
 * 5): with a policy, its people's keys are imported first and a policy with
 * `publishers` needs a good one (sig.missing).  Without a policy and with no
 * GnuPG home at all, nothing is checked (*results NULL).  On PG_OK
 * *results is one result per p->sigs[i] (free()), or NULL. */
int cli_check_publishers(pg_cli *cli, const pg_pack *p, const pg_policy *pol, pg_sig_result **results,
                         pg_error *err);

#endif
