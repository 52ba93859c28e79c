/* faultproxy.c — an HTTP/1.1 proxy in front of a real registry server, for
 * remote.test: it injects the faults and the protocol variants that
 * Debian's docker-registry never shows on its own, and logs every request
 * it sees so the test can assert what packgate sent.
 *
 *   faultproxy --listen PORT --backend PORT --state DIR [options]
 *
 *   --other PORT        a second listener: another origin (for redirects)
 *   --cut-blob N        the first blob GET whose answer has more than N body
 *                       bytes is cut (the connection closed) after N of them
 *   --blob-delta D      the first blob GET whose answer has 1 MiB or more
 *                       is answered with D bytes more (padding) or fewer
 *                       (cut), its Content-Length saying so: a registry
 *                       that lies about a blob's size
 *   --ignore-range      Range headers are dropped before forwarding, so the
 *                       registry answers 200 with the whole blob
 *   --throttle N        the first N requests are answered 429, Retry-After: 1
 *   --bearer HEADER     the API needs "Authorization: Bearer tok-faultproxy";
 *                       a 401 names the realm http://127.0.0.1:PORT/token,
 *                       which gives that token to requests whose
 *                       Authorization header is exactly HEADER (e.g.
 *                       "Basic <base64 of user:pass>"), else 401
 *   --redirect-blobs    blob GETs and HEADs are answered 307 with the same
 *                       path on the --other origin
 *   --referrers-api     the OCI referrers API, which docker-registry 2.8
 *                       lacks: GET /v2/NAME/referrers/sha256:HEX answers
 *                       the index the fallback tag sha256-HEX holds, or an
 *                       empty index
 *   --endless-tags N    a tag list GET is answered with N new tags and a
 *                       Link to a next page, for ever (a hostile registry)
 *   --subjects          with --referrers-api, a manifest PUT with a subject
 *                       is answered with OCI-Subject and recorded, and the
 *                       referrers API answers what was recorded (as a
 *                       registry that indexes subjects itself)
 *
 * Every request is forwarded on a fresh connection with "Connection: close"
 * and the answer relayed verbatim; one request per client connection.  One
 * line per request goes to DIR/log:
 *   PORT METHOD TARGET auth=none|basic|bearer|other range=VALUE|-
 * Markers in DIR make "the first N" hold across the forked handlers.  The
 * proxy runs until killed. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <gcrypt.h>

#define HEAD_MAX (64 * 1024)
#define TOKEN "tok-faultproxy"

static struct {
	int listen_port, other_port, backend_port;
	const char *state;
	long long cut_blob;  /* -1: off */
	long long blob_delta;
	int ignore_range;
	int throttle;
	const char *bearer;  /* the Authorization header /token accepts */
	int redirect_blobs;
	int referrers_api;
	int subjects;
	int endless_tags; /* -1: off */
} opt = { 0, 0, 0, NULL, -1, 0, 0, 0, NULL, 0, 0, 0, -1 };

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "faultproxy: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

/* Takes marker NAME once across all handlers: 1 for the first caller. */
static int take_marker(const char *name)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof path, "%s/%s", opt.state, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

static int send_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static int listen_on(int port)
{
	struct sockaddr_in a;
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 64) != 0)
		die("port %d: %s", port, strerror(errno));
	return fd;
}

static int connect_backend(void)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)opt.backend_port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The value of header name in head (a NUL-terminated request or answer
 * head), copied into out; 0 when absent. */
static int header(const char *head, const char *name, char *out, size_t cap)
{
	size_t n = strlen(name);
	const char *p = strstr(head, "\r\n");

	while (p && p[2] != '\r') {
		const char *line = p + 2, *end = strstr(line, "\r\n");
		if (!end)
			break;
		if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
			const char *v = line + n + 1;
			while (*v == ' ')
				v++;
			snprintf(out, cap, "%.*s", (int)(end - v), v);
			return 1;
		}
		p = end;
	}
	return 0;
}

static void answer(int c, const char *status, const char *extra, const char *body)
{
	char buf[8192];
	int n = snprintf(buf, sizeof buf,
	                 "HTTP/1.1 %s\r\n%sContent-Type: application/json\r\nContent-Length: %zu\r\n"
	                 "Connection: close\r\n\r\n%s",
	                 status, extra ? extra : "", strlen(body), body);

	send_all(c, buf, (size_t)n);
}

static void log_request(int port, const char *method, const char *target, const char *head)
{
	char path[4096], auth[1024] = "", range[256] = "-";
	const char *kind = "none";
	FILE *f;

	if (header(head, "Authorization", auth, sizeof auth))
		kind = strncmp(auth, "Basic ", 6) == 0 ? "basic" : strncmp(auth, "Bearer ", 7) == 0 ? "bearer" : "other";
	header(head, "Range", range, sizeof range);
	snprintf(path, sizeof path, "%s/log", opt.state);
	f = fopen(path, "a");
	if (!f)
		return;
	fprintf(f, "%d %s %s auth=%s range=%s\n", port, method, target, kind, range);
	fclose(f);
}

/* Forwards the request (head and Content-Length body) and relays the
 * answer; cuts it after `cut` body bytes when cut >= 0 and the body is
 * longer (then takes the "cut" marker). */
static void forward(int c, const char *head, size_t head_len, const char *rest, size_t rest_len, int drop_auth,
                    int drop_range, long long cut, int resize)
{
	char *out = malloc(head_len + 64), *buf = malloc(1 << 16), cl[64];
	const char *p = head;
	size_t o = 0;
	long long body = 0, sent_body = 0;
	int b = connect_backend(), in_body = 0, cutting = 0, resizing = 0;
	long long left = 0; /* body bytes still to send when resizing */
	char ahead[HEAD_MAX + 1];
	size_t alen = 0;

	if (!out || !buf || b < 0) {
		answer(c, "502 Bad Gateway", NULL, "{}");
		goto out;
	}
	/* the head, line by line, without the headers we replace or drop */
	while (p < head + head_len) {
		const char *end = strstr(p, "\r\n");
		size_t n = (size_t)(end - p) + 2;
		if (n == 2)
			break;
		if (!(strncasecmp(p, "Connection:", 11) == 0 || (drop_auth && strncasecmp(p, "Authorization:", 14) == 0) ||
		      (drop_range && strncasecmp(p, "Range:", 6) == 0))) {
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
	}
	memcpy(out + o, "Connection: close\r\n\r\n", 21);
	o += 21;
	if (send_all(b, out, o) != 0)
		goto out;
	if (header(head, "Content-Length", cl, sizeof cl))
		body = atoll(cl);
	if (rest_len && send_all(b, rest, rest_len) != 0)
		goto out;
	body -= (long long)rest_len;
	while (body > 0) {
		ssize_t k = recv(c, buf, (size_t)(body < (1 << 16) ? body : (1 << 16)), 0);
		if (k <= 0 || send_all(b, buf, (size_t)k) != 0)
			goto out;
		body -= k;
	}
	/* the answer */
	for (;;) {
		ssize_t k = recv(b, buf, 1 << 16, 0);
		size_t from = 0;
		if (k <= 0)
			break;
		if (!in_body) {
			size_t take = (size_t)k < HEAD_MAX - alen ? (size_t)k : HEAD_MAX - alen;
			char *e;
			memcpy(ahead + alen, buf, take);
			alen += take;
			ahead[alen] = '\0';
			e = strstr(ahead, "\r\n\r\n");
			if (e) {
				size_t hl = (size_t)(e - ahead) + 4;
				in_body = 1;
				from = hl - (alen - take); /* where the body starts in buf */
				if (cut >= 0 && header(ahead, "Content-Length", cl, sizeof cl) && atoll(cl) > cut &&
				    (strncmp(ahead + 9, "200", 3) == 0 || strncmp(ahead + 9, "206", 3) == 0))
					cutting = take_marker("cut");
				if (resize && opt.blob_delta && header(ahead, "Content-Length", cl, sizeof cl) &&
				    atoll(cl) >= (1 << 20) && strncmp(ahead + 9, "200", 3) == 0 && take_marker("delta")) {
					/* the head again, with the lying Content-Length */
					char *line = strcasestr(ahead, "\r\nContent-Length:"), *eol, num[64];
					resizing = 1;
					left = atoll(cl) + opt.blob_delta;
					eol = strstr(line + 2, "\r\n");
					snprintf(num, sizeof num, "\r\nContent-Length: %lld", left);
					send_all(c, ahead, (size_t)(line - ahead));
					send_all(c, num, strlen(num));
					send_all(c, eol, hl - (size_t)(eol - ahead));
				}
			}
		}
		if (resizing) {
			long long n = k - (long long)from < left ? k - (long long)from : left;
			if (n > 0 && send_all(c, buf + from, (size_t)n) != 0)
				break;
			left -= n;
			if (!left)
				break;
			continue;
		}
		if (cutting && in_body && sent_body + (k - (ssize_t)from) > cut) {
			size_t keep = from + (size_t)(cut - sent_body);
			send_all(c, buf, keep);
			break; /* the connection closes mid-body */
		}
		if (in_body)
			sent_body += k - (ssize_t)from;
		if (send_all(c, buf, (size_t)k) != 0)
			break;
	}
	if (resizing && left > 0) { /* more than the blob: padding */
		memset(buf, 'x', 1 << 16);
		while (left > 0) {
			long long n = left < (1 << 16) ? left : (1 << 16);
			if (send_all(c, buf, (size_t)n) != 0)
				break;
			left -= n;
		}
	}
out:
	if (b >= 0)
		close(b);
	free(out);
	free(buf);
}

/* A manifest PUT with a subject, in --subjects mode: forwarded; when the
 * registry takes it (201), its descriptor is recorded under the subject
 * in DIR/subject-HEX and the answer carries OCI-Subject. */
static void put_with_subject(int c, const char *head, size_t head_len, const char *rest, size_t rest_len)
{
	char cl[64], *body = NULL, *ans = NULL, req[HEAD_MAX + 64];
	long long n = header(head, "Content-Length", cl, sizeof cl) ? atoll(cl) : -1;
	size_t got = rest_len, alen = 0;
	cJSON *doc = NULL;
	const cJSON *subj, *mt, *at, *cfg;
	unsigned char md[32];
	char hex[65], path[4096];
	int b = -1;

	if (n < 0 || n > (4 << 20) || !(body = malloc((size_t)n + 1)) || !(ans = malloc(1 << 20))) {
		answer(c, "502 Bad Gateway", NULL, "{}");
		goto out;
	}
	memcpy(body, rest, rest_len < (size_t)n ? rest_len : (size_t)n);
	while (got < (size_t)n) {
		ssize_t k = recv(c, body + got, (size_t)n - got, 0);
		if (k <= 0)
			goto out;
		got += (size_t)k;
	}
	body[n] = '\0';
	b = connect_backend();
	if (b < 0 || head_len > HEAD_MAX) {
		answer(c, "502 Bad Gateway", NULL, "{}");
		goto out;
	}
	/* the same request, Connection: close */
	{
		size_t o = 0;
		const char *p = head;
		while (p < head + head_len) {
			const char *e = strstr(p, "\r\n");
			size_t k = (size_t)(e - p) + 2;
			/* the body is here already: no 100 Continue wanted */
			if (strncasecmp(p, "Connection:", 11) != 0 && strncasecmp(p, "Expect:", 7) != 0) {
				memcpy(req + o, p, k);
				o += k;
			}
			p += k;
		}
		memcpy(req + o, "Connection: close\r\n\r\n", 21);
		o += 21;
		if (send_all(b, req, o) != 0 || send_all(b, body, (size_t)n) != 0)
			goto out;
	}
	for (;;) {
		ssize_t k = recv(b, ans + alen, (1 << 20) - 1 - alen, 0);
		if (k <= 0)
			break;
		alen += (size_t)k;
	}
	ans[alen] = '\0';
	doc = cJSON_ParseWithLength(body, (size_t)n);
	subj = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "subject"), "digest");
	if (alen > 12 && strncmp(ans + 9, "201", 3) == 0 && cJSON_IsString(subj) &&
	    strncmp(subj->valuestring, "sha256:", 7) == 0 && strlen(subj->valuestring) == 71) {
		cJSON *d = cJSON_CreateObject();
		char *line;
		FILE *f;

		gcry_md_hash_buffer(GCRY_MD_SHA256, md, body, (size_t)n);
		for (int i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", md[i]);
		mt = cJSON_GetObjectItemCaseSensitive(doc, "mediaType");
		at = cJSON_GetObjectItemCaseSensitive(doc, "artifactType");
		cfg = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "config"), "mediaType");
		cJSON_AddStringToObject(d, "mediaType", cJSON_IsString(mt) ? mt->valuestring : "");
		snprintf(path, sizeof path, "sha256:%s", hex);
		cJSON_AddStringToObject(d, "digest", path);
		cJSON_AddNumberToObject(d, "size", (double)n);
		if (cJSON_IsString(at) || cJSON_IsString(cfg))
			cJSON_AddStringToObject(d, "artifactType", cJSON_IsString(at) ? at->valuestring : cfg->valuestring);
		if (cJSON_GetObjectItemCaseSensitive(doc, "annotations"))
			cJSON_AddItemToObject(d, "annotations",
			                      cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(doc, "annotations"), 1));
		line = cJSON_PrintUnformatted(d);
		snprintf(path, sizeof path, "%s/subject-%s", opt.state, subj->valuestring + 7);
		if (line && (f = fopen(path, "a"))) {
			fprintf(f, "%s\n", line);
			fclose(f);
		}
		free(line);
		cJSON_Delete(d);
		/* the answer with OCI-Subject after its status line */
		{
			char *eol = strstr(ans, "\r\n");
			char hdr[128];
			snprintf(hdr, sizeof hdr, "OCI-Subject: %s\r\n", subj->valuestring);
			if (eol) {
				send_all(c, ans, (size_t)(eol + 2 - ans));
				send_all(c, hdr, strlen(hdr));
				send_all(c, eol + 2, alen - (size_t)(eol + 2 - ans));
				goto out;
			}
		}
	}
	send_all(c, ans, alen);
out:
	cJSON_Delete(doc);
	if (b >= 0)
		close(b);
	free(body);
	free(ans);
}

/* The referrers API from what --subjects recorded: an index of the
 * descriptors under the subject; 0 when nothing was recorded. */
static int recorded_referrers(int c, const char *hex)
{
	char path[4096], line[65536];
	cJSON *ix, *list;
	char *text, head[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/subject-%.64s", opt.state, hex);
	f = fopen(path, "r");
	if (!f)
		return 0;
	ix = cJSON_CreateObject();
	cJSON_AddNumberToObject(ix, "schemaVersion", 2);
	cJSON_AddStringToObject(ix, "mediaType", "application/vnd.oci.image.index.v1+json");
	list = cJSON_AddArrayToObject(ix, "manifests");
	while (fgets(line, sizeof line, f)) {
		cJSON *d = cJSON_Parse(line);
		if (d)
			cJSON_AddItemToArray(list, d);
	}
	fclose(f);
	text = cJSON_PrintUnformatted(ix);
	snprintf(head, sizeof head,
	         "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oci.image.index.v1+json\r\n"
	         "Content-Length: %zu\r\nConnection: close\r\n\r\n",
	         text ? strlen(text) : 0);
	send_all(c, head, strlen(head));
	if (text)
		send_all(c, text, strlen(text));
	free(text);
	cJSON_Delete(ix);
	return 1;
}

/* The referrers API over the fallback tag: GET the tag's index from the
 * backend, answer it (or an empty index) as the API's answer. */
static void referrers(int c, const char *target)
{
	static const char empty[] = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
	                            "\"manifests\":[]}";
	char req[4096], name[2048], hex[80], *buf = malloc(4 << 20), *body;
	const char *r = strstr(target, "/referrers/sha256:");
	size_t len = 0;
	int b = connect_backend();

	if (!buf || b < 0 || r - target - 4 <= 0 || (size_t)(r - target - 4) >= sizeof name) {
		answer(c, "502 Bad Gateway", NULL, "{}");
		goto out;
	}
	snprintf(name, sizeof name, "%.*s", (int)(r - target - 4), target + 4);
	snprintf(hex, sizeof hex, "%.64s", r + 18);
	if (opt.subjects && recorded_referrers(c, hex))
		goto out;
	snprintf(req, sizeof req,
	         "GET /v2/%s/manifests/sha256-%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
	         "Accept: application/vnd.oci.image.index.v1+json\r\nConnection: close\r\n\r\n",
	         name, hex, opt.backend_port);
	if (send_all(b, req, strlen(req)) != 0) {
		answer(c, "502 Bad Gateway", NULL, "{}");
		goto out;
	}
	for (;;) {
		ssize_t k = recv(b, buf + len, (4 << 20) - 1 - len, 0);
		if (k <= 0)
			break;
		len += (size_t)k;
	}
	buf[len] = '\0';
	body = strstr(buf, "\r\n\r\n");
	if (len > 12 && strncmp(buf + 9, "200", 3) == 0 && body) {
		char head[256];
		snprintf(head, sizeof head,
		         "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oci.image.index.v1+json\r\n"
		         "Content-Length: %zu\r\nConnection: close\r\n\r\n",
		         len - (size_t)(body + 4 - buf));
		send_all(c, head, strlen(head));
		send_all(c, body + 4, len - (size_t)(body + 4 - buf));
	} else {
		char head[256];
		snprintf(head, sizeof head,
		         "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oci.image.index.v1+json\r\n"
		         "Content-Length: %zu\r\nConnection: close\r\n\r\n",
		         strlen(empty));
		send_all(c, head, strlen(head));
		send_all(c, empty, strlen(empty));
	}
out:
	if (b >= 0)
		close(b);
	free(buf);
}

/* --endless-tags: page "last" of a list that never ends. */
static void endless_tags(int c, const char *target)
{
	const char *q = strstr(target, "/tags/list");
	const char *last = strstr(target, "last=p");
	long page = last ? atol(last + 6) + 1 : 0;
	char extra[4400];
	cJSON *doc = cJSON_CreateObject(), *tags;
	char *body;

	cJSON_AddStringToObject(doc, "name", "endless");
	tags = cJSON_AddArrayToObject(doc, "tags");
	for (int i = 0; i < opt.endless_tags; i++) {
		char t[48];
		snprintf(t, sizeof t, "p%ld-%d", page, i);
		cJSON_AddItemToArray(tags, cJSON_CreateString(t));
	}
	body = cJSON_PrintUnformatted(doc);
	snprintf(extra, sizeof extra, "Link: <%.*s/tags/list?n=1000&last=p%ld>; rel=\"next\"\r\n", (int)(q - target),
	         target, page);
	{
		char head[4700];
		snprintf(head, sizeof head,
		         "HTTP/1.1 200 OK\r\n%sContent-Type: application/json\r\nContent-Length: %zu\r\n"
		         "Connection: close\r\n\r\n",
		         extra, body ? strlen(body) : 0);
		send_all(c, head, strlen(head));
		if (body)
			send_all(c, body, strlen(body));
	}
	free(body);
	cJSON_Delete(doc);
}

static void handle(int c, int port)
{
	char head[HEAD_MAX + 1], method[16], target[2048], auth[1024] = "", extra[4600];
	size_t len = 0;
	char *end = NULL;
	int blob;

	while (!end && len < HEAD_MAX) {
		ssize_t k = recv(c, head + len, HEAD_MAX - len, 0);
		if (k <= 0)
			return;
		len += (size_t)k;
		head[len] = '\0';
		end = strstr(head, "\r\n\r\n");
	}
	if (!end || sscanf(head, "%15s %2047s", method, target) != 2)
		return;
	end[2] = '\0'; /* the head ends with its last header's CRLF */
	log_request(port, method, target, head);
	header(head, "Authorization", auth, sizeof auth);
	blob = strstr(target, "/blobs/sha256:") != NULL &&
	       (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0);

	if (port == opt.other_port) { /* the other origin serves blobs only */
		forward(c, head, (size_t)(end + 2 - head), end + 4, len - (size_t)(end + 4 - head), 1, opt.ignore_range,
		        -1, 0);
		return;
	}
	if (opt.throttle) {
		char name[32];
		for (int i = 0; i < opt.throttle; i++) {
			snprintf(name, sizeof name, "throttle-%d", i);
			if (take_marker(name)) {
				answer(c, "429 Too Many Requests", "Retry-After: 1\r\n",
				       "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}");
				return;
			}
		}
	}
	if (opt.bearer) {
		if (strncmp(target, "/token", 6) == 0) {
			if (strcmp(auth, opt.bearer) == 0)
				answer(c, "200 OK", NULL, "{\"token\":\"" TOKEN "\",\"expires_in\":300}");
			else
				answer(c, "401 Unauthorized", NULL,
				       "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
			return;
		}
		if (strcmp(auth, "Bearer " TOKEN) != 0) {
			snprintf(extra, sizeof extra,
			         "WWW-Authenticate: Bearer realm=\"http://127.0.0.1:%d/token\",service=\"faultproxy\"\r\n",
			         opt.listen_port);
			answer(c, "401 Unauthorized", extra,
			       "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
			return;
		}
	}
	if (opt.endless_tags >= 0 && strcmp(method, "GET") == 0 && strstr(target, "/tags/list")) {
		endless_tags(c, target);
		return;
	}
	if (opt.referrers_api && strcmp(method, "GET") == 0 && strstr(target, "/referrers/sha256:")) {
		referrers(c, target);
		return;
	}
	if (opt.subjects && strcmp(method, "PUT") == 0 && strstr(target, "/manifests/")) {
		put_with_subject(c, head, (size_t)(end + 2 - head), end + 4, len - (size_t)(end + 4 - head));
		return;
	}
	if (opt.redirect_blobs && blob) {
		snprintf(extra, sizeof extra, "Location: http://127.0.0.1:%d%s\r\n", opt.other_port, target);
		answer(c, "307 Temporary Redirect", extra, "{}");
		return;
	}
	forward(c, head, (size_t)(end + 2 - head), end + 4, len - (size_t)(end + 4 - head), opt.bearer != NULL,
	        opt.ignore_range, blob && strcmp(method, "GET") == 0 ? opt.cut_blob : -1,
	        blob && strcmp(method, "GET") == 0);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	struct pollfd fds[2];
	int nfds = 1;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--ignore-range") == 0) {
			opt.ignore_range = 1;
			continue;
		}
		if (strcmp(a, "--redirect-blobs") == 0) {
			opt.redirect_blobs = 1;
			continue;
		}
		if (strcmp(a, "--referrers-api") == 0) {
			opt.referrers_api = 1;
			continue;
		}
		if (strcmp(a, "--subjects") == 0) {
			opt.subjects = 1;
			continue;
		}
		if (!v)
			die("%s needs a value", a);
		i++;
		if (strcmp(a, "--listen") == 0)
			opt.listen_port = atoi(v);
		else if (strcmp(a, "--other") == 0)
			opt.other_port = atoi(v);
		else if (strcmp(a, "--backend") == 0)
			opt.backend_port = atoi(v);
		else if (strcmp(a, "--state") == 0)
			opt.state = v;
		else if (strcmp(a, "--cut-blob") == 0)
			opt.cut_blob = atoll(v);
		else if (strcmp(a, "--blob-delta") == 0)
			opt.blob_delta = atoll(v);
		else if (strcmp(a, "--throttle") == 0)
			opt.throttle = atoi(v);
		else if (strcmp(a, "--bearer") == 0)
			opt.bearer = v;
		else if (strcmp(a, "--endless-tags") == 0)
			opt.endless_tags = atoi(v);
		else
			die("unknown option %s", a);
	}
	gcry_check_version(NULL);
	gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	if (!opt.listen_port || !opt.backend_port || !opt.state)
		die("usage: faultproxy --listen PORT --backend PORT --state DIR [options]");
	if (opt.redirect_blobs && !opt.other_port)
		die("--redirect-blobs needs --other");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = SA_NOCLDWAIT; /* handlers are reaped by the kernel */
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_flags = 0;
	sigaction(SIGPIPE, &sa, NULL);
	fds[0].fd = listen_on(opt.listen_port);
	fds[0].events = POLLIN;
	if (opt.other_port) {
		fds[1].fd = listen_on(opt.other_port);
		fds[1].events = POLLIN;
		nfds = 2;
	}
	for (;;) {
		if (poll(fds, (nfds_t)nfds, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		for (int i = 0; i < nfds; i++) {
			int c;
			pid_t pid;
			if (!(fds[i].revents & POLLIN))
				continue;
			c = accept4(fds[i].fd, NULL, NULL, SOCK_CLOEXEC);
			if (c < 0)
				continue;
			pid = fork();
			if (pid == 0) {
				for (int j = 0; j < nfds; j++)
					close(fds[j].fd);
				handle(c, i == 0 ? opt.listen_port : opt.other_port);
				shutdown(c, SHUT_WR);
				close(c);
				_exit(0);
			}
			close(c);
		}
	}
}
