/* check_pack.c — the pack loader against every case of tests/fixtures.c
 * (from a file, and streamed through a pg_chan from another thread as a
 * pull feeds it), plus the promises of pack.h on good packs (files, id,
 * documents, signatures, extraction, progress). */
#include "pg.h"

#include <check.h>
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canon.h"
#include "chan.h"
#include "checkrun.h"
#include "digest.h"
#include "fixtures.h"
#include "pack.h"

struct tmp {
	char dir[PATH_MAX];
	char pack[PATH_MAX + 256];
	char xdir[PATH_MAX + 8];  /* empty private directory for extract_dir */
};

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw);

/* Every test works below one directory that the parent process creates
 * before a test case and removes after it, so a test that an assertion
 * ends early (in a forked child) leaves nothing behind either. */
static char base_dir[PATH_MAX - 64];

static void base_setup(void)
{
	const char *tmp = getenv("TMPDIR");

	if (!tmp || !*tmp || strlen(tmp) > 1024)
		tmp = "/tmp";
	snprintf(base_dir, sizeof base_dir, "%s/pgpack.XXXXXX", tmp);
	if (!mkdtemp(base_dir))
		base_dir[0] = '\0';
}

static void base_teardown(void)
{
	if (base_dir[0])
		nftw(base_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	base_dir[0] = '\0';
}

static void tmp_make(struct tmp *t, const char *name)
{
	ck_assert_msg(base_dir[0] != '\0', "no temporary directory");
	snprintf(t->dir, sizeof t->dir, "%s/t.XXXXXX", base_dir);
	ck_assert_ptr_nonnull(mkdtemp(t->dir));
	snprintf(t->pack, sizeof t->pack, "%s/%s.mpk", t->dir, name);
	snprintf(t->xdir, sizeof t->xdir, "%s/x", t->dir);
	ck_assert_int_eq(mkdir(t->xdir, 0700), 0);
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	/* make directories writable again in case the loader left any
	 * read-only; then remove */
	chmod(p, 0700);
	return remove(p);
}

static void tmp_remove(struct tmp *t)
{
	nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Entries of dir other than . and .. */
static int dir_count(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* Removes what dir holds, keeping dir. */
static void empty_dir(const char *dir)
{
	char path[PATH_MAX * 2];
	DIR *d = opendir(dir);
	struct dirent *de;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	}
	closedir(d);
	ck_assert_int_eq(dir_count(dir), 0);
}

static const char *code_str(int c)
{
	return c == FX_ANY ? "(any)" : pg_code_name((pg_code)c);
}

static pg_pack sentinel;

/* Loads path with the case's limits in the given mode. */
static pg_code load(const char *path, const fx_spec *s, pg_pack_mode mode,
                    const char *xdir, pg_pack **out, pg_error *err)
{
	pg_pack_opts o;

	pg_pack_opts_init(&o);
	o.mode = mode;
	if (s->has_limits)
		o.limits = s->limits;
	o.extract_dir = xdir;
	pg_error_clear(err);
	*out = &sentinel; /* the loader must overwrite it either way */
	return pg_pack_load(path, &o, out, err);
}

static void check_outcome(const fx_case *c, const char *what, pg_code rc, int want,
                          pg_pack *p, const pg_error *err)
{
	ck_assert_msg((int)rc == want, "%s (%s): got %s [%s] path '%s', expected %s",
		      c->name, what, pg_code_name(rc), err->message, err->path, code_str(want));
	ck_assert_msg(p != &sentinel, "%s (%s): *out left untouched", c->name, what);
	if (rc == PG_OK) {
		ck_assert_msg(p != NULL, "%s (%s): PG_OK without a pack", c->name, what);
	} else {
		ck_assert_msg(p == NULL, "%s (%s): failure left *out set", c->name, what);
		ck_assert_msg(err->code == rc, "%s (%s): err->code %s differs from the return %s",
			      c->name, what, pg_code_name(err->code), pg_code_name(rc));
		ck_assert_msg(err->message[0] != '\0', "%s (%s): empty message", c->name, what);
	}
}

/* A writer thread that feeds a file's bytes into a channel in uneven
 * pieces (1, 2, 3 ... 4097 bytes, then again), as a download does. */
struct feeder {
	pg_chan *c;
	const char *path;
	int failed;
};

static void *feed(void *arg)
{
	struct feeder *f = arg;
	FILE *fp = fopen(f->path, "rb");
	unsigned char buf[4097];
	size_t piece = 1, n;

	if (!fp) {
		f->failed = 1;
		pg_chan_close_write(f->c);
		return NULL;
	}
	while ((n = fread(buf, 1, piece, fp)) > 0) {
		if (pg_chan_write(f->c, buf, n) != 0)
			break; /* the loader stopped reading: fine */
		piece = piece % sizeof buf + 1;
	}
	fclose(fp);
	pg_chan_close_write(f->c);
	return NULL;
}

static ssize_t chan_source(void *ctx, const void **buf)
{
	return (ssize_t)pg_chan_read(ctx, buf);
}

/* Loads path streamed through a small channel, extracting into xdir. */
static pg_code load_streamed(const char *path, const fx_spec *s, const char *xdir, pg_pack **out, pg_error *err)
{
	struct feeder f = { pg_chan_new(1000, 3), path, 0 };
	pg_pack_opts o;
	pthread_t t;
	pg_code rc;

	ck_assert_ptr_nonnull(f.c);
	pg_pack_opts_init(&o);
	if (s->has_limits)
		o.limits = s->limits;
	o.extract_dir = xdir;
	pg_error_clear(err);
	*out = &sentinel;
	ck_assert_int_eq(pthread_create(&t, NULL, feed, &f), 0);
	rc = pg_pack_load_stream(chan_source, f.c, &o, out, err);
	pg_chan_close_read(f.c);
	pthread_join(t, NULL);
	pg_chan_free(f.c);
	ck_assert_int_eq(f.failed, 0);
	return rc;
}

static void run_case(int i)
{
	const fx_case *c = &fx_cases[i];
	struct tmp t;
	fx_spec s;
	pg_pack *p;
	pg_error err;
	pg_code rc;

	memset(&s, 0, sizeof s);
	ck_assert_msg(c->build(&s) == 0, "%s: the builder failed", c->name);
	ck_assert_msg(!(c->flags & FX_C_LIMITS) == !s.has_limits,
		      "%s: FX_C_LIMITS and spec.has_limits disagree", c->name);
	tmp_make(&t, c->name);
	ck_assert_msg(fx_write_pack(t.pack, &s) == 0, "%s: writing failed", c->name);

	/* verify, writing nothing */
	rc = load(t.pack, &s, PG_PACK_VERIFY, NULL, &p, &err);
	check_outcome(c, "verify", rc, (int)c->code, p, &err);
	if (rc != PG_OK && c->path)
		ck_assert_msg(strcmp(err.path, c->path) == 0, "%s: err->path '%s', expected '%s'",
			      c->name, err.path, c->path);
	pg_pack_free(p);

	/* verify again, extracting: the same outcome, and nothing left behind
	 * on failure */
	rc = load(t.pack, &s, PG_PACK_VERIFY, t.xdir, &p, &err);
	check_outcome(c, "verify+extract", rc, (int)c->code, p, &err);
	if (rc != PG_OK)
		ck_assert_msg(dir_count(t.xdir) == 0, "%s: %d entries left in extract_dir",
			      c->name, dir_count(t.xdir));
	pg_pack_free(p);

	/* the same, streamed as a pull streams: the same code for the same
	 * member, and nothing left behind */
	empty_dir(t.xdir);
	rc = load_streamed(t.pack, &s, t.xdir, &p, &err);
	check_outcome(c, "streamed", rc, (int)c->code, p, &err);
	if (rc != PG_OK) {
		if (c->path)
			ck_assert_msg(strcmp(err.path, c->path) == 0, "%s (streamed): err->path '%s', expected '%s'",
			              c->name, err.path, c->path);
		ck_assert_msg(dir_count(t.xdir) == 0, "%s (streamed): %d entries left in extract_dir", c->name,
		              dir_count(t.xdir));
	}
	pg_pack_free(p);

	/* inspect stops after the manifest */
	if (c->inspect != FX_ANY) {
		rc = load(t.pack, &s, PG_PACK_INSPECT, NULL, &p, &err);
		check_outcome(c, "inspect", rc, c->inspect, p, &err);
		pg_pack_free(p);
	}
	tmp_remove(&t);
	fx_spec_free(&s);
}

START_TEST(test_case_c_locale)
{
	setlocale(LC_ALL, "C");
	run_case(_i);
}
END_TEST

START_TEST(test_case_utf8_locale)
{
	/* The loader must not depend on the locale: the same table under
	 * C.UTF-8 (when the system has it; else C again). */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "C");
	run_case(_i);
}
END_TEST

/* ------------------------------------------------------------------ good pack */

static pg_pack *load_good(const fx_spec *s, struct tmp *t, pg_pack_mode mode, const char *xdir)
{
	pg_pack *p;
	pg_error err;
	pg_code rc;

	ck_assert_int_eq(fx_write_pack(t->pack, s), 0);
	rc = load(t->pack, s, mode, xdir, &p, &err);
	ck_assert_msg(rc == PG_OK, "good pack: %s [%s] path '%s'", pg_code_name(rc),
		      err.message, err.path);
	ck_assert_ptr_nonnull(p);
	return p;
}

static const char *spec_id(const fx_spec *s)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(s->manifest, "id"));
}

START_TEST(test_good_verify)
{
	const fx_member *m;
	size_t n = fx_good_members(&m);
	struct tmp t;
	fx_spec s;
	pg_pack *p;
	pg_error err;
	char id[72], hex[PG_SHA256_HEX], *canon;
	size_t clen;

	ck_assert_int_eq(fx_spec_good(&s), 0);
	tmp_make(&t, "good");
	p = load_good(&s, &t, PG_PACK_VERIFY, NULL);

	ck_assert_str_eq(p->name, "skill.math.reasoner");
	ck_assert_str_eq(p->version, "1.3.0");
	ck_assert_ptr_nonnull(p->manifest);
	ck_assert_uint_eq(p->nfiles, n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(p->files[i].path, m[i].path);
		ck_assert_int_eq((int)p->files[i].role, pg_role_parse(m[i].role));
		ck_assert_uint_eq(p->files[i].size, m[i].len);
		pg_sha256_hex(m[i].data, m[i].len, hex);
		ck_assert_str_eq(p->files[i].sha256, hex);
		ck_assert_int_eq(p->files[i].status, PG_FILE_OK);
	}

	/* the id: the one written, and what pg_pack_compute_id says */
	ck_assert_str_eq(p->id, spec_id(&s));
	pg_error_clear(&err);
	ck_assert_int_eq(pg_pack_compute_id(p->manifest, id, &err), PG_OK);
	ck_assert_str_eq(p->id, id);
	ck_assert(pg_is_pack_id(p->id));

	/* manifest_canon: the canonical manifest, id included */
	ck_assert_int_eq(pg_canon(p->manifest, &canon, &clen, &err), PG_OK);
	ck_assert_uint_eq(p->manifest_canon_len, clen);
	ck_assert(memcmp(p->manifest_canon, canon, clen) == 0);
	free(canon);

	/* documents parsed in VERIFY */
	ck_assert_ptr_nonnull(p->docs[PG_ROLE_CONTRACT]);
	ck_assert_ptr_nonnull(p->docs[PG_ROLE_LINEAGE]);
	ck_assert_ptr_nonnull(p->docs[PG_ROLE_EVALUATION_CARD]);
	ck_assert_ptr_nonnull(p->docs[PG_ROLE_PERMISSIONS]);
	ck_assert_ptr_nonnull(p->docs[PG_ROLE_LICENSE_NOTICE]);
	ck_assert_ptr_null(p->docs[PG_ROLE_RESOURCE_PROFILE]);
	ck_assert_ptr_null(p->docs[PG_ROLE_ROLLBACK]);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		p->docs[PG_ROLE_LINEAGE], "operator")), "fine-tune");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		p->docs[PG_ROLE_CONTRACT], "output_contract")), "worked-answer/v1");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
		p->docs[PG_ROLE_EVALUATION_CARD], "failed_cases")), 1);
	ck_assert_uint_eq(p->nsigs, 0);
	ck_assert_uint_gt(p->archive_bytes, 0);

	pg_pack_free(p);
	tmp_remove(&t);
	fx_spec_free(&s);
}
END_TEST

START_TEST(test_good_inspect)
{
	const fx_member *m;
	size_t n = fx_good_members(&m);
	struct tmp t;
	fx_spec s;
	pg_pack *p;
	char hex[PG_SHA256_HEX];

	ck_assert_int_eq(fx_spec_good(&s), 0);
	tmp_make(&t, "good");
	p = load_good(&s, &t, PG_PACK_INSPECT, NULL);
	ck_assert_str_eq(p->id, spec_id(&s));
	ck_assert_uint_eq(p->nfiles, n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(p->files[i].path, m[i].path);
		ck_assert_uint_eq(p->files[i].size, m[i].len);
		pg_sha256_hex(m[i].data, m[i].len, hex);
		ck_assert_str_eq(p->files[i].sha256, hex);
		ck_assert_int_eq(p->files[i].status, PG_FILE_NOT_CHECKED);
	}
	for (int r = 0; r < PG_ROLE_COUNT_; r++)
		ck_assert_ptr_null(p->docs[r]);
	pg_pack_free(p);
	tmp_remove(&t);
	fx_spec_free(&s);
}
END_TEST

START_TEST(test_good_compressions_same_id)
{
	static const fx_compress cs[] = { FX_COMPRESS_NONE, FX_COMPRESS_GZIP, FX_COMPRESS_ZSTD };
	struct tmp t;
	fx_spec s;
	pg_pack *p;

	ck_assert_int_eq(fx_spec_good(&s), 0);
	tmp_make(&t, "good");
	for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
		s.compress = cs[i];
		p = load_good(&s, &t, PG_PACK_VERIFY, NULL);
		ck_assert_str_eq(p->id, spec_id(&s));
		ck_assert_int_eq(p->files[0].status, PG_FILE_OK);
		pg_pack_free(p);
	}
	tmp_remove(&t);
	fx_spec_free(&s);
}
END_TEST

START_TEST(test_good_signature)
{
	struct tmp t;
	fx_spec s;
	pg_pack *p;
	const fx_entry *e;

	ck_assert_int_eq(fx_cases[fx_case_find("good_signature")].build(&s), 0);
	e = &s.e[fx_find(&s, "signatures/ABC.asc")];
	tmp_make(&t, "sig");
	p = load_good(&s, &t, PG_PACK_VERIFY, NULL);
	ck_assert_uint_eq(p->nsigs, 1);
	ck_assert_str_eq(p->sigs[0].path, "signatures/ABC.asc");
	ck_assert_uint_eq(p->sigs[0].len, e->len);
	ck_assert(memcmp(p->sigs[0].armored, e->data, e->len) == 0);
	ck_assert_int_eq(p->sigs[0].armored[e->len], '\0');
	/* a signature is not a member */
	ck_assert_uint_eq(p->nfiles, 8);
	pg_pack_free(p);
	tmp_remove(&t);
	fx_spec_free(&s);
}
END_TEST

static void assert_file_eq(const char *path, const unsigned char *data, size_t len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = malloc(len + 1);
	size_t got;

	ck_assert_msg(f != NULL, "%s not extracted", path);
	ck_assert_ptr_nonnull(buf);
	got = fread(buf, 1, len + 1, f);
	fclose(f);
	ck_assert_uint_eq(got, len);
	ck_assert(len == 0 || memcmp(buf, data, len) == 0);
	free(buf);
}

START_TEST(test_good_extract)
{
	const fx_member *m;
	size_t n = fx_good_members(&m);
	struct tmp t;
	fx_spec s;
	pg_pack *p;
	char path[PATH_MAX * 2];

	ck_assert_int_eq(fx_spec_good(&s), 0);
	tmp_make(&t, "good");
	p = load_good(&s, &t, PG_PACK_VERIFY, t.xdir);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", t.xdir, m[i].path);
		assert_file_eq(path, m[i].data, m[i].len);
	}
	pg_pack_free(p);

	/* nothing is written without extract_dir, and inspect writes nothing */
	empty_dir(t.xdir);
	p = load_good(&s, &t, PG_PACK_INSPECT, NULL);
	pg_pack_free(p);
	ck_assert_int_eq(dir_count(t.xdir), 0);
	tmp_remove(&t);
	fx_spec_free(&s);
}
END_TEST

/* A member large enough to go through the sink (hashed and written on
 * threads of their own): the same bytes land on disk, a flipped byte in
 * its middle is still mpk.digest.mismatch, and a cut archive is still
 * mpk.archive.invalid, with nothing left behind either way. */
START_TEST(test_large_member_extract)
{
	const size_t big = 5 * 1024 * 1024 + 123;
	unsigned char *data = malloc(big);
	struct tmp t;
	fx_spec s;
	pg_pack *p;
	pg_error err;
	char path[PATH_MAX * 2];
	size_t idx;

	ck_assert_ptr_nonnull(data);
	fx_fill(data, big, 7);
	ck_assert_int_eq(fx_spec_good(&s), 0);
	ck_assert_int_eq(fx_set_data(fx_get(&s, "model.onnx"), data, big), 0);
	ck_assert_int_eq(fx_relist(&s), 0);
	tmp_make(&t, "big");
	p = load_good(&s, &t, PG_PACK_VERIFY, t.xdir);
	snprintf(path, sizeof path, "%s/model.onnx", t.xdir);
	assert_file_eq(path, data, big);
	pg_pack_free(p);
	empty_dir(t.xdir);

	idx = fx_find(&s, "model.onnx");
	ck_assert_uint_ne(fx_data_offset(&s, idx), FX_END);
	s.post = fx_post_flip;
	s.post_arg = (int64_t)(fx_data_offset(&s, idx) + big / 2);
	ck_assert_int_eq(fx_write_pack(t.pack, &s), 0);
	ck_assert_int_eq(load(t.pack, &s, PG_PACK_VERIFY, t.xdir, &p, &err), PG_DIGEST_MISMATCH);
	ck_assert_ptr_null(p);
	ck_assert_str_eq(err.path, "model.onnx");
	ck_assert_int_eq(dir_count(t.xdir), 0);

	/* the archive ends 4 MiB + 1 into the member, from a file and from a
	 * stream: the writes under way are dropped with the rest */
	s.post = fx_post_truncate;
	s.post_arg = (int64_t)(fx_data_offset(&s, idx) + 4 * 1024 * 1024 + 1);
	ck_assert_int_eq(fx_write_pack(t.pack, &s), 0);
	ck_assert_int_eq(load(t.pack, &s, PG_PACK_VERIFY, t.xdir, &p, &err), PG_ARCHIVE_INVALID);
	ck_assert_ptr_null(p);
	ck_assert_str_eq(err.path, "model.onnx");
	ck_assert_int_eq(dir_count(t.xdir), 0);
	ck_assert_int_eq(load_streamed(t.pack, &s, t.xdir, &p, &err), PG_ARCHIVE_INVALID);
	ck_assert_ptr_null(p);
	ck_assert_str_eq(err.path, "model.onnx");
	ck_assert_int_eq(dir_count(t.xdir), 0);
	tmp_remove(&t);
	fx_spec_free(&s);
	free(data);
}
END_TEST

struct progress {
	uint64_t max_done;
	unsigned calls;
	int cancel;
};

static int on_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct progress *pr = ctx;

	(void)total;
	pr->calls++;
	if (done > pr->max_done)
		pr->max_done = done;
	return pr->cancel;
}

START_TEST(test_bomb_not_read)
{
	struct tmp t;
	fx_spec s;
	pg_pack_opts o;
	pg_pack *p = NULL;
	pg_error err;
	struct progress pr = { 0, 0, 0 };
	struct stat st;

	ck_assert_int_eq(fx_cases[fx_case_find("bomb_gzip")].build(&s), 0);
	tmp_make(&t, "bomb");
	ck_assert_int_eq(fx_write_pack(t.pack, &s), 0);
	ck_assert_int_eq(stat(t.pack, &st), 0);
	pg_pack_opts_init(&o);
	o.progress = on_progress;
	o.progress_ctx = &pr;
	pg_error_clear(&err);
	ck_assert_int_eq(pg_pack_load(t.pack, &o, &p, &err), PG_SIZE_MISMATCH);
	ck_assert_ptr_null(p);
	ck_assert_str_eq(err.path, "model.onnx");
	/* The 1 GiB entry is refused at its header: the loader read no more
	 * than the first few blocks of the 4 MiB compressed stream. */
	ck_assert_uint_lt(pr.max_done, (uint64_t)st.st_size / 4);
	tmp_remove(&t);
	fx_spec_free(&s);
}
END_TEST

START_TEST(test_progress_cancel)
{
	struct tmp t;
	fx_spec s;
	pg_pack_opts o;
	pg_pack *p = NULL;
	pg_error err;
	struct progress pr = { 0, 0, 1 };

	ck_assert_int_eq(fx_spec_good(&s), 0);
	tmp_make(&t, "good");
	ck_assert_int_eq(fx_write_pack(t.pack, &s), 0);
	pg_pack_opts_init(&o);
	o.progress = on_progress;
	o.progress_ctx = &pr;
	o.extract_dir = t.xdir;
	pg_error_clear(&err);
	ck_assert_int_eq(pg_pack_load(t.pack, &o, &p, &err), PG_IO_READ);
	ck_assert_ptr_null(p);
	ck_assert_uint_ge(pr.calls, 1);
	ck_assert_int_eq(dir_count(t.xdir), 0);
	tmp_remove(&t);
	fx_spec_free(&s);
}
END_TEST

START_TEST(test_not_found)
{
	pg_pack_opts o;
	pg_pack *p = NULL;
	pg_error err;

	pg_pack_opts_init(&o);
	pg_error_clear(&err);
	ck_assert_int_eq(pg_pack_load("/nonexistent/dir/pack.mpk", &o, &p, &err), PG_IO_NOT_FOUND);
	ck_assert_ptr_null(p);
}
END_TEST

START_TEST(test_opts_init)
{
	pg_pack_opts o;
	pg_limits d;

	memset(&o, 0x5a, sizeof o);
	pg_pack_opts_init(&o);
	pg_limits_default(&d);
	ck_assert_int_eq(o.mode, PG_PACK_VERIFY);
	ck_assert(memcmp(&o.limits, &d, sizeof d) == 0);
	ck_assert_ptr_null(o.file_types);
	ck_assert_ptr_null(o.extract_dir);
	ck_assert_ptr_null(o.progress);
	/* the section 7 defaults */
	ck_assert_uint_eq(d.archive_bytes, (uint64_t)256 << 30);
	ck_assert_uint_eq(d.entry_bytes, (uint64_t)128 << 30);
	ck_assert_uint_eq(d.total_bytes, (uint64_t)256 << 30);
	ck_assert_uint_eq(d.entries, 10000);
	ck_assert_uint_eq(d.path_bytes, 1024);
	ck_assert_uint_eq(d.segment_bytes, 255);
	ck_assert_uint_eq(d.json_bytes, (uint64_t)16 << 20);
	ck_assert_uint_eq(d.json_depth, 64);
}
END_TEST

START_TEST(test_load_fp)
{
	static const char *const names[] = { "good_gzip", "path_dotdot", "manifest_not_first", "digest_mismatch" };
	struct tmp t;
	fx_spec s;
	pg_pack_opts o;
	pg_pack *p;
	pg_error err;

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const fx_case *c = &fx_cases[fx_case_find(names[i])];
		FILE *f;
		pg_code rc;

		ck_assert_int_eq(c->build(&s), 0);
		tmp_make(&t, c->name);
		ck_assert_int_eq(fx_write_pack(t.pack, &s), 0);
		ck_assert_ptr_nonnull(f = fopen(t.pack, "rb"));
		pg_pack_opts_init(&o);
		pg_error_clear(&err);
		p = NULL;
		rc = pg_pack_load_fp(f, &o, &p, &err);
		ck_assert_msg(rc == c->code, "%s via FILE*: %s", c->name, pg_code_name(rc));
		if (rc == PG_OK)
			ck_assert_str_eq(p->id, spec_id(&s));
		else
			ck_assert_ptr_null(p);
		pg_pack_free(p);
		fclose(f);
		tmp_remove(&t);
		fx_spec_free(&s);
	}
}
END_TEST

START_TEST(test_file_types_option)
{
	/* opts->file_types replaces the default list */
	static const char *const types[] = { ".onnx", ".json", ".md", ".py", NULL };
	struct tmp t;
	fx_spec s;
	pg_pack_opts o;
	pg_pack *p = NULL;
	pg_error err;

	ck_assert_int_eq(fx_cases[fx_case_find("listed_py")].build(&s), 0);
	tmp_make(&t, "py");
	ck_assert_int_eq(fx_write_pack(t.pack, &s), 0);
	pg_pack_opts_init(&o);
	o.file_types = types;
	pg_error_clear(&err);
	ck_assert_int_eq(pg_pack_load(t.pack, &o, &p, &err), PG_OK);
	pg_pack_free(p);
	tmp_remove(&t);
	fx_spec_free(&s);

	/* and .onnx off the list refuses the weights */
	ck_assert_int_eq(fx_spec_good(&s), 0);
	tmp_make(&t, "good");
	ck_assert_int_eq(fx_write_pack(t.pack, &s), 0);
	o.file_types = types + 1;
	pg_error_clear(&err);
	p = NULL;
	ck_assert_int_eq(pg_pack_load(t.pack, &o, &p, &err), PG_ARCHIVE_FILE_TYPE);
	ck_assert_str_eq(err.path, "model.onnx");
	tmp_remove(&t);
	fx_spec_free(&s);
}
END_TEST

/* ------------------------------------------------------------------ the generator */

START_TEST(test_fixtures_deterministic)
{
	static const char *const names[] = { "good_gzip", "good_zstd", "good_pax", "path_bidi_202e",
		"sparse_gnu", "zip_pack" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const fx_case *c = &fx_cases[fx_case_find(names[i])];
		unsigned char *a, *b;
		size_t alen, blen;
		fx_spec s;

		ck_assert_int_eq(c->build(&s), 0);
		ck_assert_int_eq(fx_render(&s, &a, &alen), 0);
		fx_spec_free(&s);
		ck_assert_int_eq(c->build(&s), 0);
		ck_assert_int_eq(fx_render(&s, &b, &blen), 0);
		fx_spec_free(&s);
		ck_assert_msg(alen == blen && memcmp(a, b, alen) == 0, "%s differs between runs", c->name);
		free(a);
		free(b);
	}
}
END_TEST

START_TEST(test_fixtures_table)
{
	for (size_t i = 0; i < fx_ncases; i++) {
		const char *n = fx_cases[i].name;

		ck_assert_int_eq(fx_case_find(n), (int)i);
		ck_assert_uint_eq(strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789_"), strlen(n));
		ck_assert(fx_cases[i].build != NULL);
	}
	ck_assert_int_eq(fx_case_find("no_such_case"), -1);
}
END_TEST

START_TEST(test_fixtures_raw_header)
{
	/* a hand-made entry: 512-byte ustar header with a valid checksum */
	fx_spec s;
	unsigned char *buf;
	size_t len, off;
	unsigned sum = 0;

	ck_assert_int_eq(fx_spec_good(&s), 0);
	s.e[0].flags |= FX_E_RAW;
	ck_assert_int_eq(fx_render(&s, &buf, &len), 0);
	off = fx_data_offset(&s, 0);
	ck_assert_uint_eq(off, 512);
	ck_assert(memcmp(buf, "manifest.json", 14) == 0);
	ck_assert(memcmp(buf + 257, "ustar\0" "00", 8) == 0);
	for (size_t i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : buf[i];
	ck_assert_uint_eq(sum, strtoul((const char *)buf + 148, NULL, 8));
	ck_assert_uint_eq(len % 512, 0);
	free(buf);
	fx_spec_free(&s);
}
END_TEST

START_TEST(test_good_dir)
{
	const fx_member *m;
	size_t n = fx_good_members(&m);
	struct tmp t;
	char path[PATH_MAX * 2];
	FILE *f;
	char buf[8192];
	size_t got;
	cJSON *j;

	tmp_make(&t, "dir");
	ck_assert_int_eq(fx_write_good_dir(t.xdir), 0);
	ck_assert_int_eq(dir_count(t.xdir), (int)n + 1);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", t.xdir, m[i].path);
		assert_file_eq(path, m[i].data, m[i].len);
	}
	snprintf(path, sizeof path, "%s/manifest.json", t.xdir);
	ck_assert_ptr_nonnull(f = fopen(path, "rb"));
	got = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[got] = '\0';
	ck_assert_ptr_nonnull(j = cJSON_Parse(buf));
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(j, "id"));
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(j, "files"));
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "name")),
			 "skill.math.reasoner");
	cJSON_Delete(j);
	tmp_remove(&t);
}
END_TEST

static Suite *pack_suite(void)
{
	Suite *s = suite_create("pack");
	TCase *cases = tcase_create("cases");
	TCase *good = tcase_create("good");
	TCase *gen = tcase_create("generator");

	/* the bomb and the 10,000-entry case take a few seconds to generate */
	tcase_add_unchecked_fixture(cases, base_setup, base_teardown);
	tcase_set_timeout(cases, 120);
	tcase_add_loop_test(cases, test_case_c_locale, 0, (int)fx_ncases);
	tcase_add_loop_test(cases, test_case_utf8_locale, 0, (int)fx_ncases);
	suite_add_tcase(s, cases);

	tcase_add_unchecked_fixture(good, base_setup, base_teardown);
	tcase_set_timeout(good, 60);
	tcase_add_test(good, test_good_verify);
	tcase_add_test(good, test_good_inspect);
	tcase_add_test(good, test_good_compressions_same_id);
	tcase_add_test(good, test_good_signature);
	tcase_add_test(good, test_good_extract);
	tcase_add_test(good, test_large_member_extract);
	tcase_add_test(good, test_bomb_not_read);
	tcase_add_test(good, test_progress_cancel);
	tcase_add_test(good, test_not_found);
	tcase_add_test(good, test_opts_init);
	tcase_add_test(good, test_load_fp);
	tcase_add_test(good, test_file_types_option);
	suite_add_tcase(s, good);

	tcase_add_unchecked_fixture(gen, base_setup, base_teardown);
	tcase_set_timeout(gen, 60);
	tcase_add_test(gen, test_fixtures_deterministic);
	tcase_add_test(gen, test_fixtures_table);
	tcase_add_test(gen, test_fixtures_raw_header);
	tcase_add_test(gen, test_good_dir);
	suite_add_tcase(s, gen);
	return s;
}

int main(void)
{
	return pg_check_run(pack_suite());
}
