/* settings.h — where packgate's settings come from (CONTRACT section 3).
 *
 * Each setting (registry, policy, gnupghome, key, remote, cacert) is taken
 * from the first of:
 *   1. its command-line option;
 *   2. the file named by --config (an explicit choice on the command line);
 *   3. its environment variable (PACKGATE_REGISTRY, PACKGATE_POLICY,
 *      GNUPGHOME);
 *   4. the default config file, $XDG_CONFIG_HOME/packgate/config
 *      (~/.config/packgate/config);
 *   5. the built-in default (registry: $XDG_DATA_HOME/packgate/registry.db,
 *      ~/.local/share/packgate/registry.db).
 * The config file holds `key = value` lines; blank lines and lines starting
 * with '#' are ignored; relative paths are resolved against the directory of
 * the config file.  An unknown key or a line without '=' is an error naming
 * the file and line (code `usage`, exit 2).
 */
#ifndef PG_SETTINGS_H
#define PG_SETTINGS_H

#include "pg.h"

enum pg_setting {
	PG_SET_REGISTRY,
	PG_SET_POLICY,
	PG_SET_GNUPGHOME,
	PG_SET_KEY,
	PG_SET_REMOTE,
	PG_SET_CACERT,
	PG_SET_COUNT_
};

typedef struct pg_config {
	char *value[PG_SET_COUNT_]; /* owned; NULL when unset */
	char *file;                 /* the config file used, or NULL */
} pg_config;

/* The key of a setting in the config file ("registry" ...). */
const char *pg_setting_name(enum pg_setting s);

/* Resolves every setting.  `given` holds the command-line values (NULL when
 * not given; may be NULL itself), `config_path` the --config value or NULL.
 * An explicit config file that cannot be read is an io.* error; a missing
 * default one is not.  On success the caller frees cfg with pg_config_free. */
pg_code pg_config_resolve(pg_config *cfg, const char *const given[PG_SET_COUNT_],
                          const char *config_path, pg_error *err);

/* Parses one config file into values[] (owned strings; existing values are
 * kept).  Paths of registry, policy, gnupghome and cacert are made absolute
 * against the file's directory. */
pg_code pg_config_read(const char *path, char *values[PG_SET_COUNT_], pg_error *err);

void pg_config_free(pg_config *cfg);

#endif
