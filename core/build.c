/* build.c — a reproducible pack from a directory.
 *
 * Reproducibility rests on: members in byte order of path, fixed metadata
 * (mtime 0, uid/gid 0, no user or group names, mode 0644), the manifest as
 * its canonical bytes, no gzip timestamp or name, and a UTF-8 locale while
 * libarchive writes names.  The result is then run through the loader, so
 * build refuses exactly what verify refuses, with the same codes. */
#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "buf.h"
#include "canon.h"
#include "digest.h"
#include "json.h"
#include "pack.h"
#include "path.h"
#include "schema.h"

#define IO_BLOCK (1024 * 1024)

int pg_compress_parse(const char *s)
{
	if (strcmp(s, "none") == 0)
		return PG_COMPRESS_NONE;
	if (strcmp(s, "gzip") == 0)
		return PG_COMPRESS_GZIP;
	if (strcmp(s, "zstd") == 0)
		return PG_COMPRESS_ZSTD;
	return -1;
}

struct member {
	char *path;       /* relative to the directory; owned */
	uint64_t size;
	char sha256[PG_SHA256_HEX];
	int role;         /* -1 for a publisher signature */
};

struct walk {
	struct member *m;
	size_t n;
	size_t cap;
	dev_t skip_dev;   /* the output file, when it lies inside the directory */
	ino_t skip_ino;
	int skip;
	pg_error *err;
};

static pg_code add_member(struct walk *w, const char *path)
{
	if (w->n == w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 32;
		struct member *p = realloc(w->m, ncap * sizeof *p);
		if (!p)
			return pg_err(w->err, PG_IO_MEMORY, _("out of memory"));
		w->m = p;
		w->cap = ncap;
	}
	memset(&w->m[w->n], 0, sizeof w->m[w->n]);
	w->m[w->n].path = strdup(path);
	if (!w->m[w->n].path)
		return pg_err(w->err, PG_IO_MEMORY, _("out of memory"));
	w->n++;
	return PG_OK;
}

/* Collects every regular file below dirfd (prefix is its path relative to
 * the build directory, "" at the top), refusing links and special files. */
static pg_code walk_dir(struct walk *w, int dirfd, const char *prefix, const char *shown)
{
	DIR *d;
	struct dirent *de;
	pg_code rc = PG_OK;
	int fd = dup(dirfd);

	if (fd < 0)
		return pg_err_errno(w->err, errno, 0, shown);
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return pg_err_errno(w->err, errno, 0, shown);
	}
	while (!rc && (errno = 0, de = readdir(d))) {
		struct stat st;
		char *rel;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (!*prefix && strcmp(de->d_name, "manifest.json") == 0)
			continue;
		if (asprintf(&rel, "%s%s%s", prefix, *prefix ? "/" : "", de->d_name) < 0)
			return pg_err(w->err, PG_IO_MEMORY, _("out of memory"));
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			rc = pg_err_errno(w->err, errno, 0, rel);
		} else if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				rc = pg_err_errno(w->err, errno, 0, rel);
			} else {
				rc = walk_dir(w, sub, rel, rel);
				close(sub);
			}
		} else if (S_ISREG(st.st_mode)) {
			if (!(w->skip && st.st_dev == w->skip_dev && st.st_ino == w->skip_ino))
				rc = add_member(w, rel);
		} else {
			pg_error_path(w->err, "%s", rel);
			rc = pg_err(w->err, PG_ARCHIVE_ENTRY_TYPE,
			            _("%s: only regular files and directories can go into a pack"), rel);
		}
		free(rel);
	}
	if (!rc && errno)
		rc = pg_err_errno(w->err, errno, 0, shown);
	closedir(d);
	return rc;
}

static int member_cmp(const void *a, const void *b)
{
	return strcmp(((const struct member *)a)->path, ((const struct member *)b)->path);
}

/* Size and SHA-256 of one input file. */
static pg_code hash_file(int dirfd, struct member *m, unsigned char *block, pg_error *err)
{
	pg_sha256 sha;
	int fd = openat(dirfd, m->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	pg_code rc;
	ssize_t n;

	if (fd < 0)
		return pg_err_errno(err, errno, 0, m->path);
	rc = pg_sha256_begin(&sha, err);
	if (rc) {
		close(fd);
		return rc;
	}
	m->size = 0;
	while ((n = read(fd, block, IO_BLOCK)) > 0) {
		pg_sha256_update(&sha, block, (size_t)n);
		m->size += (uint64_t)n;
	}
	if (n < 0) {
		rc = pg_err_errno(err, errno, 0, m->path);
		pg_sha256_abort(&sha);
	} else {
		pg_sha256_end(&sha, m->sha256);
	}
	close(fd);
	return rc;
}

static pg_code read_file(int dirfd, const char *name, uint64_t max, pg_buf *out, pg_error *err)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), r, e;
	struct stat st;

	pg_error_path(err, "%s", name);
	pg_buf_init(out, (size_t)max);
	if (fd < 0 && errno == ELOOP)
		return pg_err(err, PG_ARCHIVE_ENTRY_TYPE, _("%s: not a regular file"), name);
	if (fd < 0)
		return pg_err_errno(err, errno, 0, name);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return pg_err(err, PG_ARCHIVE_ENTRY_TYPE, _("%s: not a regular file"), name);
	}
	r = pg_buf_read_fd(out, fd);
	e = errno;
	close(fd);
	if (r == -1)
		return pg_err(err, PG_LIMIT_JSON_BYTES, _("%s: over the %llu-byte JSON limit"), name,
		              (unsigned long long)max);
	if (r == -2)
		return pg_err(err, PG_IO_MEMORY, _("out of memory"));
	if (r == -3)
		return pg_err_errno(err, e, 0, name);
	return PG_OK;
}

/* Applies the partial files list of the input manifest: role overrides, and
 * sizes or digests that, when given, must match the file. */
static pg_code apply_overrides(struct walk *w, const cJSON *files, pg_error *err)
{
	const cJSON *f;
	int i = 0;

	if (!files)
		return PG_OK;
	if (!cJSON_IsArray(files)) {
		pg_error_path(err, "files");
		return pg_err(err, PG_SCHEMA, _("manifest.json: files: not a list"));
	}
	cJSON_ArrayForEach(f, files) {
		const char *path = pg_json_str(pg_json_get(f, "path"));
		const char *role = pg_json_str(pg_json_get(f, "role"));
		const cJSON *size = pg_json_get(f, "size");
		const char *sha = pg_json_str(pg_json_get(f, "sha256"));
		struct member *m = NULL;
		int r;

		pg_error_path(err, "files[%d]", i);
		if (!path || !role)
			return pg_err(err, PG_SCHEMA, _("manifest.json: files[%d]: needs a path and a role"), i);
		r = pg_role_parse(role);
		if (r < 0)
			return pg_err(err, PG_SCHEMA, _("manifest.json: files[%d].role: unknown role %s"), i, role);
		for (size_t k = 0; k < w->n; k++)
			if (strcmp(w->m[k].path, path) == 0)
				m = &w->m[k];
		if (!m || m->role < 0) {
			pg_error_path(err, "%s", path);
			return pg_err(err, PG_FILE_MISSING, _("%s: listed in manifest.json but not in the directory"), path);
		}
		if (size && !(pg_json_is_uint(size, PG_INT_MAX) && (uint64_t)size->valuedouble == m->size)) {
			pg_error_path(err, "%s", path);
			return pg_err(err, PG_SIZE_MISMATCH, _("%s: manifest.json gives a size the file does not have"), path);
		}
		if (sha && strcmp(sha, m->sha256) != 0) {
			pg_error_path(err, "%s", path);
			return pg_err(err, PG_DIGEST_MISMATCH, _("%s: manifest.json gives a SHA-256 the file does not have"), path);
		}
		m->role = r;
		i++;
	}
	return PG_OK;
}

/* Builds the final manifest from the input one and the members. */
static pg_code make_manifest(cJSON *m, struct walk *w, char id[72], pg_error *err)
{
	cJSON *files = cJSON_CreateArray();
	const char *card = NULL;

	if (!files)
		return pg_err(err, PG_IO_MEMORY, _("out of memory"));
	for (size_t i = 0; i < w->n; i++) {
		struct member *mb = &w->m[i];
		cJSON *f;

		if (mb->role < 0)
			continue;
		f = cJSON_CreateObject();
		if (!f || !cJSON_AddItemToArray(files, f) ||
		    !cJSON_AddStringToObject(f, "path", mb->path) ||
		    !cJSON_AddStringToObject(f, "role", pg_role_name((pg_role)mb->role)) ||
		    !cJSON_AddNumberToObject(f, "size", (double)mb->size) ||
		    !cJSON_AddStringToObject(f, "sha256", mb->sha256)) {
			cJSON_Delete(files);
			return pg_err(err, PG_IO_MEMORY, _("out of memory"));
		}
		if (mb->role == PG_ROLE_EVALUATION_CARD && !card)
			card = mb->path;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(m, "id");
	cJSON_DeleteItemFromObjectCaseSensitive(m, "files");
	cJSON_AddItemToObject(m, "files", files);
	if (!pg_json_get(m, "schema_version"))
		cJSON_AddNumberToObject(m, "schema_version", 1);
	if (!pg_json_get(m, "lifecycle_state"))
		cJSON_AddStringToObject(m, "lifecycle_state", "candidate");
	if (!pg_json_get(m, "evaluation_card") && card)
		cJSON_AddStringToObject(m, "evaluation_card", card);
	if (pg_pack_compute_id(m, id, err))
		return err ? err->code : PG_IO_MEMORY;
	if (!cJSON_AddStringToObject(m, "id", id))
		return pg_err(err, PG_IO_MEMORY, _("out of memory"));
	return PG_OK;
}

static pg_code archive_write_failure(struct archive *a, const char *out_path, pg_error *err)
{
	int e = archive_errno(a);

	if (e > 0)
		return pg_err_errno(err, e, 1, out_path);
	return pg_err(err, PG_IO_WRITE, _("%s: %s"), out_path,
	              archive_error_string(a) ? archive_error_string(a) : _("write error"));
}

void pg_build_entry(struct archive_entry *e, const char *path, unsigned type, uint64_t size)
{
	archive_entry_clear(e);
	archive_entry_copy_pathname(e, path);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, type == AE_IFDIR ? 0755 : 0644);
	archive_entry_set_size(e, (la_int64_t)size);
	archive_entry_set_mtime(e, 0, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
}

/* Copies one member into the archive, checking it did not change since it
 * was hashed. */
static pg_code write_member(struct archive *a, struct archive_entry *e, int dirfd, const struct member *m,
                            unsigned char *block, const char *out_path, pg_error *err)
{
	int fd = openat(dirfd, m->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	uint64_t done = 0;
	pg_sha256 sha;
	char hex[PG_SHA256_HEX];
	ssize_t n;
	pg_code rc;

	if (fd < 0)
		return pg_err_errno(err, errno, 0, m->path);
	rc = pg_sha256_begin(&sha, err);
	if (rc)
		goto out_fd;
	pg_build_entry(e, m->path, AE_IFREG, m->size);
	if (archive_write_header(a, e) != ARCHIVE_OK) {
		rc = archive_write_failure(a, out_path, err);
		goto out;
	}
	while ((n = read(fd, block, IO_BLOCK)) > 0) {
		if (done + (uint64_t)n > m->size)
			break;
		pg_sha256_update(&sha, block, (size_t)n);
		if (archive_write_data(a, block, (size_t)n) != n) {
			rc = archive_write_failure(a, out_path, err);
			goto out;
		}
		done += (uint64_t)n;
	}
	if (n < 0) {
		rc = pg_err_errno(err, errno, 0, m->path);
		goto out;
	}
	pg_sha256_end(&sha, hex);
	if (n > 0 || done != m->size || strcmp(hex, m->sha256) != 0) {
		pg_error_path(err, "%s", m->path);
		rc = pg_err(err, PG_IO_READ, _("%s: changed while the pack was being built"), m->path);
	}
	goto out_fd;
out:
	pg_sha256_abort(&sha);
out_fd:
	close(fd);
	return rc;
}

static pg_code write_archive(int outfd, const char *out_path, pg_compress compress, const char *manifest,
                             size_t manifest_len, int dirfd, struct walk *w, unsigned char *block,
                             pg_error *err)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	pg_code rc = PG_OK;

	if (!a || !e) {
		rc = pg_err(err, PG_IO_MEMORY, _("out of memory"));
		goto out;
	}
	/* pax only where ustar cannot say it (long or non-ASCII names, > 8 GiB) */
	archive_write_set_format_pax_restricted(a);
	if (compress == PG_COMPRESS_GZIP) {
		archive_write_add_filter_gzip(a);
		archive_write_set_filter_option(a, "gzip", "timestamp", NULL);
	} else if (compress == PG_COMPRESS_ZSTD) {
		archive_write_add_filter_zstd(a);
	} else {
		archive_write_add_filter_none(a);
	}
	archive_write_set_bytes_in_last_block(a, 1);
	if (archive_write_open_fd(a, outfd) != ARCHIVE_OK) {
		rc = archive_write_failure(a, out_path, err);
		goto out;
	}
	pg_build_entry(e, "manifest.json", AE_IFREG, manifest_len);
	if (archive_write_header(a, e) != ARCHIVE_OK ||
	    archive_write_data(a, manifest, manifest_len) != (la_ssize_t)manifest_len) {
		rc = archive_write_failure(a, out_path, err);
		goto out;
	}
	for (size_t i = 0; i < w->n && !rc; i++)
		rc = write_member(a, e, dirfd, &w->m[i], block, out_path, err);
	if (!rc && archive_write_close(a) != ARCHIVE_OK)
		rc = archive_write_failure(a, out_path, err);
out:
	archive_entry_free(e);
	if (a)
		archive_write_free(a);
	return rc;
}

pg_code pg_build(const char *dir, const char *out_path, pg_compress compress, const pg_limits *lim,
                 char *id_out, pg_error *err)
{
	struct walk w;
	pg_limits caps;
	pg_json_limits jlim;
	pg_buf mbuf;
	cJSON *m = NULL;
	char *canon = NULL, *tmp = NULL, id[72];
	size_t canon_len = 0;
	unsigned char *block = NULL;
	int dirfd = -1, outfd = -1;
	struct stat st;
	locale_t utf8 = (locale_t)0, prev = (locale_t)0, lbase;
	pg_pack *check = NULL;
	pg_pack_opts opts;
	pg_code rc;

	pg_error_clear(err);
	memset(&w, 0, sizeof w);
	w.err = err;
	pg_buf_init(&mbuf, 0);
	if (lim)
		caps = *lim;
	else
		pg_limits_default(&caps);
	pg_json_limits_from(&jlim, &caps);

	rc = pg_digest_init(err);
	if (rc)
		goto out;
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		rc = pg_err_errno(err, errno, 0, dir);
		goto out;
	}
	block = malloc(IO_BLOCK);
	if (!block) {
		rc = pg_err(err, PG_IO_MEMORY, _("out of memory"));
		goto out;
	}

	/* the input manifest */
	rc = read_file(dirfd, "manifest.json", caps.json_bytes, &mbuf, err);
	if (rc)
		goto out;
	rc = pg_json_parse(mbuf.data ? mbuf.data : "", mbuf.len, &jlim, &m, err);
	if (rc) {
		pg_error_path(err, "manifest.json");
		goto out;
	}
	if (!cJSON_IsObject(m)) {
		pg_error_path(err, "manifest.json");
		rc = pg_err(err, PG_SCHEMA, _("manifest.json: not a JSON object"));
		goto out;
	}

	/* the members, in byte order of path */
	if (stat(out_path, &st) == 0) {
		w.skip = 1;
		w.skip_dev = st.st_dev;
		w.skip_ino = st.st_ino;
	}
	rc = walk_dir(&w, dirfd, "", dir);
	if (rc)
		goto out;
	qsort(w.m, w.n, sizeof *w.m, member_cmp);
	for (size_t i = 0; i < w.n; i++) {
		struct member *mb = &w.m[i];
		const char *p = mb->path;
		size_t n = strlen(p);
		int sig = strncmp(p, "signatures/", 11) == 0 && !strchr(p + 11, '/') && n > 15 &&
		          strcmp(p + n - 4, ".asc") == 0;

		mb->role = sig ? -1 : (int)pg_role_infer(p);
		rc = hash_file(dirfd, mb, block, err);
		if (rc)
			goto out;
	}
	rc = apply_overrides(&w, pg_json_get(m, "files"), err);
	if (rc)
		goto out;
	pg_error_path(err, "%s", "");
	rc = make_manifest(m, &w, id, err);
	if (rc)
		goto out;
	rc = pg_canon(m, &canon, &canon_len, err);
	if (rc)
		goto out;

	/* write beside the destination, then verify, then rename */
	if (asprintf(&tmp, "%s.tmp-XXXXXX", out_path) < 0) {
		tmp = NULL;
		rc = pg_err(err, PG_IO_MEMORY, _("out of memory"));
		goto out;
	}
	outfd = mkstemp(tmp);
	if (outfd < 0) {
		rc = pg_err_errno(err, errno, 1, out_path);
		free(tmp);
		tmp = NULL;
		goto out;
	}
	fchmod(outfd, 0644);
	/* the thread's locale with LC_CTYPE "C.UTF-8": LC_MESSAGES stays */
	lbase = duplocale(uselocale((locale_t)0));
	utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", lbase);
	if (!utf8 && lbase)
		freelocale(lbase);
	if (utf8)
		prev = uselocale(utf8);
	rc = write_archive(outfd, out_path, compress, canon, canon_len, dirfd, &w, block, err);
	if (utf8) {
		uselocale(prev);
		freelocale(utf8);
	}
	if (rc)
		goto out;
	if (fsync(outfd) != 0) {
		rc = pg_err_errno(err, errno, 1, out_path);
		goto out;
	}
	pg_pack_opts_init(&opts);
	opts.limits = caps;
	rc = pg_pack_load(tmp, &opts, &check, err);
	if (rc)
		goto out;
	if (rename(tmp, out_path) != 0) {
		rc = pg_err_errno(err, errno, 1, out_path);
		goto out;
	}
	free(tmp);
	tmp = NULL;
	if (id_out)
		memcpy(id_out, id, sizeof id);
out:
	if (outfd >= 0)
		close(outfd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	pg_pack_free(check);
	for (size_t i = 0; i < w.n; i++)
		free(w.m[i].path);
	free(w.m);
	free(canon);
	cJSON_Delete(m);
	pg_buf_free(&mbuf);
	free(block);
	if (dirfd >= 0)
		close(dirfd);
	return rc;
}
