/* remote.c — the OCI distribution client and push/pull/sync (CONTRACT
 * section 9; doc/team-registry.md).
 *
 * One curl easy handle per pg_remote, reset before every request (the
 * connection cache survives a reset), every option set again.  Redirects
 * are followed here, not by curl, so that credentials go to the registry's
 * own origin only.  Base64 (the `auth` member of Docker's config.json) is
 * decoded with libgpg-error's gpgrt_b64dec_*, which GPGME links. */
#include "remote.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <gpg-error.h>

#include "buf.h"
#include "canon.h"
#include "chan.h"
#include "digest.h"
#include "escape.h"
#include "json.h"
#include "path.h"
#include "policy.h"
#include "schema.h"
#include "semver.h"
#include "statement.h"

#define ERROR_BODY_MAX ((size_t)64 * 1024)      /* error answers kept (cut beyond) */
#define TOKEN_BODY_MAX ((size_t)1024 * 1024)    /* a token answer */
#define TAGS_BODY_MAX ((size_t)4 * 1024 * 1024) /* one page of tags */
#define TAGS_PAGES_MAX 1000                     /* pages of one tag list */
#define TAGS_MAX 100000                         /* tags of one repository */
#define DOCKER_CONFIG_MAX ((size_t)1024 * 1024)
#define HELPER_OUTPUT_MAX ((size_t)64 * 1024)
#define HELPER_TIMEOUT_MS 30000
#define SIG_LAYERS_MAX 256                      /* publisher signatures per pack */
#define REFTAG_ROUNDS 5                         /* referrers tag read-modify-write rounds */
#define PROGRESS_STEP ((uint64_t)1024 * 1024)
/* curl's receive buffer for blobs: 2 MiB cut a 1 GiB pull's system time
 * by a quarter against 512 KiB (fewer recv and poll calls); curl before
 * 7.88 lowers it to its own 512 KiB cap. */
#define DOWNLOAD_BUFFER (2048L * 1024)

struct pg_remote {
	CURL *h;
	char *url;            /* origin + "/" + ns, or the origin */
	char *origin;         /* scheme://host[:port] */
	char *ns;             /* namespace, may be "" */
	char *host;           /* host[:port]: the key of the Docker credentials */
	char scheme[8];
	char *o_host;         /* lowercase host, for origin comparisons */
	long o_port;
	pg_remote_opts o;
	/* credentials, loaded when a registry first asks */
	int creds_loaded;
	char *user, *pass;
	char *identity_token;
	char helper_note[256]; /* why a credential helper gave nothing */
	/* what the registry asked for */
	int basic;
	char *token;
	char *token_scope;
	int referrers_api;    /* -1 unknown, 0 no, 1 the registry indexes subjects */
	unsigned retries, restarts;
	unsigned rnd;
	char errbuf[CURL_ERROR_SIZE];
};

static pg_code oom(pg_error *err)
{
	return pg_err(err, PG_IO_MEMORY, _("out of memory"));
}

void pg_remote_opts_init(pg_remote_opts *o)
{
	memset(o, 0, sizeof *o);
	o->connect_timeout = 30;
	o->low_speed_limit = 1;
	o->low_speed_time = 60;
	o->max_retries = 4;
	o->retry_base_ms = 250;
	o->retry_max_ms = 8000;
	o->retry_after_cap = 30;
	o->chunk_threshold = (uint64_t)16 * 1024 * 1024;
	o->chunk_size = (uint64_t)64 * 1024 * 1024;
}

const char *pg_remote_status_name(pg_remote_status s)
{
	static const char *const names[] = { "pushed", "present", "imported", "applied", "known", "skipped", "failed" };

	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "failed";
}

static void emit(pg_remote *r, pg_remote_event ev, const char *repo, const char *digest, const char *path,
                 uint64_t done, uint64_t total, const char *message)
{
	pg_remote_progress p;

	if (!r->o.progress)
		return;
	p.event = ev;
	p.repository = repo;
	p.digest = digest;
	p.path = path;
	p.done = done;
	p.total = total;
	p.message = message;
	r->o.progress(r->o.progress_ctx, &p);
}

/* ------------------------------------------------------------ URLs */

/* An OCI repository path component: [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)* */
static int path_component_ok(const char *s, size_t n)
{
	size_t i = 0;

	if (n == 0)
		return 0;
	while (i < n) {
		size_t run = 0;
		while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9'))) {
			i++;
			run++;
		}
		if (!run)
			return 0;
		if (i == n)
			return 1;
		if (s[i] == '.') {
			i++;
		} else if (s[i] == '_') {
			i++;
			if (i < n && s[i] == '_')
				i++;
		} else if (s[i] == '-') {
			while (i < n && s[i] == '-')
				i++;
		} else {
			return 0;
		}
		if (i == n)
			return 0;
	}
	return 1;
}

static int namespace_ok(const char *ns)
{
	const char *p = ns;

	if (!*ns)
		return 1;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (!path_component_ok(p, n))
			return 0;
		if (!slash)
			return 1;
		p = slash + 1;
	}
}

static char *lower_dup(const char *s)
{
	char *d = strdup(s);

	if (d)
		for (char *p = d; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	return d;
}

/* Scheme, lowercase host and port (the default one filled in) of url. */
static int url_origin(const char *url, char scheme[8], char **host, long *port)
{
	CURLU *u = curl_url();
	char *s = NULL, *h = NULL, *p = NULL;
	int rc = -1;

	*host = NULL;
	if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &s, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) != CURLUE_OK)
		goto out;
	if (strlen(s) >= 8)
		goto out;
	snprintf(scheme, 8, "%s", s);
	for (char *c = scheme; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	*host = lower_dup(h);
	*port = strtol(p, NULL, 10);
	rc = *host ? 0 : -1;
out:
	curl_free(s);
	curl_free(h);
	curl_free(p);
	curl_url_cleanup(u);
	return rc;
}

static int same_origin(const pg_remote *r, const char *url)
{
	char scheme[8], *host = NULL;
	long port = 0;
	int same;

	if (url_origin(url, scheme, &host, &port) != 0)
		return 0;
	same = strcmp(scheme, r->scheme) == 0 && strcmp(host, r->o_host) == 0 && port == r->o_port;
	free(host);
	return same;
}

/* Resolves ref (absolute or relative) against base: a new string. */
static char *url_resolve(const char *base, const char *ref)
{
	CURLU *u = curl_url();
	char *s = NULL, *out = NULL;

	if (u && curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, ref, 0) == CURLUE_OK && curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
		out = strdup(s);
	curl_free(s);
	curl_url_cleanup(u);
	return out;
}

/* Appends a query parameter (name=value, value already URL-safe). */
static char *url_add_query(const char *url, const char *param)
{
	CURLU *u = curl_url();
	char *s = NULL, *out = NULL;

	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_QUERY, param, CURLU_APPENDQUERY) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
		out = strdup(s);
	curl_free(s);
	curl_url_cleanup(u);
	return out;
}

pg_code pg_remote_parse_url(const char *url, char **origin, char **ns, pg_error *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *q = NULL, *frag = NULL, *user = NULL;
	char *n = NULL;
	size_t len;
	pg_code rc = PG_OK;

	*origin = *ns = NULL;
	if (!u)
		return oom(err);
	if (!url || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) ||
	    curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		rc = pg_err(err, PG_USAGE, _("%s: not a registry URL (http[s]://host[:port][/namespace])"), url ? url : "");
		goto out;
	}
	curl_url_get(u, CURLUPART_PORT, &port, 0);
	curl_url_get(u, CURLUPART_PATH, &path, 0);
	if (curl_url_get(u, CURLUPART_QUERY, &q, 0) == CURLUE_OK || curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
		rc = pg_err(err, PG_USAGE, _("%s: a registry URL has no user, query or fragment"), url);
		goto out;
	}
	n = strdup(path && path[0] == '/' ? path + 1 : path ? path : "");
	if (!n) {
		rc = oom(err);
		goto out;
	}
	len = strlen(n);
	if (len && n[len - 1] == '/')
		n[--len] = '\0';
	if (!namespace_ok(n)) {
		rc = pg_err(err, PG_USAGE, _("%s: the namespace %s is not a valid OCI repository path"), url, n);
		goto out;
	}
	if (asprintf(origin, "%s://%s%s%s", scheme, host, port ? ":" : "", port ? port : "") < 0) {
		*origin = NULL;
		rc = oom(err);
		goto out;
	}
	*ns = n;
	n = NULL;
out:
	free(n);
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_free(q);
	curl_free(frag);
	curl_free(user);
	curl_url_cleanup(u);
	return rc;
}

pg_code pg_remote_parse_ref(const char *arg, const char *remote, char **url, char **name, char **tag, pg_error *err)
{
	char *copy = NULL, *last, *colon, *base = NULL, *sub = NULL;
	pg_code rc = PG_OK;

	*url = *name = *tag = NULL;
	copy = strdup(arg);
	if (!copy)
		return oom(err);
	if (strstr(copy, "://")) {
		last = strrchr(strstr(copy, "://") + 3, '/');
		if (!last) {
			rc = pg_err(err, PG_USAGE, _("%s: give URL/NAME[:TAG]"), arg);
			goto out;
		}
		*last = '\0';
		base = strdup(copy);
		last++;
	} else {
		last = strrchr(copy, '/');
		if (!remote) {
			rc = pg_err(err, PG_USAGE, _("%s: no remote: give --remote URL or a full URL/NAME[:TAG]"), arg);
			goto out;
		}
		if (last) {
			*last = '\0';
			sub = copy;
			last++;
		} else {
			last = copy;
		}
		if (sub) {
			size_t n = strlen(remote);
			if (asprintf(&base, "%.*s/%s", (int)(n && remote[n - 1] == '/' ? n - 1 : n), remote, sub) < 0)
				base = NULL;
		} else {
			base = strdup(remote);
		}
	}
	if (!base) {
		rc = oom(err);
		goto out;
	}
	colon = strchr(last, ':');
	if (colon) {
		*colon = '\0';
		if (!colon[1]) {
			rc = pg_err(err, PG_USAGE, _("%s: empty tag"), arg);
			goto out;
		}
		*tag = strdup(colon + 1);
		if (!*tag) {
			rc = oom(err);
			goto out;
		}
	}
	if (!pg_name_valid(last)) {
		rc = pg_err(err, PG_USAGE, _("%s: %s is not a pack name"), arg, last);
		goto out;
	}
	if (*tag) {
		char *v = pg_oci_tag_version(*tag), t[PG_OCI_TAG_MAX + 1];
		int bad = !v || !pg_semver_valid(v) || pg_oci_tag(v, t) != 0 || strcmp(t, *tag) != 0;
		free(v);
		if (bad) {
			rc = pg_err(err, PG_USAGE, _("%s: %s is not the tag of a version (packgate pulls by version only)"), arg,
			            *tag);
			goto out;
		}
	}
	{
		char *o = NULL, *ns = NULL;
		rc = pg_remote_parse_url(base, &o, &ns, err);
		free(o);
		free(ns);
		if (rc)
			goto out;
	}
	*name = strdup(last);
	if (!*name) {
		rc = oom(err);
		goto out;
	}
	*url = base;
	base = NULL;
out:
	if (rc) {
		free(*tag);
		free(*name);
		*tag = *name = NULL;
	}
	free(base);
	free(copy);
	return rc;
}

pg_code pg_remote_open(const char *url, const pg_remote_opts *opts, pg_remote **out, pg_error *err)
{
	static int global_done;
	pg_remote *r;
	pg_code rc;

	*out = NULL;
	if (!global_done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return pg_err(err, PG_IO_MEMORY, _("libcurl cannot start"));
		global_done = 1;
	}
	rc = pg_digest_init(err);
	if (rc)
		return rc;
	r = calloc(1, sizeof *r);
	if (!r)
		return oom(err);
	if (opts)
		r->o = *opts;
	else
		pg_remote_opts_init(&r->o);
	if (r->o.chunk_size == 0)
		r->o.chunk_size = (uint64_t)64 * 1024 * 1024;
	r->referrers_api = -1;
	r->rnd = (unsigned)time(NULL) ^ ((unsigned)getpid() << 16);
	rc = pg_remote_parse_url(url, &r->origin, &r->ns, err);
	if (rc)
		goto fail;
	if (url_origin(r->origin, r->scheme, &r->o_host, &r->o_port) != 0) {
		rc = pg_err(err, PG_USAGE, _("%s: not a registry URL"), url);
		goto fail;
	}
	r->host = strdup(strstr(r->origin, "://") + 3);
	if (*r->ns ? asprintf(&r->url, "%s/%s", r->origin, r->ns) < 0 : !(r->url = strdup(r->origin)))
		r->url = NULL;
	r->h = curl_easy_init();
	if (!r->host || !r->url || !r->h) {
		rc = oom(err);
		goto fail;
	}
	*out = r;
	return PG_OK;
fail:
	pg_remote_close(r);
	return rc;
}

static void wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void pg_remote_close(pg_remote *r)
{
	if (!r)
		return;
	if (r->h)
		curl_easy_cleanup(r->h);
	free(r->url);
	free(r->origin);
	free(r->ns);
	free(r->host);
	free(r->o_host);
	free(r->user);
	wipe_free(r->pass);
	wipe_free(r->identity_token);
	wipe_free(r->token);
	free(r->token_scope);
	free(r);
}

char *pg_remote_repository(const pg_remote *r, const char *name)
{
	char *s = NULL;

	if (*r->ns ? asprintf(&s, "%s/%s", r->ns, name) < 0 : !(s = strdup(name)))
		return NULL;
	return s;
}

/* ------------------------------------------------------------ credentials */

/* Decodes standard base64 (with padding) through libgpg-error. */
static char *b64_decode(const char *in, size_t *outlen)
{
	size_t n = strlen(in), got = 0;
	char *buf;
	gpgrt_b64state_t st;
	gpg_error_t e1, e2;

	if (n == 0 || n % 4)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
		      (c == '=' && i >= n - 2)))
			return NULL;
	}
	buf = malloc(n + 1);
	if (!buf)
		return NULL;
	memcpy(buf, in, n);
	st = gpgrt_b64dec_start(NULL);
	if (!st) {
		free(buf);
		return NULL;
	}
	e1 = gpgrt_b64dec_proc(st, buf, n, &got);
	e2 = gpgrt_b64dec_finish(st);
	if (e1 || e2) {
		explicit_bzero(buf, n);
		free(buf);
		return NULL;
	}
	buf[got] = '\0';
	*outlen = got;
	return buf;
}

/* The host part of a credentials key: "https://host:5000/v1/" -> "host:5000". */
static int key_matches(const char *key, const char *host)
{
	const char *k = key, *end;
	size_t n;

	if (strncmp(k, "https://", 8) == 0)
		k += 8;
	else if (strncmp(k, "http://", 7) == 0)
		k += 7;
	end = strchr(k, '/');
	n = end ? (size_t)(end - k) : strlen(k);
	return n == strlen(host) && strncasecmp(k, host, n) == 0;
}

/* Reads a configuration file nobody named on the command line: a FIFO is
 * not opened for reading (nothing waits for a writer), anything but a
 * regular file is refused. */
static pg_code read_small_file(const char *path, size_t max, pg_buf *out, int *missing, pg_error *err)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), r, e;
	struct stat st;

	*missing = 0;
	pg_buf_init(out, max);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR) {
			*missing = 1;
			return PG_OK;
		}
		return pg_err_errno(err, errno, 0, path);
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return pg_err(err, PG_IO_READ, _("%s: not a regular file"), path);
	}
	r = pg_buf_read_fd(out, fd);
	e = errno;
	close(fd);
	if (r == -1)
		return pg_err(err, PG_LIMIT_JSON_BYTES, _("%s: over %zu bytes"), path, max);
	if (r == -2)
		return oom(err);
	if (r == -3)
		return pg_err_errno(err, e, 0, path);
	return PG_OK;
}

static long ms_until(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* Reads the helper's output until it closes it, prints more than we keep, or
 * the deadline passes; then waits for it to exit, killing it at the
 * deadline.  One deadline for both, so that a helper that keeps the pipe
 * open, trickles bytes, closes its output and goes on running, or floods
 * it, cannot hold packgate longer than HELPER_TIMEOUT_MS.  Returns 0 when
 * the helper exited on its own with status 0 and said everything. */
static int helper_collect(pid_t pid, int fd, pg_buf *buf, int *timed_out, int *too_long)
{
	struct timespec deadline;
	int status = 0;
	pid_t w = 0;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += HELPER_TIMEOUT_MS / 1000;
	*timed_out = *too_long = 0;
	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		char block[4096];
		ssize_t got;
		long left = ms_until(&deadline);
		int pr;

		if (left <= 0) {
			*timed_out = 1;
			break;
		}
		pr = poll(&pfd, 1, (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			break; /* cannot wait on it: its exit status decides */
		if (pr == 0)
			continue; /* the deadline decides */
		got = read(fd, block, sizeof block);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		if (pg_buf_add(buf, block, (size_t)got) != 0) {
			*too_long = 1;
			break;
		}
	}
	while (!*timed_out && !*too_long) {
		long left;
		w = waitpid(pid, &status, WNOHANG);
		if (w < 0 && errno == EINTR)
			continue;
		if (w != 0)
			break;
		left = ms_until(&deadline);
		if (left <= 0)
			*timed_out = 1;
		else
			poll(NULL, 0, left < 20 ? (int)left : 20);
	}
	if (*timed_out || *too_long) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		return -1;
	}
	return w == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Runs `docker-credential-NAME get` with the host on stdin; *found when it
 * printed credentials.  The helper gets HELPER_TIMEOUT_MS in all. */
static pg_code run_helper(pg_remote *r, const char *name, int *found, pg_error *err)
{
	int in[2] = { -1, -1 }, outp[2] = { -1, -1 }, timed_out, too_long;
	char prog[96];
	pid_t pid;
	pg_buf buf;
	struct sigaction ign, old;
	cJSON *doc = NULL;
	pg_code rc = PG_OK;
	size_t n = strlen(name);

	*found = 0;
	pg_buf_init(&buf, HELPER_OUTPUT_MAX);
	if (n == 0 || n > 64 || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != n) {
		snprintf(r->helper_note, sizeof r->helper_note, _("credential helper name %s is not valid"), name);
		return PG_OK;
	}
	snprintf(prog, sizeof prog, "docker-credential-%s", name);
	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(outp, O_CLOEXEC) != 0) {
		rc = pg_err_errno(err, errno, 0, prog);
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		rc = pg_err_errno(err, errno, 0, prog);
		goto out;
	}
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(outp[1], 1);
		execlp(prog, prog, "get", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(outp[1]);
	in[0] = outp[1] = -1;
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	if (write(in[1], r->host, strlen(r->host)) < 0) {
		/* the helper did not read: its exit status tells */
	}
	sigaction(SIGPIPE, &old, NULL);
	close(in[1]);
	in[1] = -1;
	if (helper_collect(pid, outp[0], &buf, &timed_out, &too_long) != 0) {
		char *e = pg_escape(buf.data ? buf.data : "", buf.len > 120 ? 120 : buf.len);
		if (timed_out)
			snprintf(r->helper_note, sizeof r->helper_note, _("%s gave no answer within %d s"), prog,
			         HELPER_TIMEOUT_MS / 1000);
		else if (too_long)
			snprintf(r->helper_note, sizeof r->helper_note, _("%s printed more than %zu bytes"), prog,
			         HELPER_OUTPUT_MAX);
		else
			snprintf(r->helper_note, sizeof r->helper_note, _("%s failed%s%s"), prog, buf.len ? ": " : "",
			         e ? e : "");
		for (char *p = r->helper_note; *p; p++)
			if (*p == '\n')
				*p = ' ';
		free(e);
		goto out;
	}
	if (pg_json_parse(buf.data ? buf.data : "", buf.len, NULL, &doc, NULL) != PG_OK) {
		snprintf(r->helper_note, sizeof r->helper_note, _("%s printed no JSON"), prog);
		goto out;
	}
	{
		const char *u = pg_json_str(pg_json_get(doc, "Username"));
		const char *s = pg_json_str(pg_json_get(doc, "Secret"));
		if (!u || !s || !*s) {
			snprintf(r->helper_note, sizeof r->helper_note, _("%s printed no Username and Secret"), prog);
			goto out;
		}
		if (strcmp(u, "<token>") == 0) {
			r->identity_token = strdup(s);
		} else {
			r->user = strdup(u);
			r->pass = strdup(s);
		}
		if (!(r->identity_token || (r->user && r->pass))) {
			rc = oom(err);
			goto out;
		}
		*found = 1;
	}
out:
	if (doc) {
		cJSON *s = pg_json_get(doc, "Secret");
		if (cJSON_IsString(s))
			explicit_bzero(s->valuestring, strlen(s->valuestring));
	}
	cJSON_Delete(doc);
	if (buf.data)
		explicit_bzero(buf.data, buf.len);
	pg_buf_free(&buf);
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (outp[i] >= 0)
			close(outp[i]);
	}
	return rc;
}

/* Reads the Docker configuration once: credHelpers, credsStore, auths. */
static pg_code load_creds(pg_remote *r, pg_error *err)
{
	const char *dir = r->o.docker_config ? r->o.docker_config : getenv("DOCKER_CONFIG");
	const char *home = getenv("HOME");
	char *path = NULL;
	pg_buf buf;
	cJSON *doc = NULL;
	const cJSON *e, *auths;
	const char *helper = NULL;
	int missing = 0, found = 0;
	pg_code rc;

	if (r->creds_loaded)
		return PG_OK;
	r->creds_loaded = 1;
	pg_buf_init(&buf, 0);
	if (dir && *dir)
		rc = asprintf(&path, "%s/config.json", dir) < 0 ? PG_IO_MEMORY : PG_OK;
	else if (home && *home)
		rc = asprintf(&path, "%s/.docker/config.json", home) < 0 ? PG_IO_MEMORY : PG_OK;
	else
		return PG_OK;
	if (rc)
		return oom(err);
	rc = read_small_file(path, DOCKER_CONFIG_MAX, &buf, &missing, err);
	if (rc || missing)
		goto out;
	rc = pg_json_parse(buf.data ? buf.data : "", buf.len, NULL, &doc, err);
	if (rc) {
		rc = pg_err(err, PG_REMOTE_AUTH, _("%s: not valid JSON: %s"), path, err->message);
		goto out;
	}
	cJSON_ArrayForEach(e, pg_json_get(doc, "credHelpers"))
		if (e->string && key_matches(e->string, r->host) && pg_json_str(e))
			helper = pg_json_str(e);
	if (!helper)
		helper = pg_json_str(pg_json_get(doc, "credsStore"));
	if (helper && *helper) {
		rc = run_helper(r, helper, &found, err);
		if (rc || found)
			goto out;
	}
	auths = pg_json_get(doc, "auths");
	cJSON_ArrayForEach(e, auths) {
		const char *a, *u, *p, *t;
		if (!e->string || !key_matches(e->string, r->host))
			continue;
		a = pg_json_str(pg_json_get(e, "auth"));
		u = pg_json_str(pg_json_get(e, "username"));
		p = pg_json_str(pg_json_get(e, "password"));
		t = pg_json_str(pg_json_get(e, "identitytoken"));
		if (t && *t) {
			r->identity_token = strdup(t);
			if (!r->identity_token)
				rc = oom(err);
			goto out;
		}
		if (a && *a) {
			size_t n = 0;
			char *dec = b64_decode(a, &n), *colon;
			if (!dec || memchr(dec, '\0', n) || !(colon = strchr(dec, ':'))) {
				wipe_free(dec);
				rc = pg_err(err, PG_REMOTE_AUTH, _("%s: auths.%s.auth is not base64 of user:password"), path, e->string);
				goto out;
			}
			*colon = '\0';
			r->user = strdup(dec);
			r->pass = strdup(colon + 1);
			wipe_free(dec);
		} else if (u && p) {
			r->user = strdup(u);
			r->pass = strdup(p);
		} else {
			continue;
		}
		if (!r->user || !r->pass)
			rc = oom(err);
		goto out;
	}
out:
	if (buf.data)
		explicit_bzero(buf.data, buf.len);
	pg_buf_free(&buf);
	cJSON_Delete(doc);
	free(path);
	return rc;
}

/* ------------------------------------------------------------ HTTP */

/* Hashing state of an upload, kept across the requests of one session so
 * that every byte is hashed once whatever curl re-reads. */
struct upload {
	pg_sha256 sha;
	int sha_on;
	uint64_t size;
	uint64_t hashed;
	const char *digest;
	int bad;              /* the bytes do not hash to digest */
};

struct req {
	pg_remote *r;
	const char *method;       /* GET HEAD PUT PATCH POST DELETE */
	char *url;                /* owned */
	const char *accept;
	const char *ctype;
	char extra[160];          /* one more header line, or "" */
	/* request body: memory, or a range of a file */
	const char *mem;
	uint64_t body_len;
	int has_body;
	int fd;
	uint64_t foff;
	uint64_t sent;
	int read_errno, read_short;
	struct upload *up;
	const char *post_form;    /* POST body of a token request */
	/* response */
	long status;
	pg_buf body;
	int keep_body;            /* an overflow of body.max is an error */
	int body_over;
	/* download sink: a member being streamed (else the body) */
	pg_oci_writer *sink_w;
	pg_error sink_err;        /* why sink_w refused bytes */
	pg_code sink_rc;
	int sink_badrange;        /* a 206 that does not start where we asked */
	uint64_t resume;          /* Range start of this attempt (sink_w only) */
	uint64_t resp_pos;        /* offset in the blob of the next byte received */
	int resp_started;
	uint64_t sink_max, sink_got, sink_next;
	int sink_over;
	/* control */
	int follow;               /* follow redirects (GET, HEAD) */
	int retry;                /* retry broken connections and 408/429/5xx here */
	int no_auth;              /* never attach the registry's credentials */
	const char *basic_user, *basic_pass; /* explicit Basic credentials (token requests) */
	/* captured after the last answer */
	char *location, *www_auth, *dcd, *ctype_got, *oci_subject, *link;
	uint64_t content_length;
	int retryable;            /* the failure may pass on a new attempt */
	long retry_after;         /* seconds, 0 when none */
	/* progress */
	const char *repo, *digest, *member;
};

static void req_init(struct req *q, pg_remote *r, const char *method, size_t body_max)
{
	memset(q, 0, sizeof *q);
	q->r = r;
	q->method = method;
	q->fd = -1;
	pg_buf_init(&q->body, body_max);
}

static void req_clear_headers(struct req *q)
{
	free(q->location);
	free(q->www_auth);
	free(q->dcd);
	free(q->ctype_got);
	free(q->oci_subject);
	free(q->link);
	q->location = q->www_auth = q->dcd = q->ctype_got = q->oci_subject = q->link = NULL;
	q->content_length = 0;
}

static void req_free(struct req *q)
{
	req_clear_headers(q);
	free(q->url);
	q->url = NULL;
	pg_buf_free(&q->body);
}

static size_t read_cb(char *buf, size_t size, size_t nitems, void *ctx)
{
	struct req *q = ctx;
	size_t want = size * nitems;
	uint64_t left = q->body_len - q->sent, abs_off;
	ssize_t n;

	if (left == 0)
		return 0;
	if (want > left)
		want = (size_t)left;
	if (q->mem) {
		memcpy(buf, q->mem + q->foff + q->sent, want);
		n = (ssize_t)want;
	} else {
		n = pread(q->fd, buf, want, (off_t)(q->foff + q->sent));
		if (n < 0) {
			q->read_errno = errno;
			return CURL_READFUNC_ABORT;
		}
		if (n == 0) {
			q->read_short = 1;
			return CURL_READFUNC_ABORT;
		}
	}
	abs_off = q->foff + q->sent;
	if (q->up && q->up->sha_on && abs_off + (uint64_t)n > q->up->hashed && abs_off <= q->up->hashed) {
		uint64_t skip = q->up->hashed - abs_off;
		pg_sha256_update(&q->up->sha, buf + skip, (size_t)((uint64_t)n - skip));
		q->up->hashed = abs_off + (uint64_t)n;
		if (q->up->hashed == q->up->size) {
			char hex[PG_SHA256_HEX];
			pg_sha256_end(&q->up->sha, hex);
			q->up->sha_on = 0;
			if (strncmp(q->up->digest, "sha256:", 7) != 0 || strcmp(q->up->digest + 7, hex) != 0) {
				q->up->bad = 1;
				return CURL_READFUNC_ABORT;
			}
		}
	}
	q->sent += (uint64_t)n;
	if (q->r->o.progress && q->up && (q->sent == q->body_len || q->sent / PROGRESS_STEP != (q->sent - (uint64_t)n) / PROGRESS_STEP))
		emit(q->r, PG_REMOTE_EV_BLOB_BYTES, q->repo, q->digest, q->member, abs_off + (uint64_t)n, q->up->size, NULL);
	return (size_t)n;
}

static int seek_cb(void *ctx, curl_off_t offset, int origin)
{
	struct req *q = ctx;

	if (origin != SEEK_SET || offset < 0 || (uint64_t)offset > q->body_len)
		return CURL_SEEKFUNC_CANTSEEK;
	q->sent = (uint64_t)offset;
	return CURL_SEEKFUNC_OK;
}

static char *header_dup(CURL *h, const char *name);

/* The body of a blob being streamed into a pack: an attempt after a broken
 * one asked for the rest with Range; a 206 must start there, a 200 starts
 * at 0 and what was passed on already is skipped. */
static size_t stream_cb(struct req *q, char *p, size_t len, long code)
{
	size_t all = len;

	if (!q->resp_started) {
		q->resp_started = 1;
		q->resp_pos = 0;
		if (code == 206) {
			char *cr = header_dup(q->r->h, "Content-Range");
			unsigned long long from;
			int ok = cr && sscanf(cr, "bytes %llu-", &from) == 1 && from == q->resume;
			free(cr);
			if (!ok) {
				q->sink_badrange = 1;
				return 0;
			}
			q->resp_pos = q->resume;
		}
	}
	if (q->resp_pos < q->sink_got) {
		uint64_t skip = q->sink_got - q->resp_pos;
		if (skip > len)
			skip = len;
		p += skip;
		len -= (size_t)skip;
		q->resp_pos += skip;
	}
	if (!len)
		return all;
	if (len > q->sink_max - q->sink_got) {
		q->sink_over = 1;
		return 0;
	}
	q->sink_rc = pg_oci_writer_put(q->sink_w, p, len, &q->sink_err);
	if (q->sink_rc)
		return 0;
	q->sink_got += len;
	q->resp_pos += len;
	if (q->r->o.progress && q->sink_got >= q->sink_next) {
		q->sink_next = q->sink_got + PROGRESS_STEP;
		emit(q->r, PG_REMOTE_EV_BLOB_BYTES, q->repo, q->digest, q->member, q->sink_got, q->sink_max, NULL);
	}
	return all;
}

static size_t write_cb(char *p, size_t size, size_t nmemb, void *ctx)
{
	struct req *q = ctx;
	size_t len = size * nmemb;
	long code = 0;

	curl_easy_getinfo(q->r->h, CURLINFO_RESPONSE_CODE, &code);
	if (q->sink_w && code >= 200 && code < 300)
		return stream_cb(q, p, len, code);
	if (q->body_over)
		return q->keep_body ? 0 : len;
	if (pg_buf_add(&q->body, p, len) != 0) {
		q->body_over = 1;
		if (q->keep_body && code >= 200 && code < 300)
			return 0;
	}
	return len;
}

static char *header_dup(CURL *h, const char *name)
{
	struct curl_header *hd = NULL;

	if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hd) != CURLHE_OK || !hd || !hd->value)
		return NULL;
	return strdup(hd->value);
}

static void capture_headers(struct req *q)
{
	CURL *h = q->r->h;
	curl_off_t cl = -1;

	req_clear_headers(q);
	q->location = header_dup(h, "Location");
	q->www_auth = header_dup(h, "WWW-Authenticate");
	q->dcd = header_dup(h, "Docker-Content-Digest");
	q->ctype_got = header_dup(h, "Content-Type");
	q->oci_subject = header_dup(h, "OCI-Subject");
	q->link = header_dup(h, "Link");
	if (curl_easy_getinfo(h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) == CURLE_OK && cl >= 0)
		q->content_length = (uint64_t)cl;
	q->retry_after = 0;
	{
		char *ra = header_dup(h, "Retry-After");
		if (ra) {
			char *end;
			long v = strtol(ra, &end, 10);
			if (end != ra && *end == '\0' && v >= 0) {
				q->retry_after = v;
			} else {
				time_t t = curl_getdate(ra, NULL);
				if (t > 0)
					q->retry_after = t > time(NULL) ? (long)(t - time(NULL)) : 0;
			}
			free(ra);
		}
	}
}

/* Sleeps before retry number `attempt` (0 first): exponential backoff from
 * retry_base_ms, capped, with jitter in its upper half; a Retry-After (up
 * to the cap) is waited for at least. */
static void backoff(pg_remote *r, int attempt, long retry_after)
{
	long ms = r->o.retry_base_ms > 0 ? r->o.retry_base_ms : 1;
	struct timespec ts;

	for (int i = 0; i < attempt && ms < r->o.retry_max_ms; i++)
		ms *= 2;
	if (r->o.retry_max_ms > 0 && ms > r->o.retry_max_ms)
		ms = r->o.retry_max_ms;
	ms = ms / 2 + (long)(rand_r(&r->rnd) % (unsigned)(ms / 2 + 1));
	if (retry_after > 0) {
		long cap = r->o.retry_after_cap > 0 ? r->o.retry_after_cap : 0;
		long ra = (retry_after < cap ? retry_after : cap) * 1000;
		if (ra > ms)
			ms = ra;
	}
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int status_retryable(long s)
{
	return s == 408 || s == 429 || (s >= 500 && s <= 599 && s != 501 && s != 505);
}

static int curl_retryable(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

static int curl_tls(CURLcode c)
{
	switch (c) {
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CLIENTCERT:
	case CURLE_USE_SSL_FAILED:
		return 1;
	default:
		return 0;
	}
}

/* Sets every option for one attempt of q. */
static pg_code setup(struct req *q, struct curl_slist **hdrs, pg_error *err)
{
	pg_remote *r = q->r;
	CURL *h = r->h;
	char line[4096];
	struct curl_slist *l = NULL, *t;
	int ours = !q->no_auth && same_origin(r, q->url);

	curl_easy_reset(h);
	r->errbuf[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, q->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_UNRESTRICTED_AUTH, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (r->o.cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, r->o.cacert);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, r->o.connect_timeout);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, r->o.low_speed_limit);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, r->o.low_speed_time);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "packgate/" PACKAGE_VERSION);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, q);
	if (q->sink_w)
		curl_easy_setopt(h, CURLOPT_BUFFERSIZE, DOWNLOAD_BUFFER); /* fewer, larger reads */

	if (strcmp(q->method, "HEAD") == 0) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	} else if (strcmp(q->method, "GET") == 0) {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	} else if (strcmp(q->method, "POST") == 0) {
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, q->post_form ? q->post_form : "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(q->post_form ? strlen(q->post_form) : 0));
	} else if (strcmp(q->method, "PUT") == 0 || strcmp(q->method, "PATCH") == 0) {
		curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
		curl_easy_setopt(h, CURLOPT_READDATA, q);
		curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, seek_cb);
		curl_easy_setopt(h, CURLOPT_SEEKDATA, q);
		curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)(q->has_body ? q->body_len : 0));
		if (strcmp(q->method, "PATCH") == 0)
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PATCH");
	} else {
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, q->method);
	}

	if (q->accept) {
		snprintf(line, sizeof line, "Accept: %s", q->accept);
		if (!(t = curl_slist_append(l, line)))
			goto nomem;
		l = t;
	}
	if (q->ctype) {
		snprintf(line, sizeof line, "Content-Type: %s", q->ctype);
		if (!(t = curl_slist_append(l, line)))
			goto nomem;
		l = t;
	}
	if (q->extra[0]) {
		if (!(t = curl_slist_append(l, q->extra)))
			goto nomem;
		l = t;
	}
	if (q->sink_w && q->resume) {
		snprintf(line, sizeof line, "Range: bytes=%llu-", (unsigned long long)q->resume);
		if (!(t = curl_slist_append(l, line)))
			goto nomem;
		l = t;
	}
	if (ours && r->token) {
		char *a = NULL;
		if (asprintf(&a, "Authorization: Bearer %s", r->token) < 0)
			goto nomem;
		t = curl_slist_append(l, a);
		wipe_free(a);
		if (!t)
			goto nomem;
		l = t;
	} else if (ours && r->basic && r->user) {
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(h, CURLOPT_USERNAME, r->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, r->pass);
	}
	if (q->basic_user) {
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(h, CURLOPT_USERNAME, q->basic_user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, q->basic_pass);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, l);
	*hdrs = l;
	return PG_OK;
nomem:
	curl_slist_free_all(l);
	return oom(err);
}

/* Resets what one attempt produces. */
static void attempt_reset(struct req *q)
{
	pg_buf_reset(&q->body);
	q->body_over = 0;
	q->sent = 0;
	q->read_errno = q->read_short = 0;
	q->status = 0;
	/* a streamed member cannot be taken back: ask for the rest */
	q->resume = q->sink_got;
	q->resp_started = 0;
}

static pg_code authenticate(pg_remote *r, const char *challenge, int *changed, pg_error *err);

/* Runs q: redirects (when q->follow), one authentication round trip per
 * challenge, retries (when q->retry).  PG_OK means an HTTP answer arrived
 * (q->status); the caller judges it. */
static pg_code perform(struct req *q, pg_error *err)
{
	pg_remote *r = q->r;
	int attempt = 0, hops = 0, auth_rounds = 0;
	pg_code rc;

	for (;;) {
		struct curl_slist *hdrs = NULL;
		CURLcode cc;

		q->retryable = 0;
		attempt_reset(q);
		rc = setup(q, &hdrs, err);
		if (rc)
			return rc;
		cc = curl_easy_perform(r->h);
		curl_easy_setopt(r->h, CURLOPT_HTTPHEADER, NULL);
		curl_slist_free_all(hdrs);
		if (cc != CURLE_OK) {
			const char *why = r->errbuf[0] ? r->errbuf : curl_easy_strerror(cc);
			if (q->up && q->up->bad)
				return pg_err(err, PG_DIGEST_MISMATCH, _("%s: the local blob does not match its digest %s"),
				              q->member ? q->member : q->digest, q->up->digest);
			if (q->read_errno)
				return pg_err_errno(err, q->read_errno, 0, q->member ? q->member : "blob");
			if (q->read_short)
				return pg_err(err, PG_IO_READ, _("%s: the local blob is shorter than its size"),
				              q->member ? q->member : q->digest);
			if (q->sink_rc) {
				*err = q->sink_err;
				return q->sink_rc;
			}
			if (q->sink_badrange)
				return pg_err(err, PG_REMOTE_PROTOCOL, _("%s: the registry answered a Range request with other bytes"),
				              q->url);
			if (q->sink_over)
				return pg_err(err, PG_DIGEST_MISMATCH, _("%s: the registry sent more bytes than the %llu of %s"),
				              q->member ? q->member : q->digest, (unsigned long long)q->sink_max, q->digest);
			if (q->body_over)
				return pg_err(err, PG_REMOTE_PROTOCOL, _("%s %s: the answer is over %zu bytes"), q->method, q->url,
				              q->body.max);
			if (curl_tls(cc))
				return pg_err(err, PG_REMOTE_TLS, _("%s: %s"), q->url, why);
			if (curl_retryable(cc)) {
				q->retryable = 1;
				if (q->retry && attempt < r->o.max_retries) {
					char msg[CURL_ERROR_SIZE + 64];
					snprintf(msg, sizeof msg, "%s %s: %s", q->method, q->url, why);
					r->retries++;
					emit(r, PG_REMOTE_EV_RETRY, q->repo, q->digest, q->member, 0, 0, msg);
					backoff(r, attempt++, 0);
					continue;
				}
			}
			return pg_err(err, PG_REMOTE_CONNECT, _("%s: %s"), q->url, why);
		}
		curl_easy_getinfo(r->h, CURLINFO_RESPONSE_CODE, &q->status);
		capture_headers(q);
		if (q->status >= 300 && q->status < 400 && q->status != 304 && q->follow && q->location) {
			char *next = url_resolve(q->url, q->location);
			if (!next)
				return pg_err(err, PG_REMOTE_PROTOCOL, _("%s: a redirect to an unusable URL"), q->url);
			if ((strncmp(next, "http://", 7) != 0 && strncmp(next, "https://", 8) != 0) ||
			    (strncmp(q->url, "https://", 8) == 0 && strncmp(next, "http://", 7) == 0)) {
				free(next);
				return pg_err(err, PG_REMOTE_PROTOCOL, _("%s: a redirect to another scheme is refused"), q->url);
			}
			if (++hops > PG_REMOTE_REDIRECTS) {
				free(next);
				return pg_err(err, PG_REMOTE_PROTOCOL, _("%s: more than %d redirects"), q->url, PG_REMOTE_REDIRECTS);
			}
			free(q->url);
			q->url = next;
			continue;
		}
		if (q->status == 401 && !q->no_auth && q->www_auth && auth_rounds < 2 && same_origin(r, q->url)) {
			int changed = 0;
			rc = authenticate(r, q->www_auth, &changed, err);
			if (rc)
				return rc;
			if (changed) {
				auth_rounds++;
				continue;
			}
		}
		if (status_retryable(q->status)) {
			q->retryable = 1;
			if (q->retry && attempt < r->o.max_retries) {
				char msg[256];
				snprintf(msg, sizeof msg, "%s: HTTP %ld", q->method, q->status);
				r->retries++;
				emit(r, PG_REMOTE_EV_RETRY, q->repo, q->digest, q->member, 0, 0, msg);
				backoff(r, attempt++, q->retry_after);
				continue;
			}
		}
		return PG_OK;
	}
}

/* The registry's error answer, for a message: "CODE: message" from
 * {"errors": [{"code", "message"}]}, else the first bytes of the body. */
static void registry_error_text(const struct req *q, char *out, size_t cap)
{
	cJSON *doc = NULL;

	out[0] = '\0';
	if (!q->body.len)
		return;
	if (pg_json_parse(q->body.data, q->body.len, NULL, &doc, NULL) == PG_OK) {
		const cJSON *e = cJSON_GetArrayItem(pg_json_get(doc, "errors"), 0);
		const char *code = pg_json_str(pg_json_get(e, "code")), *msg = pg_json_str(pg_json_get(e, "message"));
		if (code || msg)
			snprintf(out, cap, "%s%s%s", code ? code : "", code && msg ? ": " : "", msg ? msg : "");
		cJSON_Delete(doc);
		if (out[0])
			return;
	}
	snprintf(out, cap, "%.*s", (int)(q->body.len < 200 ? q->body.len : 200), q->body.data);
	for (char *p = out; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
}

/* The registry's error code, or "". */
static void registry_error_code(const struct req *q, char *out, size_t cap)
{
	cJSON *doc = NULL;

	out[0] = '\0';
	if (q->body.len && pg_json_parse(q->body.data, q->body.len, NULL, &doc, NULL) == PG_OK) {
		const char *code = pg_json_str(pg_json_get(cJSON_GetArrayItem(pg_json_get(doc, "errors"), 0), "code"));
		if (code)
			snprintf(out, cap, "%s", code);
		cJSON_Delete(doc);
	}
}

/* Maps an unexpected answer to remote.auth or remote.http. */
static pg_code http_fail(struct req *q, const char *what, pg_error *err)
{
	char text[600];

	registry_error_text(q, text, sizeof text);
	if (q->status == 401 || q->status == 403) {
		pg_remote *r = q->r;
		if (!r->user && !r->identity_token)
			return pg_err(err, PG_REMOTE_AUTH, _("%s: HTTP %ld%s%s: the registry wants credentials and the Docker configuration has none for %s%s%s"),
			              what, q->status, text[0] ? " " : "", text, r->host, r->helper_note[0] ? "; " : "",
			              r->helper_note);
		return pg_err(err, PG_REMOTE_AUTH, _("%s: HTTP %ld%s%s: the credentials for %s were refused"), what,
		              q->status, text[0] ? " " : "", text, r->host);
	}
	return pg_err(err, PG_REMOTE_HTTP, _("%s: HTTP %ld%s%s"), what, q->status, text[0] ? ": " : "", text);
}

/* ------------------------------------------------------------ authentication */

struct challenge {
	char scheme[16];
	char *realm, *service, *scope;
};

static void challenge_free(struct challenge *c)
{
	free(c->realm);
	free(c->service);
	free(c->scope);
	memset(c, 0, sizeof *c);
}

/* Parses the first challenge of a WWW-Authenticate value:
 * SCHEME param="value", param=token, ... */
static int challenge_parse(const char *s, struct challenge *c)
{
	size_t n;

	memset(c, 0, sizeof *c);
	while (*s == ' ')
		s++;
	n = strcspn(s, " ");
	if (n == 0 || n >= sizeof c->scheme)
		return -1;
	memcpy(c->scheme, s, n);
	c->scheme[n] = '\0';
	s += n;
	while (*s) {
		char key[32], *val;
		size_t k = 0, vlen = 0;
		while (*s == ' ' || *s == ',')
			s++;
		if (!*s)
			break;
		while (*s && *s != '=' && *s != ' ' && k + 1 < sizeof key)
			key[k++] = *s++;
		key[k] = '\0';
		if (*s != '=')
			return c->realm || !strcasecmp(c->scheme, "basic") ? 0 : -1; /* another challenge begins */
		s++;
		val = malloc(strlen(s) + 1);
		if (!val)
			return -1;
		if (*s == '"') {
			s++;
			while (*s && *s != '"') {
				if (*s == '\\' && s[1])
					s++;
				val[vlen++] = *s++;
			}
			if (*s == '"')
				s++;
		} else {
			while (*s && *s != ',' && *s != ' ')
				val[vlen++] = *s++;
		}
		val[vlen] = '\0';
		if (strcasecmp(key, "realm") == 0 && !c->realm)
			c->realm = val;
		else if (strcasecmp(key, "service") == 0 && !c->service)
			c->service = val;
		else if (strcasecmp(key, "scope") == 0 && !c->scope)
			c->scope = val;
		else
			free(val);
	}
	return 0;
}

/* Whether credentials may go to url: https, or plain http to a loopback
 * address. */
static int plain_ok(const char *url)
{
	char scheme[8], *host = NULL;
	long port;
	int ok;

	if (url_origin(url, scheme, &host, &port) != 0)
		return 0;
	ok = strcmp(scheme, "https") == 0 || strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
	     strcmp(host, "[::1]") == 0;
	free(host);
	return ok;
}

/* Asks the realm for a bearer token. */
static pg_code fetch_token(pg_remote *r, const struct challenge *c, pg_error *err)
{
	struct req q;
	char *url = NULL, *form = NULL;
	cJSON *doc = NULL;
	const char *tok;
	pg_buf qs;
	pg_code rc;

	if (strncmp(c->realm, "https://", 8) != 0 && strncmp(c->realm, "http://", 7) != 0)
		return pg_err(err, PG_REMOTE_PROTOCOL, _("%s: the token realm %s is not an http(s) URL"), r->host, c->realm);
	if ((r->user || r->identity_token) && !plain_ok(c->realm))
		return pg_err(err, PG_REMOTE_AUTH, _("%s: the token realm %s is not https; credentials are not sent over plain http"),
		              r->host, c->realm);
	pg_buf_init(&qs, 64 * 1024);
	if (c->service) {
		char *e = curl_easy_escape(r->h, c->service, 0);
		pg_buf_printf(&qs, "service=%s", e ? e : "");
		curl_free(e);
	}
	if (c->scope) {
		/* several scopes are separated by spaces: one parameter each */
		const char *p = c->scope;
		while (*p) {
			size_t n = strcspn(p, " ");
			if (n) {
				char *e = curl_easy_escape(r->h, p, (int)n);
				pg_buf_printf(&qs, "%sscope=%s", qs.len ? "&" : "", e ? e : "");
				curl_free(e);
			}
			p += n;
			while (*p == ' ')
				p++;
		}
	}
	req_init(&q, r, r->identity_token ? "POST" : "GET", TOKEN_BODY_MAX);
	q.keep_body = 1;
	q.retry = 1;
	q.no_auth = 1;
	q.follow = 0; /* the Basic credentials must not follow a redirect */
	if (r->identity_token) {
		char *e = curl_easy_escape(r->h, r->identity_token, 0);
		if (asprintf(&form, "grant_type=refresh_token&client_id=packgate&refresh_token=%s%s%s", e ? e : "",
		             qs.len ? "&" : "", qs.len ? qs.data : "") < 0)
			form = NULL;
		curl_free(e);
		url = strdup(c->realm);
		q.post_form = form;
		q.ctype = "application/x-www-form-urlencoded";
	} else {
		url = qs.len ? url_add_query(c->realm, qs.data) : strdup(c->realm);
		if (r->user) {
			q.basic_user = r->user;
			q.basic_pass = r->pass;
		}
	}
	if (!url || (r->identity_token && !form)) {
		rc = oom(err);
		goto out;
	}
	q.url = url;
	url = NULL;
	rc = perform(&q, err);
	if (rc)
		goto out;
	if (q.status != 200) {
		if (q.status == 401 || q.status == 403) {
			char text[600];
			registry_error_text(&q, text, sizeof text);
			rc = pg_err(err, PG_REMOTE_AUTH, _("%s: the token service refused %s (HTTP %ld%s%s)"), r->host,
			            r->user || r->identity_token ? _("the credentials") : _("anonymous access"), q.status,
			            text[0] ? ": " : "", text);
		} else {
			rc = http_fail(&q, _("token request"), err);
		}
		goto out;
	}
	rc = pg_json_parse(q.body.data ? q.body.data : "", q.body.len, NULL, &doc, err);
	if (rc) {
		rc = pg_err(err, PG_REMOTE_PROTOCOL, _("%s: the token answer is not JSON"), r->host);
		goto out;
	}
	tok = pg_json_str(pg_json_get(doc, "token"));
	if (!tok || !*tok)
		tok = pg_json_str(pg_json_get(doc, "access_token"));
	if (!tok || !*tok || strpbrk(tok, "\r\n")) {
		rc = pg_err(err, PG_REMOTE_PROTOCOL, _("%s: the token answer has no token"), r->host);
		goto out;
	}
	wipe_free(r->token);
	free(r->token_scope);
	r->token = strdup(tok);
	r->token_scope = strdup(c->scope ? c->scope : "");
	if (!r->token || !r->token_scope)
		rc = oom(err);
out:
	if (doc) {
		cJSON *t = pg_json_get(doc, "token");
		if (cJSON_IsString(t))
			explicit_bzero(t->valuestring, strlen(t->valuestring));
		t = pg_json_get(doc, "access_token");
		if (cJSON_IsString(t))
			explicit_bzero(t->valuestring, strlen(t->valuestring));
	}
	cJSON_Delete(doc);
	if (q.body.data)
		explicit_bzero(q.body.data, q.body.len);
	req_free(&q);
	wipe_free(form);
	free(url);
	pg_buf_free(&qs);
	return rc;
}

/* Answers a challenge.  *changed is 0 when there is nothing new to offer
 * (the credentials given were refused): the 401 then stands. */
static pg_code authenticate(pg_remote *r, const char *value, int *changed, pg_error *err)
{
	struct challenge c;
	pg_code rc = PG_OK;

	*changed = 0;
	if (challenge_parse(value, &c) != 0) {
		challenge_free(&c);
		return pg_err(err, PG_REMOTE_PROTOCOL, _("%s: cannot read the challenge %s"), r->host, value);
	}
	rc = load_creds(r, err);
	if (rc)
		goto out;
	if (strcasecmp(c.scheme, "Basic") == 0) {
		if (!r->user || r->basic)
			goto out; /* nothing (more) to offer */
		if (!plain_ok(r->origin)) {
			rc = pg_err(err, PG_REMOTE_AUTH, _("%s: the registry asks for a password over plain http; refused (use https)"),
			            r->host);
			goto out;
		}
		r->basic = 1;
		*changed = 1;
	} else if (strcasecmp(c.scheme, "Bearer") == 0) {
		if (!c.realm) {
			rc = pg_err(err, PG_REMOTE_PROTOCOL, _("%s: a Bearer challenge without a realm"), r->host);
			goto out;
		}
		if (r->token && strcmp(r->token_scope ? r->token_scope : "", c.scope ? c.scope : "") == 0)
			goto out; /* this token was refused */
		rc = fetch_token(r, &c, err);
		if (!rc)
			*changed = 1;
	} else {
		rc = pg_err(err, PG_REMOTE_AUTH, _("%s: unsupported authentication scheme %s"), r->host, c.scheme);
	}
out:
	challenge_free(&c);
	return rc;
}

/* ------------------------------------------------------------ API calls */

/* A new URL: the origin, "/v2/", then the printf result. */
static char *api_url(pg_remote *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *api_url(pg_remote *r, const char *fmt, ...)
{
	char *tail = NULL, *url = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&tail, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	if (asprintf(&url, "%s/v2/%s", r->origin, tail) < 0)
		url = NULL;
	free(tail);
	return url;
}

static int is_digest(const char *s)
{
	return s && strncmp(s, "sha256:", 7) == 0 && pg_is_hex64(s + 7);
}

pg_code pg_remote_ping(pg_remote *r, pg_error *err)
{
	struct req q;
	pg_code rc;

	req_init(&q, r, "GET", ERROR_BODY_MAX);
	q.retry = 1;
	q.url = api_url(r, "%s", "");
	if (!q.url)
		return oom(err);
	rc = perform(&q, err);
	if (!rc && q.status != 200)
		rc = http_fail(&q, r->origin, err);
	req_free(&q);
	return rc;
}

pg_code pg_remote_blob_exists(pg_remote *r, const char *repo, const char *digest, int *exists, pg_error *err)
{
	struct req q;
	pg_code rc;

	*exists = 0;
	req_init(&q, r, "HEAD", ERROR_BODY_MAX);
	q.retry = 1;
	q.follow = 1;
	q.url = api_url(r, "%s/blobs/%s", repo, digest);
	if (!q.url)
		return oom(err);
	rc = perform(&q, err);
	if (!rc) {
		if (q.status == 200)
			*exists = 1;
		else if (q.status != 404)
			rc = http_fail(&q, digest, err);
	}
	req_free(&q);
	return rc;
}

/* One request of an upload session: never retried here (the session is
 * started over instead). */
static pg_code upload_request(struct req *q, long want, const char *what, int *restartable, pg_error *err)
{
	pg_code rc = perform(q, err);
	char code[64];

	if (rc) {
		if (q->retryable)
			*restartable = 1;
		return rc;
	}
	if (q->status == want || (want == 201 && q->status == 200) || (want == 202 && q->status == 204))
		return PG_OK;
	registry_error_code(q, code, sizeof code);
	if (q->status == 404 || status_retryable(q->status) ||
	    (q->status == 400 && (strcmp(code, "BLOB_UPLOAD_UNKNOWN") == 0 || strcmp(code, "BLOB_UPLOAD_INVALID") == 0)))
		*restartable = 1;
	return http_fail(q, what, err);
}

/* The Location of an upload answer, resolved. */
static pg_code next_location(struct req *q, char **loc, pg_error *err)
{
	char *n;

	if (!q->location)
		return pg_err(err, PG_REMOTE_PROTOCOL, _("%s: the upload answer has no Location"), q->url);
	n = url_resolve(q->url, q->location);
	if (!n)
		return pg_err(err, PG_REMOTE_PROTOCOL, _("%s: the upload Location %s is not usable"), q->url, q->location);
	if (strncmp(n, "http://", 7) != 0 && strncmp(n, "https://", 8) != 0) {
		free(n);
		return pg_err(err, PG_REMOTE_PROTOCOL, _("%s: the upload Location is not http(s)"), q->url);
	}
	free(*loc);
	*loc = n;
	return PG_OK;
}

/* One upload session: POST, then one PUT, or PATCHes and a closing PUT. */
static pg_code upload_once(pg_remote *r, const char *repo, const char *digest, uint64_t size, int fd,
                           const char *data, const char *member, int *restartable, pg_error *err)
{
	struct upload up;
	struct req q;
	char *loc = NULL, *put = NULL, param[80];
	uint64_t off = 0;
	pg_code rc;

	memset(&up, 0, sizeof up);
	up.size = size;
	up.digest = digest;
	rc = pg_sha256_begin(&up.sha, err);
	if (rc)
		return rc;
	up.sha_on = 1;
	if (size == 0) {
		char hex[PG_SHA256_HEX];
		pg_sha256_end(&up.sha, hex);
		up.sha_on = 0;
		if (strcmp(digest + 7, hex) != 0)
			return pg_err(err, PG_DIGEST_MISMATCH, _("%s: the local blob does not match its digest %s"),
			              member ? member : digest, digest);
	}

	req_init(&q, r, "POST", ERROR_BODY_MAX);
	q.retry = 1;
	q.url = api_url(r, "%s/blobs/uploads/", repo);
	if (!q.url) {
		rc = oom(err);
		goto out;
	}
	rc = perform(&q, err);
	if (!rc && q.status != 202)
		rc = http_fail(&q, _("starting an upload"), err);
	if (!rc)
		rc = next_location(&q, &loc, err);
	req_free(&q);
	if (rc)
		goto out;
	emit(r, PG_REMOTE_EV_BLOB_START, repo, digest, member, 0, size, NULL);

	if (size > r->o.chunk_threshold) {
		while (off < size) {
			uint64_t n = size - off < r->o.chunk_size ? size - off : r->o.chunk_size;
			req_init(&q, r, "PATCH", ERROR_BODY_MAX);
			q.url = strdup(loc);
			q.ctype = "application/octet-stream";
			snprintf(q.extra, sizeof q.extra, "Content-Range: %llu-%llu", (unsigned long long)off,
			         (unsigned long long)(off + n - 1));
			q.has_body = 1;
			q.fd = fd;
			q.mem = fd < 0 ? data : NULL;
			q.foff = off;
			q.body_len = n;
			q.up = &up;
			q.repo = repo;
			q.digest = digest;
			q.member = member;
			if (!q.url) {
				req_free(&q);
				rc = oom(err);
				goto out;
			}
			rc = upload_request(&q, 202, _("uploading a chunk"), restartable, err);
			if (!rc)
				rc = next_location(&q, &loc, err);
			req_free(&q);
			if (rc)
				goto out;
			off += n;
		}
		if (up.bad) {
			rc = pg_err(err, PG_DIGEST_MISMATCH, _("%s: the local blob does not match its digest %s"),
			            member ? member : digest, digest);
			goto out;
		}
	}
	snprintf(param, sizeof param, "digest=%s", digest);
	put = url_add_query(loc, param);
	if (!put) {
		rc = oom(err);
		goto out;
	}
	req_init(&q, r, "PUT", ERROR_BODY_MAX);
	q.url = put;
	put = NULL;
	q.repo = repo;
	q.digest = digest;
	q.member = member;
	q.ctype = "application/octet-stream";
	if (size <= r->o.chunk_threshold) {
		q.has_body = 1;
		q.fd = fd;
		q.mem = fd < 0 ? data : NULL;
		q.body_len = size;
		q.up = &up;
	}
	rc = upload_request(&q, 201, _("finishing an upload"), restartable, err);
	req_free(&q);
	if (!rc)
		emit(r, PG_REMOTE_EV_BLOB_DONE, repo, digest, member, size, size, NULL);
out:
	if (up.sha_on)
		pg_sha256_abort(&up.sha);
	free(loc);
	free(put);
	return rc;
}

pg_code pg_remote_blob_put(pg_remote *r, const char *repo, const char *digest, uint64_t size, const char *path,
                           const char *data, const char *member, int *uploaded, pg_error *err)
{
	int fd = -1, exists = 0;
	pg_code rc;

	if (uploaded)
		*uploaded = 0;
	if (!is_digest(digest))
		return pg_err(err, PG_REMOTE_PROTOCOL, _("%s: not a sha256 digest"), digest);
	if (path) {
		struct stat st;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return pg_err_errno(err, errno, 0, path);
		if (fstat(fd, &st) != 0 || (uint64_t)st.st_size != size) {
			close(fd);
			return pg_err(err, PG_REGISTRY_CORRUPT, _("%s: the blob store holds %s with another size"),
			              member ? member : digest, digest);
		}
	}
	for (int attempt = 0;; attempt++) {
		int restartable = 0;
		rc = pg_remote_blob_exists(r, repo, digest, &exists, err);
		if (rc)
			break;
		if (exists) {
			emit(r, PG_REMOTE_EV_BLOB_PRESENT, repo, digest, member, size, size, NULL);
			break;
		}
		rc = upload_once(r, repo, digest, size, fd, data, member, &restartable, err);
		if (!rc) {
			if (uploaded)
				*uploaded = 1;
			break;
		}
		if (!restartable || attempt >= r->o.max_retries)
			break;
		r->restarts++;
		emit(r, PG_REMOTE_EV_RESTART, repo, digest, member, 0, size, err->message);
		backoff(r, attempt, 0);
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

/* GET of a blob into q's sink or body; checks size and digest. */
static pg_code blob_get(pg_remote *r, struct req *q, const char *repo, const char *digest, uint64_t size,
                        const char *member, pg_error *err)
{
	char hex[PG_SHA256_HEX];
	pg_code rc;

	q->retry = 1;
	q->follow = 1;
	q->repo = repo;
	q->digest = digest;
	q->member = member;
	q->url = api_url(r, "%s/blobs/%s", repo, digest);
	if (!q->url)
		return oom(err);
	emit(r, PG_REMOTE_EV_BLOB_START, repo, digest, member, 0, size, NULL);
	rc = perform(q, err);
	if (rc)
		return rc;
	if (q->status != 200 && !(q->status == 206 && q->sink_w && q->resume))
		return http_fail(q, member ? member : digest, err);
	if (q->sink_w) {
		/* the digest is the member's SHA-256, which the loader reading
		 * the stream checks */
		if (q->sink_got != size)
			return pg_err(err, PG_DIGEST_MISMATCH, _("%s: the registry sent %llu of the %llu bytes of %s"),
			              member ? member : digest, (unsigned long long)q->sink_got, (unsigned long long)size, digest);
	} else {
		if (q->body_over || q->body.len != size)
			return pg_err(err, PG_DIGEST_MISMATCH, _("%s: the registry's bytes do not match %s"),
			              member ? member : digest, digest);
		pg_sha256_hex(q->body.data ? q->body.data : "", q->body.len, hex);
		if (strcmp(hex, digest + 7) != 0)
			return pg_err(err, PG_DIGEST_MISMATCH, _("%s: the registry's bytes do not match %s"),
			              member ? member : digest, digest);
	}
	emit(r, PG_REMOTE_EV_BLOB_DONE, repo, digest, member, size, size, NULL);
	return PG_OK;
}

pg_code pg_remote_blob_get_mem(pg_remote *r, const char *repo, const char *digest, uint64_t size, uint64_t max,
                               char **out, pg_error *err)
{
	struct req q;
	pg_code rc;

	*out = NULL;
	if (!is_digest(digest))
		return pg_err(err, PG_REMOTE_PROTOCOL, _("%s: not a sha256 digest"), digest);
	if (size > max)
		return pg_err(err, PG_REMOTE_PROTOCOL, _("%s: %llu bytes, over the %llu-byte cap"), digest,
		              (unsigned long long)size, (unsigned long long)max);
	req_init(&q, r, "GET", (size_t)size);
	q.keep_body = 1;
	rc = blob_get(r, &q, repo, digest, size, NULL, err);
	if (!rc) {
		*out = pg_buf_steal(&q.body, NULL);
		if (!*out)
			rc = oom(err);
	}
	req_free(&q);
	return rc;
}

/* GET of a blob straight into the member w is writing (a pull streams a
 * pack into the loader); a broken connection resumes with Range. */
static pg_code blob_stream(pg_remote *r, const char *repo, const char *digest, uint64_t size, pg_oci_writer *w,
                           const char *member, pg_error *err)
{
	struct req q;
	pg_code rc;

	if (!is_digest(digest))
		return pg_err(err, PG_REMOTE_PROTOCOL, _("%s: not a sha256 digest"), digest);
	req_init(&q, r, "GET", ERROR_BODY_MAX);
	q.sink_w = w;
	q.sink_max = size;
	q.sink_next = PROGRESS_STEP;
	rc = blob_get(r, &q, repo, digest, size, member, err);
	req_free(&q);
	return rc;
}

pg_code pg_remote_manifest_get(pg_remote *r, const char *repo, const char *ref, const char *accept, char **body,
                               size_t *len, char digest[PG_OCI_DIGEST_SIZE], char *media_type, int *found,
                               pg_error *err)
{
	struct req q;
	char hex[PG_SHA256_HEX];
	pg_code rc;

	*found = 0;
	*body = NULL;
	*len = 0;
	req_init(&q, r, "GET", PG_OCI_MANIFEST_MAX);
	q.keep_body = 1;
	q.retry = 1;
	q.follow = 1;
	q.accept = accept;
	q.url = api_url(r, "%s/manifests/%s", repo, ref);
	if (!q.url)
		return oom(err);
	rc = perform(&q, err);
	if (rc)
		goto out;
	if (q.status == 404)
		goto out;
	if (q.status != 200) {
		rc = http_fail(&q, ref, err);
		goto out;
	}
	pg_sha256_hex(q.body.data ? q.body.data : "", q.body.len, hex);
	snprintf(digest, PG_OCI_DIGEST_SIZE, "sha256:%s", hex);
	if (is_digest(ref) && strcmp(ref, digest) != 0) {
		rc = pg_err(err, PG_DIGEST_MISMATCH, _("%s@%s: the registry's manifest hashes to %s"), repo, ref, digest);
		goto out;
	}
	if (media_type) {
		size_t n = q.ctype_got ? strcspn(q.ctype_got, ";") : 0;
		if (n > 128)
			n = 128;
		memcpy(media_type, q.ctype_got ? q.ctype_got : "", n);
		media_type[n] = '\0';
	}
	*len = q.body.len;
	*body = pg_buf_steal(&q.body, NULL);
	if (!*body) {
		rc = oom(err);
		goto out;
	}
	*found = 1;
out:
	req_free(&q);
	return rc;
}

pg_code pg_remote_manifest_head(pg_remote *r, const char *repo, const char *ref, const char *accept, int *found,
                                char digest[PG_OCI_DIGEST_SIZE], uint64_t *size, pg_error *err)
{
	struct req q;
	pg_code rc;

	*found = 0;
	req_init(&q, r, "HEAD", ERROR_BODY_MAX);
	q.retry = 1;
	q.follow = 1;
	q.accept = accept;
	q.url = api_url(r, "%s/manifests/%s", repo, ref);
	if (!q.url)
		return oom(err);
	rc = perform(&q, err);
	if (!rc && q.status == 200) {
		if (!is_digest(q.dcd)) {
			/* no usable Docker-Content-Digest: ask for the bytes */
			char *body = NULL;
			size_t len = 0;
			req_free(&q);
			rc = pg_remote_manifest_get(r, repo, ref, accept, &body, &len, digest, NULL, found, err);
			free(body);
			*size = len;
			return rc;
		}
		snprintf(digest, PG_OCI_DIGEST_SIZE, "%s", q.dcd);
		*size = q.content_length;
		*found = 1;
	} else if (!rc && q.status != 404) {
		rc = http_fail(&q, ref, err);
	}
	req_free(&q);
	return rc;
}

pg_code pg_remote_manifest_put(pg_remote *r, const char *repo, const char *ref, const char *media_type,
                               const char *body, size_t len, int *subject_ok, pg_error *err)
{
	struct req q;
	char hex[PG_SHA256_HEX], what[300];
	pg_code rc;

	if (subject_ok)
		*subject_ok = 0;
	pg_sha256_hex(body, len, hex);
	req_init(&q, r, "PUT", ERROR_BODY_MAX);
	q.retry = 1;
	q.ctype = media_type;
	q.mem = body;
	q.body_len = len;
	q.has_body = 1;
	q.url = api_url(r, "%s/manifests/%s", repo, ref);
	if (!q.url)
		return oom(err);
	snprintf(what, sizeof what, "%s:%s", repo, ref);
	rc = perform(&q, err);
	if (!rc && q.status != 201 && q.status != 200)
		rc = http_fail(&q, what, err);
	if (!rc && q.dcd && (strncmp(q.dcd, "sha256:", 7) != 0 || strcmp(q.dcd + 7, hex) != 0))
		rc = pg_err(err, PG_REMOTE_PROTOCOL, _("%s: the registry stored the manifest as %s, not sha256:%s"), what,
		            q.dcd, hex);
	if (!rc && subject_ok && q.oci_subject)
		*subject_ok = 1;
	req_free(&q);
	return rc;
}

void pg_remote_strings_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The target of a Link: <URL>; rel="next" header, or NULL. */
static char *link_next(const char *link)
{
	const char *lt = strchr(link, '<'), *gt;

	if (!lt || !(gt = strchr(lt, '>')) || !strstr(gt, "rel=\"next\""))
		return NULL;
	return strndup(lt + 1, (size_t)(gt - lt - 1));
}

pg_code pg_remote_tags(pg_remote *r, const char *repo, char ***tags, size_t *n, pg_error *err)
{
	char **v = NULL, *url;
	size_t len = 0, cap = 0;
	pg_code rc = PG_OK;

	*tags = NULL;
	*n = 0;
	url = api_url(r, "%s/tags/list?n=1000", repo);
	if (!url)
		return oom(err);
	for (int page = 0; url && page < TAGS_PAGES_MAX; page++) {
		struct req q;
		cJSON *doc = NULL;
		const cJSON *t, *list, *arr;

		req_init(&q, r, "GET", TAGS_BODY_MAX);
		q.keep_body = 1;
		q.retry = 1;
		q.follow = 1;
		q.url = url;
		url = NULL;
		rc = perform(&q, err);
		if (!rc && q.status == 404) {
			req_free(&q);
			break; /* no such repository: no tags */
		}
		if (!rc && q.status != 200)
			rc = http_fail(&q, repo, err);
		if (!rc && pg_json_parse(q.body.data ? q.body.data : "", q.body.len, NULL, &doc, err) != PG_OK)
			rc = pg_err(err, PG_REMOTE_PROTOCOL, _("%s: the tag list is not JSON"), repo);
		list = pg_json_get(doc, "tags");
		if (!rc && !cJSON_IsArray(list) && !cJSON_IsNull(list) && list)
			rc = pg_err(err, PG_REMOTE_PROTOCOL, _("%s: the tag list has no tags array"), repo);
		arr = cJSON_IsArray(list) ? list : (const cJSON *)NULL;
		cJSON_ArrayForEach(t, arr) {
			if (rc)
				break;
			if (!pg_json_str(t)) {
				rc = pg_err(err, PG_REMOTE_PROTOCOL, _("%s: a tag that is not a string"), repo);
				break;
			}
			if (len == TAGS_MAX) {
				rc = pg_err(err, PG_LIMIT_ENTRIES, _("%s: more than %d tags"), repo, TAGS_MAX);
				break;
			}
			if (len == cap) {
				size_t nc = cap ? cap * 2 : 64;
				char **nv = realloc(v, nc * sizeof *nv);
				if (!nv) {
					rc = oom(err);
					break;
				}
				v = nv;
				cap = nc;
			}
			if (!(v[len] = strdup(pg_json_str(t)))) {
				rc = oom(err);
				break;
			}
			len++;
		}
		if (!rc && q.link) {
			char *next = link_next(q.link);
			if (next) {
				url = url_resolve(q.url, next);
				free(next);
				if (url && !same_origin(r, url)) {
					free(url);
					url = NULL;
					rc = pg_err(err, PG_REMOTE_PROTOCOL, _("%s: the next page of tags is on another host"), repo);
				}
			}
		}
		cJSON_Delete(doc);
		req_free(&q);
		if (rc)
			break;
	}
	if (!rc && url) /* a list that does not end is not one to act on */
		rc = pg_err(err, PG_REMOTE_PROTOCOL, _("%s: the tag list goes on past %d pages"), repo, TAGS_PAGES_MAX);
	free(url);
	if (rc) {
		pg_remote_strings_free(v, len);
		return rc;
	}
	*tags = v;
	*n = len;
	return PG_OK;
}

/* Reads an index from bytes (strict JSON) into refs. */
static pg_code index_from_bytes(const char *body, size_t len, pg_oci_refs *out, pg_error *err)
{
	cJSON *doc = NULL;
	pg_code rc = pg_json_parse(body, len, NULL, &doc, err);

	if (rc)
		return pg_err(err, PG_REMOTE_PROTOCOL, _("an image index is not valid JSON: %s"), err->message);
	rc = pg_oci_index_parse(doc, out, err);
	cJSON_Delete(doc);
	return rc;
}

pg_code pg_remote_referrers(pg_remote *r, const char *repo, const char *digest, pg_oci_refs *out, pg_error *err)
{
	struct req q;
	char tag[PG_OCI_DIGEST_SIZE], dg[PG_OCI_DIGEST_SIZE], *body = NULL;
	size_t len = 0;
	int found = 0;
	pg_code rc;

	pg_oci_refs_free(out);
	if (r->referrers_api != 0) {
		req_init(&q, r, "GET", PG_OCI_MANIFEST_MAX);
		q.keep_body = 1;
		q.retry = 1;
		q.follow = 1;
		q.accept = PG_OCI_MT_INDEX;
		q.url = api_url(r, "%s/referrers/%s", repo, digest);
		if (!q.url)
			return oom(err);
		rc = perform(&q, err);
		if (!rc && q.status == 200) {
			r->referrers_api = 1;
			rc = index_from_bytes(q.body.data ? q.body.data : "", q.body.len, out, err);
			req_free(&q);
			return rc;
		}
		if (!rc && q.status != 404 && q.status != 400 && q.status != 405 && q.status != 501)
			rc = http_fail(&q, _("referrers"), err);
		req_free(&q);
		if (rc)
			return rc;
		r->referrers_api = 0;
	}
	pg_oci_referrers_tag(digest, tag);
	rc = pg_remote_manifest_get(r, repo, tag, PG_OCI_MT_INDEX, &body, &len, dg, NULL, &found, err);
	if (!rc && found)
		rc = index_from_bytes(body, len, out, err);
	free(body);
	return rc;
}

pg_code pg_remote_referrers_tag_add(pg_remote *r, const char *repo, const char *subject, const char *digest,
                                    uint64_t size, const char *artifact_type, pg_error *err)
{
	char tag[PG_OCI_DIGEST_SIZE], dg[PG_OCI_DIGEST_SIZE];
	pg_code rc = PG_OK;

	pg_oci_referrers_tag(subject, tag);
	for (int round = 0; round < REFTAG_ROUNDS; round++) {
		char *body = NULL, *nb = NULL;
		size_t len = 0, nlen = 0;
		int found = 0, changed = 0, listed = 0;
		cJSON *doc = NULL;
		pg_oci_refs refs = { 0 };

		rc = pg_remote_manifest_get(r, repo, tag, PG_OCI_MT_INDEX, &body, &len, dg, NULL, &found, err);
		if (!rc && found && pg_json_parse(body, len, NULL, &doc, err) != PG_OK)
			rc = pg_err(err, PG_REMOTE_PROTOCOL, _("%s:%s is not valid JSON"), repo, tag);
		if (!rc)
			rc = pg_oci_index_add(doc, PG_OCI_MT_MANIFEST, artifact_type, digest, size, &nb, &nlen, &changed, err);
		cJSON_Delete(doc);
		free(body);
		if (!rc && changed)
			rc = pg_remote_manifest_put(r, repo, tag, PG_OCI_MT_INDEX, nb, nlen, NULL, err);
		free(nb);
		if (rc)
			return rc;
		if (!changed)
			return PG_OK;
		/* read it back: a concurrent writer may have replaced it */
		body = NULL;
		rc = pg_remote_manifest_get(r, repo, tag, PG_OCI_MT_INDEX, &body, &len, dg, NULL, &found, err);
		if (!rc && found)
			rc = index_from_bytes(body, len, &refs, err);
		free(body);
		for (size_t i = 0; !rc && i < refs.n; i++)
			if (strcmp(refs.v[i].digest, digest) == 0)
				listed = 1;
		pg_oci_refs_free(&refs);
		if (rc)
			return rc;
		if (listed)
			return PG_OK;
		emit(r, PG_REMOTE_EV_RETRY, repo, digest, NULL, 0, 0, _("the referrers tag changed under us; writing it again"));
	}
	return pg_err(err, PG_REMOTE_CONFLICT, _("%s:%s kept changing while packgate wrote it (%d rounds)"), repo, tag,
	              REFTAG_ROUNDS);
}

/* ------------------------------------------------------------ results */

void pg_remote_result_free(pg_remote_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->npacks; i++) {
		free(res->packs[i].name);
		free(res->packs[i].version);
		free(res->packs[i].repository);
	}
	free(res->packs);
	free(res->stmts);
	for (size_t i = 0; i < res->ntags; i++)
		free(res->tags[i].repository);
	free(res->tags);
	pg_remote_strings_free(res->warnings, res->nwarnings);
	memset(res, 0, sizeof *res);
}

/* Room for one more element (arrays here stay small). */
static void *grow(void *v, size_t n, size_t size)
{
	return realloc(v, (n + 1) * size);
}

static pg_remote_pack *add_pack(pg_remote_result *res, const char *id, const char *name, const char *version,
                                const char *repo)
{
	pg_remote_pack *v = grow(res->packs, res->npacks, sizeof *v), *p;

	if (!v)
		return NULL;
	res->packs = v;
	p = &v[res->npacks];
	memset(p, 0, sizeof *p);
	snprintf(p->id, sizeof p->id, "%s", id ? id : "");
	p->name = strdup(name ? name : "");
	p->version = strdup(version ? version : "");
	p->repository = strdup(repo ? repo : "");
	if (!p->name || !p->version || !p->repository) {
		free(p->name);
		free(p->version);
		free(p->repository);
		return NULL;
	}
	res->npacks++;
	return p;
}

static pg_remote_stmt *add_stmt(pg_remote_result *res)
{
	pg_remote_stmt *v = grow(res->stmts, res->nstmts, sizeof *v);

	if (!v)
		return NULL;
	res->stmts = v;
	memset(&v[res->nstmts], 0, sizeof *v);
	return &v[res->nstmts++];
}

static void warn(pg_remote *r, pg_remote_result *res, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void warn(pg_remote *r, pg_remote_result *res, const char *fmt, ...)
{
	pg_error e;
	va_list ap;
	char **v;

	pg_error_clear(&e);
	va_start(ap, fmt);
	pg_verr(&e, PG_USAGE, fmt, ap);
	va_end(ap);
	emit(r, PG_REMOTE_EV_WARNING, NULL, NULL, NULL, 0, 0, e.message);
	v = grow(res->warnings, res->nwarnings, sizeof *v);
	if (!v)
		return;
	res->warnings = v;
	if ((v[res->nwarnings] = strdup(e.message)))
		res->nwarnings++;
}

static void set_msg(char *dst, size_t cap, const pg_error *e)
{
	snprintf(dst, cap, "%s", e->message);
}

/* ------------------------------------------------------------ push */

/* Where a pack lives on the registry: the manifest its version tag names. */
struct home {
	char id[PG_ID_LEN];
	char *repo;
	char tag[PG_OCI_TAG_MAX + 1];
	char digest[PG_OCI_DIGEST_SIZE];
	uint64_t size;
	int ok;
	/* the transitions the registry shows for the pack (loaded on demand) */
	int loaded;
	struct rtrans {
		char digest[PG_OCI_DIGEST_SIZE];
		char prev[PG_OCI_DIGEST_SIZE];  /* "" for null */
	} *tr;
	size_t ntr;
};

static pg_code home_add_transition(struct home *h, const char *digest, const char *prev, pg_error *err)
{
	struct rtrans *v = realloc(h->tr, (h->ntr + 1) * sizeof *v);

	if (!v)
		return oom(err);
	h->tr = v;
	snprintf(v[h->ntr].digest, sizeof v[h->ntr].digest, "%s", digest);
	snprintf(v[h->ntr].prev, sizeof v[h->ntr].prev, "%s", prev ? prev : "");
	h->ntr++;
	return PG_OK;
}

/* Reads the transitions the registry holds for a pack: digest and prev of
 * each transition referrer (ones that cannot be read are left out: pull
 * reports them). */
static pg_code load_transitions(pg_remote *r, struct home *h, pg_error *err)
{
	pg_oci_refs refs = { 0 };
	pg_code rc;

	h->loaded = 1;
	rc = pg_remote_referrers(r, h->repo, h->digest, &refs, err);
	for (size_t i = 0; !rc && i < refs.n; i++) {
		char *body = NULL, *stmt = NULL, dg[PG_OCI_DIGEST_SIZE], sd[PG_OCI_DIGEST_SIZE];
		size_t len = 0;
		int found = 0;
		cJSON *doc = NULL;
		pg_oci_referrer rf;
		pg_stmt *st = NULL;

		if (refs.v[i].artifact_type && strcmp(refs.v[i].artifact_type, PG_OCI_ARTIFACT_TRANSITION) != 0)
			continue;
		rc = pg_remote_manifest_get(r, h->repo, refs.v[i].digest, PG_OCI_MT_MANIFEST, &body, &len, dg, NULL, &found, err);
		if (!rc && found && pg_json_parse(body, len, NULL, &doc, NULL) == PG_OK &&
		    pg_oci_referrer_parse(doc, &rf, NULL) == PG_OK && rf.kind == PG_STMT_TRANSITION &&
		    strcmp(rf.subject, h->digest) == 0 && rf.statement_size <= PG_REMOTE_STATEMENT_MAX) {
			rc = pg_remote_blob_get_mem(r, h->repo, rf.statement_digest, rf.statement_size, PG_REMOTE_STATEMENT_MAX,
			                            &stmt, err);
			if (!rc && pg_stmt_parse(stmt, (size_t)rf.statement_size, &st, NULL) == PG_OK &&
			    strcmp(st->pack_id, h->id) == 0) {
				pg_stmt_digest(stmt, (size_t)rf.statement_size, sd);
				rc = home_add_transition(h, sd, st->prev, err);
			}
		}
		pg_stmt_free(st);
		free(stmt);
		cJSON_Delete(doc);
		free(body);
	}
	pg_oci_refs_free(&refs);
	return rc;
}

/* Refuses to push a transition that would fork the registry's history or
 * continue one the registry lacks. */
static pg_code check_push_transition(pg_remote *r, struct home *h, const pg_reg_entry *e, pg_error *err)
{
	pg_stmt *st = NULL;
	char dg[PG_OCI_DIGEST_SIZE];
	const char *prev;
	int has_prev = 0;
	pg_code rc;

	if (!h->loaded) {
		rc = load_transitions(r, h, err);
		if (rc)
			return rc;
	}
	rc = pg_stmt_parse(e->statement, e->statement_len, &st, err);
	if (rc)
		return rc;
	pg_stmt_digest(e->statement, e->statement_len, dg);
	prev = st->prev ? st->prev : "";
	for (size_t i = 0; i < h->ntr; i++)
		if (strcmp(h->tr[i].digest, dg) == 0)
			goto out; /* there already */
	for (size_t i = 0; i < h->ntr; i++) {
		if (strcmp(h->tr[i].prev, prev) == 0) {
			rc = pg_err(err, PG_REMOTE_CONFLICT,
			            _("%s@%s: the registry holds another transition after the same one (a fork); pull and resolve first"),
			            st->name, st->version);
			goto out;
		}
		if (strcmp(h->tr[i].digest, prev) == 0)
			has_prev = 1;
	}
	if (*prev && !has_prev) {
		rc = pg_err(err, PG_REMOTE_CONFLICT,
		            _("%s@%s: the registry lacks the transition this one continues (a rollback of the registry)"),
		            st->name, st->version);
		goto out;
	}
	rc = home_add_transition(h, dg, st->prev, err);
out:
	pg_stmt_free(st);
	return rc;
}

/* Limits for mapping packs the local registry accepted already. */
static void local_limits(pg_limits *lim)
{
	pg_limits_default(lim);
	lim->json_bytes = (uint64_t)1 << 40;
	lim->path_bytes = lim->segment_bytes = (uint64_t)1 << 30;
}

/* Maps a pack of the local registry. */
static pg_code map_local(pg_reg *reg, const char *id, pg_reg_pack **pack, pg_oci_image **img, pg_error *err)
{
	pg_oci_sigin *s = NULL;
	pg_limits lim;
	pg_code rc;

	*img = NULL;
	rc = pg_reg_show(reg, id, pack, err);
	if (rc)
		return rc;
	s = calloc((*pack)->nsigs ? (*pack)->nsigs : 1, sizeof *s);
	if (!s)
		return oom(err);
	for (size_t i = 0; i < (*pack)->nsigs; i++) {
		s[i].path = (*pack)->sigs[i].path;
		s[i].data = (*pack)->sigs[i].armored;
		s[i].len = strlen((*pack)->sigs[i].armored);
	}
	local_limits(&lim);
	rc = pg_oci_map((*pack)->manifest, (*pack)->manifest_len, s, (*pack)->nsigs, &lim, img, err);
	free(s);
	return rc;
}

/* What the version tag names now: *state 0 nothing, 1 this very manifest,
 * 2 the same pack with other signatures (home filled), or remote.conflict
 * for another pack. */
static pg_code version_tag_state(pg_remote *r, const pg_oci_image *img, struct home *h, int *state, pg_error *err)
{
	char *body = NULL, dg[PG_OCI_DIGEST_SIZE];
	size_t len = 0;
	int found = 0;
	cJSON *doc = NULL;
	const cJSON *ml = NULL;
	pg_code rc;

	*state = 0;
	rc = pg_remote_manifest_get(r, h->repo, h->tag, PG_OCI_MT_MANIFEST, &body, &len, dg, NULL, &found, err);
	if (rc || !found)
		goto out;
	if (strcmp(dg, img->digest) == 0) {
		*state = 1;
		goto out;
	}
	if (pg_json_parse(body, len, NULL, &doc, NULL) == PG_OK && pg_oci_find_manifest_layer(doc, &ml, NULL) == PG_OK &&
	    pg_json_str(pg_json_get(ml, "digest")) && strcmp(pg_json_str(pg_json_get(ml, "digest")), img->layers[0].digest) == 0) {
		*state = 2;
		snprintf(h->digest, sizeof h->digest, "%s", dg);
		h->size = len;
		goto out;
	}
	rc = pg_err(err, PG_REMOTE_CONFLICT, _("%s:%s holds another pack than %s@%s (%s)"), h->repo, h->tag, img->name,
	            img->version, img->id);
out:
	cJSON_Delete(doc);
	free(body);
	return rc;
}

static pg_code push_pack(pg_remote *r, pg_reg *reg, const char *id, struct home *h, pg_remote_result *res,
                         pg_error *err)
{
	pg_reg_pack *pack = NULL;
	pg_oci_image *img = NULL;
	pg_remote_pack *pr = NULL;
	int state = 0;
	pg_code rc;

	memset(h, 0, sizeof *h);
	snprintf(h->id, sizeof h->id, "%s", id);
	rc = map_local(reg, id, &pack, &img, err);
	if (rc)
		goto out;
	h->repo = pg_remote_repository(r, img->name);
	if (!h->repo || !(pr = add_pack(res, img->id, img->name, img->version, h->repo))) {
		rc = oom(err);
		goto out;
	}
	if (pg_oci_tag(img->version, h->tag) != 0) {
		rc = pg_err(err, PG_REMOTE_PROTOCOL, _("%s@%s: the version cannot be an OCI tag"), img->name, img->version);
		goto out;
	}
	snprintf(pr->tag, sizeof pr->tag, "%s", h->tag);
	snprintf(h->digest, sizeof h->digest, "%s", img->digest);
	h->size = img->manifest_len;
	rc = version_tag_state(r, img, h, &state, err);
	if (rc)
		goto out;
	if (state == 2)
		warn(r, res, _("%s@%s: the registry's copy carries other publisher signatures; it is left as it is"), img->name,
		     img->version);
	if (state) {
		pr->status = PG_REMOTE_PRESENT;
		snprintf(pr->digest, sizeof pr->digest, "%s", h->digest);
		h->ok = 1;
		goto out;
	}
	for (size_t i = 0; i < img->nlayers; i++) {
		const pg_oci_layer *l = &img->layers[i];
		char *path = NULL;
		int up = 0;

		if (l->kind == PG_OCI_LAYER_FILE && !(path = pg_reg_blob_path(reg, l->digest + 7))) {
			rc = oom(err);
			goto out;
		}
		rc = pg_remote_blob_put(r, h->repo, l->digest, l->size, path,
		                        l->kind == PG_OCI_LAYER_MANIFEST ? img->pack_manifest
		                        : l->kind == PG_OCI_LAYER_SIG ? pack->sigs[l->sig].armored : NULL,
		                        l->path, &up, err);
		free(path);
		if (rc) {
			pg_error_path(err, "%s", l->path);
			goto out;
		}
		if (up) {
			pr->blobs_uploaded++;
			pr->bytes_uploaded += l->size;
		} else {
			pr->blobs_present++;
		}
	}
	{
		int up = 0;
		rc = pg_remote_blob_put(r, h->repo, img->config_digest, img->config_len, NULL, img->config, NULL, &up, err);
		if (rc)
			goto out;
		if (up) {
			pr->blobs_uploaded++;
			pr->bytes_uploaded += img->config_len;
		} else {
			pr->blobs_present++;
		}
	}
	/* the manifest last: once it is there, every blob it names is */
	rc = pg_remote_manifest_put(r, h->repo, h->tag, PG_OCI_MT_MANIFEST, img->manifest, img->manifest_len, NULL, err);
	if (rc)
		goto out;
	pr->status = PG_REMOTE_PUSHED;
	snprintf(pr->digest, sizeof pr->digest, "%s", img->digest);
	h->ok = 1;
out:
	if (rc && pr) {
		pr->status = PG_REMOTE_FAILED;
		pr->code = rc;
		set_msg(pr->message, sizeof pr->message, err);
	}
	pg_oci_image_free(img);
	pg_reg_pack_free(pack);
	return rc;
}

static pg_code push_statement(pg_remote *r, pg_reg *reg, const pg_reg_entry *e, struct home *h,
                              pg_remote_result *res, pg_error *err)
{
	pg_remote_stmt *rs = add_stmt(res);
	char *man = NULL, dg[PG_OCI_DIGEST_SIZE], hex[PG_SHA256_HEX], sdg[PG_OCI_DIGEST_SIZE], gdg[PG_OCI_DIGEST_SIZE];
	size_t len = 0, slen = strlen(e->signature);
	pg_stmt_kind kind = strcmp(e->kind, "approval") == 0 ? PG_STMT_APPROVAL : PG_STMT_TRANSITION;
	int found = 0, subject_ok = 0;
	uint64_t size = 0;
	pg_code rc;

	if (!rs)
		return oom(err);
	rs->seq = e->seq;
	snprintf(rs->kind, sizeof rs->kind, "%s", e->kind);
	snprintf(rs->pack, sizeof rs->pack, "%s", e->pack);
	pg_sha256_hex(e->statement, e->statement_len, hex);
	snprintf(sdg, sizeof sdg, "sha256:%s", hex);
	snprintf(rs->statement, sizeof rs->statement, "%s", sdg);
	pg_sha256_hex(e->signature, slen, hex);
	snprintf(gdg, sizeof gdg, "sha256:%s", hex);
	rc = kind == PG_STMT_TRANSITION ? check_push_transition(r, h, e, err) : PG_OK;
	if (!rc)
		rc = pg_remote_blob_put(r, h->repo, PG_OCI_EMPTY_DIGEST, 2, NULL, PG_OCI_EMPTY_DATA, NULL, NULL, err);
	if (!rc)
		rc = pg_remote_blob_put(r, h->repo, sdg, e->statement_len, NULL, e->statement, NULL, NULL, err);
	if (!rc)
		rc = pg_remote_blob_put(r, h->repo, gdg, slen, NULL, e->signature, NULL, NULL, err);
	if (!rc)
		rc = pg_oci_statement_manifest(kind, e->statement, e->statement_len, e->signature, slen, h->digest, h->size,
		                               &man, &len, dg, err);
	if (rc)
		goto out;
	snprintf(rs->digest, sizeof rs->digest, "%s", dg);
	rc = pg_remote_manifest_head(r, h->repo, dg, PG_OCI_MT_MANIFEST, &found, gdg, &size, err);
	if (!rc && !found) {
		rc = pg_remote_manifest_put(r, h->repo, dg, PG_OCI_MT_MANIFEST, man, len, &subject_ok, err);
		if (!rc && subject_ok)
			r->referrers_api = 1;
	}
	if (!rc && !subject_ok && r->referrers_api != 1)
		rc = pg_remote_referrers_tag_add(r, h->repo, h->digest, dg, len,
		                                 kind == PG_STMT_APPROVAL ? PG_OCI_ARTIFACT_APPROVAL : PG_OCI_ARTIFACT_TRANSITION,
		                                 err);
	if (!rc)
		rc = pg_reg_outbox_done(reg, e->seq, err);
	if (!rc)
		rs->status = found ? PG_REMOTE_PRESENT : PG_REMOTE_PUSHED;
out:
	if (rc) {
		rs->status = PG_REMOTE_FAILED;
		rs->code = rc;
		set_msg(rs->message, sizeof rs->message, err);
	}
	free(man);
	return rc;
}

/* Moves NAME's champion and canary tags to the local champion and canary
 * when the registry holds them. */
static pg_code move_alias_tags(pg_remote *r, pg_reg *reg, const char *name, pg_remote_result *res, pg_error *err)
{
	static const char *const aliases[] = { "champion", "canary" };
	pg_code rc = PG_OK;

	for (size_t a = 0; a < 2 && !rc; a++) {
		char ref[300], id[PG_ID_LEN], *body = NULL, dg[PG_OCI_DIGEST_SIZE], cur[PG_OCI_DIGEST_SIZE];
		pg_reg_pack *pack = NULL;
		pg_oci_image *img = NULL;
		struct home h;
		int state = 0, found = 0;
		uint64_t size = 0;
		size_t len = 0;
		pg_error e2;

		snprintf(ref, sizeof ref, "%s:%s", name, aliases[a]);
		if (pg_reg_resolve(reg, ref, id, &e2) != PG_OK)
			continue; /* none here: the registry's tag is left alone */
		memset(&h, 0, sizeof h);
		rc = map_local(reg, id, &pack, &img, err);
		if (!rc && !(h.repo = pg_remote_repository(r, name)))
			rc = oom(err);
		if (!rc && pg_oci_tag(img->version, h.tag) == 0) {
			snprintf(h.digest, sizeof h.digest, "%s", img->digest);
			rc = version_tag_state(r, img, &h, &state, err);
		}
		if (!rc && !state)
			warn(r, res, _("%s:%s: %s@%s is not on the registry; the tag is not moved"), name, aliases[a], img->name,
			     img->version);
		if (!rc && state) {
			rc = pg_remote_manifest_head(r, h.repo, aliases[a], PG_OCI_MT_MANIFEST, &found, cur, &size, err);
			if (!rc && (!found || strcmp(cur, h.digest) != 0)) {
				rc = pg_remote_manifest_get(r, h.repo, h.digest, PG_OCI_MT_MANIFEST, &body, &len, dg, NULL, &found, err);
				if (!rc && found)
					rc = pg_remote_manifest_put(r, h.repo, aliases[a], PG_OCI_MT_MANIFEST, body, len, NULL, err);
				if (!rc && found) {
					pg_remote_tagmove *v = grow(res->tags, res->ntags, sizeof *v);
					if (v) {
						res->tags = v;
						v[res->ntags].repository = strdup(h.repo);
						snprintf(v[res->ntags].tag, sizeof v[res->ntags].tag, "%s", aliases[a]);
						snprintf(v[res->ntags].digest, sizeof v[res->ntags].digest, "%s", h.digest);
						if (v[res->ntags].repository)
							res->ntags++;
					}
				}
			}
		}
		free(body);
		free(h.repo);
		pg_oci_image_free(img);
		pg_reg_pack_free(pack);
	}
	return rc;
}

static int id_in(char (*ids)[PG_ID_LEN], size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ids[i], id) == 0)
			return 1;
	return 0;
}

pg_code pg_remote_push(pg_remote *r, pg_reg *reg, const char *const *ids, size_t nids, pg_remote_result *res,
                       pg_error *err)
{
	int64_t *seqs = NULL;
	size_t nseqs = 0, npacks = 0;
	pg_reg_entries all = { 0 };
	char(*packs)[PG_ID_LEN] = NULL;
	struct home *homes = NULL;
	pg_code rc;

	rc = pg_reg_outbox(reg, &seqs, &nseqs, err);
	if (!rc && nseqs)
		rc = pg_reg_log(reg, NULL, &all, err);
	if (rc)
		goto out;
	packs = calloc(nids + nseqs + 1, sizeof *packs);
	homes = calloc(nids + nseqs + 1, sizeof *homes);
	if (!packs || !homes) {
		rc = oom(err);
		goto out;
	}
	for (size_t i = 0; i < nids; i++)
		if (!id_in(packs, npacks, ids[i]))
			snprintf(packs[npacks++], PG_ID_LEN, "%s", ids[i]);
	for (size_t i = 0; i < nseqs; i++)
		for (size_t k = 0; k < all.n; k++)
			if (all.v[k].seq == seqs[i] && !id_in(packs, npacks, all.v[k].pack))
				snprintf(packs[npacks++], PG_ID_LEN, "%s", all.v[k].pack);

	for (size_t i = 0; i < npacks && !rc; i++)
		rc = push_pack(r, reg, packs[i], &homes[i], res, err);
	for (size_t i = 0; i < nseqs && !rc; i++) {
		const pg_reg_entry *e = NULL;
		struct home *h = NULL;
		for (size_t k = 0; k < all.n; k++)
			if (all.v[k].seq == seqs[i])
				e = &all.v[k];
		if (!e)
			continue; /* the outbox names an entry the chain lacks: audit reports it */
		for (size_t k = 0; k < npacks; k++)
			if (strcmp(packs[k], e->pack) == 0)
				h = &homes[k];
		if (!h || !h->ok)
			continue;
		rc = push_statement(r, reg, e, h, res, err);
	}
	/* the convenience tags of every name pushed */
	for (size_t i = 0; i < res->npacks && !rc; i++) {
		int seen = 0;
		for (size_t k = 0; k < i; k++)
			if (strcmp(res->packs[k].name, res->packs[i].name) == 0)
				seen = 1;
		if (!seen && res->packs[i].status != PG_REMOTE_FAILED)
			rc = move_alias_tags(r, reg, res->packs[i].name, res, err);
	}
out:
	res->retries = r->retries;
	res->restarts = r->restarts;
	for (size_t i = 0; homes && i < npacks; i++) {
		free(homes[i].repo);
		free(homes[i].tr);
	}
	free(homes);
	free(packs);
	free(seqs);
	pg_reg_entries_free(&all);
	return rc;
}

/* ------------------------------------------------------------ pull */

struct pulled {
	char *tag;
	pg_oci_image *img;               /* the mapping, checked against the registry */
	char **sigdata;                  /* the signature layers' bytes */
	size_t nsigs;
	char id[PG_ID_LEN];
	char **parents;
	size_t nparents;
	char digest[PG_OCI_DIGEST_SIZE]; /* its OCI manifest */
	uint64_t size;
	int fetched, imported, done;
	size_t res;                      /* its entry in res->packs */
};

static void pulled_free(struct pulled *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].tag);
		pg_oci_image_free(v[i].img);
		pg_remote_strings_free(v[i].sigdata, v[i].nsigs);
		pg_remote_strings_free(v[i].parents, v[i].nparents);
	}
	free(v);
}

/* Fetches what the registry holds under one tag but the member files: its
 * manifest, the pack manifest and the signatures, and checks that they are
 * the canonical mapping of a pack within the limits. */
static pg_code fetch_head(pg_remote *r, const char *repo, const char *name, struct pulled *p, const pg_limits *lim,
                          pg_error *err)
{
	char *body = NULL, dg[PG_OCI_DIGEST_SIZE], ldg[PG_OCI_DIGEST_SIZE], tag[PG_OCI_TAG_MAX + 1];
	size_t len = 0, nsigs = 0;
	int found = 0;
	uint64_t lsize = 0, total = 0, nfiles = 0;
	cJSON *doc = NULL, *pm = NULL;
	const cJSON *ml, *l, *par;
	char *pack_manifest = NULL;
	pg_oci_sigin *sigs = NULL;
	char **sigdata = NULL;
	pg_oci_image *img = NULL;
	pg_code rc;

	rc = pg_remote_manifest_get(r, repo, p->tag, PG_OCI_MT_MANIFEST, &body, &len, dg, NULL, &found, err);
	if (rc)
		goto out;
	if (!found) {
		rc = pg_err(err, PG_REMOTE_HTTP, _("%s:%s: HTTP 404: no such tag on the registry"), repo, p->tag);
		goto out;
	}
	if (pg_json_parse(body, len, NULL, &doc, err) != PG_OK) {
		rc = pg_err(err, PG_REMOTE_PROTOCOL, _("%s:%s: the manifest is not valid JSON: %s"), repo, p->tag, err->message);
		goto out;
	}
	rc = pg_oci_find_manifest_layer(doc, &ml, err);
	if (!rc)
		rc = pg_oci_descriptor(ml, "manifest.json", ldg, &lsize, err);
	if (rc)
		goto out;
	if (lsize > lim->json_bytes) {
		pg_error_path(err, "manifest.json");
		rc = pg_err(err, PG_LIMIT_JSON_BYTES, _("manifest.json: %llu bytes, over the %llu-byte JSON limit"),
		            (unsigned long long)lsize, (unsigned long long)lim->json_bytes);
		goto out;
	}
	rc = pg_remote_blob_get_mem(r, repo, ldg, lsize, lsize, &pack_manifest, err);
	if (rc)
		goto out;

	/* the publisher signatures, small, into memory */
	{
		size_t nl = (size_t)cJSON_GetArraySize(pg_json_get(doc, "layers"));
		sigs = calloc(nl + 1, sizeof *sigs);
		sigdata = calloc(nl + 1, sizeof *sigdata);
		if (!sigs || !sigdata) {
			rc = oom(err);
			goto out;
		}
	}
	cJSON_ArrayForEach(l, pg_json_get(doc, "layers")) {
		const char *mt = pg_json_str(pg_json_get(l, "mediaType"));
		const char *path = pg_json_str(pg_json_get(pg_json_get(l, "annotations"), PG_OCI_ANN_FILEPATH));
		char sdg[PG_OCI_DIGEST_SIZE];
		uint64_t ssize = 0;

		if (!mt || strcmp(mt, PG_OCI_MT_SIG) != 0)
			continue;
		if (!path) {
			rc = pg_err(err, PG_REMOTE_PROTOCOL, _("a signature layer without a %s annotation"), PG_OCI_ANN_FILEPATH);
			goto out;
		}
		if (nsigs >= SIG_LAYERS_MAX) {
			rc = pg_err(err, PG_LIMIT_ENTRIES, _("more than %d signature layers"), SIG_LAYERS_MAX);
			goto out;
		}
		rc = pg_oci_descriptor(l, path, sdg, &ssize, err);
		if (rc)
			goto out;
		if (ssize > PG_SIG_MAX_BYTES) {
			pg_error_path(err, "%s", path);
			rc = pg_err(err, PG_LIMIT_ENTRY_BYTES, _("%s: %llu bytes, over the %llu-byte signature cap"), path,
			            (unsigned long long)ssize, (unsigned long long)PG_SIG_MAX_BYTES);
			goto out;
		}
		rc = pg_remote_blob_get_mem(r, repo, sdg, ssize, PG_SIG_MAX_BYTES, &sigdata[nsigs], err);
		if (rc)
			goto out;
		sigs[nsigs].path = path;
		sigs[nsigs].data = sigdata[nsigs];
		sigs[nsigs].len = (size_t)ssize;
		nsigs++;
	}

	/* the pack manifest and the whole mapping must agree with the registry */
	rc = pg_oci_map(pack_manifest, (size_t)lsize, sigs, nsigs, lim, &img, err);
	if (rc)
		goto out;
	if (strcmp(img->name, name) != 0) {
		rc = pg_err(err, PG_REMOTE_PROTOCOL, _("%s:%s holds the pack %s, not %s"), repo, p->tag, img->name, name);
		goto out;
	}
	if (pg_oci_tag(img->version, tag) != 0 || strcmp(tag, p->tag) != 0) {
		rc = pg_err(err, PG_REMOTE_PROTOCOL, _("%s:%s holds version %s"), repo, p->tag, img->version);
		goto out;
	}
	rc = pg_oci_check_remote(doc, img, lim, err);
	if (rc)
		goto out;
	if (strcmp(dg, img->digest) != 0) {
		rc = pg_err(err, PG_REMOTE_PROTOCOL, _("%s:%s: the registry's manifest %s is not the canonical %s"), repo, p->tag,
		            dg, img->digest);
		goto out;
	}
	for (size_t i = 0; i < img->nlayers; i++) {
		const pg_oci_layer *ly = &img->layers[i];
		if (ly->kind != PG_OCI_LAYER_FILE)
			continue;
		nfiles++;
		if (ly->size > lim->entry_bytes) {
			pg_error_path(err, "%s", ly->path);
			rc = pg_err(err, PG_LIMIT_ENTRY_BYTES, _("%s: %llu bytes, over the %llu-byte entry limit"), ly->path,
			            (unsigned long long)ly->size, (unsigned long long)lim->entry_bytes);
			goto out;
		}
		total += ly->size;
	}
	if (nfiles + nsigs + 1 > lim->entries) {
		rc = pg_err(err, PG_LIMIT_ENTRIES, _("%llu entries, over the limit of %llu"),
		            (unsigned long long)(nfiles + nsigs + 1), (unsigned long long)lim->entries);
		goto out;
	}
	if (total > lim->total_bytes) {
		rc = pg_err(err, PG_LIMIT_TOTAL_BYTES, _("%llu bytes in all, over the %llu-byte limit"),
		            (unsigned long long)total, (unsigned long long)lim->total_bytes);
		goto out;
	}

	snprintf(p->id, sizeof p->id, "%s", img->id);
	snprintf(p->digest, sizeof p->digest, "%s", img->digest);
	p->size = img->manifest_len;
	if (pg_json_parse(img->pack_manifest, img->pack_manifest_len, NULL, &pm, NULL) == PG_OK) {
		const cJSON *e;
		par = pg_json_get(pm, "parents");
		p->parents = calloc((size_t)cJSON_GetArraySize(par) + 1, sizeof *p->parents);
		cJSON_ArrayForEach(e, par)
			if (p->parents && (p->parents[p->nparents] = strdup(pg_json_str(e))))
				p->nparents++;
	}
	p->img = img;
	img = NULL;
	p->sigdata = sigdata;
	p->nsigs = nsigs;
	sigdata = NULL;
	nsigs = 0;
	p->fetched = 1;
out:
	cJSON_Delete(pm);
	pg_oci_image_free(img);
	pg_remote_strings_free(sigdata, nsigs);
	free(sigs);
	free(pack_manifest);
	cJSON_Delete(doc);
	free(body);
	return rc;
}

/* A pull's channel: a few megabytes between the download and the loader. */
#define CHAN_SLOT ((size_t)1024 * 1024)
#define CHAN_SLOTS 4

/* The loader's side of a streamed pull, in a thread of its own. */
struct stager {
	pg_reg *reg;
	pg_chan *chan;
	const pg_pack_opts *opts;
	pg_reg_staged *st;
	pg_code rc;
	pg_error err;
	int saw_end;  /* the loader read to the end of the stream */
};

static ssize_t chan_source(void *ctx, const void **buf)
{
	struct stager *sg = ctx;
	size_t n = pg_chan_read(sg->chan, buf);

	if (!n)
		sg->saw_end = 1;
	return (ssize_t)n;
}

static void *stager_main(void *arg)
{
	struct stager *sg = arg;

	sg->rc = pg_reg_stage_stream(sg->reg, chan_source, sg, sg->opts, &sg->st, &sg->err);
	/* tells the writer, should it still be writing, to stop */
	pg_chan_close_read(sg->chan);
	return NULL;
}

static int chan_out(void *ctx, const void *buf, size_t n)
{
	return pg_chan_write(ctx, buf, n);
}

struct filler {
	pg_remote *r;
	const char *repo;
	const pg_oci_entry *ents;
	const char **digests; /* the layer of each entry */
};

static pg_code fill_layer(void *ctx, const pg_oci_entry *e, pg_oci_writer *w, pg_error *err)
{
	struct filler *f = ctx;
	pg_code rc = blob_stream(f->r, f->repo, f->digests[e - f->ents], e->size, w, e->path, err);

	if (rc && !err->path[0])
		pg_error_path(err, "%s", e->path);
	return rc;
}

/* Streams the pack of p from the registry into the loader and imports it
 * as `packgate import` would: the archive the layers make (the layout of
 * `packgate build`) goes into a channel as the blobs arrive, and the loader
 * reads the other end in a second thread, so every byte is received once,
 * hashed once (the loader checks each member against the manifest, and a
 * file layer's digest is that member's SHA-256) and written once (into the
 * scratch directory the import moves into the blob store). */
static pg_code stream_import(pg_remote *r, pg_review *rv, const char *repo, const struct pulled *p,
                             const pg_pack_opts *opts, pg_reg_imported *imp, pg_error *err)
{
	const pg_oci_image *img = p->img;
	pg_oci_entry *ents = calloc(img->nlayers + 1, sizeof *ents);
	const char **digests = calloc(img->nlayers + 1, sizeof *digests);
	struct stager sg;
	struct filler f;
	pthread_t t;
	size_t n = 0;
	int gone = 0, e;
	pg_error we;
	pg_code rc = PG_OK, wrc;

	memset(&sg, 0, sizeof sg);
	pg_error_clear(&we);
	pg_error_clear(&sg.err);
	sg.chan = pg_chan_new(CHAN_SLOT, CHAN_SLOTS);
	if (!ents || !digests || !sg.chan) {
		rc = oom(err);
		goto out;
	}
	for (size_t i = 0; i < img->nlayers; i++) {
		const pg_oci_layer *ly = &img->layers[i];
		if (ly->kind == PG_OCI_LAYER_MANIFEST)
			continue;
		ents[n].path = ly->path;
		ents[n].size = ly->size;
		if (ly->kind == PG_OCI_LAYER_SIG)
			ents[n].data = p->sigdata[ly->sig];
		digests[n++] = ly->digest;
	}
	sg.reg = rv->reg;
	sg.opts = opts;
	if ((e = pthread_create(&t, NULL, stager_main, &sg)) != 0) {
		rc = pg_err_errno(err, e, 1, "pthread_create");
		goto out;
	}
	f.r = r;
	f.repo = repo;
	f.ents = ents;
	f.digests = digests;
	wrc = pg_oci_assemble_to(chan_out, sg.chan, 1, repo, img->pack_manifest, img->pack_manifest_len, ents, n,
	                         fill_layer, &f, &gone, &we);
	/* the end of the stream: a truncated archive to the loader if wrc */
	pg_chan_close_write(sg.chan);
	pthread_join(t, NULL);
	if (sg.rc && !sg.saw_end) {
		/* the loader refused what it read, whatever the download did next */
		*err = sg.err;
		rc = sg.rc;
	} else if (wrc && !gone) {
		/* the download failed; the loader only saw the stream end early */
		*err = we;
		rc = wrc;
	} else if (sg.rc) {
		*err = sg.err;
		rc = sg.rc;
	} else {
		/* the loader accepted a whole pack (what the writer may have
		 * had left was the end-of-archive blocks) */
		rc = pg_review_import_staged(rv->reg, rv->policy, rv->sig, sg.st, rv->now, imp, err);
		sg.st = NULL;
	}
out:
	pg_reg_staged_free(sg.st);
	pg_chan_free(sg.chan);
	free(digests);
	free(ents);
	return rc;
}

/* A statement fetched from the registry. */
struct sitem {
	pg_stmt *st;
	char *statement;
	size_t len;
	char *signature;
	char digest[PG_OCI_DIGEST_SIZE];   /* "sha256:" + hex of the statement */
	size_t pack;                       /* index into the pulled packs */
	int done, blocked;
	pg_code code;
	char message[1024];
	size_t res;                        /* its entry in res->stmts */
};

static void sitems_free(struct sitem *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		pg_stmt_free(v[i].st);
		free(v[i].statement);
		free(v[i].signature);
	}
	free(v);
}

/* Records the first failure of a pull into first/err. */
static void first_fail(pg_code *first, pg_error *err, const pg_error *e)
{
	if (*first == PG_OK) {
		*first = e->code;
		if (err)
			*err = *e;
	}
}

/* Fetches and checks the statements that refer to pulled pack k. */
static pg_code fetch_statements(pg_remote *r, const char *repo, struct pulled *pk, size_t k, struct sitem **items,
                                size_t *nitems, pg_remote_result *res, pg_code *first, pg_error *err)
{
	pg_oci_refs refs = { 0 };
	pg_error e;
	pg_code rc;

	pg_error_clear(&e);
	rc = pg_remote_referrers(r, repo, pk->digest, &refs, &e);
	if (rc) {
		first_fail(first, err, &e);
		return rc;
	}
	for (size_t i = 0; i < refs.n; i++) {
		const pg_oci_ref *ref = &refs.v[i];
		char *body = NULL, *stmt = NULL, *sig = NULL, *man = NULL, dg[PG_OCI_DIGEST_SIZE], mdg[PG_OCI_DIGEST_SIZE];
		size_t len = 0, mlen = 0;
		int found = 0, dup = 0;
		cJSON *doc = NULL;
		pg_oci_referrer rf;
		pg_stmt *st = NULL;
		pg_remote_stmt *rs;
		struct sitem *nv;

		if (ref->artifact_type && strcmp(ref->artifact_type, PG_OCI_ARTIFACT_APPROVAL) != 0 &&
		    strcmp(ref->artifact_type, PG_OCI_ARTIFACT_TRANSITION) != 0)
			continue; /* another tool's referrer */
		pg_error_clear(&e);
		rc = pg_remote_manifest_get(r, repo, ref->digest, PG_OCI_MT_MANIFEST, &body, &len, dg, NULL, &found, &e);
		if (!rc && !found) {
			warn(r, res, _("%s: the referrer %s is listed but missing; skipped"), repo, ref->digest);
			goto next;
		}
		if (!rc && pg_json_parse(body, len, NULL, &doc, &e) != PG_OK)
			rc = pg_err(&e, PG_REMOTE_PROTOCOL, _("the referrer %s is not valid JSON"), ref->digest);
		if (!rc)
			rc = pg_oci_referrer_parse(doc, &rf, &e);
		if (!rc && strcmp(rf.subject, pk->digest) != 0)
			rc = pg_err(&e, PG_REMOTE_PROTOCOL, _("the referrer %s is about %s, not %s"), ref->digest, rf.subject,
			            pk->digest);
		if (!rc && (rf.statement_size > PG_REMOTE_STATEMENT_MAX || rf.signature_size > PG_SIG_MAX_BYTES))
			rc = pg_err(&e, PG_REMOTE_PROTOCOL, _("the referrer %s has layers over the caps"), ref->digest);
		if (rc == PG_REMOTE_PROTOCOL) {
			warn(r, res, _("%s: skipped a referrer: %s"), repo, e.message);
			rc = PG_OK;
			goto next;
		}
		if (!rc)
			rc = pg_remote_blob_get_mem(r, repo, rf.statement_digest, rf.statement_size, PG_REMOTE_STATEMENT_MAX, &stmt, &e);
		if (!rc)
			rc = pg_remote_blob_get_mem(r, repo, rf.signature_digest, rf.signature_size, PG_SIG_MAX_BYTES, &sig, &e);
		if (!rc && memchr(sig, '\0', (size_t)rf.signature_size)) {
			warn(r, res, _("%s: the referrer %s has a signature with a NUL byte; skipped"), repo, ref->digest);
			goto next;
		}
		if (!rc)
			rc = pg_oci_statement_manifest(rf.kind, stmt, (size_t)rf.statement_size, sig, (size_t)rf.signature_size,
			                               pk->digest, pk->size, &man, &mlen, mdg, &e);
		if (!rc && strcmp(mdg, dg) != 0) {
			warn(r, res, _("%s: the referrer %s is not in packgate's form; skipped"), repo, ref->digest);
			goto next;
		}
		if (!rc)
			rc = pg_stmt_parse(stmt, (size_t)rf.statement_size, &st, &e);
		if (!rc && ((st->kind == PG_STMT_APPROVAL) != (rf.kind == PG_STMT_APPROVAL) || strcmp(st->pack_id, pk->id) != 0))
			rc = pg_err(&e, PG_REMOTE_PROTOCOL, _("the statement of %s is not a %s about %s"), ref->digest,
			            pg_stmt_kind_name(rf.kind), pk->id);
		if (!rc) {
			char hex[PG_SHA256_HEX];
			pg_sha256_hex(stmt, (size_t)rf.statement_size, hex);
			for (size_t j = 0; j < *nitems; j++)
				if (strcmp((*items)[j].digest + 7, hex) == 0)
					dup = 1;
			if (dup)
				goto next;
		}
		rs = add_stmt(res);
		if (!rs) {
			rc = oom(err);
			goto next;
		}
		snprintf(rs->digest, sizeof rs->digest, "%s", ref->digest);
		snprintf(rs->pack, sizeof rs->pack, "%s", pk->id);
		snprintf(rs->kind, sizeof rs->kind, "%s", pg_stmt_kind_name(rf.kind));
		if (rc) {
			/* tampered or malformed: refused loudly */
			rs->status = PG_REMOTE_FAILED;
			rs->code = rc;
			set_msg(rs->message, sizeof rs->message, &e);
			first_fail(first, err, &e);
			rc = PG_OK;
			goto next;
		}
		nv = realloc(*items, (*nitems + 1) * sizeof *nv);
		if (!nv) {
			rc = oom(err);
			goto next;
		}
		*items = nv;
		memset(&nv[*nitems], 0, sizeof *nv);
		nv[*nitems].st = st;
		nv[*nitems].statement = stmt;
		nv[*nitems].len = (size_t)rf.statement_size;
		nv[*nitems].signature = sig;
		nv[*nitems].pack = k;
		nv[*nitems].res = res->nstmts - 1;
		{
			char hex[PG_SHA256_HEX];
			pg_sha256_hex(stmt, nv[*nitems].len, hex);
			snprintf(nv[*nitems].digest, sizeof nv[*nitems].digest, "sha256:%s", hex);
			snprintf(rs->statement, sizeof rs->statement, "sha256:%s", hex);
		}
		(*nitems)++;
		st = NULL;
		stmt = sig = NULL;
	next:
		if (rc && rc != PG_IO_MEMORY) {
			first_fail(first, err, &e);
			rc = PG_OK;
		}
		pg_stmt_free(st);
		cJSON_Delete(doc);
		free(body);
		free(stmt);
		free(sig);
		free(man);
		if (rc)
			break;
	}
	pg_oci_refs_free(&refs);
	return rc;
}

/* The rollback and fork rules for one pack: *why is set (and the
 * transitions of the pack blocked) when the registry's transitions do
 * not extend the local history. */
static pg_code check_history(pg_reg *reg, const struct pulled *pk, size_t k, struct sitem *items, size_t n,
                             const int64_t *outbox, size_t noutbox, char *why, size_t cap, pg_error *err)
{
	pg_reg_entries local = { 0 };
	size_t nlocal = 0, nremote = 0, nchain = 0, *chain = NULL;
	char (*ldg)[PG_OCI_DIGEST_SIZE] = NULL;
	int64_t *lseq = NULL;
	const char *cur = NULL;
	pg_code rc;

	why[0] = '\0';
	rc = pg_reg_log(reg, pk->id, &local, err);
	if (rc)
		return rc;
	ldg = calloc(local.n + 1, sizeof *ldg);
	lseq = calloc(local.n + 1, sizeof *lseq);
	chain = calloc(n + 1, sizeof *chain);
	if (!ldg || !lseq || !chain) {
		rc = oom(err);
		goto out;
	}
	for (size_t i = 0; i < local.n; i++) {
		if (strcmp(local.v[i].kind, "transition") != 0)
			continue;
		pg_stmt_digest(local.v[i].statement, local.v[i].statement_len, ldg[nlocal]);
		lseq[nlocal++] = local.v[i].seq;
	}
	for (size_t i = 0; i < n; i++)
		if (items[i].pack == k && items[i].st->kind == PG_STMT_TRANSITION)
			nremote++;
	/* the registry's transitions must form one chain from the first */
	for (;;) {
		size_t next = n, count = 0;
		for (size_t i = 0; i < n; i++) {
			const pg_stmt *st = items[i].st;
			if (items[i].pack != k || st->kind != PG_STMT_TRANSITION)
				continue;
			if ((cur == NULL && st->prev == NULL) || (cur && st->prev && strcmp(st->prev, cur) == 0)) {
				next = i;
				count++;
			}
		}
		if (count > 1) {
			snprintf(why, cap, _("the registry shows two transitions after the same one (a fork)"));
			goto out;
		}
		if (count == 0)
			break;
		chain[nchain++] = next;
		cur = items[next].digest;
	}
	if (nchain != nremote) {
		snprintf(why, cap, _("the registry shows transitions that do not continue its history (a fork)"));
		goto out;
	}
	for (size_t i = 0; i < nchain && i < nlocal; i++)
		if (strcmp(items[chain[i]].digest, ldg[i]) != 0) {
			snprintf(why, cap, _("transition %zu differs from the local one (a fork)"), i + 1);
			goto out;
		}
	if (nchain < nlocal) {
		size_t unsent = 0;
		for (size_t i = nchain; i < nlocal; i++)
			for (size_t j = 0; j < noutbox; j++)
				if (outbox[j] == lseq[i])
					unsent++;
		if (unsent < nlocal - nchain)
			/* the plural follows the first count, whose noun it is */
			snprintf(why, cap,
			         ngettext("the registry shows %zu transition, %zu are known and sent here (a rollback)",
			                  "the registry shows %zu transitions, %zu are known and sent here (a rollback)", nchain),
			         nchain, nlocal - unsent);
	}
out:
	free(chain);
	free(ldg);
	free(lseq);
	pg_reg_entries_free(&local);
	return rc;
}

static int sitem_cmp(const void *a, const void *b)
{
	const struct sitem *x = a, *y = b;
	int c = strcmp(x->st->signed_at, y->st->signed_at);

	if (c)
		return c;
	if (x->st->kind != y->st->kind)
		return x->st->kind == PG_STMT_APPROVAL ? -1 : 1;
	return strcmp(x->digest, y->digest);
}

static int replay_skippable(pg_code c)
{
	return c == PG_SIG_UNKNOWN_KEY || c == PG_SIG_UNTRUSTED;
}

static int replay_may_wait(pg_code c)
{
	return c == PG_LIFECYCLE_NOT_ALLOWED || c == PG_LIFECYCLE_ROLE || c == PG_LIFECYCLE_APPROVALS ||
	       c == PG_LIFECYCLE_ROLLBACK || c == PG_LIFECYCLE_CONFLICT || c == PG_SIG_MISSING || c == PG_REMOTE_CONFLICT;
}

/* The items in digest order, to find a statement by its digest. */
struct byd {
	const struct sitem **v;
	size_t n;
};

static int byd_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct sitem *const *)a)->digest, (*(const struct sitem *const *)b)->digest);
}

static int byd_make(struct byd *d, const struct sitem *items, size_t n)
{
	d->n = n;
	d->v = malloc((n ? n : 1) * sizeof *d->v);
	if (!d->v)
		return -1;
	for (size_t i = 0; i < n; i++)
		d->v[i] = &items[i];
	qsort(d->v, n, sizeof *d->v, byd_cmp);
	return 0;
}

/* Whether a statement of that digest about self's pack, other than self,
 * is still pending. */
static int pending(const struct byd *d, const struct sitem *self, const char *digest)
{
	size_t lo = 0, hi = d->n;

	while (lo < hi) { /* the first entry not below digest */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(d->v[mid]->digest, digest) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < d->n && strcmp(d->v[lo]->digest, digest) == 0; lo++)
		if (d->v[lo] != self && !d->v[lo]->done && d->v[lo]->pack == self->pack)
			return 1;
	return 0;
}

/* Whether item i must wait: a transition waits for the transition it
 * continues and for the approvals it relies on, when those are pending.
 * A lookup by digest, not a scan: a registry may list many statements
 * whose chain runs against their order, one more applied per round. */
static int must_wait(const struct byd *d, const struct sitem *it)
{
	const pg_stmt *st = it->st;

	if (st->kind != PG_STMT_TRANSITION)
		return 0;
	if (st->prev && pending(d, it, st->prev))
		return 1;
	for (size_t a = 0; a < st->napprovals; a++)
		if (pending(d, it, st->approvals[a]))
			return 1;
	return 0;
}

static void replay_all(pg_remote *r, pg_review *rv, struct sitem *items, size_t n, pg_remote_result *res,
                       pg_code *first, pg_error *err)
{
	int progress = 1;
	struct byd d;

	qsort(items, n, sizeof *items, sitem_cmp);
	if (byd_make(&d, items, n) != 0) {
		pg_error e;
		oom(&e);
		first_fail(first, err, &e);
		progress = 0; /* every item fails below */
	}
	while (progress) {
		progress = 0;
		for (size_t i = 0; i < n; i++) {
			pg_remote_stmt *rs = &res->stmts[items[i].res];
			pg_replay_result how = PG_REPLAY_KNOWN;
			pg_error e;
			pg_code rc;

			if (items[i].done || must_wait(&d, &items[i]))
				continue;
			pg_error_clear(&e);
			rc = pg_review_replay(rv, items[i].statement, items[i].len, items[i].signature, &how, &e);
			if (!rc) {
				rs->status = how == PG_REPLAY_APPLIED ? PG_REMOTE_APPLIED : PG_REMOTE_KNOWN;
			} else if (replay_skippable(rc)) {
				rs->status = PG_REMOTE_SKIPPED;
				rs->code = rc;
				set_msg(rs->message, sizeof rs->message, &e);
				warn(r, res, _("%s %s skipped: %s"), rs->kind, items[i].digest, e.message);
			} else if (replay_may_wait(rc)) {
				items[i].code = rc;
				set_msg(items[i].message, sizeof items[i].message, &e);
				continue; /* perhaps once other statements are in */
			} else {
				rs->status = PG_REMOTE_FAILED;
				rs->code = rc;
				set_msg(rs->message, sizeof rs->message, &e);
				first_fail(first, err, &e);
			}
			items[i].done = 1;
			progress = 1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		pg_remote_stmt *rs = &res->stmts[items[i].res];
		pg_error e;

		if (items[i].done)
			continue;
		pg_error_clear(&e);
		if (items[i].code)
			pg_err(&e, items[i].code, "%s", items[i].message);
		else
			pg_err(&e, PG_REMOTE_CONFLICT, _("%s %s: the statements it relies on were not applied"), rs->kind,
			       items[i].digest);
		rs->status = PG_REMOTE_FAILED;
		rs->code = e.code;
		set_msg(rs->message, sizeof rs->message, &e);
		first_fail(first, err, &e);
		items[i].done = 1;
	}
	free(d.v);
}

static int str_in(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

static int version_tag_cmp(const void *a, const void *b)
{
	char *x = pg_oci_tag_version(*(char *const *)a), *y = pg_oci_tag_version(*(char *const *)b);
	int c = (x && y) ? pg_semver_cmp(x, y) : 0;

	if (c == 0)
		c = strcmp(*(char *const *)a, *(char *const *)b);
	free(x);
	free(y);
	return c;
}

/* Whether a tag names a pack version (not a referrers or alias tag). */
static int version_tag(const char *t)
{
	char *v;
	int ok;

	if (strncmp(t, "sha256-", 7) == 0 || strcmp(t, "champion") == 0 || strcmp(t, "canary") == 0 ||
	    strcmp(t, "latest") == 0)
		return 0;
	v = pg_oci_tag_version(t);
	ok = v && pg_semver_valid(v);
	free(v);
	return ok;
}

pg_code pg_remote_pull(pg_remote *r, pg_review *rv, const char *name, const char *tag, pg_remote_result *res,
                       pg_error *err)
{
	char *repo = NULL, **tags = NULL;
	size_t ntags = 0, npulled = 0, nitems = 0, nout = 0;
	struct pulled *pulled = NULL;
	struct sitem *items = NULL;
	int64_t *outbox = NULL;
	pg_pack_opts opts;
	pg_code first = PG_OK, rc = PG_OK;
	pg_error e;

	pg_error_clear(err);
	repo = pg_remote_repository(r, name);
	if (!repo)
		return oom(err);
	pg_pack_opts_init(&opts);
	if (rv->policy) {
		pg_policy_apply_limits(rv->policy, &opts.limits);
		opts.file_types = pg_policy_file_types(rv->policy);
		rc = pg_reg_policy_put(rv->reg, rv->policy->canon, rv->policy->canon_len, NULL, err);
		if (rc)
			goto out;
	}
	if (tag) {
		tags = calloc(1, sizeof *tags);
		if (!tags || !(tags[0] = strdup(tag))) {
			rc = oom(err);
			goto out;
		}
		ntags = 1;
	} else {
		size_t k = 0;
		rc = pg_remote_tags(r, repo, &tags, &ntags, err);
		if (rc)
			goto out;
		for (size_t i = 0; i < ntags; i++) {
			if (version_tag(tags[i]) && !str_in(tags, k, tags[i]))
				tags[k++] = tags[i];
			else
				free(tags[i]);
		}
		ntags = k;
		qsort(tags, ntags, sizeof *tags, version_tag_cmp);
	}
	if (!ntags)
		goto out;
	pulled = calloc(ntags, sizeof *pulled);
	if (!pulled) {
		rc = oom(err);
		goto out;
	}

	/* fetch every tag */
	for (size_t i = 0; i < ntags; i++) {
		struct pulled *p = &pulled[npulled++];
		pg_remote_pack *pr;
		char *v = pg_oci_tag_version(tags[i]);

		p->tag = tags[i];
		tags[i] = NULL;
		pr = add_pack(res, "", name, v ? v : p->tag, repo);
		free(v);
		if (!pr) {
			rc = oom(err);
			goto out;
		}
		p->res = res->npacks - 1;
		snprintf(pr->tag, sizeof pr->tag, "%s", p->tag);
		pg_error_clear(&e);
		rc = fetch_head(r, repo, name, p, &opts.limits, &e);
		pr = &res->packs[p->res];
		if (rc == PG_IO_MEMORY) {
			*err = e;
			goto out;
		}
		if (rc) {
			pr->status = PG_REMOTE_FAILED;
			pr->code = rc;
			set_msg(pr->message, sizeof pr->message, &e);
			first_fail(&first, err, &e);
			rc = PG_OK;
			p->done = 1;
			continue;
		}
		snprintf(pr->id, sizeof pr->id, "%s", p->id);
		snprintf(pr->digest, sizeof pr->digest, "%s", p->digest);
	}

	/* import, parents first */
	for (;;) {
		size_t pick = npulled;
		for (size_t i = 0; i < npulled && pick == npulled; i++) {
			int waiting = 0;
			if (pulled[i].done)
				continue;
			for (size_t a = 0; a < pulled[i].nparents && !waiting; a++)
				for (size_t j = 0; j < npulled && !waiting; j++)
					if (!pulled[j].done && j != i && strcmp(pulled[j].id, pulled[i].parents[a]) == 0)
						waiting = 1;
			if (!waiting)
				pick = i;
		}
		for (size_t i = 0; i < npulled && pick == npulled; i++)
			if (!pulled[i].done)
				pick = i;
		if (pick == npulled)
			break;
		{
			struct pulled *p = &pulled[pick];
			pg_remote_pack *pr = &res->packs[p->res];
			pg_reg_imported imp;

			p->done = 1;
			memset(&imp, 0, sizeof imp);
			pg_error_clear(&e);
			if (pg_reg_state(rv->reg, p->id, &imp.state, &e) == PG_OK) {
				/* here already, verified when it came: nothing to fetch */
				p->imported = 1;
				pr->status = PG_REMOTE_PRESENT;
				pr->state = imp.state;
				continue;
			}
			pg_error_clear(&e);
			rc = stream_import(r, rv, repo, p, &opts, &imp, &e);
			if (rc == PG_IO_MEMORY) {
				*err = e;
				goto out;
			}
			if (rc) {
				pr->status = PG_REMOTE_FAILED;
				pr->code = rc;
				set_msg(pr->message, sizeof pr->message, &e);
				first_fail(&first, err, &e);
				rc = PG_OK;
				continue;
			}
			p->imported = 1;
			pr->status = imp.is_new ? PG_REMOTE_IMPORTED : PG_REMOTE_PRESENT;
			pr->is_new = imp.is_new;
			pr->state = imp.state;
			pg_reg_imported_clear(&imp);
		}
	}

	/* the statements */
	for (size_t k = 0; k < npulled; k++) {
		if (!pulled[k].imported)
			continue;
		rc = fetch_statements(r, repo, &pulled[k], k, &items, &nitems, res, &first, err);
		if (rc == PG_IO_MEMORY)
			goto out;
		rc = PG_OK;
	}
	if (nitems && !rv->policy) {
		warn(r, res,
		     ngettext("no policy: the %zu statement of %s is not replayed",
		              "no policy: the %zu statements of %s are not replayed", nitems),
		     nitems, repo);
		for (size_t i = 0; i < nitems; i++) {
			res->stmts[items[i].res].status = PG_REMOTE_SKIPPED;
			items[i].done = 1;
		}
	}
	if (nitems && rv->policy) {
		rc = pg_reg_outbox(rv->reg, &outbox, &nout, err);
		if (rc)
			goto out;
		for (size_t k = 0; k < npulled; k++) {
			char why[512];
			if (!pulled[k].imported)
				continue;
			rc = check_history(rv->reg, &pulled[k], k, items, nitems, outbox, nout, why, sizeof why, err);
			if (rc)
				goto out;
			if (!why[0])
				continue;
			pg_error_clear(&e);
			pg_err(&e, PG_REMOTE_CONFLICT, _("%s@%s: %s; nothing of it is applied"), res->packs[pulled[k].res].name,
			       res->packs[pulled[k].res].version, why);
			first_fail(&first, err, &e);
			for (size_t i = 0; i < nitems; i++) {
				pg_remote_stmt *rs = &res->stmts[items[i].res];
				if (items[i].pack != k || items[i].st->kind != PG_STMT_TRANSITION)
					continue;
				items[i].done = 1;
				rs->status = PG_REMOTE_FAILED;
				rs->code = PG_REMOTE_CONFLICT;
				set_msg(rs->message, sizeof rs->message, &e);
			}
		}
		replay_all(r, rv, items, nitems, res, &first, err);
	}
	/* the states the packs have now */
	for (size_t k = 0; k < npulled; k++) {
		pg_state st;
		pg_error e2;
		if (pulled[k].imported && pg_reg_state(rv->reg, pulled[k].id, &st, &e2) == PG_OK)
			res->packs[pulled[k].res].state = st;
	}
	rc = first;
out:
	res->retries = r->retries;
	res->restarts = r->restarts;
	sitems_free(items, nitems);
	pulled_free(pulled, npulled);
	pg_remote_strings_free(tags, ntags);
	free(outbox);
	free(repo);
	return rc;
}

pg_code pg_remote_sync(pg_remote *r, pg_review *rv, pg_remote_result *pulled, pg_remote_result *pushed,
                       pg_error *err)
{
	pg_reg_query q;
	pg_reg_rows rows = { 0 };
	const char **ids = NULL;
	pg_code first = PG_OK, rc;
	pg_error e;

	pg_reg_query_init(&q);
	rc = pg_reg_list(rv->reg, &q, &rows, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < rows.n; i++) {
		int seen = 0;
		for (size_t k = 0; k < i; k++)
			if (strcmp(rows.v[k].name, rows.v[i].name) == 0)
				seen = 1;
		if (seen)
			continue;
		pg_error_clear(&e);
		rc = pg_remote_pull(r, rv, rows.v[i].name, NULL, pulled, &e);
		if (rc == PG_IO_MEMORY || rc == PG_REMOTE_CONNECT || rc == PG_REMOTE_TLS || rc == PG_REMOTE_AUTH) {
			*err = e;
			first = rc;
			goto out;
		}
		if (rc)
			first_fail(&first, err, &e);
	}
	if (first)
		goto out;
	ids = calloc(rows.n + 1, sizeof *ids);
	if (!ids) {
		first = oom(err);
		goto out;
	}
	for (size_t i = 0; i < rows.n; i++)
		ids[i] = rows.v[i].id;
	first = pg_remote_push(r, rv->reg, ids, rows.n, pushed, err);
out:
	free(ids);
	pg_reg_rows_free(&rows);
	return first;
}
