/* pack.c — the fail-closed pack loader.  The order of checks is the one in
 * doc/pack-loader.md; keep the two in step. */
#include "pack.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "buf.h"
#include "canon.h"
#include "json.h"
#include "path.h"
#include "sink.h"

#define READ_BLOCK (1024 * 1024)

/* ------------------------------------------------------------ sources */

/* What libarchive reads from: a file descriptor or a stdio stream, with the
 * archive-size cap and the progress callback applied to every byte. */
struct source {
	int fd;
	FILE *fp;
	pg_pack_read_fn fn;   /* else fd or fp */
	void *fn_ctx;
	unsigned char *block;
	uint64_t done;
	uint64_t total;       /* file size when known, else 0 */
	uint64_t cap;
	int over_cap;         /* the archive_bytes cap was hit */
	int io_errno;         /* a read failed with this errno */
	int cancelled;        /* the progress callback asked to stop */
	pg_pack_progress_fn progress;
	void *progress_ctx;
};

static int account(struct archive *a, struct source *s, uint64_t n)
{
	s->done += n;
	if (s->done > s->cap) {
		s->over_cap = 1;
		archive_set_error(a, EFBIG, "archive too large");
		return -1;
	}
	if (s->progress && s->progress(s->progress_ctx, s->done, s->total)) {
		s->cancelled = 1;
		archive_set_error(a, ECANCELED, "cancelled");
		return -1;
	}
	return 0;
}

static la_ssize_t source_read(struct archive *a, void *ctx, const void **out)
{
	struct source *s = ctx;
	ssize_t n;

	if (s->fn) {
		const void *p = NULL;
		n = s->fn(s->fn_ctx, &p);
		if (n < 0) {
			s->io_errno = errno ? errno : EIO;
			archive_set_error(a, s->io_errno, "read error");
			return -1;
		}
		if (account(a, s, (uint64_t)n))
			return -1;
		*out = p;
		return n;
	}
	if (s->fp) {
		size_t got = fread(s->block, 1, READ_BLOCK, s->fp);
		if (got == 0 && ferror(s->fp)) {
			s->io_errno = errno ? errno : EIO;
			archive_set_error(a, s->io_errno, "read error");
			return -1;
		}
		n = (ssize_t)got;
	} else {
		do
			n = read(s->fd, s->block, READ_BLOCK);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			s->io_errno = errno;
			archive_set_error(a, errno, "read error");
			return -1;
		}
	}
	if (account(a, s, (uint64_t)n))
		return -1;
	*out = s->block;
	return n;
}

/* Skips by seeking when the source is a seekable descriptor; libarchive
 * falls back to reading when this returns 0. */
static la_int64_t source_skip(struct archive *a, void *ctx, la_int64_t request)
{
	struct source *s = ctx;
	off_t cur, end;

	if (s->fp || s->fn || request <= 0)
		return 0;
	cur = lseek(s->fd, 0, SEEK_CUR);
	if (cur < 0)
		return 0;
	end = lseek(s->fd, 0, SEEK_END);
	if (end < 0 || lseek(s->fd, cur, SEEK_SET) < 0)
		return 0;
	if (request > end - cur)
		request = end - cur;
	if (request <= 0 || lseek(s->fd, request, SEEK_CUR) < 0)
		return 0;
	if (account(a, s, (uint64_t)request))
		return -1;
	return request;
}

/* ------------------------------------------------------------ string sets */

/* Open-addressing hash set of strings with a value; owns its keys. */
struct strset {
	char **keys;
	size_t *vals;
	size_t cap;
	size_t len;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static void strset_free(struct strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->keys[i]);
	free(set->keys);
	free(set->vals);
	memset(set, 0, sizeof *set);
}

/* Returns the slot for key: the one holding it, or the empty one to fill. */
static size_t strset_slot(const struct strset *set, const char *key)
{
	size_t i = (size_t)hash_str(key) & (set->cap - 1);

	while (set->keys[i] && strcmp(set->keys[i], key) != 0)
		i = (i + 1) & (set->cap - 1);
	return i;
}

static int strset_grow(struct strset *set)
{
	struct strset n = { 0 };

	n.cap = set->cap ? set->cap * 2 : 64;
	n.keys = calloc(n.cap, sizeof *n.keys);
	n.vals = calloc(n.cap, sizeof *n.vals);
	if (!n.keys || !n.vals) {
		free(n.keys);
		free(n.vals);
		return -1;
	}
	for (size_t i = 0; i < set->cap; i++) {
		if (!set->keys[i])
			continue;
		size_t j = strset_slot(&n, set->keys[i]);
		n.keys[j] = set->keys[i];
		n.vals[j] = set->vals[i];
		n.len++;
	}
	free(set->keys);
	free(set->vals);
	*set = n;
	return 0;
}

/* Looks key up; returns 1 and *val when present, else 0. */
static int strset_get(const struct strset *set, const char *key, size_t *val)
{
	size_t i;

	if (!set->cap)
		return 0;
	i = strset_slot(set, key);
	if (!set->keys[i])
		return 0;
	if (val)
		*val = set->vals[i];
	return 1;
}

/* Adds key (copied) with val.  Returns 1 when added, 0 when it was already
 * present (nothing changed), -1 when out of memory. */
static int strset_add(struct strset *set, const char *key, size_t val)
{
	size_t i;

	if ((set->len + 1) * 2 > set->cap && strset_grow(set))
		return -1;
	i = strset_slot(set, key);
	if (set->keys[i])
		return 0;
	set->keys[i] = strdup(key);
	if (!set->keys[i])
		return -1;
	set->vals[i] = val;
	set->len++;
	return 1;
}

/* ------------------------------------------------------------ extraction */

/* Writes verified members below a private directory the caller made, and
 * removes everything it wrote when the load fails. */
struct extract {
	int dirfd;
	char **made;      /* paths written (files and directories), in order */
	size_t nmade;
	size_t capmade;
	int fd;           /* member being written, or -1 */
	pg_sink *sink;    /* writes fd when the member is large, or NULL */
	uint64_t written; /* bytes of it written */
	uint64_t flushed; /* bytes of it whose writeback was started */
};

/* Writeback of a small extracted member starts every this many bytes:
 * whoever extracts (an import) syncs each member before using it, and data
 * already on its way to the disk leaves that sync little to wait for. */
#define WRITEBACK_STEP ((uint64_t)8 * 1024 * 1024)

/* Members from this size on are extracted through a sink (sink.h), which
 * hashes and writes them on threads of their own. */
#define SINK_MIN ((uint64_t)4 * 1024 * 1024)

static int extract_note(struct extract *x, const char *path)
{
	if (x->nmade == x->capmade) {
		size_t ncap = x->capmade ? x->capmade * 2 : 32;
		char **p = realloc(x->made, ncap * sizeof *p);
		if (!p)
			return -1;
		x->made = p;
		x->capmade = ncap;
	}
	x->made[x->nmade] = strdup(path);
	if (!x->made[x->nmade])
		return -1;
	x->nmade++;
	return 0;
}

/* Creates the parent directories of path (already validated: relative, no
 * "." or ".." segments) and opens the file for writing, never following a
 * link.  A large member (size bytes) goes through a sink, which also feeds
 * sha.  Returns 0 or an errno value. */
static int extract_open(struct extract *x, const char *path, uint64_t size, pg_sha256 *sha)
{
	char *copy = strdup(path), *slash;
	int rc = 0;

	if (!copy)
		return ENOMEM;
	for (slash = strchr(copy, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdirat(x->dirfd, copy, 0700) == 0) {
			if (extract_note(x, copy)) {
				rc = ENOMEM;
				goto out;
			}
		} else if (errno != EEXIST) {
			rc = errno;
			goto out;
		}
		*slash = '/';
	}
	x->fd = openat(x->dirfd, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	x->written = x->flushed = 0;
	if (x->fd < 0) {
		rc = errno;
		goto out;
	}
	if (extract_note(x, path))
		rc = ENOMEM;
	else if (size >= SINK_MIN)
		x->sink = pg_sink_start(x->fd, sha); /* NULL: written here */
out:
	free(copy);
	return rc;
}

static int extract_write(struct extract *x, const void *p, size_t n)
{
	const char *c = p;

	if (x->sink)
		return pg_sink_write(x->sink, p, n);
	while (n) {
		ssize_t w = write(x->fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		c += w;
		n -= (size_t)w;
		x->written += (uint64_t)w;
	}
#ifdef SYNC_FILE_RANGE_WRITE
	if (x->written - x->flushed >= WRITEBACK_STEP) {
		/* only a hint: a failure shows in the sync that follows */
		(void)sync_file_range(x->fd, (off_t)x->flushed, (off_t)(x->written - x->flushed), SYNC_FILE_RANGE_WRITE);
		x->flushed = x->written;
	}
#endif
	return 0;
}

/* Closes the member after writing what its sink holds (unless drop: the
 * member is being removed).  Returns 0 or an errno value. */
static int extract_end(struct extract *x, int drop)
{
	int rc = 0;

	if (x->sink) {
		if (drop)
			pg_sink_abort(x->sink);
		else
			rc = pg_sink_finish(x->sink, NULL);
		x->sink = NULL;
	}
	if (x->fd >= 0 && close(x->fd) != 0 && !rc)
		rc = errno;
	x->fd = -1;
	return rc;
}

static int extract_close(struct extract *x)
{
	return extract_end(x, 0);
}

/* Removes what was written, newest first (files before their directories). */
static void extract_undo(struct extract *x)
{
	extract_end(x, 1);
	for (size_t i = x->nmade; i-- > 0;) {
		if (unlinkat(x->dirfd, x->made[i], 0) != 0)
			unlinkat(x->dirfd, x->made[i], AT_REMOVEDIR);
	}
}

static void extract_free(struct extract *x)
{
	extract_end(x, 1);
	for (size_t i = 0; i < x->nmade; i++)
		free(x->made[i]);
	free(x->made);
	if (x->dirfd >= 0)
		close(x->dirfd);
}

/* ------------------------------------------------------------ the loader */

struct loader {
	const pg_pack_opts *opts;
	pg_limits lim;
	pg_json_limits jlim;
	struct archive *a;
	struct source src;
	pg_pack *pack;
	struct strset listed;   /* exact member path -> index in pack->files */
	struct strset seen;     /* folded path of every entry seen */
	uint64_t entries;
	uint64_t total;
	struct extract x;
	int extracting;
	pg_error *err;
};

void pg_pack_opts_init(pg_pack_opts *opts)
{
	memset(opts, 0, sizeof *opts);
	opts->mode = PG_PACK_VERIFY;
	pg_limits_default(&opts->limits);
}

void pg_pack_free(pg_pack *p)
{
	if (!p)
		return;
	cJSON_Delete(p->manifest);
	free(p->manifest_canon);
	for (size_t i = 0; i < p->nfiles; i++)
		free(p->files[i].path);
	free(p->files);
	for (size_t i = 0; i < p->nsigs; i++) {
		free(p->sigs[i].path);
		free(p->sigs[i].armored);
	}
	free(p->sigs);
	for (int r = 0; r < PG_ROLE_COUNT_; r++)
		cJSON_Delete(p->docs[r]);
	free(p);
}

pg_code pg_pack_compute_id(const cJSON *manifest, char id[72], pg_error *err)
{
	cJSON *copy = cJSON_Duplicate(manifest, 1);
	char *canon = NULL, hex[PG_SHA256_HEX];
	size_t len;
	pg_code rc;

	if (!copy)
		return pg_err(err, PG_IO_MEMORY, _("out of memory"));
	cJSON_DeleteItemFromObjectCaseSensitive(copy, "id");
	rc = pg_canon(copy, &canon, &len, err);
	if (rc)
		goto out;
	pg_sha256_hex(canon, len, hex);
	snprintf(id, 72, "sha256:%s", hex);
out:
	free(canon);
	cJSON_Delete(copy);
	return rc;
}

static pg_code oom(struct loader *L)
{
	return pg_err(L->err, PG_IO_MEMORY, _("out of memory"));
}

/* Maps a libarchive failure to the code the contract gives it. */
static pg_code archive_failure(struct loader *L, const char *what)
{
	if (L->src.over_cap)
		return pg_err(L->err, PG_LIMIT_ARCHIVE_BYTES,
		              _("the archive is larger than the %llu-byte limit"),
		              (unsigned long long)L->lim.archive_bytes);
	if (L->src.cancelled)
		return pg_err(L->err, PG_IO_READ, _("cancelled"));
	if (L->src.io_errno)
		return pg_err_errno(L->err, L->src.io_errno, 0, _("reading the pack"));
	return pg_err(L->err, PG_ARCHIVE_INVALID, _("%s: not a valid tar archive (%s)"),
	              what, archive_error_string(L->a) ? archive_error_string(L->a) : "?");
}

/* Next header, with every failure mapped.  Returns PG_OK and *e, or PG_OK and
 * *e == NULL at the end of the archive. */
static pg_code next_header(struct loader *L, struct archive_entry **e)
{
	int r = archive_read_next_header(L->a, e);

	if (r == ARCHIVE_EOF) {
		*e = NULL;
		return PG_OK;
	}
	if (r == ARCHIVE_OK)
		return PG_OK;
	if (r == ARCHIVE_WARN) {
		/* libarchive warns when a name could not be decoded as UTF-8;
		 * anything else it warns about is a malformed header. */
		const char *msg = archive_error_string(L->a);
		if (msg && strstr(msg, "can't be converted")) {
			const char *raw = *e ? archive_entry_pathname(*e) : NULL;
			pg_error_path(L->err, "%s", raw ? raw : "");
			return pg_err(L->err, PG_ARCHIVE_PATH_ENCODING,
			              _("an entry name is not valid UTF-8 (%s)"), msg);
		}
	}
	*e = NULL;
	return archive_failure(L, _("reading an entry header"));
}

/* The entry checks shared by every entry: count, type, path, duplicate.
 * On success *is_dir says whether the entry is a directory and *path_out
 * points into `path` (a copy the caller frees). */
static pg_code check_entry(struct loader *L, struct archive_entry *e, char **path_out, int *is_dir)
{
	const char *raw = archive_entry_pathname(e);
	mode_t type = archive_entry_filetype(e);
	char *path = NULL, *fold = NULL;
	size_t len;
	pg_code rc = PG_OK;
	int added;

	*path_out = NULL;
	if (++L->entries > L->lim.entries)
		return pg_err(L->err, PG_LIMIT_ENTRIES,
		              ngettext("more than %llu entry", "more than %llu entries",
		                       (unsigned long)L->lim.entries),
		              (unsigned long long)L->lim.entries);
	if (!raw)
		return pg_err(L->err, PG_ARCHIVE_PATH_ENCODING, _("an entry name cannot be decoded"));
	pg_error_path(L->err, "%s", raw);
	if (archive_entry_hardlink(e))
		return pg_err(L->err, PG_ARCHIVE_ENTRY_TYPE, _("%s: hard links are not allowed"), raw);
	if (archive_entry_sparse_count(e) > 0)
		return pg_err(L->err, PG_ARCHIVE_ENTRY_TYPE, _("%s: sparse entries are not allowed"), raw);
	switch (type) {
	case AE_IFREG:
		*is_dir = 0;
		break;
	case AE_IFDIR:
		*is_dir = 1;
		break;
	case AE_IFLNK:
		return pg_err(L->err, PG_ARCHIVE_ENTRY_TYPE, _("%s: symbolic links are not allowed"), raw);
	case AE_IFCHR:
	case AE_IFBLK:
		return pg_err(L->err, PG_ARCHIVE_ENTRY_TYPE, _("%s: devices are not allowed"), raw);
	case AE_IFIFO:
		return pg_err(L->err, PG_ARCHIVE_ENTRY_TYPE, _("%s: FIFOs are not allowed"), raw);
	default:
		return pg_err(L->err, PG_ARCHIVE_ENTRY_TYPE, _("%s: only regular files and directories are allowed"), raw);
	}
	path = strdup(raw);
	if (!path)
		return oom(L);
	len = strlen(path);
	if (*is_dir && len > 1 && path[len - 1] == '/')
		path[--len] = '\0';
	rc = pg_path_check(path, len, &L->lim, L->err);
	if (rc)
		goto out;
	fold = pg_path_fold(path, len);
	if (!fold) {
		rc = oom(L);
		goto out;
	}
	added = strset_add(&L->seen, fold, 0);
	if (added < 0) {
		rc = oom(L);
		goto out;
	}
	if (added == 0) {
		rc = pg_err(L->err, PG_ARCHIVE_DUPLICATE_ENTRY,
		            _("%s: appears twice in the archive (names compared after NFC and case folding)"), path);
		goto out;
	}
	*path_out = path;
	path = NULL;
out:
	free(fold);
	free(path);
	return rc;
}

/* Reads the rest of the headers looking for manifest.json, to tell "missing"
 * from "not first". */
static pg_code manifest_not_first(struct loader *L, const char *first)
{
	struct archive_entry *e;

	for (;;) {
		int r = archive_read_next_header(L->a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			break;
		const char *p = archive_entry_pathname(e);
		if (p && strcmp(p, "manifest.json") == 0 && archive_entry_filetype(e) == AE_IFREG) {
			pg_error_path(L->err, "manifest.json");
			return pg_err(L->err, PG_MANIFEST_NOT_FIRST,
			              _("manifest.json is not the first file (the first is %s)"), first);
		}
	}
	pg_error_path(L->err, "manifest.json");
	return pg_err(L->err, PG_MANIFEST_MISSING, _("the archive has no manifest.json"));
}

/* Reads the current entry's data into buf (capped by buf->max). */
static pg_code read_small(struct loader *L, pg_buf *buf, const char *what)
{
	for (;;) {
		const void *p;
		size_t n;
		la_int64_t off;
		int r = archive_read_data_block(L->a, &p, &n, &off);
		if (r == ARCHIVE_EOF)
			return PG_OK;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return archive_failure(L, what);
		int b = pg_buf_add(buf, p, n);
		if (b == -1)
			return pg_err(L->err, PG_SIZE_MISMATCH, _("%s: more data than its header declares"), what);
		if (b)
			return oom(L);
	}
}

/* Fills pack->files from the (schema-valid) manifest and checks the
 * declared sizes against the caps. */
static pg_code take_files(struct loader *L)
{
	pg_pack *p = L->pack;
	const cJSON *files = pg_json_get(p->manifest, "files"), *f;
	size_t n = (size_t)cJSON_GetArraySize(files), i = 0;
	uint64_t total = 0;

	p->files = calloc(n ? n : 1, sizeof *p->files);
	if (!p->files)
		return oom(L);
	cJSON_ArrayForEach(f, files) {
		pg_pack_file *pf = &p->files[i];
		const char *path = pg_json_str(pg_json_get(f, "path"));
		pf->path = strdup(path);
		if (!pf->path)
			return oom(L);
		p->nfiles = ++i;
		pf->role = (pg_role)pg_role_parse(pg_json_str(pg_json_get(f, "role")));
		pf->size = (uint64_t)pg_json_get(f, "size")->valuedouble;
		memcpy(pf->sha256, pg_json_str(pg_json_get(f, "sha256")), PG_SHA256_HEX);
		pf->status = PG_FILE_NOT_CHECKED;
		if (strset_add(&L->listed, pf->path, i - 1) < 0)
			return oom(L);
	}
	for (i = 0; i < p->nfiles; i++) {
		pg_pack_file *pf = &p->files[i];
		pg_error_path(L->err, "%s", pf->path);
		if (pf->size > L->lim.entry_bytes)
			return pg_err(L->err, PG_LIMIT_ENTRY_BYTES,
			              _("%s: declared size %llu is over the %llu-byte entry limit"), pf->path,
			              (unsigned long long)pf->size, (unsigned long long)L->lim.entry_bytes);
		if (pg_role_is_document(pf->role) && pf->size > L->lim.json_bytes)
			return pg_err(L->err, PG_LIMIT_JSON_BYTES,
			              _("%s: declared size %llu is over the %llu-byte JSON document limit"), pf->path,
			              (unsigned long long)pf->size, (unsigned long long)L->lim.json_bytes);
	}
	pg_error_path(L->err, "%s", "");
	total = L->total;
	for (i = 0; i < p->nfiles; i++) {
		total += p->files[i].size;
		if (total > L->lim.total_bytes)
			return pg_err(L->err, PG_LIMIT_TOTAL_BYTES,
			              _("the declared sizes add up to more than the %llu-byte limit"),
			              (unsigned long long)L->lim.total_bytes);
	}
	if ((uint64_t)p->nfiles + 1 > L->lim.entries)
		return pg_err(L->err, PG_LIMIT_ENTRIES,
		              ngettext("the manifest lists more than %llu entry",
		                       "the manifest lists more than %llu entries", (unsigned long)L->lim.entries),
		              (unsigned long long)L->lim.entries);
	return PG_OK;
}

/* Finds, reads and validates the manifest: section 2 of doc/pack-loader.md. */
static pg_code load_manifest(struct loader *L)
{
	struct archive_entry *e;
	pg_pack *p = L->pack;
	pg_buf buf;
	char id[72];
	const char *claimed;
	pg_code rc;

	pg_buf_init(&buf, (size_t)(L->lim.json_bytes < SIZE_MAX ? L->lim.json_bytes : SIZE_MAX));
	for (;;) {
		char *path = NULL;
		int is_dir = 0;

		rc = next_header(L, &e);
		if (rc)
			goto out;
		if (!e) {
			pg_error_path(L->err, "manifest.json");
			rc = pg_err(L->err, PG_MANIFEST_MISSING, _("the archive has no manifest.json"));
			goto out;
		}
		if (archive_entry_filetype(e) == AE_IFREG && !archive_entry_hardlink(e) &&
		    archive_entry_sparse_count(e) == 0) {
			const char *name = archive_entry_pathname(e);
			if (name && strcmp(name, "manifest.json") == 0) {
				/* counted and recorded like any entry */
				rc = check_entry(L, e, &path, &is_dir);
				free(path);
				if (rc)
					goto out;
				break;
			}
			char *first = strdup(name ? name : "?");
			if (!first) {
				rc = oom(L);
				goto out;
			}
			rc = manifest_not_first(L, first);
			free(first);
			goto out;
		}
		rc = check_entry(L, e, &path, &is_dir);
		free(path);
		if (rc)
			goto out;
	}

	pg_error_path(L->err, "manifest.json");
	if ((uint64_t)archive_entry_size(e) > L->lim.json_bytes) {
		rc = pg_err(L->err, PG_LIMIT_JSON_BYTES,
		            ngettext("manifest.json: %lld byte is over the %llu-byte JSON limit",
		                     "manifest.json: %lld bytes is over the %llu-byte JSON limit",
		                     (unsigned long)archive_entry_size(e)),
		            (long long)archive_entry_size(e), (unsigned long long)L->lim.json_bytes);
		goto out;
	}
	L->total += (uint64_t)archive_entry_size(e);
	rc = read_small(L, &buf, "manifest.json");
	if (rc)
		goto out;
	rc = pg_json_parse(buf.data ? buf.data : "", buf.len, &L->jlim, &p->manifest, L->err);
	if (rc) {
		pg_error_path(L->err, "manifest.json");
		goto out;
	}
	rc = pg_schema_manifest(p->manifest, &L->lim, L->err);
	if (rc)
		goto out;
	rc = pg_pack_compute_id(p->manifest, id, L->err);
	if (rc)
		goto out;
	claimed = pg_json_str(pg_json_get(p->manifest, "id"));
	if (strcmp(claimed, id) != 0) {
		pg_error_path(L->err, "id");
		rc = pg_err(L->err, PG_MANIFEST_ID_MISMATCH,
		            _("manifest.json: id %s does not match the content, which hashes to %s"), claimed, id);
		goto out;
	}
	memcpy(p->id, id, sizeof id);
	p->name = pg_json_str(pg_json_get(p->manifest, "name"));
	p->version = pg_json_str(pg_json_get(p->manifest, "version"));
	rc = pg_canon(p->manifest, &p->manifest_canon, &p->manifest_canon_len, L->err);
	if (rc)
		goto out;
	rc = take_files(L);
out:
	pg_buf_free(&buf);
	return rc;
}

static int is_signature_path(const char *path)
{
	const char *name;
	size_t n;

	if (strncmp(path, "signatures/", 11) != 0)
		return 0;
	name = path + 11;
	n = strlen(name);
	return n > 4 && !strchr(name, '/') && strcmp(name + n - 4, ".asc") == 0;
}

static pg_code add_signature(struct loader *L, const char *path, pg_buf *data)
{
	pg_pack *p = L->pack;
	pg_pack_sig *s = realloc(p->sigs, (p->nsigs + 1) * sizeof *s);

	if (!s)
		return oom(L);
	p->sigs = s;
	s = &p->sigs[p->nsigs];
	s->path = strdup(path);
	s->len = data->len;
	s->armored = pg_buf_steal(data, NULL);
	if (!s->path || !s->armored) {
		free(s->path);
		free(s->armored);
		return oom(L);
	}
	p->nsigs++;
	return PG_OK;
}

/* Streams the current entry: sniff, hash, keep documents and signatures,
 * extract when asked.  `f` is NULL for a signature. */
static pg_code stream_entry(struct loader *L, const char *path, pg_pack_file *f, uint64_t size, pg_buf *keep)
{
	unsigned char head[4];
	size_t nhead = 0;
	int sniffed = 0;
	uint64_t got = 0;
	pg_sha256 sha;
	int sunk = 0; /* a sink hashes and writes the member */
	char hex[PG_SHA256_HEX];
	pg_code rc;

	rc = pg_sha256_begin(&sha, L->err);
	if (rc)
		return rc;
	if (L->extracting && f) {
		int e = extract_open(&L->x, path, size, &sha);
		if (e) {
			rc = pg_err_errno(L->err, e, 1, path);
			goto out;
		}
		sunk = L->x.sink != NULL;
	}
	for (;;) {
		const void *p;
		size_t n;
		la_int64_t off;
		int r = archive_read_data_block(L->a, &p, &n, &off);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			rc = archive_failure(L, path);
			goto out;
		}
		if (off < 0 || (uint64_t)off != got || n > size - got) {
			rc = pg_err(L->err, PG_SIZE_MISMATCH,
			            ngettext("%s: more data than its declared %llu byte",
			                     "%s: more data than its declared %llu bytes", (unsigned long)size),
			            path, (unsigned long long)size);
			goto out;
		}
		if (!sniffed) {
			size_t take = n < sizeof head - nhead ? n : sizeof head - nhead;
			memcpy(head + nhead, p, take);
			nhead += take;
			if (nhead == sizeof head) {
				sniffed = 1;
				rc = pg_path_sniff(head, nhead, path, L->err);
				if (rc)
					goto out;
			}
		}
		got += n;
		if (!sunk)
			pg_sha256_update(&sha, p, n);
		if (keep) {
			int b = pg_buf_add(keep, p, n);
			if (b) {
				rc = b == -1 ? pg_err(L->err, PG_SIZE_MISMATCH, _("%s: larger than declared"), path) : oom(L);
				goto out;
			}
		}
		if (L->extracting && f) {
			int e = extract_write(&L->x, p, n);
			if (e) {
				rc = pg_err_errno(L->err, e, 1, path);
				goto out;
			}
		}
	}
	if (!sniffed) {
		rc = pg_path_sniff(head, nhead, path, L->err);
		if (rc)
			goto out;
	}
	if (got != size) {
		rc = pg_err(L->err, PG_SIZE_MISMATCH,
		            ngettext("%s: %llu byte where %llu were declared",
		                     "%s: %llu bytes where %llu were declared", (unsigned long)got),
		            path, (unsigned long long)got, (unsigned long long)size);
		goto out;
	}
	if (L->extracting && f) {
		int e = extract_close(&L->x); /* the sink's last bytes hashed */
		sunk = 0;
		if (e) {
			rc = pg_err_errno(L->err, e, 1, path);
			goto out;
		}
	}
	pg_sha256_end(&sha, hex);
	if (f && strcmp(hex, f->sha256) != 0) {
		f->status = PG_FILE_BAD;
		return pg_err(L->err, PG_DIGEST_MISMATCH, _("%s: SHA-256 is %s, the manifest says %s"), path, hex, f->sha256);
	}
	if (f)
		f->status = PG_FILE_OK;
	return PG_OK;
out:
	if (sunk)
		extract_end(&L->x, 1); /* its threads let go of sha */
	pg_sha256_abort(&sha);
	return rc;
}

/* Parses and validates a member document kept in buf. */
static pg_code check_document(struct loader *L, pg_pack_file *f, pg_buf *buf)
{
	cJSON *doc = NULL;
	pg_code rc = pg_json_parse(buf->data ? buf->data : "", buf->len, &L->jlim, &doc, L->err);

	if (rc) {
		if (L->err) {
			/* name the member the JSON error is in */
			char *msg = strdup(L->err->message);
			if (msg)
				pg_err(L->err, rc, "%s: %s", f->path, msg);
			free(msg);
			pg_error_path(L->err, "%s", f->path);
		}
		return rc;
	}
	rc = pg_schema_member(f->role, doc, L->pack->manifest, L->err);
	if (rc) {
		if (L->err) {
			/* "lineage.json:parents[0].id": the member, then the field */
			char *field = strdup(L->err->path);
			if (field)
				pg_error_path(L->err, "%s:%s", f->path, field);
			free(field);
		}
		cJSON_Delete(doc);
		return rc;
	}
	cJSON_Delete(L->pack->docs[f->role]);
	L->pack->docs[f->role] = doc;
	return PG_OK;
}

/* Every entry after the manifest: section 3 of doc/pack-loader.md. */
static pg_code load_entries(struct loader *L)
{
	pg_pack *p = L->pack;
	pg_buf keep;
	pg_code rc = PG_OK;

	pg_buf_init(&keep, 0);
	for (;;) {
		struct archive_entry *e;
		char *path = NULL;
		int is_dir = 0;
		size_t idx = 0;
		pg_pack_file *f = NULL;
		uint64_t size;
		int keep_it;

		rc = next_header(L, &e);
		if (rc || !e)
			break;
		rc = check_entry(L, e, &path, &is_dir);
		if (rc || is_dir) {
			free(path);
			if (rc)
				break;
			continue;
		}
		pg_error_path(L->err, "%s", path);
		rc = pg_path_check_type(path, L->opts->file_types, L->err);
		if (rc)
			goto next;
		size = archive_entry_size_is_set(e) ? (uint64_t)archive_entry_size(e) : 0;
		if (strset_get(&L->listed, path, &idx)) {
			f = &p->files[idx];
			if (size != f->size) {
				rc = pg_err(L->err, PG_SIZE_MISMATCH,
				            ngettext("%s: the archive holds %llu byte, the manifest declares %llu",
				                     "%s: the archive holds %llu bytes, the manifest declares %llu",
				                     (unsigned long)size),
				            path, (unsigned long long)size, (unsigned long long)f->size);
				goto next;
			}
		} else if (is_signature_path(path)) {
			if (size > PG_SIG_MAX_BYTES) {
				rc = pg_err(L->err, PG_LIMIT_ENTRY_BYTES, _("%s: a signature may hold at most %llu bytes"),
				            path, (unsigned long long)PG_SIG_MAX_BYTES);
				goto next;
			}
		} else {
			rc = pg_err(L->err, PG_FILE_UNLISTED, _("%s: not listed in the manifest"), path);
			goto next;
		}
		L->total += size;
		if (L->total > L->lim.total_bytes) {
			rc = pg_err(L->err, PG_LIMIT_TOTAL_BYTES, _("the entries add up to more than the %llu-byte limit"),
			            (unsigned long long)L->lim.total_bytes);
			goto next;
		}
		keep_it = !f || pg_role_is_document(f->role);
		pg_buf_reset(&keep);
		keep.max = (size_t)size;
		rc = stream_entry(L, path, f, size, keep_it ? &keep : NULL);
		if (rc)
			goto next;
		if (!f)
			rc = add_signature(L, path, &keep);
		else if (pg_role_is_document(f->role))
			rc = check_document(L, f, &keep);
next:
		free(path);
		if (rc)
			break;
	}
	pg_buf_free(&keep);
	if (rc)
		return rc;
	for (size_t i = 0; i < p->nfiles; i++) {
		if (p->files[i].status == PG_FILE_NOT_CHECKED) {
			pg_error_path(L->err, "%s", p->files[i].path);
			return pg_err(L->err, PG_FILE_MISSING, _("%s: listed in the manifest but not in the archive"),
			              p->files[i].path);
		}
	}
	pg_error_path(L->err, "%s", "");
	return PG_OK;
}

static pg_code load(struct loader *L)
{
	pg_code rc;

	L->a = archive_read_new();
	if (!L->a)
		return oom(L);
	/* tar only, and only the gzip and zstd filters: never the _all variants */
	archive_read_support_format_tar(L->a);
	archive_read_support_filter_gzip(L->a);
	archive_read_support_filter_zstd(L->a);
	if (archive_read_open2(L->a, &L->src, NULL, source_read, source_skip, NULL) != ARCHIVE_OK) {
		pg_error_path(L->err, "%s", "");
		return archive_failure(L, _("opening the pack"));
	}
	rc = load_manifest(L);
	if (rc || L->opts->mode == PG_PACK_INSPECT)
		return rc;
	return load_entries(L);
}

static pg_code load_source(struct source *src, const pg_pack_opts *opts, pg_pack **out, pg_error *err)
{
	struct loader L;
	locale_t utf8 = (locale_t)0, prev = (locale_t)0, lbase;
	pg_code rc;

	*out = NULL;
	pg_error_clear(err);
	memset(&L, 0, sizeof L);
	L.opts = opts;
	L.lim = opts->limits;
	L.err = err;
	L.x.dirfd = -1;
	L.x.fd = -1;
	pg_json_limits_from(&L.jlim, &L.lim);
	L.src = *src;
	L.src.cap = L.lim.archive_bytes;
	L.src.progress = opts->progress;
	L.src.progress_ctx = opts->progress_ctx;
	L.src.block = malloc(READ_BLOCK);
	L.pack = calloc(1, sizeof *L.pack);
	if (!L.src.block || !L.pack) {
		rc = oom(&L);
		goto out;
	}
	if (opts->mode == PG_PACK_VERIFY && opts->extract_dir) {
		L.x.dirfd = open(opts->extract_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (L.x.dirfd < 0) {
			rc = pg_err_errno(err, errno, 1, opts->extract_dir);
			goto out;
		}
		L.extracting = 1;
	}
	rc = pg_digest_init(err);
	if (rc)
		goto out;
	/* libarchive decodes entry names with the thread's locale: make it UTF-8
	 * for the load so names reach the path rules as their bytes. */
	lbase = duplocale(uselocale((locale_t)0));
	utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", lbase);
	if (!utf8 && lbase)
		freelocale(lbase);
	if (utf8)
		prev = uselocale(utf8);
	rc = load(&L);
	if (utf8) {
		if (L.a) {
			archive_read_free(L.a);
			L.a = NULL;
		}
		uselocale(prev);
		freelocale(utf8);
	}
	L.pack->archive_bytes = L.src.done;
out:
	if (L.a)
		archive_read_free(L.a);
	if (rc && L.extracting)
		extract_undo(&L.x);
	extract_free(&L.x);
	strset_free(&L.listed);
	strset_free(&L.seen);
	free(L.src.block);
	if (rc) {
		pg_pack_free(L.pack);
		return rc;
	}
	pg_error_path(err, "%s", "");
	*out = L.pack;
	return PG_OK;
}

pg_code pg_pack_load(const char *path, const pg_pack_opts *opts, pg_pack **out, pg_error *err)
{
	struct source src;
	struct stat st;
	pg_code rc;

	*out = NULL;
	memset(&src, 0, sizeof src);
	src.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (src.fd < 0)
		return pg_err_errno(err, errno, 0, path);
	if (fstat(src.fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			close(src.fd);
			return pg_err(err, PG_IO_READ, _("%s: is a directory"), path);
		}
		if (S_ISREG(st.st_mode))
			src.total = (uint64_t)st.st_size;
	}
	rc = load_source(&src, opts, out, err);
	close(src.fd);
	return rc;
}

pg_code pg_pack_load_fp(FILE *fp, const pg_pack_opts *opts, pg_pack **out, pg_error *err)
{
	struct source src;

	memset(&src, 0, sizeof src);
	src.fd = -1;
	src.fp = fp;
	return load_source(&src, opts, out, err);
}

pg_code pg_pack_load_stream(pg_pack_read_fn fn, void *ctx, const pg_pack_opts *opts, pg_pack **out, pg_error *err)
{
	struct source src;

	memset(&src, 0, sizeof src);
	src.fd = -1;
	src.fn = fn;
	src.fn_ctx = ctx;
	return load_source(&src, opts, out, err);
}
