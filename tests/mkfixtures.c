/* mkfixtures.c — writes the fixture packs for the command-line tests.
 *
 *   mkfixtures DIR             every case of fx_cases[] that loads with the
 *                              default caps, as DIR/NAME.mpk, and
 *                              DIR/index.tsv: NAME<TAB>CODE<TAB>EXIT per line,
 *                              CODE the expected `packgate verify` code
 *                              ("ok" on success) and EXIT its exit status
 *   mkfixtures --good-dir DIR  the good pack as a `packgate build` input
 *                              directory
 * DIR is created when missing.  Exit 0 on success, 1 on failure, 2 on usage.
 */
#include "pg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fixtures.h"

static int usage(void)
{
	fputs("usage: mkfixtures DIR\n       mkfixtures --good-dir DIR\n", stderr);
	return 2;
}

static int make_dir(const char *dir)
{
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "mkfixtures: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static int write_cases(const char *dir)
{
	char path[4096];
	FILE *idx;
	int rc = 0;

	if ((size_t)snprintf(path, sizeof path, "%s/index.tsv", dir) >= sizeof path)
		return -1;
	if (!(idx = fopen(path, "w"))) {
		fprintf(stderr, "mkfixtures: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < fx_ncases; i++) {
		const fx_case *c = &fx_cases[i];
		fx_spec s;

		if (c->flags & FX_C_LIMITS)
			continue;
		memset(&s, 0, sizeof s);
		if (c->build(&s) != 0) {
			fprintf(stderr, "mkfixtures: %s: cannot build\n", c->name);
			fx_spec_free(&s);
			rc = -1;
			continue;
		}
		if ((size_t)snprintf(path, sizeof path, "%s/%s.mpk", dir, c->name) >= sizeof path ||
		    fx_write_pack(path, &s) != 0) {
			fprintf(stderr, "mkfixtures: %s: cannot write\n", c->name);
			rc = -1;
		} else {
			fprintf(idx, "%s\t%s\t%d\n", c->name, pg_code_name(c->code),
				pg_code_exit(c->code));
		}
		fx_spec_free(&s);
	}
	if (fclose(idx) != 0)
		rc = -1;
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--good-dir") == 0) {
		if (make_dir(argv[2]) || fx_write_good_dir(argv[2]))
			return 1;
		return 0;
	}
	if (argc != 2 || argv[1][0] == '-')
		return usage();
	if (make_dir(argv[1]) || write_cases(argv[1]))
		return 1;
	return 0;
}
