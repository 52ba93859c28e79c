/* main.c — option parsing and dispatch.  Options may stand anywhere on the
 * command line (GNU getopt permutes); "--" ends them. */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "remote_cmds.h"
#include "tui.h"

enum opt {
	O_GLOBAL = 1 << 0, /* accepted by every command */
	O_OUTPUT = 1 << 1,
	O_COMPRESS = 1 << 2,
	O_DIR = 1 << 3,
	O_NO_TUI = 1 << 4,
	O_LIST = 1 << 5,   /* --state --name --search --sort --limit --offset */
	O_LINEAGE = 1 << 6, /* --descendants --depth */
	O_APPROVE = 1 << 7, /* --reject --target */
	O_COMMENT = 1 << 8, /* --comment --passphrase-file */
	O_REMOTE = 1 << 9,
	O_PASSPHRASE = 1 << 10, /* --passphrase-file */
};

struct command {
	const char *name;
	int (*run)(pg_cli *);
	unsigned opts;
	int min_args, max_args; /* max -1: unlimited */
};

static const struct command commands[] = {
	{ "inspect", cmd_inspect, O_GLOBAL, 1, 1 },
	{ "verify", cmd_verify, O_GLOBAL, 1, 1 },
	{ "build", cmd_build, O_GLOBAL | O_OUTPUT | O_COMPRESS, 1, 1 },
	{ "canon", cmd_canon, O_GLOBAL, 0, 1 },
	{ "demo", cmd_demo, O_GLOBAL | O_DIR | O_NO_TUI, 0, 0 },
	{ "sign", cmd_sign, O_GLOBAL | O_OUTPUT | O_PASSPHRASE, 1, 1 },
	{ "import", cmd_import, O_GLOBAL, 1, -1 },
	{ "list", cmd_list, O_GLOBAL | O_LIST, 0, 0 },
	{ "show", cmd_show, O_GLOBAL, 1, 1 },
	{ "lineage", cmd_lineage, O_GLOBAL | O_LINEAGE, 1, 1 },
	{ "approve", cmd_approve, O_GLOBAL | O_APPROVE | O_COMMENT | O_PASSPHRASE, 1, 1 },
	{ "transition", cmd_transition, O_GLOBAL | O_COMMENT | O_PASSPHRASE, 2, 2 },
	{ "log", cmd_log, O_GLOBAL, 0, 1 },
	{ "audit", cmd_audit, O_GLOBAL, 0, 0 },
	{ "push", cmd_push, O_GLOBAL | O_REMOTE, 0, -1 },
	{ "pull", cmd_pull, O_GLOBAL | O_REMOTE, 1, 1 },
	{ "sync", cmd_sync, O_GLOBAL | O_REMOTE, 0, 0 },
};

enum {
	OPT_REGISTRY = 256, OPT_POLICY, OPT_GNUPGHOME, OPT_KEY, OPT_CONFIG, OPT_JSON,
	OPT_HELP, OPT_VERSION, OPT_COMPRESS, OPT_DIR, OPT_NO_TUI, OPT_STATE, OPT_NAME,
	OPT_SEARCH, OPT_SORT, OPT_LIMIT, OPT_OFFSET, OPT_DESCENDANTS, OPT_DEPTH,
	OPT_REJECT, OPT_TARGET, OPT_COMMENT, OPT_PASSPHRASE_FILE, OPT_REMOTE,
};

static const struct option long_opts[] = {
	{ "registry", required_argument, NULL, OPT_REGISTRY },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "gnupghome", required_argument, NULL, OPT_GNUPGHOME },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "output", required_argument, NULL, 'o' },
	{ "compress", required_argument, NULL, OPT_COMPRESS },
	{ "dir", required_argument, NULL, OPT_DIR },
	{ "no-tui", no_argument, NULL, OPT_NO_TUI },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "search", required_argument, NULL, OPT_SEARCH },
	{ "sort", required_argument, NULL, OPT_SORT },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "offset", required_argument, NULL, OPT_OFFSET },
	{ "descendants", no_argument, NULL, OPT_DESCENDANTS },
	{ "depth", required_argument, NULL, OPT_DEPTH },
	{ "reject", no_argument, NULL, OPT_REJECT },
	{ "target", required_argument, NULL, OPT_TARGET },
	{ "comment", required_argument, NULL, OPT_COMMENT },
	{ "passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE },
	{ "remote", required_argument, NULL, OPT_REMOTE },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *fp)
{
	fputs(_("Usage: packgate [OPTION...] [COMMAND [ARG...]]\n"
	        "Review and approve ML model packs.\n"
	        "\n"
	        "With no command, opens the terminal interface.\n"
	        "\n"
	        "Commands:\n"
	        "  demo [--dir DIR] [--no-tui]  make a demo world and open it\n"
	        "  inspect PACK                 read and validate the manifest only\n"
	        "  verify PACK                  every defense, digest and signature; policy checks\n"
	        "  build DIR -o PACK [--compress none|gzip|zstd]\n"
	        "                               make a reproducible pack from a directory\n"
	        "  sign PACK [-o OUT]           add your publisher signature\n"
	        "  canon [FILE]                 print the RFC 8785 canonical form of JSON\n"
	        "  import PACK...               verify, then add to the registry\n"
	        "  list [--state S] [--name N] [--search TEXT] [--sort COL] [--limit N] [--offset N]\n"
	        "  show REF                     one pack: manifest, files, checks, approvals\n"
	        "  lineage REF [--descendants] [--depth N]\n"
	        "  approve REF [--reject] [--target STATE] [--comment TEXT] [--passphrase-file F]\n"
	        "  transition REF STATE [--comment TEXT] [--passphrase-file F]\n"
	        "  log [REF]                    the audit trail with signature status\n"
	        "  audit                        re-verify the audit chain and every signature\n"
	        "  push [REF...] / pull URL/REPO[:TAG] / sync   the team registry\n"
	        "\n"
	        "Options:\n"
	        "  --json                       machine output on stdout\n"
	        "  --registry DB, --policy FILE, --gnupghome DIR, --key FPR, --config FILE\n"
	        "  --help                       show this help\n"
	        "  --version                    show the version\n"
	        "\n"
	        "Exit status: 0 success, 1 refused (invalid pack, failed check),\n"
	        "2 usage error, 3 the environment failed.\n"), fp);
}

static unsigned opt_class(int c)
{
	switch (c) {
	case 'o': return O_OUTPUT;
	case OPT_COMPRESS: return O_COMPRESS;
	case OPT_DIR: return O_DIR;
	case OPT_NO_TUI: return O_NO_TUI;
	case OPT_STATE: case OPT_NAME: case OPT_SEARCH: case OPT_SORT:
	case OPT_LIMIT: case OPT_OFFSET: return O_LIST;
	case OPT_DESCENDANTS: case OPT_DEPTH: return O_LINEAGE;
	case OPT_REJECT: case OPT_TARGET: return O_APPROVE;
	case OPT_COMMENT: return O_COMMENT;
	case OPT_PASSPHRASE_FILE: return O_PASSPHRASE;
	case OPT_REMOTE: return O_REMOTE;
	default: return O_GLOBAL;
	}
}

int main(int argc, char **argv)
{
	pg_cli cli;
	unsigned used = 0;
	const char *bad_opt = NULL;
	int c, help = 0, version = 0;
	const struct command *cmd = NULL;

	/* Messages come from LOCALEDIR, or from the directory named by
	 * PACKGATE_LOCALEDIR when that is set and not empty: the tests use it to
	 * run the uninstalled catalog of the build tree. */
	setlocale(LC_ALL, "");
	/* numbers in output (JSON, scores) never follow a decimal comma */
	setlocale(LC_NUMERIC, "C");
	{
		const char *dir = getenv("PACKGATE_LOCALEDIR");

		bindtextdomain(PACKAGE, dir && *dir ? dir : LOCALEDIR);
	}
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);

	memset(&cli, 0, sizeof cli);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:", long_opts, NULL)) != -1) {
		if (c == '?') {
			bad_opt = argv[optind - 1];
			break;
		}
		used |= opt_class(c);
		switch (c) {
		case OPT_REGISTRY: cli.registry = optarg; break;
		case OPT_POLICY: cli.policy = optarg; break;
		case OPT_GNUPGHOME: cli.gnupghome = optarg; break;
		case OPT_KEY: cli.key = optarg; break;
		case OPT_CONFIG: cli.config = optarg; break;
		case OPT_JSON: cli.json = 1; break;
		case OPT_HELP: help = 1; break;
		case OPT_VERSION: version = 1; break;
		case 'o': cli.output = optarg; break;
		case OPT_COMPRESS: cli.compress = optarg; break;
		case OPT_DIR: cli.dir = optarg; break;
		case OPT_NO_TUI: cli.no_tui = 1; break;
		case OPT_STATE: cli.state = optarg; break;
		case OPT_NAME: cli.name = optarg; break;
		case OPT_SEARCH: cli.search = optarg; break;
		case OPT_SORT: cli.sort = optarg; break;
		case OPT_LIMIT: cli.limit = optarg; break;
		case OPT_OFFSET: cli.offset = optarg; break;
		case OPT_DESCENDANTS: cli.descendants = 1; break;
		case OPT_DEPTH: cli.depth = optarg; break;
		case OPT_REJECT: cli.reject = 1; break;
		case OPT_TARGET: cli.target = optarg; break;
		case OPT_COMMENT: cli.comment = optarg; break;
		case OPT_PASSPHRASE_FILE: cli.passphrase_file = optarg; break;
		case OPT_REMOTE: cli.remote = optarg; break;
		}
	}
	if (bad_opt)
		return cli_usage(&cli, _("unknown option or missing argument: %s"), bad_opt);
	if (help) {
		usage(stdout);
		return cli_finish(&cli);
	}
	if (version) {
		printf("packgate %s\n", PACKAGE_VERSION);
		return cli_finish(&cli);
	}
	if (optind >= argc) {
		const char *given[PG_SET_COUNT_] = { cli.registry, cli.policy, cli.gnupghome, cli.key, cli.remote, NULL };
		pg_tui_opts t;
		pg_error err;

		if (used & ~(unsigned)O_GLOBAL)
			return cli_usage(&cli, _("an option given needs a command"));
		pg_error_clear(&err);
		if (pg_config_resolve(&cli.cfg, given, cli.config, &err) != PG_OK)
			return cli_fail(&cli, &err);
		pg_tui_opts_init(&t);
		t.registry = cli.cfg.value[PG_SET_REGISTRY];
		t.policy = cli.cfg.value[PG_SET_POLICY];
		t.gnupghome = cli.cfg.value[PG_SET_GNUPGHOME];
		t.key = cli.cfg.value[PG_SET_KEY];
		c = pg_tui_run(&t);
		pg_config_free(&cli.cfg);
		return c;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, argv[optind]) == 0)
			cmd = &commands[i];
	if (!cmd)
		return cli_usage(&cli, _("unknown command: %s"), argv[optind]);
	cli.args = argv + optind + 1;
	cli.nargs = argc - optind - 1;
	if (!cmd->run)
		return cli_usage(&cli, _("'%s' is not available in this version"), cmd->name);
	if (used & ~cmd->opts)
		return cli_usage(&cli, _("an option given does not apply to '%s'"), cmd->name);
	if (cli.nargs < cmd->min_args)
		return cli_usage(&cli, _("'%s' needs more arguments"), cmd->name);
	if (cmd->max_args >= 0 && cli.nargs > cmd->max_args)
		return cli_usage(&cli, _("too many arguments for '%s'"), cmd->name);
	{
		const char *given[PG_SET_COUNT_] = { cli.registry, cli.policy, cli.gnupghome, cli.key, cli.remote, NULL };
		pg_error err;

		pg_error_clear(&err);
		if (pg_config_resolve(&cli.cfg, given, cli.config, &err) != PG_OK)
			return cli_fail(&cli, &err);
	}
	c = cmd->run(&cli);
	pg_config_free(&cli.cfg);
	if (c == 0)
		return cli_finish(&cli);
	fflush(stdout);
	return c;
}
