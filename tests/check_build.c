/* check_build.c — the builder: what it writes, what it fills in, what it
 * refuses, and that a refusal leaves nothing behind. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "checkrun.h"
#include "fixtures.h"
#include "json.h"
#include "pack.h"

static char tmp[64];
static char dir[128];
static char out[128];

static void setup(void)
{
	strcpy(tmp, "/tmp/pgbuild.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	snprintf(dir, sizeof dir, "%s/in", tmp);
	snprintf(out, sizeof out, "%s/out.mpk", tmp);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	ck_assert_int_eq(fx_write_good_dir(dir), 0);
}

static void rm_rf(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;

	if (!d) {
		unlink(path);
		return;
	}
	while ((de = readdir(d))) {
		char p[512];
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof p, "%s/%s", path, de->d_name);
		rm_rf(p);
	}
	closedir(d);
	rmdir(path);
}

static void teardown(void)
{
	rm_rf(tmp);
}

static void put(const char *name, const char *text)
{
	char p[512];
	FILE *fp;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	fp = fopen(p, "wb");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

/* Rewrites the input manifest through a cJSON edit. */
static cJSON *input_manifest(void)
{
	char p[512], buf[65536];
	FILE *fp;
	size_t n;
	cJSON *m = NULL;
	pg_error err;

	snprintf(p, sizeof p, "%s/manifest.json", dir);
	fp = fopen(p, "rb");
	ck_assert_ptr_nonnull(fp);
	n = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	ck_assert_int_eq(pg_json_parse(buf, n, NULL, &m, &err), PG_OK);
	return m;
}

static void save_manifest(cJSON *m)
{
	char *text = cJSON_PrintUnformatted(m);

	put("manifest.json", text);
	free(text);
	cJSON_Delete(m);
}

static pg_pack *load(const char *path)
{
	pg_pack_opts opts;
	pg_pack *p = NULL;
	pg_error err;

	pg_pack_opts_init(&opts);
	ck_assert_int_eq(pg_pack_load(path, &opts, &p, &err), PG_OK);
	return p;
}

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Nothing but the input directory is left in tmp. */
static void assert_nothing_written(void)
{
	DIR *d = opendir(tmp);
	struct dirent *de;
	int others = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && strcmp(de->d_name, "in"))
			others++;
	closedir(d);
	ck_assert_int_eq(others, 0);
}

START_TEST(test_good)
{
	char id[72], again[72];
	pg_error err;
	pg_pack *p;

	ck_assert_int_eq(pg_build(dir, out, PG_COMPRESS_NONE, NULL, id, &err), PG_OK);
	p = load(out);
	ck_assert_str_eq(p->id, id);
	ck_assert_int_eq(pg_pack_compute_id(p->manifest, again, &err), PG_OK);
	ck_assert_str_eq(again, id);
	/* members in byte order of path, each verified */
	for (size_t i = 1; i < p->nfiles; i++)
		ck_assert_int_lt(strcmp(p->files[i - 1].path, p->files[i].path), 0);
	for (size_t i = 0; i < p->nfiles; i++)
		ck_assert_int_eq(p->files[i].status, PG_FILE_OK);
	/* what build fills in */
	ck_assert_int_eq((int)pg_json_get(p->manifest, "schema_version")->valuedouble, 1);
	ck_assert_str_eq(pg_json_str(pg_json_get(p->manifest, "lifecycle_state")), "candidate");
	ck_assert_str_eq(pg_json_str(pg_json_get(p->manifest, "evaluation_card")), "evaluation-card.json");
	pg_pack_free(p);
}
END_TEST

START_TEST(test_roles_inferred_and_overridden)
{
	char id[72];
	pg_error err;
	pg_pack *p;
	cJSON *m;

	put("notes.txt", "hello\n");
	put("extra.bin", "more weights\n");
	m = input_manifest();
	cJSON_AddItemToObject(m, "files", cJSON_Parse("[{\"path\":\"notes.txt\",\"role\":\"doc\"}]"));
	save_manifest(m);
	ck_assert_int_eq(pg_build(dir, out, PG_COMPRESS_GZIP, NULL, id, &err), PG_OK);
	p = load(out);
	for (size_t i = 0; i < p->nfiles; i++) {
		if (!strcmp(p->files[i].path, "notes.txt"))
			ck_assert_str_eq(pg_role_name(p->files[i].role), "doc");
		if (!strcmp(p->files[i].path, "extra.bin"))
			ck_assert_str_eq(pg_role_name(p->files[i].role), "weights");
		if (!strcmp(p->files[i].path, "contract.json"))
			ck_assert_str_eq(pg_role_name(p->files[i].role), "contract");
	}
	pg_pack_free(p);
}
END_TEST

START_TEST(test_given_id_is_recomputed)
{
	char id1[72], id2[72];
	pg_error err;
	cJSON *m;

	ck_assert_int_eq(pg_build(dir, out, PG_COMPRESS_NONE, NULL, id1, &err), PG_OK);
	m = input_manifest();
	cJSON_AddStringToObject(m, "id", "sha256:0000000000000000000000000000000000000000000000000000000000000000");
	save_manifest(m);
	ck_assert_int_eq(pg_build(dir, out, PG_COMPRESS_ZSTD, NULL, id2, &err), PG_OK);
	ck_assert_str_eq(id1, id2);
}
END_TEST

static const struct {
	const char *files;    /* the partial files list given */
	pg_code code;
	const char *path;
} overrides[] = {
	{ "[{\"path\":\"nowhere.bin\",\"role\":\"weights\"}]", PG_FILE_MISSING, "nowhere.bin" },
	{ "[{\"path\":\"README.md\",\"role\":\"nonsense\"}]", PG_SCHEMA, "files[0]" },
	{ "[{\"path\":\"README.md\",\"role\":\"doc\",\"size\":1}]", PG_SIZE_MISMATCH, "README.md" },
	{ "[{\"path\":\"README.md\",\"role\":\"doc\",\"sha256\":\"00\"}]", PG_DIGEST_MISMATCH, "README.md" },
	{ "[{\"path\":\"README.md\"}]", PG_SCHEMA, "files[0]" },
	{ "{}", PG_SCHEMA, "files" },
};

START_TEST(test_bad_overrides)
{
	pg_error err;
	cJSON *m = input_manifest();

	cJSON_AddItemToObject(m, "files", cJSON_Parse(overrides[_i].files));
	save_manifest(m);
	ck_assert_int_eq(pg_build(dir, out, PG_COMPRESS_NONE, NULL, NULL, &err), overrides[_i].code);
	ck_assert_str_eq(err.path, overrides[_i].path);
	assert_nothing_written();
}
END_TEST

static const struct {
	const char *name;
	const char *content;
	pg_code code;
} refusals[] = {
	{ "evil.py", "print(1)\n", PG_ARCHIVE_FILE_TYPE },
	{ "model.onnx", "\x7f" "ELF rest", PG_ARCHIVE_FILE_TYPE },
	{ "contract.json", "{\"a\": 1, \"a\": 2}", PG_JSON_DUPLICATE_KEY },
	{ "lineage.json", "{\"parents\": [], \"operator\": \"merge\"}", PG_SCHEMA },
	{ "manifest.json", "{\"name\": ", PG_JSON_SYNTAX },
	{ "manifest.json", "[]", PG_SCHEMA },
};

START_TEST(test_refusals_leave_nothing)
{
	pg_error err;

	put(refusals[_i].name, refusals[_i].content);
	ck_assert_int_eq(pg_build(dir, out, PG_COMPRESS_NONE, NULL, NULL, &err), refusals[_i].code);
	ck_assert(!exists(out));
	assert_nothing_written();
}
END_TEST

START_TEST(test_symlink_refused)
{
	char link[512];
	pg_error err;

	snprintf(link, sizeof link, "%s/alias.onnx", dir);
	ck_assert_int_eq(symlink("model.onnx", link), 0);
	ck_assert_int_eq(pg_build(dir, out, PG_COMPRESS_NONE, NULL, NULL, &err), PG_ARCHIVE_ENTRY_TYPE);
	ck_assert_str_eq(err.path, "alias.onnx");
	assert_nothing_written();
}
END_TEST

START_TEST(test_output_inside_dir_is_skipped)
{
	char inside[256], id1[72], id2[72];
	pg_error err;

	snprintf(inside, sizeof inside, "%s/self.bin", dir);
	ck_assert_int_eq(pg_build(dir, inside, PG_COMPRESS_NONE, NULL, id1, &err), PG_OK);
	/* a rebuild does not swallow its previous output */
	ck_assert_int_eq(pg_build(dir, inside, PG_COMPRESS_NONE, NULL, id2, &err), PG_OK);
	ck_assert_str_eq(id1, id2);
}
END_TEST

START_TEST(test_missing_dir)
{
	pg_error err;

	ck_assert_int_eq(pg_build("/nonexistent/pgbuild", out, PG_COMPRESS_NONE, NULL, NULL, &err), PG_IO_NOT_FOUND);
	ck_assert_int_eq(pg_compress_parse("zstd"), PG_COMPRESS_ZSTD);
	ck_assert_int_eq(pg_compress_parse("gzip"), PG_COMPRESS_GZIP);
	ck_assert_int_eq(pg_compress_parse("none"), PG_COMPRESS_NONE);
	ck_assert_int_eq(pg_compress_parse("xz"), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("build");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_good);
	tcase_add_test(tc, test_roles_inferred_and_overridden);
	tcase_add_test(tc, test_given_id_is_recomputed);
	tcase_add_loop_test(tc, test_bad_overrides, 0, (int)(sizeof overrides / sizeof overrides[0]));
	tcase_add_loop_test(tc, test_refusals_leave_nothing, 0, (int)(sizeof refusals / sizeof refusals[0]));
	tcase_add_test(tc, test_symlink_refused);
	tcase_add_test(tc, test_output_inside_dir_is_skipped);
	tcase_add_test(tc, test_missing_dir);
	suite_add_tcase(s, tc);
	return pg_check_run(s);
}
