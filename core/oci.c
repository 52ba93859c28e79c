/* oci.c — the pack <-> OCI mapping of CONTRACT section 9.
 *
 * Everything here is built as cJSON trees and serialised with pg_canon, so
 * the bytes depend on the inputs only.  The archive written by
 * pg_oci_assemble follows the layout of core/build.c (doc/build.md). */
#include "oci.h"

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

#include "build.h"
#include "canon.h"
#include "json.h"
#include "path.h"
#include "schema.h"

#define COPY_BLOCK (1024 * 1024)

static pg_code oom(pg_error *err)
{
	return pg_err(err, PG_IO_MEMORY, _("out of memory"));
}

const char *pg_oci_media_type(pg_role r)
{
	switch (r) {
	case PG_ROLE_WEIGHTS:
		return PG_OCI_MT_WEIGHT;
	case PG_ROLE_TOKENIZER:
	case PG_ROLE_CONFIG:
		return PG_OCI_MT_WEIGHT_CONFIG;
	default:
		return PG_OCI_MT_DOC;
	}
}

static int tag_char(char c, int first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
		return 1;
	return !first && (c == '.' || c == '-');
}

int pg_oci_tag(const char *version, char tag[PG_OCI_TAG_MAX + 1])
{
	size_t n = version ? strlen(version) : 0;

	tag[0] = '\0';
	if (n == 0 || n > PG_OCI_TAG_MAX)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = version[i] == '+' ? '_' : version[i];
		if (!tag_char(c, i == 0)) {
			tag[0] = '\0';
			return -1;
		}
		tag[i] = c;
	}
	tag[n] = '\0';
	return 0;
}

char *pg_oci_tag_version(const char *tag)
{
	char *v = strdup(tag);

	if (v)
		for (char *p = v; *p; p++)
			if (*p == '_')
				*p = '+';
	return v;
}

void pg_oci_referrers_tag(const char *digest, char tag[PG_OCI_DIGEST_SIZE])
{
	const char *hex = strncmp(digest, "sha256:", 7) == 0 ? digest + 7 : digest;

	snprintf(tag, PG_OCI_DIGEST_SIZE, "sha256-%.64s", hex);
}

/* ------------------------------------------------------------ JSON helpers */

/* Adds {mediaType, digest, size} (and artifactType when given) to a new
 * object; NULL when out of memory. */
static cJSON *descriptor(const char *media_type, const char *digest, uint64_t size)
{
	cJSON *d = cJSON_CreateObject();

	if (!d || !cJSON_AddStringToObject(d, "mediaType", media_type) ||
	    !cJSON_AddStringToObject(d, "digest", digest) || !cJSON_AddNumberToObject(d, "size", (double)size)) {
		cJSON_Delete(d);
		return NULL;
	}
	return d;
}

static void digest_of(const void *p, size_t n, char out[PG_OCI_DIGEST_SIZE])
{
	char hex[PG_SHA256_HEX];

	pg_sha256_hex(p, n, hex);
	snprintf(out, PG_OCI_DIGEST_SIZE, "sha256:%s", hex);
}

pg_code pg_oci_descriptor(const cJSON *d, const char *what, char digest[PG_OCI_DIGEST_SIZE], uint64_t *size,
                          pg_error *err)
{
	const char *dg = pg_json_str(pg_json_get(d, "digest"));
	const cJSON *sz = pg_json_get(d, "size");

	if (!cJSON_IsObject(d))
		return pg_err(err, PG_REMOTE_PROTOCOL, _("%s: not a descriptor object"), what);
	if (!dg || strncmp(dg, "sha256:", 7) != 0 || !pg_is_hex64(dg + 7))
		return pg_err(err, PG_REMOTE_PROTOCOL, _("%s: digest is not sha256:<64 lowercase hex>"), what);
	if (!pg_json_is_uint(sz, PG_INT_MAX))
		return pg_err(err, PG_REMOTE_PROTOCOL, _("%s: size is not a non-negative integer"), what);
	snprintf(digest, PG_OCI_DIGEST_SIZE, "%s", dg);
	*size = (uint64_t)sz->valuedouble;
	return PG_OK;
}

/* ------------------------------------------------------------ mapping */

void pg_oci_image_free(pg_oci_image *img)
{
	if (!img)
		return;
	for (size_t i = 0; i < img->nlayers; i++)
		free(img->layers[i].path);
	free(img->layers);
	free(img->name);
	free(img->version);
	free(img->manifest);
	free(img->config);
	free(img->pack_manifest);
	free(img);
}

static int sigin_cmp(const void *a, const void *b)
{
	return strcmp((*(const pg_oci_sigin *const *)a)->path, (*(const pg_oci_sigin *const *)b)->path);
}

/* Checks one signature path: signatures/NAME.asc, NAME one segment that
 * passes the path rules. */
static pg_code check_sig_path(const pg_oci_sigin *s, const pg_limits *lim, pg_error *err)
{
	size_t n = s->path ? strlen(s->path) : 0;
	pg_code rc;

	if (n) {
		rc = pg_path_check(s->path, n, lim, err);
		if (rc)
			return rc;
	}
	if (n <= 15 || strncmp(s->path, "signatures/", 11) != 0 || strchr(s->path + 11, '/') ||
	    strcmp(s->path + n - 4, ".asc") != 0) {
		pg_error_path(err, "%s", s->path ? s->path : "");
		return pg_err(err, PG_FILE_UNLISTED, _("%s: not a signature name (signatures/NAME.asc)"),
		              s->path ? s->path : "");
	}
	if (s->len > PG_SIG_MAX_BYTES) {
		pg_error_path(err, "%s", s->path);
		return pg_err(err, PG_LIMIT_ENTRY_BYTES, _("%s: %zu bytes, over the %llu-byte signature cap"), s->path,
		              s->len, (unsigned long long)PG_SIG_MAX_BYTES);
	}
	return PG_OK;
}

/* The config blob of a manifest (see oci.h). */
static pg_code make_config(const cJSON *m, const pg_oci_image *img, char **out, size_t *outlen, pg_error *err)
{
	cJSON *c = cJSON_CreateObject(), *d, *cfg, *fs, *ids;
	const char *quant = pg_json_str(pg_json_get(pg_json_get(m, "runtime"), "quantization"));
	pg_code rc;

	if (!c || !(d = cJSON_AddObjectToObject(c, "descriptor")) ||
	    !cJSON_AddStringToObject(d, "createdAt", pg_json_str(pg_json_get(m, "created_at"))) ||
	    !cJSON_AddStringToObject(d, "name", img->name) || !cJSON_AddStringToObject(d, "version", img->version) ||
	    !(cfg = cJSON_AddObjectToObject(c, "config")) || (quant && !cJSON_AddStringToObject(cfg, "quantization", quant)) ||
	    !(fs = cJSON_AddObjectToObject(c, "modelfs")) || !cJSON_AddStringToObject(fs, "type", "layers") ||
	    !(ids = cJSON_AddArrayToObject(fs, "diff_ids")))
		goto nomem;
	for (size_t i = 0; i < img->nlayers; i++) {
		cJSON *s;
		if (img->layers[i].kind == PG_OCI_LAYER_SIG)
			continue;
		s = cJSON_CreateString(img->layers[i].digest);
		if (!s || !cJSON_AddItemToArray(ids, s)) {
			cJSON_Delete(s);
			goto nomem;
		}
	}
	rc = pg_canon(c, out, outlen, err);
	cJSON_Delete(c);
	return rc;
nomem:
	cJSON_Delete(c);
	return oom(err);
}

/* The OCI manifest of an image whose layers and config are set. */
static pg_code make_manifest(pg_oci_image *img, pg_error *err)
{
	cJSON *m = cJSON_CreateObject(), *cfg, *layers, *ann;
	pg_code rc;

	if (!m || !cJSON_AddNumberToObject(m, "schemaVersion", 2) ||
	    !cJSON_AddStringToObject(m, "mediaType", PG_OCI_MT_MANIFEST) ||
	    !cJSON_AddStringToObject(m, "artifactType", PG_OCI_ARTIFACT_MODEL))
		goto nomem;
	cfg = descriptor(PG_OCI_MT_CONFIG, img->config_digest, img->config_len);
	if (!cfg || !cJSON_AddItemToObject(m, "config", cfg)) {
		cJSON_Delete(cfg);
		goto nomem;
	}
	if (!(layers = cJSON_AddArrayToObject(m, "layers")))
		goto nomem;
	for (size_t i = 0; i < img->nlayers; i++) {
		const pg_oci_layer *l = &img->layers[i];
		cJSON *d = descriptor(l->media_type, l->digest, l->size), *a;
		if (!d || !cJSON_AddItemToArray(layers, d)) {
			cJSON_Delete(d);
			goto nomem;
		}
		if (!(a = cJSON_AddObjectToObject(d, "annotations")) || !cJSON_AddStringToObject(a, PG_OCI_ANN_FILEPATH, l->path))
			goto nomem;
	}
	if (!(ann = cJSON_AddObjectToObject(m, "annotations")) || !cJSON_AddStringToObject(ann, PG_OCI_ANN_PACK_ID, img->id))
		goto nomem;
	rc = pg_canon(m, &img->manifest, &img->manifest_len, err);
	cJSON_Delete(m);
	if (!rc)
		digest_of(img->manifest, img->manifest_len, img->digest);
	return rc;
nomem:
	cJSON_Delete(m);
	return oom(err);
}

pg_code pg_oci_map(const char *manifest, size_t manifest_len, const pg_oci_sigin *sigs, size_t nsigs,
                   const pg_limits *lim, pg_oci_image **out, pg_error *err)
{
	pg_limits caps;
	pg_json_limits jlim;
	cJSON *m = NULL;
	char *canon = NULL, id[72];
	size_t canon_len = 0, nfiles, k = 0;
	const pg_oci_sigin **sorted = NULL;
	pg_oci_image *img = NULL;
	const cJSON *f;
	pg_code rc;

	*out = NULL;
	if (lim)
		caps = *lim;
	else
		pg_limits_default(&caps);
	pg_json_limits_from(&jlim, &caps);
	rc = pg_digest_init(err);
	if (rc)
		return rc;
	pg_error_path(err, "manifest.json");
	rc = pg_json_parse(manifest, manifest_len, &jlim, &m, err);
	if (rc)
		goto out;
	pg_error_path(err, "%s", "");
	rc = pg_schema_manifest(m, &caps, err);
	if (rc)
		goto out;
	rc = pg_pack_compute_id(m, id, err);
	if (rc)
		goto out;
	if (strcmp(id, pg_json_str(pg_json_get(m, "id"))) != 0) {
		pg_error_path(err, "id");
		rc = pg_err(err, PG_MANIFEST_ID_MISMATCH, _("manifest.json: id %s does not match the content, which hashes to %s"),
		            pg_json_str(pg_json_get(m, "id")), id);
		goto out;
	}
	rc = pg_canon(m, &canon, &canon_len, err);
	if (rc)
		goto out;
	if (canon_len != manifest_len || memcmp(canon, manifest, manifest_len) != 0) {
		pg_error_path(err, "manifest.json");
		rc = pg_err(err, PG_SCHEMA, _("manifest.json: not in RFC 8785 canonical form"));
		goto out;
	}

	/* signatures: valid names, no two alike, byte order of path */
	sorted = calloc(nsigs ? nsigs : 1, sizeof *sorted);
	if (!sorted) {
		rc = oom(err);
		goto out;
	}
	for (size_t i = 0; i < nsigs; i++) {
		rc = check_sig_path(&sigs[i], &caps, err);
		if (rc)
			goto out;
		sorted[i] = &sigs[i];
	}
	qsort(sorted, nsigs, sizeof *sorted, sigin_cmp);
	for (size_t i = 1; i < nsigs; i++) {
		char *a = pg_path_fold(sorted[i - 1]->path, strlen(sorted[i - 1]->path));
		char *b = pg_path_fold(sorted[i]->path, strlen(sorted[i]->path));
		int same = a && b && strcmp(a, b) == 0;
		free(a);
		free(b);
		if (!a || !b) {
			rc = oom(err);
			goto out;
		}
		if (same) {
			pg_error_path(err, "%s", sorted[i]->path);
			rc = pg_err(err, PG_ARCHIVE_DUPLICATE_ENTRY, _("%s: the same signature twice"), sorted[i]->path);
			goto out;
		}
	}

	img = calloc(1, sizeof *img);
	nfiles = (size_t)cJSON_GetArraySize(pg_json_get(m, "files"));
	if (!img || !(img->layers = calloc(1 + nfiles + nsigs, sizeof *img->layers))) {
		rc = oom(err);
		goto out;
	}
	memcpy(img->id, id, sizeof img->id);
	img->name = strdup(pg_json_str(pg_json_get(m, "name")));
	img->version = strdup(pg_json_str(pg_json_get(m, "version")));
	img->pack_manifest = canon;
	img->pack_manifest_len = canon_len;
	canon = NULL;
	if (!img->name || !img->version) {
		rc = oom(err);
		goto out;
	}

	/* manifest.json, the files in manifest order, the signatures */
	img->layers[0].kind = PG_OCI_LAYER_MANIFEST;
	img->layers[0].media_type = PG_OCI_MT_PACK_MANIFEST;
	img->layers[0].role = -1;
	img->layers[0].size = img->pack_manifest_len;
	digest_of(img->pack_manifest, img->pack_manifest_len, img->layers[0].digest);
	if (!(img->layers[0].path = strdup("manifest.json"))) {
		rc = oom(err);
		goto out;
	}
	img->nlayers = 1;
	cJSON_ArrayForEach(f, pg_json_get(m, "files")) {
		pg_oci_layer *l = &img->layers[img->nlayers];
		int role = pg_role_parse(pg_json_str(pg_json_get(f, "role")));

		l->kind = PG_OCI_LAYER_FILE;
		l->role = role;
		l->media_type = pg_oci_media_type((pg_role)role);
		l->size = (uint64_t)pg_json_get(f, "size")->valuedouble;
		snprintf(l->digest, sizeof l->digest, "sha256:%s", pg_json_str(pg_json_get(f, "sha256")));
		if (!(l->path = strdup(pg_json_str(pg_json_get(f, "path"))))) {
			rc = oom(err);
			goto out;
		}
		img->nlayers++;
	}
	for (k = 0; k < nsigs; k++) {
		pg_oci_layer *l = &img->layers[img->nlayers];

		l->kind = PG_OCI_LAYER_SIG;
		l->role = -1;
		l->sig = (size_t)(sorted[k] - sigs);
		l->media_type = PG_OCI_MT_SIG;
		l->size = sorted[k]->len;
		digest_of(sorted[k]->data, sorted[k]->len, l->digest);
		if (!(l->path = strdup(sorted[k]->path))) {
			rc = oom(err);
			goto out;
		}
		img->nlayers++;
	}
	rc = make_config(m, img, &img->config, &img->config_len, err);
	if (rc)
		goto out;
	digest_of(img->config, img->config_len, img->config_digest);
	rc = make_manifest(img, err);
	if (rc)
		goto out;
	pg_error_path(err, "%s", "");
	*out = img;
	img = NULL;
out:
	pg_oci_image_free(img);
	free(sorted);
	free(canon);
	cJSON_Delete(m);
	return rc;
}

pg_code pg_oci_map_pack(const pg_pack *p, const pg_limits *lim, pg_oci_image **out, pg_error *err)
{
	pg_oci_sigin *s = calloc(p->nsigs ? p->nsigs : 1, sizeof *s);
	pg_code rc;

	*out = NULL;
	if (!s)
		return oom(err);
	for (size_t i = 0; i < p->nsigs; i++) {
		s[i].path = p->sigs[i].path;
		s[i].data = p->sigs[i].armored;
		s[i].len = p->sigs[i].len;
	}
	rc = pg_oci_map(p->manifest_canon, p->manifest_canon_len, s, p->nsigs, lim, out, err);
	free(s);
	return rc;
}

/* ------------------------------------------------------------ remote check */

pg_code pg_oci_find_manifest_layer(const cJSON *remote, const cJSON **mlayer, pg_error *err)
{
	const char *mt = pg_json_str(pg_json_get(remote, "mediaType"));
	const char *at = pg_json_str(pg_json_get(remote, "artifactType"));
	const cJSON *layers = pg_json_get(remote, "layers"), *l;
	const cJSON *found = NULL;

	*mlayer = NULL;
	if (!cJSON_IsObject(remote))
		return pg_err(err, PG_REMOTE_PROTOCOL, _("the registry's manifest is not a JSON object"));
	if (!mt || strcmp(mt, PG_OCI_MT_MANIFEST) != 0)
		return pg_err(err, PG_REMOTE_PROTOCOL, _("the registry's manifest has mediaType %s, not %s"),
		              mt ? mt : "(none)", PG_OCI_MT_MANIFEST);
	if (!pg_json_is_uint(pg_json_get(remote, "schemaVersion"), 2) || pg_json_get(remote, "schemaVersion")->valuedouble != 2)
		return pg_err(err, PG_REMOTE_PROTOCOL, _("the registry's manifest does not have schemaVersion 2"));
	if (!at || strcmp(at, PG_OCI_ARTIFACT_MODEL) != 0)
		return pg_err(err, PG_REMOTE_PROTOCOL, _("the registry's manifest has artifactType %s, not %s"),
		              at ? at : "(none)", PG_OCI_ARTIFACT_MODEL);
	if (!cJSON_IsArray(layers))
		return pg_err(err, PG_REMOTE_PROTOCOL, _("the registry's manifest has no layers list"));
	cJSON_ArrayForEach(l, layers) {
		const char *lmt = pg_json_str(pg_json_get(l, "mediaType"));
		if (!lmt || strcmp(lmt, PG_OCI_MT_PACK_MANIFEST) != 0)
			continue;
		if (found)
			return pg_err(err, PG_REMOTE_PROTOCOL, _("the registry's manifest has two %s layers"),
			              PG_OCI_MT_PACK_MANIFEST);
		found = l;
	}
	if (!found)
		return pg_err(err, PG_REMOTE_PROTOCOL, _("the registry's manifest has no %s layer"), PG_OCI_MT_PACK_MANIFEST);
	{
		const char *p = pg_json_str(pg_json_get(pg_json_get(found, "annotations"), PG_OCI_ANN_FILEPATH));
		if (!p || strcmp(p, "manifest.json") != 0)
			return pg_err(err, PG_REMOTE_PROTOCOL, _("the %s layer is not annotated as manifest.json"),
			              PG_OCI_MT_PACK_MANIFEST);
	}
	*mlayer = found;
	return PG_OK;
}

static const pg_oci_layer *layer_by_path(const pg_oci_image *img, const char *path)
{
	for (size_t i = 0; i < img->nlayers; i++)
		if (strcmp(img->layers[i].path, path) == 0)
			return &img->layers[i];
	return NULL;
}

pg_code pg_oci_check_remote(const cJSON *remote, const pg_oci_image *img, const pg_limits *lim, pg_error *err)
{
	const cJSON *mlayer, *l, *cfg;
	const char *cmt;
	char *seen = NULL, digest[PG_OCI_DIGEST_SIZE];
	uint64_t size;
	int idx = 0;
	pg_code rc;

	rc = pg_oci_find_manifest_layer(remote, &mlayer, err);
	if (rc)
		return rc;
	cfg = pg_json_get(remote, "config");
	cmt = pg_json_str(pg_json_get(cfg, "mediaType"));
	if (!cmt || strcmp(cmt, PG_OCI_MT_CONFIG) != 0)
		return pg_err(err, PG_REMOTE_PROTOCOL, _("the registry's manifest has a config of type %s, not %s"),
		              cmt ? cmt : "(none)", PG_OCI_MT_CONFIG);
	seen = calloc(img->nlayers ? img->nlayers : 1, 1);
	if (!seen)
		return oom(err);
	cJSON_ArrayForEach(l, pg_json_get(remote, "layers")) {
		const char *path = pg_json_str(pg_json_get(pg_json_get(l, "annotations"), PG_OCI_ANN_FILEPATH));
		const char *lmt = pg_json_str(pg_json_get(l, "mediaType"));
		const pg_oci_layer *want;
		char what[48];

		snprintf(what, sizeof what, "layers[%d]", idx++);
		if (!path) {
			rc = pg_err(err, PG_REMOTE_PROTOCOL, _("%s: no %s annotation"), what, PG_OCI_ANN_FILEPATH);
			goto out;
		}
		rc = pg_path_check(path, strlen(path), lim, err);
		if (rc)
			goto out;
		want = layer_by_path(img, path);
		pg_error_path(err, "%s", path);
		if (!want) {
			rc = pg_err(err, PG_FILE_UNLISTED, _("%s: a layer of the registry's manifest that the pack does not list"), path);
			goto out;
		}
		if (!lmt || strcmp(lmt, want->media_type) != 0) {
			rc = pg_err(err, PG_REMOTE_PROTOCOL, _("%s: layer media type %s, expected %s"), path, lmt ? lmt : "(none)",
			            want->media_type);
			goto out;
		}
		rc = pg_oci_descriptor(l, what, digest, &size, err);
		if (rc)
			goto out;
		if (size != want->size) {
			rc = pg_err(err, PG_SIZE_MISMATCH, _("%s: the layer has %llu bytes, the pack lists %llu"), path,
			            (unsigned long long)size, (unsigned long long)want->size);
			goto out;
		}
		if (strcmp(digest, want->digest) != 0) {
			rc = pg_err(err, PG_DIGEST_MISMATCH, _("%s: the layer digest %s is not the listed %s"), path, digest,
			            want->digest);
			goto out;
		}
		seen[want - img->layers] = 1;
	}
	for (size_t i = 0; i < img->nlayers; i++)
		if (!seen[i]) {
			pg_error_path(err, "%s", img->layers[i].path);
			rc = pg_err(err, PG_FILE_MISSING, _("%s: listed in the pack but not a layer of the registry's manifest"),
			            img->layers[i].path);
			goto out;
		}
	pg_error_path(err, "%s", "");
	{
		char *canon = NULL;
		size_t len;
		rc = pg_canon(remote, &canon, &len, err);
		if (rc)
			goto out;
		if (len != img->manifest_len || memcmp(canon, img->manifest, len) != 0)
			rc = pg_err(err, PG_REMOTE_PROTOCOL,
			            _("the registry's manifest is not the one packgate derives for %s@%s (%s)"), img->name,
			            img->version, img->digest);
		free(canon);
	}
out:
	free(seen);
	return rc;
}

/* ------------------------------------------------------------ statements */

pg_code pg_oci_statement_manifest(pg_stmt_kind kind, const char *statement, size_t len, const char *signature,
                                  size_t siglen, const char *subject_digest, uint64_t subject_size, char **out,
                                  size_t *outlen, char digest[PG_OCI_DIGEST_SIZE], pg_error *err)
{
	cJSON *m = cJSON_CreateObject(), *d, *layers;
	char dg[PG_OCI_DIGEST_SIZE];
	pg_code rc;

	*out = NULL;
	if (!m || !cJSON_AddNumberToObject(m, "schemaVersion", 2) ||
	    !cJSON_AddStringToObject(m, "mediaType", PG_OCI_MT_MANIFEST) ||
	    !cJSON_AddStringToObject(m, "artifactType",
	                             kind == PG_STMT_APPROVAL ? PG_OCI_ARTIFACT_APPROVAL : PG_OCI_ARTIFACT_TRANSITION))
		goto nomem;
	if (!(d = descriptor(PG_OCI_MT_EMPTY, PG_OCI_EMPTY_DIGEST, 2)) || !cJSON_AddItemToObject(m, "config", d)) {
		cJSON_Delete(d);
		goto nomem;
	}
	if (!(layers = cJSON_AddArrayToObject(m, "layers")))
		goto nomem;
	digest_of(statement, len, dg);
	if (!(d = descriptor(PG_OCI_MT_STATEMENT, dg, len)) || !cJSON_AddItemToArray(layers, d)) {
		cJSON_Delete(d);
		goto nomem;
	}
	digest_of(signature, siglen, dg);
	if (!(d = descriptor(PG_OCI_MT_SIG, dg, siglen)) || !cJSON_AddItemToArray(layers, d)) {
		cJSON_Delete(d);
		goto nomem;
	}
	if (!(d = descriptor(PG_OCI_MT_MANIFEST, subject_digest, subject_size)) || !cJSON_AddItemToObject(m, "subject", d)) {
		cJSON_Delete(d);
		goto nomem;
	}
	rc = pg_canon(m, out, outlen, err);
	cJSON_Delete(m);
	if (!rc)
		digest_of(*out, *outlen, digest);
	return rc;
nomem:
	cJSON_Delete(m);
	return oom(err);
}

pg_code pg_oci_referrer_parse(const cJSON *m, pg_oci_referrer *out, pg_error *err)
{
	const char *mt = pg_json_str(pg_json_get(m, "mediaType"));
	const char *at = pg_json_str(pg_json_get(m, "artifactType"));
	const cJSON *cfg = pg_json_get(m, "config"), *layers = pg_json_get(m, "layers");
	char dg[PG_OCI_DIGEST_SIZE];
	uint64_t size;
	pg_code rc;

	memset(out, 0, sizeof *out);
	if (!cJSON_IsObject(m) || !mt || strcmp(mt, PG_OCI_MT_MANIFEST) != 0)
		return pg_err(err, PG_REMOTE_PROTOCOL, _("a referrer is not an OCI image manifest"));
	if (at && strcmp(at, PG_OCI_ARTIFACT_APPROVAL) == 0)
		out->kind = PG_STMT_APPROVAL;
	else if (at && strcmp(at, PG_OCI_ARTIFACT_TRANSITION) == 0)
		out->kind = PG_STMT_TRANSITION;
	else
		return pg_err(err, PG_REMOTE_PROTOCOL, _("a referrer has artifactType %s, not a packgate statement"),
		              at ? at : "(none)");
	rc = pg_oci_descriptor(cfg, "config", dg, &size, err);
	if (rc)
		return rc;
	if (strcmp(dg, PG_OCI_EMPTY_DIGEST) != 0 || size != 2 ||
	    !pg_json_str(pg_json_get(cfg, "mediaType")) || strcmp(pg_json_str(pg_json_get(cfg, "mediaType")), PG_OCI_MT_EMPTY) != 0)
		return pg_err(err, PG_REMOTE_PROTOCOL, _("a statement referrer's config is not the empty descriptor"));
	if (!cJSON_IsArray(layers) || cJSON_GetArraySize(layers) != 2)
		return pg_err(err, PG_REMOTE_PROTOCOL, _("a statement referrer must have exactly two layers"));
	{
		const cJSON *a = cJSON_GetArrayItem(layers, 0), *b = cJSON_GetArrayItem(layers, 1);
		const char *amt = pg_json_str(pg_json_get(a, "mediaType")), *bmt = pg_json_str(pg_json_get(b, "mediaType"));
		if (!amt || strcmp(amt, PG_OCI_MT_STATEMENT) != 0 || !bmt || strcmp(bmt, PG_OCI_MT_SIG) != 0)
			return pg_err(err, PG_REMOTE_PROTOCOL, _("a statement referrer's layers are not %s and %s"),
			              PG_OCI_MT_STATEMENT, PG_OCI_MT_SIG);
		rc = pg_oci_descriptor(a, "layers[0]", out->statement_digest, &out->statement_size, err);
		if (!rc)
			rc = pg_oci_descriptor(b, "layers[1]", out->signature_digest, &out->signature_size, err);
		if (rc)
			return rc;
	}
	rc = pg_oci_descriptor(pg_json_get(m, "subject"), "subject", out->subject, &size, err);
	return rc;
}

/* ------------------------------------------------------------ indexes */

void pg_oci_refs_free(pg_oci_refs *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].artifact_type);
		free(r->v[i].media_type);
	}
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

static pg_code index_header(const cJSON *index, pg_error *err)
{
	const cJSON *mt = pg_json_get(index, "mediaType");

	if (!cJSON_IsObject(index))
		return pg_err(err, PG_REMOTE_PROTOCOL, _("an image index is not a JSON object"));
	if (mt && (!pg_json_str(mt) || strcmp(pg_json_str(mt), PG_OCI_MT_INDEX) != 0))
		return pg_err(err, PG_REMOTE_PROTOCOL, _("an image index has mediaType %s"),
		              pg_json_str(mt) ? pg_json_str(mt) : "(not a string)");
	if (!pg_json_is_uint(pg_json_get(index, "schemaVersion"), 2) ||
	    pg_json_get(index, "schemaVersion")->valuedouble != 2)
		return pg_err(err, PG_REMOTE_PROTOCOL, _("an image index does not have schemaVersion 2"));
	if (!cJSON_IsArray(pg_json_get(index, "manifests")))
		return pg_err(err, PG_REMOTE_PROTOCOL, _("an image index has no manifests list"));
	return PG_OK;
}

pg_code pg_oci_index_parse(const cJSON *index, pg_oci_refs *out, pg_error *err)
{
	const cJSON *e;
	size_t n, i = 0;
	pg_code rc;

	pg_oci_refs_free(out);
	rc = index_header(index, err);
	if (rc)
		return rc;
	n = (size_t)cJSON_GetArraySize(pg_json_get(index, "manifests"));
	if (n > PG_OCI_INDEX_MAX)
		return pg_err(err, PG_LIMIT_ENTRIES, _("an image index of %zu entries, more than %d"), n, PG_OCI_INDEX_MAX);
	out->v = calloc(n ? n : 1, sizeof *out->v);
	if (!out->v)
		return oom(err);
	cJSON_ArrayForEach(e, pg_json_get(index, "manifests")) {
		pg_oci_ref *r = &out->v[i];
		const char *at = pg_json_str(pg_json_get(e, "artifactType"));
		const char *mt = pg_json_str(pg_json_get(e, "mediaType"));
		char what[48];

		snprintf(what, sizeof what, "manifests[%zu]", i);
		rc = pg_oci_descriptor(e, what, r->digest, &r->size, err);
		if (rc)
			goto fail;
		if (!mt) {
			rc = pg_err(err, PG_REMOTE_PROTOCOL, _("%s: no mediaType"), what);
			goto fail;
		}
		r->media_type = strdup(mt);
		r->artifact_type = at ? strdup(at) : NULL;
		out->n = ++i;
		if (!r->media_type || (at && !r->artifact_type)) {
			rc = oom(err);
			goto fail;
		}
	}
	return PG_OK;
fail:
	out->n = i;
	pg_oci_refs_free(out);
	return rc;
}

static int item_digest_cmp(const void *a, const void *b)
{
	const char *x = pg_json_str(pg_json_get(*(cJSON *const *)a, "digest"));
	const char *y = pg_json_str(pg_json_get(*(cJSON *const *)b, "digest"));

	return strcmp(x ? x : "", y ? y : "");
}

pg_code pg_oci_index_add(const cJSON *index, const char *media_type, const char *artifact_type, const char *digest,
                         uint64_t size, char **out, size_t *outlen, int *changed, pg_error *err)
{
	cJSON *ix = NULL, *list, *d = NULL, *e, **items = NULL;
	size_t n = 0, k = 0;
	pg_code rc;

	*out = NULL;
	*changed = 1;
	if (index) {
		rc = index_header(index, err);
		if (rc)
			return rc;
		ix = cJSON_Duplicate(index, 1);
	} else {
		ix = cJSON_CreateObject();
		if (ix && (!cJSON_AddNumberToObject(ix, "schemaVersion", 2) || !cJSON_AddArrayToObject(ix, "manifests"))) {
			cJSON_Delete(ix);
			ix = NULL;
		}
	}
	if (!ix)
		return oom(err);
	if (!pg_json_get(ix, "mediaType") && !cJSON_AddStringToObject(ix, "mediaType", PG_OCI_MT_INDEX))
		goto nomem;
	list = pg_json_get(ix, "manifests");
	d = descriptor(media_type, digest, size);
	if (!d || (artifact_type && !cJSON_AddStringToObject(d, "artifactType", artifact_type)))
		goto nomem;
	/* drop the entries with this digest; note whether ours was there as is */
	for (e = list->child; e;) {
		cJSON *next = e->next;
		const char *dg = pg_json_str(pg_json_get(e, "digest"));
		if (dg && strcmp(dg, digest) == 0) {
			if (cJSON_Compare(e, d, 1))
				*changed = 0;
			cJSON_Delete(cJSON_DetachItemViaPointer(list, e));
		}
		e = next;
	}
	if (!cJSON_AddItemToArray(list, d))
		goto nomem;
	d = NULL;
	/* sort by digest: rebuild the list in order */
	n = (size_t)cJSON_GetArraySize(list);
	items = calloc(n ? n : 1, sizeof *items);
	if (!items)
		goto nomem;
	while (list->child)
		items[k++] = cJSON_DetachItemViaPointer(list, list->child);
	qsort(items, n, sizeof *items, item_digest_cmp);
	for (k = 0; k < n; k++)
		cJSON_AddItemToArray(list, items[k]);
	free(items);
	rc = pg_canon(ix, out, outlen, err);
	cJSON_Delete(ix);
	return rc;
nomem:
	cJSON_Delete(d);
	cJSON_Delete(ix);
	return oom(err);
}

/* ------------------------------------------------------------ reassembly */

static int entry_cmp(const void *a, const void *b)
{
	return strcmp((*(const pg_oci_entry *const *)a)->path, (*(const pg_oci_entry *const *)b)->path);
}

struct pg_oci_writer {
	struct archive *a;
	const pg_oci_entry *e;
	const char *label;
	uint64_t got;
	pg_oci_out_fn out;
	void *out_ctx;
	int peer_gone;     /* the output's reader is gone (EPIPE) */
	int write_errno;
	int stopped;       /* failed: nothing more goes out */
};

static pg_code write_fail(pg_oci_writer *w, pg_error *err)
{
	int e = w->write_errno ? w->write_errno : archive_errno(w->a);

	if (e > 0)
		return pg_err_errno(err, e, 1, w->label);
	return pg_err(err, PG_IO_WRITE, _("%s: %s"), w->label,
	              archive_error_string(w->a) ? archive_error_string(w->a) : _("write error"));
}

static la_ssize_t out_write(struct archive *a, void *ctx, const void *buf, size_t n)
{
	pg_oci_writer *w = ctx;
	int e;

	(void)a;
	if (w->stopped)
		return -1;
	e = w->out(w->out_ctx, buf, n);
	if (e) {
		w->write_errno = e;
		w->peer_gone = e == EPIPE;
		return -1;
	}
	return (la_ssize_t)n;
}

/* pg_oci_assemble's output: a file */
static int fd_out(void *ctx, const void *buf, size_t n)
{
	int fd = *(int *)ctx;
	size_t done = 0;

	while (done < n) {
		ssize_t k = write(fd, (const char *)buf + done, n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return errno;
		done += (size_t)k;
	}
	return 0;
}

pg_code pg_oci_writer_put(pg_oci_writer *w, const void *buf, size_t n, pg_error *err)
{
	if (n > w->e->size - w->got) {
		pg_error_path(err, "%s", w->e->path);
		return pg_err(err, PG_DIGEST_MISMATCH, _("%s: more than the %llu bytes listed"), w->e->path,
		              (unsigned long long)w->e->size);
	}
	if (n && archive_write_data(w->a, buf, n) != (la_ssize_t)n)
		return write_fail(w, err);
	w->got += n;
	return PG_OK;
}

/* The bytes of a member read from its file. */
static pg_code fill_from_file(pg_oci_writer *w, unsigned char *block, pg_error *err)
{
	const pg_oci_entry *e = w->e;
	ssize_t n = 0;
	pg_code rc = PG_OK;
	int fd = open(e->src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return pg_err_errno(err, errno, 0, e->src);
	while (w->got < e->size && (n = read(fd, block, COPY_BLOCK)) > 0) {
		if ((uint64_t)n > e->size - w->got)
			break;
		if ((rc = pg_oci_writer_put(w, block, (size_t)n, err)))
			goto out;
	}
	if (n < 0) {
		rc = pg_err_errno(err, errno, 0, e->src);
	} else if (w->got != e->size || read(fd, block, 1) != 0) {
		pg_error_path(err, "%s", e->path);
		rc = pg_err(err, PG_IO_READ, _("%s: the downloaded file does not have the listed size"), e->path);
	}
out:
	close(fd);
	return rc;
}

static pg_code put_entry(pg_oci_writer *w, struct archive_entry *ae, const pg_oci_entry *e, unsigned char *block,
                         pg_oci_fill_fn fill, void *ctx, pg_error *err)
{
	pg_code rc;

	w->e = e;
	w->got = 0;
	pg_build_entry(ae, e->path, AE_IFREG, e->size);
	if (archive_write_header(w->a, ae) != ARCHIVE_OK)
		return write_fail(w, err);
	if (e->src)
		rc = fill_from_file(w, block, err);
	else if (e->data)
		rc = pg_oci_writer_put(w, e->data, (size_t)e->size, err);
	else if (fill)
		rc = fill(ctx, e, w, err);
	else
		rc = pg_err(err, PG_IO_READ, _("%s: no source for its bytes"), e->path);
	if (!rc && w->got != e->size) {
		/* only a fill can stop short: the registry sent too few bytes */
		pg_error_path(err, "%s", e->path);
		rc = pg_err(err, PG_DIGEST_MISMATCH, _("%s: %llu bytes where %llu are listed"), e->path,
		            (unsigned long long)w->got, (unsigned long long)e->size);
	}
	return rc;
}

pg_code pg_oci_assemble_to(pg_oci_out_fn out, void *out_ctx, int unblocked, const char *label, const char *manifest,
                           size_t manifest_len, const pg_oci_entry *entries, size_t n, pg_oci_fill_fn fill, void *ctx,
                           int *peer_gone, pg_error *err)
{
	const pg_oci_entry **sorted = calloc(n ? n : 1, sizeof *sorted);
	unsigned char *block = malloc(COPY_BLOCK);
	struct archive_entry *ae = archive_entry_new();
	locale_t utf8 = (locale_t)0, prev = (locale_t)0, lbase;
	pg_oci_writer w;
	pg_code rc = PG_OK;

	memset(&w, 0, sizeof w);
	w.out = out;
	w.out_ctx = out_ctx;
	w.label = label;
	w.a = archive_write_new();
	if (peer_gone)
		*peer_gone = 0;
	if (!sorted || !block || !w.a || !ae) {
		rc = oom(err);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		sorted[i] = &entries[i];
	qsort(sorted, n, sizeof *sorted, entry_cmp);
	archive_write_set_format_pax_restricted(w.a);
	archive_write_add_filter_none(w.a);
	/* the bytes are the same either way, as the last block is not padded:
	 * big blocks make fewer writes to a file, none (every write passed
	 * on as it comes) saves a copy when out copies anyway */
	archive_write_set_bytes_per_block(w.a, unblocked ? 0 : COPY_BLOCK);
	archive_write_set_bytes_in_last_block(w.a, 1);
	/* the thread's locale with LC_CTYPE "C.UTF-8": LC_MESSAGES stays */
	lbase = duplocale(uselocale((locale_t)0));
	utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", lbase);
	if (!utf8 && lbase)
		freelocale(lbase);
	if (utf8)
		prev = uselocale(utf8);
	if (archive_write_open2(w.a, &w, NULL, out_write, NULL, NULL) != ARCHIVE_OK) {
		rc = write_fail(&w, err);
		goto out;
	}
	{
		pg_oci_entry m = { "manifest.json", NULL, manifest, manifest_len };
		rc = put_entry(&w, ae, &m, block, NULL, NULL, err);
	}
	for (size_t i = 0; i < n && !rc; i++)
		rc = put_entry(&w, ae, sorted[i], block, fill, ctx, err);
	if (!rc && archive_write_close(w.a) != ARCHIVE_OK)
		rc = write_fail(&w, err);
out:
	/* a failed archive must end where it failed: libarchive would pad the
	 * member and close the archive, and the reader would take the padding
	 * for the member's bytes */
	if (rc)
		w.stopped = 1;
	if (utf8) {
		uselocale(prev);
		freelocale(utf8);
	}
	if (w.a)
		archive_write_free(w.a);
	archive_entry_free(ae);
	if (peer_gone)
		*peer_gone = w.peer_gone;
	free(block);
	free(sorted);
	return rc;
}

pg_code pg_oci_assemble(const char *out_path, const char *manifest, size_t manifest_len, const pg_oci_entry *entries,
                        size_t n, pg_error *err)
{
	int fd = open(out_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	pg_code rc;

	if (fd < 0)
		return pg_err_errno(err, errno, 1, out_path);
	rc = pg_oci_assemble_to(fd_out, &fd, 0, out_path, manifest, manifest_len, entries, n, NULL, NULL, NULL, err);
	/* no fsync: the reassembled pack is scratch; what must survive a crash
	 * is the registry's blob store, which the import syncs itself */
	if (close(fd) != 0 && !rc)
		rc = pg_err_errno(err, errno, 1, out_path);
	if (rc)
		unlink(out_path);
	return rc;
}
