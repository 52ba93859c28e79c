/* settings.c — settings from options, config files, environment, defaults. */
#include "settings.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

/* A configuration file is a few lines; anything longer is not one. */
#define CONFIG_MAX ((size_t)64 * 1024)

static const char *const names[PG_SET_COUNT_] = {
	"registry", "policy", "gnupghome", "key", "remote", "cacert",
};

/* Settings whose values are paths, resolved against the file's directory. */
static int is_path(enum pg_setting s)
{
	return s == PG_SET_REGISTRY || s == PG_SET_POLICY || s == PG_SET_GNUPGHOME || s == PG_SET_CACERT;
}

const char *pg_setting_name(enum pg_setting s)
{
	return (unsigned)s < PG_SET_COUNT_ ? names[s] : "";
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static char *resolve(const char *file, const char *value)
{
	const char *slash = strrchr(file, '/');
	char *out;

	if (value[0] == '/' || !slash)
		return strdup(value);
	if (asprintf(&out, "%.*s/%s", (int)(slash - file), file, value) < 0)
		return NULL;
	return out;
}

pg_code pg_config_read(const char *path, char *values[PG_SET_COUNT_], pg_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), r, e, lineno = 0;
	const char *nul;
	char *line, *next;
	pg_buf b;
	pg_code rc = PG_OK;

	if (fd < 0)
		return pg_err_errno(err, errno, 0, path);
	pg_buf_init(&b, CONFIG_MAX);
	r = pg_buf_read_fd(&b, fd);
	e = errno;
	close(fd);
	if (r == -3)
		rc = pg_err_errno(err, e, 0, path);
	else if (r == -2)
		rc = pg_err(err, PG_IO_MEMORY, _("out of memory"));
	else if (r == -1)
		rc = pg_err(err, PG_USAGE, _("%s: over %zu bytes, not a configuration file"), path, CONFIG_MAX);
	else if (b.len && (nul = memchr(b.data, '\0', b.len))) {
		/* C strings stop at a NUL: the line would be read as shorter than it is */
		for (const char *p = b.data; p < nul; p++)
			lineno += *p == '\n';
		rc = pg_err(err, PG_USAGE, _("%s:%d: a NUL byte, not a configuration file"), path, lineno + 1);
	}
	for (line = b.data; !rc && line && *line; line = next) {
		char *eq, *key, *val;
		int k;

		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		lineno++;
		key = trim(line);
		if (!*key || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			rc = pg_err(err, PG_USAGE, _("%s:%d: expected key = value"), path, lineno);
			break;
		}
		*eq = '\0';
		val = trim(eq + 1);
		key = trim(key);
		for (k = 0; k < PG_SET_COUNT_ && strcmp(names[k], key) != 0; k++)
			;
		if (k == PG_SET_COUNT_) {
			rc = pg_err(err, PG_USAGE, _("%s:%d: unknown setting %s"), path, lineno, key);
			break;
		}
		if (!*val)
			continue;
		free(values[k]);
		values[k] = is_path((enum pg_setting)k) ? resolve(path, val) : strdup(val);
		if (!values[k])
			rc = pg_err(err, PG_IO_MEMORY, _("out of memory"));
	}
	pg_buf_free(&b);
	return rc;
}

static char *home_path(const char *xdg_var, const char *fallback, const char *rest)
{
	const char *base = getenv(xdg_var), *home = getenv("HOME");
	char *out;

	if (base && base[0] == '/') {
		if (asprintf(&out, "%s/%s", base, rest) < 0)
			return NULL;
	} else {
		if (asprintf(&out, "%s/%s/%s", home && *home ? home : ".", fallback, rest) < 0)
			return NULL;
	}
	return out;
}

void pg_config_free(pg_config *cfg)
{
	for (int i = 0; i < PG_SET_COUNT_; i++) {
		free(cfg->value[i]);
		cfg->value[i] = NULL;
	}
	free(cfg->file);
	cfg->file = NULL;
}

pg_code pg_config_resolve(pg_config *cfg, const char *const given[PG_SET_COUNT_], const char *config_path,
                          pg_error *err)
{
	char *explicit_vals[PG_SET_COUNT_] = { 0 }, *default_vals[PG_SET_COUNT_] = { 0 };
	static const char *const env[PG_SET_COUNT_] = {
		"PACKGATE_REGISTRY", "PACKGATE_POLICY", "GNUPGHOME", NULL, NULL, NULL,
	};
	char *default_file = NULL;
	pg_code rc = PG_OK;

	memset(cfg, 0, sizeof *cfg);
	if (config_path) {
		rc = pg_config_read(config_path, explicit_vals, err);
		if (rc)
			goto out;
		cfg->file = strdup(config_path);
	} else {
		default_file = home_path("XDG_CONFIG_HOME", ".config", "packgate/config");
		if (!default_file) {
			rc = pg_err(err, PG_IO_MEMORY, _("out of memory"));
			goto out;
		}
		{
			/* a file nobody named must not hold every command up: a FIFO
			 * there would wait for a writer (--config FIFO does, as cat) */
			struct stat st;
			if (stat(default_file, &st) == 0 && !S_ISREG(st.st_mode)) {
				rc = pg_err(err, PG_USAGE, _("%s: not a regular file, not a configuration file"), default_file);
				goto out;
			}
		}
		rc = pg_config_read(default_file, default_vals, err);
		if (rc == PG_IO_NOT_FOUND) {
			rc = PG_OK;
			pg_error_clear(err);
		} else if (rc) {
			goto out;
		} else {
			cfg->file = default_file;
			default_file = NULL;
		}
	}
	for (int i = 0; i < PG_SET_COUNT_; i++) {
		const char *v = given ? given[i] : NULL;
		const char *e = env[i] ? getenv(env[i]) : NULL;

		if (v)
			cfg->value[i] = strdup(v);
		else if (explicit_vals[i])
			cfg->value[i] = strdup(explicit_vals[i]);
		else if (e && *e)
			cfg->value[i] = strdup(e);
		else if (default_vals[i])
			cfg->value[i] = strdup(default_vals[i]);
		else if (i == PG_SET_REGISTRY)
			cfg->value[i] = home_path("XDG_DATA_HOME", ".local/share", "packgate/registry.db");
		else
			continue;
		if (!cfg->value[i]) {
			rc = pg_err(err, PG_IO_MEMORY, _("out of memory"));
			goto out;
		}
	}
out:
	for (int i = 0; i < PG_SET_COUNT_; i++) {
		free(explicit_vals[i]);
		free(default_vals[i]);
	}
	free(default_file);
	if (rc)
		pg_config_free(cfg);
	return rc;
}
