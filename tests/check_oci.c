/* check_oci.c — the pack <-> OCI mapping (core/oci.h), without a network:
 * media types per role, tags, determinism across runs and compressions,
 * the exact config and referrer bytes, signatures, hostile inputs, the
 * checks a pull runs on a registry's manifest, image indexes, and the
 * reassembly round trip (pack -> layers -> pack with the same id and the
 * same bytes `packgate build` writes); also how a pull argument names a
 * registry, a repository and a tag (core/remote.h, pure parsing). */
#include "pg.h"

#include <check.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "canon.h"
#include "checkrun.h"
#include "digest.h"
#include "fixtures.h"
#include "json.h"
#include "oci.h"
#include "pack.h"
#include "remote.h"
#include "schema.h"

/* ------------------------------------------------------------ temp dirs */

static char base_dir[PATH_MAX - 256];

static void base_setup(void)
{
	const char *tmp = getenv("TMPDIR");

	if (!tmp || !*tmp || strlen(tmp) > 1024)
		tmp = "/tmp";
	snprintf(base_dir, sizeof base_dir, "%s/pgoci.XXXXXX", tmp);
	if (!mkdtemp(base_dir))
		base_dir[0] = '\0';
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	chmod(p, 0700);
	return remove(p);
}

static void base_teardown(void)
{
	if (base_dir[0])
		nftw(base_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	base_dir[0] = '\0';
}

/* A fresh directory below base_dir, into buf. */
static void fresh_dir(char *buf, size_t cap)
{
	ck_assert_msg(base_dir[0] != '\0', "no temporary directory");
	snprintf(buf, cap, "%s/t.XXXXXX", base_dir);
	ck_assert_ptr_nonnull(mkdtemp(buf));
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	ck_assert_int_ge(n, 0);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* Loads the pack at path (VERIFY; extracting into xdir when not NULL). */
static pg_pack *load(const char *path, const char *xdir)
{
	pg_pack_opts opts;
	pg_pack *p = NULL;
	pg_error err;

	pg_pack_opts_init(&opts);
	opts.extract_dir = xdir;
	pg_error_clear(&err);
	ck_assert_msg(pg_pack_load(path, &opts, &p, &err) == PG_OK, "load %s: %s: %s", path, pg_code_name(err.code),
	              err.message);
	return p;
}

static pg_oci_image *map_pack(const pg_pack *p)
{
	pg_oci_image *img = NULL;
	pg_error err;

	pg_error_clear(&err);
	ck_assert_msg(pg_oci_map_pack(p, NULL, &img, &err) == PG_OK, "map: %s: %s", pg_code_name(err.code), err.message);
	return img;
}

/* The good fixture pack written with a compression, loaded and mapped. */
static pg_oci_image *map_good(fx_compress c, const char *sig_names[], size_t nsig)
{
	fx_spec s;
	char dir[PATH_MAX], path[PATH_MAX + 32];
	pg_pack *p;
	pg_oci_image *img;

	ck_assert_int_eq(fx_spec_good(&s), 0);
	s.compress = c;
	for (size_t i = 0; i < nsig; i++) {
		char text[96];
		snprintf(text, sizeof text, "-----BEGIN PGP SIGNATURE-----\n\nsig %zu\n-----END PGP SIGNATURE-----\n", i);
		ck_assert_ptr_nonnull(fx_add(&s, FX_END, FX_FILE, sig_names[i], 0, text, strlen(text)));
	}
	fresh_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/p.mpk", dir);
	ck_assert_int_eq(fx_write_pack(path, &s), 0);
	fx_spec_free(&s);
	p = load(path, NULL);
	img = map_pack(p);
	pg_pack_free(p);
	return img;
}

/* ------------------------------------------------------------ media types */

static const struct {
	pg_role role;
	const char *mt;
} role_cases[] = {
	{ PG_ROLE_WEIGHTS, "application/vnd.cncf.model.weight.v1.raw" },
	{ PG_ROLE_TOKENIZER, "application/vnd.cncf.model.weight.config.v1.raw" },
	{ PG_ROLE_CONFIG, "application/vnd.cncf.model.weight.config.v1.raw" },
	{ PG_ROLE_CONTRACT, "application/vnd.cncf.model.doc.v1.raw" },
	{ PG_ROLE_LINEAGE, "application/vnd.cncf.model.doc.v1.raw" },
	{ PG_ROLE_EVALUATION_CARD, "application/vnd.cncf.model.doc.v1.raw" },
	{ PG_ROLE_RESOURCE_PROFILE, "application/vnd.cncf.model.doc.v1.raw" },
	{ PG_ROLE_PERMISSIONS, "application/vnd.cncf.model.doc.v1.raw" },
	{ PG_ROLE_LICENSE_NOTICE, "application/vnd.cncf.model.doc.v1.raw" },
	{ PG_ROLE_ROLLBACK, "application/vnd.cncf.model.doc.v1.raw" },
	{ PG_ROLE_DOC, "application/vnd.cncf.model.doc.v1.raw" },
	{ PG_ROLE_OTHER, "application/vnd.cncf.model.doc.v1.raw" },
};

START_TEST(test_media_type)
{
	ck_assert_str_eq(pg_oci_media_type(role_cases[_i].role), role_cases[_i].mt);
}
END_TEST

/* ------------------------------------------------------------ tags */

static const struct {
	const char *version;
	const char *tag; /* NULL: refused */
} tag_cases[] = {
	{ "1.3.0", "1.3.0" },
	{ "1.0.0+build.5", "1.0.0_build.5" },
	{ "1.0.0-rc.1+exp.sha.5114f85", "1.0.0-rc.1_exp.sha.5114f85" },
	{ "2.0.0-alpha-beta", "2.0.0-alpha-beta" },
	{ "", NULL },
	{ ".1", NULL },
	{ "-1", NULL },
	{ "1.0.0+a/b", NULL },
	{ "1 0", NULL },
};

START_TEST(test_tag)
{
	char tag[PG_OCI_TAG_MAX + 1];
	int rc = pg_oci_tag(tag_cases[_i].version, tag);

	if (!tag_cases[_i].tag) {
		ck_assert_int_eq(rc, -1);
		ck_assert_str_eq(tag, "");
		return;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(tag, tag_cases[_i].tag);
	{
		char *v = pg_oci_tag_version(tag);
		ck_assert_str_eq(v, tag_cases[_i].version);
		free(v);
	}
}
END_TEST

START_TEST(test_tag_length)
{
	char v[200], tag[PG_OCI_TAG_MAX + 1];

	memset(v, 0, sizeof v);
	memcpy(v, "1.0.0+", 6);
	memset(v + 6, 'a', 122); /* 128 characters: the longest tag */
	ck_assert_int_eq(pg_oci_tag(v, tag), 0);
	ck_assert_uint_eq(strlen(tag), 128);
	v[128] = 'a'; /* 129 */
	ck_assert_int_eq(pg_oci_tag(v, tag), -1);
}
END_TEST

START_TEST(test_referrers_tag)
{
	char tag[PG_OCI_DIGEST_SIZE];

	pg_oci_referrers_tag(PG_OCI_EMPTY_DIGEST, tag);
	ck_assert_str_eq(tag, "sha256-44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
}
END_TEST

/* ------------------------------------------------------------ mapping */

START_TEST(test_deterministic)
{
	pg_oci_image *a = map_good(FX_COMPRESS_NONE, NULL, 0);
	pg_oci_image *b = map_good(FX_COMPRESS_NONE, NULL, 0);
	pg_oci_image *gz = map_good(FX_COMPRESS_GZIP, NULL, 0);
	pg_oci_image *zs = map_good(FX_COMPRESS_ZSTD, NULL, 0);
	char hex[PG_SHA256_HEX], want[80];

	ck_assert_str_eq(a->digest, b->digest);
	ck_assert_str_eq(a->digest, gz->digest);
	ck_assert_str_eq(a->digest, zs->digest);
	ck_assert_uint_eq(a->manifest_len, zs->manifest_len);
	ck_assert_int_eq(memcmp(a->manifest, zs->manifest, a->manifest_len), 0);
	/* the digest is the SHA-256 of the canonical bytes, which are canonical */
	pg_sha256_hex(a->manifest, a->manifest_len, hex);
	snprintf(want, sizeof want, "sha256:%s", hex);
	ck_assert_str_eq(a->digest, want);
	{
		char *c = NULL;
		size_t n = 0;
		pg_error err;
		ck_assert_int_eq(pg_canon_bytes(a->manifest, a->manifest_len, NULL, &c, &n, &err), PG_OK);
		ck_assert_uint_eq(n, a->manifest_len);
		ck_assert_int_eq(memcmp(c, a->manifest, n), 0);
		free(c);
	}
	pg_oci_image_free(a);
	pg_oci_image_free(b);
	pg_oci_image_free(gz);
	pg_oci_image_free(zs);
}
END_TEST

/* The layers of the good pack, in order. */
static const struct {
	const char *path;
	const char *mt;
} good_layers[] = {
	{ "manifest.json", "application/vnd.packgate.manifest.v1+json" },
	{ "model.onnx", "application/vnd.cncf.model.weight.v1.raw" },
	{ "tokenizer.json", "application/vnd.cncf.model.weight.config.v1.raw" },
	{ "contract.json", "application/vnd.cncf.model.doc.v1.raw" },
	{ "lineage.json", "application/vnd.cncf.model.doc.v1.raw" },
	{ "evaluation-card.json", "application/vnd.cncf.model.doc.v1.raw" },
	{ "permissions.json", "application/vnd.cncf.model.doc.v1.raw" },
	{ "license-notice.json", "application/vnd.cncf.model.doc.v1.raw" },
	{ "README.md", "application/vnd.cncf.model.doc.v1.raw" },
};

START_TEST(test_layers_and_manifest)
{
	pg_oci_image *img = map_good(FX_COMPRESS_NONE, NULL, 0);
	cJSON *m = NULL, *layers, *l;
	pg_error err;
	size_t i = 0;
	char want[256];

	ck_assert_uint_eq(img->nlayers, sizeof good_layers / sizeof good_layers[0]);
	ck_assert_int_eq(pg_json_parse(img->manifest, img->manifest_len, NULL, &m, &err), PG_OK);
	ck_assert_int_eq((int)pg_json_get(m, "schemaVersion")->valuedouble, 2);
	ck_assert_str_eq(pg_json_str(pg_json_get(m, "mediaType")), "application/vnd.oci.image.manifest.v1+json");
	ck_assert_str_eq(pg_json_str(pg_json_get(m, "artifactType")), "application/vnd.cncf.model.manifest.v1+json");
	ck_assert_str_eq(pg_json_str(pg_json_get(pg_json_get(m, "config"), "mediaType")),
	                 "application/vnd.cncf.model.config.v1+json");
	ck_assert_str_eq(pg_json_str(pg_json_get(pg_json_get(m, "config"), "digest")), img->config_digest);
	ck_assert_str_eq(pg_json_str(pg_json_get(pg_json_get(m, "annotations"), "org.packgate.pack.id")), img->id);
	layers = pg_json_get(m, "layers");
	ck_assert_int_eq(cJSON_GetArraySize(layers), (int)img->nlayers);
	cJSON_ArrayForEach(l, layers) {
		const char *path = pg_json_str(pg_json_get(pg_json_get(l, "annotations"), "org.cncf.model.filepath"));
		ck_assert_str_eq(path, good_layers[i].path);
		ck_assert_str_eq(pg_json_str(pg_json_get(l, "mediaType")), good_layers[i].mt);
		ck_assert_str_eq(pg_json_str(pg_json_get(l, "digest")), img->layers[i].digest);
		ck_assert_str_eq(img->layers[i].path, good_layers[i].path);
		i++;
	}
	/* the manifest layer holds the canonical pack manifest */
	{
		char hex[PG_SHA256_HEX];
		pg_sha256_hex(img->pack_manifest, img->pack_manifest_len, hex);
		snprintf(want, sizeof want, "sha256:%s", hex);
		ck_assert_str_eq(img->layers[0].digest, want);
		ck_assert_uint_eq(img->layers[0].size, img->pack_manifest_len);
	}
	/* a file layer's digest is its files[].sha256 */
	{
		const fx_member *mem;
		char hex[PG_SHA256_HEX];
		ck_assert_uint_ge(fx_good_members(&mem), 1);
		pg_sha256_hex(mem[0].data, mem[0].len, hex);
		snprintf(want, sizeof want, "sha256:%s", hex);
		ck_assert_str_eq(img->layers[1].digest, want);
		ck_assert_uint_eq(img->layers[1].size, mem[0].len);
	}
	cJSON_Delete(m);
	pg_oci_image_free(img);
}
END_TEST

START_TEST(test_config_exact)
{
	pg_oci_image *img = map_good(FX_COMPRESS_NONE, NULL, 0);
	char want[4096];
	size_t off;
	char hex[PG_SHA256_HEX], dg[80];

	off = (size_t)snprintf(want, sizeof want,
	                       "{\"config\":{\"quantization\":\"q4\"},"
	                       "\"descriptor\":{\"createdAt\":\"2026-06-26T12:00:00Z\",\"name\":\"skill.math.reasoner\","
	                       "\"version\":\"1.3.0\"},\"modelfs\":{\"diff_ids\":[");
	for (size_t i = 0; i < img->nlayers; i++)
		off += (size_t)snprintf(want + off, sizeof want - off, "%s\"%s\"", i ? "," : "", img->layers[i].digest);
	snprintf(want + off, sizeof want - off, "],\"type\":\"layers\"}}");
	ck_assert_str_eq(img->config, want);
	pg_sha256_hex(img->config, img->config_len, hex);
	snprintf(dg, sizeof dg, "sha256:%s", hex);
	ck_assert_str_eq(img->config_digest, dg);
	pg_oci_image_free(img);
}
END_TEST

START_TEST(test_signatures)
{
	static const char *names[] = { "signatures/BBBB.asc", "signatures/AAAA.asc" };
	pg_oci_image *plain = map_good(FX_COMPRESS_NONE, NULL, 0);
	pg_oci_image *img = map_good(FX_COMPRESS_GZIP, names, 2);
	size_t n = img->nlayers;

	ck_assert_uint_eq(n, plain->nlayers + 2);
	/* byte order of path, after the files, as pgp-signature layers */
	ck_assert_str_eq(img->layers[n - 2].path, "signatures/AAAA.asc");
	ck_assert_str_eq(img->layers[n - 1].path, "signatures/BBBB.asc");
	ck_assert_str_eq(img->layers[n - 1].media_type, "application/pgp-signature");
	ck_assert_int_eq(img->layers[n - 1].kind, PG_OCI_LAYER_SIG);
	/* the config follows the manifest only; the OCI manifest changes */
	ck_assert_str_eq(img->config_digest, plain->config_digest);
	ck_assert_str_ne(img->digest, plain->digest);
	ck_assert_str_eq(img->id, plain->id);
	pg_oci_image_free(plain);
	pg_oci_image_free(img);
}
END_TEST

/* ------------------------------------------------------------ hostile inputs */

/* The good manifest's canonical bytes. */
static void good_manifest(fx_spec *s, char **bytes, size_t *len)
{
	char *raw = NULL;
	size_t rlen = 0;
	pg_error err;

	ck_assert_int_eq(fx_spec_good(s), 0);
	ck_assert_int_eq(fx_manifest_bytes(s, &raw, &rlen), 0);
	ck_assert_int_eq(pg_canon_bytes(raw, rlen, NULL, bytes, len, &err), PG_OK);
	free(raw);
}

struct hostile {
	const char *name;
	const char *sig_path;  /* NULL: no signature */
	size_t sig_len;
	int noncanon;          /* re-serialise the manifest with whitespace */
	int dup;               /* the same signature twice */
	pg_code code;
};

static const struct hostile hostile_cases[] = {
	{ "noncanonical", NULL, 0, 1, 0, PG_SCHEMA },
	{ "sig_traversal", "signatures/../x.asc", 10, 0, 0, PG_ARCHIVE_PATH_TRAVERSAL },
	{ "sig_elsewhere", "other/AAAA.asc", 10, 0, 0, PG_FILE_UNLISTED },
	{ "sig_nested", "signatures/a/b.asc", 10, 0, 0, PG_FILE_UNLISTED },
	{ "sig_bidi", "signatures/A\xe2\x80\xae" "B.asc", 10, 0, 0, PG_ARCHIVE_CONFUSABLE_PATH },
	{ "sig_too_big", "signatures/AAAA.asc", 64 * 1024 + 1, 0, 0, PG_LIMIT_ENTRY_BYTES },
	{ "sig_twice", "signatures/AAAA.asc", 10, 0, 1, PG_ARCHIVE_DUPLICATE_ENTRY },
};

START_TEST(test_hostile)
{
	const struct hostile *c = &hostile_cases[_i];
	fx_spec s;
	char *bytes = NULL, *data;
	size_t len = 0;
	pg_oci_sigin sig[2];
	pg_oci_image *img = (pg_oci_image *)1;
	pg_error err;

	good_manifest(&s, &bytes, &len);
	if (c->noncanon) {
		cJSON *m = cJSON_Parse(bytes);
		free(bytes);
		bytes = cJSON_Print(m); /* indented: not canonical */
		len = strlen(bytes);
		cJSON_Delete(m);
	}
	data = calloc(1, c->sig_len + 1);
	memset(data, 'x', c->sig_len);
	sig[0].path = sig[1].path = c->sig_path;
	sig[0].data = sig[1].data = data;
	sig[0].len = sig[1].len = c->sig_len;
	pg_error_clear(&err);
	ck_assert_int_eq(pg_oci_map(bytes, len, sig, c->sig_path ? (c->dup ? 2 : 1) : 0, NULL, &img, &err), c->code);
	ck_assert_ptr_null(img);
	free(data);
	free(bytes);
	fx_spec_free(&s);
}
END_TEST

START_TEST(test_id_mismatch)
{
	fx_spec s;
	char *bytes = NULL, *p;
	size_t len = 0;
	pg_oci_image *img = NULL;
	pg_error err;

	good_manifest(&s, &bytes, &len);
	p = strstr(bytes, "worked-answer/v1");
	ck_assert_ptr_nonnull(p);
	p[0] = 'W';
	/* still canonical, still schema-valid, but not what the id says */
	ck_assert_int_eq(pg_oci_map(bytes, len, NULL, 0, NULL, &img, &err), PG_MANIFEST_ID_MISMATCH);
	free(bytes);
	fx_spec_free(&s);
}
END_TEST

/* ------------------------------------------------------------ remote checks */

enum mutation { M_NONE, M_MEDIA, M_DIGEST, M_SIZE, M_PATH_TRAVERSAL, M_UNLISTED, M_DROP, M_NO_PATH, M_ARTIFACT,
	        M_CONFIG_TYPE, M_EXTRA_ANNOTATION };

static const struct {
	const char *name;
	enum mutation m;
	pg_code code;
	const char *path;
} remote_cases[] = {
	{ "identical", M_NONE, PG_OK, "" },
	{ "media_type", M_MEDIA, PG_REMOTE_PROTOCOL, "model.onnx" },
	{ "digest", M_DIGEST, PG_DIGEST_MISMATCH, "model.onnx" },
	{ "size", M_SIZE, PG_SIZE_MISMATCH, "model.onnx" },
	{ "traversal", M_PATH_TRAVERSAL, PG_ARCHIVE_PATH_TRAVERSAL, NULL },
	{ "unlisted", M_UNLISTED, PG_FILE_UNLISTED, "extra.bin" },
	{ "dropped", M_DROP, PG_FILE_MISSING, "model.onnx" },
	{ "no_filepath", M_NO_PATH, PG_REMOTE_PROTOCOL, NULL },
	{ "artifact_type", M_ARTIFACT, PG_REMOTE_PROTOCOL, NULL },
	{ "config_type", M_CONFIG_TYPE, PG_REMOTE_PROTOCOL, NULL },
	{ "extra_annotation", M_EXTRA_ANNOTATION, PG_REMOTE_PROTOCOL, "" },
};

START_TEST(test_check_remote)
{
	pg_oci_image *img = map_good(FX_COMPRESS_NONE, NULL, 0);
	cJSON *m = NULL, *layer;
	pg_error err;

	ck_assert_int_eq(pg_json_parse(img->manifest, img->manifest_len, NULL, &m, &err), PG_OK);
	layer = cJSON_GetArrayItem(pg_json_get(m, "layers"), 1); /* model.onnx */
	switch (remote_cases[_i].m) {
	case M_NONE:
		break;
	case M_MEDIA:
		cJSON_ReplaceItemInObjectCaseSensitive(layer, "mediaType", cJSON_CreateString(PG_OCI_MT_DOC));
		break;
	case M_DIGEST:
		cJSON_ReplaceItemInObjectCaseSensitive(layer, "digest", cJSON_CreateString(PG_OCI_EMPTY_DIGEST));
		break;
	case M_SIZE:
		cJSON_ReplaceItemInObjectCaseSensitive(layer, "size", cJSON_CreateNumber(1));
		break;
	case M_PATH_TRAVERSAL:
		cJSON_ReplaceItemInObjectCaseSensitive(pg_json_get(layer, "annotations"), PG_OCI_ANN_FILEPATH,
		                                       cJSON_CreateString("../model.onnx"));
		break;
	case M_UNLISTED:
		cJSON_ReplaceItemInObjectCaseSensitive(pg_json_get(layer, "annotations"), PG_OCI_ANN_FILEPATH,
		                                       cJSON_CreateString("extra.bin"));
		break;
	case M_DROP:
		cJSON_DeleteItemFromArray(pg_json_get(m, "layers"), 1);
		break;
	case M_NO_PATH:
		cJSON_DeleteItemFromObjectCaseSensitive(layer, "annotations");
		break;
	case M_ARTIFACT:
		cJSON_ReplaceItemInObjectCaseSensitive(m, "artifactType", cJSON_CreateString("application/x-other"));
		break;
	case M_CONFIG_TYPE:
		cJSON_ReplaceItemInObjectCaseSensitive(pg_json_get(m, "config"), "mediaType",
		                                       cJSON_CreateString("application/vnd.oci.image.config.v1+json"));
		break;
	case M_EXTRA_ANNOTATION:
		cJSON_AddStringToObject(pg_json_get(m, "annotations"), "x", "y");
		break;
	}
	pg_error_clear(&err);
	ck_assert_int_eq(pg_oci_check_remote(m, img, NULL, &err), remote_cases[_i].code);
	if (remote_cases[_i].path)
		ck_assert_str_eq(err.path, remote_cases[_i].path);
	cJSON_Delete(m);
	pg_oci_image_free(img);
}
END_TEST

/* ------------------------------------------------------------ statements */

START_TEST(test_statement_manifest)
{
	static const char stmt[] = "{\"_type\":\"x\"}";
	static const char sig[] = "-----BEGIN PGP SIGNATURE-----\n";
	const char *subject = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
	char *out = NULL, *out2 = NULL, dg[PG_OCI_DIGEST_SIZE], dg2[PG_OCI_DIGEST_SIZE], want[2048];
	char hs[PG_SHA256_HEX], hg[PG_SHA256_HEX], hm[PG_SHA256_HEX];
	size_t len = 0, len2 = 0;
	pg_error err;
	cJSON *m = NULL;
	pg_oci_referrer ref;

	ck_assert_int_eq(pg_oci_statement_manifest(PG_STMT_TRANSITION, stmt, strlen(stmt), sig, strlen(sig), subject, 1234,
	                                           &out, &len, dg, &err), PG_OK);
	pg_sha256_hex(stmt, strlen(stmt), hs);
	pg_sha256_hex(sig, strlen(sig), hg);
	snprintf(want, sizeof want,
	         "{\"artifactType\":\"application/vnd.packgate.transition.v1+json\","
	         "\"config\":{\"digest\":\"%s\",\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"size\":2},"
	         "\"layers\":[{\"digest\":\"sha256:%s\",\"mediaType\":\"application/vnd.in-toto+json\",\"size\":%zu},"
	         "{\"digest\":\"sha256:%s\",\"mediaType\":\"application/pgp-signature\",\"size\":%zu}],"
	         "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"schemaVersion\":2,"
	         "\"subject\":{\"digest\":\"%s\",\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":1234}}",
	         PG_OCI_EMPTY_DIGEST, hs, strlen(stmt), hg, strlen(sig), subject);
	ck_assert_str_eq(out, want);
	pg_sha256_hex(out, len, hm);
	ck_assert_str_eq(dg + 7, hm);
	/* the same inputs, the same bytes; the other kind, another artifactType */
	ck_assert_int_eq(pg_oci_statement_manifest(PG_STMT_APPROVAL, stmt, strlen(stmt), sig, strlen(sig), subject, 1234,
	                                           &out2, &len2, dg2, &err), PG_OK);
	ck_assert_str_ne(dg, dg2);
	ck_assert_ptr_nonnull(strstr(out2, "\"application/vnd.packgate.approval.v1+json\""));
	/* and it parses back */
	ck_assert_int_eq(pg_json_parse(out, len, NULL, &m, &err), PG_OK);
	ck_assert_int_eq(pg_oci_referrer_parse(m, &ref, &err), PG_OK);
	ck_assert_int_eq(ref.kind, PG_STMT_TRANSITION);
	ck_assert_str_eq(ref.subject, subject);
	ck_assert_uint_eq(ref.statement_size, strlen(stmt));
	ck_assert_str_eq(ref.signature_digest + 7, hg);
	/* a referrer with a third layer is refused */
	cJSON_AddItemToArray(pg_json_get(m, "layers"), cJSON_Duplicate(cJSON_GetArrayItem(pg_json_get(m, "layers"), 0), 1));
	ck_assert_int_eq(pg_oci_referrer_parse(m, &ref, &err), PG_REMOTE_PROTOCOL);
	cJSON_Delete(m);
	free(out);
	free(out2);
}
END_TEST

/* ------------------------------------------------------------ indexes */

START_TEST(test_index)
{
	const char *d1 = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
	const char *d2 = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	char *a = NULL, *b = NULL, *c = NULL;
	size_t la, lb, lc;
	int changed = -1;
	cJSON *ix = NULL;
	pg_oci_refs refs = { 0 };
	pg_error err;

	ck_assert_int_eq(pg_oci_index_add(NULL, PG_OCI_MT_MANIFEST, PG_OCI_ARTIFACT_APPROVAL, d1, 10, &a, &la, &changed, &err),
	                 PG_OK);
	ck_assert_int_eq(changed, 1);
	ck_assert_str_eq(a, "{\"manifests\":[{\"artifactType\":\"application/vnd.packgate.approval.v1+json\","
	                    "\"digest\":\"sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\","
	                    "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":10}],"
	                    "\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"schemaVersion\":2}");
	ck_assert_int_eq(pg_json_parse(a, la, NULL, &ix, &err), PG_OK);
	/* the same entry again: unchanged, same bytes */
	ck_assert_int_eq(pg_oci_index_add(ix, PG_OCI_MT_MANIFEST, PG_OCI_ARTIFACT_APPROVAL, d1, 10, &b, &lb, &changed, &err),
	                 PG_OK);
	ck_assert_int_eq(changed, 0);
	ck_assert_str_eq(a, b);
	/* another one sorts first */
	ck_assert_int_eq(pg_oci_index_add(ix, PG_OCI_MT_MANIFEST, PG_OCI_ARTIFACT_TRANSITION, d2, 20, &c, &lc, &changed, &err),
	                 PG_OK);
	ck_assert_int_eq(changed, 1);
	cJSON_Delete(ix);
	ck_assert_int_eq(pg_json_parse(c, lc, NULL, &ix, &err), PG_OK);
	ck_assert_int_eq(pg_oci_index_parse(ix, &refs, &err), PG_OK);
	ck_assert_uint_eq(refs.n, 2);
	ck_assert_str_eq(refs.v[0].digest, d2);
	ck_assert_str_eq(refs.v[0].artifact_type, PG_OCI_ARTIFACT_TRANSITION);
	ck_assert_uint_eq(refs.v[0].size, 20);
	ck_assert_str_eq(refs.v[1].digest, d1);
	pg_oci_refs_free(&refs);
	cJSON_Delete(ix);
	/* not an index */
	ck_assert_int_eq(pg_json_parse("{\"schemaVersion\":2}", 19, NULL, &ix, &err), PG_OK);
	ck_assert_int_eq(pg_oci_index_parse(ix, &refs, &err), PG_REMOTE_PROTOCOL);
	cJSON_Delete(ix);
	free(a);
	free(b);
	free(c);
}
END_TEST

/* An index of PG_OCI_INDEX_MAX entries is read; one more is refused before
 * any entry is looked at (each would cost requests and a signature check). */
START_TEST(test_index_cap)
{
	pg_oci_refs refs = { 0 };
	pg_error err;

	for (int extra = 0; extra <= 1; extra++) {
		cJSON *ix = cJSON_CreateObject(), *list;
		cJSON_AddNumberToObject(ix, "schemaVersion", 2);
		cJSON_AddStringToObject(ix, "mediaType", PG_OCI_MT_INDEX);
		list = cJSON_AddArrayToObject(ix, "manifests");
		for (int i = 0; i < PG_OCI_INDEX_MAX + extra; i++) {
			cJSON *e = cJSON_CreateObject();
			char dg[PG_OCI_DIGEST_SIZE];
			snprintf(dg, sizeof dg, "sha256:%064x", i);
			cJSON_AddStringToObject(e, "mediaType", PG_OCI_MT_MANIFEST);
			cJSON_AddStringToObject(e, "artifactType", PG_OCI_ARTIFACT_APPROVAL);
			cJSON_AddStringToObject(e, "digest", dg);
			cJSON_AddNumberToObject(e, "size", 100);
			cJSON_AddItemToArray(list, e);
		}
		pg_error_clear(&err);
		if (!extra) {
			ck_assert_int_eq(pg_oci_index_parse(ix, &refs, &err), PG_OK);
			ck_assert_uint_eq(refs.n, PG_OCI_INDEX_MAX);
		} else {
			ck_assert_int_eq(pg_oci_index_parse(ix, &refs, &err), PG_LIMIT_ENTRIES);
			ck_assert_str_eq(err.message, "an image index of 1001 entries, more than 1000");
			ck_assert_uint_eq(refs.n, 0);
		}
		pg_oci_refs_free(&refs);
		cJSON_Delete(ix);
	}
}
END_TEST

/* ------------------------------------------------------------ reassembly */

/* Extracts a pack, maps it, writes the pack back from the mapped layers;
 * returns the new pack's path in out (cap). */
static void reassemble(const char *pack, const char *dir, char *out, size_t cap, pg_oci_image **img_out)
{
	char xdir[PATH_MAX];
	pg_pack *p;
	pg_oci_image *img;
	pg_oci_entry *e;
	char **srcs;
	size_t n = 0;
	pg_error err;

	snprintf(xdir, sizeof xdir, "%s/x", dir);
	ck_assert_int_eq(mkdir(xdir, 0700), 0);
	p = load(pack, xdir);
	img = map_pack(p);
	e = calloc(img->nlayers, sizeof *e);
	srcs = calloc(img->nlayers, sizeof *srcs);
	for (size_t i = 0; i < img->nlayers; i++) {
		const pg_oci_layer *l = &img->layers[i];
		if (l->kind == PG_OCI_LAYER_MANIFEST)
			continue;
		e[n].path = l->path;
		e[n].size = l->size;
		if (l->kind == PG_OCI_LAYER_SIG) {
			e[n].data = p->sigs[l->sig].armored;
		} else {
			ck_assert_int_ge(asprintf(&srcs[n], "%s/%s", xdir, l->path), 0);
			e[n].src = srcs[n];
		}
		n++;
	}
	snprintf(out, cap, "%s/re.mpk", dir);
	pg_error_clear(&err);
	ck_assert_msg(pg_oci_assemble(out, img->pack_manifest, img->pack_manifest_len, e, n, &err) == PG_OK, "%s",
	              err.message);
	for (size_t i = 0; i < n; i++)
		free(srcs[i]);
	free(srcs);
	free(e);
	pg_pack_free(p);
	*img_out = img;
}

START_TEST(test_round_trip)
{
	char dir[PATH_MAX], src[PATH_MAX + 8], built[PATH_MAX + 16], re[PATH_MAX + 16], id[72];
	pg_oci_image *img, *img2;
	pg_pack *p;
	unsigned char *a, *b;
	size_t la, lb;
	pg_error err;

	fresh_dir(dir, sizeof dir);
	snprintf(src, sizeof src, "%s/src", dir);
	ck_assert_int_eq(mkdir(src, 0700), 0);
	ck_assert_int_eq(fx_write_good_dir(src), 0);
	snprintf(built, sizeof built, "%s/built.mpk", dir);
	pg_error_clear(&err);
	ck_assert_msg(pg_build(src, built, PG_COMPRESS_ZSTD, NULL, id, &err) == PG_OK, "%s", err.message);
	reassemble(built, dir, re, sizeof re, &img);
	/* the reassembled pack loads, with the same id and the same mapping */
	p = load(re, NULL);
	ck_assert_str_eq(p->id, id);
	img2 = map_pack(p);
	ck_assert_str_eq(img2->digest, img->digest);
	pg_pack_free(p);
	pg_oci_image_free(img);
	pg_oci_image_free(img2);
	/* and it is byte for byte what `packgate build` writes uncompressed */
	ck_assert_int_eq(unlink(built), 0);
	ck_assert_int_eq(pg_build(src, built, PG_COMPRESS_NONE, NULL, id, &err), PG_OK);
	a = slurp(built, &la);
	b = slurp(re, &lb);
	ck_assert_uint_eq(la, lb);
	ck_assert_int_eq(memcmp(a, b, la), 0);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_round_trip_signed)
{
	static const char *names[] = { "signatures/CCCC.asc" };
	fx_spec s;
	char dir[PATH_MAX], pack[PATH_MAX + 16], re[PATH_MAX + 16], dir2[PATH_MAX];
	pg_oci_image *img, *img2;
	pg_pack *p;

	ck_assert_int_eq(fx_spec_good(&s), 0);
	s.compress = FX_COMPRESS_GZIP;
	ck_assert_ptr_nonnull(fx_add(&s, FX_END, FX_FILE, names[0], 0, "-----BEGIN PGP SIGNATURE-----\n", 30));
	fresh_dir(dir, sizeof dir);
	snprintf(pack, sizeof pack, "%s/p.mpk", dir);
	ck_assert_int_eq(fx_write_pack(pack, &s), 0);
	fx_spec_free(&s);
	reassemble(pack, dir, re, sizeof re, &img);
	p = load(re, NULL);
	ck_assert_str_eq(p->id, img->id);
	ck_assert_uint_eq(p->nsigs, 1);
	ck_assert_str_eq(p->sigs[0].path, names[0]);
	img2 = map_pack(p);
	ck_assert_str_eq(img2->digest, img->digest);
	pg_pack_free(p);
	pg_oci_image_free(img2);
	/* reassembling the reassembled pack changes nothing */
	fresh_dir(dir2, sizeof dir2);
	{
		char re2[PATH_MAX + 16];
		unsigned char *a, *b;
		size_t la, lb;
		pg_oci_image *img3;
		reassemble(re, dir2, re2, sizeof re2, &img3);
		a = slurp(re, &la);
		b = slurp(re2, &lb);
		ck_assert_uint_eq(la, lb);
		ck_assert_int_eq(memcmp(a, b, la), 0);
		free(a);
		free(b);
		pg_oci_image_free(img3);
	}
	pg_oci_image_free(img);
}
END_TEST

START_TEST(test_assemble_short_source)
{
	char dir[PATH_MAX], src[PATH_MAX + 8], out[PATH_MAX + 8];
	pg_oci_entry e = { "model.onnx", NULL, NULL, 10 };
	FILE *fp;
	pg_error err;

	fresh_dir(dir, sizeof dir);
	snprintf(src, sizeof src, "%s/blob", dir);
	fp = fopen(src, "wb");
	fputs("short", fp);
	fclose(fp);
	e.src = src;
	snprintf(out, sizeof out, "%s/out.mpk", dir);
	pg_error_clear(&err);
	ck_assert_int_eq(pg_oci_assemble(out, "{}", 2, &e, 1, &err), PG_IO_READ);
	ck_assert_str_eq(err.path, "model.onnx");
	ck_assert_int_eq(access(out, F_OK), -1); /* nothing left behind */
}
END_TEST

/* ------------------------------------------------------------ pull arguments */

static const struct {
	const char *arg, *remote;
	const char *url, *name, *tag; /* url NULL: refused (usage) */
} ref_cases[] = {
	{ "http://127.0.0.1:5000/team/skill.x:1.0.0", NULL, "http://127.0.0.1:5000/team", "skill.x", "1.0.0" },
	{ "https://reg.example/ml-team/sub/skill.x", NULL, "https://reg.example/ml-team/sub", "skill.x", NULL },
	{ "http://reg.example/skill.x", NULL, "http://reg.example", "skill.x", NULL },
	{ "skill.x:1.0.0_b.1", "https://r.example/ns", "https://r.example/ns", "skill.x", "1.0.0_b.1" },
	{ "sub/skill.x", "https://r.example/ns/", "https://r.example/ns/sub", "skill.x", NULL },
	{ "skill.x", NULL, NULL, NULL, NULL },
	{ "http://h.example/team/Skill", NULL, NULL, NULL, NULL },
	{ "http://h.example/team/skill.x:champion", NULL, NULL, NULL, NULL },
	{ "http://h.example/team/skill.x:", NULL, NULL, NULL, NULL },
	{ "http://h.example/Team/skill.x", NULL, NULL, NULL, NULL },
	{ "ftp://h.example/team/skill.x", NULL, NULL, NULL, NULL },
	{ "http://user@h.example/team/skill.x", NULL, NULL, NULL, NULL },
	{ "http://h.example/team/sha256", NULL, NULL, NULL, NULL },
};

START_TEST(test_parse_ref)
{
	char *url = NULL, *name = NULL, *tag = NULL;
	pg_error err;
	pg_code rc;

	pg_error_clear(&err);
	rc = pg_remote_parse_ref(ref_cases[_i].arg, ref_cases[_i].remote, &url, &name, &tag, &err);
	if (!ref_cases[_i].url) {
		ck_assert_int_eq(rc, PG_USAGE);
		ck_assert_ptr_null(url);
		ck_assert_ptr_null(name);
		ck_assert_ptr_null(tag);
		return;
	}
	ck_assert_msg(rc == PG_OK, "%s: %s", ref_cases[_i].arg, err.message);
	ck_assert_str_eq(url, ref_cases[_i].url);
	ck_assert_str_eq(name, ref_cases[_i].name);
	if (ref_cases[_i].tag)
		ck_assert_str_eq(tag, ref_cases[_i].tag);
	else
		ck_assert_ptr_null(tag);
	free(url);
	free(name);
	free(tag);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("oci");
	TCase *tc = tcase_create("mapping");

	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_media_type, 0, (int)(sizeof role_cases / sizeof role_cases[0]));
	tcase_add_loop_test(tc, test_tag, 0, (int)(sizeof tag_cases / sizeof tag_cases[0]));
	tcase_add_test(tc, test_tag_length);
	tcase_add_test(tc, test_referrers_tag);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_layers_and_manifest);
	tcase_add_test(tc, test_config_exact);
	tcase_add_test(tc, test_signatures);
	tcase_add_loop_test(tc, test_hostile, 0, (int)(sizeof hostile_cases / sizeof hostile_cases[0]));
	tcase_add_test(tc, test_id_mismatch);
	tcase_add_loop_test(tc, test_check_remote, 0, (int)(sizeof remote_cases / sizeof remote_cases[0]));
	tcase_add_test(tc, test_statement_manifest);
	tcase_add_test(tc, test_index);
	tcase_add_test(tc, test_index_cap);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_round_trip_signed);
	tcase_add_test(tc, test_assemble_short_source);
	tcase_add_loop_test(tc, test_parse_ref, 0, (int)(sizeof ref_cases / sizeof ref_cases[0]));
	suite_add_tcase(s, tc);
	return pg_check_run(s);
}
