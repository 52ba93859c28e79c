/* check_schema.c — the manifest and member-document schemas (CONTRACT
 * section 4) and the role, state, tier, name and operator helpers.
 *
 * Each schema case takes a valid base document written out below, applies up
 * to three mutations (set a member or element, delete one, append to an
 * array) and asserts the exact code, the exact err->path and the start of
 * the message.  Test JSON is written with ' for " to stay readable.
 */
#include "pg.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkrun.h"
#include "schema.h"

#define X4(s) s s s s
#define X64(s) X4(X4(X4(s)))
#define HA X64("a")
#define HB X64("b")
#define HC X64("c")
#define HD X64("d")
#define H9 X64("9")

/* --------------------------------------------------------------- bases */

static const char base_manifest[] =
	"{'schema_version': 1,"
	" 'id': 'sha256:" HA "',"
	" 'name': 'skill.math.reasoner',"
	" 'version': '1.3.0',"
	" 'created_at': '2026-06-26T12:00:00Z',"
	" 'parents': ['sha256:" HB "'],"
	" 'operator': 'distill',"
	" 'input_contract': 'text-question/v1',"
	" 'output_contract': 'worked-answer/v1',"
	" 'runtime': {'backend': 'onnxruntime', 'tokenizer': 'sentencepiece', 'quantization': 'q4'},"
	" 'resource_profile': {'bytes': 420000000, 'expected_p95_ms': 900, 'peak_ram_bytes': 760000000},"
	" 'risk_profile': {'data_lineage': 'approved-math-mixture', 'license': 'reviewed', 'safety_tier': 'medium'},"
	" 'evaluation_card': 'evaluation-card.json',"
	" 'lifecycle_state': 'candidate',"
	" 'files': ["
	"  {'path': 'model.onnx', 'role': 'weights', 'size': 123, 'sha256': '" H9 "'},"
	"  {'path': 'contract.json', 'role': 'contract', 'size': 10, 'sha256': '" HA "'},"
	"  {'path': 'lineage.json', 'role': 'lineage', 'size': 11, 'sha256': '" HB "'},"
	"  {'path': 'evaluation-card.json', 'role': 'evaluation-card', 'size': 12, 'sha256': '" HC "'},"
	"  {'path': 'permissions.json', 'role': 'permissions', 'size': 13, 'sha256': '" HD "'},"
	"  {'path': 'license-notice.json', 'role': 'license-notice', 'size': 0, 'sha256': '" HA "'}"
	" ]}";

static const char base_contract[] =
	"{'input_contract': 'text-question/v1', 'output_contract': 'worked-answer/v1',"
	" 'maximum_permissions': {'tools': ['calculator'], 'files': [], 'network': ['none'],"
	"  'data_classes': ['public']}}";

static const char base_permissions[] =
	"{'requested': {'tools': ['calculator']}, 'denied': ['network']}";

static const char base_lineage[] =
	"{'parents': [{'id': 'sha256:" HB "', 'name': 'skill.math.base', 'version': '1.0.0'}],"
	" 'operator': 'distill', 'operator_params': {'temperature': 2.5},"
	" 'data': [{'name': 'math-mix', 'version': '3', 'sha256': '" HD "'}],"
	" 'training': {'code_revision': 'abc123', 'seed': 42, 'hardware': '8xA100', 'container': 'img:1'},"
	" 'created_by': 'ml-team'}";

static const char base_card[] =
	"{'id': 'card-1', 'created_at': '2026-06-20T08:00:00.5Z', 'environment': {'gpu': 'A100'},"
	" 'headline': {'suite': 'mmlu', 'metric': 'acc'},"
	" 'suites': ["
	"  {'name': 'gsm8k', 'version': '1.0', 'metrics': ["
	"    {'name': 'accuracy', 'value': 0.81, 'ci': [0.79, 0.83], 'confidence': 0.95,"
	"     'n': 1319, 'higher_is_better': true}],"
	"   'slices': [{'name': 'hard', 'metrics': [{'name': 'accuracy', 'value': 0.6}]}]},"
	"  {'name': 'mmlu', 'version': '2', 'metrics': [{'name': 'f1', 'value': -1.5},"
	"    {'name': 'acc', 'value': 0.7}]}],"
	" 'failed_cases': [{'suite': 'gsm8k', 'case': 'q17', 'input': {'q': '2+2'},"
	"   'expected': 4, 'actual': [5, null], 'reason': 'arithmetic'}],"
	" 'calibration': {'bins': [{'confidence': 0.9, 'accuracy': 1, 'count': 100},"
	"   {'confidence': 0, 'accuracy': 0.25, 'count': 0}]},"
	" 'costs': {'latency_ms': {'p50': 120, 'p95': 300.5, 'p99': 450,"
	"   'histogram': [{'le': 100, 'count': 10}, {'le': 500.5, 'count': 90}]}},"
	" 'safety': [{'test': 'toxicity', 'passed': true, 'score': 0.01}],"
	" 'champion': {'id': 'sha256:" HC "', 'suites': [{'name': 'gsm8k', 'version': '1.0',"
	"   'metrics': [{'name': 'accuracy', 'value': 0.78}]}]}}";

static const char base_resource[] =
	"{'bytes': 420000000, 'peak_ram_bytes': 760000000, 'latency_ms': {'p50': 300, 'p95': 900.5},"
	" 'throughput_per_s': 12.5, 'energy_class': 'B', 'hardware': ['cpu-x86_64', 'gpu']}";

static const char base_license[] =
	"{'model': {'license': 'Apache-2.0'},"
	" 'data': [{'name': 'math-mix', 'license': 'CC-BY-4.0', 'obligations': ['attribution']}],"
	" 'code': [{'name': 'trainer', 'license': 'MIT'}],"
	" 'redistribution': 'restricted', 'obligations': ['keep this notice'],"
	" 'notice': 'Copyright the authors'}";

static const char base_rollback[] =
	"{'compatible_prior': ['sha256:" HC "', 'sha256:" HD "'], 'migration': 'none needed'}";

/* ---------------------------------------------------------- mutations */

/* Test JSON text with ' for ": a cJSON tree. */
static cJSON *parse_q(const char *text)
{
	char *s = strdup(text);
	cJSON *v;

	ck_assert_ptr_nonnull(s);
	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	v = cJSON_Parse(s);
	ck_assert_msg(v != NULL, "test JSON does not parse: %s", s);
	free(s);
	return v;
}

enum op { END = 0, SET, DEL, ADD };

struct mut {
	enum op op;
	const char *path; /* "files[2].sha256"; for ADD, the array */
	const char *json; /* SET and ADD */
};

struct seg {
	int is_index;
	int index;
	char key[64];
};

/* Splits "a.b[2].c" into segments; returns how many. */
static int split(const char *p, struct seg *segs, int max)
{
	int n = 0;

	while (*p) {
		ck_assert_int_lt(n, max);
		memset(&segs[n], 0, sizeof segs[n]);
		if (*p == '[') {
			segs[n].is_index = 1;
			char *end;

			segs[n].index = (int)strtol(p + 1, &end, 10);
			ck_assert_int_eq(*end, ']');
			p = end + 1;
		} else {
			size_t k = strcspn(p, ".[");

			ck_assert_uint_lt(k, sizeof segs[n].key);
			memcpy(segs[n].key, p, k);
			p += k;
		}
		if (*p == '.')
			p++;
		n++;
	}
	return n;
}

static cJSON *step(cJSON *v, const struct seg *s)
{
	cJSON *r = s->is_index ? cJSON_GetArrayItem(v, s->index)
			       : cJSON_GetObjectItemCaseSensitive(v, s->key);

	ck_assert_msg(r != NULL, "test path segment %s/%d not found", s->key, s->index);
	return r;
}

static void mutate(cJSON *root, const struct mut *m)
{
	struct seg segs[16];
	int n = split(m->path, segs, 16);
	cJSON *parent = root;
	const struct seg *last;

	if (m->op == ADD) {
		for (int i = 0; i < n; i++)
			parent = step(parent, &segs[i]);
		ck_assert(cJSON_IsArray(parent));
		cJSON_AddItemToArray(parent, parse_q(m->json));
		return;
	}
	ck_assert_int_gt(n, 0);
	for (int i = 0; i < n - 1; i++)
		parent = step(parent, &segs[i]);
	last = &segs[n - 1];
	if (m->op == DEL) {
		if (last->is_index)
			cJSON_DeleteItemFromArray(parent, last->index);
		else
			cJSON_DeleteItemFromObjectCaseSensitive(parent, last->key);
		return;
	}
	if (last->is_index) {
		if (last->index < cJSON_GetArraySize(parent))
			cJSON_ReplaceItemInArray(parent, last->index, parse_q(m->json));
		else
			cJSON_AddItemToArray(parent, parse_q(m->json));
	} else if (cJSON_GetObjectItemCaseSensitive(parent, last->key)) {
		cJSON_ReplaceItemInObjectCaseSensitive(parent, last->key, parse_q(m->json));
	} else {
		cJSON_AddItemToObject(parent, last->key, parse_q(m->json));
	}
}

static void assert_error(pg_code rc, const pg_error *e, pg_code code,
			 const char *path, const char *msg, int caseno)
{
	ck_assert_msg(rc == code, "case %d: got %s (%s), want %s", caseno,
		      pg_code_name(rc), e->message, pg_code_name(code));
	if (code == PG_OK)
		return;
	ck_assert_msg(e->code == code, "case %d: err->code %s", caseno, pg_code_name(e->code));
	ck_assert_msg(strcmp(e->path, path) == 0, "case %d: path \"%s\", want \"%s\" (%s)",
		      caseno, e->path, path, e->message);
	ck_assert_msg(strncmp(e->message, msg, strlen(msg)) == 0,
		      "case %d: message \"%s\" does not start with \"%s\"",
		      caseno, e->message, msg);
}

/* ----------------------------------------------------------- manifest */

struct mcase {
	struct mut m[3];
	pg_code code;
	const char *path;
	const char *msg;
};

#define F0 "{'path': 'model.onnx', 'role': 'weights', 'size': 1, 'sha256': '" HA "'}"
#define FILE_(p, r) "{'path': '" p "', 'role': '" r "', 'size': 1, 'sha256': '" HA "'}"
#define TOO_LONG_NAME X64("ab") "c" /* 129 bytes */

static const struct mcase manifest_cases[] = {
	/* Valid variations. */
	{ { { SET, "name", "'" X64("ab") "'" } }, PG_OK, "", NULL },
	{ { { SET, "resource_profile.bytes", "9007199254740991" } }, PG_OK, "", NULL },
	{ { { SET, "resource_profile.bytes", "0" } }, PG_OK, "", NULL },
	{ { { SET, "x-extra", "{'nested': [1, 'a', null, true], 'k': {}}" },
	    { SET, "runtime.extra", "'z'" }, { SET, "files[0].extra", "[0]" } }, PG_OK, "", NULL },
	{ { { DEL, "runtime.tokenizer", NULL }, { DEL, "runtime.quantization", NULL } }, PG_OK, "", NULL },
	{ { { SET, "parents", "[]" }, { SET, "operator", "'import'" } }, PG_OK, "", NULL },
	{ { { SET, "parents", "[]" }, { SET, "operator", "'import+quantize'" } }, PG_OK, "", NULL },
	{ { { SET, "parents", "['sha256:" HB "', 'sha256:" HC "']" },
	    { SET, "operator", "'merge+prune'" } }, PG_OK, "", NULL },
	{ { { SET, "operator", "'adapter-fusion+quantize'" } }, PG_OK, "", NULL },
	{ { { SET, "operator", "'fine-tune+distill+quantize+prune+adapter-train'" } }, PG_OK, "", NULL },
	{ { { SET, "lifecycle_state", "'quarantined'" } }, PG_OK, "", NULL },
	{ { { SET, "risk_profile.safety_tier", "'critical'" } }, PG_OK, "", NULL },
	{ { { SET, "version", "'1.0.0-rc.1+build.5'" } }, PG_OK, "", NULL },
	{ { { SET, "created_at", "'2024-02-29T23:59:59.999Z'" } }, PG_OK, "", NULL },
	{ { { ADD, "files", FILE_("weights/part-2.safetensors", "weights") },
	    { ADD, "files", FILE_("tokenizer.json", "tokenizer") },
	    { ADD, "files", FILE_("tokenizer.model", "tokenizer") } }, PG_OK, "", NULL },
	{ { { ADD, "files", FILE_("README.md", "doc") }, { ADD, "files", FILE_("a.md", "doc") },
	    { ADD, "files", FILE_("rollback.json", "rollback") } }, PG_OK, "", NULL },
	{ { { ADD, "files", FILE_("c.json", "config") }, { ADD, "files", FILE_("d.json", "config") },
	    { ADD, "files", FILE_("resource-profile.json", "resource-profile") } }, PG_OK, "", NULL },
	{ { { SET, "files[3].path", "'eval/card.json'" },
	    { SET, "evaluation_card", "'eval/card.json'" } }, PG_OK, "", NULL },

	/* 1. Numbers anywhere: integers in 0..2^53-1. */
	{ { { SET, "resource_profile.bytes", "1.5" } }, PG_JSON_NUMBER,
	  "resource_profile.bytes", "resource_profile.bytes: not an integer in 0..2^53-1" },
	{ { { SET, "resource_profile.bytes", "-1" } }, PG_JSON_NUMBER,
	  "resource_profile.bytes", "resource_profile.bytes: not an integer in 0..2^53-1" },
	{ { { SET, "resource_profile.bytes", "9007199254740992" } }, PG_JSON_NUMBER,
	  "resource_profile.bytes", "resource_profile.bytes: not an integer" },
	{ { { SET, "files[4].size", "1e300" } }, PG_JSON_NUMBER,
	  "files[4].size", "files[4].size: not an integer in 0..2^53-1" },
	{ { { SET, "x-extra", "{'a': [1, 2.5]}" } }, PG_JSON_NUMBER,
	  "x-extra.a[1]", "x-extra.a[1]: not an integer" },
	{ { { SET, "name", "-3" } }, PG_JSON_NUMBER, "name", "name: not an integer" },
	{ { { SET, "schema_version", "1.5" } }, PG_JSON_NUMBER,
	  "schema_version", "schema_version: not an integer" },
	{ { { SET, "schema_version", "-1" } }, PG_JSON_NUMBER,
	  "schema_version", "schema_version: not an integer" },
	/* ... before schema_version. */
	{ { { SET, "schema_version", "2" }, { SET, "runtime.x", "0.5" } }, PG_JSON_NUMBER,
	  "runtime.x", "runtime.x: not an integer" },
	{ { { DEL, "schema_version", NULL }, { SET, "files[0].size", "-0.5" } }, PG_JSON_NUMBER,
	  "files[0].size", "files[0].size: not an integer" },

	/* 2. schema_version. */
	{ { { DEL, "schema_version", NULL } }, PG_SCHEMA, "schema_version", "schema_version: missing" },
	{ { { SET, "schema_version", "'1'" } }, PG_SCHEMA,
	  "schema_version", "schema_version: not an integer" },
	{ { { SET, "schema_version", "null" } }, PG_SCHEMA,
	  "schema_version", "schema_version: not an integer" },
	{ { { SET, "schema_version", "2" } }, PG_VERSION_UNSUPPORTED,
	  "schema_version", "schema_version: unsupported version 2" },
	{ { { SET, "schema_version", "0" } }, PG_VERSION_UNSUPPORTED,
	  "schema_version", "schema_version: unsupported version 0" },
	/* ... before the rest. */
	{ { { SET, "schema_version", "2" }, { DEL, "name", NULL } }, PG_VERSION_UNSUPPORTED,
	  "schema_version", "schema_version: unsupported version 2" },
	{ { { SET, "schema_version", "2" }, { SET, "_type", "'x'" } }, PG_VERSION_UNSUPPORTED,
	  "schema_version", "schema_version: " },

	/* 3. Statement members. */
	{ { { SET, "_type", "'https://in-toto.io/Statement/v1'" } }, PG_SCHEMA, "_type", "_type: " },
	{ { { SET, "subject", "[]" } }, PG_SCHEMA, "subject", "subject: " },
	{ { { SET, "predicateType", "'x'" } }, PG_SCHEMA, "predicateType", "predicateType: " },
	{ { { SET, "predicate", "{}" } }, PG_SCHEMA, "predicate", "predicate: " },
	{ { { SET, "predicate", "{}" }, { SET, "_type", "1" } }, PG_SCHEMA, "_type", "_type: " },
	{ { { SET, "predicate", "{}" }, { DEL, "id", NULL } }, PG_SCHEMA, "predicate", "predicate: " },

	/* 4. id */
	{ { { DEL, "id", NULL } }, PG_SCHEMA, "id", "id: missing" },
	{ { { SET, "id", "5" } }, PG_SCHEMA, "id", "id: not a string" },
	{ { { SET, "id", "'" HA "'" } }, PG_SCHEMA, "id", "id: not a pack id" },
	{ { { SET, "id", "'sha256:" X64("A") "'" } }, PG_SCHEMA, "id", "id: not a pack id" },
	{ { { SET, "id", "'sha256:" X64("a") "0'" } }, PG_SCHEMA, "id", "id: not a pack id" },
	{ { { SET, "id", "'sha512:" HA "'" } }, PG_SCHEMA, "id", "id: not a pack id" },
	/* name */
	{ { { DEL, "name", NULL } }, PG_SCHEMA, "name", "name: missing" },
	{ { { SET, "name", "['a']" } }, PG_SCHEMA, "name", "name: not a string" },
	{ { { SET, "name", "'Skill'" } }, PG_SCHEMA, "name", "name: not a valid name" },
	{ { { SET, "name", "'sha256'" } }, PG_SCHEMA, "name", "name: not a valid name" },
	{ { { SET, "name", "''" } }, PG_SCHEMA, "name", "name: not a valid name" },
	{ { { SET, "name", "'a..b'" } }, PG_SCHEMA, "name", "name: not a valid name" },
	{ { { SET, "name", "'" TOO_LONG_NAME "'" } }, PG_SCHEMA, "name", "name: not a valid name" },
	/* version */
	{ { { DEL, "version", NULL } }, PG_SCHEMA, "version", "version: missing" },
	{ { { SET, "version", "1" } }, PG_SCHEMA, "version", "version: not a string" },
	{ { { SET, "version", "'1.0'" } }, PG_SCHEMA, "version", "version: not a SemVer 2.0.0 version" },
	{ { { SET, "version", "'v1.3.0'" } }, PG_SCHEMA, "version", "version: not a SemVer" },
	/* created_at */
	{ { { DEL, "created_at", NULL } }, PG_SCHEMA, "created_at", "created_at: missing" },
	{ { { SET, "created_at", "'2026-06-26T12:00:00+00:00'" } }, PG_SCHEMA,
	  "created_at", "created_at: not an RFC 3339 UTC timestamp" },
	{ { { SET, "created_at", "'2023-02-29T12:00:00Z'" } }, PG_SCHEMA,
	  "created_at", "created_at: not an RFC 3339" },
	/* parents */
	{ { { DEL, "parents", NULL } }, PG_SCHEMA, "parents", "parents: missing" },
	{ { { SET, "parents", "'sha256:" HB "'" } }, PG_SCHEMA, "parents", "parents: not an array" },
	{ { { SET, "parents", "[5]" } }, PG_SCHEMA, "parents[0]", "parents[0]: not a string" },
	{ { { SET, "parents", "['sha256:" HB "', 'sha256:zz']" } }, PG_SCHEMA,
	  "parents[1]", "parents[1]: not a pack id" },
	{ { { SET, "parents", "['sha256:" HB "', 'sha256:" HC "', 'sha256:" HB "']" },
	    { SET, "operator", "'merge'" } }, PG_SCHEMA,
	  "parents[2]", "parents[2]: same parent as parents[0]" },
	{ { { SET, "parents", "['sha256:" HC "', 'sha256:" HB "', 'sha256:" HD "', 'sha256:" HB "', 'sha256:" HC "']" },
	    { SET, "operator", "'merge'" } }, PG_SCHEMA,
	  "parents[3]", "parents[3]: same parent as parents[1]" },
	/* operator */
	{ { { DEL, "operator", NULL } }, PG_SCHEMA, "operator", "operator: missing" },
	{ { { SET, "operator", "['distill']" } }, PG_SCHEMA, "operator", "operator: not a string" },
	{ { { SET, "operator", "'train'" } }, PG_SCHEMA, "operator", "operator: unknown step \"train\"" },
	{ { { SET, "operator", "'Distill'" } }, PG_SCHEMA, "operator", "operator: unknown step \"Distill\"" },
	{ { { SET, "operator", "'distill+'" } }, PG_SCHEMA, "operator", "operator: empty step" },
	{ { { SET, "operator", "'+distill'" } }, PG_SCHEMA, "operator", "operator: empty step" },
	{ { { SET, "operator", "'distill++prune'" } }, PG_SCHEMA, "operator", "operator: empty step" },
	{ { { SET, "operator", "''" } }, PG_SCHEMA, "operator", "operator: empty step" },
	{ { { SET, "operator", "'quantize+import'" } }, PG_SCHEMA,
	  "operator", "operator: import can only be the first step" },
	{ { { SET, "operator", "'import'" } }, PG_SCHEMA,
	  "operator", "operator: import takes no parents (1 given)" },
	{ { { SET, "operator", "'merge'" } }, PG_SCHEMA,
	  "operator", "operator: merge needs two or more parents (1 given)" },
	{ { { SET, "operator", "'quantize+merge'" } }, PG_SCHEMA,
	  "operator", "operator: merge needs two or more parents (1 given)" },
	{ { { SET, "parents", "[]" } }, PG_SCHEMA, "operator", "operator: needs at least one parent" },
	{ { { SET, "parents", "[]" }, { SET, "operator", "'import+merge'" } }, PG_SCHEMA,
	  "operator", "operator: merge needs two or more parents (0 given)" },
	/* input_contract, output_contract */
	{ { { DEL, "input_contract", NULL } }, PG_SCHEMA, "input_contract", "input_contract: missing" },
	{ { { SET, "input_contract", "''" } }, PG_SCHEMA, "input_contract", "input_contract: empty" },
	{ { { SET, "input_contract", "1" } }, PG_SCHEMA, "input_contract", "input_contract: not a string" },
	{ { { DEL, "output_contract", NULL } }, PG_SCHEMA, "output_contract", "output_contract: missing" },
	{ { { SET, "output_contract", "''" } }, PG_SCHEMA, "output_contract", "output_contract: empty" },
	{ { { SET, "output_contract", "{}" } }, PG_SCHEMA, "output_contract", "output_contract: not a string" },
	/* runtime */
	{ { { DEL, "runtime", NULL } }, PG_SCHEMA, "runtime", "runtime: missing" },
	{ { { SET, "runtime", "[]" } }, PG_SCHEMA, "runtime", "runtime: not an object" },
	{ { { DEL, "runtime.backend", NULL } }, PG_SCHEMA, "runtime.backend", "runtime.backend: missing" },
	{ { { SET, "runtime.backend", "''" } }, PG_SCHEMA, "runtime.backend", "runtime.backend: empty" },
	{ { { SET, "runtime.backend", "true" } }, PG_SCHEMA, "runtime.backend", "runtime.backend: not a string" },
	{ { { SET, "runtime.tokenizer", "5" } }, PG_SCHEMA, "runtime.tokenizer", "runtime.tokenizer: not a string" },
	{ { { SET, "runtime.quantization", "null" } }, PG_SCHEMA,
	  "runtime.quantization", "runtime.quantization: not a string" },
	/* resource_profile */
	{ { { DEL, "resource_profile", NULL } }, PG_SCHEMA, "resource_profile", "resource_profile: missing" },
	{ { { SET, "resource_profile", "7" } }, PG_SCHEMA, "resource_profile", "resource_profile: not an object" },
	{ { { DEL, "resource_profile.bytes", NULL } }, PG_SCHEMA,
	  "resource_profile.bytes", "resource_profile.bytes: missing" },
	{ { { DEL, "resource_profile.expected_p95_ms", NULL } }, PG_SCHEMA,
	  "resource_profile.expected_p95_ms", "resource_profile.expected_p95_ms: missing" },
	{ { { SET, "resource_profile.peak_ram_bytes", "'1'" } }, PG_SCHEMA,
	  "resource_profile.peak_ram_bytes", "resource_profile.peak_ram_bytes: not an integer" },
	/* risk_profile */
	{ { { DEL, "risk_profile", NULL } }, PG_SCHEMA, "risk_profile", "risk_profile: missing" },
	{ { { DEL, "risk_profile.data_lineage", NULL } }, PG_SCHEMA,
	  "risk_profile.data_lineage", "risk_profile.data_lineage: missing" },
	{ { { SET, "risk_profile.license", "3" } }, PG_SCHEMA,
	  "risk_profile.license", "risk_profile.license: not a string" },
	{ { { DEL, "risk_profile.safety_tier", NULL } }, PG_SCHEMA,
	  "risk_profile.safety_tier", "risk_profile.safety_tier: missing" },
	{ { { SET, "risk_profile.safety_tier", "'extreme'" } }, PG_SCHEMA,
	  "risk_profile.safety_tier", "risk_profile.safety_tier: not one of low, medium, high, critical" },
	{ { { SET, "risk_profile.safety_tier", "'Medium'" } }, PG_SCHEMA,
	  "risk_profile.safety_tier", "risk_profile.safety_tier: not one of" },
	/* evaluation_card */
	{ { { DEL, "evaluation_card", NULL } }, PG_SCHEMA, "evaluation_card", "evaluation_card: missing" },
	{ { { SET, "evaluation_card", "3" } }, PG_SCHEMA, "evaluation_card", "evaluation_card: not a string" },
	{ { { SET, "evaluation_card", "'card.json'" } }, PG_SCHEMA, "evaluation_card",
	  "evaluation_card: does not name the evaluation-card file (files[3].path is \"evaluation-card.json\")" },
	/* lifecycle_state */
	{ { { DEL, "lifecycle_state", NULL } }, PG_SCHEMA, "lifecycle_state", "lifecycle_state: missing" },
	{ { { SET, "lifecycle_state", "'live'" } }, PG_SCHEMA,
	  "lifecycle_state", "lifecycle_state: not a lifecycle state" },
	{ { { SET, "lifecycle_state", "'Candidate'" } }, PG_SCHEMA,
	  "lifecycle_state", "lifecycle_state: not a lifecycle state" },
	/* files: the list */
	{ { { DEL, "files", NULL } }, PG_SCHEMA, "files", "files: missing" },
	{ { { SET, "files", "{}" } }, PG_SCHEMA, "files", "files: not an array" },
	{ { { SET, "files", "[]" } }, PG_SCHEMA, "files", "files: empty" },
	{ { { SET, "files[2]", "'lineage.json'" } }, PG_SCHEMA, "files[2]", "files[2]: not an object" },
	/* files[].path */
	{ { { DEL, "files[2].path", NULL } }, PG_SCHEMA, "files[2].path", "files[2].path: missing" },
	{ { { SET, "files[2].path", "5" } }, PG_SCHEMA, "files[2].path", "files[2].path: not a string" },
	{ { { SET, "files[2].path", "'../lineage.json'" } }, PG_ARCHIVE_PATH_TRAVERSAL,
	  "files[2].path", "files[2].path: " },
	{ { { SET, "files[0].path", "'/model.onnx'" } }, PG_ARCHIVE_PATH_TRAVERSAL,
	  "files[0].path", "files[0].path: " },
	{ { { SET, "files[0].path", "'w\\\\model.onnx'" } }, PG_ARCHIVE_PATH_TRAVERSAL,
	  "files[0].path", "files[0].path: " },
	{ { { SET, "files[0].path", "''" } }, PG_ARCHIVE_PATH_TRAVERSAL, "files[0].path", "files[0].path: " },
	{ { { SET, "files[0].path", "'cafe\\u0301.bin'" } }, PG_ARCHIVE_PATH_ENCODING,
	  "files[0].path", "files[0].path: " },
	{ { { SET, "files[0].path", "'a\\u202eb.bin'" } }, PG_ARCHIVE_CONFUSABLE_PATH,
	  "files[0].path", "files[0].path: " },
	{ { { SET, "files[0].path", "'a\\u2215b.bin'" } }, PG_ARCHIVE_CONFUSABLE_PATH,
	  "files[0].path", "files[0].path: " },
	{ { { SET, "files[0].path", "'" X64("abcd") X64("abcd") ".bin'" } }, PG_LIMIT_PATH_LENGTH,
	  "files[0].path", "files[0].path: " },
	{ { { SET, "files[2].path", "'manifest.json'" } }, PG_SCHEMA,
	  "files[2].path", "files[2].path: the manifest may not list itself" },
	{ { { SET, "files[2].path", "'Manifest.JSON'" } }, PG_ARCHIVE_DUPLICATE_ENTRY,
	  "files[2].path", "files[2].path: same as manifest.json after case folding" },
	/* files[].role */
	{ { { DEL, "files[1].role", NULL } }, PG_SCHEMA, "files[1].role", "files[1].role: missing" },
	{ { { SET, "files[1].role", "1" } }, PG_SCHEMA, "files[1].role", "files[1].role: not a string" },
	{ { { SET, "files[1].role", "'weight'" } }, PG_SCHEMA,
	  "files[1].role", "files[1].role: unknown role \"weight\"" },
	{ { { SET, "files[1].role", "'Contract'" } }, PG_SCHEMA,
	  "files[1].role", "files[1].role: unknown role" },
	/* files[].size */
	{ { { DEL, "files[0].size", NULL } }, PG_SCHEMA, "files[0].size", "files[0].size: missing" },
	{ { { SET, "files[0].size", "'123'" } }, PG_SCHEMA, "files[0].size", "files[0].size: not an integer" },
	/* files[].sha256 */
	{ { { DEL, "files[3].sha256", NULL } }, PG_SCHEMA, "files[3].sha256", "files[3].sha256: missing" },
	{ { { SET, "files[3].sha256", "7" } }, PG_SCHEMA, "files[3].sha256", "files[3].sha256: not a string" },
	{ { { SET, "files[3].sha256", "'" X64("F") "'" } }, PG_SCHEMA,
	  "files[3].sha256", "files[3].sha256: not 64 lowercase hex" },
	{ { { SET, "files[3].sha256", "'" X4(X4("abg")) X4(X4("f")) "'" } }, PG_SCHEMA,
	  "files[3].sha256", "files[3].sha256: not 64 lowercase hex" },
	{ { { SET, "files[3].sha256", "'" X4(X4("abc")) "abcdefabcdefabc'" } }, PG_SCHEMA,
	  "files[3].sha256", "files[3].sha256: not 64 lowercase hex" },
	{ { { SET, "files[3].sha256", "'" HA "0'" } }, PG_SCHEMA,
	  "files[3].sha256", "files[3].sha256: not 64 lowercase hex" },
	{ { { SET, "files[3].sha256", "'sha256:" HA "'" } }, PG_SCHEMA,
	  "files[3].sha256", "files[3].sha256: not 64 lowercase hex" },
	/* Per-entry checks in entry order, before duplicates and roles. */
	{ { { SET, "files[3].sha256", "'x'" }, { SET, "files[1].size", "'x'" } }, PG_SCHEMA,
	  "files[1].size", "files[1].size: not an integer" },
	{ { { SET, "files[3].sha256", "'x'" }, { SET, "files[3].role", "'x'" } }, PG_SCHEMA,
	  "files[3].role", "files[3].role: unknown role" },
	{ { { ADD, "files", F0 }, { ADD, "files", FILE_("x.bin", "nope") } }, PG_SCHEMA,
	  "files[7].role", "files[7].role: unknown role \"nope\"" },
	/* Duplicates. */
	{ { { SET, "files[5].path", "'model.onnx'" } }, PG_ARCHIVE_DUPLICATE_ENTRY,
	  "files[5].path", "files[5].path: listed twice (also files[0].path)" },
	{ { { ADD, "files", FILE_("MODEL.ONNX", "weights") } }, PG_ARCHIVE_DUPLICATE_ENTRY,
	  "files[6].path", "files[6].path: same as files[0].path after case folding" },
	{ { { ADD, "files", FILE_("w/Stra\\u00dfe.bin", "weights") },
	    { ADD, "files", FILE_("w/STRASSE.bin", "weights") } }, PG_ARCHIVE_DUPLICATE_ENTRY,
	  "files[7].path", "files[7].path: same as files[6].path after case folding" },
	{ { { ADD, "files", FILE_("lineage.json", "other") },
	    { ADD, "files", FILE_("model.onnx", "weights") },
	    { ADD, "files", FILE_("Lineage.json", "other") } }, PG_ARCHIVE_DUPLICATE_ENTRY,
	  "files[6].path", "files[6].path: listed twice (also files[2].path)" },
	{ { { ADD, "files", FILE_("zz.bin", "weights") },
	    { ADD, "files", FILE_("CONTRACT.json", "other") },
	    { ADD, "files", FILE_("zz.bin", "weights") } }, PG_ARCHIVE_DUPLICATE_ENTRY,
	  "files[7].path", "files[7].path: same as files[1].path after case folding" },
	/* Duplicates before role counts. */
	{ { { ADD, "files", FILE_("lineage2.json", "lineage") },
	    { ADD, "files", FILE_("model.onnx", "weights") } }, PG_ARCHIVE_DUPLICATE_ENTRY,
	  "files[7].path", "files[7].path: listed twice" },
	/* Role counts. */
	{ { { ADD, "files", FILE_("c2.json", "contract") } }, PG_SCHEMA,
	  "files[6].role", "files[6].role: a second file with role contract" },
	{ { { ADD, "files", FILE_("r1.json", "rollback") },
	    { ADD, "files", FILE_("r2.json", "rollback") } }, PG_SCHEMA,
	  "files[7].role", "files[7].role: a second file with role rollback" },
	{ { { ADD, "files", FILE_("p1.json", "resource-profile") },
	    { ADD, "files", FILE_("p2.json", "resource-profile") } }, PG_SCHEMA,
	  "files[7].role", "files[7].role: a second file with role resource-profile" },
	{ { { SET, "files[5].role", "'permissions'" } }, PG_SCHEMA,
	  "files[5].role", "files[5].role: a second file with role permissions" },
	{ { { SET, "files[5].role", "'evaluation-card'" } }, PG_SCHEMA,
	  "files[5].role", "files[5].role: a second file with role evaluation-card" },
	/* Required roles, in role order. */
	{ { { DEL, "files[0]", NULL } }, PG_SCHEMA, "files", "files: no file with role weights" },
	{ { { SET, "files[1].role", "'other'" } }, PG_SCHEMA, "files", "files: no file with role contract" },
	{ { { SET, "files[2].role", "'doc'" } }, PG_SCHEMA, "files", "files: no file with role lineage" },
	{ { { DEL, "files[3]", NULL } }, PG_SCHEMA, "files", "files: no file with role evaluation-card" },
	{ { { DEL, "files[4]", NULL } }, PG_SCHEMA, "files", "files: no file with role permissions" },
	{ { { DEL, "files[5]", NULL } }, PG_SCHEMA, "files", "files: no file with role license-notice" },
	{ { { DEL, "files[5]", NULL }, { DEL, "files[1]", NULL } }, PG_SCHEMA,
	  "files", "files: no file with role contract" },
	/* evaluation_card is checked against files last. */
	{ { { SET, "evaluation_card", "'card.json'" }, { DEL, "files[4]", NULL } }, PG_SCHEMA,
	  "files", "files: no file with role permissions" },
	{ { { SET, "files[3].path", "'eval/card.json'" } }, PG_SCHEMA,
	  "evaluation_card", "evaluation_card: does not name the evaluation-card file" },

	/* The fixed order across members. */
	{ { { DEL, "files", NULL }, { DEL, "id", NULL } }, PG_SCHEMA, "id", "id: missing" },
	{ { { SET, "lifecycle_state", "1" }, { SET, "runtime", "1" } }, PG_SCHEMA,
	  "runtime", "runtime: not an object" },
	{ { { SET, "operator", "'x'" }, { SET, "created_at", "'x'" } }, PG_SCHEMA,
	  "created_at", "created_at: " },
	{ { { SET, "files[0].sha256", "'x'" }, { SET, "lifecycle_state", "'x'" } }, PG_SCHEMA,
	  "lifecycle_state", "lifecycle_state: " },
};

START_TEST(test_manifest_cases)
{
	const struct mcase *tc = &manifest_cases[_i];
	cJSON *m = parse_q(base_manifest);
	pg_error e;
	pg_code rc;

	for (int k = 0; k < 3 && tc->m[k].op != END; k++)
		mutate(m, &tc->m[k]);
	pg_error_clear(&e);
	rc = pg_schema_manifest(m, NULL, &e);
	assert_error(rc, &e, tc->code, tc->path, tc->msg, _i);
	cJSON_Delete(m);
}
END_TEST

START_TEST(test_manifest_base_and_states)
{
	cJSON *m = parse_q(base_manifest);
	pg_error e;

	pg_error_clear(&e);
	ck_assert_int_eq(pg_schema_manifest(m, NULL, &e), PG_OK);
	ck_assert_int_eq(e.code, PG_OK);
	/* Every state of section 6 is a valid lifecycle_state. */
	for (int s = 0; s < PG_STATE_COUNT_; s++) {
		cJSON_ReplaceItemInObjectCaseSensitive(m, "lifecycle_state",
			cJSON_CreateString(pg_state_name((pg_state)s)));
		ck_assert_int_eq(pg_schema_manifest(m, NULL, &e), PG_OK);
	}
	/* err may be NULL. */
	cJSON_ReplaceItemInObjectCaseSensitive(m, "name", cJSON_CreateString("BAD"));
	ck_assert_int_eq(pg_schema_manifest(m, NULL, NULL), PG_SCHEMA);
	cJSON_Delete(m);
}
END_TEST

START_TEST(test_manifest_root)
{
	cJSON *v = parse_q("['a']");
	pg_error e;

	pg_error_clear(&e);
	assert_error(pg_schema_manifest(v, NULL, &e), &e, PG_SCHEMA, "",
		     "manifest.json: not an object", 0);
	cJSON_Delete(v);

	v = parse_q("1.5");
	pg_error_clear(&e);
	assert_error(pg_schema_manifest(v, NULL, &e), &e, PG_JSON_NUMBER, "",
		     "manifest.json: not an integer in 0..2^53-1", 1);
	cJSON_Delete(v);

	v = parse_q("[0, [1, -2]]");
	pg_error_clear(&e);
	assert_error(pg_schema_manifest(v, NULL, &e), &e, PG_JSON_NUMBER, "[1][1]",
		     "[1][1]: not an integer", 2);
	cJSON_Delete(v);
}
END_TEST

START_TEST(test_manifest_limits)
{
	/* lim caps path lengths: "model.onnx" is 10 bytes. */
	cJSON *m = parse_q(base_manifest);
	pg_limits lim;
	pg_error e;

	pg_limits_default(&lim);
	lim.path_bytes = 9;
	pg_error_clear(&e);
	assert_error(pg_schema_manifest(m, &lim, &e), &e, PG_LIMIT_PATH_LENGTH,
		     "files[0].path", "files[0].path: ", 0);
	lim.path_bytes = 64;
	lim.segment_bytes = 12; /* "contract.json" is 13 */
	pg_error_clear(&e);
	assert_error(pg_schema_manifest(m, &lim, &e), &e, PG_LIMIT_PATH_LENGTH,
		     "files[1].path", "files[1].path: ", 1);
	lim.segment_bytes = 255;
	ck_assert_int_eq(pg_schema_manifest(m, &lim, &e), PG_OK);
	cJSON_Delete(m);
}
END_TEST

/* Many files: the duplicate found is the first in list order, wherever the
 * sorted order puts it. */
START_TEST(test_manifest_many_files)
{
	cJSON *m = parse_q(base_manifest);
	cJSON *files = cJSON_GetObjectItemCaseSensitive(m, "files");
	char path[64];
	pg_error e;

	for (int i = 0; i < 3000; i++) {
		cJSON *f = parse_q(FILE_("x", "weights"));

		snprintf(path, sizeof path, "w/%04d.bin", 2999 - i);
		cJSON_ReplaceItemInObjectCaseSensitive(f, "path", cJSON_CreateString(path));
		cJSON_AddItemToArray(files, f);
	}
	pg_error_clear(&e);
	ck_assert_int_eq(pg_schema_manifest(m, NULL, &e), PG_OK);
	/* files[6 + i] is w/(2999-i).bin: repeat w/0010.bin (files[2995])
	 * and w/2000.bin (files[1005]) at the end, in that order. */
	cJSON_AddItemToArray(files, parse_q(FILE_("w/0010.BIN", "weights")));
	cJSON_AddItemToArray(files, parse_q(FILE_("w/2000.bin", "weights")));
	pg_error_clear(&e);
	assert_error(pg_schema_manifest(m, NULL, &e), &e, PG_ARCHIVE_DUPLICATE_ENTRY,
		     "files[3006].path",
		     "files[3006].path: same as files[2995].path after case folding", 0);
	cJSON_Delete(m);
}
END_TEST

/* ---------------------------------------------------- member documents */

struct dcase {
	pg_role role;
	struct mut m[3];
	pg_code code;
	const char *path;
	const char *msg;
};

static const char *base_for(pg_role r)
{
	switch (r) {
	case PG_ROLE_CONTRACT: return base_contract;
	case PG_ROLE_PERMISSIONS: return base_permissions;
	case PG_ROLE_LINEAGE: return base_lineage;
	case PG_ROLE_EVALUATION_CARD: return base_card;
	case PG_ROLE_RESOURCE_PROFILE: return base_resource;
	case PG_ROLE_LICENSE_NOTICE: return base_license;
	case PG_ROLE_ROLLBACK: return base_rollback;
	default: return NULL;
	}
}

#define C PG_ROLE_CONTRACT
#define P PG_ROLE_PERMISSIONS
#define L PG_ROLE_LINEAGE
#define E PG_ROLE_EVALUATION_CARD
#define R PG_ROLE_RESOURCE_PROFILE
#define N PG_ROLE_LICENSE_NOTICE
#define B PG_ROLE_ROLLBACK
#define PID(h) "'sha256:" h "'"

static const struct dcase doc_cases[] = {
	/* Bases and valid variations. */
	{ C, { { END, NULL, NULL } }, PG_OK, "", NULL },
	{ P, { { END, NULL, NULL } }, PG_OK, "", NULL },
	{ L, { { END, NULL, NULL } }, PG_OK, "", NULL },
	{ E, { { END, NULL, NULL } }, PG_OK, "", NULL },
	{ R, { { END, NULL, NULL } }, PG_OK, "", NULL },
	{ N, { { END, NULL, NULL } }, PG_OK, "", NULL },
	{ B, { { END, NULL, NULL } }, PG_OK, "", NULL },
	{ C, { { SET, "maximum_permissions", "{}" }, { SET, "x", "[1.5]" } }, PG_OK, "", NULL },
	{ C, { { SET, "maximum_permissions.extra", "1" } }, PG_OK, "", NULL },
	{ P, { { DEL, "denied", NULL }, { SET, "requested", "{'network': ['a', '']}" } }, PG_OK, "", NULL },
	{ L, { { DEL, "operator_params", NULL }, { DEL, "data", NULL }, { DEL, "training", NULL } }, PG_OK, "", NULL },
	{ L, { { DEL, "created_by", NULL }, { SET, "parents[0]", "{'id': " PID(HB) "}" } }, PG_OK, "", NULL },
	{ L, { { SET, "training", "{}" }, { SET, "data", "[{'name': 'x'}]" } }, PG_OK, "", NULL },
	{ E, { { DEL, "headline", NULL }, { DEL, "environment", NULL }, { DEL, "champion", NULL } }, PG_OK, "", NULL },
	{ E, { { DEL, "failed_cases", NULL }, { DEL, "calibration", NULL }, { DEL, "costs", NULL } }, PG_OK, "", NULL },
	{ E, { { DEL, "safety", NULL }, { SET, "environment", "'cpu'" }, { SET, "costs", "{}" } }, PG_OK, "", NULL },
	{ E, { { SET, "suites[0].metrics[0].confidence", "1" },
	       { SET, "suites[0].metrics[0].ci", "[0.5, 0.5]" } }, PG_OK, "", NULL },
	{ E, { { SET, "headline", "{'suite': 'gsm8k', 'metric': 'accuracy'}" },
	       { SET, "failed_cases[0]", "{'suite': 'x', 'case': 'y'}" } }, PG_OK, "", NULL },
	{ R, { { SET, "x", "{}" } }, PG_OK, "", NULL },
	{ R, { { DEL, "bytes", NULL }, { DEL, "latency_ms", NULL }, { DEL, "hardware", NULL } }, PG_OK, "", NULL },
	{ N, { { DEL, "data", NULL }, { DEL, "code", NULL }, { DEL, "obligations", NULL } }, PG_OK, "", NULL },
	{ N, { { SET, "redistribution", "'allowed'" }, { DEL, "notice", NULL } }, PG_OK, "", NULL },
	{ N, { { SET, "redistribution", "'forbidden'" } }, PG_OK, "", NULL },
	{ B, { { SET, "compatible_prior", "[]" }, { DEL, "migration", NULL } }, PG_OK, "", NULL },

	/* contract.json */
	{ C, { { DEL, "input_contract", NULL } }, PG_SCHEMA,
	  "input_contract", "contract.json: input_contract: missing" },
	{ C, { { SET, "input_contract", "1" } }, PG_SCHEMA,
	  "input_contract", "contract.json: input_contract: not a string" },
	{ C, { { SET, "input_contract", "''" } }, PG_SCHEMA,
	  "input_contract", "contract.json: input_contract: empty" },
	{ C, { { SET, "input_contract", "'text-question/v2'" } }, PG_SCHEMA, "input_contract",
	  "contract.json: input_contract: not the manifest's input_contract \"text-question/v1\"" },
	{ C, { { DEL, "output_contract", NULL } }, PG_SCHEMA,
	  "output_contract", "contract.json: output_contract: missing" },
	{ C, { { SET, "output_contract", "'text-question/v1'" } }, PG_SCHEMA, "output_contract",
	  "contract.json: output_contract: not the manifest's output_contract \"worked-answer/v1\"" },
	{ C, { { DEL, "maximum_permissions", NULL } }, PG_SCHEMA,
	  "maximum_permissions", "contract.json: maximum_permissions: missing" },
	{ C, { { SET, "maximum_permissions", "['tools']" } }, PG_SCHEMA,
	  "maximum_permissions", "contract.json: maximum_permissions: not an object" },
	{ C, { { SET, "maximum_permissions.tools", "'calculator'" } }, PG_SCHEMA,
	  "maximum_permissions.tools", "contract.json: maximum_permissions.tools: not an array" },
	{ C, { { SET, "maximum_permissions.files", "['a', 2]" } }, PG_SCHEMA,
	  "maximum_permissions.files[1]", "contract.json: maximum_permissions.files[1]: not a string" },
	{ C, { { SET, "maximum_permissions.network", "[null]" } }, PG_SCHEMA,
	  "maximum_permissions.network[0]", "contract.json: maximum_permissions.network[0]: not a string" },
	{ C, { { SET, "maximum_permissions.data_classes", "{}" } }, PG_SCHEMA,
	  "maximum_permissions.data_classes",
	  "contract.json: maximum_permissions.data_classes: not an array" },
	{ C, { { SET, "output_contract", "''" }, { SET, "input_contract", "'x'" } }, PG_SCHEMA,
	  "input_contract", "contract.json: input_contract: not the manifest's" },

	/* permissions.json */
	{ P, { { DEL, "requested", NULL } }, PG_SCHEMA, "requested", "permissions.json: requested: missing" },
	{ P, { { SET, "requested", "[]" } }, PG_SCHEMA,
	  "requested", "permissions.json: requested: not an object" },
	{ P, { { SET, "requested.tools", "[['x']]" } }, PG_SCHEMA,
	  "requested.tools[0]", "permissions.json: requested.tools[0]: not a string" },
	{ P, { { SET, "denied", "'network'" } }, PG_SCHEMA,
	  "denied", "permissions.json: denied: not an array" },
	{ P, { { SET, "denied", "['a', 'b', false]" } }, PG_SCHEMA,
	  "denied[2]", "permissions.json: denied[2]: not a string" },

	/* lineage.json */
	{ L, { { DEL, "parents", NULL } }, PG_SCHEMA, "parents", "lineage.json: parents: missing" },
	{ L, { { SET, "parents", "{}" } }, PG_SCHEMA, "parents", "lineage.json: parents: not an array" },
	{ L, { { SET, "parents[0]", PID(HB) } }, PG_SCHEMA,
	  "parents[0]", "lineage.json: parents[0]: not an object" },
	{ L, { { DEL, "parents[0].id", NULL } }, PG_SCHEMA,
	  "parents[0].id", "lineage.json: parents[0].id: missing" },
	{ L, { { SET, "parents[0].id", "1" } }, PG_SCHEMA,
	  "parents[0].id", "lineage.json: parents[0].id: not a string" },
	{ L, { { SET, "parents[0].id", PID(HC) } }, PG_SCHEMA,
	  "parents[0].id", "lineage.json: parents[0].id: not a parent of the manifest" },
	{ L, { { SET, "parents[0].name", "'Base Model'" } }, PG_SCHEMA,
	  "parents[0].name", "lineage.json: parents[0].name: not a valid name" },
	{ L, { { SET, "parents[0].version", "'1.0'" } }, PG_SCHEMA,
	  "parents[0].version", "lineage.json: parents[0].version: not a SemVer 2.0.0 version" },
	{ L, { { SET, "parents", "[]" } }, PG_SCHEMA,
	  "parents", "lineage.json: parents: lists 0 parents, the manifest 1" },
	{ L, { { ADD, "parents", "{'id': " PID(HB) "}" } }, PG_SCHEMA,
	  "parents[1].id", "lineage.json: parents[1].id: a parent listed twice" },
	{ L, { { ADD, "parents", "{'id': " PID(HD) "}" } }, PG_SCHEMA,
	  "parents[1].id", "lineage.json: parents[1].id: not a parent of the manifest" },
	{ L, { { DEL, "operator", NULL } }, PG_SCHEMA, "operator", "lineage.json: operator: missing" },
	{ L, { { SET, "operator", "['distill']" } }, PG_SCHEMA,
	  "operator", "lineage.json: operator: not a string" },
	{ L, { { SET, "operator", "'fine-tune'" } }, PG_SCHEMA,
	  "operator", "lineage.json: operator: not the manifest's operator \"distill\"" },
	{ L, { { SET, "operator_params", "[]" } }, PG_SCHEMA,
	  "operator_params", "lineage.json: operator_params: not an object" },
	{ L, { { SET, "data", "{}" } }, PG_SCHEMA, "data", "lineage.json: data: not an array" },
	{ L, { { SET, "data[0]", "'math-mix'" } }, PG_SCHEMA,
	  "data[0]", "lineage.json: data[0]: not an object" },
	{ L, { { DEL, "data[0].name", NULL } }, PG_SCHEMA,
	  "data[0].name", "lineage.json: data[0].name: missing" },
	{ L, { { SET, "data[0].version", "3" } }, PG_SCHEMA,
	  "data[0].version", "lineage.json: data[0].version: not a string" },
	{ L, { { SET, "data[0].sha256", "'" X64("G") "'" } }, PG_SCHEMA,
	  "data[0].sha256", "lineage.json: data[0].sha256: not 64 lowercase hex" },
	{ L, { { SET, "training", "'gpu'" } }, PG_SCHEMA,
	  "training", "lineage.json: training: not an object" },
	{ L, { { SET, "training.code_revision", "1" } }, PG_SCHEMA,
	  "training.code_revision", "lineage.json: training.code_revision: not a string" },
	{ L, { { SET, "training.seed", "'42'" } }, PG_SCHEMA,
	  "training.seed", "lineage.json: training.seed: not an integer" },
	{ L, { { SET, "training.seed", "4.2" } }, PG_JSON_NUMBER,
	  "training.seed", "lineage.json: training.seed: not an integer in 0..2^53-1" },
	{ L, { { SET, "training.seed", "-1" } }, PG_JSON_NUMBER,
	  "training.seed", "lineage.json: training.seed: not an integer in 0..2^53-1" },
	{ L, { { SET, "training.hardware", "['a']" } }, PG_SCHEMA,
	  "training.hardware", "lineage.json: training.hardware: not a string" },
	{ L, { { SET, "training.container", "{}" } }, PG_SCHEMA,
	  "training.container", "lineage.json: training.container: not a string" },
	{ L, { { SET, "created_by", "7" } }, PG_SCHEMA,
	  "created_by", "lineage.json: created_by: not a string" },

	/* evaluation-card.json */
	{ E, { { DEL, "id", NULL } }, PG_SCHEMA, "id", "evaluation-card.json: id: missing" },
	{ E, { { SET, "id", "1" } }, PG_SCHEMA, "id", "evaluation-card.json: id: not a string" },
	{ E, { { DEL, "created_at", NULL } }, PG_SCHEMA,
	  "created_at", "evaluation-card.json: created_at: missing" },
	{ E, { { SET, "created_at", "'2026-06-20 08:00:00Z'" } }, PG_SCHEMA,
	  "created_at", "evaluation-card.json: created_at: not an RFC 3339 UTC timestamp" },
	{ E, { { SET, "environment", "['a']" } }, PG_SCHEMA,
	  "environment", "evaluation-card.json: environment: not a string or an object" },
	{ E, { { SET, "headline", "'acc'" } }, PG_SCHEMA,
	  "headline", "evaluation-card.json: headline: not an object" },
	{ E, { { DEL, "headline.suite", NULL } }, PG_SCHEMA,
	  "headline.suite", "evaluation-card.json: headline.suite: missing" },
	{ E, { { SET, "headline.metric", "0" } }, PG_SCHEMA,
	  "headline.metric", "evaluation-card.json: headline.metric: not a string" },
	{ E, { { SET, "headline.suite", "'hellaswag'" } }, PG_SCHEMA,
	  "headline.suite", "evaluation-card.json: headline.suite: no suite named \"hellaswag\"" },
	{ E, { { SET, "headline.metric", "'accuracy'" } }, PG_SCHEMA, "headline.metric",
	  "evaluation-card.json: headline.metric: suite \"mmlu\" has no metric named \"accuracy\"" },
	{ E, { { SET, "headline.metric", "'hard'" } }, PG_SCHEMA, "headline.metric",
	  "evaluation-card.json: headline.metric: suite \"mmlu\" has no metric" },
	{ E, { { DEL, "suites", NULL } }, PG_SCHEMA, "suites", "evaluation-card.json: suites: missing" },
	{ E, { { SET, "suites", "{}" } }, PG_SCHEMA, "suites", "evaluation-card.json: suites: not an array" },
	{ E, { { SET, "suites", "[]" } }, PG_SCHEMA, "suites", "evaluation-card.json: suites: empty" },
	{ E, { { SET, "suites[1]", "[]" } }, PG_SCHEMA,
	  "suites[1]", "evaluation-card.json: suites[1]: not an object" },
	{ E, { { DEL, "suites[1].name", NULL } }, PG_SCHEMA,
	  "suites[1].name", "evaluation-card.json: suites[1].name: missing" },
	{ E, { { SET, "suites[1].name", "''" } }, PG_SCHEMA,
	  "suites[1].name", "evaluation-card.json: suites[1].name: empty" },
	{ E, { { DEL, "suites[1].version", NULL } }, PG_SCHEMA,
	  "suites[1].version", "evaluation-card.json: suites[1].version: missing" },
	{ E, { { SET, "suites[1].version", "2" } }, PG_SCHEMA,
	  "suites[1].version", "evaluation-card.json: suites[1].version: not a string" },
	{ E, { { DEL, "suites[1].metrics", NULL } }, PG_SCHEMA,
	  "suites[1].metrics", "evaluation-card.json: suites[1].metrics: missing" },
	{ E, { { SET, "suites[1].metrics", "[]" } }, PG_SCHEMA,
	  "suites[1].metrics", "evaluation-card.json: suites[1].metrics: empty" },
	{ E, { { SET, "suites[1].metrics[1]", "'acc'" } }, PG_SCHEMA,
	  "suites[1].metrics[1]", "evaluation-card.json: suites[1].metrics[1]: not an object" },
	{ E, { { DEL, "suites[1].metrics[1].name", NULL } }, PG_SCHEMA,
	  "suites[1].metrics[1].name", "evaluation-card.json: suites[1].metrics[1].name: missing" },
	{ E, { { DEL, "suites[1].metrics[1].value", NULL } }, PG_SCHEMA,
	  "suites[1].metrics[1].value", "evaluation-card.json: suites[1].metrics[1].value: missing" },
	{ E, { { SET, "suites[1].metrics[1].value", "'0.7'" } }, PG_SCHEMA,
	  "suites[1].metrics[1].value", "evaluation-card.json: suites[1].metrics[1].value: not a number" },
	{ E, { { SET, "suites[0].metrics[0].ci", "0.1" } }, PG_SCHEMA,
	  "suites[0].metrics[0].ci", "evaluation-card.json: suites[0].metrics[0].ci: not an array" },
	{ E, { { SET, "suites[0].metrics[0].ci", "[0.1]" } }, PG_SCHEMA,
	  "suites[0].metrics[0].ci", "evaluation-card.json: suites[0].metrics[0].ci: not [low, high]" },
	{ E, { { SET, "suites[0].metrics[0].ci", "[0.1, 0.2, 0.3]" } }, PG_SCHEMA,
	  "suites[0].metrics[0].ci", "evaluation-card.json: suites[0].metrics[0].ci: not [low, high]" },
	{ E, { { SET, "suites[0].metrics[0].ci", "[]" } }, PG_SCHEMA,
	  "suites[0].metrics[0].ci", "evaluation-card.json: suites[0].metrics[0].ci: not [low, high]" },
	{ E, { { SET, "suites[0].metrics[0].ci", "[0.1, '0.2']" } }, PG_SCHEMA,
	  "suites[0].metrics[0].ci[1]", "evaluation-card.json: suites[0].metrics[0].ci[1]: not a number" },
	{ E, { { SET, "suites[0].metrics[0].ci", "[null, 0.2]" } }, PG_SCHEMA,
	  "suites[0].metrics[0].ci[0]", "evaluation-card.json: suites[0].metrics[0].ci[0]: not a number" },
	{ E, { { SET, "suites[0].metrics[0].ci", "[0.9, 0.2]" } }, PG_SCHEMA,
	  "suites[0].metrics[0].ci", "evaluation-card.json: suites[0].metrics[0].ci: low above high" },
	{ E, { { SET, "suites[0].metrics[0].confidence", "0" } }, PG_SCHEMA,
	  "suites[0].metrics[0].confidence",
	  "evaluation-card.json: suites[0].metrics[0].confidence: not in (0, 1]" },
	{ E, { { SET, "suites[0].metrics[0].confidence", "1.01" } }, PG_SCHEMA,
	  "suites[0].metrics[0].confidence",
	  "evaluation-card.json: suites[0].metrics[0].confidence: not in (0, 1]" },
	{ E, { { SET, "suites[0].metrics[0].confidence", "'high'" } }, PG_SCHEMA,
	  "suites[0].metrics[0].confidence",
	  "evaluation-card.json: suites[0].metrics[0].confidence: not a number" },
	{ E, { { SET, "suites[0].metrics[0].n", "13.5" } }, PG_JSON_NUMBER,
	  "suites[0].metrics[0].n", "evaluation-card.json: suites[0].metrics[0].n: not an integer" },
	{ E, { { SET, "suites[0].metrics[0].n", "'1319'" } }, PG_SCHEMA,
	  "suites[0].metrics[0].n", "evaluation-card.json: suites[0].metrics[0].n: not an integer" },
	{ E, { { SET, "suites[0].metrics[0].higher_is_better", "1" } }, PG_SCHEMA,
	  "suites[0].metrics[0].higher_is_better",
	  "evaluation-card.json: suites[0].metrics[0].higher_is_better: not true or false" },
	{ E, { { SET, "suites[0].slices", "{}" } }, PG_SCHEMA,
	  "suites[0].slices", "evaluation-card.json: suites[0].slices: not an array" },
	{ E, { { DEL, "suites[0].slices[0].name", NULL } }, PG_SCHEMA,
	  "suites[0].slices[0].name", "evaluation-card.json: suites[0].slices[0].name: missing" },
	{ E, { { SET, "suites[0].slices[0].metrics", "[]" } }, PG_SCHEMA,
	  "suites[0].slices[0].metrics", "evaluation-card.json: suites[0].slices[0].metrics: empty" },
	{ E, { { SET, "suites[0].slices[0].metrics[0].value", "true" } }, PG_SCHEMA,
	  "suites[0].slices[0].metrics[0].value",
	  "evaluation-card.json: suites[0].slices[0].metrics[0].value: not a number" },
	{ E, { { SET, "failed_cases", "{}" } }, PG_SCHEMA,
	  "failed_cases", "evaluation-card.json: failed_cases: not an array" },
	{ E, { { DEL, "failed_cases[0].suite", NULL } }, PG_SCHEMA,
	  "failed_cases[0].suite", "evaluation-card.json: failed_cases[0].suite: missing" },
	{ E, { { DEL, "failed_cases[0].case", NULL } }, PG_SCHEMA,
	  "failed_cases[0].case", "evaluation-card.json: failed_cases[0].case: missing" },
	{ E, { { SET, "failed_cases[0].case", "17" } }, PG_SCHEMA,
	  "failed_cases[0].case", "evaluation-card.json: failed_cases[0].case: not a string" },
	{ E, { { SET, "failed_cases[0].reason", "[]" } }, PG_SCHEMA,
	  "failed_cases[0].reason", "evaluation-card.json: failed_cases[0].reason: not a string" },
	{ E, { { SET, "calibration", "[]" } }, PG_SCHEMA,
	  "calibration", "evaluation-card.json: calibration: not an object" },
	{ E, { { DEL, "calibration.bins", NULL } }, PG_SCHEMA,
	  "calibration.bins", "evaluation-card.json: calibration.bins: missing" },
	{ E, { { SET, "calibration.bins[1].confidence", "1.5" } }, PG_SCHEMA,
	  "calibration.bins[1].confidence",
	  "evaluation-card.json: calibration.bins[1].confidence: not in 0..1" },
	{ E, { { SET, "calibration.bins[1].accuracy", "-0.1" } }, PG_SCHEMA,
	  "calibration.bins[1].accuracy",
	  "evaluation-card.json: calibration.bins[1].accuracy: not in 0..1" },
	{ E, { { DEL, "calibration.bins[1].count", NULL } }, PG_SCHEMA,
	  "calibration.bins[1].count", "evaluation-card.json: calibration.bins[1].count: missing" },
	{ E, { { SET, "calibration.bins[1].count", "0.5" } }, PG_JSON_NUMBER,
	  "calibration.bins[1].count", "evaluation-card.json: calibration.bins[1].count: not an integer" },
	{ E, { { SET, "costs", "7" } }, PG_SCHEMA, "costs", "evaluation-card.json: costs: not an object" },
	{ E, { { SET, "costs.latency_ms", "7" } }, PG_SCHEMA,
	  "costs.latency_ms", "evaluation-card.json: costs.latency_ms: not an object" },
	{ E, { { SET, "costs.latency_ms.p50", "-1" } }, PG_SCHEMA,
	  "costs.latency_ms.p50", "evaluation-card.json: costs.latency_ms.p50: negative" },
	{ E, { { SET, "costs.latency_ms.p95", "'fast'" } }, PG_SCHEMA,
	  "costs.latency_ms.p95", "evaluation-card.json: costs.latency_ms.p95: not a number" },
	{ E, { { SET, "costs.latency_ms.p99", "-0.001" } }, PG_SCHEMA,
	  "costs.latency_ms.p99", "evaluation-card.json: costs.latency_ms.p99: negative" },
	{ E, { { SET, "costs.latency_ms.histogram", "{}" } }, PG_SCHEMA,
	  "costs.latency_ms.histogram", "evaluation-card.json: costs.latency_ms.histogram: not an array" },
	{ E, { { DEL, "costs.latency_ms.histogram[1].le", NULL } }, PG_SCHEMA,
	  "costs.latency_ms.histogram[1].le",
	  "evaluation-card.json: costs.latency_ms.histogram[1].le: missing" },
	{ E, { { SET, "costs.latency_ms.histogram[1].count", "-3" } }, PG_JSON_NUMBER,
	  "costs.latency_ms.histogram[1].count",
	  "evaluation-card.json: costs.latency_ms.histogram[1].count: not an integer in 0..2^53-1" },
	{ E, { { SET, "safety", "{}" } }, PG_SCHEMA, "safety", "evaluation-card.json: safety: not an array" },
	{ E, { { DEL, "safety[0].test", NULL } }, PG_SCHEMA,
	  "safety[0].test", "evaluation-card.json: safety[0].test: missing" },
	{ E, { { DEL, "safety[0].passed", NULL } }, PG_SCHEMA,
	  "safety[0].passed", "evaluation-card.json: safety[0].passed: missing" },
	{ E, { { SET, "safety[0].passed", "'yes'" } }, PG_SCHEMA,
	  "safety[0].passed", "evaluation-card.json: safety[0].passed: not true or false" },
	{ E, { { SET, "safety[0].score", "null" } }, PG_SCHEMA,
	  "safety[0].score", "evaluation-card.json: safety[0].score: not a number" },
	{ E, { { SET, "champion", "[]" } }, PG_SCHEMA,
	  "champion", "evaluation-card.json: champion: not an object" },
	{ E, { { DEL, "champion.id", NULL } }, PG_SCHEMA,
	  "champion.id", "evaluation-card.json: champion.id: missing" },
	{ E, { { SET, "champion.id", "'" HC "'" } }, PG_SCHEMA,
	  "champion.id", "evaluation-card.json: champion.id: not a pack id" },
	{ E, { { DEL, "champion.suites", NULL } }, PG_SCHEMA,
	  "champion.suites", "evaluation-card.json: champion.suites: missing" },
	{ E, { { SET, "champion.suites", "[]" } }, PG_SCHEMA,
	  "champion.suites", "evaluation-card.json: champion.suites: empty" },
	{ E, { { DEL, "champion.suites[0].metrics[0].value", NULL } }, PG_SCHEMA,
	  "champion.suites[0].metrics[0].value",
	  "evaluation-card.json: champion.suites[0].metrics[0].value: missing" },
	/* Order: headline form, then suites, then the headline's names. */
	{ E, { { SET, "headline.suite", "'nope'" }, { SET, "suites[1].version", "1" } }, PG_SCHEMA,
	  "suites[1].version", "evaluation-card.json: suites[1].version: " },
	{ E, { { SET, "headline.suite", "1" }, { SET, "suites[1].version", "1" } }, PG_SCHEMA,
	  "headline.suite", "evaluation-card.json: headline.suite: not a string" },
	{ E, { { SET, "headline.suite", "'nope'" }, { SET, "safety[0].test", "1" } }, PG_SCHEMA,
	  "headline.suite", "evaluation-card.json: headline.suite: no suite" },

	/* resource-profile.json */
	{ R, { { SET, "bytes", "'1'" } }, PG_SCHEMA, "bytes", "resource-profile.json: bytes: not an integer" },
	{ R, { { SET, "bytes", "1.5" } }, PG_JSON_NUMBER,
	  "bytes", "resource-profile.json: bytes: not an integer in 0..2^53-1" },
	{ R, { { SET, "peak_ram_bytes", "9007199254740992" } }, PG_JSON_NUMBER,
	  "peak_ram_bytes", "resource-profile.json: peak_ram_bytes: not an integer in 0..2^53-1" },
	{ R, { { SET, "latency_ms", "5" } }, PG_SCHEMA,
	  "latency_ms", "resource-profile.json: latency_ms: not an object" },
	{ R, { { SET, "latency_ms.p50", "'5'" } }, PG_SCHEMA,
	  "latency_ms.p50", "resource-profile.json: latency_ms.p50: not a number" },
	{ R, { { SET, "latency_ms.p95", "-5" } }, PG_SCHEMA,
	  "latency_ms.p95", "resource-profile.json: latency_ms.p95: negative" },
	{ R, { { SET, "throughput_per_s", "'fast'" } }, PG_SCHEMA,
	  "throughput_per_s", "resource-profile.json: throughput_per_s: not a number" },
	{ R, { { SET, "throughput_per_s", "-1" } }, PG_SCHEMA,
	  "throughput_per_s", "resource-profile.json: throughput_per_s: negative" },
	{ R, { { SET, "energy_class", "1" } }, PG_SCHEMA,
	  "energy_class", "resource-profile.json: energy_class: not a string" },
	{ R, { { SET, "hardware", "'gpu'" } }, PG_SCHEMA,
	  "hardware", "resource-profile.json: hardware: not an array" },
	{ R, { { SET, "hardware", "['gpu', 3]" } }, PG_SCHEMA,
	  "hardware[1]", "resource-profile.json: hardware[1]: not a string" },

	/* license-notice.json */
	{ N, { { DEL, "model", NULL } }, PG_SCHEMA, "model", "license-notice.json: model: missing" },
	{ N, { { SET, "model", "'MIT'" } }, PG_SCHEMA, "model", "license-notice.json: model: not an object" },
	{ N, { { DEL, "model.license", NULL } }, PG_SCHEMA,
	  "model.license", "license-notice.json: model.license: missing" },
	{ N, { { SET, "model.license", "''" } }, PG_SCHEMA,
	  "model.license", "license-notice.json: model.license: empty" },
	{ N, { { SET, "model.license", "['MIT']" } }, PG_SCHEMA,
	  "model.license", "license-notice.json: model.license: not a string" },
	{ N, { { SET, "data", "{}" } }, PG_SCHEMA, "data", "license-notice.json: data: not an array" },
	{ N, { { DEL, "data[0].name", NULL } }, PG_SCHEMA,
	  "data[0].name", "license-notice.json: data[0].name: missing" },
	{ N, { { DEL, "data[0].license", NULL } }, PG_SCHEMA,
	  "data[0].license", "license-notice.json: data[0].license: missing" },
	{ N, { { SET, "data[0].obligations", "'attribution'" } }, PG_SCHEMA,
	  "data[0].obligations", "license-notice.json: data[0].obligations: not an array" },
	{ N, { { SET, "data[0].obligations", "['a', {}]" } }, PG_SCHEMA,
	  "data[0].obligations[1]", "license-notice.json: data[0].obligations[1]: not a string" },
	{ N, { { SET, "code[0]", "'trainer'" } }, PG_SCHEMA,
	  "code[0]", "license-notice.json: code[0]: not an object" },
	{ N, { { SET, "code[0].license", "''" } }, PG_SCHEMA,
	  "code[0].license", "license-notice.json: code[0].license: empty" },
	{ N, { { SET, "redistribution", "'maybe'" } }, PG_SCHEMA, "redistribution",
	  "license-notice.json: redistribution: not one of allowed, restricted, forbidden" },
	{ N, { { SET, "redistribution", "true" } }, PG_SCHEMA,
	  "redistribution", "license-notice.json: redistribution: not a string" },
	{ N, { { SET, "obligations", "[1]" } }, PG_SCHEMA,
	  "obligations[0]", "license-notice.json: obligations[0]: not a string" },
	{ N, { { SET, "notice", "['x']" } }, PG_SCHEMA,
	  "notice", "license-notice.json: notice: not a string" },

	/* rollback.json */
	{ B, { { DEL, "compatible_prior", NULL } }, PG_SCHEMA,
	  "compatible_prior", "rollback.json: compatible_prior: missing" },
	{ B, { { SET, "compatible_prior", PID(HC) } }, PG_SCHEMA,
	  "compatible_prior", "rollback.json: compatible_prior: not an array" },
	{ B, { { SET, "compatible_prior[1]", "'sha256:" X64("D") "'" } }, PG_SCHEMA,
	  "compatible_prior[1]", "rollback.json: compatible_prior[1]: not a pack id" },
	{ B, { { SET, "compatible_prior[0]", "5" } }, PG_SCHEMA,
	  "compatible_prior[0]", "rollback.json: compatible_prior[0]: not a string" },
	{ B, { { SET, "migration", "{}" } }, PG_SCHEMA,
	  "migration", "rollback.json: migration: not a string" },
};

#undef C
#undef P
#undef L
#undef E
#undef R
#undef N
#undef B

START_TEST(test_doc_cases)
{
	const struct dcase *tc = &doc_cases[_i];
	cJSON *m = parse_q(base_manifest);
	cJSON *d = parse_q(base_for(tc->role));
	pg_error e;
	pg_code rc;

	for (int k = 0; k < 3 && tc->m[k].op != END; k++)
		mutate(d, &tc->m[k]);
	pg_error_clear(&e);
	rc = pg_schema_member(tc->role, d, m, &e);
	assert_error(rc, &e, tc->code, tc->path, tc->msg, _i);
	cJSON_Delete(d);
	cJSON_Delete(m);
}
END_TEST

/* Lineage against a merge manifest: same ids, same order. */
static const struct {
	const char *parents;
	pg_code code;
	const char *path;
	const char *msg;
} lineage_order_cases[] = {
	{ "[{'id': " PID(HB) "}, {'id': " PID(HC) "}]", PG_OK, "", NULL },
	{ "[{'id': " PID(HC) "}, {'id': " PID(HB) "}]", PG_SCHEMA, "parents[0].id",
	  "lineage.json: parents[0].id: not in the manifest's order (expected \"sha256:" HB "\")" },
	{ "[{'id': " PID(HB) "}]", PG_SCHEMA, "parents",
	  "lineage.json: parents: lists 1 parent, the manifest 2" },
	{ "[{'id': " PID(HB) "}, {'id': " PID(HB) "}]", PG_SCHEMA, "parents[1].id",
	  "lineage.json: parents[1].id: not in the manifest's order" },
	{ "[{'id': " PID(HB) "}, {'id': " PID(HC) "}, {'id': " PID(HC) "}]", PG_SCHEMA,
	  "parents[2].id", "lineage.json: parents[2].id: a parent listed twice" },
	{ "[{'id': " PID(HB) "}, {'id': " PID(HA) "}]", PG_SCHEMA,
	  "parents[1].id", "lineage.json: parents[1].id: not a parent of the manifest" },
};

START_TEST(test_lineage_order)
{
	cJSON *m = parse_q(base_manifest);
	cJSON *d = parse_q(base_lineage);
	struct mut mm[] = {
		{ SET, "parents", "['sha256:" HB "', 'sha256:" HC "']" },
		{ SET, "operator", "'merge'" },
	};
	struct mut dm[] = {
		{ SET, "parents", lineage_order_cases[_i].parents },
		{ SET, "operator", "'merge'" },
	};
	pg_error e;

	for (int k = 0; k < 2; k++) {
		mutate(m, &mm[k]);
		mutate(d, &dm[k]);
	}
	pg_error_clear(&e);
	ck_assert_int_eq(pg_schema_manifest(m, NULL, &e), PG_OK);
	assert_error(pg_schema_member(PG_ROLE_LINEAGE, d, m, &e), &e,
		     lineage_order_cases[_i].code, lineage_order_cases[_i].path,
		     lineage_order_cases[_i].msg, _i);
	cJSON_Delete(d);
	cJSON_Delete(m);
}
END_TEST

START_TEST(test_doc_root_and_roles)
{
	cJSON *arr = parse_q("[{}]");
	cJSON *lin = parse_q(base_lineage);
	cJSON *con = parse_q(base_contract);
	pg_error e;

	for (int r = 0; r < PG_ROLE_COUNT_; r++) {
		char want[128];

		if (!pg_role_is_document((pg_role)r))
			continue;
		snprintf(want, sizeof want, "%s: not an object", pg_role_document_name((pg_role)r));
		pg_error_clear(&e);
		assert_error(pg_schema_member((pg_role)r, arr, NULL, &e), &e, PG_SCHEMA, "", want, r);
	}
	/* A role without a document schema is refused. */
	pg_error_clear(&e);
	ck_assert_int_eq(pg_schema_member(PG_ROLE_WEIGHTS, con, NULL, &e), PG_SCHEMA);
	ck_assert_str_eq(e.path, "");
	/* Without a manifest the cross-checks are skipped. */
	cJSON_ReplaceItemInObjectCaseSensitive(con, "input_contract", cJSON_CreateString("other/v9"));
	cJSON_ReplaceItemInObjectCaseSensitive(lin, "operator", cJSON_CreateString("prune"));
	ck_assert_int_eq(pg_schema_member(PG_ROLE_CONTRACT, con, NULL, &e), PG_OK);
	ck_assert_int_eq(pg_schema_member(PG_ROLE_LINEAGE, lin, NULL, &e), PG_OK);
	cJSON_Delete(arr);
	cJSON_Delete(lin);
	cJSON_Delete(con);
}
END_TEST

/* ------------------------------------------------------ permission set */

static const struct {
	const char *json; /* NULL: no value */
	pg_code code;
	const char *path;
	const char *msg;
} perm_cases[] = {
	{ "{}", PG_OK, "", NULL },
	{ "{'tools': [], 'files': ['/data'], 'network': ['x'], 'data_classes': ['pii'], 'y': 1}",
	  PG_OK, "", NULL },
	{ NULL, PG_SCHEMA, "environment_permissions", "environment_permissions: missing" },
	{ "[]", PG_SCHEMA, "environment_permissions", "environment_permissions: not an object" },
	{ "{'tools': 'x'}", PG_SCHEMA,
	  "environment_permissions.tools", "environment_permissions.tools: not an array" },
	{ "{'tools': ['a'], 'files': [1]}", PG_SCHEMA,
	  "environment_permissions.files[0]", "environment_permissions.files[0]: not a string" },
	{ "{'data_classes': ['a'], 'network': {}}", PG_SCHEMA,
	  "environment_permissions.network", "environment_permissions.network: not an array" },
	{ "{'data_classes': ['a', 'b', 3]}", PG_SCHEMA, "environment_permissions.data_classes[2]",
	  "environment_permissions.data_classes[2]: not a string" },
};

START_TEST(test_permission_set)
{
	cJSON *v = perm_cases[_i].json ? parse_q(perm_cases[_i].json) : NULL;
	pg_error e;

	pg_error_clear(&e);
	assert_error(pg_schema_permission_set(v, "environment_permissions", &e), &e,
		     perm_cases[_i].code, perm_cases[_i].path, perm_cases[_i].msg, _i);
	cJSON_Delete(v);
}
END_TEST

/* ------------------------------------------------------------- helpers */

START_TEST(test_roles)
{
	static const char *const names[PG_ROLE_COUNT_] = {
		"weights", "tokenizer", "contract", "lineage", "evaluation-card",
		"resource-profile", "permissions", "license-notice", "rollback",
		"doc", "config", "other"
	};
	static const int docs[PG_ROLE_COUNT_] = { 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0 };
	static const int required[PG_ROLE_COUNT_] = { 1, 0, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0 };
	static const int multiple[PG_ROLE_COUNT_] = { 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1 };

	for (int r = 0; r < PG_ROLE_COUNT_; r++) {
		char doc[64];

		ck_assert_str_eq(pg_role_name((pg_role)r), names[r]);
		ck_assert_int_eq(pg_role_parse(names[r]), r);
		ck_assert_int_eq(!!pg_role_is_document((pg_role)r), docs[r]);
		ck_assert_int_eq(!!pg_role_required((pg_role)r), required[r]);
		ck_assert_int_eq(!!pg_role_multiple((pg_role)r), multiple[r]);
		if (docs[r]) {
			snprintf(doc, sizeof doc, "%s.json", names[r]);
			ck_assert_str_eq(pg_role_document_name((pg_role)r), doc);
			/* The document name infers its own role. */
			ck_assert_int_eq(pg_role_infer(doc), r);
		} else {
			ck_assert_ptr_null(pg_role_document_name((pg_role)r));
		}
	}
	ck_assert_int_eq(pg_role_parse("Weights"), -1);
	ck_assert_int_eq(pg_role_parse(""), -1);
	ck_assert_int_eq(pg_role_parse(NULL), -1);
	ck_assert_ptr_null(pg_role_name(PG_ROLE_COUNT_));
	ck_assert_ptr_null(pg_role_document_name(PG_ROLE_COUNT_));
}
END_TEST

static const struct {
	const char *path;
	pg_role role;
} infer_cases[] = {
	{ "contract.json", PG_ROLE_CONTRACT },
	{ "rollback.json", PG_ROLE_ROLLBACK },
	{ "sub/contract.json", PG_ROLE_OTHER },       /* documents only at top level */
	{ "Contract.json", PG_ROLE_OTHER },
	{ "contract.JSON", PG_ROLE_OTHER },
	{ "manifest.json", PG_ROLE_OTHER },
	{ "config.json", PG_ROLE_OTHER },
	{ "tokenizer.json", PG_ROLE_TOKENIZER },
	{ "tok/tokenizer.model", PG_ROLE_TOKENIZER },
	{ "tokenizer.bin", PG_ROLE_TOKENIZER },       /* first rule wins */
	{ "Tokenizer.json", PG_ROLE_OTHER },          /* prefixes case-sensitive */
	{ "tokenizer", PG_ROLE_OTHER },
	{ "model.safetensors", PG_ROLE_WEIGHTS },
	{ "w/part-00001.SafeTensors", PG_ROLE_WEIGHTS },  /* extensions not */
	{ "x.gguf", PG_ROLE_WEIGHTS },
	{ "x.onnx", PG_ROLE_WEIGHTS },
	{ "x.tflite", PG_ROLE_WEIGHTS },
	{ "x.bin", PG_ROLE_WEIGHTS },
	{ "X.BIN", PG_ROLE_WEIGHTS },
	{ ".bin", PG_ROLE_WEIGHTS },
	{ "x.bin.txt", PG_ROLE_OTHER },
	{ "xbin", PG_ROLE_OTHER },
	{ "model.json", PG_ROLE_WEIGHTS },
	{ "sub/model.md", PG_ROLE_WEIGHTS },
	{ "model", PG_ROLE_OTHER },
	{ "Model.txt", PG_ROLE_OTHER },
	{ "README.md", PG_ROLE_DOC },
	{ "README", PG_ROLE_DOC },
	{ "docs/README.txt", PG_ROLE_DOC },
	{ "readme.txt", PG_ROLE_OTHER },
	{ "LICENSE", PG_ROLE_DOC },
	{ "LICENSE-APACHE", PG_ROLE_DOC },
	{ "license.txt", PG_ROLE_OTHER },
	{ "notes.MD", PG_ROLE_DOC },
	{ "docs/guide.md", PG_ROLE_DOC },
	{ "data.txt", PG_ROLE_OTHER },
	{ "signatures/x.asc", PG_ROLE_OTHER },
	{ "", PG_ROLE_OTHER },
};

START_TEST(test_role_infer)
{
	ck_assert_msg(pg_role_infer(infer_cases[_i].path) == infer_cases[_i].role,
		      "\"%s\" inferred %s, want %s", infer_cases[_i].path,
		      pg_role_name(pg_role_infer(infer_cases[_i].path)),
		      pg_role_name(infer_cases[_i].role));
}
END_TEST

START_TEST(test_states_tiers)
{
	static const char *const states[] = {
		"candidate", "evaluated", "approved", "shadow", "canary", "champion",
		"archived", "quarantined", "retired"
	};

	ck_assert_int_eq(PG_STATE_COUNT_, 9);
	for (int s = 0; s < PG_STATE_COUNT_; s++) {
		ck_assert_str_eq(pg_state_name((pg_state)s), states[s]);
		ck_assert_int_eq(pg_state_parse(states[s]), s);
	}
	ck_assert_ptr_null(pg_state_name(PG_STATE_COUNT_));
	ck_assert_int_eq(pg_state_parse("Champion"), -1);
	ck_assert_int_eq(pg_state_parse(""), -1);
	ck_assert_int_eq(pg_state_parse(NULL), -1);

	ck_assert_int_eq(pg_safety_tier_parse("low"), 0);
	ck_assert_int_eq(pg_safety_tier_parse("medium"), 1);
	ck_assert_int_eq(pg_safety_tier_parse("high"), 2);
	ck_assert_int_eq(pg_safety_tier_parse("critical"), 3);
	ck_assert_int_eq(pg_safety_tier_parse("High"), -1);
	ck_assert_int_eq(pg_safety_tier_parse("none"), -1);
	ck_assert_int_eq(pg_safety_tier_parse(NULL), -1);
}
END_TEST

static const struct {
	const char *name;
	int valid;
} name_cases[] = {
	{ "skill.math.reasoner", 1 },
	{ "a", 1 },
	{ "0", 1 },
	{ "a-b_c.d", 1 },
	{ "sha2560", 1 },
	{ "sha256x", 1 },
	{ "a1.b2-c3_d4", 1 },
	{ X64("ab"), 1 },              /* 128 bytes */
	{ TOO_LONG_NAME, 0 },          /* 129 */
	{ "sha256", 0 },
	{ "", 0 },
	{ "A", 0 },
	{ "skill.Math", 0 },
	{ ".a", 0 },
	{ "a.", 0 },
	{ "a..b", 0 },
	{ "a._b", 0 },
	{ "a--b", 0 },
	{ "-a", 0 },
	{ "a b", 0 },
	{ "a/b", 0 },
	{ "a:b", 0 },
	{ "a@1", 0 },
	{ "caf\xc3\xa9", 0 },
};

START_TEST(test_name_valid)
{
	ck_assert_msg(!!pg_name_valid(name_cases[_i].name) == name_cases[_i].valid,
		      "\"%s\" should be %s", name_cases[_i].name,
		      name_cases[_i].valid ? "valid" : "invalid");
}
END_TEST

START_TEST(test_name_null)
{
	ck_assert_int_eq(pg_name_valid(NULL), 0);
}
END_TEST

static const struct {
	const char *op;
	size_t nparents;
	pg_code code;
	const char *msg;
} op_cases[] = {
	{ "import", 0, PG_OK, NULL },
	{ "import+quantize+prune", 0, PG_OK, NULL },
	{ "fine-tune", 1, PG_OK, NULL },
	{ "distill", 3, PG_OK, NULL },
	{ "merge", 2, PG_OK, NULL },
	{ "merge+quantize", 5, PG_OK, NULL },
	{ "fine-tune+merge", 2, PG_OK, NULL },
	{ "adapter-train", 1, PG_OK, NULL },
	{ "adapter-fusion+quantize", 1, PG_OK, NULL },
	{ "quantize+quantize", 1, PG_OK, NULL },
	{ "prune", 1, PG_OK, NULL },
	{ "import", 1, PG_SCHEMA, "import takes no parents (1 given)" },
	{ "import+merge", 0, PG_SCHEMA, "merge needs two or more parents (0 given)" },
	{ "import+merge", 2, PG_SCHEMA, "import takes no parents (2 given)" },
	{ "merge", 1, PG_SCHEMA, "merge needs two or more parents (1 given)" },
	{ "merge", 0, PG_SCHEMA, "merge needs two or more parents (0 given)" },
	{ "distill", 0, PG_SCHEMA, "needs at least one parent" },
	{ "quantize+import", 0, PG_SCHEMA, "import can only be the first step" },
	{ "fine-tune+import", 1, PG_SCHEMA, "import can only be the first step" },
	{ "", 1, PG_SCHEMA, "empty step in \"\"" },
	{ "+", 1, PG_SCHEMA, "empty step in \"+\"" },
	{ "distill+", 1, PG_SCHEMA, "empty step in \"distill+\"" },
	{ "distill++quantize", 1, PG_SCHEMA, "empty step in" },
	{ "finetune", 1, PG_SCHEMA, "unknown step \"finetune\"" },
	{ "distill+Quantize", 1, PG_SCHEMA, "unknown step \"Quantize\"" },
	{ "distill quantize", 1, PG_SCHEMA, "unknown step \"distill quantize\"" },
	{ "merge2", 2, PG_SCHEMA, "unknown step \"merge2\"" },
	{ "importx", 0, PG_SCHEMA, "unknown step \"importx\"" },
	{ NULL, 1, PG_SCHEMA, "not a string" },
};

START_TEST(test_operator_check)
{
	pg_error e;
	pg_code rc;

	pg_error_clear(&e);
	rc = pg_operator_check(op_cases[_i].op, op_cases[_i].nparents, &e);
	ck_assert_msg(rc == op_cases[_i].code, "\"%s\"/%zu: got %s (%s)",
		      op_cases[_i].op ? op_cases[_i].op : "NULL", op_cases[_i].nparents,
		      pg_code_name(rc), e.message);
	if (rc != PG_OK) {
		ck_assert_int_eq(e.code, rc);
		ck_assert_str_eq(e.path, "");
		ck_assert_msg(strncmp(e.message, op_cases[_i].msg, strlen(op_cases[_i].msg)) == 0,
			      "message \"%s\" does not start with \"%s\"", e.message,
			      op_cases[_i].msg);
	}
}
END_TEST

/* Hostile text in a message is escaped for display. */
START_TEST(test_message_escaped)
{
	cJSON *m = parse_q(base_manifest);
	pg_error e;

	cJSON_ReplaceItemInObjectCaseSensitive(m, "operator", cJSON_CreateString("x\x1b[31m"));
	pg_error_clear(&e);
	ck_assert_int_eq(pg_schema_manifest(m, NULL, &e), PG_SCHEMA);
	ck_assert_str_eq(e.message, "operator: unknown step \"x^[[31m\"");
	ck_assert_str_eq(e.path, "operator");
	cJSON_Delete(m);
}
END_TEST

#define NCASES(a) (int)(sizeof a / sizeof a[0])

int main(void)
{
	Suite *s = suite_create("schema");
	TCase *tm = tcase_create("manifest");
	TCase *td = tcase_create("documents");
	TCase *th = tcase_create("helpers");

	tcase_add_test(tm, test_manifest_base_and_states);
	tcase_add_loop_test(tm, test_manifest_cases, 0, NCASES(manifest_cases));
	tcase_add_test(tm, test_manifest_root);
	tcase_add_test(tm, test_manifest_limits);
	tcase_add_test(tm, test_manifest_many_files);
	tcase_add_test(tm, test_message_escaped);
	tcase_set_timeout(tm, 60);
	suite_add_tcase(s, tm);

	tcase_add_loop_test(td, test_doc_cases, 0, NCASES(doc_cases));
	tcase_add_loop_test(td, test_lineage_order, 0, NCASES(lineage_order_cases));
	tcase_add_test(td, test_doc_root_and_roles);
	tcase_add_loop_test(td, test_permission_set, 0, NCASES(perm_cases));
	suite_add_tcase(s, td);

	tcase_add_test(th, test_roles);
	tcase_add_loop_test(th, test_role_infer, 0, NCASES(infer_cases));
	tcase_add_test(th, test_states_tiers);
	tcase_add_loop_test(th, test_name_valid, 0, NCASES(name_cases));
	tcase_add_test(th, test_name_null);
	tcase_add_loop_test(th, test_operator_check, 0, NCASES(op_cases));
	suite_add_tcase(s, th);

	return pg_check_run(s);
}
