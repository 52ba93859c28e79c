/* check_registry.c — the local registry (core/registry.h).
 *
 * Packs are built at test time from directories written here (pg_build);
 * the database is inspected and tampered with through SQLite directly.
 */
#include "pg.h"

#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/file.h>

#include <sqlite3.h>

#include "build.h"
#include "checkrun.h"
#include "digest.h"
#include "lineage.h"
#include "registry.h"
#include "schema.h"
#include "semver.h"

#define SIG "-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCgAdFiEEtest\n=abcd\n-----END PGP SIGNATURE-----\n"
#define FPR "0123456789ABCDEF0123456789ABCDEF01234567"
#define MISSING_ID "sha256:00000000000000000000000000000000000000000000000000000000deadbeef"

/* ------------------------------------------------------------ scaffolding */

static char work[1024];       /* this test's scratch directory */
static char dbpath[1100];     /* work/reg/registry.db */

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	remove(p);
	return 0;
}

static void rm_rf(const char *p)
{
	nftw(p, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(work, sizeof work, "%s/pgreg-XXXXXX", t && *t ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(work));
	snprintf(dbpath, sizeof dbpath, "%s/reg/registry.db", work);
}

static void teardown(void)
{
	if (work[0])
		rm_rf(work);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char p[PATH_MAX];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	f = fopen(p, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	ck_assert_int_eq(fclose(f), 0);
}

/* What a test pack looks like. */
struct spec {
	const char *name;
	const char *version;
	const char *op;          /* NULL: from the parent count */
	const char *parents[3];  /* NULL-terminated */
	const char *created_at;  /* NULL: 2026-06-26T12:00:00Z */
	const char *suite;       /* NULL: "suite-" + name */
	const char *reason;      /* failed-case reason; NULL: none */
	const char *license;     /* NULL: MIT */
	unsigned seed;           /* varies the weights */
	size_t weights;          /* bytes of weights; 0: a short line */
};

/* Builds the pack into work/NAME-VERSION-SEED.mpk; its id into id. */
static void build_pack(const struct spec *sp, char *out, size_t outcap, char id[PG_ID_LEN])
{
	char dir[PATH_MAX], text[8192], parents[512] = "", lparents[1024] = "", suite[160];
	const char *op = sp->op;
	size_t np = 0;
	pg_error err;

	while (np < 3 && sp->parents[np])
		np++;
	if (!op)
		op = np == 0 ? "import" : np == 1 ? "fine-tune" : "merge";
	for (size_t i = 0; i < np; i++) {
		size_t a = strlen(parents), b = strlen(lparents);
		snprintf(parents + a, sizeof parents - a, "%s\"%s\"", i ? "," : "", sp->parents[i]);
		snprintf(lparents + b, sizeof lparents - b, "%s{\"id\":\"%s\"}", i ? "," : "", sp->parents[i]);
	}
	snprintf(suite, sizeof suite, "%s%s", sp->suite ? "" : "suite-", sp->suite ? sp->suite : sp->name);
	snprintf(dir, sizeof dir, "%s/src-%s-%s-%u", work, sp->name, sp->version, sp->seed);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	snprintf(text, sizeof text,
	         "{\"schema_version\":1,\"name\":\"%s\",\"version\":\"%s\",\"created_at\":\"%s\","
	         "\"parents\":[%s],\"operator\":\"%s\",\"input_contract\":\"text-question/v1\","
	         "\"output_contract\":\"worked-answer/v1\",\"runtime\":{\"backend\":\"onnxruntime\"},"
	         "\"resource_profile\":{\"bytes\":1000,\"expected_p95_ms\":10,\"peak_ram_bytes\":2000},"
	         "\"risk_profile\":{\"data_lineage\":\"d\",\"license\":\"reviewed\",\"safety_tier\":\"low\"},"
	         "\"evaluation_card\":\"evaluation-card.json\",\"lifecycle_state\":\"champion\"}",
	         sp->name, sp->version, sp->created_at ? sp->created_at : "2026-06-26T12:00:00Z", parents, op);
	write_file(dir, "manifest.json", text);
	snprintf(text, sizeof text, "ONNX test weights %s %s %u\n", sp->name, sp->version, sp->seed);
	if (sp->weights) {
		char p[PATH_MAX + 16];
		FILE *f;
		uint32_t x = sp->seed;

		snprintf(p, sizeof p, "%s/model.onnx", dir);
		f = fopen(p, "wb");
		ck_assert_ptr_nonnull(f);
		fputs(text, f);
		for (size_t i = strlen(text); i < sp->weights; i++) {
			x = x * 1664525u + 1013904223u;
			fputc((int)(x >> 24), f);
		}
		ck_assert_int_eq(fclose(f), 0);
	} else {
		write_file(dir, "model.onnx", text);
	}
	write_file(dir, "contract.json",
	           "{\"input_contract\":\"text-question/v1\",\"output_contract\":\"worked-answer/v1\","
	           "\"maximum_permissions\":{\"tools\":[\"calculator\"]}}");
	snprintf(text, sizeof text, "{\"parents\":[%s],\"operator\":\"%s\"}", lparents, op);
	write_file(dir, "lineage.json", text);
	snprintf(text, sizeof text,
	         "{\"id\":\"eval-%s\",\"created_at\":\"2026-06-25T00:00:00Z\",\"suites\":[{\"name\":\"%s\","
	         "\"version\":\"1\",\"metrics\":[{\"name\":\"accuracy\",\"value\":0.5}]}]%s%s%s%s}",
	         sp->name, suite, sp->reason ? ",\"failed_cases\":[{\"suite\":\"" : "",
	         sp->reason ? suite : "", sp->reason ? "\",\"case\":\"c-1\",\"reason\":\"" : "",
	         sp->reason ? sp->reason : "");
	if (sp->reason)
		strcat(text, "\"}]}");
	write_file(dir, "evaluation-card.json", text);
	write_file(dir, "permissions.json", "{\"requested\":{\"tools\":[\"calculator\"]}}");
	snprintf(text, sizeof text, "{\"model\":{\"license\":\"%s\"}}", sp->license ? sp->license : "MIT");
	write_file(dir, "license-notice.json", text);
	write_file(dir, "README.md", "# a test pack\n");
	snprintf(out, outcap, "%s/%s-%s-%u.mpk", work, sp->name, sp->version, sp->seed);
	pg_error_clear(&err);
	ck_assert_msg(pg_build(dir, out, PG_COMPRESS_NONE, NULL, id, &err) == PG_OK, "pg_build %s: %s: %s",
	              sp->name, pg_code_name(err.code), err.message);
	rm_rf(dir);
}

/* Builds and imports; returns the id in id. */
static void add_pack(pg_reg *reg, const struct spec *sp, char id[PG_ID_LEN])
{
	char path[PATH_MAX];
	pg_reg_imported res;
	pg_error err;

	build_pack(sp, path, sizeof path, id);
	ck_assert_msg(pg_reg_import(reg, path, NULL, NULL, 0, NULL, &res, &err) == PG_OK, "import %s: %s",
	              sp->name, err.message);
	ck_assert_int_eq(res.is_new, 1);
	ck_assert_str_eq(res.id, id);
	pg_reg_imported_clear(&res);
}

static pg_reg *open_reg(void)
{
	pg_reg *reg = NULL;
	pg_error err;

	ck_assert_msg(pg_reg_open(dbpath, &reg, &err) == PG_OK, "open: %s", err.message);
	return reg;
}

/* Runs SQL on the registry file with a plain SQLite connection. */
static void sql(const char *fmt, ...)
{
	char q[4096];
	va_list ap;
	sqlite3 *db;
	char *msg = NULL;
	int rc;

	va_start(ap, fmt);
	vsnprintf(q, sizeof q, fmt, ap);
	va_end(ap);
	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	rc = sqlite3_exec(db, q, NULL, NULL, &msg);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", q, msg ? msg : "?");
	sqlite3_free(msg);
	sqlite3_close(db);
}

/* First column of the first row as an integer. */
static long long sql_int(const char *q)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	long long v = -1;

	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, q, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void sql_text(const char *q, char *buf, size_t cap)
{
	sqlite3 *db;
	sqlite3_stmt *s;

	buf[0] = '\0';
	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, q, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(buf, cap, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static size_t count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* ------------------------------------------------------------------ open */

START_TEST(test_open_creates)
{
	pg_reg *reg;
	struct stat sb;
	char p[PATH_MAX], buf[64];

	snprintf(dbpath, sizeof dbpath, "%s/a/b/registry.db", work);
	reg = open_reg();
	snprintf(p, sizeof p, "%s/a/b", work);
	ck_assert_str_eq(pg_reg_dir(reg), p);
	ck_assert_int_eq(stat(p, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
	snprintf(p, sizeof p, "%s/a", work);
	ck_assert_int_eq(stat(p, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
	snprintf(p, sizeof p, "%s/a/b/blobs/sha256", work);
	ck_assert_int_eq(stat(p, &sb), 0);
	ck_assert(S_ISDIR(sb.st_mode));
	snprintf(p, sizeof p, "%s/a/b/tmp", work);
	ck_assert_int_eq(stat(p, &sb), 0);
	pg_reg_close(reg);
	sql_text("PRAGMA journal_mode", buf, sizeof buf);
	ck_assert_str_eq(buf, "wal");
	sql_text("SELECT value FROM meta WHERE key = 'schema_version'", buf, sizeof buf);
	ck_assert_str_eq(buf, "1");
	/* Opening again changes nothing. */
	reg = open_reg();
	pg_reg_close(reg);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM packs"), 0);
}
END_TEST

START_TEST(test_open_refuses)
{
	pg_reg *reg = NULL;
	pg_error err;
	char buf[64];
	FILE *f;

	/* A newer schema: refused, untouched. */
	pg_reg_close(open_reg());
	sql("UPDATE meta SET value = '7' WHERE key = 'schema_version'");
	ck_assert_int_eq(pg_reg_open(dbpath, &reg, &err), PG_REGISTRY_CORRUPT);
	ck_assert_ptr_null(reg);
	ck_assert_ptr_nonnull(strstr(err.message, "schema version 7"));
	sql_text("SELECT value FROM meta WHERE key = 'schema_version'", buf, sizeof buf);
	ck_assert_str_eq(buf, "7");

	/* Not a database at all. */
	unlink(dbpath);
	{
		char p[PATH_MAX];
		snprintf(p, sizeof p, "%s-wal", dbpath);
		unlink(p);
		snprintf(p, sizeof p, "%s-shm", dbpath);
		unlink(p);
	}
	f = fopen(dbpath, "wb");
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 512; i++)
		fputs("garbage!", f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(pg_reg_open(dbpath, &reg, &err), PG_REGISTRY_CORRUPT);
	ck_assert_ptr_null(reg);

	/* Some other program's database. */
	unlink(dbpath);
	sql("CREATE TABLE notes (x TEXT)");
	ck_assert_int_eq(pg_reg_open(dbpath, &reg, &err), PG_REGISTRY_CORRUPT);
	ck_assert_ptr_nonnull(strstr(err.message, "not a packgate registry"));
}
END_TEST

/* A writer waiting longer than the busy timeout gets registry.busy. */
START_TEST(test_busy)
{
	pg_reg *reg = open_reg();
	sqlite3 *db;
	pg_error err;

	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(pg_reg_event_add(reg, "note", NULL, "{}", &err), PG_REGISTRY_BUSY);
	ck_assert_int_eq(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	ck_assert_int_eq(pg_reg_event_add(reg, "note", NULL, "{}", &err), PG_OK);
	pg_reg_close(reg);
}
END_TEST

/* ---------------------------------------------------------------- import */

START_TEST(test_import)
{
	struct spec base = { .name = "base.model", .version = "1.0.0" };
	struct spec child = { .name = "skill.child", .version = "0.1.0", .parents = { NULL } };
	char path[PATH_MAX], bid[PG_ID_LEN], cid[PG_ID_LEN], p[PATH_MAX], digest[PG_ID_LEN];
	pg_reg *reg = open_reg();
	pg_reg_imported res;
	pg_reg_pack *pk;
	pg_reg_events ev;
	pg_error err;
	struct stat sb;
	pg_reg_check checks[] = {
		{ "policy.memory", 0, "peak RAM 2000 over the ceiling 1000" },
		{ "policy.backend", 1, "onnxruntime is supported" },
	};
	static const char policy[] = "{\"policy_version\":1}";

	build_pack(&base, path, sizeof path, bid);
	ck_assert_int_eq(pg_reg_import(reg, path, NULL, NULL, 0, NULL, &res, &err), PG_OK);
	ck_assert_int_eq(res.is_new, 1);
	ck_assert_str_eq(res.id, bid);
	ck_assert_str_eq(res.name, "base.model");
	ck_assert_str_eq(res.version, "1.0.0");
	ck_assert_int_eq(res.state, PG_STATE_CANDIDATE); /* the manifest says champion */
	pg_reg_imported_clear(&res);

	/* Again: nothing new. */
	ck_assert_int_eq(pg_reg_import(reg, path, NULL, NULL, 0, NULL, &res, &err), PG_OK);
	ck_assert_int_eq(res.is_new, 0);
	ck_assert_str_eq(res.id, bid);
	ck_assert_int_eq(res.state, PG_STATE_CANDIDATE);
	pg_reg_imported_clear(&res);

	/* A child with checks recorded under a stored policy; its other
	 * parent is not in the registry. */
	ck_assert_int_eq(pg_reg_policy_put(reg, policy, strlen(policy), digest, &err), PG_OK);
	child.parents[0] = bid;
	child.parents[1] = MISSING_ID;
	build_pack(&child, path, sizeof path, cid);
	ck_assert_int_eq(pg_reg_import(reg, path, NULL, checks, 2, "sha256:0000", &res, &err),
	                 PG_REGISTRY_NOT_FOUND);
	/* refused in its transaction, after its blobs were moved in: they
	 * are taken out again, with its scratch directory */
	snprintf(p, sizeof p, "%s/reg/blobs/sha256", work);
	ck_assert_uint_eq(count_entries(p), (size_t)sql_int("SELECT count(DISTINCT sha256) FROM files"));
	snprintf(p, sizeof p, "%s/reg/tmp", work);
	ck_assert_uint_eq(count_entries(p), 0);
	ck_assert_int_eq(pg_reg_import(reg, path, NULL, checks, 2, digest, &res, &err), PG_OK);
	ck_assert_int_eq(res.is_new, 1);
	pg_reg_imported_clear(&res);

	ck_assert_int_eq(pg_reg_show(reg, cid, &pk, &err), PG_OK);
	ck_assert_str_eq(pk->id, cid);
	ck_assert_str_eq(pk->name, "skill.child");
	ck_assert_str_eq(pk->operator, "merge");
	ck_assert_int_eq(pk->state, PG_STATE_CANDIDATE);
	ck_assert_str_eq(pk->policy, digest);
	ck_assert_uint_eq(pk->nfiles, 7);
	ck_assert_uint_eq(pk->ndocs, 5);
	for (size_t i = 0; i < pk->nfiles; i++) {
		char *bp = pg_reg_blob_path(reg, pk->files[i].sha256);
		ck_assert_int_eq(stat(bp, &sb), 0);
		ck_assert_uint_eq((uint64_t)sb.st_size, pk->files[i].size);
		free(bp);
	}
	ck_assert_str_eq(pk->docs[0].role, "contract");
	ck_assert_str_eq(pk->docs[0].canonical,
	                 "{\"input_contract\":\"text-question/v1\",\"maximum_permissions\":"
	                 "{\"tools\":[\"calculator\"]},\"output_contract\":\"worked-answer/v1\"}");
	ck_assert_uint_eq(pk->nparents, 2);
	ck_assert_str_eq(pk->parents[0].id, bid);
	ck_assert_int_eq(pk->parents[0].present, 1);
	ck_assert_str_eq(pk->parents[0].name, "base.model");
	ck_assert_int_eq(pk->parents[0].state, PG_STATE_CANDIDATE);
	ck_assert_str_eq(pk->parents[1].id, MISSING_ID);
	ck_assert_int_eq(pk->parents[1].present, 0);
	ck_assert_ptr_null(pk->parents[1].name);
	ck_assert_int_eq(pk->parents[1].state, -1);
	ck_assert_uint_eq(pk->nchecks, 2);
	ck_assert_str_eq(pk->checks[0].code, "policy.memory");
	ck_assert_int_eq(pk->checks[0].ok, 0);
	ck_assert_str_eq(pk->checks[0].message, "peak RAM 2000 over the ceiling 1000");
	ck_assert_int_eq(pk->checks[1].ok, 1);
	ck_assert_uint_eq(pk->napprovals, 0);
	ck_assert_int_eq(pk->tainted, 0);
	ck_assert_uint_eq(pk->manifest_len, strlen(pk->manifest));
	ck_assert_ptr_nonnull(strstr(pk->manifest, "\"lifecycle_state\":\"champion\""));
	pg_reg_pack_free(pk);

	/* One import event per new pack, none for the repeat. */
	ck_assert_int_eq(pg_reg_events_read(reg, NULL, &ev, &err), PG_OK);
	ck_assert_uint_eq(ev.n, 2);
	ck_assert_str_eq(ev.v[0].kind, "import");
	ck_assert_str_eq(ev.v[0].pack, bid);
	ck_assert_str_eq(ev.v[0].detail, "{\"checks_failed\":0,\"name\":\"base.model\",\"version\":\"1.0.0\"}");
	ck_assert_str_eq(ev.v[1].pack, cid);
	ck_assert_ptr_nonnull(strstr(ev.v[1].detail, "\"checks_failed\":1"));
	pg_reg_events_free(&ev);
	ck_assert_int_eq(pg_reg_events_read(reg, cid, &ev, &err), PG_OK);
	ck_assert_uint_eq(ev.n, 1);
	pg_reg_events_free(&ev);

	/* Scratch directories are gone. */
	snprintf(p, sizeof p, "%s/reg/tmp", work);
	ck_assert_uint_eq(count_entries(p), 0);
	ck_assert_int_eq(pg_reg_show(reg, MISSING_ID, &pk, &err), PG_REGISTRY_NOT_FOUND);
	ck_assert_int_eq(pg_reg_check_integrity(reg, &err), PG_OK);
	pg_reg_close(reg);
}
END_TEST

START_TEST(test_import_refused)
{
	struct spec a = { .name = "same.name", .version = "1.0.0", .seed = 1 };
	struct spec b = { .name = "same.name", .version = "1.0.0", .seed = 2 };
	struct spec c = { .name = "greedy", .version = "1.0.0" };
	char path[PATH_MAX], aid[PG_ID_LEN], bid[PG_ID_LEN], p[PATH_MAX];
	pg_reg *reg = open_reg();
	pg_reg_imported res;
	pg_error err;
	pg_reg_check perm = { "policy.permissions", 0, "tools: shell is not allowed by the contract" };
	FILE *f;

	add_pack(reg, &a, aid);
	build_pack(&b, path, sizeof path, bid);
	ck_assert_str_ne(aid, bid);
	ck_assert_int_eq(pg_reg_import(reg, path, NULL, NULL, 0, NULL, &res, &err), PG_REGISTRY_VERSION_TAKEN);
	ck_assert_ptr_nonnull(strstr(err.message, "same.name@1.0.0"));
	ck_assert_ptr_nonnull(strstr(err.message, aid));

	/* A failed policy.permissions check refuses the import. */
	build_pack(&c, path, sizeof path, bid);
	ck_assert_int_eq(pg_reg_import(reg, path, NULL, &perm, 1, NULL, &res, &err), PG_POLICY_PERMISSIONS);
	ck_assert_str_eq(err.message, "tools: shell is not allowed by the contract");

	/* A broken pack: the loader's code, nothing left behind. */
	snprintf(path, sizeof path, "%s/broken.mpk", work);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs("this is not a tar archive at all, not even close to one", f);
	fclose(f);
	ck_assert_int_eq(pg_reg_import(reg, path, NULL, NULL, 0, NULL, &res, &err), PG_ARCHIVE_INVALID);
	snprintf(path, sizeof path, "%s/absent.mpk", work);
	ck_assert_int_eq(pg_reg_import(reg, path, NULL, NULL, 0, NULL, &res, &err), PG_IO_NOT_FOUND);

	ck_assert_int_eq(sql_int("SELECT count(*) FROM packs"), 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM events"), 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM files"), 7);
	snprintf(p, sizeof p, "%s/reg/tmp", work);
	ck_assert_uint_eq(count_entries(p), 0);
	/* the refused packs left no blob behind (b's weights differ from a's) */
	snprintf(p, sizeof p, "%s/reg/blobs/sha256", work);
	ck_assert_uint_eq(count_entries(p), (size_t)sql_int("SELECT count(DISTINCT sha256) FROM files"));
	pg_reg_close(reg);
}
END_TEST

/* Staging lets the caller look at the loaded pack first. */
START_TEST(test_import_staged)
{
	struct spec a = { .name = "staged", .version = "2.0.0" };
	char path[PATH_MAX], id[PG_ID_LEN], p[PATH_MAX];
	pg_reg *reg = open_reg();
	pg_reg_staged *st;
	pg_reg_imported res;
	pg_error err;

	build_pack(&a, path, sizeof path, id);
	ck_assert_int_eq(pg_reg_stage(reg, path, NULL, &st, &err), PG_OK);
	ck_assert_str_eq(pg_reg_staged_pack(st)->id, id);
	snprintf(p, sizeof p, "%s/reg/tmp", work);
	ck_assert_uint_eq(count_entries(p), 1);
	pg_reg_staged_free(st);
	ck_assert_uint_eq(count_entries(p), 0);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM packs"), 0);

	ck_assert_int_eq(pg_reg_stage(reg, path, NULL, &st, &err), PG_OK);
	ck_assert_int_eq(pg_reg_import_staged(reg, st, NULL, 0, NULL, &res, &err), PG_OK);
	ck_assert_int_eq(res.is_new, 1);
	pg_reg_imported_clear(&res);
	ck_assert_uint_eq(count_entries(p), 0);
	pg_reg_close(reg);
}
END_TEST

/* An import that died between moving its blobs into the store and its
 * commit left its scratch directory and a journal of the blobs it moved:
 * the next open removes those no pack refers to, but only while no live
 * import holds the blob lock (one may be about to refer to them). */
START_TEST(test_sweep_dead_import)
{
	struct spec a = { .name = "kept", .version = "1.0.0" };
	static const char orphan[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	static const char cut[] = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
	char id[PG_ID_LEN], used[80], tmp[PATH_MAX], blobs[PATH_MAX], path[PATH_MAX * 2], journal[512];
	struct stat sb;
	pg_reg *reg = open_reg();
	pg_error err;
	int lockfd;

	add_pack(reg, &a, id);
	pg_reg_close(reg);
	sql_text("SELECT sha256 FROM files ORDER BY sha256 LIMIT 1", used, sizeof used);
	ck_assert_uint_eq(strlen(used), 64);
	snprintf(tmp, sizeof tmp, "%s/reg/tmp", work);
	snprintf(blobs, sizeof blobs, "%s/reg/blobs/sha256", work);
	write_file(blobs, orphan, "moved in, never committed");
	write_file(blobs, cut, "named only on the journal's cut last line");
	snprintf(path, sizeof path, "%s/imp-dead01", tmp);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	write_file(path, "model.onnx", "left over");
	snprintf(journal, sizeof journal, "%s\nnot a blob name\n%s\n../registry.db\n%s", orphan, used, cut);
	write_file(tmp, "imp-dead01.moved", journal);
	snprintf(path, sizeof path, "%s/imp-dead02", tmp); /* died before moving */
	ck_assert_int_eq(mkdir(path, 0700), 0);

	/* a live import between moving and committing: nothing is collected */
	lockfd = open(blobs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(lockfd, 0);
	ck_assert_int_eq(flock(lockfd, LOCK_SH), 0);
	reg = open_reg();
	pg_reg_close(reg);
	ck_assert_uint_eq(count_entries(tmp), 2); /* imp-dead01 and its journal */
	snprintf(path, sizeof path, "%s/%s", blobs, orphan);
	ck_assert_int_eq(stat(path, &sb), 0);
	close(lockfd);

	/* none: the unreferenced blob it names goes, the rest stays */
	reg = open_reg();
	pg_reg_close(reg);
	ck_assert_uint_eq(count_entries(tmp), 0);
	snprintf(path, sizeof path, "%s/%s", blobs, orphan);
	ck_assert_int_eq(stat(path, &sb), -1);
	snprintf(path, sizeof path, "%s/%s", blobs, used);
	ck_assert_int_eq(stat(path, &sb), 0);
	snprintf(path, sizeof path, "%s/%s", blobs, cut);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(stat(dbpath, &sb), 0);
	ck_assert_uint_eq(count_entries(blobs), (size_t)sql_int("SELECT count(DISTINCT sha256) FROM files") + 1);
	reg = open_reg();
	ck_assert_int_eq(pg_reg_check_integrity(reg, &err), PG_OK);
	pg_reg_close(reg);
}
END_TEST

/* ------------------------------------------------------------------- REF */

struct ref_case {
	const char *ref;     /* "%s" is replaced by a pack's id where used */
	pg_code code;
	int want;            /* index into the ids, -1 for none */
};

START_TEST(test_resolve)
{
	static const struct spec specs[] = {
		{ .name = "alpha", .version = "1.2.0" },
		{ .name = "alpha", .version = "1.10.0" },
		{ .name = "alpha", .version = "1.9.0" },
		{ .name = "alpha", .version = "1.10.0-rc.1" },
		{ .name = "beta", .version = "0.1.0" },
	};
	char ids[5][PG_ID_LEN], id[PG_ID_LEN], ref[128];
	pg_reg *reg = open_reg();
	pg_error err;

	for (size_t i = 0; i < 5; i++)
		add_pack(reg, &specs[i], ids[i]);
	sql("UPDATE packs SET state = 'champion' WHERE id = '%s';"
	    "UPDATE packs SET state = 'canary' WHERE id = '%s'", ids[0], ids[4]);

	/* Full ids, prefixes, with and without sha256:, any case. */
	ck_assert_int_eq(pg_reg_resolve(reg, ids[2], id, &err), PG_OK);
	ck_assert_str_eq(id, ids[2]);
	snprintf(ref, sizeof ref, "%.12s", ids[3] + 7);
	ck_assert_int_eq(pg_reg_resolve(reg, ref, id, &err), PG_OK);
	ck_assert_str_eq(id, ids[3]);
	snprintf(ref, sizeof ref, "%.19s", ids[3]);
	ck_assert_int_eq(pg_reg_resolve(reg, ref, id, &err), PG_OK);
	ck_assert_str_eq(id, ids[3]);
	snprintf(ref, sizeof ref, "%.64s", ids[1] + 7);
	ck_assert_int_eq(pg_reg_resolve(reg, ref, id, &err), PG_OK);
	ck_assert_str_eq(id, ids[1]);
	for (char *c = ref; *c; c++)
		if (*c >= 'a' && *c <= 'f')
			*c = (char)(*c - 'a' + 'A');
	ck_assert_int_eq(pg_reg_resolve(reg, ref, id, &err), PG_OK);
	ck_assert_str_eq(id, ids[1]);
	/* Too short a prefix. */
	snprintf(ref, sizeof ref, "%.11s", ids[0] + 7);
	ck_assert_int_eq(pg_reg_resolve(reg, ref, id, &err), PG_REGISTRY_NOT_FOUND);
	ck_assert_ptr_nonnull(strstr(err.message, "NAME@VERSION"));
	ck_assert_int_eq(pg_reg_resolve(reg, "sha256:ffffffffffffffffff", id, &err), PG_REGISTRY_NOT_FOUND);
	ck_assert_int_eq(pg_reg_resolve(reg, MISSING_ID, id, &err), PG_REGISTRY_NOT_FOUND);

	/* Names. */
	ck_assert_int_eq(pg_reg_resolve(reg, "alpha@1.9.0", id, &err), PG_OK);
	ck_assert_str_eq(id, ids[2]);
	ck_assert_int_eq(pg_reg_resolve(reg, "alpha@1.10.0-rc.1", id, &err), PG_OK);
	ck_assert_str_eq(id, ids[3]);
	ck_assert_int_eq(pg_reg_resolve(reg, "alpha@3.0.0", id, &err), PG_REGISTRY_NOT_FOUND);
	ck_assert_int_eq(pg_reg_resolve(reg, "alpha:latest", id, &err), PG_OK);
	ck_assert_str_eq(id, ids[1]); /* 1.10.0 > 1.10.0-rc.1 > 1.9.0 > 1.2.0 */
	ck_assert_int_eq(pg_reg_resolve(reg, "alpha:champion", id, &err), PG_OK);
	ck_assert_str_eq(id, ids[0]);
	ck_assert_int_eq(pg_reg_resolve(reg, "alpha:canary", id, &err), PG_REGISTRY_NOT_FOUND);
	ck_assert_int_eq(pg_reg_resolve(reg, "beta:canary", id, &err), PG_OK);
	ck_assert_str_eq(id, ids[4]);
	ck_assert_int_eq(pg_reg_resolve(reg, "beta:latest", id, &err), PG_OK);
	ck_assert_str_eq(id, ids[4]);
	ck_assert_int_eq(pg_reg_resolve(reg, "gamma:latest", id, &err), PG_REGISTRY_NOT_FOUND);

	/* Not a REF at all. */
	{
		static const char *const bad[] = {
			"", "alpha", "alpha:stable", "alpha:", "@1.0.0", "Alpha@1.2.0", "sha256:",
			"sha256:xyz", "sha256@1.0.0", "al pha@1.0.0", "alpha:latest:x",
		};
		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			ck_assert_msg(pg_reg_resolve(reg, bad[i], id, &err) == PG_REGISTRY_NOT_FOUND, "%s", bad[i]);
			ck_assert_str_eq(id, "");
		}
	}

	/* Two ids sharing 12 hex digits cannot be made by building packs;
	 * put two such rows in directly. */
	sql("INSERT INTO packs(id, name, version, version_key, created_at, created_key, operator, state, "
	    "imported_at) VALUES "
	    "('sha256:abcdefabcdef0000000000000000000000000000000000000000000000000001', 'x', '1.0.0', "
	    "'111111110~', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.', 'import', 'candidate', "
	    "'2026-01-01T00:00:00Z'), "
	    "('sha256:abcdefabcdef1000000000000000000000000000000000000000000000000002', 'x', '2.0.0', "
	    "'112111110~', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.', 'import', 'candidate', "
	    "'2026-01-01T00:00:00Z')");
	ck_assert_int_eq(pg_reg_resolve(reg, "abcdefabcdef", id, &err), PG_REGISTRY_AMBIGUOUS);
	ck_assert_ptr_nonnull(strstr(err.message,
		"sha256:abcdefabcdef0000000000000000000000000000000000000000000000000001 (x@1.0.0)"));
	ck_assert_ptr_nonnull(strstr(err.message,
		"sha256:abcdefabcdef1000000000000000000000000000000000000000000000000002 (x@2.0.0)"));
	ck_assert_ptr_nonnull(strstr(err.message, "2 packs"));
	ck_assert_int_eq(pg_reg_resolve(reg, "sha256:ABCDEFABCDEF", id, &err), PG_REGISTRY_AMBIGUOUS);
	ck_assert_int_eq(pg_reg_resolve(reg, "abcdefabcdef1", id, &err), PG_OK);
	ck_assert_str_eq(id, "sha256:abcdefabcdef1000000000000000000000000000000000000000000000000002");
	ck_assert_int_eq(pg_reg_resolve(reg, "abcdefabcdef2", id, &err), PG_REGISTRY_NOT_FOUND);
	pg_reg_close(reg);
}
END_TEST

/* The version sort key orders exactly as pg_semver_cmp. */
START_TEST(test_version_key)
{
	static const char *const v[] = {
		"0.0.0", "0.0.1", "0.1.0", "0.9.0", "0.10.0", "1.0.0-0", "1.0.0-1", "1.0.0-2",
		"1.0.0-10", "1.0.0-a", "1.0.0-a.1", "1.0.0-a.b", "1.0.0-a-b", "1.0.0-alpha",
		"1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
		"1.0.0-rc.1", "1.0.0-A", "1.0.0-Z.9", "1.0.0-0a", "1.0.0-1.0", "1.0.0", "1.0.0+build.1",
		"1.0.1", "1.2.0", "1.9.0", "1.10.0", "1.10.0-rc.1", "2.0.0", "10.0.0", "123456789012345678901.0.0",
		"99999999999999999999.0.0", "1.0.0-99999999999999999999", "1.0.0-100000000000000000000",
		"not-a-version", "1.0", "",
	};
	size_t n = sizeof v / sizeof v[0];

	for (size_t i = 0; i < n; i++) {
		char *ki = pg_reg_version_key(v[i]);
		ck_assert_ptr_nonnull(ki);
		for (size_t j = 0; j < n; j++) {
			char *kj = pg_reg_version_key(v[j]);
			int a = strcmp(ki, kj), b = pg_semver_cmp(v[i], v[j]);
			ck_assert_ptr_nonnull(kj);
			a = (a > 0) - (a < 0);
			ck_assert_msg(a == b, "%s vs %s: key says %d, semver %d", v[i], v[j], a, b);
			free(kj);
		}
		free(ki);
	}
}
END_TEST

/* ------------------------------------------------------------------ list */

static const struct spec list_specs[] = {
	{ .name = "alpha", .version = "1.0.0", .created_at = "2026-01-01T00:00:00Z", .suite = "gsm8k",
	  .license = "Apache-2.0", .reason = "arithmetic slip in step 3" },
	{ .name = "alpha", .version = "1.10.0", .op = "fine-tune", .created_at = "2026-03-01T00:00:00Z",
	  .suite = "mmlu", .reason = "wrong format" },
	{ .name = "alpha", .version = "1.9.0", .op = "distill", .created_at = "2026-02-01T00:00:00.500Z",
	  .suite = "hellaswag" },
	{ .name = "beta", .version = "0.1.0", .created_at = "2026-02-01T00:00:00Z", .suite = "humaneval",
	  .license = "GPL-3.0-only" },
	{ .name = "beta", .version = "0.2.0-rc.1", .op = "quantize", .created_at = "2025-12-31T23:59:59Z",
	  .suite = "mbpp" },
	{ .name = "gamma.v2", .version = "2.0.0", .created_at = "2026-04-01T00:00:00Z", .suite = "arc" },
};

/* Imports list_specs with their parents; ids into ids. */
static void list_fixture(pg_reg *reg, char ids[6][PG_ID_LEN])
{
	for (size_t i = 0; i < 6; i++) {
		struct spec sp = list_specs[i];
		if (i == 1 || i == 2)
			sp.parents[0] = ids[0];
		if (i == 4)
			sp.parents[0] = ids[3];
		if (i == 5) {
			sp.parents[0] = ids[0];
			sp.parents[1] = ids[3];
		}
		add_pack(reg, &sp, ids[i]);
	}
	sql("UPDATE packs SET state = 'approved' WHERE id = '%s';"
	    "UPDATE packs SET state = 'champion' WHERE id = '%s'", ids[2], ids[3]);
}

struct list_case {
	const char *what;
	int state;
	const char *name;
	const char *search;
	pg_reg_sort sort;
	int desc;
	int64_t limit;
	uint64_t offset;
	int want[7];   /* indexes into list_specs, -1 ends */
};

static const struct list_case list_cases[] = {
	{ "default", -1, NULL, NULL, PG_REG_SORT_NAME, 0, -1, 0, { 0, 2, 1, 3, 4, 5, -1 } },
	{ "name desc", -1, NULL, NULL, PG_REG_SORT_NAME, 1, -1, 0, { 5, 4, 3, 1, 2, 0, -1 } },
	{ "version", -1, NULL, NULL, PG_REG_SORT_VERSION, 0, -1, 0, { 3, 4, 0, 2, 1, 5, -1 } },
	{ "state", -1, NULL, NULL, PG_REG_SORT_STATE, 0, -1, 0, { 0, 1, 4, 5, 2, 3, -1 } },
	{ "created_at", -1, NULL, NULL, PG_REG_SORT_CREATED_AT, 0, -1, 0, { 4, 0, 3, 2, 1, 5, -1 } },
	{ "operator", -1, NULL, NULL, PG_REG_SORT_OPERATOR, 0, -1, 0, { 2, 1, 0, 3, 5, 4, -1 } },
	{ "limit offset", -1, NULL, NULL, PG_REG_SORT_NAME, 0, 2, 1, { 2, 1, -1 } },
	{ "limit 0", -1, NULL, NULL, PG_REG_SORT_NAME, 0, 0, 0, { -1 } },
	{ "offset past end", -1, NULL, NULL, PG_REG_SORT_NAME, 0, -1, 6, { -1 } },
	{ "state filter", PG_STATE_CANDIDATE, NULL, NULL, PG_REG_SORT_NAME, 0, -1, 0, { 0, 1, 4, 5, -1 } },
	{ "state none", PG_STATE_RETIRED, NULL, NULL, PG_REG_SORT_NAME, 0, -1, 0, { -1 } },
	{ "name filter", -1, "beta", NULL, PG_REG_SORT_NAME, 0, -1, 0, { 3, 4, -1 } },
	{ "name is exact", -1, "alph", NULL, PG_REG_SORT_NAME, 0, -1, 0, { -1 } },
	{ "suite", -1, NULL, "gsm8k", PG_REG_SORT_NAME, 0, -1, 0, { 0, -1 } },
	{ "license", -1, NULL, "apache", PG_REG_SORT_NAME, 0, -1, 0, { 0, -1 } },
	{ "license id", -1, NULL, "GPL-3.0-only", PG_REG_SORT_NAME, 0, -1, 0, { 3, -1 } },
	{ "failed case", -1, NULL, "arith", PG_REG_SORT_NAME, 0, -1, 0, { 0, -1 } },
	{ "failed format", -1, NULL, "format", PG_REG_SORT_NAME, 0, -1, 0, { 1, -1 } },
	{ "contract", -1, NULL, "text-question", PG_REG_SORT_VERSION, 0, -1, 0, { 3, 4, 0, 2, 1, 5, -1 } },
	{ "name words", -1, NULL, "ALPHA", PG_REG_SORT_NAME, 0, -1, 0, { 0, 2, 1, -1 } },
	{ "name dotted", -1, NULL, "gamma.v2", PG_REG_SORT_NAME, 0, -1, 0, { 5, -1 } },
	{ "operator word", -1, NULL, "quant", PG_REG_SORT_NAME, 0, -1, 0, { 4, -1 } },
	{ "and", -1, NULL, "alpha  fine", PG_REG_SORT_NAME, 0, -1, 0, { 1, -1 } },
	{ "search and state", PG_STATE_APPROVED, NULL, "alpha", PG_REG_SORT_NAME, 0, -1, 0, { 2, -1 } },
	{ "search and name", -1, "beta", "import", PG_REG_SORT_NAME, 0, -1, 0, { 3, -1 } },
	{ "blank search", -1, NULL, " \t ", PG_REG_SORT_NAME, 0, 1, 0, { 0, -1 } },
	/* FTS5 syntax in the text is plain text. */
	{ "quote", -1, NULL, "\"", PG_REG_SORT_NAME, 0, -1, 0, { -1 } },
	{ "quotes", -1, NULL, "\"alpha\"", PG_REG_SORT_NAME, 0, -1, 0, { 0, 2, 1, -1 } },
	{ "star", -1, NULL, "*", PG_REG_SORT_NAME, 0, -1, 0, { -1 } },
	{ "minus", -1, NULL, "-alpha", PG_REG_SORT_NAME, 0, -1, 0, { 0, 2, 1, -1 } },
	{ "near", -1, NULL, "NEAR(alpha beta)", PG_REG_SORT_NAME, 0, -1, 0, { -1 } },
	{ "near open", -1, NULL, "NEAR(", PG_REG_SORT_NAME, 0, -1, 0, { -1 } },
	{ "or", -1, NULL, "alpha OR beta", PG_REG_SORT_NAME, 0, -1, 0, { -1 } },
	{ "not", -1, NULL, "alpha NOT beta", PG_REG_SORT_NAME, 0, -1, 0, { -1 } },
	{ "column filter", -1, NULL, "name:alpha", PG_REG_SORT_NAME, 0, -1, 0, { -1 } },
	{ "column word", -1, NULL, "alpha:", PG_REG_SORT_NAME, 0, -1, 0, { 0, 2, 1, -1 } },
	{ "caret braces", -1, NULL, "^{alpha} (", PG_REG_SORT_NAME, 0, -1, 0, { 0, 2, 1, -1 } },
	{ "unterminated", -1, NULL, "\"alpha", PG_REG_SORT_NAME, 0, -1, 0, { 0, 2, 1, -1 } },
};

START_TEST(test_list)
{
	const struct list_case *c = &list_cases[_i];
	char ids[6][PG_ID_LEN];
	pg_reg *reg = open_reg();
	pg_reg_query q;
	pg_reg_rows rows;
	uint64_t count;
	size_t want = 0;
	pg_error err;

	list_fixture(reg, ids);
	pg_reg_query_init(&q);
	q.state = c->state;
	q.name = c->name;
	q.search = c->search;
	q.sort = c->sort;
	q.descending = c->desc;
	q.limit = c->limit;
	q.offset = c->offset;
	ck_assert_msg(pg_reg_list(reg, &q, &rows, &err) == PG_OK, "%s: %s", c->what, err.message);
	while (c->want[want] >= 0)
		want++;
	ck_assert_msg(rows.n == want, "%s: %zu rows, want %zu", c->what, rows.n, want);
	for (size_t i = 0; i < want; i++) {
		const struct spec *sp = &list_specs[c->want[i]];
		ck_assert_msg(strcmp(rows.v[i].id, ids[c->want[i]]) == 0, "%s: row %zu is %s %s, want %s %s",
		              c->what, i, rows.v[i].name, rows.v[i].version, sp->name, sp->version);
		ck_assert_str_eq(rows.v[i].name, sp->name);
		ck_assert_str_eq(rows.v[i].version, sp->version);
		ck_assert_str_eq(rows.v[i].created_at, sp->created_at);
		ck_assert_int_eq(rows.v[i].tainted, 0);
	}
	pg_reg_rows_free(&rows);
	ck_assert_int_eq(pg_reg_count(reg, &q, &count, &err), PG_OK);
	if (c->limit < 0 && c->offset == 0)
		ck_assert_uint_eq(count, want);
	pg_reg_close(reg);
}
END_TEST

START_TEST(test_list_rows)
{
	char ids[6][PG_ID_LEN];
	pg_reg *reg = open_reg();
	pg_reg_query q;
	pg_reg_rows rows;
	pg_error err;

	list_fixture(reg, ids);
	ck_assert_int_eq(pg_reg_sort_parse("name"), PG_REG_SORT_NAME);
	ck_assert_int_eq(pg_reg_sort_parse("version"), PG_REG_SORT_VERSION);
	ck_assert_int_eq(pg_reg_sort_parse("state"), PG_REG_SORT_STATE);
	ck_assert_int_eq(pg_reg_sort_parse("created_at"), PG_REG_SORT_CREATED_AT);
	ck_assert_int_eq(pg_reg_sort_parse("operator"), PG_REG_SORT_OPERATOR);
	ck_assert_int_eq(pg_reg_sort_parse("id; DROP TABLE packs"), -1);
	ck_assert_int_eq(pg_reg_sort_parse("Name"), -1);
	/* Taint shows in the list: quarantine alpha 1.0.0. */
	sql("UPDATE packs SET state = 'quarantined' WHERE id = '%s'", ids[0]);
	pg_reg_query_init(&q);
	ck_assert_int_eq(pg_reg_list(reg, &q, &rows, &err), PG_OK);
	ck_assert_uint_eq(rows.n, 6);
	/* name order: alpha 1.0.0, 1.9.0, 1.10.0, beta 0.1.0, 0.2.0-rc.1, gamma.v2 */
	ck_assert_int_eq(rows.v[0].state, PG_STATE_QUARANTINED);
	ck_assert_int_eq(rows.v[0].tainted, 0);
	ck_assert_int_eq(rows.v[1].tainted, 1);
	ck_assert_int_eq(rows.v[2].tainted, 1);
	ck_assert_int_eq(rows.v[3].tainted, 0);
	ck_assert_int_eq(rows.v[4].tainted, 0);
	ck_assert_int_eq(rows.v[5].tainted, 1);
	ck_assert_str_eq(rows.v[1].operator, "distill");
	ck_assert_int_eq(rows.v[1].state, PG_STATE_APPROVED);
	pg_reg_rows_free(&rows);
	pg_reg_close(reg);
}
END_TEST

/* An approval statement by signer (placeholder statement and signature:
 * the registry does not read them). */
static void approve_by(pg_reg *reg, const char *pack, const char *signer, const char *decision,
                       const char *target)
{
	pg_reg_approval_in a;
	char text[160];
	pg_error err;

	snprintf(text, sizeof text, "{\"pack\":\"%s\",\"signer\":\"%s\",\"target\":\"%s\"}", pack, signer, target);
	memset(&a, 0, sizeof a);
	a.st.statement = text;
	a.st.statement_len = strlen(text);
	a.st.signature = SIG;
	a.st.signer = signer;
	a.pack = pack;
	a.decision = decision;
	a.target = target;
	a.role = "reviewer";
	a.signed_at = "2026-11-22T10:00:00Z";
	ck_assert_msg(pg_reg_append_approval(reg, &a, NULL, &err) == PG_OK, "approve: %s", err.message);
}

#define FPR2 "89ABCDEF0123456789ABCDEF0123456789ABCDEF"
#define ST(s) (1u << (s))
#define CAND_EVAL (ST(PG_STATE_CANDIDATE) | ST(PG_STATE_EVALUATED))

/* "Awaiting review": a state set and the packs a signer has not reviewed. */
struct review_case {
	const char *what;
	unsigned states;
	const char *by;
	int state;
	const char *name;
	const char *search;
	int desc;
	int64_t limit;
	uint64_t offset;
	uint64_t count;  /* what pg_reg_count says */
	int want[7];     /* indexes into list_specs, -1 ends */
};

static const struct review_case review_cases[] = {
	{ "no filter", 0, NULL, -1, NULL, NULL, 0, -1, 0, 6, { 0, 2, 1, 3, 4, 5, -1 } },
	{ "candidate or evaluated", CAND_EVAL, NULL, -1, NULL, NULL, 0, -1, 0, 4, { 0, 1, 4, 5, -1 } },
	{ "one state in the set", ST(PG_STATE_CHAMPION), NULL, -1, NULL, NULL, 0, -1, 0, 1, { 3, -1 } },
	{ "set and state", CAND_EVAL, NULL, PG_STATE_EVALUATED, NULL, NULL, 0, -1, 0, 1, { 5, -1 } },
	{ "set and another state", CAND_EVAL, NULL, PG_STATE_APPROVED, NULL, NULL, 0, -1, 0, 0, { -1 } },
	{ "bits of no state", 1u << 20, NULL, -1, NULL, NULL, 0, -1, 0, 0, { -1 } },
	{ "every state", 0x1ffu, NULL, -1, NULL, NULL, 1, -1, 0, 6, { 5, 4, 3, 1, 2, 0, -1 } },
	/* FPR approved alpha 1.0.0 and alpha 1.9.0 (approved state) */
	{ "awaiting FPR", CAND_EVAL, FPR, -1, NULL, NULL, 0, -1, 0, 3, { 1, 4, 5, -1 } },
	{ "fingerprint case", CAND_EVAL, "0123456789abcdef0123456789abcdef01234567", -1, NULL, NULL, 0, -1, 0, 3,
	  { 1, 4, 5, -1 } },
	/* FPR2 rejected alpha 1.10.0: a rejection is a review too */
	{ "awaiting FPR2", CAND_EVAL, FPR2, -1, NULL, NULL, 0, -1, 0, 3, { 0, 4, 5, -1 } },
	{ "unreviewed, any state", 0, FPR, -1, NULL, NULL, 0, -1, 0, 4, { 1, 3, 4, 5, -1 } },
	{ "nobody's reviews", CAND_EVAL, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", -1, NULL, NULL, 0, -1, 0, 4,
	  { 0, 1, 4, 5, -1 } },
	{ "awaiting, one state", 0, FPR, PG_STATE_CANDIDATE, NULL, NULL, 0, -1, 0, 2, { 1, 4, -1 } },
	{ "awaiting, name", CAND_EVAL, FPR2, -1, "alpha", NULL, 0, -1, 0, 1, { 0, -1 } },
	{ "awaiting, search", 0, FPR, -1, NULL, "alpha", 0, -1, 0, 1, { 1, -1 } },
	{ "set and search", CAND_EVAL | ST(PG_STATE_APPROVED), NULL, -1, NULL, "alpha", 0, -1, 0, 3, { 0, 2, 1, -1 } },
	{ "window", CAND_EVAL, FPR, -1, NULL, NULL, 0, 1, 1, 3, { 4, -1 } },
	{ "window past the end", CAND_EVAL, FPR, -1, NULL, NULL, 0, 2, 3, 3, { -1 } },
};

START_TEST(test_list_review)
{
	const struct review_case *c = &review_cases[_i];
	char ids[6][PG_ID_LEN];
	pg_reg *reg = open_reg();
	pg_reg_query q;
	pg_reg_rows rows;
	uint64_t count = 99;
	size_t want = 0;
	pg_error err;

	list_fixture(reg, ids);
	sql("UPDATE packs SET state = 'evaluated' WHERE id = '%s'", ids[5]);
	approve_by(reg, ids[0], FPR, "approve", "approved");
	approve_by(reg, ids[2], FPR, "approve", "champion");
	approve_by(reg, ids[1], FPR2, "reject", "approved");
	pg_reg_query_init(&q);
	ck_assert_uint_eq(q.states, 0);
	ck_assert_ptr_null(q.unreviewed_by);
	q.states = c->states;
	q.unreviewed_by = c->by;
	q.state = c->state;
	q.name = c->name;
	q.search = c->search;
	q.descending = c->desc;
	q.limit = c->limit;
	q.offset = c->offset;
	ck_assert_msg(pg_reg_list(reg, &q, &rows, &err) == PG_OK, "%s: %s", c->what, err.message);
	while (c->want[want] >= 0)
		want++;
	ck_assert_msg(rows.n == want, "%s: %zu rows, want %zu", c->what, rows.n, want);
	for (size_t i = 0; i < want; i++)
		ck_assert_msg(strcmp(rows.v[i].id, ids[c->want[i]]) == 0, "%s: row %zu is %s %s", c->what, i,
		              rows.v[i].name, rows.v[i].version);
	pg_reg_rows_free(&rows);
	ck_assert_int_eq(pg_reg_count(reg, &q, &count, &err), PG_OK);
	ck_assert_msg(count == c->count, "%s: count %llu, want %llu", c->what, (unsigned long long)count,
	              (unsigned long long)c->count);
	/* the same handle answers a query of another shape next */
	pg_reg_query_init(&q);
	ck_assert_int_eq(pg_reg_count(reg, &q, &count, &err), PG_OK);
	ck_assert_uint_eq(count, 6);
	pg_reg_close(reg);
}
END_TEST

START_TEST(test_doc_get)
{
	struct spec sp = { .name = "docs", .version = "1.0.0", .license = "Apache-2.0" };
	char id[PG_ID_LEN];
	pg_reg *reg = open_reg();
	pg_reg_pack *p = NULL;
	pg_reg_doc d;
	pg_error err;
	int found = 0;

	add_pack(reg, &sp, id);
	ck_assert_int_eq(pg_reg_show(reg, id, &p, &err), PG_OK);
	/* every document of the pack, byte for byte as pg_reg_show has it */
	for (size_t i = 0; i < p->ndocs; i++) {
		ck_assert_int_eq(pg_reg_doc_get(reg, id, p->docs[i].role, &d, &err), PG_OK);
		ck_assert_str_eq(d.role, p->docs[i].role);
		ck_assert_str_eq(d.path, p->docs[i].path);
		ck_assert_uint_eq(d.len, p->docs[i].len);
		ck_assert_uint_eq(strlen(d.canonical), d.len);
		ck_assert_int_eq(memcmp(d.canonical, p->docs[i].canonical, d.len), 0);
		found += !strcmp(d.role, "license-notice");
		pg_reg_doc_clear(&d);
		ck_assert_ptr_null(d.canonical);
	}
	ck_assert_int_eq(found, 1);
	ck_assert_int_eq(pg_reg_doc_get(reg, id, "license-notice", &d, &err), PG_OK);
	ck_assert_str_eq(d.path, "license-notice.json");
	ck_assert_str_eq(d.canonical, "{\"model\":{\"license\":\"Apache-2.0\"}}");
	pg_reg_doc_clear(&d);
	/* a role the pack has no document of: nothing, and no error */
	memset(&d, 0xff, sizeof d);
	ck_assert_int_eq(pg_reg_doc_get(reg, id, "rollback", &d, &err), PG_OK);
	ck_assert_ptr_null(d.canonical);
	ck_assert_ptr_null(d.role);
	ck_assert_ptr_null(d.path);
	ck_assert_uint_eq(d.len, 0);
	ck_assert_int_eq(pg_reg_doc_get(reg, id, "weights", &d, &err), PG_OK);
	ck_assert_ptr_null(d.canonical);
	/* an unknown pack */
	memset(&d, 0xff, sizeof d);
	ck_assert_int_eq(pg_reg_doc_get(reg, MISSING_ID, "evaluation-card", &d, &err), PG_REGISTRY_NOT_FOUND);
	ck_assert_str_eq(err.message, MISSING_ID ": not in the registry");
	ck_assert_ptr_null(d.canonical);
	pg_reg_doc_clear(NULL);
	pg_reg_pack_free(p);
	pg_reg_close(reg);
}
END_TEST

/* --------------------------------------------------------------- lineage */

START_TEST(test_lineage)
{
	struct spec s_base = { .name = "base", .version = "1.0.0" };
	struct spec s_mid = { .name = "mid", .version = "1.0.0" };
	struct spec s_top = { .name = "top", .version = "1.0.0", .op = "distill" };
	struct spec s_other = { .name = "other", .version = "1.0.0" };
	struct spec s_merged = { .name = "merged", .version = "1.0.0" };
	struct spec s_orphan = { .name = "orphan", .version = "1.0.0", .parents = { MISSING_ID } };
	char base[PG_ID_LEN], mid[PG_ID_LEN], top[PG_ID_LEN], other[PG_ID_LEN], merged[PG_ID_LEN];
	char orphan[PG_ID_LEN];
	pg_reg *reg = open_reg();
	pg_lin_graph g;
	pg_lin_lines lines;
	pg_reg_pack *pk;
	pg_error err;
	int t;

	add_pack(reg, &s_base, base);
	s_mid.parents[0] = base;
	add_pack(reg, &s_mid, mid);
	s_top.parents[0] = mid;
	add_pack(reg, &s_top, top);
	add_pack(reg, &s_other, other);
	s_merged.parents[0] = top;
	s_merged.parents[1] = other;
	add_pack(reg, &s_merged, merged);
	add_pack(reg, &s_orphan, orphan);

	/* Ancestors of the merge, breadth first, edges in parent order. */
	ck_assert_int_eq(pg_reg_lineage(reg, merged, PG_LIN_ANCESTORS, -1, &g, &err), PG_OK);
	ck_assert_uint_eq(g.nnodes, 5);
	ck_assert_uint_eq(g.root, 0);
	ck_assert_str_eq(g.nodes[0].id, merged);
	ck_assert_str_eq(g.nodes[1].id, top);
	ck_assert_str_eq(g.nodes[2].id, other);
	ck_assert_str_eq(g.nodes[3].id, mid);
	ck_assert_str_eq(g.nodes[4].id, base);
	ck_assert_uint_eq(g.nedges, 4);
	ck_assert_uint_eq(g.edges[0].child, 0);
	ck_assert_uint_eq(g.edges[0].parent, 1);
	ck_assert_uint_eq(g.edges[1].child, 0);
	ck_assert_uint_eq(g.edges[1].parent, 2);
	ck_assert_uint_eq(g.edges[2].child, 1);
	ck_assert_uint_eq(g.edges[2].parent, 3);
	ck_assert_uint_eq(g.edges[3].child, 3);
	ck_assert_uint_eq(g.edges[3].parent, 4);
	for (size_t i = 0; i < g.nnodes; i++) {
		ck_assert_int_eq(g.nodes[i].present, 1);
		ck_assert_int_eq(g.nodes[i].tainted, 0);
	}
	pg_lin_graph_free(&g);

	/* Depth 1. */
	ck_assert_int_eq(pg_reg_lineage(reg, merged, PG_LIN_ANCESTORS, 1, &g, &err), PG_OK);
	ck_assert_uint_eq(g.nnodes, 3);
	ck_assert_uint_eq(g.nedges, 2);
	pg_lin_graph_free(&g);
	ck_assert_int_eq(pg_reg_lineage(reg, merged, PG_LIN_ANCESTORS, 0, &g, &err), PG_OK);
	ck_assert_uint_eq(g.nnodes, 1);
	ck_assert_uint_eq(g.nedges, 0);
	pg_lin_graph_free(&g);

	/* A missing parent is a node that is not present. */
	ck_assert_int_eq(pg_reg_lineage(reg, orphan, PG_LIN_ANCESTORS, -1, &g, &err), PG_OK);
	ck_assert_uint_eq(g.nnodes, 2);
	ck_assert_str_eq(g.nodes[1].id, MISSING_ID);
	ck_assert_int_eq(g.nodes[1].present, 0);
	ck_assert_int_eq(g.nodes[1].state, -1);
	ck_assert_ptr_null(g.nodes[1].name);
	pg_lin_graph_free(&g);

	/* Quarantine the base: everything below it is tainted. */
	sql("UPDATE packs SET state = 'quarantined' WHERE id = '%s'", base);
	ck_assert_int_eq(pg_reg_tainted(reg, merged, &t, &err), PG_OK);
	ck_assert_int_eq(t, 1);
	ck_assert_int_eq(pg_reg_tainted(reg, base, &t, &err), PG_OK);
	ck_assert_int_eq(t, 0);
	ck_assert_int_eq(pg_reg_tainted(reg, other, &t, &err), PG_OK);
	ck_assert_int_eq(t, 0);
	ck_assert_int_eq(pg_reg_tainted(reg, orphan, &t, &err), PG_OK);
	ck_assert_int_eq(t, 0);
	ck_assert_int_eq(pg_reg_tainted(reg, MISSING_ID, &t, &err), PG_REGISTRY_NOT_FOUND);
	ck_assert_int_eq(pg_reg_show(reg, top, &pk, &err), PG_OK);
	ck_assert_int_eq(pk->tainted, 1);
	pg_reg_pack_free(pk);

	/* Depth-limited lineage still knows the taint from beyond. */
	ck_assert_int_eq(pg_reg_lineage(reg, merged, PG_LIN_ANCESTORS, 1, &g, &err), PG_OK);
	ck_assert_int_eq(g.nodes[0].tainted, 1);
	ck_assert_int_eq(g.nodes[1].tainted, 1);
	ck_assert_int_eq(g.nodes[2].tainted, 0);
	pg_lin_graph_free(&g);

	/* Descendants of the base, laid out. */
	ck_assert_int_eq(pg_reg_lineage(reg, base, PG_LIN_DESCENDANTS, -1, &g, &err), PG_OK);
	ck_assert_uint_eq(g.nnodes, 4);
	ck_assert_str_eq(g.nodes[0].id, base);
	ck_assert_str_eq(g.nodes[1].id, mid);
	ck_assert_str_eq(g.nodes[2].id, top);
	ck_assert_str_eq(g.nodes[3].id, merged);
	ck_assert_int_eq(pg_lin_layout(&g, PG_LIN_DESCENDANTS, &lines, &err), PG_OK);
	ck_assert_uint_eq(lines.n, 4);
	ck_assert_str_eq(lines.lines[0].text, "● base 1.0.0          import     quarantined");
	ck_assert_str_eq(lines.lines[1].text, "└─● mid 1.0.0         fine-tune  candidate  ⚠ tainted");
	ck_assert_str_eq(lines.lines[2].text, "  └─● top 1.0.0       distill    candidate  ⚠ tainted");
	ck_assert_str_eq(lines.lines[3].text, "    └─● merged 1.0.0  merge      candidate  ⚠ tainted");
	pg_lin_lines_free(&lines);
	pg_lin_graph_free(&g);

	/* Ancestors of the merge, laid out. */
	ck_assert_int_eq(pg_reg_lineage(reg, merged, PG_LIN_ANCESTORS, -1, &g, &err), PG_OK);
	ck_assert_int_eq(pg_lin_layout(&g, PG_LIN_ANCESTORS, &lines, &err), PG_OK);
	ck_assert_uint_eq(lines.n, 5);
	ck_assert_str_eq(lines.lines[0].text, "● merged 1.0.0      merge      candidate  ⚠ tainted");
	ck_assert_str_eq(lines.lines[1].text, "├─● top 1.0.0       distill    candidate  ⚠ tainted");
	ck_assert_str_eq(lines.lines[2].text, "│ └─● mid 1.0.0     fine-tune  candidate  ⚠ tainted");
	ck_assert_str_eq(lines.lines[3].text, "│   └─● base 1.0.0  import     quarantined");
	ck_assert_str_eq(lines.lines[4].text, "└─● other 1.0.0     import     candidate");
	pg_lin_lines_free(&lines);
	pg_lin_graph_free(&g);

	ck_assert_int_eq(pg_reg_lineage(reg, MISSING_ID, PG_LIN_ANCESTORS, -1, &g, &err), PG_REGISTRY_NOT_FOUND);
	pg_reg_close(reg);
}
END_TEST

/* A chain 1,000 generations deep, put in directly. */
START_TEST(test_lineage_deep)
{
	pg_reg *reg = open_reg();
	pg_lin_graph g;
	pg_reg_query q;
	pg_reg_rows rows;
	pg_error err;
	char root[PG_ID_LEN], last[PG_ID_LEN];
	int t;

	pg_reg_close(reg);
	sql("WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 1000) "
	    "INSERT INTO packs(id, name, version, version_key, created_at, created_key, operator, state, "
	    "imported_at) SELECT printf('sha256:%%064x', i), 'deep', printf('1.0.%%d', i), "
	    "printf('11111%%04d~', i), '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.', 'fine-tune', "
	    "'candidate', '2026-01-01T00:00:00Z' FROM c;"
	    "WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 999) "
	    "INSERT INTO parents(child, position, parent) "
	    "SELECT printf('sha256:%%064x', i), 0, printf('sha256:%%064x', i + 1) FROM c");
	snprintf(root, sizeof root, "sha256:%064x", 0);
	snprintf(last, sizeof last, "sha256:%064x", 1000);
	reg = open_reg();
	ck_assert_int_eq(pg_reg_lineage(reg, root, PG_LIN_ANCESTORS, -1, &g, &err), PG_OK);
	ck_assert_uint_eq(g.nnodes, 1001);
	ck_assert_uint_eq(g.nedges, 1000);
	ck_assert_str_eq(g.nodes[1000].id, last);
	ck_assert_int_eq(g.nodes[0].tainted, 0);
	pg_lin_graph_free(&g);
	ck_assert_int_eq(pg_reg_tainted(reg, root, &t, &err), PG_OK);
	ck_assert_int_eq(t, 0);

	sql("UPDATE packs SET state = 'quarantined' WHERE id = '%s'", last);
	ck_assert_int_eq(pg_reg_tainted(reg, root, &t, &err), PG_OK);
	ck_assert_int_eq(t, 1);
	ck_assert_int_eq(pg_reg_lineage(reg, last, PG_LIN_DESCENDANTS, -1, &g, &err), PG_OK);
	ck_assert_uint_eq(g.nnodes, 1001);
	ck_assert_str_eq(g.nodes[1000].id, root);
	ck_assert_int_eq(g.nodes[0].tainted, 0);
	for (size_t i = 1; i < g.nnodes; i++)
		ck_assert_int_eq(g.nodes[i].tainted, 1);
	pg_lin_graph_free(&g);
	ck_assert_int_eq(pg_reg_lineage(reg, root, PG_LIN_ANCESTORS, 10, &g, &err), PG_OK);
	ck_assert_uint_eq(g.nnodes, 11);
	ck_assert_uint_eq(g.nedges, 10);
	ck_assert_int_eq(g.nodes[0].tainted, 1);
	pg_lin_graph_free(&g);

	/* A page of the list walks up from its rows, ... */
	pg_reg_query_init(&q);
	q.limit = 50;
	ck_assert_int_eq(pg_reg_list(reg, &q, &rows, &err), PG_OK);
	ck_assert_uint_eq(rows.n, 50);
	ck_assert_str_eq(rows.v[0].id, root);
	for (size_t i = 0; i < rows.n; i++)
		ck_assert_int_eq(rows.v[i].tainted, 1);
	pg_reg_rows_free(&rows);
	/* ... the whole list walks down from the quarantined: same answer. */
	q.limit = -1;
	ck_assert_int_eq(pg_reg_list(reg, &q, &rows, &err), PG_OK);
	ck_assert_uint_eq(rows.n, 1001);
	for (size_t i = 0; i < rows.n; i++)
		ck_assert_int_eq(rows.v[i].tainted, strcmp(rows.v[i].id, last) != 0);
	pg_reg_rows_free(&rows);
	/* With a second branch off the middle that is not tainted. */
	sql("INSERT INTO packs(id, name, version, version_key, created_at, created_key, operator, state, "
	    "imported_at) VALUES ('sha256:%064x', 'side', '1.0.0', '111111110~', '2026-01-01T00:00:00Z', "
	    "'2026-01-01T00:00:00.', 'import', 'candidate', '2026-01-01T00:00:00Z');"
	    "INSERT INTO parents VALUES ('sha256:%064x', 1, 'sha256:%064x')", 5000, 500, 5000);
	sql("UPDATE packs SET state = 'candidate' WHERE id = '%s';"
	    "UPDATE packs SET state = 'quarantined' WHERE id = 'sha256:%064x'", last, 5000);
	ck_assert_int_eq(pg_reg_list(reg, &q, &rows, &err), PG_OK);
	ck_assert_uint_eq(rows.n, 1002);
	for (size_t i = 0; i < rows.n; i++) {
		/* deep 0..500 descend from the side pack; 501..1000 do not */
		unsigned long long k = strtoull(rows.v[i].id + 7, NULL, 16);
		int want = k <= 500;
		ck_assert_msg(rows.v[i].tainted == want, "%s: tainted %d", rows.v[i].id, rows.v[i].tainted);
	}
	pg_reg_rows_free(&rows);
	ck_assert_int_eq(pg_reg_tainted(reg, root, &t, &err), PG_OK);
	ck_assert_int_eq(t, 1);
	snprintf(root, sizeof root, "sha256:%064x", 501);
	ck_assert_int_eq(pg_reg_tainted(reg, root, &t, &err), PG_OK);
	ck_assert_int_eq(t, 0);
	pg_reg_close(reg);
}
END_TEST

/* ----------------------------------------------------------- audit chain */

static pg_code approve(pg_reg *reg, const char *pack, const char *stmt_text, const char *decision,
                       pg_reg_appended *app, pg_error *err)
{
	pg_reg_approval_in a;

	memset(&a, 0, sizeof a);
	a.st.statement = stmt_text;
	a.st.statement_len = strlen(stmt_text);
	a.st.signature = SIG;
	a.st.signer = FPR;
	a.st.outbox = 1;
	a.pack = pack;
	a.decision = decision;
	a.target = "approved";
	a.role = "reviewer";
	a.signed_at = "2026-11-22T10:00:00Z";
	a.policy = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
	return pg_reg_append_approval(reg, &a, app, err);
}

static pg_code transition(pg_reg *reg, const char *pack, const char *stmt_text, pg_state from, pg_state to,
                          const char *head, const pg_reg_supersede *sup, size_t nsup, int outbox,
                          pg_reg_appended *app, pg_error *err)
{
	pg_reg_transition_in t;

	memset(&t, 0, sizeof t);
	t.st.statement = stmt_text;
	t.st.statement_len = strlen(stmt_text);
	t.st.signature = SIG;
	t.st.signer = FPR;
	t.st.outbox = outbox;
	t.pack = pack;
	t.from = from;
	t.to = to;
	t.expected_head = head;
	t.supersedes = sup;
	t.nsupersedes = nsup;
	t.signed_at = "2026-11-22T10:00:00Z";
	return pg_reg_apply_transition(reg, &t, app, err);
}

START_TEST(test_chain)
{
	struct spec sa = { .name = "chained", .version = "1.0.0" };
	struct spec sb = { .name = "chained", .version = "1.1.0" };
	char a[PG_ID_LEN], b[PG_ID_LEN], head[PG_SHA256_HEX], h2[PG_SHA256_HEX], buf[1024], id[PG_ID_LEN];
	pg_reg *reg = open_reg();
	pg_reg_appended app, app2;
	pg_reg_entries log;
	pg_reg_approval_row *ap;
	size_t nap, nout;
	int64_t *out, count, bad;
	pg_state st;
	pg_error err;
	int has;
	pg_reg_supersede sup = { NULL, PG_STATE_CHAMPION, PG_STATE_ARCHIVED };

	add_pack(reg, &sa, a);
	add_pack(reg, &sb, b);
	ck_assert_int_eq(pg_reg_chain_verify(reg, &count, &bad, &err), PG_OK);
	ck_assert_int_eq(count, 0);
	ck_assert_int_eq(bad, -1);

	/* Entry 1: an approval, hashed as the contract says. */
	ck_assert_int_eq(approve(reg, a, "{\"n\":1}", "approve", &app, &err), PG_OK);
	ck_assert_int_eq(app.seq, 1);
	ck_assert_str_eq(app.prev_hash, PG_REG_ZERO_HASH);
	snprintf(buf, sizeof buf, "%s\n%s\n%s", PG_REG_ZERO_HASH, "{\"n\":1}", SIG);
	pg_sha256_hex(buf, strlen(buf), h2);
	ck_assert_str_eq(app.hash, h2);
	pg_sha256_hex("{\"n\":1}", 7, h2);
	ck_assert_str_eq(app.statement_sha256, h2);
	ck_assert_int_eq(approve(reg, MISSING_ID, "{\"n\":0}", "approve", NULL, &err), PG_REGISTRY_NOT_FOUND);

	/* Entry 2: a rejection by the same signer. */
	ck_assert_int_eq(approve(reg, a, "{\"n\":2}", "reject", &app2, &err), PG_OK);
	ck_assert_int_eq(app2.seq, 2);
	ck_assert_str_eq(app2.prev_hash, app.hash);
	ck_assert_int_eq(pg_reg_approvals(reg, a, &ap, &nap, &err), PG_OK);
	ck_assert_uint_eq(nap, 2);
	ck_assert_int_eq(ap[0].seq, 1);
	ck_assert_str_eq(ap[0].decision, "approve");
	ck_assert_str_eq(ap[1].decision, "reject");
	ck_assert_str_eq(ap[1].signer, FPR);
	ck_assert_str_eq(ap[1].role, "reviewer");
	ck_assert_str_eq(ap[1].target, "approved");
	pg_sha256_hex("{\"n\":2}", 7, h2);
	ck_assert_str_eq(ap[1].statement_sha256, h2);
	pg_reg_approvals_free(ap, nap);

	/* Transitions with optimistic concurrency. */
	ck_assert_int_eq(pg_reg_transition_head(reg, a, head, &has, &err), PG_OK);
	ck_assert_int_eq(has, 0);
	ck_assert_int_eq(transition(reg, a, "{\"n\":3}", PG_STATE_CANDIDATE, PG_STATE_EVALUATED, NULL, NULL, 0, 1,
	                            &app, &err), PG_OK);
	ck_assert_int_eq(app.seq, 3);
	ck_assert_int_eq(pg_reg_transition_head(reg, a, head, &has, &err), PG_OK);
	ck_assert_int_eq(has, 1);
	ck_assert_str_eq(head, app.statement_sha256);
	/* Stale state, then stale head: conflicts, nothing written. */
	ck_assert_int_eq(transition(reg, a, "{\"n\":9}", PG_STATE_CANDIDATE, PG_STATE_EVALUATED, NULL, NULL, 0, 1,
	                            NULL, &err), PG_LIFECYCLE_CONFLICT);
	ck_assert_int_eq(transition(reg, a, "{\"n\":9}", PG_STATE_EVALUATED, PG_STATE_APPROVED, NULL, NULL, 0, 1,
	                            NULL, &err), PG_LIFECYCLE_CONFLICT);
	ck_assert_int_eq(transition(reg, a, "{\"n\":9}", PG_STATE_EVALUATED, PG_STATE_APPROVED, PG_REG_ZERO_HASH,
	                            NULL, 0, 1, NULL, &err), PG_LIFECYCLE_CONFLICT);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM chain"), 3);
	/* Entry 4: to champion. */
	ck_assert_int_eq(transition(reg, a, "{\"n\":4}", PG_STATE_EVALUATED, PG_STATE_CHAMPION, head, NULL, 0, 1,
	                            &app, &err), PG_OK);
	ck_assert_int_eq(pg_reg_state(reg, a, &st, &err), PG_OK);
	ck_assert_int_eq(st, PG_STATE_CHAMPION);

	/* A second champion must supersede the first. */
	ck_assert_int_eq(transition(reg, b, "{\"n\":9}", PG_STATE_CANDIDATE, PG_STATE_CHAMPION, NULL, NULL, 0, 1,
	                            NULL, &err), PG_LIFECYCLE_CONFLICT);
	sup.id = a;
	sup.from = PG_STATE_APPROVED; /* wrong: it is champion */
	ck_assert_int_eq(transition(reg, b, "{\"n\":9}", PG_STATE_CANDIDATE, PG_STATE_CHAMPION, NULL, &sup, 1, 1,
	                            NULL, &err), PG_LIFECYCLE_CONFLICT);
	sup.from = PG_STATE_CHAMPION;
	ck_assert_int_eq(transition(reg, b, "{\"n\":5}", PG_STATE_CANDIDATE, PG_STATE_CHAMPION, NULL, &sup, 1, 0,
	                            &app2, &err), PG_OK);
	ck_assert_int_eq(app2.seq, 5);
	ck_assert_int_eq(pg_reg_state(reg, a, &st, &err), PG_OK);
	ck_assert_int_eq(st, PG_STATE_ARCHIVED);
	ck_assert_int_eq(pg_reg_resolve(reg, "chained:champion", id, &err), PG_OK);
	ck_assert_str_eq(id, b);
	/* The superseded pack's head did not move. */
	ck_assert_int_eq(pg_reg_transition_head(reg, a, h2, &has, &err), PG_OK);
	ck_assert_str_eq(h2, app.statement_sha256);

	/* The log, whole and per pack (a's includes the statement that archived it). */
	ck_assert_int_eq(pg_reg_log(reg, NULL, &log, &err), PG_OK);
	ck_assert_uint_eq(log.n, 5);
	for (size_t i = 0; i < log.n; i++) {
		char want[PG_SHA256_HEX];
		ck_assert_int_eq(log.v[i].seq, (int64_t)i + 1);
		ck_assert_int_eq(pg_reg_chain_hash(log.v[i].prev_hash, log.v[i].statement, log.v[i].statement_len,
		                                   log.v[i].signature, want, &err), PG_OK);
		ck_assert_str_eq(log.v[i].hash, want);
		if (i)
			ck_assert_str_eq(log.v[i].prev_hash, log.v[i - 1].hash);
	}
	ck_assert_str_eq(log.v[0].kind, "approval");
	ck_assert_str_eq(log.v[2].kind, "transition");
	ck_assert_str_eq(log.v[4].pack, b);
	ck_assert_str_eq(log.v[4].statement, "{\"n\":5}");
	ck_assert_str_eq(log.v[4].signer, FPR);
	ck_assert_str_eq(log.v[4].signature, SIG);
	pg_reg_entries_free(&log);
	ck_assert_int_eq(pg_reg_log(reg, a, &log, &err), PG_OK);
	ck_assert_uint_eq(log.n, 5);
	pg_reg_entries_free(&log);
	ck_assert_int_eq(pg_reg_log(reg, b, &log, &err), PG_OK);
	ck_assert_uint_eq(log.n, 1);
	pg_reg_entries_free(&log);

	/* The outbox holds the local statements (5 was not queued). */
	ck_assert_int_eq(pg_reg_outbox(reg, &out, &nout, &err), PG_OK);
	ck_assert_uint_eq(nout, 4);
	ck_assert_int_eq(out[0], 1);
	ck_assert_int_eq(out[3], 4);
	free(out);
	ck_assert_int_eq(pg_reg_outbox_done(reg, 2, &err), PG_OK);
	ck_assert_int_eq(pg_reg_outbox(reg, &out, &nout, &err), PG_OK);
	ck_assert_uint_eq(nout, 3);
	ck_assert_int_eq(out[1], 3);
	free(out);

	ck_assert_int_eq(pg_reg_chain_verify(reg, &count, &bad, &err), PG_OK);
	ck_assert_int_eq(count, 5);
	/* The chain is append-only even for a careless writer. */
	pg_reg_close(reg);
	{
		sqlite3 *db;
		ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
		ck_assert_int_eq(sqlite3_exec(db, "UPDATE chain SET signer = 'x'", NULL, NULL, NULL), SQLITE_CONSTRAINT);
		ck_assert_int_eq(sqlite3_exec(db, "DELETE FROM chain", NULL, NULL, NULL), SQLITE_CONSTRAINT);
		sqlite3_close(db);
	}
}
END_TEST

struct tamper_case {
	const char *what;
	const char *sql;
	int64_t bad;
};

static const struct tamper_case tamper_cases[] = {
	{ "edit statement", "UPDATE chain SET statement = '{\"n\":99}' WHERE seq = 3", 3 },
	{ "edit signature", "UPDATE chain SET signature = 'forged' WHERE seq = 2", 2 },
	{ "edit hash", "UPDATE chain SET hash = prev_hash WHERE seq = 4", 4 },
	{ "edit prev_hash", "UPDATE chain SET prev_hash = '" PG_REG_ZERO_HASH "' WHERE seq = 5", 5 },
	{ "remove middle", "DELETE FROM chain WHERE seq = 2", 2 },
	{ "remove first", "DELETE FROM chain WHERE seq = 1", 1 },
	{ "remove last", "DELETE FROM chain WHERE seq = 5", 5 },
	{ "swap two", "UPDATE chain SET seq = -2 WHERE seq = 2; UPDATE chain SET seq = 2 WHERE seq = 3;"
	              "UPDATE chain SET seq = 3 WHERE seq = -2", 2 },
	{ "renumber", "UPDATE chain SET seq = seq + 10 WHERE seq >= 4", 4 },
	{ "approval row moved", "UPDATE approvals SET decision = 'approve', pack = (SELECT id FROM packs "
	                        "WHERE version = '1.1.0') WHERE seq = 1", 1 },
	{ "transition row dropped chain", "INSERT INTO transitions VALUES (77, (SELECT id FROM packs LIMIT 1), 1, "
	                                  "'candidate', 'retired', 'x', 'x', NULL)", 77 },
};

START_TEST(test_chain_tamper)
{
	const struct tamper_case *c = &tamper_cases[_i];
	struct spec sa = { .name = "tamper", .version = "1.0.0" };
	struct spec sb = { .name = "tamper", .version = "1.1.0" };
	char a[PG_ID_LEN], b[PG_ID_LEN], head[PG_SHA256_HEX];
	pg_reg *reg = open_reg();
	pg_reg_appended app;
	int64_t count, bad;
	pg_error err;

	add_pack(reg, &sa, a);
	add_pack(reg, &sb, b);
	ck_assert_int_eq(approve(reg, a, "{\"n\":1}", "reject", NULL, &err), PG_OK);
	ck_assert_int_eq(approve(reg, a, "{\"n\":2}", "approve", NULL, &err), PG_OK);
	ck_assert_int_eq(transition(reg, a, "{\"n\":3}", PG_STATE_CANDIDATE, PG_STATE_EVALUATED, NULL, NULL, 0, 1,
	                            &app, &err), PG_OK);
	memcpy(head, app.statement_sha256, sizeof head);
	ck_assert_int_eq(approve(reg, b, "{\"n\":4}", "approve", NULL, &err), PG_OK);
	ck_assert_int_eq(transition(reg, a, "{\"n\":5}", PG_STATE_EVALUATED, PG_STATE_APPROVED, head, NULL, 0, 1,
	                            NULL, &err), PG_OK);
	ck_assert_int_eq(pg_reg_chain_verify(reg, &count, &bad, &err), PG_OK);
	ck_assert_int_eq(count, 5);
	pg_reg_close(reg);

	sql("DROP TRIGGER chain_no_update; DROP TRIGGER chain_no_delete; %s", c->sql);
	reg = open_reg();
	ck_assert_int_eq(pg_reg_chain_verify(reg, &count, &bad, &err), PG_REGISTRY_CHAIN_BROKEN);
	ck_assert_msg(bad == c->bad, "%s: first bad entry %lld, want %lld (%s)", c->what, (long long)bad,
	              (long long)c->bad, err.message);
	{
		char want[32];
		snprintf(want, sizeof want, " %lld", (long long)c->bad);
		ck_assert_msg(strstr(err.message, want) != NULL, "%s: %s", c->what, err.message);
	}
	pg_reg_close(reg);
}
END_TEST

/* ----------------------------------------------------------- concurrency */

#define NWRITERS 4
#define PER_WRITER 5

START_TEST(test_concurrent_writers)
{
	char paths[NWRITERS * PER_WRITER][PATH_MAX], ids[NWRITERS * PER_WRITER][PG_ID_LEN];
	pid_t kids[NWRITERS];
	pg_reg *reg;
	pg_reg_query q;
	uint64_t n;
	pg_error err;

	for (int i = 0; i < NWRITERS * PER_WRITER; i++) {
		struct spec sp = { .name = "concurrent", .version = NULL, .seed = (unsigned)i };
		char v[32];
		snprintf(v, sizeof v, "1.%d.0", i);
		sp.version = v;
		build_pack(&sp, paths[i], sizeof paths[i], ids[i]);
	}
	/* The children create the registry themselves, all at once. */
	for (int k = 0; k < NWRITERS; k++) {
		kids[k] = fork();
		ck_assert_int_ge(kids[k], 0);
		if (kids[k] == 0) {
			pg_reg *r;
			pg_reg_imported res;
			int bad = 0;

			if (pg_reg_open(dbpath, &r, &err) != PG_OK) {
				fprintf(stderr, "writer %d: open: %s: %s\n", k, pg_code_name(err.code), err.message);
				_exit(10);
			}
			for (int i = 0; i < PER_WRITER; i++) {
				if (pg_reg_import(r, paths[k * PER_WRITER + i], NULL, NULL, 0, NULL, &res, &err) != PG_OK) {
					fprintf(stderr, "writer %d: %s: %s\n", k, pg_code_name(err.code), err.message);
					bad = 1;
				} else if (!res.is_new) {
					bad = 1;
				}
				pg_reg_imported_clear(&res);
			}
			pg_reg_close(r);
			_exit(bad ? 11 : 0);
		}
	}
	for (int k = 0; k < NWRITERS; k++) {
		int status;
		ck_assert_int_eq(waitpid(kids[k], &status, 0), kids[k]);
		ck_assert(WIFEXITED(status));
		ck_assert_int_eq(WEXITSTATUS(status), 0);
	}
	reg = open_reg();
	ck_assert_int_eq(pg_reg_check_integrity(reg, &err), PG_OK);
	pg_reg_query_init(&q);
	ck_assert_int_eq(pg_reg_count(reg, &q, &n, &err), PG_OK);
	ck_assert_uint_eq(n, NWRITERS * PER_WRITER);
	for (int i = 0; i < NWRITERS * PER_WRITER; i++) {
		char id[PG_ID_LEN];
		ck_assert_int_eq(pg_reg_resolve(reg, ids[i], id, &err), PG_OK);
	}
	pg_reg_close(reg);
}
END_TEST

/* Every pack row is whole: all files with their blobs, all documents. */
static void assert_whole(pg_reg *reg)
{
	pg_reg_query q;
	pg_reg_rows rows;
	pg_error err;

	pg_reg_query_init(&q);
	ck_assert_int_eq(pg_reg_list(reg, &q, &rows, &err), PG_OK);
	for (size_t i = 0; i < rows.n; i++) {
		pg_reg_pack *pk;
		size_t ndocs = 0;

		ck_assert_int_eq(pg_reg_show(reg, rows.v[i].id, &pk, &err), PG_OK);
		ck_assert_uint_eq(pk->nfiles, 7);
		for (size_t f = 0; f < pk->nfiles; f++) {
			char *bp = pg_reg_blob_path(reg, pk->files[f].sha256);
			struct stat sb;
			int role = pg_role_parse(pk->files[f].role);

			ck_assert_int_ge(role, 0);
			ndocs += pg_role_is_document((pg_role)role);
			ck_assert_int_eq(stat(bp, &sb), 0);
			ck_assert_uint_eq((uint64_t)sb.st_size, pk->files[f].size);
			free(bp);
		}
		ck_assert_uint_eq(pk->ndocs, ndocs);
		ck_assert_ptr_nonnull(strstr(pk->manifest, rows.v[i].id));
		pg_reg_pack_free(pk);
	}
	pg_reg_rows_free(&rows);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM events WHERE kind = 'import'"),
	                 sql_int("SELECT count(*) FROM packs"));
}

#define NKILL_PACKS 100
#define KILL_ROUNDS 30

START_TEST(test_kill9)
{
	static char paths[NKILL_PACKS][PATH_MAX];
	char id[PG_ID_LEN], p[PATH_MAX];
	uint32_t rnd = 20261122u;
	pg_reg *reg;
	pg_reg_query q;
	uint64_t n;
	pg_error err;
	int status;
	pid_t kid;

	for (int i = 0; i < NKILL_PACKS; i++) {
		struct spec sp = { .name = "killed", .version = NULL, .seed = (unsigned)i,
		                   .weights = i % 8 == 0 ? 4u << 20 : 0 };
		char v[32];
		snprintf(v, sizeof v, "2.%d.0", i);
		sp.version = v;
		build_pack(&sp, paths[i], sizeof paths[i], id);
	}
	for (int round = 0; round <= KILL_ROUNDS; round++) {
		kid = fork();
		ck_assert_int_ge(kid, 0);
		if (kid == 0) {
			pg_reg *r;
			pg_reg_imported res;

			if (pg_reg_open(dbpath, &r, &err) != PG_OK)
				_exit(10);
			/* Each round starts somewhere else, mostly on new packs. */
			for (int k = 0; k < NKILL_PACKS; k++) {
				int i = (k + round * 13) % NKILL_PACKS;
				if (pg_reg_import(r, paths[i], NULL, NULL, 0, NULL, &res, &err) != PG_OK)
					_exit(11);
				pg_reg_imported_clear(&res);
			}
			pg_reg_close(r);
			_exit(0);
		}
		if (round < KILL_ROUNDS) {
			/* A deterministic moment between 0 and 25 ms. */
			rnd = rnd * 1664525u + 1013904223u;
			usleep((useconds_t)((rnd >> 8) % 25000));
			kill(kid, SIGKILL);
		}
		ck_assert_int_eq(waitpid(kid, &status, 0), kid);
		if (round == KILL_ROUNDS) {
			ck_assert(WIFEXITED(status));
			ck_assert_int_eq(WEXITSTATUS(status), 0);
		} else if (WIFEXITED(status)) {
			ck_assert_int_eq(WEXITSTATUS(status), 0);
		} else {
			ck_assert(WIFSIGNALED(status));
		}
		/* After each kill: whatever is there is whole. */
		reg = open_reg();
		ck_assert_int_eq(pg_reg_check_integrity(reg, &err), PG_OK);
		assert_whole(reg);
		pg_reg_close(reg);
	}
	reg = open_reg();
	pg_reg_query_init(&q);
	ck_assert_int_eq(pg_reg_count(reg, &q, &n, &err), PG_OK);
	ck_assert_uint_eq(n, NKILL_PACKS);
	/* Opening swept the scratch directories the killed imports left, and
	 * the blobs they had moved in without committing. */
	snprintf(p, sizeof p, "%s/reg/tmp", work);
	ck_assert_uint_eq(count_entries(p), 0);
	snprintf(p, sizeof p, "%s/reg/blobs/sha256", work);
	ck_assert_uint_eq(count_entries(p), (size_t)sql_int("SELECT count(DISTINCT sha256) FROM files"));
	pg_reg_close(reg);
	{
		char buf[64];
		sql_text("PRAGMA integrity_check", buf, sizeof buf);
		ck_assert_str_eq(buf, "ok");
	}
}
END_TEST

/* ------------------------------------------------------------------ main */

int main(void)
{
	Suite *s = suite_create("registry");
	TCase *tc_open = tcase_create("open");
	TCase *tc_import = tcase_create("import");
	TCase *tc_query = tcase_create("query");
	TCase *tc_chain = tcase_create("chain");
	TCase *tc_conc = tcase_create("concurrency");

	tcase_add_checked_fixture(tc_open, setup, teardown);
	tcase_set_timeout(tc_open, 60);
	tcase_add_test(tc_open, test_open_creates);
	tcase_add_test(tc_open, test_open_refuses);
	tcase_add_test(tc_open, test_busy);
	suite_add_tcase(s, tc_open);

	tcase_add_checked_fixture(tc_import, setup, teardown);
	tcase_set_timeout(tc_import, 60);
	tcase_add_test(tc_import, test_import);
	tcase_add_test(tc_import, test_import_refused);
	tcase_add_test(tc_import, test_import_staged);
	suite_add_tcase(s, tc_import);

	tcase_add_checked_fixture(tc_query, setup, teardown);
	tcase_set_timeout(tc_query, 60);
	tcase_add_test(tc_query, test_resolve);
	tcase_add_test(tc_query, test_version_key);
	tcase_add_loop_test(tc_query, test_list, 0, (int)(sizeof list_cases / sizeof list_cases[0]));
	tcase_add_test(tc_query, test_list_rows);
	tcase_add_loop_test(tc_query, test_list_review, 0, (int)(sizeof review_cases / sizeof review_cases[0]));
	tcase_add_test(tc_query, test_doc_get);
	tcase_add_test(tc_query, test_lineage);
	tcase_add_test(tc_query, test_lineage_deep);
	suite_add_tcase(s, tc_query);

	tcase_add_checked_fixture(tc_chain, setup, teardown);
	tcase_set_timeout(tc_chain, 60);
	tcase_add_test(tc_chain, test_chain);
	tcase_add_loop_test(tc_chain, test_chain_tamper, 0, (int)(sizeof tamper_cases / sizeof tamper_cases[0]));
	suite_add_tcase(s, tc_chain);

	tcase_add_checked_fixture(tc_conc, setup, teardown);
	tcase_set_timeout(tc_conc, 300);
	tcase_add_test(tc_conc, test_concurrent_writers);
	tcase_add_test(tc_conc, test_kill9);
	tcase_add_test(tc_conc, test_sweep_dead_import);
	suite_add_tcase(s, tc_conc);

	return pg_check_run(s);
}
