/* check_policy.c — the policy file (CONTRACT section 5): schema with exact
 * codes, paths and messages; digest; accessors; the pack checks with exact
 * messages; the evaluation-age boundary; permissions and the granted set. */
#include "pg.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "canon.h"
#include "checkrun.h"
#include "digest.h"
#include "json.h"
#include "policy.h"
#include "rfc3339.h"

#define FA "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1"
#define FB "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB2"
#define FC "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC3"
#define FD "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD4"
#define FP "0123456789abcdef0123456789abcdef01234567"

static const char base_policy[] =
	"{\n"
	"  \"policy_version\": 1,\n"
	"  \"name\": \"team-ml\",\n"
	"  \"allowed_inputs\": [\"text-question/v1\", \"image/v1\"],\n"
	"  \"allowed_outputs\": [\"worked-answer/v1\"],\n"
	"  \"supported_backends\": [\"onnxruntime\", \"llama.cpp\"],\n"
	"  \"memory_ceiling_bytes\": 536870912,\n"
	"  \"max_risk_tier\": \"medium\",\n"
	"  \"evaluation\": {\"max_age_days\": 90, \"required_suites\": [\"math-v4\", \"safety-v2\"]},\n"
	"  \"environment_permissions\": {\"tools\": [\"calculator\", \"search\"],"
	" \"files\": [\"/data/ro\"], \"network\": [], \"data_classes\": [\"public\", \"internal\"]},\n"
	"  \"file_types\": [\".onnx\", \".json\", \".md\", \".asc\"],\n"
	"  \"limits\": {\"entries\": 500, \"json_depth\": 32},\n"
	"  \"publishers\": [\"" FP "\"],\n"
	"  \"people\": [\n"
	"    {\"fingerprint\": \"" FA "\", \"name\": \"Alice\", \"roles\": [\"reviewer\"]},\n"
	"    {\"fingerprint\": \"" FB "\", \"name\": \"Bob\", \"roles\": [\"reviewer\", \"auditor\"],"
	" \"public_key\": \"-----BEGIN PGP PUBLIC KEY BLOCK-----\\n\\nxx\\n-----END PGP PUBLIC KEY BLOCK-----\\n\"},\n"
	"    {\"fingerprint\": \"" FC "\", \"name\": \"Carol\", \"roles\": [\"release-manager\"]},\n"
	"    {\"fingerprint\": \"" FD "\", \"name\": \"Dave\", \"roles\": [\"reviewer\"]}\n"
	"  ],\n"
	"  \"transitions\": [\n"
	"    {\"from\": \"candidate\", \"to\": \"evaluated\", \"roles\": [\"reviewer\"]},\n"
	"    {\"from\": \"evaluated\", \"to\": \"approved\", \"roles\": [\"reviewer\"], \"approvals\": 2},\n"
	"    {\"from\": \"approved\", \"to\": \"canary\", \"roles\": [\"release-manager\"],"
	" \"requires\": [\"publisher_signature\"]},\n"
	"    {\"from\": \"canary\", \"to\": \"champion\", \"roles\": [\"release-manager\"],"
	" \"approvals\": 1, \"requires\": [\"rollback\"]},\n"
	"    {\"from\": \"*\", \"to\": \"quarantined\", \"roles\": [\"reviewer\", \"release-manager\"]},\n"
	"    {\"from\": \"champion\", \"to\": \"quarantined\", \"roles\": [\"release-manager\"]},\n"
	"    {\"from\": \"*\", \"to\": \"retired\", \"roles\": [\"release-manager\"]}\n"
	"  ]\n"
	"}\n";

/* ------------------------------------------------------------ helpers */

/* Sets the value at path ("a.b[2].c") of root to the JSON text value, or
 * deletes it when value is NULL.  An index equal to the array's size
 * appends. */
static void mutate(cJSON *root, const char *path, const char *value)
{
	cJSON *parent = NULL, *cur = root, *v = NULL;
	char key[128] = "";
	long index = -1;
	const char *p = path;

	while (*p) {
		char name[128];
		size_t n = 0;

		if (*p == '.')
			p++;
		if (*p == '[') {
			char *end;

			index = strtol(p + 1, &end, 10);
			ck_assert_msg(*end == ']', "bad path %s", path);
			p = end + 1;
			key[0] = '\0';
		} else {
			while (*p && *p != '.' && *p != '[')
				name[n++] = *p++;
			name[n] = '\0';
			strcpy(key, name);
			index = -1;
		}
		parent = cur;
		cur = key[0] ? cJSON_GetObjectItemCaseSensitive(parent, key)
			     : cJSON_GetArrayItem(parent, (int)index);
		if (*p)
			ck_assert_msg(cur != NULL, "path %s not found", path);
	}
	ck_assert_ptr_nonnull(parent);
	if (value) {
		v = cJSON_Parse(value);
		ck_assert_msg(v != NULL, "bad value %s", value);
	}
	if (key[0]) {
		if (!v)
			cJSON_DeleteItemFromObjectCaseSensitive(parent, key);
		else if (cur)
			cJSON_ReplaceItemInObjectCaseSensitive(parent, key, v);
		else
			cJSON_AddItemToObject(parent, key, v);
	} else {
		if (!v)
			cJSON_DeleteItemFromArray(parent, (int)index);
		else if (index == cJSON_GetArraySize(parent))
			cJSON_AddItemToArray(parent, v);
		else
			cJSON_ReplaceItemInArray(parent, (int)index, v);
	}
}

/* The base policy with one mutation, serialised (caller frees). */
static char *mutated(const char *base, const char *path, const char *value)
{
	cJSON *root = cJSON_Parse(base);
	char *out;

	ck_assert_ptr_nonnull(root);
	if (path)
		mutate(root, path, value);
	/* pg_canon, not cJSON_Print: cJSON prints 2^53-1 as 9007199254740990. */
	ck_assert_int_eq(pg_canon(root, &out, NULL, NULL), PG_OK);
	cJSON_Delete(root);
	return out;
}

static pg_policy *parse_ok(const char *text)
{
	pg_policy *p = NULL;
	pg_error err;

	pg_error_clear(&err);
	ck_assert_msg(pg_policy_parse(text, strlen(text), &p, &err) == PG_OK,
		      "%s: %s", pg_code_name(err.code), err.message);
	ck_assert_ptr_nonnull(p);
	return p;
}

/* ------------------------------------------------------------ schema */

static const struct {
	const char *path;   /* mutation of the base policy; NULL: raw text */
	const char *value;  /* JSON text, NULL deletes; raw text when path NULL */
	pg_code code;
	const char *errpath;
	const char *message;
} schema_cases[] = {
	{ NULL, "[]", PG_SCHEMA, "", "policy: not a JSON object" },
	{ NULL, "\"policy\"", PG_SCHEMA, "", "policy: not a JSON object" },
	{ "policy_version", NULL, PG_SCHEMA, "policy_version", "policy_version: missing" },
	{ "policy_version", "\"1\"", PG_SCHEMA, "policy_version", "policy_version: not an integer" },
	{ "policy_version", "1.5", PG_JSON_NUMBER, "policy_version",
	  "policy_version: not an integer in 0..2^53-1" },
	{ "policy_version", "2", PG_VERSION_UNSUPPORTED, "policy_version",
	  "policy_version: version 2 is not supported (only 1)" },
	{ "policy_version", "0", PG_VERSION_UNSUPPORTED, "policy_version",
	  "policy_version: version 0 is not supported (only 1)" },
	/* The version is checked before anything else, unknown members too. */
	{ "publisher", "[]", PG_SCHEMA, "publisher", "publisher: unknown member" },
	{ "name", "\"\"", PG_SCHEMA, "name", "name: empty" },
	{ "name", "7", PG_SCHEMA, "name", "name: not a string" },
	{ "allowed_inputs", NULL, PG_SCHEMA, "allowed_inputs", "allowed_inputs: missing" },
	{ "allowed_inputs", "\"text\"", PG_SCHEMA, "allowed_inputs", "allowed_inputs: not an array" },
	{ "allowed_inputs[1]", "3", PG_SCHEMA, "allowed_inputs[1]", "allowed_inputs[1]: not a string" },
	{ "allowed_inputs[2]", "\"text-question/v1\"", PG_SCHEMA, "allowed_inputs[2]",
	  "allowed_inputs[2]: same value as allowed_inputs[0]" },
	{ "allowed_outputs", NULL, PG_SCHEMA, "allowed_outputs", "allowed_outputs: missing" },
	{ "supported_backends", "{}", PG_SCHEMA, "supported_backends",
	  "supported_backends: not an array" },
	{ "memory_ceiling_bytes", NULL, PG_SCHEMA, "memory_ceiling_bytes",
	  "memory_ceiling_bytes: missing" },
	{ "memory_ceiling_bytes", "\"512M\"", PG_SCHEMA, "memory_ceiling_bytes",
	  "memory_ceiling_bytes: not an integer" },
	{ "memory_ceiling_bytes", "-1", PG_JSON_NUMBER, "memory_ceiling_bytes",
	  "memory_ceiling_bytes: not an integer in 0..2^53-1" },
	{ "memory_ceiling_bytes", "9007199254740992", PG_JSON_NUMBER, "memory_ceiling_bytes",
	  "memory_ceiling_bytes: not an integer in 0..2^53-1" },
	{ "max_risk_tier", "\"extreme\"", PG_SCHEMA, "max_risk_tier",
	  "max_risk_tier: unknown tier \"extreme\" (low, medium, high or critical)" },
	{ "max_risk_tier", "\"Medium\"", PG_SCHEMA, "max_risk_tier",
	  "max_risk_tier: unknown tier \"Medium\" (low, medium, high or critical)" },
	{ "evaluation", NULL, PG_SCHEMA, "evaluation", "evaluation: missing" },
	{ "evaluation", "[]", PG_SCHEMA, "evaluation", "evaluation: not an object" },
	{ "evaluation.max_age_days", NULL, PG_SCHEMA, "evaluation.max_age_days",
	  "evaluation.max_age_days: missing" },
	{ "evaluation.max_age_days", "90.5", PG_JSON_NUMBER, "evaluation.max_age_days",
	  "evaluation.max_age_days: not an integer in 0..2^53-1" },
	{ "evaluation.suites", "[]", PG_SCHEMA, "evaluation.suites",
	  "evaluation.suites: unknown member" },
	{ "evaluation.required_suites[0]", "1", PG_SCHEMA, "evaluation.required_suites[0]",
	  "evaluation.required_suites[0]: not a string" },
	{ "evaluation.required_suites[2]", "\"math-v4\"", PG_SCHEMA,
	  "evaluation.required_suites[2]",
	  "evaluation.required_suites[2]: same value as evaluation.required_suites[0]" },
	{ "environment_permissions", NULL, PG_SCHEMA, "environment_permissions",
	  "environment_permissions: missing" },
	{ "environment_permissions.shell", "[]", PG_SCHEMA, "environment_permissions.shell",
	  "environment_permissions.shell: unknown member" },
	{ "environment_permissions.tools[1]", "false", PG_SCHEMA,
	  "environment_permissions.tools[1]",
	  "environment_permissions.tools[1]: not a string" },
	{ "file_types", "[]", PG_SCHEMA, "file_types", "file_types: empty" },
	{ "file_types[1]", "\".JSON\"", PG_SCHEMA, "file_types[1]", "file_types[1]: not lowercase" },
	{ "file_types[0]", "\"onnx\"", PG_SCHEMA, "file_types[0]",
	  "file_types[0]: not an extension such as \".onnx\"" },
	{ "file_types[0]", "\".\"", PG_SCHEMA, "file_types[0]",
	  "file_types[0]: not an extension such as \".onnx\"" },
	{ "file_types[0]", "\".tar.gz\"", PG_SCHEMA, "file_types[0]",
	  "file_types[0]: an extension is a dot and then a-z, 0-9, '_', '+' or '-'" },
	{ "file_types[4]", "\".md\"", PG_SCHEMA, "file_types[4]",
	  "file_types[4]: same value as file_types[2]" },
	{ "limits", "[]", PG_SCHEMA, "limits", "limits: not an object" },
	{ "limits.entries", "0", PG_SCHEMA, "limits.entries", "limits.entries: must be at least 1" },
	{ "limits.entries", "1.5", PG_JSON_NUMBER, "limits.entries",
	  "limits.entries: not an integer in 0..2^53-1" },
	{ "limits.json_bytes", "\"16M\"", PG_SCHEMA, "limits.json_bytes",
	  "limits.json_bytes: not an integer" },
	{ "limits.max_bytes", "5", PG_SCHEMA, "limits.max_bytes", "limits.max_bytes: unknown member" },
	{ "publishers", "[]", PG_SCHEMA, "publishers", "publishers: empty" },
	{ "publishers[0]", "\"0123\"", PG_SCHEMA, "publishers[0]",
	  "publishers[0]: not a fingerprint (40 hex digits)" },
	{ "publishers[0]", "\"0123456789abcdef0123456789abcdef0123456g\"", PG_SCHEMA,
	  "publishers[0]", "publishers[0]: not a fingerprint (40 hex digits)" },
	{ "publishers[1]", "\"0123456789ABCDEF0123456789ABCDEF01234567\"", PG_SCHEMA,
	  "publishers[1]", "publishers[1]: same value as publishers[0]" },
	{ "people", NULL, PG_SCHEMA, "people", "people: missing" },
	{ "people", "[]", PG_SCHEMA, "transitions[1].approvals",
	  "transitions[1].approvals: 2 approvals needed but the policy has 0 reviewers" },
	{ "people[2]", "\"Carol\"", PG_SCHEMA, "people[2]", "people[2]: not an object" },
	{ "people[0].fingerprint", NULL, PG_SCHEMA, "people[0].fingerprint",
	  "people[0].fingerprint: missing" },
	{ "people[0].fingerprint", "\"" FA "0\"", PG_SCHEMA, "people[0].fingerprint",
	  "people[0].fingerprint: not a fingerprint (40 hex digits)" },
	{ "people[3].fingerprint", "\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2\"", PG_SCHEMA,
	  "people[3].fingerprint", "people[3].fingerprint: same fingerprint as people[1]" },
	{ "people[1].name", NULL, PG_SCHEMA, "people[1].name", "people[1].name: missing" },
	{ "people[1].name", "\"\"", PG_SCHEMA, "people[1].name", "people[1].name: empty" },
	{ "people[1].roles", NULL, PG_SCHEMA, "people[1].roles", "people[1].roles: missing" },
	{ "people[1].roles[1]", "\"admin\"", PG_SCHEMA, "people[1].roles[1]",
	  "people[1].roles[1]: unknown role \"admin\" (reviewer, release-manager or auditor)" },
	{ "people[1].roles[2]", "\"reviewer\"", PG_SCHEMA, "people[1].roles[2]",
	  "people[1].roles[2]: same value as people[1].roles[0]" },
	{ "people[0].public_key", "\"ssh-ed25519 AAAA\"", PG_SCHEMA, "people[0].public_key",
	  "people[0].public_key: not an armored OpenPGP public key (no \"-----BEGIN PGP PUBLIC KEY BLOCK-----\" line)" },
	{ "people[0].email", "\"a@example.org\"", PG_SCHEMA, "people[0].email",
	  "people[0].email: unknown member" },
	{ "transitions", NULL, PG_SCHEMA, "transitions", "transitions: missing" },
	{ "transitions[2].from", "\"canary2\"", PG_SCHEMA, "transitions[2].from",
	  "transitions[2].from: unknown state \"canary2\"" },
	{ "transitions[2].from", NULL, PG_SCHEMA, "transitions[2].from",
	  "transitions[2].from: missing" },
	{ "transitions[0].to", "\"*\"", PG_SCHEMA, "transitions[0].to",
	  "transitions[0].to: \"*\" is only allowed in from" },
	{ "transitions[0].to", "\"Evaluated\"", PG_SCHEMA, "transitions[0].to",
	  "transitions[0].to: unknown state \"Evaluated\"" },
	{ "transitions[0].to", "\"candidate\"", PG_SCHEMA, "transitions[0].to",
	  "transitions[0].to: the same state as from" },
	{ "transitions[0].roles", "[]", PG_SCHEMA, "transitions[0].roles",
	  "transitions[0].roles: empty" },
	{ "transitions[0].roles", NULL, PG_SCHEMA, "transitions[0].roles",
	  "transitions[0].roles: missing" },
	{ "transitions[0].roles[0]", "\"owner\"", PG_SCHEMA, "transitions[0].roles[0]",
	  "transitions[0].roles[0]: unknown role \"owner\" (reviewer, release-manager or auditor)" },
	{ "transitions[1].approvals", "4", PG_SCHEMA, "transitions[1].approvals",
	  "transitions[1].approvals: 4 approvals needed but the policy has 3 reviewers" },
	{ "transitions[1].approvals", "-1", PG_JSON_NUMBER, "transitions[1].approvals",
	  "transitions[1].approvals: not an integer in 0..2^53-1" },
	{ "transitions[2].requires[0]", "\"signature\"", PG_SCHEMA, "transitions[2].requires[0]",
	  "transitions[2].requires[0]: unknown requirement \"signature\" (rollback or publisher_signature)" },
	{ "transitions[3].requires[1]", "\"rollback\"", PG_SCHEMA, "transitions[3].requires[1]",
	  "transitions[3].requires[1]: same value as transitions[3].requires[0]" },
	{ "transitions[3].when", "\"always\"", PG_SCHEMA, "transitions[3].when",
	  "transitions[3].when: unknown member" },
	{ "transitions[7]", "{\"from\": \"candidate\", \"to\": \"evaluated\", \"roles\": [\"auditor\"]}",
	  PG_SCHEMA, "transitions[7]", "transitions[7]: same from and to as transitions[0]" },
	{ "transitions[7]", "{\"from\": \"*\", \"to\": \"retired\", \"roles\": [\"auditor\"]}",
	  PG_SCHEMA, "transitions[7]", "transitions[7]: same from and to as transitions[6]" },
	{ "transitions[7]", "[]", PG_SCHEMA, "transitions[7]", "transitions[7]: not an object" },
	/* The strict JSON layer comes first. */
	{ NULL, "{\"policy_version\": 1,}", PG_JSON_SYNTAX, "", NULL },
	{ NULL, "{\"policy_version\": 1, \"policy_version\": 1}", PG_JSON_DUPLICATE_KEY, "", NULL },
	{ NULL, "{\"policy_version\": 01}", PG_JSON_SYNTAX, "", NULL },
	{ NULL, "{\"name\": \"\\u0000\"}", PG_JSON_ENCODING, "", NULL },
};
#define NSCHEMA (sizeof schema_cases / sizeof schema_cases[0])

START_TEST(test_schema)
{
	pg_policy *p = (pg_policy *)1;
	pg_error err;
	char *text;
	pg_code rc;

	if (schema_cases[_i].path)
		text = mutated(base_policy, schema_cases[_i].path, schema_cases[_i].value);
	else
		text = strdup(schema_cases[_i].value);
	pg_error_clear(&err);
	rc = pg_policy_parse(text, strlen(text), &p, &err);
	ck_assert_msg(rc == schema_cases[_i].code, "case %d: %s (%s), expected %s", _i,
		      pg_code_name(rc), err.message, pg_code_name(schema_cases[_i].code));
	ck_assert_int_eq(err.code, rc);
	ck_assert_ptr_null(p);
	ck_assert_str_eq(err.path, schema_cases[_i].errpath);
	if (schema_cases[_i].message)
		ck_assert_str_eq(err.message, schema_cases[_i].message);
	free(text);
}
END_TEST

/* Variants of the base policy that are valid. */
static const struct {
	const char *path;
	const char *value;
} valid_cases[] = {
	{ NULL, NULL },
	{ "name", NULL },
	{ "file_types", NULL },
	{ "limits", NULL },
	{ "limits", "{}" },
	{ "publishers", NULL },
	{ "transitions", "[]" },
	{ "allowed_inputs", "[]" },
	{ "evaluation.required_suites", "[]" },
	{ "environment_permissions", "{}" },
	{ "people[0].roles", "[]" },
	{ "transitions[0].approvals", "0" },
	{ "transitions[0].requires", "[]" },
	{ "transitions[1].approvals", "3" },
	{ "policy_version", "1.0" },
	{ "file_types[0]", "\".tar_gz\"" },
	{ "memory_ceiling_bytes", "9007199254740991" },
};
#define NVALID (sizeof valid_cases / sizeof valid_cases[0])

START_TEST(test_valid)
{
	char *text = mutated(base_policy, valid_cases[_i].path, valid_cases[_i].value);
	pg_policy *p = parse_ok(text);

	pg_policy_free(p);
	free(text);
}
END_TEST

/* ------------------------------------------------------------ digest */

START_TEST(test_digest)
{
	static const char reordered[] =
		"{\"transitions\":[{\"to\":\"evaluated\",\"from\":\"candidate\",\"roles\":[\"reviewer\"]},"
		"{\"approvals\":2,\"roles\":[\"reviewer\"],\"to\":\"approved\",\"from\":\"evaluated\"},"
		"{\"requires\":[\"publisher_signature\"],\"roles\":[\"release-manager\"],\"to\":\"canary\",\"from\":\"approved\"},"
		"{\"requires\":[\"rollback\"],\"approvals\":1,\"roles\":[\"release-manager\"],\"to\":\"champion\",\"from\":\"canary\"},"
		"{\"roles\":[\"reviewer\",\"release-manager\"],\"to\":\"quarantined\",\"from\":\"*\"},"
		"{\"roles\":[\"release-manager\"],\"to\":\"quarantined\",\"from\":\"champion\"},"
		"{\"roles\":[\"release-manager\"],\"to\":\"retired\",\"from\":\"*\"}],"
		"\t\"people\" : [ {\"roles\":[\"reviewer\"],\"name\":\"Alice\",\"fingerprint\":\"" FA "\"},"
		"{\"public_key\":\"-----BEGIN PGP PUBLIC KEY BLOCK-----\\n\\nxx\\n-----END PGP PUBLIC KEY BLOCK-----\\n\","
		"\"roles\":[\"reviewer\",\"auditor\"],\"name\":\"Bob\",\"fingerprint\":\"" FB "\"},"
		"{\"roles\":[\"release-manager\"],\"name\":\"Carol\",\"fingerprint\":\"" FC "\"},"
		"{\"roles\":[\"reviewer\"],\"name\":\"Dave\",\"fingerprint\":\"" FD "\"}],\r\n"
		"\"publishers\":[\"" FP "\"],\"limits\":{\"json_depth\":32,\"entries\":5e2},"
		"\"file_types\":[\".onnx\",\".json\",\".md\",\".asc\"],"
		"\"environment_permissions\":{\"data_classes\":[\"public\",\"internal\"],\"network\":[],"
		"\"files\":[\"/data/ro\"],\"tools\":[\"calculator\",\"search\"]},"
		"\"evaluation\":{\"required_suites\":[\"math-v4\",\"safety-v2\"],\"max_age_days\":90},"
		"\"max_risk_tier\":\"medium\",\"memory_ceiling_bytes\":536870912,"
		"\"supported_backends\":[\"onnxruntime\",\"llama.cpp\"],"
		"\"allowed_outputs\":[\"worked-answer/v1\"],"
		"\"allowed_inputs\":[\"text-question/v1\",\"image/v1\"],"
		"\"name\":\"team-ml\",\"policy_version\":1.0}";
	pg_policy *a = parse_ok(base_policy), *b = parse_ok(reordered), *c;
	char hex[PG_SHA256_HEX], want[80];
	char *changed;

	ck_assert_uint_eq(a->canon_len, strlen(a->canon));
	pg_sha256_hex(a->canon, a->canon_len, hex);
	snprintf(want, sizeof want, "sha256:%s", hex);
	ck_assert_str_eq(a->digest, want);
	{
		static const char head[] =
			"{\"allowed_inputs\":[\"text-question/v1\",\"image/v1\"],"
			"\"allowed_outputs\":[\"worked-answer/v1\"],\"environment_permissions\":";

		ck_assert_int_eq(strncmp(a->canon, head, sizeof head - 1), 0);
		ck_assert_ptr_nonnull(strstr(a->canon, "\"limits\":{\"entries\":500,\"json_depth\":32}"));
	}
	ck_assert_str_eq(a->digest, b->digest);
	ck_assert_uint_eq(a->canon_len, b->canon_len);
	ck_assert_int_eq(memcmp(a->canon, b->canon, a->canon_len), 0);

	changed = mutated(base_policy, "memory_ceiling_bytes", "536870913");
	c = parse_ok(changed);
	ck_assert_str_ne(a->digest, c->digest);
	pg_policy_free(a);
	pg_policy_free(b);
	pg_policy_free(c);
	free(changed);
}
END_TEST

/* ------------------------------------------------------------ load */

START_TEST(test_load)
{
	char dir[] = "/tmp/check_policy.XXXXXX", file[128];
	pg_policy *p = NULL, *q;
	pg_error err;
	FILE *fp;
	char *big;
	size_t cap = 16u * 1024 * 1024;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(file, sizeof file, "%s/policy.json", dir);

	pg_error_clear(&err);
	ck_assert_int_eq(pg_policy_load(file, &p, &err), PG_IO_NOT_FOUND);
	ck_assert_ptr_null(p);

	fp = fopen(file, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(base_policy, fp);
	fclose(fp);
	ck_assert_int_eq(pg_policy_load(file, &p, &err), PG_OK);
	q = parse_ok(base_policy);
	ck_assert_str_eq(p->digest, q->digest);
	pg_policy_free(p);
	pg_policy_free(q);

	/* A directory cannot be read as a policy. */
	p = NULL;
	ck_assert_int_eq(pg_policy_load(dir, &p, &err), PG_IO_READ);
	ck_assert_ptr_null(p);

	/* Exactly the cap: JSON rules apply (the padding is whitespace). */
	big = malloc(cap + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, ' ', cap + 1);
	memcpy(big, base_policy, strlen(base_policy));
	fp = fopen(file, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(big, 1, cap, fp), cap);
	fclose(fp);
	ck_assert_int_eq(pg_policy_load(file, &p, &err), PG_OK);
	pg_policy_free(p);

	/* One byte more is over the JSON cap. */
	p = NULL;
	fp = fopen(file, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(big, 1, cap + 1, fp), cap + 1);
	fclose(fp);
	ck_assert_int_eq(pg_policy_load(file, &p, &err), PG_LIMIT_JSON_BYTES);
	ck_assert_int_eq(err.offset, (long long)cap);
	ck_assert_ptr_null(p);

	free(big);
	unlink(file);
	rmdir(dir);
}
END_TEST

/* ------------------------------------------------------------ accessors */

START_TEST(test_accessors)
{
	pg_policy *p = parse_ok(base_policy);
	pg_limits lim, def;
	const char *const *ft;
	const pg_policy_person *person;
	const pg_policy_rule *r, *rules[PG_STATE_COUNT_];
	char *text;
	pg_policy *q;
	char roles[64];

	ck_assert_str_eq(p->name, "team-ml");
	ck_assert_uint_eq(p->memory_ceiling_bytes, 536870912);
	ck_assert_int_eq(p->max_risk_tier, 1);
	ck_assert_uint_eq(p->max_age_days, 90);

	pg_limits_default(&lim);
	pg_limits_default(&def);
	pg_policy_apply_limits(p, &lim);
	ck_assert_uint_eq(lim.entries, 500);
	ck_assert_uint_eq(lim.json_depth, 32);
	ck_assert_uint_eq(lim.archive_bytes, def.archive_bytes);
	ck_assert_uint_eq(lim.entry_bytes, def.entry_bytes);
	ck_assert_uint_eq(lim.total_bytes, def.total_bytes);
	ck_assert_uint_eq(lim.path_bytes, def.path_bytes);
	ck_assert_uint_eq(lim.segment_bytes, def.segment_bytes);
	ck_assert_uint_eq(lim.json_bytes, def.json_bytes);

	ft = pg_policy_file_types(p);
	ck_assert_ptr_nonnull(ft);
	ck_assert_str_eq(ft[0], ".onnx");
	ck_assert_str_eq(ft[1], ".json");
	ck_assert_str_eq(ft[2], ".md");
	ck_assert_str_eq(ft[3], ".asc");
	ck_assert_ptr_null(ft[4]);

	person = pg_policy_person_find(p, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2");
	ck_assert_ptr_nonnull(person);
	ck_assert_str_eq(person->name, "Bob");
	ck_assert_str_eq(person->fingerprint, FB);
	ck_assert_uint_eq(person->roles, PG_PERSON_REVIEWER | PG_PERSON_AUDITOR);
	ck_assert_ptr_nonnull(person->public_key);
	ck_assert_ptr_null(pg_policy_person_find(p, FA)->public_key);
	ck_assert_ptr_null(pg_policy_person_find(p, "EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE5"));
	ck_assert_ptr_null(pg_policy_person_find(p, "AAAA"));
	ck_assert_ptr_null(pg_policy_person_find(p, NULL));
	ck_assert_uint_eq(pg_policy_roles_of(p, FC), PG_PERSON_RELEASE_MANAGER);
	ck_assert_uint_eq(pg_policy_roles_of(p, "cccccccccccccccccccccccccccccccccccccccc"), 0);
	pg_person_roles_format(PG_PERSON_ALL, roles, sizeof roles);
	ck_assert_str_eq(roles, "reviewer, release-manager, auditor");
	pg_person_roles_format(PG_PERSON_AUDITOR | PG_PERSON_RELEASE_MANAGER, roles, sizeof roles);
	ck_assert_str_eq(roles, "release-manager, auditor");

	ck_assert_uint_eq(p->npublishers, 1);
	ck_assert_str_eq(p->publishers[0], "0123456789ABCDEF0123456789ABCDEF01234567");
	ck_assert_int_eq(pg_policy_is_publisher(p, FP), 1);
	ck_assert_int_eq(pg_policy_is_publisher(p, "0123456789ABCDEF0123456789ABCDEF01234567"), 1);
	ck_assert_int_eq(pg_policy_is_publisher(p, FA), 0);

	/* Exact from wins over "*", whatever the order in the file. */
	r = pg_policy_rule_find(p, PG_STATE_CHAMPION, PG_STATE_QUARANTINED);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->index, 5);
	ck_assert_int_eq(r->from, PG_STATE_CHAMPION);
	r = pg_policy_rule_find(p, PG_STATE_CANARY, PG_STATE_QUARANTINED);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->index, 4);
	ck_assert_int_eq(r->from, PG_POLICY_ANY);
	ck_assert_uint_eq(r->roles, PG_PERSON_REVIEWER | PG_PERSON_RELEASE_MANAGER);
	r = pg_policy_rule_find(p, PG_STATE_CANARY, PG_STATE_CHAMPION);
	ck_assert_uint_eq(r->approvals, 1);
	ck_assert_uint_eq(r->requires, PG_REQUIRE_ROLLBACK);
	ck_assert_ptr_null(pg_policy_rule_find(p, PG_STATE_CANDIDATE, PG_STATE_CHAMPION));
	/* "*" never matches a move to the state the pack is in. */
	ck_assert_ptr_null(pg_policy_rule_find(p, PG_STATE_QUARANTINED, PG_STATE_QUARANTINED));

	ck_assert_uint_eq(pg_policy_rules_from(p, PG_STATE_CANARY, rules), 3);
	ck_assert_int_eq(rules[0]->to, PG_STATE_CHAMPION);
	ck_assert_int_eq(rules[1]->to, PG_STATE_QUARANTINED);
	ck_assert_int_eq(rules[2]->to, PG_STATE_RETIRED);
	ck_assert_uint_eq(pg_policy_rules_from(p, PG_STATE_QUARANTINED, rules), 1);
	ck_assert_int_eq(rules[0]->to, PG_STATE_RETIRED);
	ck_assert_uint_eq(pg_policy_rules_from(p, PG_STATE_CHAMPION, rules), 2);
	ck_assert_uint_eq(rules[0]->index, 5);
	pg_policy_free(p);

	/* Absent file_types: the default list applies. */
	text = mutated(base_policy, "file_types", NULL);
	q = parse_ok(text);
	ck_assert_ptr_null(pg_policy_file_types(q));
	ck_assert_uint_eq(q->npublishers, 1);
	pg_policy_free(q);
	free(text);

	/* Absent publishers and limits. */
	text = mutated(base_policy, "publishers", NULL);
	q = parse_ok(text);
	free(text);
	ck_assert_ptr_null(q->publishers);
	ck_assert_uint_eq(q->npublishers, 0);
	ck_assert_int_eq(pg_policy_is_publisher(q, FP), 0);
	pg_policy_free(q);
	text = mutated(base_policy, "limits", NULL);
	q = parse_ok(text);
	free(text);
	ck_assert_uint_eq(q->limits_set, 0);
	pg_limits_default(&lim);
	pg_policy_apply_limits(q, &lim);
	ck_assert_int_eq(memcmp(&lim, &def, sizeof lim), 0);
	pg_policy_free(q);
}
END_TEST

START_TEST(test_fpr)
{
	char out[PG_FPR_SIZE];

	ck_assert_int_eq(pg_fpr_normalize("0123456789abcdefABCDEF0123456789abcdef01", out), 1);
	ck_assert_str_eq(out, "0123456789ABCDEFABCDEF0123456789ABCDEF01");
	ck_assert_int_eq(pg_fpr_normalize("0123456789abcdefABCDEF0123456789abcdef0", out), 0);
	ck_assert_int_eq(pg_fpr_normalize("0123456789abcdefABCDEF0123456789abcdef012", out), 0);
	ck_assert_int_eq(pg_fpr_normalize("0123456789abcdefABCDEF0123456789abcdef0 ", out), 0);
	ck_assert_int_eq(pg_fpr_normalize(NULL, out), 0);
	ck_assert_uint_eq(pg_person_role_parse("release-manager"), PG_PERSON_RELEASE_MANAGER);
	ck_assert_uint_eq(pg_person_role_parse("Reviewer"), 0);
	ck_assert_str_eq(pg_person_role_name(PG_PERSON_AUDITOR), "auditor");
	ck_assert_ptr_null(pg_person_role_name(3));
}
END_TEST

/* ------------------------------------------------------------ checks */

#define PARENT1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define PARENT2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"

static const char base_manifest[] =
	"{\"schema_version\": 1, \"name\": \"skill.math.reasoner\", \"version\": \"1.3.0\","
	" \"parents\": [\"" PARENT1 "\", \"" PARENT2 "\"], \"operator\": \"merge\","
	" \"input_contract\": \"text-question/v1\", \"output_contract\": \"worked-answer/v1\","
	" \"runtime\": {\"backend\": \"onnxruntime\"},"
	" \"resource_profile\": {\"bytes\": 420000000, \"expected_p95_ms\": 900,"
	" \"peak_ram_bytes\": 420000000},"
	" \"risk_profile\": {\"data_lineage\": \"x\", \"license\": \"reviewed\", \"safety_tier\": \"medium\"}}";
static const char base_contract[] =
	"{\"input_contract\": \"text-question/v1\", \"output_contract\": \"worked-answer/v1\","
	" \"maximum_permissions\": {\"tools\": [\"calculator\", \"search\", \"browser\"],"
	" \"files\": [\"/data/ro\"], \"data_classes\": [\"public\", \"internal\"]}}";
static const char base_permissions[] =
	"{\"requested\": {\"tools\": [\"calculator\", \"browser\"], \"data_classes\": [\"public\"]},"
	" \"denied\": [\"network\"]}";
static const char base_card[] =
	"{\"id\": \"card-1\", \"created_at\": \"2026-06-01T00:00:00Z\","
	" \"suites\": [{\"name\": \"math-v4\", \"version\": \"4\", \"metrics\": []},"
	" {\"name\": \"safety-v2\", \"version\": \"2\", \"metrics\": []},"
	" {\"name\": \"extra\", \"version\": \"1\", \"metrics\": []}]}";

/* 2026-06-13T00:00:00Z: the card is 12 days old. */
static time_t base_now(void)
{
	time_t t;

	ck_assert_int_eq(pg_rfc3339_parse("2026-06-13T00:00:00Z", &t), 0);
	return t;
}

static const char *const ok_messages[PG_POLICY_NCHECKS] = {
	"input contract \"text-question/v1\" is allowed",
	"output contract \"worked-answer/v1\" is allowed",
	"backend \"onnxruntime\" is supported",
	"peak_ram_bytes 420000000 <= ceiling 536870912",
	"safety tier medium <= maximum medium",
	"evaluation card is 12 days old (max 90); all 2 required suites present",
	"all 2 parents are in the registry",
	"requested permissions are within the contract maximum",
};

static const pg_code check_codes[PG_POLICY_NCHECKS] = {
	PG_POLICY_INPUT_CONTRACT, PG_POLICY_OUTPUT_CONTRACT, PG_POLICY_BACKEND,
	PG_POLICY_MEMORY, PG_POLICY_RISK_TIER, PG_POLICY_EVALUATION,
	PG_POLICY_PARENT_MISSING, PG_POLICY_PERMISSIONS,
};

/* The fake registry knows PARENT1 and PARENT2. */
static int known_parent(void *ctx, const char *id)
{
	int *calls = ctx;

	(*calls)++;
	return strcmp(id, PARENT1) == 0 || strcmp(id, PARENT2) == 0;
}

static int broken_registry(void *ctx, const char *id)
{
	(void)ctx;
	(void)id;
	return -PG_REGISTRY_BUSY;
}

static int minus_one(void *ctx, const char *id)
{
	(void)ctx;
	(void)id;
	return -1;
}

enum doc { D_MANIFEST, D_CONTRACT, D_PERMISSIONS, D_CARD, D_POLICY };

struct docs {
	cJSON *d[4];
	pg_policy *p;
};

static void docs_load(struct docs *ds, enum doc which, const char *path, const char *value)
{
	static const char *const texts[4] = {
		base_manifest, base_contract, base_permissions, base_card
	};
	char *pol = mutated(base_policy, which == D_POLICY ? path : NULL, value);

	for (int i = 0; i < 4; i++) {
		ds->d[i] = cJSON_Parse(texts[i]);
		ck_assert_ptr_nonnull(ds->d[i]);
		if (path && which == (enum doc)i)
			mutate(ds->d[i], path, value);
	}
	ds->p = parse_ok(pol);
	free(pol);
}

static void docs_free(struct docs *ds)
{
	for (int i = 0; i < 4; i++)
		cJSON_Delete(ds->d[i]);
	pg_policy_free(ds->p);
}

static pg_code run_checks(struct docs *ds, time_t now, pg_parent_present_fn fn, void *ctx,
			  pg_policy_check out[PG_POLICY_NCHECKS], pg_error *err)
{
	pg_error_clear(err);
	return pg_policy_check_pack(ds->p, ds->d[D_MANIFEST], ds->d[D_CONTRACT],
				    ds->d[D_PERMISSIONS], ds->d[D_CARD], now, fn, ctx, out, err);
}

START_TEST(test_checks_pass)
{
	struct docs ds;
	pg_policy_check out[PG_POLICY_NCHECKS];
	pg_error err;
	int calls = 0;

	docs_load(&ds, D_MANIFEST, NULL, NULL);
	ck_assert_int_eq(run_checks(&ds, base_now(), known_parent, &calls, out, &err), PG_OK);
	ck_assert_int_eq(calls, 2);
	for (int i = 0; i < PG_POLICY_NCHECKS; i++) {
		ck_assert_int_eq(out[i].code, check_codes[i]);
		ck_assert_int_eq(out[i].ok, 1);
		ck_assert_int_eq(out[i].skipped, 0);
		ck_assert_str_eq(out[i].message, ok_messages[i]);
	}
	ck_assert_int_eq(pg_policy_checks_pass(out, PG_POLICY_NCHECKS), 1);
	ck_assert_int_eq(pg_policy_refuses_import(out, PG_POLICY_NCHECKS), 0);

	/* No registry: the parent check is skipped, and counts as passing. */
	ck_assert_int_eq(run_checks(&ds, base_now(), NULL, NULL, out, &err), PG_OK);
	ck_assert_int_eq(out[PG_CHECK_PARENT_MISSING].code, PG_POLICY_PARENT_MISSING);
	ck_assert_int_eq(out[PG_CHECK_PARENT_MISSING].ok, 1);
	ck_assert_int_eq(out[PG_CHECK_PARENT_MISSING].skipped, 1);
	ck_assert_str_eq(out[PG_CHECK_PARENT_MISSING].message,
			 "no registry open; parents not checked");
	ck_assert_int_eq(pg_policy_checks_pass(out, PG_POLICY_NCHECKS), 1);

	/* A lookup that fails is the lookup's error, not a failing check. */
	ck_assert_int_eq(run_checks(&ds, base_now(), broken_registry, NULL, out, &err),
			 PG_REGISTRY_BUSY);
	ck_assert_str_eq(err.message, "cannot look up parent " PARENT1);
	ck_assert_int_eq(run_checks(&ds, base_now(), minus_one, NULL, out, &err), PG_IO_READ);

	/* Missing documents. */
	pg_error_clear(&err);
	ck_assert_int_eq(pg_policy_check_pack(ds.p, ds.d[D_MANIFEST], ds.d[D_CONTRACT], NULL,
					      ds.d[D_CARD], base_now(), NULL, NULL, out, &err),
			 PG_SCHEMA);
	docs_free(&ds);
}
END_TEST

/* One mutation of one document; check `index` then has `ok` and `message`,
 * every other check passes with its usual message. */
static const struct {
	enum doc doc;
	const char *path;
	const char *value;
	int index;
	int ok;
	const char *message;
} check_cases[] = {
	{ D_MANIFEST, "input_contract", "\"text-question/v2\"", PG_CHECK_INPUT_CONTRACT, 0,
	  "input contract \"text-question/v2\" is not allowed" },
	{ D_MANIFEST, "input_contract", "\"image/v1\"", PG_CHECK_INPUT_CONTRACT, 1,
	  "input contract \"image/v1\" is allowed" },
	{ D_MANIFEST, "input_contract", "\"bad\\u001b[31m\"", PG_CHECK_INPUT_CONTRACT, 0,
	  "input contract \"bad^[[31m\" is not allowed" },
	{ D_MANIFEST, "output_contract", "\"prose/v1\"", PG_CHECK_OUTPUT_CONTRACT, 0,
	  "output contract \"prose/v1\" is not allowed" },
	{ D_MANIFEST, "runtime.backend", "\"tensorrt\"", PG_CHECK_BACKEND, 0,
	  "backend \"tensorrt\" is not supported" },
	{ D_MANIFEST, "runtime.backend", "\"ONNXRuntime\"", PG_CHECK_BACKEND, 0,
	  "backend \"ONNXRuntime\" is not supported" },
	{ D_MANIFEST, "resource_profile.peak_ram_bytes", "760000000", PG_CHECK_MEMORY, 0,
	  "peak_ram_bytes 760000000 > ceiling 536870912" },
	{ D_MANIFEST, "resource_profile.peak_ram_bytes", "536870912", PG_CHECK_MEMORY, 1,
	  "peak_ram_bytes 536870912 <= ceiling 536870912" },
	{ D_MANIFEST, "resource_profile.peak_ram_bytes", "536870913", PG_CHECK_MEMORY, 0,
	  "peak_ram_bytes 536870913 > ceiling 536870912" },
	{ D_MANIFEST, "risk_profile.safety_tier", "\"high\"", PG_CHECK_RISK_TIER, 0,
	  "safety tier high > maximum medium" },
	{ D_MANIFEST, "risk_profile.safety_tier", "\"low\"", PG_CHECK_RISK_TIER, 1,
	  "safety tier low <= maximum medium" },
	{ D_POLICY, "max_risk_tier", "\"critical\"", PG_CHECK_RISK_TIER, 1,
	  "safety tier medium <= maximum critical" },
	{ D_POLICY, "max_risk_tier", "\"low\"", PG_CHECK_RISK_TIER, 0,
	  "safety tier medium > maximum low" },
	{ D_CARD, "suites[1]", NULL, PG_CHECK_EVALUATION, 0, "missing suites: safety-v2" },
	{ D_CARD, "suites", "[]", PG_CHECK_EVALUATION, 0, "missing suites: math-v4, safety-v2" },
	{ D_CARD, "created_at", "\"2025-11-13T00:00:00Z\"", PG_CHECK_EVALUATION, 0,
	  "evaluation card is 212 days old (max 90)" },
	{ D_CARD, "suites[0].name", "\"math-v3\"", PG_CHECK_EVALUATION, 0,
	  "missing suites: math-v4" },
	{ D_POLICY, "evaluation.required_suites", "[]", PG_CHECK_EVALUATION, 1,
	  "evaluation card is 12 days old (max 90); no suites required" },
	{ D_POLICY, "evaluation.max_age_days", "9007199254740991", PG_CHECK_EVALUATION, 1,
	  "evaluation card is 12 days old (max 9007199254740991); all 2 required suites present" },
	{ D_CARD, "created_at", "\"2026-06-14T00:00:00Z\"", PG_CHECK_EVALUATION, 1,
	  "evaluation card is 0 days old (max 90); all 2 required suites present" },
	{ D_CARD, "created_at", "\"2026-06-14T00:00:01Z\"", PG_CHECK_EVALUATION, 0,
	  "evaluation card created_at 2026-06-14T00:00:01Z is more than a day after now (2026-06-13T00:00:00Z)" },
	{ D_CARD, "created_at", "\"yesterday\"", PG_CHECK_EVALUATION, 0,
	  "the evaluation card's created_at is not an RFC 3339 UTC timestamp" },
	{ D_MANIFEST, "parents[2]", "\"sha256:3333333333333333333333333333333333333333333333333333333333333333\"",
	  PG_CHECK_PARENT_MISSING, 0,
	  "parents not in the registry: sha256:3333333333333333333333333333333333333333333333333333333333333333" },
	{ D_MANIFEST, "parents", "[]", PG_CHECK_PARENT_MISSING, 1, "no parents" },
	{ D_PERMISSIONS, "requested.tools[2]", "\"shell\"", PG_CHECK_PERMISSIONS, 0,
	  "tools: \"shell\" requested but not in the contract maximum" },
	{ D_PERMISSIONS, "requested.network", "[\"example.org\", \"example.org\"]",
	  PG_CHECK_PERMISSIONS, 0,
	  "network: \"example.org\" requested but not in the contract maximum" },
	{ D_PERMISSIONS, "requested", "{\"tools\": [\"Calculator\"], \"files\": [\"/data\"],"
	  " \"data_classes\": [\"secret\", \"public\", \"pii\"]}", PG_CHECK_PERMISSIONS, 0,
	  "tools: \"Calculator\" requested but not in the contract maximum; "
	  "files: \"/data\" requested but not in the contract maximum; "
	  "data_classes: \"secret\" requested but not in the contract maximum; "
	  "data_classes: \"pii\" requested but not in the contract maximum" },
	{ D_PERMISSIONS, "requested", "{}", PG_CHECK_PERMISSIONS, 1,
	  "requested permissions are within the contract maximum" },
	/* The environment does not enter the subset check, only the grant. */
	{ D_POLICY, "environment_permissions", "{}", PG_CHECK_PERMISSIONS, 1,
	  "requested permissions are within the contract maximum" },
};
#define NCHECK (sizeof check_cases / sizeof check_cases[0])

START_TEST(test_check_case)
{
	struct docs ds;
	pg_policy_check out[PG_POLICY_NCHECKS];
	pg_error err;
	int calls = 0, idx = check_cases[_i].index;

	docs_load(&ds, check_cases[_i].doc, check_cases[_i].path, check_cases[_i].value);
	ck_assert_int_eq(run_checks(&ds, base_now(), known_parent, &calls, out, &err), PG_OK);
	for (int i = 0; i < PG_POLICY_NCHECKS; i++) {
		ck_assert_int_eq(out[i].code, check_codes[i]);
		ck_assert_int_eq(out[i].skipped, 0);
		if (i == idx)
			continue;
		ck_assert_msg(out[i].ok == 1, "case %d: check %d fails: %s", _i, i, out[i].message);
		ck_assert_str_eq(out[i].message, ok_messages[i]);
	}
	ck_assert_int_eq(out[idx].ok, check_cases[_i].ok);
	ck_assert_str_eq(out[idx].message, check_cases[_i].message);
	ck_assert_int_eq(pg_policy_checks_pass(out, PG_POLICY_NCHECKS), check_cases[_i].ok);
	ck_assert_int_eq(pg_policy_refuses_import(out, PG_POLICY_NCHECKS),
			 idx == PG_CHECK_PERMISSIONS && !check_cases[_i].ok);
	docs_free(&ds);
}
END_TEST

/* Evaluation age around max_age_days, with a fixed now. */
static const struct {
	long long offset;  /* now - created_at, seconds */
	int ok;
	const char *message;
} age_cases[] = {
	{ 90LL * 86400, 1, "evaluation card is 90 days old (max 90); all 2 required suites present" },
	{ 90LL * 86400 + 1, 0, "evaluation card is 91 days old (max 90)" },
	{ 90LL * 86400 - 1, 1, "evaluation card is 89 days old (max 90); all 2 required suites present" },
	{ 0, 1, "evaluation card is 0 days old (max 90); all 2 required suites present" },
	{ -86400, 1, "evaluation card is 0 days old (max 90); all 2 required suites present" },
	{ -86401, 0,
	  "evaluation card created_at 2026-06-01T00:00:00Z is more than a day after now (2026-05-30T23:59:59Z)" },
	{ 212LL * 86400, 0, "evaluation card is 212 days old (max 90)" },
};
#define NAGE (sizeof age_cases / sizeof age_cases[0])

START_TEST(test_age)
{
	struct docs ds;
	pg_policy_check out[PG_POLICY_NCHECKS];
	pg_error err;
	time_t created;

	ck_assert_int_eq(pg_rfc3339_parse("2026-06-01T00:00:00Z", &created), 0);
	docs_load(&ds, D_MANIFEST, NULL, NULL);
	ck_assert_int_eq(run_checks(&ds, created + (time_t)age_cases[_i].offset, NULL, NULL,
				    out, &err), PG_OK);
	ck_assert_int_eq(out[PG_CHECK_EVALUATION].ok, age_cases[_i].ok);
	ck_assert_str_eq(out[PG_CHECK_EVALUATION].message, age_cases[_i].message);
	docs_free(&ds);
}
END_TEST

START_TEST(test_age_zero)
{
	/* max_age_days 0: the card must be from now (or up to a day ahead). */
	struct docs ds;
	pg_policy_check out[PG_POLICY_NCHECKS];
	pg_error err;
	time_t created;

	ck_assert_int_eq(pg_rfc3339_parse("2026-06-01T00:00:00Z", &created), 0);
	docs_load(&ds, D_POLICY, "evaluation.max_age_days", "0");
	ck_assert_int_eq(run_checks(&ds, created, NULL, NULL, out, &err), PG_OK);
	ck_assert_int_eq(out[PG_CHECK_EVALUATION].ok, 1);
	ck_assert_int_eq(run_checks(&ds, created + 1, NULL, NULL, out, &err), PG_OK);
	ck_assert_int_eq(out[PG_CHECK_EVALUATION].ok, 0);
	ck_assert_str_eq(out[PG_CHECK_EVALUATION].message, "evaluation card is 1 day old (max 0)");
	docs_free(&ds);
}
END_TEST

START_TEST(test_long_message)
{
	/* Thousands of violations: the message is cut and marked. */
	struct docs ds;
	pg_policy_check out[PG_POLICY_NCHECKS];
	pg_error err;
	cJSON *tools;
	char name[32];
	size_t len;

	docs_load(&ds, D_MANIFEST, NULL, NULL);
	tools = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
		ds.d[D_PERMISSIONS], "requested"), "tools");
	for (int i = 0; i < 3000; i++) {
		snprintf(name, sizeof name, "tool-%d", i);
		cJSON_AddItemToArray(tools, cJSON_CreateString(name));
	}
	ck_assert_int_eq(run_checks(&ds, base_now(), NULL, NULL, out, &err), PG_OK);
	ck_assert_int_eq(out[PG_CHECK_PERMISSIONS].ok, 0);
	len = strlen(out[PG_CHECK_PERMISSIONS].message);
	ck_assert_uint_le(len, sizeof out[0].message - 1);
	ck_assert_uint_gt(len, 900);
	ck_assert_str_eq(out[PG_CHECK_PERMISSIONS].message + len - 3, "...");
	ck_assert_int_eq(strncmp(out[PG_CHECK_PERMISSIONS].message,
				 "tools: \"tool-0\" requested but not in the contract maximum; tools: \"tool-1\"", 73), 0);
	docs_free(&ds);
}
END_TEST

/* ------------------------------------------------------------ granted */

static const struct {
	const char *requested;
	const char *maximum;
	const char *environment;
	const char *granted;   /* cJSON_PrintUnformatted of the result */
} granted_cases[] = {
	/* The base documents. */
	{ NULL, NULL, NULL,
	  "{\"tools\":[\"calculator\"],\"files\":[],\"network\":[],\"data_classes\":[\"public\"]}" },
	/* requested ∩ maximum ∩ environment, in requested order, each once. */
	{ "{\"tools\": [\"search\", \"shell\", \"calculator\", \"search\"], \"files\": [\"/data/ro\"],"
	  " \"network\": [\"example.org\"], \"data_classes\": [\"internal\", \"public\"]}",
	  "{\"tools\": [\"calculator\", \"search\", \"shell\"], \"files\": [\"/data/ro\"],"
	  " \"network\": [\"example.org\"], \"data_classes\": [\"public\", \"internal\"]}",
	  NULL,
	  "{\"tools\":[\"search\",\"calculator\"],\"files\":[\"/data/ro\"],\"network\":[],"
	  "\"data_classes\":[\"internal\",\"public\"]}" },
	/* Never wider than the contract maximum. */
	{ "{\"tools\": [\"calculator\", \"search\"]}", "{\"tools\": [\"search\"]}", NULL,
	  "{\"tools\":[\"search\"],\"files\":[],\"network\":[],\"data_classes\":[]}" },
	/* Never wider than what was requested. */
	{ "{}", NULL, NULL,
	  "{\"tools\":[],\"files\":[],\"network\":[],\"data_classes\":[]}" },
	/* Never wider than the environment; exact, case-sensitive match. */
	{ "{\"tools\": [\"Calculator\", \"calculator\"]}",
	  "{\"tools\": [\"Calculator\", \"calculator\"]}", "{\"tools\": [\"calculator\"]}",
	  "{\"tools\":[\"calculator\"],\"files\":[],\"network\":[],\"data_classes\":[]}" },
	{ NULL, NULL, "{}",
	  "{\"tools\":[],\"files\":[],\"network\":[],\"data_classes\":[]}" },
};
#define NGRANTED (sizeof granted_cases / sizeof granted_cases[0])

START_TEST(test_granted)
{
	struct docs ds;
	cJSON *set = NULL;
	pg_error err;
	char *text;

	docs_load(&ds, D_POLICY, granted_cases[_i].environment ? "environment_permissions" : NULL,
		  granted_cases[_i].environment);
	if (granted_cases[_i].requested)
		mutate(ds.d[D_PERMISSIONS], "requested", granted_cases[_i].requested);
	if (granted_cases[_i].maximum)
		mutate(ds.d[D_CONTRACT], "maximum_permissions", granted_cases[_i].maximum);
	pg_error_clear(&err);
	ck_assert_int_eq(pg_policy_granted(ds.p, ds.d[D_CONTRACT], ds.d[D_PERMISSIONS], &set, &err),
			 PG_OK);
	text = cJSON_PrintUnformatted(set);
	ck_assert_str_eq(text, granted_cases[_i].granted);
	free(text);
	cJSON_Delete(set);
	docs_free(&ds);
}
END_TEST

START_TEST(test_granted_null)
{
	struct docs ds;
	cJSON *set = (cJSON *)1;
	pg_error err;

	docs_load(&ds, D_MANIFEST, NULL, NULL);
	ck_assert_int_eq(pg_policy_granted(ds.p, ds.d[D_CONTRACT], NULL, &set, &err), PG_SCHEMA);
	ck_assert_ptr_null(set);
	docs_free(&ds);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("schema");
	TCase *tk = tcase_create("checks");

	tcase_add_loop_test(tc, test_schema, 0, NSCHEMA);
	tcase_add_loop_test(tc, test_valid, 0, NVALID);
	tcase_add_test(tc, test_digest);
	tcase_add_test(tc, test_load);
	tcase_add_test(tc, test_accessors);
	tcase_add_test(tc, test_fpr);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	tcase_add_test(tk, test_checks_pass);
	tcase_add_loop_test(tk, test_check_case, 0, NCHECK);
	tcase_add_loop_test(tk, test_age, 0, NAGE);
	tcase_add_test(tk, test_age_zero);
	tcase_add_test(tk, test_long_message);
	tcase_add_loop_test(tk, test_granted, 0, NGRANTED);
	tcase_add_test(tk, test_granted_null);
	suite_add_tcase(s, tk);
	return pg_check_run(s);
}
