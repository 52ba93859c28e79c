/* tui.h — the review TUI (UI.md): pack list, pack view with its tabs,
 * evaluation card, lineage, license, permissions and audit; doc/tui.md
 * describes the screens, the keys and the scripted tests.
 *
 * The TUI only reads through core/ (registry.h, policy.h, lineage.h ...)
 * and draws; every untrusted string it shows goes through pg_escape.
 */
#ifndef PG_TUI_H
#define PG_TUI_H

#include <time.h>

typedef struct pg_tui_opts {
	const char *registry;   /* the registry database path; required */
	const char *policy;     /* policy file, or NULL (checks recorded at import are shown) */
	const char *gnupghome;  /* GnuPG home, or NULL (GNUPGHOME / the default) */
	const char *key;        /* the user's signing key fingerprint, or NULL */
	/* Scripted tests (doc/tui.md): with script set, the real UI runs on
	 * newterm() over /dev/null, sized by LINES and COLUMNS, reading one key
	 * per line from the script and appending each `:dump`ed screen to dump;
	 * it quits at the end of the script. */
	const char *script;
	const char *dump;       /* with script: the dump file (appended), or NULL */
	time_t now;             /* 0: the clock; tests pin it for ages and checks */
} pg_tui_opts;

/* Zeroes o, then fills script, dump and now from the environment for the
 * scripted tests: PACKGATE_TUI_SCRIPT, PACKGATE_TUI_DUMP and
 * PACKGATE_TUI_NOW (RFC 3339 UTC; ignored when invalid).  The caller sets
 * registry, policy, gnupghome and key afterwards. */
void pg_tui_opts_init(pg_tui_opts *o);

/* Runs the TUI until the user quits (or the script ends).  A registry file
 * that does not exist is not created: the list is empty with a hint.  A
 * policy that cannot be loaded, a registry that cannot be opened, or a
 * terminal that cannot be set up ends the run before or after the screen
 * is restored, with one line "packgate: CODE: message" on stderr.  The
 * terminal is restored on every exit, on errors, and on SIGINT, SIGTERM,
 * SIGHUP and SIGSEGV.  Returns the process exit status: 0, or the status
 * of the error's code (pg_code_exit; 2 for a bad script). */
int pg_tui_run(const pg_tui_opts *opts);

#endif
