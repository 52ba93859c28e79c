/* fixtures.c — test-time generator of well-formed and hostile packs.
 *
 * See fixtures.h.  The first half builds and writes packs; the second half is
 * the case table (one builder per case) that check_pack and mkfixtures share.
 */
#include "fixtures.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <archive.h>
#include <archive_entry.h>

#include "digest.h"
#include "pack.h"

/* ------------------------------------------------------------------ data */

#define FX_PARENT "sha256:63fb0804a1416cd5d130d7359754b27dd644004fbb1b719aedcbb2960a92f50f"
#define FX_DATA_SHA "f56defe888111695044f72496953388007e60842a64f14973e657a1b43e451c9"
#define FX_MODEL_LEN 4096
#define FX_GIB ((uint64_t)1 << 30)

const char fx_parent_id[] = FX_PARENT;

static const char manifest_base_json[] =
	"{\"schema_version\":1,"
	"\"name\":\"skill.math.reasoner\","
	"\"version\":\"1.3.0\","
	"\"created_at\":\"2026-06-26T12:00:00Z\","
	"\"parents\":[\"" FX_PARENT "\"],"
	"\"operator\":\"fine-tune\","
	"\"input_contract\":\"text-question/v1\","
	"\"output_contract\":\"worked-answer/v1\","
	"\"runtime\":{\"backend\":\"onnxruntime\",\"tokenizer\":\"sentencepiece\",\"quantization\":\"q4\"},"
	"\"resource_profile\":{\"bytes\":420000000,\"expected_p95_ms\":900,\"peak_ram_bytes\":760000000},"
	"\"risk_profile\":{\"data_lineage\":\"approved-math-mixture\",\"license\":\"reviewed\",\"safety_tier\":\"medium\"},"
	"\"evaluation_card\":\"evaluation-card.json\","
	"\"lifecycle_state\":\"candidate\"}";

static const char doc_tokenizer[] =
	"{\"version\":\"1.0\",\"model\":{\"type\":\"Unigram\",\"unk_id\":0,"
	"\"vocab\":[[\"<unk>\",0],[\"\\u2581the\",-2.5],[\"7\",-4.25]]}}\n";

static const char doc_contract[] =
	"{\n"
	"  \"input_contract\": \"text-question/v1\",\n"
	"  \"output_contract\": \"worked-answer/v1\",\n"
	"  \"maximum_permissions\": {\n"
	"    \"tools\": [\"calculator\", \"python-sandbox\"],\n"
	"    \"files\": [],\n"
	"    \"network\": [],\n"
	"    \"data_classes\": [\"public\", \"internal\"]\n"
	"  }\n"
	"}\n";

static const char doc_lineage[] =
	"{\n"
	"  \"parents\": [{\"id\": \"" FX_PARENT "\", \"name\": \"skill.math.base\", \"version\": \"1.0.0\"}],\n"
	"  \"operator\": \"fine-tune\",\n"
	"  \"operator_params\": {\"epochs\": 3, \"learning_rate\": 0.0002, \"lora\": false},\n"
	"  \"data\": [{\"name\": \"approved-math-mixture\", \"version\": \"2026.06\", \"sha256\": \"" FX_DATA_SHA "\"}],\n"
	"  \"training\": {\"code_revision\": \"4f2a9c1\", \"seed\": 1234, \"hardware\": \"8x A100 80GB\", \"container\": \"registry.example/train:1.4\"},\n"
	"  \"created_by\": \"ml-platform\"\n"
	"}\n";

static const char doc_eval[] =
	"{\n"
	"  \"id\": \"eval-skill.math.reasoner-1.3.0\",\n"
	"  \"created_at\": \"2026-06-25T09:30:00Z\",\n"
	"  \"headline\": {\"suite\": \"gsm8k\", \"metric\": \"accuracy\"},\n"
	"  \"suites\": [\n"
	"    {\"name\": \"gsm8k\", \"version\": \"1.0\",\n"
	"     \"metrics\": [{\"name\": \"accuracy\", \"value\": 0.812, \"ci\": [0.791, 0.833], \"confidence\": 0.95, \"n\": 1319, \"higher_is_better\": true}],\n"
	"     \"slices\": [{\"name\": \"multi-step\", \"metrics\": [{\"name\": \"accuracy\", \"value\": 0.74, \"n\": 412}]}]}\n"
	"  ],\n"
	"  \"failed_cases\": [\n"
	"    {\"suite\": \"gsm8k\", \"case\": \"q-0042\", \"input\": \"A train leaves at 3pm at 60 km/h...\", \"expected\": \"17\", \"actual\": \"19\", \"reason\": \"arithmetic slip in step 3\"}\n"
	"  ],\n"
	"  \"calibration\": {\"bins\": [{\"confidence\": 0.9, \"accuracy\": 0.88, \"count\": 500}]},\n"
	"  \"costs\": {\"latency_ms\": {\"p50\": 310, \"p95\": 820, \"p99\": 1100, \"histogram\": [{\"le\": 500, \"count\": 700}, {\"le\": 1000, \"count\": 590}]}},\n"
	"  \"safety\": [{\"test\": \"refusal-harmful\", \"passed\": true, \"score\": 0.99}]\n"
	"}\n";

static const char doc_permissions[] =
	"{\"requested\": {\"tools\": [\"calculator\"], \"data_classes\": [\"public\"]}, \"denied\": [\"network\"]}\n";

static const char doc_license[] =
	"{\n"
	"  \"model\": {\"license\": \"Apache-2.0\"},\n"
	"  \"data\": [{\"name\": \"approved-math-mixture\", \"license\": \"CC-BY-4.0\", \"obligations\": [\"attribution\"]}],\n"
	"  \"code\": [{\"name\": \"trainer\", \"license\": \"MIT\"}],\n"
	"  \"redistribution\": \"allowed\",\n"
	"  \"obligations\": [\"ship NOTICE\"],\n"
	"  \"notice\": \"Copyright 2026 Example Labs.\"\n"
	"}\n";

static const char doc_readme[] =
	"# skill.math.reasoner 1.3.0\n\nA fine-tune of skill.math.base for worked answers.\n";

static const char doc_resource[] =
	"{\"bytes\": 420000000, \"peak_ram_bytes\": 760000000, \"latency_ms\": {\"p50\": 310, \"p95\": 820},"
	" \"throughput_per_s\": 12.5, \"energy_class\": \"B\", \"hardware\": [\"nvidia-l4\"]}\n";

static const char doc_rollback[] =
	"{\"compatible_prior\": [\"" FX_PARENT "\"], \"migration\": \"none needed\"}\n";

static const char sig_text[] =
	"-----BEGIN PGP SIGNATURE-----\n\n"
	"iHUEABYKAB0WIQTpackgatefixturesignaturenotarealsignatureAAoJEB8x\n"
	"=fx00\n"
	"-----END PGP SIGNATURE-----\n";

static unsigned char model_bytes[FX_MODEL_LEN];
static fx_member good_members[8];
static int good_ready;

void fx_fill(unsigned char *p, size_t n, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 12345u;

	for (size_t i = 0; i < n; i++) {
		x = x * 1664525u + 1013904223u;
		p[i] = (unsigned char)(x >> 24);
	}
}

#define MEMBER(i, p, r, d, l) do { good_members[i].path = (p); \
	good_members[i].role = (r); good_members[i].data = (const unsigned char *)(d); \
	good_members[i].len = (l); } while (0)

size_t fx_good_members(const fx_member **out)
{
	if (!good_ready) {
		static const unsigned char head[] = "\x08\x07\x12\x0bpackgate-fx\x1a\x03" "1.0";

		fx_fill(model_bytes, sizeof model_bytes, 1);
		memcpy(model_bytes, head, sizeof head - 1);
		MEMBER(0, "model.onnx", "weights", model_bytes, sizeof model_bytes);
		MEMBER(1, "tokenizer.json", "tokenizer", doc_tokenizer, sizeof doc_tokenizer - 1);
		MEMBER(2, "contract.json", "contract", doc_contract, sizeof doc_contract - 1);
		MEMBER(3, "lineage.json", "lineage", doc_lineage, sizeof doc_lineage - 1);
		MEMBER(4, "evaluation-card.json", "evaluation-card", doc_eval, sizeof doc_eval - 1);
		MEMBER(5, "permissions.json", "permissions", doc_permissions, sizeof doc_permissions - 1);
		MEMBER(6, "license-notice.json", "license-notice", doc_license, sizeof doc_license - 1);
		MEMBER(7, "README.md", "doc", doc_readme, sizeof doc_readme - 1);
		good_ready = 1;
	}
	*out = good_members;
	return sizeof good_members / sizeof good_members[0];
}

cJSON *fx_manifest_base(void)
{
	return cJSON_Parse(manifest_base_json);
}

/* ------------------------------------------------------------------ spec */

void fx_spec_init(fx_spec *s)
{
	memset(s, 0, sizeof *s);
	s->format = FX_FORMAT_PAX;
	s->compress = FX_COMPRESS_NONE;
	pg_limits_default(&s->limits);
}

static void entry_free(fx_entry *e)
{
	free(e->path);
	free(e->data);
	free(e->link);
	free(e->role);
	memset(e, 0, sizeof *e);
}

void fx_spec_free(fx_spec *s)
{
	for (size_t i = 0; i < s->n; i++)
		entry_free(&s->e[i]);
	free(s->e);
	cJSON_Delete(s->manifest);
	free(s->manifest_raw);
	free(s->blob);
	fx_spec_init(s);
}

static void *memdup(const void *p, size_t n)
{
	void *q = malloc(n ? n : 1);

	if (q && n)
		memcpy(q, p, n);
	return q;
}

static char *strndup0(const char *p, size_t n)
{
	char *q = malloc(n + 1);

	if (q) {
		memcpy(q, p, n);
		q[n] = '\0';
	}
	return q;
}

fx_entry *fx_add(fx_spec *s, size_t pos, fx_type type, const char *path,
                 size_t path_len, const void *data, size_t len)
{
	fx_entry *e;

	if (pos == FX_END || pos > s->n)
		pos = s->n;
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 16;
		fx_entry *ne = realloc(s->e, ncap * sizeof *ne);

		if (!ne)
			return NULL;
		s->e = ne;
		s->cap = ncap;
	}
	if (!path_len)
		path_len = strlen(path);
	memmove(&s->e[pos + 1], &s->e[pos], (s->n - pos) * sizeof *s->e);
	s->n++;
	e = &s->e[pos];
	memset(e, 0, sizeof *e);
	e->type = type;
	e->header_size = -1;
	e->path = strndup0(path, path_len);
	e->path_len = path_len;
	e->len = len;
	if (data && len)
		e->data = memdup(data, len);
	if (!e->path || (data && len && !e->data)) {
		entry_free(e);
		memmove(&s->e[pos], &s->e[pos + 1], (s->n - pos - 1) * sizeof *s->e);
		s->n--;
		return NULL;
	}
	return e;
}

fx_entry *fx_add_member(fx_spec *s, size_t pos, const char *path,
                        const char *role, const void *data, size_t len)
{
	fx_entry *e = fx_add(s, pos, FX_FILE, path, 0, data, len);

	if (!e)
		return NULL;
	e->role = strndup0(role, strlen(role));
	return e->role ? e : NULL;
}

size_t fx_find(const fx_spec *s, const char *path)
{
	size_t plen = strlen(path);

	for (size_t i = 0; i < s->n; i++)
		if (s->e[i].path_len == plen && memcmp(s->e[i].path, path, plen) == 0)
			return i;
	return FX_END;
}

fx_entry *fx_get(fx_spec *s, const char *path)
{
	size_t i = fx_find(s, path);

	return i == FX_END ? NULL : &s->e[i];
}

int fx_remove(fx_spec *s, const char *path)
{
	size_t i = fx_find(s, path);

	if (i == FX_END)
		return -1;
	entry_free(&s->e[i]);
	memmove(&s->e[i], &s->e[i + 1], (s->n - i - 1) * sizeof *s->e);
	s->n--;
	return 0;
}

int fx_move(fx_spec *s, const char *path, size_t pos)
{
	size_t i = fx_find(s, path);
	fx_entry tmp;

	if (i == FX_END)
		return -1;
	tmp = s->e[i];
	memmove(&s->e[i], &s->e[i + 1], (s->n - i - 1) * sizeof *s->e);
	if (pos == FX_END || pos > s->n - 1)
		pos = s->n - 1;
	memmove(&s->e[pos + 1], &s->e[pos], (s->n - 1 - pos) * sizeof *s->e);
	s->e[pos] = tmp;
	return 0;
}

int fx_set_data(fx_entry *e, const void *data, size_t len)
{
	unsigned char *d = NULL;

	if (data && len && !(d = memdup(data, len)))
		return -1;
	free(e->data);
	e->data = d;
	e->len = len;
	e->header_size = -1;
	return 0;
}

int fx_set_path(fx_entry *e, const char *path, size_t path_len)
{
	char *p;

	if (!path_len)
		path_len = strlen(path);
	if (!(p = strndup0(path, path_len)))
		return -1;
	free(e->path);
	e->path = p;
	e->path_len = path_len;
	return 0;
}

static int set_str(char **dst, const char *v)
{
	char *p = strndup0(v, strlen(v));

	if (!p)
		return -1;
	free(*dst);
	*dst = p;
	return 0;
}

/* SHA-256 of an entry's data (zeros when data is NULL). */
static int entry_sha(const fx_entry *e, char hex[PG_SHA256_HEX])
{
	static const unsigned char zeros[65536];
	pg_sha256 h;
	size_t left = e->len;

	if (e->data || !e->len) {
		pg_sha256_hex(e->data ? (const void *)e->data : (const void *)"", e->len, hex);
		return 0;
	}
	if (pg_sha256_begin(&h, NULL))
		return -1;
	while (left) {
		size_t n = left < sizeof zeros ? left : sizeof zeros;

		pg_sha256_update(&h, zeros, n);
		left -= n;
	}
	pg_sha256_end(&h, hex);
	return 0;
}

/* Replaces or adds obj[key] = v (v consumed). */
static int obj_set(cJSON *obj, const char *key, cJSON *v)
{
	if (!v)
		return -1;
	if (cJSON_GetObjectItemCaseSensitive(obj, key))
		return cJSON_ReplaceItemInObjectCaseSensitive(obj, key, v) ? 0 : -1;
	if (!cJSON_AddItemToObject(obj, key, v)) {
		cJSON_Delete(v);
		return -1;
	}
	return 0;
}

static int relist_files(fx_spec *s)
{
	cJSON *files;

	if (!s->manifest)
		return -1;
	if (!(files = cJSON_CreateArray()))
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		const fx_entry *e = &s->e[i];
		char hex[PG_SHA256_HEX];
		cJSON *f;

		if (!e->role)
			continue;
		if (entry_sha(e, hex) || !(f = cJSON_CreateObject())) {
			cJSON_Delete(files);
			return -1;
		}
		cJSON_AddItemToArray(files, f);
		if (!cJSON_AddStringToObject(f, "path", e->path) ||
		    !cJSON_AddStringToObject(f, "role", e->role) ||
		    !cJSON_AddNumberToObject(f, "size", (double)e->len) ||
		    !cJSON_AddStringToObject(f, "sha256", hex)) {
			cJSON_Delete(files);
			return -1;
		}
	}
	return obj_set(s->manifest, "files", files);
}

static int reid_quiet;

int fx_reid(fx_spec *s)
{
	char id[72];
	pg_error err;
	cJSON *m;

	if (!s->manifest || !cJSON_IsObject(s->manifest))
		return -1;
	pg_error_clear(&err);
	if (pg_pack_compute_id(s->manifest, id, &err) != PG_OK) {
		if (!reid_quiet)
			fprintf(stderr, "fixtures: pg_pack_compute_id: %s: %s\n",
			pg_code_name(err.code), err.message);
		return -1;
	}
	if (cJSON_GetObjectItemCaseSensitive(s->manifest, "id"))
		return obj_set(s->manifest, "id", cJSON_CreateString(id));
	/* New: put it second, after the first member, as a writer would. */
	if (!(m = cJSON_CreateObject()))
		return -1;
	for (cJSON *c = s->manifest->child; c; c = c->next) {
		cJSON *d = cJSON_Duplicate(c, 1);

		if (!d || !cJSON_AddItemToObject(m, c->string, d)) {
			cJSON_Delete(d);
			cJSON_Delete(m);
			return -1;
		}
		if (c == s->manifest->child && !cJSON_AddStringToObject(m, "id", id)) {
			cJSON_Delete(m);
			return -1;
		}
	}
	if (!s->manifest->child && !cJSON_AddStringToObject(m, "id", id)) {
		cJSON_Delete(m);
		return -1;
	}
	cJSON_Delete(s->manifest);
	s->manifest = m;
	return 0;
}

int fx_relist(fx_spec *s)
{
	if (relist_files(s))
		return -1;
	return fx_reid(s);
}

int fx_set_manifest_raw(fx_spec *s, const char *bytes, size_t len)
{
	char *p = memdup(bytes, len);

	if (!p)
		return -1;
	free(s->manifest_raw);
	s->manifest_raw = p;
	s->manifest_raw_len = len;
	return 0;
}

int fx_manifest_bytes(const fx_spec *s, char **out, size_t *len)
{
	char *p;

	if (s->manifest_raw) {
		if (!(p = memdup(s->manifest_raw, s->manifest_raw_len)))
			return -1;
		*out = p;
		*len = s->manifest_raw_len;
		return 0;
	}
	if (!s->manifest || !(p = cJSON_PrintUnformatted(s->manifest)))
		return -1;
	*out = p;
	*len = strlen(p);
	return 0;
}

int fx_spec_good(fx_spec *s)
{
	const fx_member *m;
	size_t n = fx_good_members(&m);
	fx_entry *e;

	fx_spec_init(s);
	if (!(s->manifest = fx_manifest_base()))
		goto fail;
	if (!(e = fx_add(s, FX_END, FX_FILE, "manifest.json", 0, NULL, 0)))
		goto fail;
	e->flags |= FX_E_MANIFEST;
	for (size_t i = 0; i < n; i++)
		if (!fx_add_member(s, FX_END, m[i].path, m[i].role, m[i].data, m[i].len))
			goto fail;
	if (fx_relist(s))
		goto fail;
	return 0;
fail:
	fx_spec_free(s);
	return -1;
}

/* ------------------------------------------------------------------ writing */

struct fx_out {
	unsigned char *buf;
	size_t len, cap;
	struct archive *z;     /* compressor (raw format + filter), or NULL */
	int discard;           /* drop further tar bytes (FX_E_CUT) */
};

static int out_mem(struct fx_out *o, const void *p, size_t n)
{
	if (n > o->cap - o->len) {
		size_t ncap = o->cap ? o->cap : 65536;
		unsigned char *nb;

		while (ncap - o->len < n)
			ncap *= 2;
		if (!(nb = realloc(o->buf, ncap)))
			return -1;
		o->buf = nb;
		o->cap = ncap;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
	return 0;
}

/* Bytes of the (uncompressed) container. */
static int out_put(struct fx_out *o, const void *p, size_t n)
{
	if (o->discard || n == 0)
		return 0;
	if (o->z) {
		la_ssize_t w = archive_write_data(o->z, p, n);

		return w == (la_ssize_t)n ? 0 : -1;
	}
	return out_mem(o, p, n);
}

static la_ssize_t z_cb(struct archive *a, void *ctx, const void *p, size_t n)
{
	(void)a;
	return out_mem(ctx, p, n) ? -1 : (la_ssize_t)n;
}

static la_ssize_t inner_cb(struct archive *a, void *ctx, const void *p, size_t n)
{
	(void)a;
	return out_put(ctx, p, n) ? -1 : (la_ssize_t)n;
}

static int la_fail(struct archive *a, const char *what)
{
	fprintf(stderr, "fixtures: %s: %s\n", what,
		a && archive_error_string(a) ? archive_error_string(a) : "failed");
	return -1;
}

static int open_outer(const fx_spec *s, struct fx_out *o)
{
	struct archive_entry *ae = NULL;
	struct archive *z;
	int r;

	if (s->compress == FX_COMPRESS_NONE)
		return 0;
	if (!(z = o->z = archive_write_new()))
		return -1;
	archive_write_set_format_raw(z);
	switch (s->compress) {
	case FX_COMPRESS_GZIP:
		r = archive_write_add_filter_gzip(z);
		if (r == ARCHIVE_OK)
			r = archive_write_set_filter_option(z, "gzip", "timestamp", NULL);
		if (r == ARCHIVE_OK && s->gzip_level) {
			char lvl[4];

			snprintf(lvl, sizeof lvl, "%d", s->gzip_level);
			r = archive_write_set_filter_option(z, "gzip", "compression-level", lvl);
		}
		break;
	case FX_COMPRESS_ZSTD:
		r = archive_write_add_filter_zstd(z);
		break;
	case FX_COMPRESS_BZIP2:
		r = archive_write_add_filter_bzip2(z);
		break;
	case FX_COMPRESS_XZ:
		r = archive_write_add_filter_xz(z);
		break;
	default:
		r = ARCHIVE_FATAL;
		break;
	}
	if (r != ARCHIVE_OK)
		return la_fail(z, "compression filter");
	archive_write_set_bytes_per_block(z, 0);
	if (archive_write_open(z, o, NULL, z_cb, NULL) != ARCHIVE_OK)
		return la_fail(z, "open compressor");
	if (!(ae = archive_entry_new()))
		return -1;
	archive_entry_copy_pathname(ae, "pack");
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_perm(ae, 0644);
	r = archive_write_header(z, ae);
	archive_entry_free(ae);
	return r == ARCHIVE_OK ? 0 : la_fail(z, "compressor header");
}

static int write_all(struct archive *a, const unsigned char *data, size_t len)
{
	static const unsigned char zeros[65536];

	while (len) {
		size_t n = len < sizeof zeros ? len : sizeof zeros;
		la_ssize_t w = archive_write_data(a, data ? data : zeros, n);

		if (w != (la_ssize_t)n)
			return la_fail(a, "write data");
		if (data)
			data += n;
		len -= n;
	}
	return 0;
}

static int put_all(struct fx_out *o, const unsigned char *data, size_t len)
{
	static const unsigned char zeros[65536];

	while (len) {
		size_t n = len < sizeof zeros ? len : sizeof zeros;

		if (out_put(o, data ? data : zeros, n))
			return -1;
		if (data)
			data += n;
		len -= n;
	}
	return 0;
}

static int plain_ascii(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] > 0x7e)
			return 0;
	return 1;
}

static uint64_t hdr_size(const fx_entry *e)
{
	return e->header_size >= 0 ? (uint64_t)e->header_size : (uint64_t)e->len;
}

/* Writes one entry with libarchive. */
static int la_entry(struct archive *a, const fx_entry *e, const unsigned char *data, size_t len)
{
	struct archive_entry *ae = archive_entry_new();
	int rc = -1, r;

	if (!ae)
		return -1;
	archive_entry_copy_pathname(ae, e->path);
	archive_entry_set_mtime(ae, 0, 0);
	archive_entry_set_uid(ae, 0);
	archive_entry_set_gid(ae, 0);
	switch (e->type) {
	case FX_FILE:
		archive_entry_set_filetype(ae, AE_IFREG);
		archive_entry_set_perm(ae, 0644);
		archive_entry_set_size(ae, (la_int64_t)hdr_size(e));
		break;
	case FX_DIR:
		archive_entry_set_filetype(ae, AE_IFDIR);
		archive_entry_set_perm(ae, 0755);
		archive_entry_set_size(ae, 0);
		len = 0;
		break;
	case FX_SYMLINK:
		archive_entry_set_filetype(ae, AE_IFLNK);
		archive_entry_set_perm(ae, 0777);
		archive_entry_copy_symlink(ae, e->link ? e->link : "model.onnx");
		archive_entry_set_size(ae, 0);
		len = 0;
		break;
	case FX_HARDLINK:
		archive_entry_set_filetype(ae, AE_IFREG);
		archive_entry_set_perm(ae, 0644);
		archive_entry_copy_hardlink(ae, e->link ? e->link : "model.onnx");
		archive_entry_set_size(ae, 0);
		len = 0;
		break;
	case FX_CHARDEV:
		archive_entry_set_filetype(ae, AE_IFCHR);
		archive_entry_set_perm(ae, 0666);
		archive_entry_set_rdevmajor(ae, 1);
		archive_entry_set_rdevminor(ae, 3);
		len = 0;
		break;
	case FX_BLOCKDEV:
		archive_entry_set_filetype(ae, AE_IFBLK);
		archive_entry_set_perm(ae, 0660);
		archive_entry_set_rdevmajor(ae, 8);
		archive_entry_set_rdevminor(ae, 0);
		len = 0;
		break;
	case FX_FIFO:
		archive_entry_set_filetype(ae, AE_IFIFO);
		archive_entry_set_perm(ae, 0644);
		len = 0;
		break;
	case FX_SPARSE_PAX:
		/* A hole of 1 KiB, the data, a hole of 1 KiB. */
		archive_entry_set_filetype(ae, AE_IFREG);
		archive_entry_set_perm(ae, 0644);
		archive_entry_set_size(ae, (la_int64_t)(2048 + len));
		archive_entry_sparse_add_entry(ae, 1024, (la_int64_t)len);
		break;
	default:
		goto out;
	}
	r = archive_write_header(a, ae);
	if (r != ARCHIVE_OK) {
		la_fail(a, e->path);
		goto out;
	}
	if (len && write_all(a, data, len))
		goto out;
	rc = 0;
out:
	archive_entry_free(ae);
	return rc;
}

/* Writes v into the numeric header field f[0..w): w-1 octal digits and a
 * NUL, or GNU base-256 when it does not fit. */
static void put_num(unsigned char *f, size_t w, uint64_t v)
{
	if (3 * (w - 1) >= 64 || v < ((uint64_t)1 << (3 * (w - 1)))) {
		for (size_t i = w - 1; i > 0; i--) {
			f[i - 1] = (unsigned char)('0' + (v & 7));
			v >>= 3;
		}
		f[w - 1] = '\0';
		return;
	}
	for (size_t i = w - 1; i > 0; i--) {
		f[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
	f[0] = 0x80;
}

static void put_checksum(unsigned char *h, int bad)
{
	unsigned sum = 0;
	char tmp[8];

	memset(h + 148, ' ', 8);
	for (size_t i = 0; i < 512; i++)
		sum += h[i];
	if (bad)
		sum += 1;
	snprintf(tmp, sizeof tmp, "%06o", sum & 0777777u);
	memcpy(h + 148, tmp, 7); /* six digits and a NUL; the space stays */
}

static void ustar_base(unsigned char *h, const char *name, size_t nlen, char type,
                       unsigned mode, uint64_t size)
{
	memset(h, 0, 512);
	memcpy(h, name, nlen > 100 ? 100 : nlen);
	put_num(h + 100, 8, mode);
	put_num(h + 108, 8, 0);
	put_num(h + 116, 8, 0);
	put_num(h + 124, 12, size);
	put_num(h + 136, 12, 0);
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	put_num(h + 329, 8, 0);
	put_num(h + 337, 8, 0);
}

static size_t digits(size_t v)
{
	size_t d = 1;

	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

static int put_pad(struct fx_out *o, size_t len)
{
	static const unsigned char zeros[512];
	size_t pad = (512 - len % 512) % 512;

	return out_put(o, zeros, pad);
}

/* A pax 'x' header whose only record is path=. */
static int raw_pax_path(struct fx_out *o, const fx_entry *e)
{
	unsigned char h[512];
	size_t base = strlen(" path=") + e->path_len + 1, rec = base + digits(base);
	char num[24];
	int nd;

	while (rec != base + digits(rec))
		rec = base + digits(rec);
	ustar_base(h, "PaxHeaders/fx", 13, 'x', 0644, rec);
	put_checksum(h, 0);
	nd = snprintf(num, sizeof num, "%zu path=", rec);
	if (out_put(o, h, 512) || out_put(o, num, (size_t)nd) ||
	    out_put(o, e->path, e->path_len) || out_put(o, "\n", 1))
		return -1;
	return put_pad(o, rec);
}

static int raw_entry(struct fx_out *o, const fx_spec *s, const fx_entry *e,
                     const unsigned char *data, size_t len)
{
	unsigned char h[512];
	int pax = 0;
	char type;

	if (e->flags & FX_E_PAXPATH)
		pax = 1;
	else if (!(e->flags & FX_E_RAW) && s->format == FX_FORMAT_PAX &&
		 (e->path_len > 100 || !plain_ascii(e->path, e->path_len)))
		pax = 1;
	if (!pax && e->path_len > 100) {
		fprintf(stderr, "fixtures: raw ustar name over 100 bytes\n");
		return -1;
	}
	if (pax && raw_pax_path(o, e))
		return -1;
	switch (e->type) {
	case FX_FILE: type = '0'; break;
	case FX_DIR: type = '5'; len = 0; break;
	case FX_SYMLINK: type = '2'; len = 0; break;
	case FX_HARDLINK: type = '1'; len = 0; break;
	case FX_CHARDEV: type = '3'; len = 0; break;
	case FX_BLOCKDEV: type = '4'; len = 0; break;
	case FX_FIFO: type = '6'; len = 0; break;
	case FX_SPARSE_GNU: type = 'S'; break;
	default:
		fprintf(stderr, "fixtures: no hand-made header for this entry type\n");
		return -1;
	}
	ustar_base(h, e->path, e->path_len, type, e->type == FX_DIR ? 0755 : 0644,
		   len || e->type == FX_FILE || e->type == FX_SPARSE_GNU ? hdr_size(e) : 0);
	if (e->link)
		memcpy(h + 157, e->link, strlen(e->link) > 100 ? 100 : strlen(e->link));
	if (e->type == FX_SPARSE_GNU) {
		/* Old GNU header: one data chunk at offset 1024, file size
		 * 1024 + len, the rest a hole. */
		memcpy(h + 257, "ustar  ", 8);
		memset(h + 329, 0, 16);
		put_num(h + 386, 12, 1024);
		put_num(h + 398, 12, hdr_size(e));
		h[482] = 0;
		put_num(h + 483, 12, 1024 + hdr_size(e));
	}
	put_checksum(h, (e->flags & FX_E_BADSUM) != 0);
	if (out_put(o, h, 512) || put_all(o, data, len))
		return -1;
	if (e->flags & FX_E_CUT) {
		o->discard = 1;
		return 0;
	}
	return put_pad(o, len);
}

static int use_raw(const fx_spec *s, const fx_entry *e)
{
	if (e->flags & (FX_E_RAW | FX_E_BADSUM | FX_E_CUT | FX_E_PAXPATH))
		return 1;
	if (e->type == FX_SPARSE_GNU)
		return 1;
	/* libarchive's writers convert non-ASCII names through the locale
	 * (and its pax writer crashes on them in the C locale). */
	if (!plain_ascii(e->path, e->path_len))
		return 1;
	(void)s;
	return 0;
}

static int set_inner_format(struct archive *a, fx_format f)
{
	switch (f) {
	case FX_FORMAT_PAX: return archive_write_set_format_pax_restricted(a);
	case FX_FORMAT_USTAR: return archive_write_set_format_ustar(a);
	case FX_FORMAT_GNUTAR: return archive_write_set_format_gnutar(a);
	case FX_FORMAT_ZIP: return archive_write_set_format_zip(a);
	case FX_FORMAT_7ZIP: return archive_write_set_format_7zip(a);
	case FX_FORMAT_CPIO: return archive_write_set_format_cpio_newc(a);
	case FX_FORMAT_AR: return archive_write_set_format_ar_bsd(a);
	default: return ARCHIVE_FATAL;
	}
}

static int is_tar(fx_format f)
{
	return f == FX_FORMAT_PAX || f == FX_FORMAT_USTAR || f == FX_FORMAT_GNUTAR;
}

static int render_entries(const fx_spec *s, struct fx_out *o)
{
	struct archive *a = archive_write_new();
	char *mbytes = NULL;
	size_t mlen = 0;
	int rc = -1;

	if (!a)
		return -1;
	if (set_inner_format(a, s->format) != ARCHIVE_OK) {
		la_fail(a, "container format");
		goto out;
	}
	archive_write_set_bytes_per_block(a, 0);
	if (archive_write_open(a, o, NULL, inner_cb, NULL) != ARCHIVE_OK) {
		la_fail(a, "open container");
		goto out;
	}
	for (size_t i = 0; i < s->n && !o->discard; i++) {
		fx_entry e = s->e[i];
		const unsigned char *data = e.data;

		if (e.flags & FX_E_MANIFEST) {
			if (!mbytes && fx_manifest_bytes(s, &mbytes, &mlen))
				goto out;
			data = (const unsigned char *)mbytes;
			e.len = mlen;
		}
		if (use_raw(s, &e)) {
			if (!is_tar(s->format)) {
				fprintf(stderr, "fixtures: hand-made entries need a tar format\n");
				goto out;
			}
			if (archive_write_finish_entry(a) < ARCHIVE_WARN) {
				la_fail(a, "finish entry");
				goto out;
			}
			if (raw_entry(o, s, &e, data, e.len))
				goto out;
		} else if (la_entry(a, &e, data, e.len)) {
			goto out;
		}
	}
	if (archive_write_close(a) != ARCHIVE_OK) {
		la_fail(a, "close container");
		goto out;
	}
	rc = 0;
out:
	archive_write_free(a);
	free(mbytes);
	return rc;
}

int fx_render(const fx_spec *s, unsigned char **out, size_t *outlen)
{
	struct fx_out o;
	int rc = -1;

	memset(&o, 0, sizeof o);
	*out = NULL;
	*outlen = 0;
	if (open_outer(s, &o))
		goto out;
	if (s->format == FX_FORMAT_BLOB) {
		if (out_put(&o, s->blob, s->blob_len))
			goto out;
	} else if (render_entries(s, &o)) {
		goto out;
	}
	if (o.z && archive_write_close(o.z) != ARCHIVE_OK) {
		la_fail(o.z, "close compressor");
		goto out;
	}
	if (!o.buf && !(o.buf = malloc(1)))
		goto out;
	if (s->post && s->post(s, &o.buf, &o.len))
		goto out;
	*out = o.buf;
	*outlen = o.len;
	o.buf = NULL;
	rc = 0;
out:
	if (o.z)
		archive_write_free(o.z);
	free(o.buf);
	return rc;
}

int fx_write_pack(const char *out_path, const fx_spec *s)
{
	unsigned char *buf;
	size_t len;
	FILE *f;
	int rc = 0;

	if (fx_render(s, &buf, &len))
		return -1;
	if (!(f = fopen(out_path, "wb"))) {
		fprintf(stderr, "fixtures: %s: %s\n", out_path, strerror(errno));
		free(buf);
		return -1;
	}
	if (len && fwrite(buf, 1, len, f) != len)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc)
		fprintf(stderr, "fixtures: %s: write failed\n", out_path);
	free(buf);
	return rc;
}

static size_t post_pos(const fx_spec *s, size_t len)
{
	if (s->post_arg >= 0)
		return (uint64_t)s->post_arg < len ? (size_t)s->post_arg : len;
	return (uint64_t)-s->post_arg < len ? len - (size_t)-s->post_arg : 0;
}

int fx_post_truncate(const fx_spec *s, unsigned char **buf, size_t *len)
{
	(void)buf;
	*len = post_pos(s, *len);
	return 0;
}

int fx_post_flip(const fx_spec *s, unsigned char **buf, size_t *len)
{
	size_t at = post_pos(s, *len);

	if (at >= *len)
		return -1;
	(*buf)[at] ^= 0x01;
	return 0;
}

int fx_post_append(const fx_spec *s, unsigned char **buf, size_t *len)
{
	size_t n = s->post_arg > 0 ? (size_t)s->post_arg : 0;
	unsigned char *nb = realloc(*buf, *len + n + 1);

	if (!nb)
		return -1;
	fx_fill(nb + *len, n, 77);
	*buf = nb;
	*len += n;
	return 0;
}

size_t fx_data_offset(const fx_spec *s, size_t idx)
{
	size_t off = 0;

	if (idx >= s->n || !is_tar(s->format) || s->compress != FX_COMPRESS_NONE)
		return FX_END;
	for (size_t i = 0; i <= idx; i++) {
		const fx_entry *e = &s->e[i];
		size_t len = e->len;

		if (e->path_len > 100 || !plain_ascii(e->path, e->path_len) ||
		    (e->flags & (FX_E_PAXPATH | FX_E_CUT)) || e->type == FX_SPARSE_GNU ||
		    e->type == FX_SPARSE_PAX)
			return FX_END;
		if (e->flags & FX_E_MANIFEST) {
			char *m;

			if (fx_manifest_bytes(s, &m, &len))
				return FX_END;
			free(m);
		}
		if (e->type != FX_FILE)
			len = 0;
		off += 512;
		if (i < idx)
			off += (len + 511) / 512 * 512;
	}
	return off;
}

/* ------------------------------------------------------------------ build dir */

static int write_file(const char *dir, const char *name, const void *p, size_t n)
{
	char path[4096];
	FILE *f;
	int rc = 0;

	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return -1;
	if (!(f = fopen(path, "wb"))) {
		fprintf(stderr, "fixtures: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (n && fwrite(p, 1, n, f) != n)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

int fx_write_good_dir(const char *dir)
{
	const fx_member *m;
	size_t n = fx_good_members(&m);
	cJSON *base = fx_manifest_base();
	char *text = NULL;
	int rc = -1;

	if (!base || !(text = cJSON_Print(base)))
		goto out;
	for (size_t i = 0; i < n; i++)
		if (write_file(dir, m[i].path, m[i].data, m[i].len))
			goto out;
	if (write_file(dir, "manifest.json", text, strlen(text)))
		goto out;
	rc = 0;
out:
	free(text);
	cJSON_Delete(base);
	return rc;
}

/* ================================================================== cases */

#define TRY(x) do { if ((x) != 0) return -1; } while (0)
#define TRYP(x) do { if (!(x)) return -1; } while (0)
#define LIT(s) (s), (sizeof(s) - 1)

/* ------------------------------------------------------------------ helpers */

static cJSON *mfile(fx_spec *s, int i)
{
	return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(s->manifest, "files"), i);
}

/* manifest[key] = v, then the id is recomputed. */
static int mset(fx_spec *s, const char *key, cJSON *v)
{
	TRY(obj_set(s->manifest, key, v));
	return fx_reid(s);
}

static int mdel(fx_spec *s, const char *key)
{
	cJSON_DeleteItemFromObjectCaseSensitive(s->manifest, key);
	return fx_reid(s);
}

/* The manifest bytes become the serialised manifest with the first `find`
 * replaced by repl[0..rlen). */
static int mraw_replace(fx_spec *s, const char *find, const char *repl, size_t rlen)
{
	char *m, *buf, *at;
	size_t len, flen = strlen(find), pre;
	int rc;

	TRY(fx_manifest_bytes(s, &m, &len));
	if (!(at = strstr(m, find))) {
		fprintf(stderr, "fixtures: manifest has no %s\n", find);
		free(m);
		return -1;
	}
	pre = (size_t)(at - m);
	if (!(buf = malloc(len - flen + rlen + 1))) {
		free(m);
		return -1;
	}
	memcpy(buf, m, pre);
	memcpy(buf + pre, repl, rlen);
	memcpy(buf + pre + rlen, at + flen, len - pre - flen);
	rc = fx_set_manifest_raw(s, buf, len - flen + rlen);
	free(buf);
	free(m);
	return rc;
}
#define MRAW(s, find, lit) mraw_replace((s), (find), LIT(lit))

static int mraw_affix(fx_spec *s, const char *pre, size_t plen, const char *post,
                      size_t qlen, size_t cut)
{
	char *m, *buf;
	size_t len;
	int rc;

	TRY(fx_manifest_bytes(s, &m, &len));
	if (cut > len || !(buf = malloc(plen + len + qlen + 1))) {
		free(m);
		return -1;
	}
	memcpy(buf, pre, plen);
	memcpy(buf + plen, m, len - cut);
	memcpy(buf + plen + len - cut, post, qlen);
	rc = fx_set_manifest_raw(s, buf, plen + len - cut + qlen);
	free(buf);
	free(m);
	return rc;
}

/* Relists, tolerating an id that cannot be computed (defect cases whose
 * failure comes before the id check). */
static int relist_any(fx_spec *s)
{
	TRY(relist_files(s));
	reid_quiet = 1;
	(void)fx_reid(s);
	reid_quiet = 0;
	return 0;
}

static int member(fx_spec *s, const char *path, const char *role, const void *d, size_t n)
{
	TRYP(fx_add_member(s, FX_END, path, role, d, n));
	return fx_relist(s);
}

static int set_member(fx_spec *s, const char *path, const void *d, size_t n)
{
	fx_entry *e = fx_get(s, path);

	TRYP(e);
	TRY(fx_set_data(e, d, n));
	return relist_any(s);
}

/* The default doc with the first `find` replaced. */
static int edit_member(fx_spec *s, const char *path, const char *doc, const char *find,
                       const char *repl, size_t rlen)
{
	const char *at = strstr(doc, find);
	size_t len = strlen(doc), flen = strlen(find), pre;
	char *buf;
	int rc;

	if (!at)
		return -1;
	pre = (size_t)(at - doc);
	TRYP(buf = malloc(len - flen + rlen + 1));
	memcpy(buf, doc, pre);
	memcpy(buf + pre, repl, rlen);
	memcpy(buf + pre + rlen, at + flen, len - pre - flen);
	rc = set_member(s, path, buf, len - flen + rlen);
	free(buf);
	return rc;
}
#define EDIT(s, path, doc, find, lit) edit_member((s), (path), (doc), (find), LIT(lit))

/* Good pack plus one unlisted entry at pos. */
static int extra(fx_spec *s, size_t pos, fx_type t, const char *path, size_t plen,
                 unsigned flags, const char *link)
{
	fx_entry *e;
	int has_data = t == FX_FILE || t == FX_SPARSE_GNU || t == FX_SPARSE_PAX;

	TRY(fx_spec_good(s));
	e = fx_add(s, pos, t, path, plen, t == FX_FILE ? "x\n" : NULL,
		   has_data ? (t == FX_FILE ? 2 : 512) : 0);
	TRYP(e);
	e->flags |= flags;
	if (link)
		TRY(set_str(&e->link, link));
	return 0;
}

#define TAIL(fn, t, lit, flags) \
	static int fn(fx_spec *s) { return extra(s, FX_END, t, LIT(lit), flags, NULL); }
#define HEAD(fn, t, lit, flags) \
	static int fn(fx_spec *s) { return extra(s, 0, t, LIT(lit), flags, NULL); }
/* A listed member with this path (manifest-phase path rules). */
#define LISTED(fn, lit) \
	static int fn(fx_spec *s) { TRY(fx_spec_good(s)); \
		TRYP(fx_add_member(s, FX_END, lit, "other", "x\n", 2)); return relist_any(s); }

static void long_path(char *buf, size_t total)
{
	size_t i = 0;

	while (total - i > 250) {
		memset(buf + i, 'd', 200);
		i += 200;
		buf[i++] = '/';
	}
	memset(buf + i, 'f', total - i - 4);
	memcpy(buf + total - 4, ".txt", 4);
	buf[total] = '\0';
}

static char *sig_of(size_t n, const char *head)
{
	char *p = malloc(n + 1);
	size_t hl = strlen(head);

	if (!p)
		return NULL;
	for (size_t i = 0; i < n; i++)
		p[i] = (i % 65 == 64) ? '\n' : 'A' + (char)(i % 26);
	memcpy(p, head, hl < n ? hl : n);
	p[n] = '\0';
	return p;
}

static int add_sig(fx_spec *s, const char *path, const char *head, size_t n)
{
	char *sig = sig_of(n, head);
	int rc = -1;

	if (sig && fx_add(s, FX_END, FX_FILE, path, 0, sig, n))
		rc = 0;
	free(sig);
	return rc;
}

static size_t manifest_len(const fx_spec *s)
{
	char *m;
	size_t len;

	if (fx_manifest_bytes(s, &m, &len))
		return 0;
	free(m);
	return len;
}

static uint64_t members_sum(const fx_spec *s)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < s->n; i++)
		if (s->e[i].role)
			sum += s->e[i].len;
	return sum;
}

static cJSON *nested_arrays(unsigned depth)
{
	cJSON *v = cJSON_CreateArray(), *inner;

	for (unsigned i = 1; v && i < depth; i++) {
		if (!(inner = cJSON_CreateArray())) {
			cJSON_Delete(v);
			return NULL;
		}
		cJSON_AddItemToArray(inner, v);
		v = inner;
	}
	return v;
}

/* ------------------------------------------------------------------ good */

static int b_good_pax(fx_spec *s) { return fx_spec_good(s); }

static int b_good_gzip(fx_spec *s)
{
	TRY(fx_spec_good(s));
	s->compress = FX_COMPRESS_GZIP;
	return 0;
}

static int b_good_zstd(fx_spec *s)
{
	TRY(fx_spec_good(s));
	s->compress = FX_COMPRESS_ZSTD;
	return 0;
}

static int b_good_ustar(fx_spec *s)
{
	TRY(fx_spec_good(s));
	s->format = FX_FORMAT_USTAR;
	return 0;
}

static int b_good_gnutar(fx_spec *s)
{
	TRY(fx_spec_good(s));
	s->format = FX_FORMAT_GNUTAR;
	s->compress = FX_COMPRESS_GZIP;
	return 0;
}

static int b_good_dirs_first(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRYP(fx_add(s, 0, FX_DIR, "assets/", 0, NULL, 0));
	TRYP(fx_add(s, 1, FX_DIR, "assets/more/", 0, NULL, 0));
	return 0;
}

static int b_good_dirs_after(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRYP(fx_add(s, 1, FX_DIR, "docs/", 0, NULL, 0));
	TRYP(fx_add(s, FX_END, FX_DIR, "signatures/", 0, NULL, 0));
	return 0;
}

static int b_good_signature(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRYP(fx_add(s, FX_END, FX_FILE, "signatures/ABC.asc", 0, LIT(sig_text)));
	return 0;
}

static int b_good_signature_64k(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return add_sig(s, "signatures/ABC.asc", "-----BEGIN PGP SIGNATURE-----\n", 65536);
}

static int b_good_optional_docs(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRYP(fx_add_member(s, FX_END, "resource-profile.json", "resource-profile", LIT(doc_resource)));
	return member(s, "rollback.json", "rollback", LIT(doc_rollback));
}

static int b_good_import_base(fx_spec *s)
{
	static const char lineage[] = "{\"parents\": [], \"operator\": \"import\"}";
	cJSON *rt;

	TRY(fx_spec_good(s));
	TRY(fx_remove(s, "tokenizer.json"));
	TRY(fx_remove(s, "README.md"));
	TRY(fx_set_data(fx_get(s, "lineage.json"), LIT(lineage)));
	TRY(obj_set(s->manifest, "parents", cJSON_CreateArray()));
	TRY(obj_set(s->manifest, "operator", cJSON_CreateString("import")));
	rt = cJSON_GetObjectItemCaseSensitive(s->manifest, "runtime");
	cJSON_DeleteItemFromObjectCaseSensitive(rt, "tokenizer");
	cJSON_DeleteItemFromObjectCaseSensitive(rt, "quantization");
	return fx_relist(s);
}

static int b_good_unknown_member(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRY(obj_set(s->manifest, "x-notes", cJSON_Parse("{\"reviewed-by\":[\"qa\"],\"n\":3}")));
	return EDIT(s, "evaluation-card.json", doc_eval, "\"headline\"",
		    "\"x-harness\": {\"commit\": \"abc\"}, \"headline\"");
}

static int b_good_script_japanese(fx_spec *s)
{
	TRY(fx_spec_good(s));
	/* Han + Katakana + Latin in one segment */
	return member(s, "docs/\xe6\xa8\xa1\xe5\x9e\x8b\xe3\x83\xa2\xe3\x83\x87\xe3\x83\xab-model.txt",
		      "other", "x\n", 2);
}

static int b_good_script_korean(fx_spec *s)
{
	TRY(fx_spec_good(s));
	/* Hangul + Han + Latin */
	return member(s, "docs/\xeb\xaa\xa8\xeb\x8d\xb8\xe6\xa8\xa1\xe5\x9e\x8b.txt", "other", "x\n", 2);
}

static int b_good_script_bopomofo(fx_spec *s)
{
	TRY(fx_spec_good(s));
	/* Bopomofo + Han + Latin */
	return member(s, "\xe3\x84\x85\xe6\xa8\xa1\xe5\x9e\x8b.txt", "other", "x\n", 2);
}

static int b_good_script_segments(fx_spec *s)
{
	TRY(fx_spec_good(s));
	/* Cyrillic in one segment, Latin in the next */
	return member(s, "\xd0\xba\xd0\xb8\xd1\x80\xd0\xb8\xd0\xbb\xd0\xbb\xd0\xb8\xd1\x86\xd0\xb0/readme.txt",
		      "other", "x\n", 2);
}

static int b_good_accent(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return member(s, "caf\xc3\xa9.txt", "other", "x\n", 2);
}

static int b_good_raw_utf8_name(fx_spec *s)
{
	fx_entry *e;

	TRY(fx_spec_good(s));
	/* the UTF-8 bytes straight in the ustar name field, as GNU tar does */
	TRYP(e = fx_add_member(s, FX_END, "caf\xc3\xa9.txt", "other", "x\n", 2));
	e->flags |= FX_E_RAW;
	return fx_relist(s);
}

static int b_good_trailing_junk(fx_spec *s)
{
	TRY(fx_spec_good(s));
	s->post = fx_post_append;
	s->post_arg = 4096;
	return 0;
}

static int b_good_extras(fx_spec *s)
{
	unsigned char w[300];

	TRY(fx_spec_good(s));
	fx_fill(w, sizeof w, 3);
	w[0] = 0x01;
	TRYP(fx_add_member(s, FX_END, "LICENSE", "doc", LIT("Apache License 2.0\n")));
	TRYP(fx_add_member(s, FX_END, "empty.txt", "other", NULL, 0));
	TRYP(fx_add_member(s, FX_END, "m.txt", "other", "M", 1));
	TRYP(fx_add_member(s, FX_END, "weights.ONNX", "weights", w, sizeof w));
	TRYP(fx_add_member(s, FX_END, "sub/dir/vocab.tiktoken", "tokenizer", LIT("YQ== 0\n")));
	return fx_relist(s);
}

static int b_good_pickle_other_protocols(fx_spec *s)
{
	unsigned char a[64], b[64];

	TRY(fx_spec_good(s));
	fx_fill(a, sizeof a, 4);
	fx_fill(b, sizeof b, 5);
	a[0] = 0x80, a[1] = 0x01; /* protocol 1: not refused */
	b[0] = 0x80, b[1] = 0x06; /* protocol 6: not refused */
	TRYP(fx_add_member(s, FX_END, "a.bin", "weights", a, sizeof a));
	return member(s, "b.bin", "weights", b, sizeof b);
}

static int b_good_manifest_depth_64(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return mset(s, "x-deep", nested_arrays(63));
}

static int b_good_int_max(fx_spec *s)
{
	cJSON *rp;

	TRY(fx_spec_good(s));
	rp = cJSON_GetObjectItemCaseSensitive(s->manifest, "resource_profile");
	TRY(obj_set(rp, "bytes", cJSON_CreateNumber(9007199254740991.0)));
	TRY(fx_reid(s));
	TRY(obj_set(rp, "bytes", cJSON_CreateNumber(420000000)));
	return MRAW(s, "\"bytes\":420000000", "\"bytes\":9007199254740991");
}

static int b_good_limits_exact(fx_spec *s)
{
	unsigned char *buf;
	size_t len, mlen;

	TRY(fx_spec_good(s));
	mlen = manifest_len(s);
	s->has_limits = 1;
	s->limits.entries = s->n;
	s->limits.total_bytes = mlen + members_sum(s);
	s->limits.entry_bytes = FX_MODEL_LEN;
	s->limits.json_bytes = mlen > sizeof doc_eval - 1 ? mlen : sizeof doc_eval - 1;
	s->limits.json_depth = 7;  /* evaluation-card.json: suites[].slices[].metrics[] */
	s->limits.path_bytes = strlen("evaluation-card.json");
	s->limits.segment_bytes = strlen("evaluation-card.json");
	TRY(fx_render(s, &buf, &len));
	free(buf);
	s->limits.archive_bytes = len;
	return 0;
}

static int b_good_path_1024(fx_spec *s)
{
	char p[1025], q[256];

	TRY(fx_spec_good(s));
	long_path(p, 1024);
	memset(q, 's', 251);
	memcpy(q + 251, ".txt", 5);
	TRYP(fx_add_member(s, FX_END, p, "other", "x\n", 2));
	return member(s, q, "other", "x\n", 2);
}

/* ------------------------------------------------------------------ not tar */

static int blob(fx_spec *s, size_t n, fx_compress c)
{
	fx_spec_init(s);
	s->format = FX_FORMAT_BLOB;
	s->compress = c;
	if (n) {
		TRYP(s->blob = malloc(n));
		fx_fill(s->blob, n, 9);
		s->blob_len = n;
	}
	return 0;
}

static int b_empty_file(fx_spec *s) { return blob(s, 0, FX_COMPRESS_NONE); }
static int b_random_bytes(fx_spec *s) { return blob(s, 4096, FX_COMPRESS_NONE); }
static int b_gzip_random(fx_spec *s) { return blob(s, 4096, FX_COMPRESS_GZIP); }
static int b_zstd_random(fx_spec *s) { return blob(s, 4096, FX_COMPRESS_ZSTD); }
static int b_gzip_empty(fx_spec *s) { return blob(s, 0, FX_COMPRESS_GZIP); }

static int b_empty_tar(fx_spec *s)
{
	TRY(blob(s, 1024, FX_COMPRESS_NONE));
	memset(s->blob, 0, 1024);
	return 0;
}

static int container(fx_spec *s, fx_format f, fx_compress c)
{
	TRY(fx_spec_good(s));
	s->format = f;
	s->compress = c;
	return 0;
}

static int b_zip_pack(fx_spec *s) { return container(s, FX_FORMAT_ZIP, FX_COMPRESS_NONE); }
static int b_gzip_of_zip(fx_spec *s) { return container(s, FX_FORMAT_ZIP, FX_COMPRESS_GZIP); }
static int b_sevenzip_pack(fx_spec *s) { return container(s, FX_FORMAT_7ZIP, FX_COMPRESS_NONE); }
static int b_cpio_pack(fx_spec *s) { return container(s, FX_FORMAT_CPIO, FX_COMPRESS_NONE); }
static int b_ar_pack(fx_spec *s) { return container(s, FX_FORMAT_AR, FX_COMPRESS_NONE); }
static int b_bzip2_tar(fx_spec *s) { return container(s, FX_FORMAT_PAX, FX_COMPRESS_BZIP2); }
static int b_xz_tar(fx_spec *s) { return container(s, FX_FORMAT_PAX, FX_COMPRESS_XZ); }

static int b_tar_dirs_only(fx_spec *s)
{
	fx_spec_init(s);
	TRYP(fx_add(s, FX_END, FX_DIR, "a/", 0, NULL, 0));
	TRYP(fx_add(s, FX_END, FX_DIR, "b/", 0, NULL, 0));
	return 0;
}

/* ------------------------------------------------------------------ damaged tar */

static int b_bad_checksum_manifest(fx_spec *s)
{
	TRY(fx_spec_good(s));
	s->e[0].flags |= FX_E_BADSUM;
	return 0;
}

static int b_bad_checksum_member(fx_spec *s)
{
	TRY(fx_spec_good(s));
	fx_get(s, "lineage.json")->flags |= FX_E_BADSUM;
	return 0;
}

static int b_truncated_member_data(fx_spec *s)
{
	fx_entry *e;

	TRY(fx_spec_good(s));
	e = fx_get(s, "model.onnx");
	e->header_size = FX_MODEL_LEN;
	e->len = 1000;
	e->flags |= FX_E_CUT;
	return 0;
}

static int b_truncated_gzip(fx_spec *s)
{
	unsigned char *buf;
	size_t len;

	TRY(fx_spec_good(s));
	s->compress = FX_COMPRESS_GZIP;
	TRY(fx_render(s, &buf, &len));
	free(buf);
	s->post = fx_post_truncate;
	s->post_arg = (int64_t)(len / 2);
	return 0;
}

static int b_truncated_header(fx_spec *s)
{
	size_t off;

	TRY(fx_spec_good(s));
	off = fx_data_offset(s, fx_find(s, "README.md"));
	if (off == FX_END)
		return -1;
	s->post = fx_post_truncate;
	s->post_arg = (int64_t)(off - 512 + 100);
	return 0;
}

static int b_flip_header_byte(fx_spec *s)
{
	size_t off;

	TRY(fx_spec_good(s));
	off = fx_data_offset(s, fx_find(s, "model.onnx"));
	if (off == FX_END)
		return -1;
	s->post = fx_post_flip;
	s->post_arg = (int64_t)(off - 512); /* 'm' of the name becomes 'l' */
	return 0;
}

static int b_flip_data_byte(fx_spec *s)
{
	size_t off;

	TRY(fx_spec_good(s));
	off = fx_data_offset(s, fx_find(s, "model.onnx"));
	if (off == FX_END)
		return -1;
	s->post = fx_post_flip;
	s->post_arg = (int64_t)(off + 1000);
	return 0;
}

/* ------------------------------------------------------------------ manifest place */

static int b_manifest_missing(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return fx_remove(s, "manifest.json");
}

static int b_manifest_not_first(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return fx_move(s, "manifest.json", 1);
}

static int b_manifest_last(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return fx_move(s, "manifest.json", FX_END);
}

static int rename_manifest(fx_spec *s, const char *name)
{
	TRY(fx_spec_good(s));
	return fx_set_path(&s->e[0], name, 0);
}

static int b_manifest_dot_slash(fx_spec *s) { return rename_manifest(s, "./manifest.json"); }
static int b_manifest_upper(fx_spec *s) { return rename_manifest(s, "MANIFEST.JSON"); }
static int b_manifest_in_subdir(fx_spec *s) { return rename_manifest(s, "pack/manifest.json"); }

static int b_symlink_before_manifest(fx_spec *s)
{
	return extra(s, 0, FX_SYMLINK, LIT("link"), 0, "model.onnx");
}

HEAD(b_fifo_before_manifest, FX_FIFO, "pipe", 0)

static int b_manifest_symlink(fx_spec *s)
{
	TRY(fx_spec_good(s));
	s->e[0].type = FX_SYMLINK;
	return set_str(&s->e[0].link, "model.onnx");
}
HEAD(b_dir_traversal_before_manifest, FX_DIR, "../up/", FX_E_RAW)
HEAD(b_dot_dir_before_manifest, FX_DIR, "./", FX_E_RAW)

static int b_dir_dup_before_manifest(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRYP(fx_add(s, 0, FX_DIR, "a/", 0, NULL, 0));
	TRYP(fx_add(s, 1, FX_DIR, "A/", 0, NULL, 0));
	return 0;
}

/* ------------------------------------------------------------------ manifest JSON */

static int b_manifest_syntax(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return mraw_affix(s, "", 0, "", 0, 1); /* the closing brace */
}

static int b_manifest_trailing(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return mraw_affix(s, "", 0, LIT(" x"), 0);
}

static int b_manifest_two_values(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return mraw_affix(s, "", 0, LIT("\n{}"), 0);
}

static int b_manifest_bom(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return mraw_affix(s, LIT("\xef\xbb\xbf"), "", 0, 0);
}

static int b_manifest_comment(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return MRAW(s, "{\"schema_version\"", "{/* c */\"schema_version\"");
}

static int b_manifest_leading_zero(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return MRAW(s, "\"schema_version\":1", "\"schema_version\":01");
}

static int b_manifest_raw_control(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return MRAW(s, "skill.math.reasoner", "skill.math\treasoner");
}

static int b_manifest_dup_key(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return MRAW(s, "\"name\":\"skill.math.reasoner\"",
		    "\"name\":\"skill.math.reasoner\",\"name\":\"skill.math.reasoner\"");
}

static int b_manifest_dup_key_nested(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return MRAW(s, "\"backend\":\"onnxruntime\"",
		    "\"backend\":\"onnxruntime\",\"backend\":\"onnxruntime\"");
}

static int b_manifest_depth_65(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRY(obj_set(s->manifest, "x-deep", nested_arrays(64)));
	reid_quiet = 1;
	(void)fx_reid(s);
	reid_quiet = 0;
	return 0;
}

static int b_manifest_float(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRY(obj_set(cJSON_GetObjectItemCaseSensitive(s->manifest, "resource_profile"),
		    "bytes", cJSON_CreateNumber(1.5)));
	(void)fx_reid(s);
	return 0;
}

static int b_manifest_negative(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRY(obj_set(mfile(s, 0), "size", cJSON_CreateNumber(-1)));
	(void)fx_reid(s);
	return 0;
}

static int b_manifest_2p53(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return MRAW(s, "\"bytes\":420000000", "\"bytes\":9007199254740992");
}

static int b_manifest_exp_overflow(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return MRAW(s, "\"lifecycle_state\"", "\"x-big\":1e400,\"lifecycle_state\"");
}

static int b_manifest_bad_utf8(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return MRAW(s, "skill.math.reasoner", "skill.math.reas\xffner");
}

static int b_manifest_overlong(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return MRAW(s, "skill.math.reasoner", "skill.math\xc0\xaereasoner");
}

static int b_manifest_raw_surrogate(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return MRAW(s, "skill.math.reasoner", "skill.math.\xed\xa0\x80reasoner");
}

static int b_manifest_lone_surrogate(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return MRAW(s, "skill.math.reasoner", "skill.math.\\ud800reasoner");
}

static int b_manifest_nul_escaped(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return MRAW(s, "skill.math.reasoner", "skill.math.\\u0000reasoner");
}

static int b_manifest_json_bytes_default(fx_spec *s)
{
	const size_t target = ((size_t)16 << 20) + 1;
	char *m, *buf;
	size_t len;
	int rc;

	TRY(fx_spec_good(s));
	s->compress = FX_COMPRESS_GZIP;
	TRY(fx_manifest_bytes(s, &m, &len));
	if (len >= target || !(buf = malloc(target))) {
		free(m);
		return -1;
	}
	memcpy(buf, m, len);
	memset(buf + len, ' ', target - len); /* still a valid document */
	rc = fx_set_manifest_raw(s, buf, target);
	free(buf);
	free(m);
	return rc;
}

static int b_manifest_json_bytes(fx_spec *s)
{
	TRY(fx_spec_good(s));
	s->has_limits = 1;
	s->limits.json_bytes = manifest_len(s) - 1;
	return 0;
}

/* ------------------------------------------------------------------ manifest schema */

static int b_schema_version_2(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return mset(s, "schema_version", cJSON_CreateNumber(2));
}

static int b_schema_version_0(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return mset(s, "schema_version", cJSON_CreateNumber(0));
}

static int b_schema_version_string(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return mset(s, "schema_version", cJSON_CreateString("1"));
}

static int b_schema_version_missing(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return mdel(s, "schema_version");
}

static int b_manifest_array(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return fx_set_manifest_raw(s, LIT("[]"));
}

static int b_missing_operator(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return mdel(s, "operator");
}

static int b_missing_runtime_backend(fx_spec *s)
{
	TRY(fx_spec_good(s));
	cJSON_DeleteItemFromObjectCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(s->manifest, "runtime"), "backend");
	return fx_reid(s);
}

static int b_missing_required_role(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRY(fx_remove(s, "permissions.json"));
	return fx_relist(s);
}

static int b_missing_weights(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRY(fx_remove(s, "model.onnx"));
	return fx_relist(s);
}

static int b_statement_type(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return mset(s, "_type", cJSON_CreateString("https://in-toto.io/Statement/v1"));
}

static int b_statement_subject(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return mset(s, "subject", cJSON_CreateArray());
}

static int b_statement_predicate_type(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return mset(s, "predicateType", cJSON_CreateString("urn:packgate:approval:v1"));
}

static int b_statement_predicate(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return mset(s, "predicate", cJSON_CreateObject());
}

#define MSTR(fn, key, val) \
	static int fn(fx_spec *s) { TRY(fx_spec_good(s)); return mset(s, key, cJSON_CreateString(val)); }

MSTR(b_name_sha256, "name", "sha256")
MSTR(b_name_upper, "name", "Skill.Math")
MSTR(b_name_too_long, "name", "a234567890123456789012345678901234567890123456789012345678901234"
     "5678901234567890123456789012345678901234567890123456789012345678x")
MSTR(b_version_bad, "version", "1.3")
MSTR(b_created_at_bad, "created_at", "2026-06-26 12:00:00")
MSTR(b_operator_unknown, "operator", "train")
MSTR(b_operator_merge_one_parent, "operator", "merge")
MSTR(b_operator_import_with_parent, "operator", "import")
MSTR(b_evaluation_card_wrong, "evaluation_card", "README.md")
MSTR(b_evaluation_card_absent, "evaluation_card", "eval.json")

static int b_safety_tier_bad(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRY(obj_set(cJSON_GetObjectItemCaseSensitive(s->manifest, "risk_profile"),
		    "safety_tier", cJSON_CreateString("extreme")));
	return fx_reid(s);
}

static int b_parents_bad(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return mset(s, "parents", cJSON_Parse("[\"sha256:xyz\"]"));
}

static int b_id_missing(fx_spec *s)
{
	TRY(fx_spec_good(s));
	cJSON_DeleteItemFromObjectCaseSensitive(s->manifest, "id");
	return 0;
}

static int b_id_malformed(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return obj_set(s->manifest, "id", cJSON_CreateString("sha256:ABC"));
}

static int b_id_mismatch(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return obj_set(s->manifest, "name", cJSON_CreateString("skill.math.other"));
}

static int b_id_of_other_version(fx_spec *s)
{
	cJSON *id;

	/* a real id, of the same manifest with another version */
	TRY(fx_spec_good(s));
	TRY(mset(s, "version", cJSON_CreateString("1.3.1")));
	TRYP(id = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(s->manifest, "id"), 0));
	TRY(mset(s, "version", cJSON_CreateString("1.3.0")));
	return obj_set(s->manifest, "id", id);
}

static int b_files_sha_upper(fx_spec *s)
{
	char hex[PG_SHA256_HEX];

	TRY(fx_spec_good(s));
	snprintf(hex, sizeof hex, "%s", cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(mfile(s, 0), "sha256")));
	for (char *p = hex; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	TRY(obj_set(mfile(s, 0), "sha256", cJSON_CreateString(hex)));
	return fx_reid(s);
}

static int b_files_role_unknown(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRY(obj_set(mfile(s, 0), "role", cJSON_CreateString("model")));
	return fx_reid(s);
}

static int b_files_size_string(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRY(obj_set(mfile(s, 0), "size", cJSON_CreateString("4096")));
	return fx_reid(s);
}

static int b_lists_manifest(fx_spec *s)
{
	cJSON *f;

	TRY(fx_spec_good(s));
	TRYP(f = cJSON_Duplicate(mfile(s, 0), 1));
	TRY(obj_set(f, "path", cJSON_CreateString("manifest.json")));
	TRY(obj_set(f, "role", cJSON_CreateString("other")));
	cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(s->manifest, "files"), f);
	return fx_reid(s);
}

static int b_two_contracts(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return member(s, "contract2.json", "contract", LIT(doc_contract));
}

static int b_listed_twice(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return member(s, "README.md", "doc", LIT(doc_readme));
}

static int b_listed_case_collide(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return member(s, "Model.onnx", "weights", model_bytes, 100);
}

static int b_listed_fold_collide(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRYP(fx_add_member(s, FX_END, "stra\xc3\x9f" "e.txt", "other", "a\n", 2));
	return member(s, "STRASSE.txt", "other", "b\n", 2);
}

LISTED(b_listed_traversal, "../x.txt")
LISTED(b_listed_absolute, "/x.txt")
LISTED(b_listed_backslash, "a\\b.txt")
LISTED(b_listed_drive, "C:x.txt")
LISTED(b_listed_empty_segment, "a//b.txt")
LISTED(b_listed_bidi, "a\xe2\x80\xae" "b.txt")
LISTED(b_listed_zero_width, "a\xe2\x80\x8b" "b.txt")
LISTED(b_listed_non_nfc, "cafe\xcc\x81.txt")
LISTED(b_listed_mixed_script, "p\xd0\xb0ypal.txt")
LISTED(b_listed_bad_utf8, "bad\xff.txt")

static int b_listed_too_long(fx_spec *s)
{
	char p[1026];

	TRY(fx_spec_good(s));
	long_path(p, 1025);
	TRYP(fx_add_member(s, FX_END, p, "other", "x\n", 2));
	return fx_relist(s);
}

/* ------------------------------------------------------------------ declared sizes */

static int b_decl_entry_bytes_default(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRY(obj_set(mfile(s, 0), "size", cJSON_CreateNumber((double)(128 * FX_GIB + 1))));
	return fx_reid(s);
}

static int b_decl_total_bytes_default(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRY(member(s, "model2.onnx", "weights", model_bytes, 200));
	TRY(obj_set(mfile(s, 0), "size", cJSON_CreateNumber((double)(128 * FX_GIB))));
	TRY(obj_set(mfile(s, 8), "size", cJSON_CreateNumber((double)(128 * FX_GIB))));
	return fx_reid(s);
}

static int b_decl_entry_bytes(fx_spec *s)
{
	TRY(fx_spec_good(s));
	s->has_limits = 1;
	s->limits.entry_bytes = FX_MODEL_LEN - 1;
	return 0;
}

static int b_decl_json_bytes_member(fx_spec *s)
{
	size_t mlen, n;
	char *doc;
	int rc;

	TRY(fx_spec_good(s));
	mlen = manifest_len(s);
	n = mlen + 1000;
	TRYP(doc = malloc(n));
	memcpy(doc, doc_eval, sizeof doc_eval - 1);
	memset(doc + sizeof doc_eval - 1, ' ', n - (sizeof doc_eval - 1));
	rc = set_member(s, "evaluation-card.json", doc, n);
	free(doc);
	TRY(rc);
	s->has_limits = 1;
	s->limits.json_bytes = manifest_len(s);
	return 0;
}

static int b_decl_total_bytes(fx_spec *s)
{
	TRY(fx_spec_good(s));
	s->has_limits = 1;
	s->limits.total_bytes = manifest_len(s) + members_sum(s) - 1;
	return 0;
}

static int b_decl_entries(fx_spec *s)
{
	TRY(fx_spec_good(s));
	s->has_limits = 1;
	s->limits.entries = 5;
	return 0;
}

/* ------------------------------------------------------------------ caps while reading */

static int b_archive_bytes(fx_spec *s)
{
	TRY(fx_spec_good(s));
	s->has_limits = 1;
	s->limits.archive_bytes = 4096;
	return 0;
}

static int b_archive_bytes_gzip(fx_spec *s)
{
	unsigned char *buf;
	size_t len;

	TRY(fx_spec_good(s));
	s->compress = FX_COMPRESS_GZIP;
	TRY(fx_render(s, &buf, &len));
	free(buf);
	s->has_limits = 1;
	s->limits.archive_bytes = len / 2;
	return 0;
}

static int b_entries_default(fx_spec *s)
{
	char name[16];

	TRY(fx_spec_good(s));
	s->compress = FX_COMPRESS_GZIP;
	for (unsigned i = 0; i < 10000; i++) {
		snprintf(name, sizeof name, "d%05u/", i);
		TRYP(fx_add(s, FX_END, FX_DIR, name, 0, NULL, 0));
	}
	return 0;
}

static int b_entries_custom(fx_spec *s)
{
	TRY(fx_spec_good(s));
	s->has_limits = 1;
	s->limits.entries = s->n;
	TRYP(fx_add(s, FX_END, FX_DIR, "docs/", 0, NULL, 0));
	return 0;
}

static int b_total_bytes_signature(fx_spec *s)
{
	size_t mlen;

	TRY(fx_spec_good(s));
	mlen = manifest_len(s);
	s->has_limits = 1;
	s->limits.total_bytes = mlen + members_sum(s) + 100;
	return add_sig(s, "signatures/ABC.asc", "-----BEGIN PGP SIGNATURE-----\n", mlen + 300);
}

static int b_json_depth_custom(fx_spec *s)
{
	TRY(fx_spec_good(s));
	s->has_limits = 1;
	s->limits.json_depth = 4;
	return 0;
}

static int b_bomb_gzip(fx_spec *s)
{
	fx_entry *e;

	TRY(fx_spec_good(s));
	s->compress = FX_COMPRESS_GZIP;
	s->gzip_level = 1;
	TRY(fx_set_data(fx_get(s, "model.onnx"), "0123456789", 10));
	TRY(fx_relist(s));
	e = fx_get(s, "model.onnx");
	free(e->data);
	e->data = NULL;         /* 1 GiB of zeros, never stored */
	e->len = (size_t)FX_GIB;
	e->header_size = -1;
	return 0;
}

/* ------------------------------------------------------------------ entry types */

static int b_symlink(fx_spec *s) { return extra(s, FX_END, FX_SYMLINK, LIT("link.onnx"), 0, "model.onnx"); }
static int b_symlink_traversal(fx_spec *s) { return extra(s, FX_END, FX_SYMLINK, LIT("../evil"), 0, "/etc/passwd"); }
static int b_hardlink(fx_spec *s) { return extra(s, FX_END, FX_HARDLINK, LIT("hard.onnx"), 0, "model.onnx"); }
TAIL(b_chardev, FX_CHARDEV, "null.bin", 0)
TAIL(b_blockdev, FX_BLOCKDEV, "sda.bin", 0)
TAIL(b_fifo, FX_FIFO, "pipe.bin", 0)
TAIL(b_sparse_gnu, FX_SPARSE_GNU, "sparse.bin", 0)
TAIL(b_sparse_pax, FX_SPARSE_PAX, "sparse.bin", 0)

static int b_symlink_listed(fx_spec *s)
{
	fx_entry *e;

	TRY(fx_spec_good(s));
	e = fx_get(s, "model.onnx");
	e->type = FX_SYMLINK;
	return set_str(&e->link, "tokenizer.json");
}

/* ------------------------------------------------------------------ entry paths */

TAIL(b_path_absolute, FX_FILE, "/etc/x.txt", FX_E_RAW)
TAIL(b_path_dotdot, FX_FILE, "../x.txt", FX_E_RAW)
TAIL(b_path_inner_dotdot, FX_FILE, "a/../b.txt", FX_E_RAW)
TAIL(b_path_dot, FX_FILE, "./a.txt", FX_E_RAW)
TAIL(b_path_inner_dot, FX_FILE, "a/./b.txt", FX_E_RAW)
TAIL(b_path_empty_segment, FX_FILE, "a//b.txt", FX_E_RAW)
TAIL(b_path_drive, FX_FILE, "C:x.txt", FX_E_RAW)
TAIL(b_path_drive_slash, FX_FILE, "C:/x.txt", FX_E_RAW)
TAIL(b_path_backslash, FX_FILE, "a\\b.txt", FX_E_RAW)
TAIL(b_path_backslash_dotdot, FX_FILE, "..\\x.txt", FX_E_RAW)
TAIL(b_path_dir_empty_segment, FX_DIR, "x//", FX_E_RAW)
TAIL(b_path_dir_dotdot, FX_DIR, "a/../", FX_E_RAW)
TAIL(b_path_traversal_bad_utf8, FX_FILE, "../\xff.txt", FX_E_RAW)
TAIL(b_path_bad_utf8, FX_FILE, "bad\xff.txt", FX_E_RAW)
TAIL(b_path_bad_utf8_pax, FX_FILE, "bad\xff.txt", FX_E_PAXPATH)
TAIL(b_path_overlong, FX_FILE, "a\xc0\xaf" "b.txt", FX_E_RAW)
TAIL(b_path_surrogate, FX_FILE, "a\xed\xa0\x80.txt", FX_E_RAW)
TAIL(b_path_truncated_utf8, FX_FILE, "a\xe2\x80.txt", FX_E_RAW)
TAIL(b_path_non_nfc, FX_FILE, "cafe\xcc\x81.txt", 0)
TAIL(b_path_non_nfc_raw, FX_FILE, "cafe\xcc\x81.txt", FX_E_RAW)
TAIL(b_path_c0, FX_FILE, "a\x01" "b.txt", FX_E_RAW)
TAIL(b_path_tab, FX_FILE, "a\tb.txt", FX_E_RAW)
TAIL(b_path_newline, FX_FILE, "a\nb.txt", FX_E_RAW)
TAIL(b_path_del, FX_FILE, "a\x7f" "b.txt", FX_E_RAW)
TAIL(b_path_c1, FX_FILE, "a\xc2\x85" "b.txt", 0)
TAIL(b_path_bidi_061c, FX_FILE, "a\xd8\x9c" "b.txt", 0)
TAIL(b_path_bidi_200e, FX_FILE, "a\xe2\x80\x8e" "b.txt", 0)
TAIL(b_path_bidi_200f, FX_FILE, "a\xe2\x80\x8f" "b.txt", 0)
TAIL(b_path_bidi_202a, FX_FILE, "a\xe2\x80\xaa" "b.txt", 0)
TAIL(b_path_bidi_202e, FX_FILE, "a\xe2\x80\xae" "b.txt", 0)
TAIL(b_path_bidi_202e_raw, FX_FILE, "a\xe2\x80\xae" "b.txt", FX_E_RAW)
TAIL(b_path_bidi_2066, FX_FILE, "a\xe2\x81\xa6" "b.txt", 0)
TAIL(b_path_bidi_2069, FX_FILE, "a\xe2\x81\xa9" "b.txt", 0)
TAIL(b_path_soft_hyphen, FX_FILE, "a\xc2\xad" "b.txt", 0)
TAIL(b_path_zw_200b, FX_FILE, "a\xe2\x80\x8b" "b.txt", 0)
TAIL(b_path_zw_200c, FX_FILE, "a\xe2\x80\x8c" "b.txt", 0)
TAIL(b_path_zw_200d, FX_FILE, "a\xe2\x80\x8d" "b.txt", 0)
TAIL(b_path_zw_2060, FX_FILE, "a\xe2\x81\xa0" "b.txt", 0)
TAIL(b_path_zw_feff, FX_FILE, "a\xef\xbb\xbf" "b.txt", 0)
TAIL(b_path_conf_2044, FX_FILE, "a\xe2\x81\x84" "b.txt", 0)
TAIL(b_path_conf_2215, FX_FILE, "a\xe2\x88\x95" "b.txt", 0)
TAIL(b_path_conf_ff0f, FX_FILE, "a\xef\xbc\x8f" "b.txt", 0)
TAIL(b_path_conf_29f8, FX_FILE, "a\xe2\xa7\xb8" "b.txt", 0)
TAIL(b_path_conf_ff3c, FX_FILE, "a\xef\xbc\xbc" "b.txt", 0)
TAIL(b_path_conf_2216, FX_FILE, "a\xe2\x88\x96" "b.txt", 0)
TAIL(b_path_conf_fe68, FX_FILE, "a\xef\xb9\xa8" "b.txt", 0)
TAIL(b_path_conf_ff0e, FX_FILE, "a\xef\xbc\x8e" "txt", 0)
TAIL(b_path_conf_2024, FX_FILE, "a\xe2\x80\xa4" "txt", 0)
TAIL(b_path_conf_fe52, FX_FILE, "a\xef\xb9\x92" "txt", 0)
TAIL(b_path_conf_3002, FX_FILE, "a\xe3\x80\x82" "txt", 0)
TAIL(b_path_latin_cyrillic, FX_FILE, "p\xd0\xb0ypal.txt", 0)
TAIL(b_path_latin_greek, FX_FILE, "m\xce\xbf" "del.txt", 0)
TAIL(b_path_han_cyrillic, FX_FILE, "\xe6\xa8\xa1\xe5\x9e\x8b\xd0\xb4.txt", 0)
TAIL(b_path_hangul_katakana, FX_FILE, "\xeb\xaa\xa8\xeb\x8d\xb8\xe3\x83\xa2\xe3\x83\x87\xe3\x83\xab.txt", 0)

static int long_entry(fx_spec *s, size_t total, int bidi)
{
	char p[1100];

	long_path(p, total);
	if (bidi)
		memcpy(p + 10, "\xe2\x80\xae", 3);
	return extra(s, FX_END, FX_FILE, p, total, 0, NULL);
}

static int b_path_too_long(fx_spec *s) { return long_entry(s, 1025, 0); }
static int b_path_1024_unlisted(fx_spec *s) { return long_entry(s, 1024, 0); }
static int b_path_long_and_bidi(fx_spec *s) { return long_entry(s, 1025, 1); }

static int b_segment_too_long(fx_spec *s)
{
	char p[257];

	memset(p, 's', 252);
	memcpy(p + 252, ".txt", 5);
	return extra(s, FX_END, FX_FILE, p, 256, 0, NULL);
}

static int b_segment_255_unlisted(fx_spec *s)
{
	char p[256];

	memset(p, 's', 251);
	memcpy(p + 251, ".txt", 5);
	return extra(s, FX_END, FX_FILE, p, 255, 0, NULL);
}

static int b_path_pax_traversal(fx_spec *s)
{
	char p[200];

	memcpy(p, "a/", 2);
	memset(p + 2, 'b', 150);
	memcpy(p + 152, "/../../x.txt", 13);
	return extra(s, FX_END, FX_FILE, p, 0, 0, NULL);
}

static int b_path_gnu_longname_traversal(fx_spec *s)
{
	char p[200];

	memset(p, 'a', 120);
	memcpy(p + 120, "/../../x.txt", 13);
	TRY(extra(s, FX_END, FX_FILE, p, 0, 0, NULL));
	s->format = FX_FORMAT_GNUTAR;
	return 0;
}

static int b_nfc_collide(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRY(member(s, "caf\xc3\xa9.txt", "other", "x\n", 2));
	TRYP(fx_add(s, FX_END, FX_FILE, "cafe\xcc\x81.txt", 0, "y\n", 2));
	return 0;
}

static int b_nfc_collide_raw(fx_spec *s)
{
	fx_entry *e;

	TRY(b_nfc_collide(s));
	TRYP(e = fx_get(s, "cafe\xcc\x81.txt"));
	e->flags |= FX_E_RAW;
	return 0;
}

/* ------------------------------------------------------------------ duplicates */

static int b_dup_member(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRYP(fx_add(s, FX_END, FX_FILE, "model.onnx", 0, model_bytes, FX_MODEL_LEN));
	return 0;
}

static int b_dup_case(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRYP(fx_add(s, FX_END, FX_FILE, "Model.onnx", 0, model_bytes, FX_MODEL_LEN));
	return 0;
}

static int b_dup_sharp_s(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRY(member(s, "stra\xc3\x9f" "e.txt", "other", "a\n", 2));
	TRYP(fx_add(s, FX_END, FX_FILE, "STRASSE.txt", 0, "b\n", 2));
	return 0;
}

static int b_dup_ligature(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRY(member(s, "file.txt", "other", "a\n", 2));
	TRYP(fx_add(s, FX_END, FX_FILE, "\xef\xac\x81le.txt", 0, "b\n", 2));
	return 0;
}

static int b_dup_manifest_again(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRYP(fx_add(s, FX_END, FX_FILE, "manifest.json", 0, "{}", 2));
	return 0;
}

static int b_dup_manifest_case(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRYP(fx_add(s, FX_END, FX_FILE, "Manifest.JSON", 0, "{}", 2));
	return 0;
}

static int b_dup_dir_file(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRYP(fx_add(s, 0, FX_DIR, "model.onnx/", 0, NULL, 0));
	return 0;
}

static int b_dup_dir_after(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRYP(fx_add(s, FX_END, FX_DIR, "docs/", 0, NULL, 0));
	TRYP(fx_add(s, FX_END, FX_DIR, "Docs/", 0, NULL, 0));
	return 0;
}

/* ------------------------------------------------------------------ file types, listing */

static int b_listed_py(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return member(s, "evil.py", "other", LIT("print(1)\n"));
}

TAIL(b_unlisted_py, FX_FILE, "evil.py", 0)
TAIL(b_dotfile, FX_FILE, ".bashrc", 0)
TAIL(b_double_ext, FX_FILE, "model.onnx.exe", 0)
TAIL(b_traversal_and_py, FX_FILE, "../evil.py", FX_E_RAW)
TAIL(b_unlisted, FX_FILE, "notes.txt", 0)
TAIL(b_unlisted_no_ext, FX_FILE, "Makefile", 0)
TAIL(b_unlisted_upper_ext, FX_FILE, "NOTES.TXT", 0)

static int b_sig_wrong_ext(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRYP(fx_add(s, FX_END, FX_FILE, "signatures/ABC.sig", 0, LIT(sig_text)));
	return 0;
}

static int b_sig_txt(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRYP(fx_add(s, FX_END, FX_FILE, "signatures/ABC.txt", 0, LIT(sig_text)));
	return 0;
}

static int b_sig_nested(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRYP(fx_add(s, FX_END, FX_FILE, "signatures/sub/ABC.asc", 0, LIT(sig_text)));
	return 0;
}

static int b_sig_toplevel(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRYP(fx_add(s, FX_END, FX_FILE, "ABC.asc", 0, LIT(sig_text)));
	return 0;
}

static int b_sig_too_big(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return add_sig(s, "signatures/ABC.asc", "-----BEGIN PGP SIGNATURE-----\n", 65537);
}

static int b_missing_listed(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return fx_remove(s, "README.md");
}

static int b_missing_two(fx_spec *s)
{
	TRY(fx_spec_good(s));
	TRY(fx_remove(s, "README.md"));
	return fx_remove(s, "permissions.json");
}

/* ------------------------------------------------------------------ sizes, digests */

static int b_size_header_smaller(fx_spec *s)
{
	fx_entry *e;

	TRY(fx_spec_good(s));
	e = fx_get(s, "model.onnx");
	e->len = 4000;
	return 0;
}

static int b_size_header_larger(fx_spec *s)
{
	unsigned char d[5000];

	TRY(fx_spec_good(s));
	memcpy(d, model_bytes, FX_MODEL_LEN);
	fx_fill(d + FX_MODEL_LEN, sizeof d - FX_MODEL_LEN, 6);
	return fx_set_data(fx_get(s, "model.onnx"), d, sizeof d);
}

static int b_digest_mismatch(fx_spec *s)
{
	TRY(fx_spec_good(s));
	fx_get(s, "model.onnx")->data[2000] ^= 0x20;
	return 0;
}

static int b_digest_mismatch_doc(fx_spec *s)
{
	fx_entry *e;

	TRY(fx_spec_good(s));
	e = fx_get(s, "contract.json");
	e->data[e->len - 1] = ' '; /* same size, still valid JSON */
	return 0;
}

/* ------------------------------------------------------------------ content types */

static int magic_member(fx_spec *s, const char *path, const char *role,
                        const char *head, size_t hlen)
{
	unsigned char d[256];

	TRY(fx_spec_good(s));
	fx_fill(d, sizeof d, 8);
	memcpy(d, head, hlen);
	return member(s, path, role, d, sizeof d);
}

#define MAGIC(fn, path, role, lit) \
	static int fn(fx_spec *s) { return magic_member(s, path, role, LIT(lit)); }

MAGIC(b_pickle_p2, "model.bin", "weights", "\x80\x02}q\x00")
MAGIC(b_pickle_p4, "model.bin", "weights", "\x80\x04\x95\x10\x00\x00\x00")
MAGIC(b_pickle_p5, "model.bin", "weights", "\x80\x05\x95\x10\x00\x00\x00")
MAGIC(b_zip_disguise, "model.safetensors", "weights", "PK\x03\x04\x14\x00")
MAGIC(b_elf, "model.bin", "weights", "\x7f" "ELF\x02\x01\x01")
MAGIC(b_pe, "model.bin", "weights", "MZ\x90\x00")
MAGIC(b_script, "run.txt", "other", "#!/bin/sh\necho hi\n")

static int b_script_tokenizer(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return set_member(s, "tokenizer.json", LIT("#!{}"));
}

static int b_magic_signature(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return add_sig(s, "signatures/ABC.asc", "MZ", 300);
}

static int b_magic_and_size(fx_spec *s)
{
	TRY(b_pickle_p4(s));
	fx_get(s, "model.bin")->len = 200;
	return 0;
}

static int b_magic_and_digest(fx_spec *s)
{
	TRY(b_pickle_p4(s));
	fx_get(s, "model.bin")->data[100] ^= 1;
	return 0;
}

/* ------------------------------------------------------------------ member documents */

static int b_member_syntax(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return set_member(s, "lineage.json", LIT("{\"parents\": ["));
}

static int b_member_trailing(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return EDIT(s, "lineage.json", doc_lineage, "\"ml-platform\"\n}\n", "\"ml-platform\"\n}\nx");
}

static int b_member_empty(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return set_member(s, "contract.json", NULL, 0);
}

static int b_member_dup_key(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return EDIT(s, "contract.json", doc_contract, "\"maximum_permissions\"",
		    "\"input_contract\": \"text-question/v1\", \"maximum_permissions\"");
}

static int deep_doc(fx_spec *s, const char *path, size_t depth)
{
	char buf[300];

	TRY(fx_spec_good(s));
	memset(buf, '[', depth);
	memset(buf + depth, ']', depth);
	return set_member(s, path, buf, 2 * depth);
}

static int b_member_depth_65(fx_spec *s) { return deep_doc(s, "lineage.json", 65); }
static int b_member_depth_64(fx_spec *s) { return deep_doc(s, "lineage.json", 64); }

static int b_member_bad_utf8(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return EDIT(s, "permissions.json", doc_permissions, "calculator", "calc\xffulator");
}

static int b_member_lone_surrogate(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return EDIT(s, "permissions.json", doc_permissions, "calculator", "calc\\udc00");
}

static int b_member_nul_escaped(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return EDIT(s, "permissions.json", doc_permissions, "calculator", "calc\\u0000");
}

static int b_member_number_overflow(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return EDIT(s, "evaluation-card.json", doc_eval, "0.812", "1e400");
}

static int b_member_float_count(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return EDIT(s, "evaluation-card.json", doc_eval, "\"n\": 1319", "\"n\": 1319.5");
}

static int b_member_not_object(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return set_member(s, "contract.json", LIT("[]"));
}

static int b_contract_mismatch(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return EDIT(s, "contract.json", doc_contract, "text-question/v1", "text-other/v1");
}

static int b_lineage_operator_mismatch(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return EDIT(s, "lineage.json", doc_lineage, "\"fine-tune\"", "\"distill\"");
}

static int b_lineage_parent_mismatch(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return EDIT(s, "lineage.json", doc_lineage, "63fb0804", "73fb0804");
}

static int b_eval_no_suites(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return set_member(s, "evaluation-card.json",
		LIT("{\"id\": \"e1\", \"created_at\": \"2026-06-25T09:30:00Z\", \"suites\": []}"));
}

static int b_license_no_model(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return set_member(s, "license-notice.json", LIT("{\"redistribution\": \"allowed\"}"));
}

static int b_permissions_bad(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return set_member(s, "permissions.json", LIT("{\"requested\": {\"tools\": \"calculator\"}}"));
}

static int b_resource_profile_bad(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return member(s, "resource-profile.json", "resource-profile", LIT("{\"bytes\": \"big\"}"));
}

static int b_rollback_bad(fx_spec *s)
{
	TRY(fx_spec_good(s));
	return member(s, "rollback.json", "rollback", LIT("{\"compatible_prior\": [\"not-an-id\"]}"));
}

/* ------------------------------------------------------------------ the table */

#define OK_ PG_OK
#define C(name, code, insp, path, flags) { #name, code, insp, path, b_##name, flags },
/* manifest or archive phase: inspect fails the same way */
#define M(name, code, path) C(name, code, code, path, 0)
/* entry phase: inspect passes */
#define E(name, code, path) C(name, code, OK_, path, 0)
#define G(name) C(name, OK_, OK_, NULL, 0)

const fx_case fx_cases[] = {
	/* good packs */
	G(good_pax)
	G(good_gzip)
	G(good_zstd)
	G(good_ustar)
	G(good_gnutar)
	G(good_dirs_first)
	G(good_dirs_after)
	G(good_signature)
	G(good_signature_64k)
	G(good_optional_docs)
	G(good_import_base)
	G(good_unknown_member)
	G(good_script_japanese)
	G(good_script_korean)
	G(good_script_bopomofo)
	G(good_script_segments)
	G(good_accent)
	G(good_raw_utf8_name)
	G(good_trailing_junk)
	G(good_extras)
	G(good_pickle_other_protocols)
	G(good_manifest_depth_64)
	G(good_int_max)
	C(good_limits_exact, OK_, OK_, NULL, FX_C_LIMITS)
	G(good_path_1024)

	/* not a tar, or not one we take */
	M(empty_file, PG_ARCHIVE_INVALID, NULL)
	M(random_bytes, PG_ARCHIVE_INVALID, NULL)
	M(gzip_random, PG_ARCHIVE_INVALID, NULL)
	M(zstd_random, PG_ARCHIVE_INVALID, NULL)
	M(gzip_empty, PG_ARCHIVE_INVALID, NULL)
	M(zip_pack, PG_ARCHIVE_INVALID, NULL)
	M(gzip_of_zip, PG_ARCHIVE_INVALID, NULL)
	M(sevenzip_pack, PG_ARCHIVE_INVALID, NULL)
	M(cpio_pack, PG_ARCHIVE_INVALID, NULL)
	M(ar_pack, PG_ARCHIVE_INVALID, NULL)
	M(bzip2_tar, PG_ARCHIVE_INVALID, NULL)
	M(xz_tar, PG_ARCHIVE_INVALID, NULL)
	M(empty_tar, PG_MANIFEST_MISSING, NULL)
	M(tar_dirs_only, PG_MANIFEST_MISSING, NULL)

	/* damaged tar */
	M(bad_checksum_manifest, PG_ARCHIVE_INVALID, NULL)
	E(bad_checksum_member, PG_ARCHIVE_INVALID, NULL)
	E(truncated_member_data, PG_ARCHIVE_INVALID, NULL)
	C(truncated_gzip, PG_ARCHIVE_INVALID, FX_ANY, NULL, 0)
	E(truncated_header, PG_ARCHIVE_INVALID, NULL)
	E(flip_header_byte, PG_ARCHIVE_INVALID, NULL)
	E(flip_data_byte, PG_DIGEST_MISMATCH, "model.onnx")

	/* where the manifest is */
	M(manifest_missing, PG_MANIFEST_MISSING, NULL)
	M(manifest_not_first, PG_MANIFEST_NOT_FIRST, NULL)
	M(manifest_last, PG_MANIFEST_NOT_FIRST, NULL)
	M(manifest_dot_slash, PG_MANIFEST_MISSING, NULL)
	M(manifest_upper, PG_MANIFEST_MISSING, NULL)
	M(manifest_in_subdir, PG_MANIFEST_MISSING, NULL)
	M(symlink_before_manifest, PG_ARCHIVE_ENTRY_TYPE, "link")
	M(fifo_before_manifest, PG_ARCHIVE_ENTRY_TYPE, "pipe")
	M(manifest_symlink, PG_ARCHIVE_ENTRY_TYPE, "manifest.json")
	M(dir_traversal_before_manifest, PG_ARCHIVE_PATH_TRAVERSAL, "../up")
	M(dot_dir_before_manifest, PG_ARCHIVE_PATH_TRAVERSAL, ".")
	M(dir_dup_before_manifest, PG_ARCHIVE_DUPLICATE_ENTRY, NULL)

	/* manifest JSON */
	M(manifest_syntax, PG_JSON_SYNTAX, NULL)
	M(manifest_trailing, PG_JSON_SYNTAX, NULL)
	M(manifest_two_values, PG_JSON_SYNTAX, NULL)
	M(manifest_bom, PG_JSON_SYNTAX, NULL)
	M(manifest_comment, PG_JSON_SYNTAX, NULL)
	M(manifest_leading_zero, PG_JSON_SYNTAX, NULL)
	M(manifest_raw_control, PG_JSON_SYNTAX, NULL)
	M(manifest_dup_key, PG_JSON_DUPLICATE_KEY, NULL)
	M(manifest_dup_key_nested, PG_JSON_DUPLICATE_KEY, NULL)
	M(manifest_depth_65, PG_JSON_DEPTH, NULL)
	M(manifest_float, PG_JSON_NUMBER, "resource_profile.bytes")
	M(manifest_negative, PG_JSON_NUMBER, "files[0].size")
	M(manifest_2p53, PG_JSON_NUMBER, "resource_profile.bytes")
	M(manifest_exp_overflow, PG_JSON_NUMBER, NULL)
	M(manifest_bad_utf8, PG_JSON_ENCODING, NULL)
	M(manifest_overlong, PG_JSON_ENCODING, NULL)
	M(manifest_raw_surrogate, PG_JSON_ENCODING, NULL)
	M(manifest_lone_surrogate, PG_JSON_ENCODING, NULL)
	M(manifest_nul_escaped, PG_JSON_ENCODING, NULL)
	M(manifest_json_bytes_default, PG_LIMIT_JSON_BYTES, NULL)
	C(manifest_json_bytes, PG_LIMIT_JSON_BYTES, PG_LIMIT_JSON_BYTES, NULL, FX_C_LIMITS)

	/* manifest schema */
	M(schema_version_2, PG_VERSION_UNSUPPORTED, "schema_version")
	M(schema_version_0, PG_VERSION_UNSUPPORTED, "schema_version")
	M(schema_version_string, PG_SCHEMA, "schema_version")
	M(schema_version_missing, PG_SCHEMA, "schema_version")
	M(manifest_array, PG_SCHEMA, NULL)
	M(missing_operator, PG_SCHEMA, "operator")
	M(missing_runtime_backend, PG_SCHEMA, "runtime.backend")
	M(missing_required_role, PG_SCHEMA, "files")
	M(missing_weights, PG_SCHEMA, "files")
	M(statement_type, PG_SCHEMA, "_type")
	M(statement_subject, PG_SCHEMA, "subject")
	M(statement_predicate_type, PG_SCHEMA, "predicateType")
	M(statement_predicate, PG_SCHEMA, "predicate")
	M(name_sha256, PG_SCHEMA, "name")
	M(name_upper, PG_SCHEMA, "name")
	M(name_too_long, PG_SCHEMA, "name")
	M(version_bad, PG_SCHEMA, "version")
	M(created_at_bad, PG_SCHEMA, "created_at")
	M(operator_unknown, PG_SCHEMA, "operator")
	M(operator_merge_one_parent, PG_SCHEMA, "operator")
	M(operator_import_with_parent, PG_SCHEMA, "operator")
	M(evaluation_card_wrong, PG_SCHEMA, "evaluation_card")
	M(evaluation_card_absent, PG_SCHEMA, "evaluation_card")
	M(safety_tier_bad, PG_SCHEMA, "risk_profile.safety_tier")
	M(parents_bad, PG_SCHEMA, "parents[0]")
	M(id_missing, PG_SCHEMA, "id")
	M(id_malformed, PG_SCHEMA, "id")
	M(id_mismatch, PG_MANIFEST_ID_MISMATCH, NULL)
	M(id_of_other_version, PG_MANIFEST_ID_MISMATCH, NULL)
	M(files_sha_upper, PG_SCHEMA, "files[0].sha256")
	M(files_role_unknown, PG_SCHEMA, "files[0].role")
	M(files_size_string, PG_SCHEMA, "files[0].size")
	M(lists_manifest, PG_SCHEMA, "files[8].path")
	M(two_contracts, PG_SCHEMA, "files[8].role")
	M(listed_twice, PG_ARCHIVE_DUPLICATE_ENTRY, "files[8].path")
	M(listed_case_collide, PG_ARCHIVE_DUPLICATE_ENTRY, "files[8].path")
	M(listed_fold_collide, PG_ARCHIVE_DUPLICATE_ENTRY, "files[9].path")
	M(listed_traversal, PG_ARCHIVE_PATH_TRAVERSAL, "files[8].path")
	M(listed_absolute, PG_ARCHIVE_PATH_TRAVERSAL, "files[8].path")
	M(listed_backslash, PG_ARCHIVE_PATH_TRAVERSAL, "files[8].path")
	M(listed_drive, PG_ARCHIVE_PATH_TRAVERSAL, "files[8].path")
	M(listed_empty_segment, PG_ARCHIVE_PATH_TRAVERSAL, "files[8].path")
	M(listed_bidi, PG_ARCHIVE_CONFUSABLE_PATH, "files[8].path")
	M(listed_zero_width, PG_ARCHIVE_CONFUSABLE_PATH, "files[8].path")
	M(listed_non_nfc, PG_ARCHIVE_PATH_ENCODING, "files[8].path")
	M(listed_mixed_script, PG_ARCHIVE_CONFUSABLE_PATH, "files[8].path")
	M(listed_bad_utf8, PG_JSON_ENCODING, NULL)
	M(listed_too_long, PG_LIMIT_PATH_LENGTH, "files[8].path")

	/* declared sizes against the caps */
	M(decl_entry_bytes_default, PG_LIMIT_ENTRY_BYTES, NULL)
	M(decl_total_bytes_default, PG_LIMIT_TOTAL_BYTES, NULL)
	C(decl_entry_bytes, PG_LIMIT_ENTRY_BYTES, PG_LIMIT_ENTRY_BYTES, NULL, FX_C_LIMITS)
	C(decl_json_bytes_member, PG_LIMIT_JSON_BYTES, PG_LIMIT_JSON_BYTES, NULL, FX_C_LIMITS)
	C(decl_total_bytes, PG_LIMIT_TOTAL_BYTES, PG_LIMIT_TOTAL_BYTES, NULL, FX_C_LIMITS)
	C(decl_entries, PG_LIMIT_ENTRIES, PG_LIMIT_ENTRIES, NULL, FX_C_LIMITS)

	/* caps while reading */
	C(archive_bytes, PG_LIMIT_ARCHIVE_BYTES, FX_ANY, NULL, FX_C_LIMITS)
	C(archive_bytes_gzip, PG_LIMIT_ARCHIVE_BYTES, FX_ANY, NULL, FX_C_LIMITS)
	E(entries_default, PG_LIMIT_ENTRIES, NULL)
	C(entries_custom, PG_LIMIT_ENTRIES, OK_, NULL, FX_C_LIMITS)
	C(total_bytes_signature, PG_LIMIT_TOTAL_BYTES, OK_, "signatures/ABC.asc", FX_C_LIMITS)
	C(json_depth_custom, PG_JSON_DEPTH, OK_, "evaluation-card.json", FX_C_LIMITS)
	E(bomb_gzip, PG_SIZE_MISMATCH, "model.onnx")

	/* entry types */
	E(symlink, PG_ARCHIVE_ENTRY_TYPE, "link.onnx")
	E(symlink_traversal, PG_ARCHIVE_ENTRY_TYPE, "../evil")
	E(symlink_listed, PG_ARCHIVE_ENTRY_TYPE, "model.onnx")
	E(hardlink, PG_ARCHIVE_ENTRY_TYPE, "hard.onnx")
	E(chardev, PG_ARCHIVE_ENTRY_TYPE, "null.bin")
	E(blockdev, PG_ARCHIVE_ENTRY_TYPE, "sda.bin")
	E(fifo, PG_ARCHIVE_ENTRY_TYPE, "pipe.bin")
	E(sparse_gnu, PG_ARCHIVE_ENTRY_TYPE, "sparse.bin")
	E(sparse_pax, PG_ARCHIVE_ENTRY_TYPE, "sparse.bin")

	/* entry paths */
	E(path_absolute, PG_ARCHIVE_PATH_TRAVERSAL, "/etc/x.txt")
	E(path_dotdot, PG_ARCHIVE_PATH_TRAVERSAL, "../x.txt")
	E(path_inner_dotdot, PG_ARCHIVE_PATH_TRAVERSAL, "a/../b.txt")
	E(path_dot, PG_ARCHIVE_PATH_TRAVERSAL, "./a.txt")
	E(path_inner_dot, PG_ARCHIVE_PATH_TRAVERSAL, "a/./b.txt")
	E(path_empty_segment, PG_ARCHIVE_PATH_TRAVERSAL, "a//b.txt")
	E(path_drive, PG_ARCHIVE_PATH_TRAVERSAL, "C:x.txt")
	E(path_drive_slash, PG_ARCHIVE_PATH_TRAVERSAL, "C:/x.txt")
	E(path_backslash, PG_ARCHIVE_PATH_TRAVERSAL, "a\\b.txt")
	E(path_backslash_dotdot, PG_ARCHIVE_PATH_TRAVERSAL, "..\\x.txt")
	E(path_dir_empty_segment, PG_ARCHIVE_PATH_TRAVERSAL, "x/")
	E(path_dir_dotdot, PG_ARCHIVE_PATH_TRAVERSAL, "a/..")
	E(path_pax_traversal, PG_ARCHIVE_PATH_TRAVERSAL, NULL)
	E(path_gnu_longname_traversal, PG_ARCHIVE_PATH_TRAVERSAL, NULL)
	E(path_traversal_bad_utf8, PG_ARCHIVE_PATH_TRAVERSAL, "../\\xFF.txt")
	E(path_bad_utf8, PG_ARCHIVE_PATH_ENCODING, "bad\\xFF.txt")
	E(path_bad_utf8_pax, PG_ARCHIVE_PATH_ENCODING, "bad\\xFF.txt")
	E(path_overlong, PG_ARCHIVE_PATH_ENCODING, "a\\xC0\\xAFb.txt")
	E(path_surrogate, PG_ARCHIVE_PATH_ENCODING, NULL)
	E(path_truncated_utf8, PG_ARCHIVE_PATH_ENCODING, NULL)
	/* libarchive normalises a pax path record to NFC as it reads it, so a
	 * non-NFC name in a pax record reaches the loader in NFC: such a pack
	 * is refused by the next rule it breaks (doc/pack-loader.md). */
	E(path_non_nfc, PG_FILE_UNLISTED, "caf\xc3\xa9.txt")
	E(path_non_nfc_raw, PG_ARCHIVE_PATH_ENCODING, "cafe\xcc\x81.txt")
	E(nfc_collide, PG_ARCHIVE_DUPLICATE_ENTRY, "caf\xc3\xa9.txt")
	E(nfc_collide_raw, PG_ARCHIVE_PATH_ENCODING, "cafe\xcc\x81.txt")
	E(path_c0, PG_ARCHIVE_CONFUSABLE_PATH, "a^Ab.txt")
	E(path_tab, PG_ARCHIVE_CONFUSABLE_PATH, "a^Ib.txt")
	E(path_newline, PG_ARCHIVE_CONFUSABLE_PATH, "a^Jb.txt")
	E(path_del, PG_ARCHIVE_CONFUSABLE_PATH, "a^?b.txt")
	E(path_c1, PG_ARCHIVE_CONFUSABLE_PATH, "a<U+0085>b.txt")
	E(path_bidi_061c, PG_ARCHIVE_CONFUSABLE_PATH, "a<U+061C>b.txt")
	E(path_bidi_200e, PG_ARCHIVE_CONFUSABLE_PATH, "a<U+200E>b.txt")
	E(path_bidi_200f, PG_ARCHIVE_CONFUSABLE_PATH, "a<U+200F>b.txt")
	E(path_bidi_202a, PG_ARCHIVE_CONFUSABLE_PATH, "a<U+202A>b.txt")
	E(path_bidi_202e, PG_ARCHIVE_CONFUSABLE_PATH, "a<U+202E>b.txt")
	E(path_bidi_202e_raw, PG_ARCHIVE_CONFUSABLE_PATH, "a<U+202E>b.txt")
	E(path_bidi_2066, PG_ARCHIVE_CONFUSABLE_PATH, "a<U+2066>b.txt")
	E(path_bidi_2069, PG_ARCHIVE_CONFUSABLE_PATH, "a<U+2069>b.txt")
	E(path_soft_hyphen, PG_ARCHIVE_CONFUSABLE_PATH, "a<U+00AD>b.txt")
	E(path_zw_200b, PG_ARCHIVE_CONFUSABLE_PATH, "a<U+200B>b.txt")
	E(path_zw_200c, PG_ARCHIVE_CONFUSABLE_PATH, "a<U+200C>b.txt")
	E(path_zw_200d, PG_ARCHIVE_CONFUSABLE_PATH, "a<U+200D>b.txt")
	E(path_zw_2060, PG_ARCHIVE_CONFUSABLE_PATH, "a<U+2060>b.txt")
	E(path_zw_feff, PG_ARCHIVE_CONFUSABLE_PATH, "a<U+FEFF>b.txt")
	E(path_conf_2044, PG_ARCHIVE_CONFUSABLE_PATH, "a\xe2\x81\x84" "b.txt")
	E(path_conf_2215, PG_ARCHIVE_CONFUSABLE_PATH, "a\xe2\x88\x95" "b.txt")
	E(path_conf_ff0f, PG_ARCHIVE_CONFUSABLE_PATH, "a\xef\xbc\x8f" "b.txt")
	E(path_conf_29f8, PG_ARCHIVE_CONFUSABLE_PATH, "a\xe2\xa7\xb8" "b.txt")
	E(path_conf_ff3c, PG_ARCHIVE_CONFUSABLE_PATH, "a\xef\xbc\xbc" "b.txt")
	E(path_conf_2216, PG_ARCHIVE_CONFUSABLE_PATH, "a\xe2\x88\x96" "b.txt")
	E(path_conf_fe68, PG_ARCHIVE_CONFUSABLE_PATH, "a\xef\xb9\xa8" "b.txt")
	E(path_conf_ff0e, PG_ARCHIVE_CONFUSABLE_PATH, "a\xef\xbc\x8e" "txt")
	E(path_conf_2024, PG_ARCHIVE_CONFUSABLE_PATH, "a\xe2\x80\xa4" "txt")
	E(path_conf_fe52, PG_ARCHIVE_CONFUSABLE_PATH, "a\xef\xb9\x92" "txt")
	E(path_conf_3002, PG_ARCHIVE_CONFUSABLE_PATH, "a\xe3\x80\x82" "txt")
	E(path_latin_cyrillic, PG_ARCHIVE_CONFUSABLE_PATH, "p\xd0\xb0ypal.txt")
	E(path_latin_greek, PG_ARCHIVE_CONFUSABLE_PATH, "m\xce\xbf" "del.txt")
	E(path_han_cyrillic, PG_ARCHIVE_CONFUSABLE_PATH, "\xe6\xa8\xa1\xe5\x9e\x8b\xd0\xb4.txt")
	E(path_hangul_katakana, PG_ARCHIVE_CONFUSABLE_PATH,
	  "\xeb\xaa\xa8\xeb\x8d\xb8\xe3\x83\xa2\xe3\x83\x87\xe3\x83\xab.txt")
	E(path_too_long, PG_LIMIT_PATH_LENGTH, NULL)
	E(path_1024_unlisted, PG_FILE_UNLISTED, NULL)
	E(path_long_and_bidi, PG_ARCHIVE_CONFUSABLE_PATH, NULL)
	E(segment_too_long, PG_LIMIT_PATH_LENGTH, NULL)
	E(segment_255_unlisted, PG_FILE_UNLISTED, NULL)

	/* duplicates */
	E(dup_member, PG_ARCHIVE_DUPLICATE_ENTRY, "model.onnx")
	E(dup_case, PG_ARCHIVE_DUPLICATE_ENTRY, "Model.onnx")
	E(dup_sharp_s, PG_ARCHIVE_DUPLICATE_ENTRY, "STRASSE.txt")
	E(dup_ligature, PG_ARCHIVE_DUPLICATE_ENTRY, "\xef\xac\x81le.txt")
	E(dup_manifest_again, PG_ARCHIVE_DUPLICATE_ENTRY, "manifest.json")
	E(dup_manifest_case, PG_ARCHIVE_DUPLICATE_ENTRY, "Manifest.JSON")
	E(dup_dir_file, PG_ARCHIVE_DUPLICATE_ENTRY, "model.onnx")
	E(dup_dir_after, PG_ARCHIVE_DUPLICATE_ENTRY, NULL)

	/* file type by name, listing */
	E(listed_py, PG_ARCHIVE_FILE_TYPE, "evil.py")
	E(unlisted_py, PG_ARCHIVE_FILE_TYPE, "evil.py")
	E(dotfile, PG_ARCHIVE_FILE_TYPE, ".bashrc")
	E(double_ext, PG_ARCHIVE_FILE_TYPE, "model.onnx.exe")
	E(traversal_and_py, PG_ARCHIVE_PATH_TRAVERSAL, "../evil.py")
	E(unlisted, PG_FILE_UNLISTED, "notes.txt")
	E(unlisted_no_ext, PG_FILE_UNLISTED, "Makefile")
	E(unlisted_upper_ext, PG_FILE_UNLISTED, "NOTES.TXT")
	E(sig_wrong_ext, PG_ARCHIVE_FILE_TYPE, "signatures/ABC.sig")
	E(sig_txt, PG_FILE_UNLISTED, "signatures/ABC.txt")
	E(sig_nested, PG_FILE_UNLISTED, "signatures/sub/ABC.asc")
	E(sig_toplevel, PG_FILE_UNLISTED, "ABC.asc")
	E(sig_too_big, PG_LIMIT_ENTRY_BYTES, "signatures/ABC.asc")
	E(missing_listed, PG_FILE_MISSING, "README.md")
	E(missing_two, PG_FILE_MISSING, "permissions.json")

	/* sizes and digests */
	E(size_header_smaller, PG_SIZE_MISMATCH, "model.onnx")
	E(size_header_larger, PG_SIZE_MISMATCH, "model.onnx")
	E(digest_mismatch, PG_DIGEST_MISMATCH, "model.onnx")
	E(digest_mismatch_doc, PG_DIGEST_MISMATCH, "contract.json")

	/* content types */
	E(pickle_p2, PG_ARCHIVE_FILE_TYPE, "model.bin")
	E(pickle_p4, PG_ARCHIVE_FILE_TYPE, "model.bin")
	E(pickle_p5, PG_ARCHIVE_FILE_TYPE, "model.bin")
	E(zip_disguise, PG_ARCHIVE_FILE_TYPE, "model.safetensors")
	E(elf, PG_ARCHIVE_FILE_TYPE, "model.bin")
	E(pe, PG_ARCHIVE_FILE_TYPE, "model.bin")
	E(script, PG_ARCHIVE_FILE_TYPE, "run.txt")
	E(script_tokenizer, PG_ARCHIVE_FILE_TYPE, "tokenizer.json")
	E(magic_signature, PG_ARCHIVE_FILE_TYPE, "signatures/ABC.asc")
	E(magic_and_size, PG_SIZE_MISMATCH, "model.bin")
	E(magic_and_digest, PG_ARCHIVE_FILE_TYPE, "model.bin")

	/* member documents */
	E(member_syntax, PG_JSON_SYNTAX, "lineage.json")
	E(member_trailing, PG_JSON_SYNTAX, "lineage.json")
	E(member_empty, PG_JSON_SYNTAX, "contract.json")
	E(member_dup_key, PG_JSON_DUPLICATE_KEY, "contract.json")
	E(member_depth_65, PG_JSON_DEPTH, "lineage.json")
	E(member_depth_64, PG_SCHEMA, NULL)
	E(member_bad_utf8, PG_JSON_ENCODING, "permissions.json")
	E(member_lone_surrogate, PG_JSON_ENCODING, "permissions.json")
	E(member_nul_escaped, PG_JSON_ENCODING, "permissions.json")
	E(member_number_overflow, PG_JSON_NUMBER, "evaluation-card.json")
	E(member_float_count, PG_JSON_NUMBER, NULL)
	E(member_not_object, PG_SCHEMA, NULL)
	E(contract_mismatch, PG_SCHEMA, NULL)
	E(lineage_operator_mismatch, PG_SCHEMA, NULL)
	E(lineage_parent_mismatch, PG_SCHEMA, NULL)
	E(eval_no_suites, PG_SCHEMA, NULL)
	E(license_no_model, PG_SCHEMA, NULL)
	E(permissions_bad, PG_SCHEMA, NULL)
	E(resource_profile_bad, PG_SCHEMA, NULL)
	E(rollback_bad, PG_SCHEMA, NULL)
};

const size_t fx_ncases = sizeof fx_cases / sizeof fx_cases[0];

int fx_case_find(const char *name)
{
	for (size_t i = 0; i < fx_ncases; i++)
		if (strcmp(fx_cases[i].name, name) == 0)
			return (int)i;
	return -1;
}
