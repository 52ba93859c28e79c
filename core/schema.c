/* schema.c — the manifest and member documents of CONTRACT section 4: role,
 * state, tier and name helpers, then the validators.
 *
 * Every validator walks its document in one fixed order and stops at the
 * first failure, so one bad document always gets the same error.  The field
 * path of the failure ("files[3].sha256") is kept in a small context while
 * walking; it goes to err->path and starts the message.
 */
#include "pg.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "json.h"
#include "path.h"
#include "rfc3339.h"
#include "schema.h"
#include "walk.h"
#include "semver.h"

/* ================================================================ roles */

static const char *const role_names[PG_ROLE_COUNT_] = {
	[PG_ROLE_WEIGHTS] = "weights",
	[PG_ROLE_TOKENIZER] = "tokenizer",
	[PG_ROLE_CONTRACT] = "contract",
	[PG_ROLE_LINEAGE] = "lineage",
	[PG_ROLE_EVALUATION_CARD] = "evaluation-card",
	[PG_ROLE_RESOURCE_PROFILE] = "resource-profile",
	[PG_ROLE_PERMISSIONS] = "permissions",
	[PG_ROLE_LICENSE_NOTICE] = "license-notice",
	[PG_ROLE_ROLLBACK] = "rollback",
	[PG_ROLE_DOC] = "doc",
	[PG_ROLE_CONFIG] = "config",
	[PG_ROLE_OTHER] = "other",
};

static const char *const role_docs[PG_ROLE_COUNT_] = {
	[PG_ROLE_CONTRACT] = "contract.json",
	[PG_ROLE_LINEAGE] = "lineage.json",
	[PG_ROLE_EVALUATION_CARD] = "evaluation-card.json",
	[PG_ROLE_RESOURCE_PROFILE] = "resource-profile.json",
	[PG_ROLE_PERMISSIONS] = "permissions.json",
	[PG_ROLE_LICENSE_NOTICE] = "license-notice.json",
	[PG_ROLE_ROLLBACK] = "rollback.json",
};

static int role_ok(pg_role r)
{
	return (unsigned)r < PG_ROLE_COUNT_;
}

const char *pg_role_name(pg_role r)
{
	return role_ok(r) ? role_names[r] : NULL;
}

int pg_role_parse(const char *name)
{
	if (!name)
		return -1;
	for (int r = 0; r < PG_ROLE_COUNT_; r++)
		if (strcmp(name, role_names[r]) == 0)
			return r;
	return -1;
}

int pg_role_is_document(pg_role r)
{
	return role_ok(r) && role_docs[r] != NULL;
}

const char *pg_role_document_name(pg_role r)
{
	return role_ok(r) ? role_docs[r] : NULL;
}

int pg_role_required(pg_role r)
{
	switch (r) {
	case PG_ROLE_WEIGHTS:
	case PG_ROLE_CONTRACT:
	case PG_ROLE_LINEAGE:
	case PG_ROLE_EVALUATION_CARD:
	case PG_ROLE_PERMISSIONS:
	case PG_ROLE_LICENSE_NOTICE:
		return 1;
	default:
		return 0;
	}
}

int pg_role_multiple(pg_role r)
{
	switch (r) {
	case PG_ROLE_WEIGHTS:
	case PG_ROLE_TOKENIZER:
	case PG_ROLE_DOC:
	case PG_ROLE_CONFIG:
	case PG_ROLE_OTHER:
		return 1;
	default:
		return 0;
	}
}

static int ascii_lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

/* True when name ends in ext (lowercase, with the dot), ASCII
 * case-insensitively.  "*.bin" matches ".bin" itself too. */
static int has_ext(const char *name, const char *ext)
{
	size_t n = strlen(name), e = strlen(ext);

	if (n < e)
		return 0;
	name += n - e;
	for (size_t i = 0; i < e; i++)
		if (ascii_lower((unsigned char)name[i]) != ext[i])
			return 0;
	return 1;
}

static int has_prefix(const char *name, const char *prefix)
{
	return strncmp(name, prefix, strlen(prefix)) == 0;
}

pg_role pg_role_infer(const char *path)
{
	static const char *const weight_exts[] = {
		".safetensors", ".gguf", ".onnx", ".tflite", ".bin"
	};
	const char *base;

	if (!path)
		return PG_ROLE_OTHER;
	if (!strchr(path, '/'))
		for (int r = 0; r < PG_ROLE_COUNT_; r++)
			if (role_docs[r] && strcmp(path, role_docs[r]) == 0)
				return (pg_role)r;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (has_prefix(base, "tokenizer."))
		return PG_ROLE_TOKENIZER;
	for (size_t i = 0; i < sizeof weight_exts / sizeof weight_exts[0]; i++)
		if (has_ext(base, weight_exts[i]))
			return PG_ROLE_WEIGHTS;
	if (has_prefix(base, "model."))
		return PG_ROLE_WEIGHTS;
	if (has_ext(base, ".md") || has_prefix(base, "README") ||
	    has_prefix(base, "LICENSE"))
		return PG_ROLE_DOC;
	return PG_ROLE_OTHER;
}

/* ========================================================= states, tiers */

#define PG_STATE_NAME_(sym, name) name,
static const char *const state_names[PG_STATE_COUNT_] = { PG_STATES(PG_STATE_NAME_) };
#undef PG_STATE_NAME_

const char *pg_state_name(pg_state s)
{
	return (unsigned)s < PG_STATE_COUNT_ ? state_names[s] : NULL;
}

int pg_state_parse(const char *name)
{
	if (!name)
		return -1;
	for (int s = 0; s < PG_STATE_COUNT_; s++)
		if (strcmp(name, state_names[s]) == 0)
			return s;
	return -1;
}

int pg_safety_tier_parse(const char *name)
{
	static const char *const tiers[] = { "low", "medium", "high", "critical" };

	if (!name)
		return -1;
	for (int i = 0; i < 4; i++)
		if (strcmp(name, tiers[i]) == 0)
			return i;
	return -1;
}

/* ================================================================ names */

#define NAME_MAX_BYTES 128

int pg_name_valid(const char *s)
{
	int after_sep = 1; /* at the start, as after a separator */
	size_t n;

	if (!s)
		return 0;
	n = strlen(s);
	if (n == 0 || n > NAME_MAX_BYTES || strcmp(s, "sha256") == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
			after_sep = 0;
		} else if (ch == '.' || ch == '_' || ch == '-') {
			if (after_sep)
				return 0;
			after_sep = 1;
		} else {
			return 0;
		}
	}
	return !after_sep;
}

/* ============================================================= operator */

enum { STEP_IMPORT = 0, STEP_MERGE = 3 };

static const char *const operator_steps[] = {
	"import", "fine-tune", "distill", "merge", "quantize", "prune",
	"adapter-train", "adapter-fusion"
};

pg_code pg_operator_check(const char *op, size_t nparents, pg_error *err)
{
	const size_t nsteps = sizeof operator_steps / sizeof operator_steps[0];
	int has_import = 0, has_merge = 0;
	const char *p = op;

	if (!op)
		return pg_err(err, PG_SCHEMA, _("not a string"));
	for (size_t idx = 0;; idx++) {
		const char *plus = strchr(p, '+');
		size_t n = plus ? (size_t)(plus - p) : strlen(p);
		size_t k;

		if (n == 0)
			return pg_err(err, PG_SCHEMA, _("empty step in \"%s\""), op);
		for (k = 0; k < nsteps; k++)
			if (strlen(operator_steps[k]) == n &&
			    memcmp(operator_steps[k], p, n) == 0)
				break;
		if (k == nsteps)
			return pg_err(err, PG_SCHEMA, _("unknown step \"%.*s\""),
				      (int)(n > 64 ? 64 : n), p);
		if (k == STEP_IMPORT) {
			if (idx > 0)
				return pg_err(err, PG_SCHEMA,
					      _("import can only be the first step"));
			has_import = 1;
		}
		if (k == STEP_MERGE)
			has_merge = 1;
		if (!plus)
			break;
		p = plus + 1;
	}
	if (has_import && nparents > 0)
		return pg_err(err, PG_SCHEMA, _("import takes no parents (%zu given)"),
			      nparents);
	if (has_merge && nparents < 2)
		return pg_err(err, PG_SCHEMA,
			      _("merge needs two or more parents (%zu given)"), nparents);
	if (!has_import && nparents < 1)
		return pg_err(err, PG_SCHEMA, _("needs at least one parent"));
	return PG_OK;
}

/* ====================================================== walking context */

/* Re-states an error another module filled (code and message kept) at the
 * current path. */
static pg_code restate(pg_walk *c, pg_code code)
{
	char msg[sizeof c->err->message];

	if (!c->err)
		return code;
	memcpy(msg, c->err->message, sizeof msg);
	msg[sizeof msg - 1] = '\0';
	return pg_walk_fail(c, code, "%s", msg);
}

static pg_code oom(pg_walk *c)
{
	return pg_walk_fail(c, PG_IO_MEMORY, _("out of memory"));
}

/* =========================================================== value forms */


/* Numeric ranges of member-document numbers. */
enum range { R_ANY, R_NONNEG, R_UNIT, R_PROB };

static int is_semver(const char *s)
{
	return pg_semver_valid(s);
}

static int is_rfc3339(const char *s)
{
	return pg_rfc3339_parse(s, NULL) == 0;
}

pg_code pg_schema_kind(const cJSON *v, pg_kind k, const char **why)
{
	*why = "";
	switch (k) {
	case PG_KIND_STRING:
		if (!cJSON_IsString(v) || !v->valuestring)
			return *why = _("not a string"), PG_SCHEMA;
		break;
	case PG_KIND_UINT:
		if (!cJSON_IsNumber(v))
			return *why = _("not an integer"), PG_SCHEMA;
		if (!pg_json_is_uint(v, PG_INT_MAX))
			return *why = _("not an integer in 0..2^53-1"), PG_JSON_NUMBER;
		break;
	case PG_KIND_NUMBER:
		if (!cJSON_IsNumber(v))
			return *why = _("not a number"), PG_SCHEMA;
		break;
	case PG_KIND_BOOL:
		if (!cJSON_IsBool(v))
			return *why = _("not true or false"), PG_SCHEMA;
		break;
	case PG_KIND_OBJECT:
		if (!cJSON_IsObject(v))
			return *why = _("not an object"), PG_SCHEMA;
		break;
	case PG_KIND_ARRAY:
		if (!cJSON_IsArray(v))
			return *why = _("not an array"), PG_SCHEMA;
		break;
	case PG_KIND_ANY:
		break;
	}
	return PG_OK;
}

/* A string member; *out (may be NULL) gets its value or NULL when absent. */
static pg_code get_str(pg_walk *c, const cJSON *obj, const char *key,
		       int flags, const char **out)
{
	const cJSON *v;
	pg_code rc = pg_walk_get(c, obj, key, PG_KIND_STRING, flags, &v);

	if (out)
		*out = v ? v->valuestring : NULL;
	return rc;
}

/* A string member whose value must pass ok(); `what` ends the message. */
static pg_code get_form(pg_walk *c, const cJSON *obj, const char *key,
			int flags, int (*ok)(const char *), const char *what,
			const char **out)
{
	const char *s;
	pg_code rc = get_str(c, obj, key, flags, &s);

	if (out)
		*out = s;
	if (rc == PG_OK && s && !ok(s)) {
		size_t mark = pg_walk_key(c, key);

		rc = pg_walk_fail(c, PG_SCHEMA, "%s", what);
		pg_walk_pop(c, mark);
	}
	return rc;
}

static pg_code get_uint(pg_walk *c, const cJSON *obj, const char *key, int flags)
{
	const cJSON *v;

	return pg_walk_get(c, obj, key, PG_KIND_UINT, flags, &v);
}

static pg_code check_range(pg_walk *c, double d, enum range r)
{
	switch (r) {
	case R_ANY:
		break;
	case R_NONNEG:
		if (!(d >= 0))
			return pg_walk_fail(c, PG_SCHEMA, _("negative"));
		break;
	case R_UNIT:
		if (!(d >= 0 && d <= 1))
			return pg_walk_fail(c, PG_SCHEMA, _("not in 0..1"));
		break;
	case R_PROB:
		if (!(d > 0 && d <= 1))
			return pg_walk_fail(c, PG_SCHEMA, _("not in (0, 1]"));
		break;
	}
	return PG_OK;
}

static pg_code get_num(pg_walk *c, const cJSON *obj, const char *key,
		       int flags, enum range r)
{
	const cJSON *v;
	pg_code rc = pg_walk_get(c, obj, key, PG_KIND_NUMBER, flags, &v);

	if (rc == PG_OK && v) {
		size_t mark = pg_walk_key(c, key);

		rc = check_range(c, v->valuedouble, r);
		pg_walk_pop(c, mark);
	}
	return rc;
}

static pg_code get_bool(pg_walk *c, const cJSON *obj, const char *key, int flags)
{
	const cJSON *v;

	return pg_walk_get(c, obj, key, PG_KIND_BOOL, flags, &v);
}

/* An array member of strings. */
static pg_code get_strlist(pg_walk *c, const cJSON *obj, const char *key, int flags)
{
	const cJSON *list, *it;
	size_t mark, i = 0;
	pg_code rc = pg_walk_get(c, obj, key, PG_KIND_ARRAY, flags, &list);

	if (rc != PG_OK || !list)
		return rc;
	mark = pg_walk_key(c, key);
	cJSON_ArrayForEach(it, list) {
		size_t m = pg_walk_index(c, i++);

		rc = pg_walk_kind(c, it, PG_KIND_STRING);
		pg_walk_pop(c, m);
		if (rc != PG_OK)
			break;
	}
	pg_walk_pop(c, mark);
	return rc;
}

/* Calls each(c, element, ctx) for every element of array member key, with
 * "key[i]" pushed; every element must be an object. */
typedef pg_code (*each_fn)(pg_walk *c, const cJSON *v, void *ctx);

static pg_code get_objlist(pg_walk *c, const cJSON *obj, const char *key,
			   int flags, each_fn each, void *ctx)
{
	const cJSON *list, *it;
	size_t mark, i = 0;
	pg_code rc = pg_walk_get(c, obj, key, PG_KIND_ARRAY, flags, &list);

	if (rc != PG_OK || !list)
		return rc;
	mark = pg_walk_key(c, key);
	cJSON_ArrayForEach(it, list) {
		size_t m = pg_walk_index(c, i++);

		rc = pg_walk_kind(c, it, PG_KIND_OBJECT);
		if (rc == PG_OK)
			rc = each(c, it, ctx);
		pg_walk_pop(c, m);
		if (rc != PG_OK)
			break;
	}
	pg_walk_pop(c, mark);
	return rc;
}

/* Calls each(c, member, ctx) on object member key with "key" pushed. */
static pg_code get_objmember(pg_walk *c, const cJSON *obj, const char *key,
			     int flags, each_fn each, void *ctx)
{
	const cJSON *v;
	size_t mark;
	pg_code rc = pg_walk_get(c, obj, key, PG_KIND_OBJECT, flags, &v);

	if (rc != PG_OK || !v)
		return rc;
	mark = pg_walk_key(c, key);
	rc = each(c, v, ctx);
	pg_walk_pop(c, mark);
	return rc;
}

/* ======================================================= permission set */

static pg_code perm_set(pg_walk *c, const cJSON *v, void *ctx)
{
	static const char *const lists[] = { "tools", "files", "network", "data_classes" };
	pg_code rc = PG_OK;

	(void)ctx;
	rc = pg_walk_kind(c, v, PG_KIND_OBJECT);
	for (size_t i = 0; rc == PG_OK && i < sizeof lists / sizeof lists[0]; i++)
		rc = get_strlist(c, v, lists[i], 0);
	return rc;
}

pg_code pg_schema_permission_set(const cJSON *v, const char *where, pg_error *err)
{
	pg_walk c;

	pg_walk_init(&c, err, where && *where ? where : "permissions", 0, where);
	if (!v)
		return pg_walk_fail(&c, PG_SCHEMA, _("missing"));
	return perm_set(&c, v, NULL);
}

/* ============================================================= repeats */

struct skey {
	const char *s;
	size_t index;
};

static int skey_cmp(const void *a, const void *b)
{
	const struct skey *x = a, *y = b;
	int r = strcmp(x->s, y->s);

	if (r)
		return r;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Finds, in O(n log n), the first string (in list order) equal to an earlier
 * one: *dup is its index and *first the earlier one's, or *dup is SIZE_MAX
 * when all differ.  Returns -1 when out of memory, else 0. */
static int first_repeat(const char *const *strs, size_t n, size_t *dup, size_t *first)
{
	struct skey *k;
	size_t group = 0;

	*dup = SIZE_MAX;
	*first = 0;
	if (n < 2)
		return 0;
	k = malloc(n * sizeof *k);
	if (!k)
		return -1;
	for (size_t i = 0; i < n; i++) {
		k[i].s = strs[i];
		k[i].index = i;
	}
	qsort(k, n, sizeof *k, skey_cmp);
	for (size_t j = 1; j < n; j++) {
		if (strcmp(k[j].s, k[j - 1].s) != 0) {
			group = j;
			continue;
		}
		/* k[j] is the second of its group: the group's first repeat. */
		if (j - 1 == group && k[j].index < *dup) {
			*dup = k[j].index;
			*first = k[group].index;
		}
	}
	free(k);
	return 0;
}

/* ============================================================= manifest */

/* Every number anywhere must be an integer in 0..2^53-1. */
static pg_code walk_numbers(pg_walk *c, const cJSON *v)
{
	const cJSON *it;
	pg_code rc = PG_OK;
	size_t i = 0;

	if (cJSON_IsNumber(v)) {
		if (!pg_json_is_uint(v, PG_INT_MAX))
			return pg_walk_fail(c, PG_JSON_NUMBER, _("not an integer in 0..2^53-1"));
		return PG_OK;
	}
	if (cJSON_IsArray(v)) {
		cJSON_ArrayForEach(it, v) {
			size_t mark = pg_walk_index(c, i++);

			rc = walk_numbers(c, it);
			pg_walk_pop(c, mark);
			if (rc != PG_OK)
				return rc;
		}
	} else if (cJSON_IsObject(v)) {
		cJSON_ArrayForEach(it, v) {
			size_t mark = pg_walk_key(c, it->string);

			rc = walk_numbers(c, it);
			pg_walk_pop(c, mark);
			if (rc != PG_OK)
				return rc;
		}
	}
	return PG_OK;
}

static pg_code manifest_parents(pg_walk *c, const cJSON *m, size_t *count)
{
	const char **ids = NULL;
	const cJSON *list, *it;
	size_t mark, n, i = 0, dup, first;
	pg_code rc = pg_walk_get(c, m, "parents", PG_KIND_ARRAY, PG_WALK_REQ, &list);

	*count = 0;
	if (rc != PG_OK)
		return rc;
	mark = pg_walk_key(c, "parents");
	n = (size_t)cJSON_GetArraySize(list);
	if (n > 0 && !(ids = malloc(n * sizeof *ids))) {
		rc = oom(c);
		goto out;
	}
	cJSON_ArrayForEach(it, list) {
		size_t m2 = pg_walk_index(c, i);

		rc = pg_walk_kind(c, it, PG_KIND_STRING);
		if (rc == PG_OK && !pg_is_pack_id(it->valuestring))
			rc = pg_walk_fail(c, PG_SCHEMA, _("not a pack id (\"sha256:\" and 64 lowercase hex)"));
		pg_walk_pop(c, m2);
		if (rc != PG_OK)
			goto out;
		ids[i++] = it->valuestring;
	}
	if (first_repeat(ids, n, &dup, &first) < 0) {
		rc = oom(c);
		goto out;
	}
	if (dup != SIZE_MAX) {
		pg_walk_index(c, dup);
		rc = pg_walk_fail(c, PG_SCHEMA, _("same parent as parents[%zu]"), first);
		goto out;
	}
	*count = n;
out:
	free(ids);
	pg_walk_pop(c, mark);
	return rc;
}

static pg_code manifest_runtime(pg_walk *c, const cJSON *v, void *ctx)
{
	pg_code rc;

	(void)ctx;
	rc = get_str(c, v, "backend", PG_WALK_REQ | PG_WALK_NONEMPTY, NULL);
	if (rc == PG_OK)
		rc = get_str(c, v, "tokenizer", 0, NULL);
	if (rc == PG_OK)
		rc = get_str(c, v, "quantization", 0, NULL);
	return rc;
}

static pg_code manifest_resources(pg_walk *c, const cJSON *v, void *ctx)
{
	pg_code rc;

	(void)ctx;
	rc = get_uint(c, v, "bytes", PG_WALK_REQ);
	if (rc == PG_OK)
		rc = get_uint(c, v, "expected_p95_ms", PG_WALK_REQ);
	if (rc == PG_OK)
		rc = get_uint(c, v, "peak_ram_bytes", PG_WALK_REQ);
	return rc;
}

static int is_safety_tier(const char *s)
{
	return pg_safety_tier_parse(s) >= 0;
}

static int is_state(const char *s)
{
	return pg_state_parse(s) >= 0;
}

static pg_code manifest_risk(pg_walk *c, const cJSON *v, void *ctx)
{
	pg_code rc;

	(void)ctx;
	rc = get_str(c, v, "data_lineage", PG_WALK_REQ, NULL);
	if (rc == PG_OK)
		rc = get_str(c, v, "license", PG_WALK_REQ, NULL);
	if (rc == PG_OK)
		rc = get_form(c, v, "safety_tier", PG_WALK_REQ, is_safety_tier,
			      _("not one of low, medium, high, critical"), NULL);
	return rc;
}

/* One files[] entry, as the manifest lists it. */
struct fentry {
	const char *path;   /* borrowed */
	char *key;          /* pg_path_fold; owned */
	size_t index;
	int role;
};

static pg_code file_entry(pg_walk *c, const cJSON *f, const pg_limits *lim,
			  struct fentry *fe)
{
	const char *s;
	size_t mark;
	pg_code rc;

	rc = pg_walk_kind(c, f, PG_KIND_OBJECT);
	if (rc != PG_OK)
		return rc;

	rc = get_str(c, f, "path", PG_WALK_REQ, &s);
	if (rc != PG_OK)
		return rc;
	fe->path = s;
	mark = pg_walk_key(c, "path");
	rc = pg_path_check(s, strlen(s), lim, c->err);
	if (rc != PG_OK) {
		rc = restate(c, rc);
	} else if (strcmp(s, "manifest.json") == 0) {
		rc = pg_walk_fail(c, PG_SCHEMA, _("the manifest may not list itself"));
	} else if (!(fe->key = pg_path_fold(s, strlen(s)))) {
		rc = oom(c);
	} else if (strcmp(fe->key, "manifest.json") == 0) {
		rc = pg_walk_fail(c, PG_ARCHIVE_DUPLICATE_ENTRY,
			  _("same as manifest.json after case folding"));
	}
	pg_walk_pop(c, mark);
	if (rc != PG_OK)
		return rc;

	rc = get_str(c, f, "role", PG_WALK_REQ, &s);
	if (rc != PG_OK)
		return rc;
	fe->role = pg_role_parse(s);
	if (fe->role < 0) {
		mark = pg_walk_key(c, "role");
		rc = pg_walk_fail(c, PG_SCHEMA, _("unknown role \"%s\""), s);
		pg_walk_pop(c, mark);
		return rc;
	}

	rc = get_uint(c, f, "size", PG_WALK_REQ);
	if (rc == PG_OK)
		rc = get_form(c, f, "sha256", PG_WALK_REQ, pg_is_hex64,
			      _("not 64 lowercase hex"), NULL);
	return rc;
}

/* Fails at "files[i].<member>". */
static pg_code fail_file(pg_walk *c, size_t i, const char *member,
			 pg_code code, const char *detail)
{
	size_t mark = pg_walk_index(c, i);
	pg_code rc;

	pg_walk_key(c, member);
	rc = pg_walk_fail(c, code, "%s", detail);
	pg_walk_pop(c, mark);
	return rc;
}

/* Duplicates: the first entry (in manifest order) whose key an earlier
 * entry has. */
static pg_code files_duplicates(pg_walk *c, const struct fentry *fe, size_t n)
{
	const char **keys = malloc(n * sizeof *keys);
	char detail[256];
	size_t dup, first;
	int r;

	if (!keys)
		return oom(c);
	for (size_t i = 0; i < n; i++)
		keys[i] = fe[i].key;
	r = first_repeat(keys, n, &dup, &first);
	free(keys);
	if (r < 0)
		return oom(c);
	if (dup == SIZE_MAX)
		return PG_OK;
	if (strcmp(fe[dup].path, fe[first].path) == 0)
		snprintf(detail, sizeof detail, _("listed twice (also files[%zu].path)"), first);
	else
		snprintf(detail, sizeof detail,
			 _("same as files[%zu].path after case folding"), first);
	return fail_file(c, dup, "path", PG_ARCHIVE_DUPLICATE_ENTRY, detail);
}

static pg_code manifest_files(pg_walk *c, const cJSON *m, const pg_limits *lim,
			      const char *evaluation_card)
{
	struct fentry *fe = NULL;
	size_t seen[PG_ROLE_COUNT_] = { 0 };
	const cJSON *files, *it;
	size_t n, i = 0, mark;
	char detail[256];
	pg_code rc;

	rc = pg_walk_get(c, m, "files", PG_KIND_ARRAY, PG_WALK_REQ, &files);
	if (rc != PG_OK)
		return rc;
	mark = pg_walk_key(c, "files");
	n = (size_t)cJSON_GetArraySize(files);
	if (n == 0) {
		rc = pg_walk_fail(c, PG_SCHEMA, _("empty"));
		goto out;
	}
	fe = calloc(n, sizeof *fe);
	if (!fe) {
		rc = oom(c);
		goto out;
	}
	cJSON_ArrayForEach(it, files) {
		size_t m2 = pg_walk_index(c, i);

		fe[i].index = i;
		rc = file_entry(c, it, lim, &fe[i]);
		pg_walk_pop(c, m2);
		if (rc != PG_OK)
			goto out;
		i++;
	}

	rc = files_duplicates(c, fe, n);
	if (rc != PG_OK)
		goto out;

	for (i = 0; i < n; i++) {
		int r = fe[i].role;

		if (seen[r] && !pg_role_multiple((pg_role)r)) {
			snprintf(detail, sizeof detail,
				 _("a second file with role %s (at most one allowed)"),
				 role_names[r]);
			rc = fail_file(c, i, "role", PG_SCHEMA, detail);
			goto out;
		}
		seen[r]++;
	}
	for (int r = 0; r < PG_ROLE_COUNT_; r++)
		if (pg_role_required((pg_role)r) && !seen[r]) {
			rc = pg_walk_fail(c, PG_SCHEMA, _("no file with role %s"), role_names[r]);
			goto out;
		}

	pg_walk_pop(c, mark);
	for (i = 0; i < n; i++)
		if (fe[i].role == PG_ROLE_EVALUATION_CARD)
			break;
	if (strcmp(evaluation_card, fe[i].path) != 0) {
		pg_walk_key(c, "evaluation_card");
		rc = pg_walk_fail(c, PG_SCHEMA,
			  _("does not name the evaluation-card file (files[%zu].path is \"%s\")"),
			  i, fe[i].path);
	}
out:
	if (fe)
		for (i = 0; i < n; i++)
			free(fe[i].key);
	free(fe);
	pg_walk_pop(c, mark);
	return rc;
}

pg_code pg_schema_manifest(const cJSON *m, const pg_limits *lim, pg_error *err)
{
	static const char *const statement_members[] = {
		"_type", "subject", "predicateType", "predicate"
	};
	const char *op = NULL, *evaluation_card = NULL;
	const cJSON *v;
	pg_walk c;
	size_t nparents = 0, mark;
	pg_code rc;

	pg_walk_init(&c, err, "manifest.json", 0, NULL);

	/* 1. JSON rules: numbers. */
	rc = walk_numbers(&c, m);
	if (rc != PG_OK)
		return rc;
	if (!cJSON_IsObject(m))
		return pg_walk_fail(&c, PG_SCHEMA, _("not an object"));

	/* 2. schema_version. */
	v = pg_json_get(m, "schema_version");
	mark = pg_walk_key(&c, "schema_version");
	if (!v)
		rc = pg_walk_fail(&c, PG_SCHEMA, _("missing"));
	else if (!cJSON_IsNumber(v))
		rc = pg_walk_fail(&c, PG_SCHEMA, _("not an integer"));
	else if (v->valuedouble != 1)
		rc = pg_walk_fail(&c, PG_VERSION_UNSUPPORTED,
			  _("unsupported version %.0f (this packgate reads 1)"),
			  v->valuedouble);
	pg_walk_pop(&c, mark);
	if (rc != PG_OK)
		return rc;

	/* 3. No statement members. */
	for (size_t i = 0; i < sizeof statement_members / sizeof statement_members[0]; i++)
		if (pg_json_get(m, statement_members[i])) {
			pg_walk_key(&c, statement_members[i]);
			return pg_walk_fail(&c, PG_SCHEMA,
				    _("a statement member; a manifest may not carry it"));
		}

	/* 4. The members, in contract order. */
	rc = get_form(&c, m, "id", PG_WALK_REQ, pg_is_pack_id,
		      _("not a pack id (\"sha256:\" and 64 lowercase hex)"), NULL);
	if (rc == PG_OK)
		rc = get_form(&c, m, "name", PG_WALK_REQ, pg_name_valid,
			      _("not a valid name ([a-z0-9]+([._-][a-z0-9]+)*, at most 128 bytes, not sha256)"),
			      NULL);
	if (rc == PG_OK)
		rc = get_form(&c, m, "version", PG_WALK_REQ, is_semver,
			      _("not a SemVer 2.0.0 version"), NULL);
	if (rc == PG_OK)
		rc = get_form(&c, m, "created_at", PG_WALK_REQ, is_rfc3339,
			      _("not an RFC 3339 UTC timestamp (YYYY-MM-DDTHH:MM:SSZ)"),
			      NULL);
	if (rc == PG_OK)
		rc = manifest_parents(&c, m, &nparents);
	if (rc == PG_OK)
		rc = get_str(&c, m, "operator", PG_WALK_REQ, &op);
	if (rc == PG_OK) {
		rc = pg_operator_check(op, nparents, err);
		if (rc != PG_OK) {
			pg_walk_key(&c, "operator");
			return restate(&c, rc);
		}
	}
	if (rc == PG_OK)
		rc = get_str(&c, m, "input_contract", PG_WALK_REQ | PG_WALK_NONEMPTY, NULL);
	if (rc == PG_OK)
		rc = get_str(&c, m, "output_contract", PG_WALK_REQ | PG_WALK_NONEMPTY, NULL);
	if (rc == PG_OK)
		rc = get_objmember(&c, m, "runtime", PG_WALK_REQ, manifest_runtime, NULL);
	if (rc == PG_OK)
		rc = get_objmember(&c, m, "resource_profile", PG_WALK_REQ, manifest_resources, NULL);
	if (rc == PG_OK)
		rc = get_objmember(&c, m, "risk_profile", PG_WALK_REQ, manifest_risk, NULL);
	if (rc == PG_OK)
		rc = get_str(&c, m, "evaluation_card", PG_WALK_REQ | PG_WALK_NONEMPTY, &evaluation_card);
	if (rc == PG_OK)
		rc = get_form(&c, m, "lifecycle_state", PG_WALK_REQ, is_state,
			      _("not a lifecycle state"), NULL);
	if (rc == PG_OK)
		rc = manifest_files(&c, m, lim, evaluation_card);
	return rc;
}

/* ===================================================== member documents */

/* contract.json */
static pg_code same_as_manifest(pg_walk *c, const cJSON *doc, const char *key,
				const cJSON *manifest)
{
	const char *s, *ms;
	pg_code rc = get_str(c, doc, key, PG_WALK_REQ | PG_WALK_NONEMPTY, &s);

	if (rc != PG_OK || !manifest)
		return rc;
	ms = pg_json_str(pg_json_get(manifest, key));
	if (!ms || strcmp(s, ms) != 0) {
		size_t mark = pg_walk_key(c, key);

		rc = pg_walk_fail(c, PG_SCHEMA, _("not the manifest's %s \"%s\""), key,
			  ms ? ms : "");
		pg_walk_pop(c, mark);
	}
	return rc;
}

static pg_code doc_contract(pg_walk *c, const cJSON *doc, const cJSON *manifest)
{
	pg_code rc = same_as_manifest(c, doc, "input_contract", manifest);

	if (rc == PG_OK)
		rc = same_as_manifest(c, doc, "output_contract", manifest);
	if (rc == PG_OK)
		rc = get_objmember(c, doc, "maximum_permissions", PG_WALK_REQ, perm_set, NULL);
	return rc;
}

/* permissions.json */
static pg_code doc_permissions(pg_walk *c, const cJSON *doc)
{
	pg_code rc = get_objmember(c, doc, "requested", PG_WALK_REQ, perm_set, NULL);

	if (rc == PG_OK)
		rc = get_strlist(c, doc, "denied", 0);
	return rc;
}

/* lineage.json */
struct lineage_ctx {
	const cJSON *mparents; /* the manifest's parents array, or NULL */
	const cJSON *next;     /* the manifest parent expected next */
	size_t index;
};

static pg_code lineage_parent(pg_walk *c, const cJSON *v, void *ctx)
{
	struct lineage_ctx *lc = ctx;
	const cJSON *expect = lc->next;
	const char *id;
	size_t mark;
	pg_code rc;

	rc = get_str(c, v, "id", PG_WALK_REQ, &id);
	if (rc == PG_OK)
		rc = get_form(c, v, "name", 0, pg_name_valid,
			      _("not a valid name ([a-z0-9]+([._-][a-z0-9]+)*, at most 128 bytes, not sha256)"),
			      NULL);
	if (rc == PG_OK)
		rc = get_form(c, v, "version", 0, is_semver,
			      _("not a SemVer 2.0.0 version"), NULL);
	if (rc != PG_OK || !lc->mparents)
		return rc;

	if (lc->next)
		lc->next = lc->next->next;
	lc->index++;
	if (expect && cJSON_IsString(expect) && strcmp(expect->valuestring, id) == 0)
		return PG_OK;
	mark = pg_walk_key(c, "id");
	{
		const cJSON *p;

		cJSON_ArrayForEach(p, lc->mparents)
			if (cJSON_IsString(p) && strcmp(p->valuestring, id) == 0)
				break;
		if (!p)
			rc = pg_walk_fail(c, PG_SCHEMA, _("not a parent of the manifest"));
		else if (expect)
			rc = pg_walk_fail(c, PG_SCHEMA,
				  _("not in the manifest's order (expected \"%s\")"),
				  cJSON_IsString(expect) ? expect->valuestring : "");
		else
			rc = pg_walk_fail(c, PG_SCHEMA, _("a parent listed twice"));
	}
	pg_walk_pop(c, mark);
	return rc;
}

static pg_code lineage_data(pg_walk *c, const cJSON *v, void *ctx)
{
	pg_code rc;

	(void)ctx;
	rc = get_str(c, v, "name", PG_WALK_REQ, NULL);
	if (rc == PG_OK)
		rc = get_str(c, v, "version", 0, NULL);
	if (rc == PG_OK)
		rc = get_form(c, v, "sha256", 0, pg_is_hex64, _("not 64 lowercase hex"), NULL);
	return rc;
}

static pg_code lineage_training(pg_walk *c, const cJSON *v, void *ctx)
{
	pg_code rc;

	(void)ctx;
	rc = get_str(c, v, "code_revision", 0, NULL);
	if (rc == PG_OK)
		rc = get_uint(c, v, "seed", 0);
	if (rc == PG_OK)
		rc = get_str(c, v, "hardware", 0, NULL);
	if (rc == PG_OK)
		rc = get_str(c, v, "container", 0, NULL);
	return rc;
}

static pg_code doc_lineage(pg_walk *c, const cJSON *doc, const cJSON *manifest)
{
	struct lineage_ctx lc = { NULL, NULL, 0 };
	pg_code rc;

	if (manifest) {
		lc.mparents = pg_json_get(manifest, "parents");
		if (!cJSON_IsArray(lc.mparents))
			lc.mparents = NULL;
		lc.next = lc.mparents ? lc.mparents->child : NULL;
	}
	rc = get_objlist(c, doc, "parents", PG_WALK_REQ, lineage_parent, &lc);
	if (rc == PG_OK && lc.mparents && lc.next) {
		size_t mark = pg_walk_key(c, "parents");

		rc = pg_walk_fail(c, PG_SCHEMA, ngettext("lists %zu parent, the manifest %d", "lists %zu parents, the manifest %d",
		                                 (unsigned long)lc.index),
			  lc.index, cJSON_GetArraySize(lc.mparents));
		pg_walk_pop(c, mark);
	}
	if (rc == PG_OK)
		rc = same_as_manifest(c, doc, "operator", manifest);
	if (rc == PG_OK) {
		const cJSON *v;

		rc = pg_walk_get(c, doc, "operator_params", PG_KIND_OBJECT, 0, &v);
	}
	if (rc == PG_OK)
		rc = get_objlist(c, doc, "data", 0, lineage_data, NULL);
	if (rc == PG_OK)
		rc = get_objmember(c, doc, "training", 0, lineage_training, NULL);
	if (rc == PG_OK)
		rc = get_str(c, doc, "created_by", 0, NULL);
	return rc;
}

/* evaluation-card.json */
static pg_code eval_metric(pg_walk *c, const cJSON *v, void *ctx)
{
	const cJSON *ci;
	pg_code rc;

	(void)ctx;
	rc = get_str(c, v, "name", PG_WALK_REQ | PG_WALK_NONEMPTY, NULL);
	if (rc == PG_OK)
		rc = get_num(c, v, "value", PG_WALK_REQ, R_ANY);
	if (rc == PG_OK)
		rc = pg_walk_get(c, v, "ci", PG_KIND_ARRAY, 0, &ci);
	if (rc == PG_OK && ci) {
		size_t mark = pg_walk_key(c, "ci");
		const cJSON *lo = ci->child, *hi = lo ? lo->next : NULL;

		if (!lo || !hi || hi->next) {
			rc = pg_walk_fail(c, PG_SCHEMA, _("not [low, high]"));
		} else {
			size_t m2 = pg_walk_index(c, 0);

			rc = pg_walk_kind(c, lo, PG_KIND_NUMBER);
			pg_walk_pop(c, m2);
			if (rc == PG_OK) {
				m2 = pg_walk_index(c, 1);
				rc = pg_walk_kind(c, hi, PG_KIND_NUMBER);
				pg_walk_pop(c, m2);
			}
			if (rc == PG_OK && lo->valuedouble > hi->valuedouble)
				rc = pg_walk_fail(c, PG_SCHEMA, _("low above high"));
		}
		pg_walk_pop(c, mark);
	}
	if (rc == PG_OK)
		rc = get_num(c, v, "confidence", 0, R_PROB);
	if (rc == PG_OK)
		rc = get_uint(c, v, "n", 0);
	if (rc == PG_OK)
		rc = get_bool(c, v, "higher_is_better", 0);
	return rc;
}

static pg_code eval_slice(pg_walk *c, const cJSON *v, void *ctx)
{
	pg_code rc;

	(void)ctx;
	rc = get_str(c, v, "name", PG_WALK_REQ | PG_WALK_NONEMPTY, NULL);
	if (rc == PG_OK)
		rc = get_objlist(c, v, "metrics", PG_WALK_REQ | PG_WALK_NONEMPTY, eval_metric, NULL);
	return rc;
}

static pg_code eval_suite(pg_walk *c, const cJSON *v, void *ctx)
{
	pg_code rc;

	(void)ctx;
	rc = get_str(c, v, "name", PG_WALK_REQ | PG_WALK_NONEMPTY, NULL);
	if (rc == PG_OK)
		rc = get_str(c, v, "version", PG_WALK_REQ, NULL);
	if (rc == PG_OK)
		rc = get_objlist(c, v, "metrics", PG_WALK_REQ | PG_WALK_NONEMPTY, eval_metric, NULL);
	if (rc == PG_OK)
		rc = get_objlist(c, v, "slices", 0, eval_slice, NULL);
	return rc;
}

static pg_code eval_headline(pg_walk *c, const cJSON *v, void *ctx)
{
	pg_code rc;

	(void)ctx;
	rc = get_str(c, v, "suite", PG_WALK_REQ, NULL);
	if (rc == PG_OK)
		rc = get_str(c, v, "metric", PG_WALK_REQ, NULL);
	return rc;
}

/* The headline names a suite of the card and a metric of that suite. */
static pg_code eval_headline_names(pg_walk *c, const cJSON *doc)
{
	const cJSON *h = pg_json_get(doc, "headline"), *s, *mt;
	const char *suite, *metric;
	size_t mark;
	pg_code rc = PG_OK;

	if (!h)
		return PG_OK;
	suite = pg_json_str(pg_json_get(h, "suite"));
	metric = pg_json_str(pg_json_get(h, "metric"));
	cJSON_ArrayForEach(s, pg_json_get(doc, "suites"))
		if (strcmp(pg_json_str(pg_json_get(s, "name")), suite) == 0)
			break;
	mark = pg_walk_key(c, "headline");
	if (!s) {
		pg_walk_key(c, "suite");
		rc = pg_walk_fail(c, PG_SCHEMA, _("no suite named \"%s\""), suite);
		goto out;
	}
	cJSON_ArrayForEach(mt, pg_json_get(s, "metrics"))
		if (strcmp(pg_json_str(pg_json_get(mt, "name")), metric) == 0)
			break;
	if (!mt) {
		pg_walk_key(c, "metric");
		rc = pg_walk_fail(c, PG_SCHEMA, _("suite \"%s\" has no metric named \"%s\""),
			  suite, metric);
	}
out:
	pg_walk_pop(c, mark);
	return rc;
}

static pg_code eval_failed_case(pg_walk *c, const cJSON *v, void *ctx)
{
	pg_code rc;

	(void)ctx;
	rc = get_str(c, v, "suite", PG_WALK_REQ, NULL);
	if (rc == PG_OK)
		rc = get_str(c, v, "case", PG_WALK_REQ, NULL);
	/* input, expected, actual: any JSON value. */
	if (rc == PG_OK)
		rc = get_str(c, v, "reason", 0, NULL);
	return rc;
}

static pg_code eval_bin(pg_walk *c, const cJSON *v, void *ctx)
{
	pg_code rc;

	(void)ctx;
	rc = get_num(c, v, "confidence", PG_WALK_REQ, R_UNIT);
	if (rc == PG_OK)
		rc = get_num(c, v, "accuracy", PG_WALK_REQ, R_UNIT);
	if (rc == PG_OK)
		rc = get_uint(c, v, "count", PG_WALK_REQ);
	return rc;
}

static pg_code eval_calibration(pg_walk *c, const cJSON *v, void *ctx)
{
	(void)ctx;
	return get_objlist(c, v, "bins", PG_WALK_REQ, eval_bin, NULL);
}

static pg_code eval_bucket(pg_walk *c, const cJSON *v, void *ctx)
{
	pg_code rc;

	(void)ctx;
	rc = get_num(c, v, "le", PG_WALK_REQ, R_ANY);
	if (rc == PG_OK)
		rc = get_uint(c, v, "count", PG_WALK_REQ);
	return rc;
}

static pg_code eval_latency(pg_walk *c, const cJSON *v, void *ctx)
{
	pg_code rc;

	(void)ctx;
	rc = get_num(c, v, "p50", 0, R_NONNEG);
	if (rc == PG_OK)
		rc = get_num(c, v, "p95", 0, R_NONNEG);
	if (rc == PG_OK)
		rc = get_num(c, v, "p99", 0, R_NONNEG);
	if (rc == PG_OK)
		rc = get_objlist(c, v, "histogram", 0, eval_bucket, NULL);
	return rc;
}

static pg_code eval_costs(pg_walk *c, const cJSON *v, void *ctx)
{
	(void)ctx;
	return get_objmember(c, v, "latency_ms", 0, eval_latency, NULL);
}

static pg_code eval_safety(pg_walk *c, const cJSON *v, void *ctx)
{
	pg_code rc;

	(void)ctx;
	rc = get_str(c, v, "test", PG_WALK_REQ, NULL);
	if (rc == PG_OK)
		rc = get_bool(c, v, "passed", PG_WALK_REQ);
	if (rc == PG_OK)
		rc = get_num(c, v, "score", 0, R_ANY);
	return rc;
}

static pg_code eval_champion(pg_walk *c, const cJSON *v, void *ctx)
{
	pg_code rc;

	(void)ctx;
	rc = get_form(c, v, "id", PG_WALK_REQ, pg_is_pack_id,
		      _("not a pack id (\"sha256:\" and 64 lowercase hex)"), NULL);
	if (rc == PG_OK)
		rc = get_objlist(c, v, "suites", PG_WALK_REQ | PG_WALK_NONEMPTY, eval_suite, NULL);
	return rc;
}

static pg_code doc_evaluation_card(pg_walk *c, const cJSON *doc)
{
	const cJSON *env;
	pg_code rc;

	rc = get_str(c, doc, "id", PG_WALK_REQ | PG_WALK_NONEMPTY, NULL);
	if (rc == PG_OK)
		rc = get_form(c, doc, "created_at", PG_WALK_REQ, is_rfc3339,
			      _("not an RFC 3339 UTC timestamp (YYYY-MM-DDTHH:MM:SSZ)"),
			      NULL);
	if (rc == PG_OK) {
		rc = pg_walk_get(c, doc, "environment", PG_KIND_ANY, 0, &env);
		if (rc == PG_OK && env && !cJSON_IsString(env) && !cJSON_IsObject(env)) {
			size_t mark = pg_walk_key(c, "environment");

			rc = pg_walk_fail(c, PG_SCHEMA, _("not a string or an object"));
			pg_walk_pop(c, mark);
		}
	}
	if (rc == PG_OK)
		rc = get_objmember(c, doc, "headline", 0, eval_headline, NULL);
	if (rc == PG_OK)
		rc = get_objlist(c, doc, "suites", PG_WALK_REQ | PG_WALK_NONEMPTY, eval_suite, NULL);
	if (rc == PG_OK)
		rc = eval_headline_names(c, doc);
	if (rc == PG_OK)
		rc = get_objlist(c, doc, "failed_cases", 0, eval_failed_case, NULL);
	if (rc == PG_OK)
		rc = get_objmember(c, doc, "calibration", 0, eval_calibration, NULL);
	if (rc == PG_OK)
		rc = get_objmember(c, doc, "costs", 0, eval_costs, NULL);
	if (rc == PG_OK)
		rc = get_objlist(c, doc, "safety", 0, eval_safety, NULL);
	if (rc == PG_OK)
		rc = get_objmember(c, doc, "champion", 0, eval_champion, NULL);
	return rc;
}

/* resource-profile.json */
static pg_code resource_latency(pg_walk *c, const cJSON *v, void *ctx)
{
	pg_code rc;

	(void)ctx;
	rc = get_num(c, v, "p50", 0, R_NONNEG);
	if (rc == PG_OK)
		rc = get_num(c, v, "p95", 0, R_NONNEG);
	return rc;
}

static pg_code doc_resource_profile(pg_walk *c, const cJSON *doc)
{
	pg_code rc;

	rc = get_uint(c, doc, "bytes", 0);
	if (rc == PG_OK)
		rc = get_uint(c, doc, "peak_ram_bytes", 0);
	if (rc == PG_OK)
		rc = get_objmember(c, doc, "latency_ms", 0, resource_latency, NULL);
	if (rc == PG_OK)
		rc = get_num(c, doc, "throughput_per_s", 0, R_NONNEG);
	if (rc == PG_OK)
		rc = get_str(c, doc, "energy_class", 0, NULL);
	if (rc == PG_OK)
		rc = get_strlist(c, doc, "hardware", 0);
	return rc;
}

/* license-notice.json */
static pg_code license_model(pg_walk *c, const cJSON *v, void *ctx)
{
	(void)ctx;
	return get_str(c, v, "license", PG_WALK_REQ | PG_WALK_NONEMPTY, NULL);
}

static pg_code license_item(pg_walk *c, const cJSON *v, void *ctx)
{
	pg_code rc;

	(void)ctx;
	rc = get_str(c, v, "name", PG_WALK_REQ, NULL);
	if (rc == PG_OK)
		rc = get_str(c, v, "license", PG_WALK_REQ | PG_WALK_NONEMPTY, NULL);
	if (rc == PG_OK)
		rc = get_strlist(c, v, "obligations", 0);
	return rc;
}

static int is_redistribution(const char *s)
{
	return strcmp(s, "allowed") == 0 || strcmp(s, "restricted") == 0 ||
	       strcmp(s, "forbidden") == 0;
}

static pg_code doc_license_notice(pg_walk *c, const cJSON *doc)
{
	pg_code rc;

	rc = get_objmember(c, doc, "model", PG_WALK_REQ, license_model, NULL);
	if (rc == PG_OK)
		rc = get_objlist(c, doc, "data", 0, license_item, NULL);
	if (rc == PG_OK)
		rc = get_objlist(c, doc, "code", 0, license_item, NULL);
	if (rc == PG_OK)
		rc = get_form(c, doc, "redistribution", 0, is_redistribution,
			      _("not one of allowed, restricted, forbidden"), NULL);
	if (rc == PG_OK)
		rc = get_strlist(c, doc, "obligations", 0);
	if (rc == PG_OK)
		rc = get_str(c, doc, "notice", 0, NULL);
	return rc;
}

/* rollback.json */
static pg_code doc_rollback(pg_walk *c, const cJSON *doc)
{
	const cJSON *list, *it;
	size_t mark, i = 0;
	pg_code rc;

	rc = pg_walk_get(c, doc, "compatible_prior", PG_KIND_ARRAY, PG_WALK_REQ, &list);
	if (rc != PG_OK)
		return rc;
	mark = pg_walk_key(c, "compatible_prior");
	cJSON_ArrayForEach(it, list) {
		size_t m2 = pg_walk_index(c, i++);

		rc = pg_walk_kind(c, it, PG_KIND_STRING);
		if (rc == PG_OK && !pg_is_pack_id(it->valuestring))
			rc = pg_walk_fail(c, PG_SCHEMA,
				  _("not a pack id (\"sha256:\" and 64 lowercase hex)"));
		pg_walk_pop(c, m2);
		if (rc != PG_OK)
			break;
	}
	pg_walk_pop(c, mark);
	if (rc == PG_OK)
		rc = get_str(c, doc, "migration", 0, NULL);
	return rc;
}

pg_code pg_schema_member(pg_role role, const cJSON *doc, const cJSON *manifest, pg_error *err)
{
	pg_walk c;

	if (!pg_role_is_document(role)) {
		pg_walk_init(&c, err, pg_role_name(role) ? pg_role_name(role) : "?", 0, NULL);
		return pg_walk_fail(&c, PG_SCHEMA, _("this role has no document schema"));
	}
	pg_walk_init(&c, err, role_docs[role], 1, NULL);
	if (!cJSON_IsObject(doc))
		return pg_walk_fail(&c, PG_SCHEMA, _("not an object"));
	switch (role) {
	case PG_ROLE_CONTRACT:
		return doc_contract(&c, doc, manifest);
	case PG_ROLE_PERMISSIONS:
		return doc_permissions(&c, doc);
	case PG_ROLE_LINEAGE:
		return doc_lineage(&c, doc, manifest);
	case PG_ROLE_EVALUATION_CARD:
		return doc_evaluation_card(&c, doc);
	case PG_ROLE_RESOURCE_PROFILE:
		return doc_resource_profile(&c, doc);
	case PG_ROLE_LICENSE_NOTICE:
		return doc_license_notice(&c, doc);
	case PG_ROLE_ROLLBACK:
		return doc_rollback(&c, doc);
	default:
		return pg_walk_fail(&c, PG_SCHEMA, _("this role has no document schema"));
	}
}
