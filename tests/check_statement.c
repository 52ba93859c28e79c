/* check_statement.c — approval and transition statements (CONTRACT section
 * 6): exact canonical bytes of built statements, strict parsing with exact
 * codes, paths and messages, the statement digest, and the audit chain hash
 * against answers computed independently of the code under test. */
#include "pg.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gcrypt.h>

#include "canon.h"
#include "checkrun.h"
#include "digest.h"
#include "registry.h"
#include "statement.h"

#define X1 "1111111111111111111111111111111111111111111111111111111111111111"
#define X2 "2222222222222222222222222222222222222222222222222222222222222222"
#define X3 "3333333333333333333333333333333333333333333333333333333333333333"
#define X4 "4444444444444444444444444444444444444444444444444444444444444444"
#define X5 "5555555555555555555555555555555555555555555555555555555555555555"
#define X6 "6666666666666666666666666666666666666666666666666666666666666666"
#define X7 "7777777777777777777777777777777777777777777777777777777777777777"
#define FA "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1"

/* The canonical bytes, written out by hand (keys in UTF-16 order, the
 * comment's U+00E9 as UTF-8 and its newline escaped). */
static const char approval_bytes[] =
	"{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicate\":{\"comment\":\"ok \xc3\xa9\\n\","
	"\"decision\":\"approve\",\"evaluation_card\":\"sha256:" X2 "\",\"policy\":\"sha256:" X3 "\","
	"\"role\":\"reviewer\",\"signed_at\":\"2026-11-22T10:00:00Z\",\"signer\":\"" FA "\","
	"\"target\":\"approved\"},\"predicateType\":\"urn:packgate:approval:v1\",\"subject\":[{\"digest\":"
	"{\"sha256\":\"" X1 "\"},\"name\":\"skill.math.reasoner@1.3.0\"}]}";
/* sha256sum of approval_bytes, computed outside packgate */
static const char approval_sha256[] = "ec7a1f7da45c005d319899e889cfc0624527416f41d744ddbd633f09a1bc13f0";

static const char transition_bytes[] =
	"{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicate\":{\"approvals\":[\"sha256:" X5 "\","
	"\"sha256:" X6 "\"],\"comment\":\"promote\",\"from\":\"canary\",\"policy\":\"sha256:" X3 "\","
	"\"prev\":\"sha256:" X4 "\",\"signed_at\":\"2026-11-22T10:05:00Z\",\"signer\":\"" FA "\","
	"\"supersedes\":[{\"from\":\"champion\",\"id\":\"sha256:" X7 "\",\"to\":\"archived\"}],"
	"\"to\":\"champion\"},\"predicateType\":\"urn:packgate:transition:v1\",\"subject\":[{\"digest\":"
	"{\"sha256\":\"" X1 "\"},\"name\":\"skill.math.reasoner@1.3.0\"}]}";
static const char transition_sha256[] = "42a16dde56e2e1ad5829ae7d95d149eff3ed08243a1873716986de7a9e78f004";

static const char first_transition_bytes[] =
	"{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicate\":{\"approvals\":[],\"comment\":\"\","
	"\"from\":\"candidate\",\"policy\":\"sha256:" X3 "\",\"prev\":null,"
	"\"signed_at\":\"2026-11-22T10:05:00Z\",\"signer\":\"" FA "\",\"supersedes\":[],"
	"\"to\":\"evaluated\"},\"predicateType\":\"urn:packgate:transition:v1\",\"subject\":[{\"digest\":"
	"{\"sha256\":\"" X1 "\"},\"name\":\"skill.math.reasoner@1.3.0\"}]}";
static const char first_transition_sha256[] = "b7974f8f2d0f1b84739cbe817a3fcf13593b821d8b3df4bdaf0376c1632de3cc";

static void sample_approval(pg_stmt *st)
{
	memset(st, 0, sizeof *st);
	st->kind = PG_STMT_APPROVAL;
	st->name = "skill.math.reasoner";
	st->version = "1.3.0";
	st->pack_id = "sha256:" X1;
	st->decision = PG_DECISION_APPROVE;
	st->target = PG_STATE_APPROVED;
	st->role = PG_PERSON_REVIEWER;
	st->comment = "ok \xc3\xa9\n";
	st->evaluation_card = "sha256:" X2;
	st->policy = "sha256:" X3;
	st->signer = FA;
	st->signed_at = "2026-11-22T10:00:00Z";
}

static const char *const sample_approvals[] = { "sha256:" X5, "sha256:" X6 };
static const pg_stmt_supersede sample_supersedes[] = {
	{ "sha256:" X7, PG_STATE_CHAMPION, PG_STATE_ARCHIVED }
};

static void sample_transition(pg_stmt *st)
{
	memset(st, 0, sizeof *st);
	st->kind = PG_STMT_TRANSITION;
	st->name = "skill.math.reasoner";
	st->version = "1.3.0";
	st->pack_id = "sha256:" X1;
	st->from = PG_STATE_CANARY;
	st->to = PG_STATE_CHAMPION;
	st->prev = "sha256:" X4;
	st->approvals = sample_approvals;
	st->napprovals = 2;
	st->supersedes = sample_supersedes;
	st->nsupersedes = 1;
	st->policy = "sha256:" X3;
	st->signer = FA;
	st->signed_at = "2026-11-22T10:05:00Z";
	st->comment = "promote";
}

static char *build_ok(const pg_stmt *st, size_t *len)
{
	char *out = NULL;
	pg_error err;

	pg_error_clear(&err);
	ck_assert_msg(pg_stmt_build(st, &out, len, &err) == PG_OK, "build: %s %s",
	              pg_code_name(err.code), err.message);
	ck_assert_ptr_nonnull(out);
	return out;
}

/* ------------------------------------------------------------ building */

START_TEST(test_build_approval_exact)
{
	pg_stmt st;
	size_t len = 0;
	char *out, dg[PG_STMT_DIGEST_SIZE];

	sample_approval(&st);
	out = build_ok(&st, &len);
	ck_assert_str_eq(out, approval_bytes);
	ck_assert_uint_eq(len, strlen(approval_bytes));
	pg_stmt_digest(out, len, dg);
	ck_assert_str_eq(dg + 7, approval_sha256);
	ck_assert_int_eq(strncmp(dg, "sha256:", 7), 0);
	free(out);
}
END_TEST

START_TEST(test_build_transition_exact)
{
	pg_stmt st;
	size_t len = 0;
	char *out, dg[PG_STMT_DIGEST_SIZE];

	sample_transition(&st);
	out = build_ok(&st, &len);
	ck_assert_str_eq(out, transition_bytes);
	pg_stmt_digest(out, len, dg);
	ck_assert_str_eq(dg, "sha256:42a16dde56e2e1ad5829ae7d95d149eff3ed08243a1873716986de7a9e78f004");
	ck_assert_str_eq(dg + 7, transition_sha256);
	free(out);

	/* the first transition of a pack: prev null, nothing relied on */
	st.from = PG_STATE_CANDIDATE;
	st.to = PG_STATE_EVALUATED;
	st.prev = NULL;
	st.napprovals = 0;
	st.nsupersedes = 0;
	st.comment = "";
	out = build_ok(&st, &len);
	ck_assert_str_eq(out, first_transition_bytes);
	pg_stmt_digest(out, len, dg);
	ck_assert_str_eq(dg + 7, first_transition_sha256);
	free(out);
}
END_TEST

/* A builder given a bad field refuses it with the parser's path. */
START_TEST(test_build_refuses)
{
	pg_stmt st;
	char *out = (char *)"x";
	pg_error err;

	sample_approval(&st);
	st.signer = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1";
	ck_assert_int_eq(pg_stmt_build(&st, &out, NULL, &err), PG_SCHEMA);
	ck_assert_ptr_null(out);
	ck_assert_str_eq(err.path, "predicate.signer");
	ck_assert_str_eq(err.message, "predicate.signer: not an OpenPGP fingerprint (40 uppercase hex digits)");

	sample_approval(&st);
	st.comment = NULL;
	ck_assert_int_eq(pg_stmt_build(&st, &out, NULL, &err), PG_SCHEMA);
	ck_assert_str_eq(err.message, "predicate.comment: missing");

	sample_approval(&st);
	st.version = "1.3";
	ck_assert_int_eq(pg_stmt_build(&st, &out, NULL, &err), PG_SCHEMA);
	ck_assert_str_eq(err.path, "subject[0].name");
	ck_assert_str_eq(err.message,
	                 "subject[0].name: \"skill.math.reasoner@1.3\" is not NAME@VERSION with a valid name and SemVer version");

	sample_approval(&st);
	st.role = PG_PERSON_REVIEWER | PG_PERSON_AUDITOR;
	ck_assert_int_eq(pg_stmt_build(&st, &out, NULL, &err), PG_SCHEMA);
	ck_assert_str_eq(err.message, "predicate.role: missing");

	sample_transition(&st);
	st.to = PG_STATE_CANARY;
	ck_assert_int_eq(pg_stmt_build(&st, &out, NULL, &err), PG_SCHEMA);
	ck_assert_str_eq(err.path, "predicate.to");
	ck_assert_str_eq(err.message, "predicate.to: the same state as from");

	sample_transition(&st);
	st.pack_id = "sha256:" X1 "0";
	ck_assert_int_eq(pg_stmt_build(&st, &out, NULL, &err), PG_SCHEMA);
	ck_assert_str_eq(err.message, "subject[0].digest.sha256: not 64 lowercase hex digits");
}
END_TEST

/* ------------------------------------------------------------ parsing */

START_TEST(test_parse_approval)
{
	pg_stmt *st = NULL, again;
	pg_error err;
	char *out;

	ck_assert_int_eq(pg_stmt_parse(approval_bytes, strlen(approval_bytes), &st, &err), PG_OK);
	ck_assert_int_eq(st->kind, PG_STMT_APPROVAL);
	ck_assert_str_eq(st->name, "skill.math.reasoner");
	ck_assert_str_eq(st->version, "1.3.0");
	ck_assert_str_eq(st->pack_id, "sha256:" X1);
	ck_assert_int_eq(st->decision, PG_DECISION_APPROVE);
	ck_assert_int_eq(st->target, PG_STATE_APPROVED);
	ck_assert_uint_eq(st->role, PG_PERSON_REVIEWER);
	ck_assert_str_eq(st->comment, "ok \xc3\xa9\n");
	ck_assert_str_eq(st->evaluation_card, "sha256:" X2);
	ck_assert_str_eq(st->policy, "sha256:" X3);
	ck_assert_str_eq(st->signer, FA);
	ck_assert_str_eq(st->signed_at, "2026-11-22T10:00:00Z");
	ck_assert_int_eq((long long)st->signed_at_time, 1795341600LL);

	/* what parses builds back to the same bytes */
	again = *st;
	again.doc_ = NULL;
	again.mem_ = NULL;
	out = build_ok(&again, NULL);
	ck_assert_str_eq(out, approval_bytes);
	free(out);
	pg_stmt_free(st);
}
END_TEST

START_TEST(test_parse_transition)
{
	pg_stmt *st = NULL, again;
	pg_error err;
	char *out;

	ck_assert_int_eq(pg_stmt_parse(transition_bytes, strlen(transition_bytes), &st, &err), PG_OK);
	ck_assert_int_eq(st->kind, PG_STMT_TRANSITION);
	ck_assert_int_eq(st->from, PG_STATE_CANARY);
	ck_assert_int_eq(st->to, PG_STATE_CHAMPION);
	ck_assert_str_eq(st->prev, "sha256:" X4);
	ck_assert_uint_eq(st->napprovals, 2);
	ck_assert_str_eq(st->approvals[0], "sha256:" X5);
	ck_assert_str_eq(st->approvals[1], "sha256:" X6);
	ck_assert_uint_eq(st->nsupersedes, 1);
	ck_assert_str_eq(st->supersedes[0].id, "sha256:" X7);
	ck_assert_int_eq(st->supersedes[0].from, PG_STATE_CHAMPION);
	ck_assert_int_eq(st->supersedes[0].to, PG_STATE_ARCHIVED);
	ck_assert_str_eq(st->comment, "promote");
	ck_assert_str_eq(st->signer, FA);
	again = *st;
	again.doc_ = NULL;
	again.mem_ = NULL;
	out = build_ok(&again, NULL);
	ck_assert_str_eq(out, transition_bytes);
	free(out);
	pg_stmt_free(st);

	ck_assert_int_eq(pg_stmt_parse(first_transition_bytes, strlen(first_transition_bytes), &st, &err),
	                 PG_OK);
	ck_assert_ptr_null(st->prev);
	ck_assert_uint_eq(st->napprovals, 0);
	ck_assert_uint_eq(st->nsupersedes, 0);
	ck_assert_str_eq(st->comment, "");
	pg_stmt_free(st);
}
END_TEST

/* Sets the value at path ("predicate.approvals[1]", "subject[0].name") of
 * root to the JSON text value (NULL deletes); a missing key is added. */
static void set_at(cJSON *root, const char *path, const char *value)
{
	cJSON *parent = NULL, *cur = root, *v = NULL;
	char seg[64];
	int idx = -1;
	const char *p = path;

	while (*p) {
		size_t n = 0;

		parent = cur;
		if (*p == '.')
			p++;
		if (*p == '[') {
			idx = atoi(p + 1);
			p = strchr(p, ']') + 1;
			seg[0] = '\0';
			cur = cJSON_GetArrayItem(parent, idx);
		} else {
			while (*p && *p != '.' && *p != '[' && n < sizeof seg - 1)
				seg[n++] = *p++;
			seg[n] = '\0';
			idx = -1;
			cur = cJSON_GetObjectItemCaseSensitive(parent, seg);
		}
		ck_assert_msg(cur || !*p, "%s: no such path", path);
	}
	if (value) {
		v = cJSON_Parse(value);
		ck_assert_msg(v != NULL, "bad JSON value %s", value);
	}
	if (idx >= 0) {
		if (!v)
			cJSON_DeleteItemFromArray(parent, idx);
		else if (idx == cJSON_GetArraySize(parent))
			cJSON_AddItemToArray(parent, v);
		else
			cJSON_ReplaceItemInArray(parent, idx, v);
	} else if (!v) {
		cJSON_DeleteItemFromObjectCaseSensitive(parent, seg);
	} else if (cur) {
		cJSON_ReplaceItemInObjectCaseSensitive(parent, seg, v);
	} else {
		cJSON_AddItemToObject(parent, seg, v);
	}
}

struct bad_case {
	const char *base;     /* approval_bytes or transition_bytes */
	const char *path;     /* mutation */
	const char *value;    /* JSON text, NULL deletes */
	pg_code code;
	const char *epath;
	const char *message;
};

#define AP approval_bytes
#define TR transition_bytes

static const struct bad_case bad_cases[] = {
	/* top level */
	{ AP, "extra", "1", PG_SCHEMA, "extra", "extra: unknown member" },
	{ AP, "_id", "\"x\"", PG_SCHEMA, "_id", "_id: unknown member" },
	{ AP, "_type", NULL, PG_SCHEMA, "_type", "_type: missing" },
	{ AP, "subject", NULL, PG_SCHEMA, "subject", "subject: missing" },
	{ AP, "predicateType", NULL, PG_SCHEMA, "predicateType", "predicateType: missing" },
	{ AP, "predicate", NULL, PG_SCHEMA, "predicate", "predicate: missing" },
	{ AP, "_type", "\"https://in-toto.io/Statement/v0.1\"", PG_SCHEMA, "_type",
	  "_type: not \"https://in-toto.io/Statement/v1\"" },
	{ AP, "_type", "1", PG_SCHEMA, "_type", "_type: not a string" },
	{ AP, "predicateType", "\"https://slsa.dev/provenance/v1\"", PG_SCHEMA, "predicateType",
	  "predicateType: not \"urn:packgate:approval:v1\" or \"urn:packgate:transition:v1\"" },
	{ AP, "predicateType", "\"urn:packgate:approval:v2\"", PG_SCHEMA, "predicateType",
	  "predicateType: not \"urn:packgate:approval:v1\" or \"urn:packgate:transition:v1\"" },
	{ AP, "predicate", "[]", PG_SCHEMA, "predicate", "predicate: not an object" },
	/* subject */
	{ AP, "subject", "{}", PG_SCHEMA, "subject", "subject: not a list" },
	{ AP, "subject", "[]", PG_SCHEMA, "subject", "subject: must hold exactly one subject (0 given)" },
	{ AP, "subject[1]", "{\"name\":\"a@1.0.0\",\"digest\":{\"sha256\":\"" X2 "\"}}", PG_SCHEMA, "subject",
	  "subject: must hold exactly one subject (2 given)" },
	{ AP, "subject[0]", "\"x\"", PG_SCHEMA, "subject[0]", "subject[0]: not an object" },
	{ AP, "subject[0].uri", "\"x\"", PG_SCHEMA, "subject[0].uri", "subject[0].uri: unknown member" },
	{ AP, "subject[0].name", NULL, PG_SCHEMA, "subject[0].name", "subject[0].name: missing" },
	{ AP, "subject[0].name", "\"skill\"", PG_SCHEMA, "subject[0].name",
	  "subject[0].name: \"skill\" is not NAME@VERSION" },
	{ AP, "subject[0].name", "\"Skill@1.0.0\"", PG_SCHEMA, "subject[0].name",
	  "subject[0].name: \"Skill@1.0.0\" is not NAME@VERSION with a valid name and SemVer version" },
	{ AP, "subject[0].name", "\"skill@1.0.0@2\"", PG_SCHEMA, "subject[0].name",
	  "subject[0].name: \"skill@1.0.0@2\" is not NAME@VERSION with a valid name and SemVer version" },
	{ AP, "subject[0].digest", NULL, PG_SCHEMA, "subject[0].digest", "subject[0].digest: missing" },
	{ AP, "subject[0].digest", "[]", PG_SCHEMA, "subject[0].digest", "subject[0].digest: not an object" },
	{ AP, "subject[0].digest.sha512", "\"x\"", PG_SCHEMA, "subject[0].digest.sha512",
	  "subject[0].digest.sha512: unknown member" },
	{ AP, "subject[0].digest.sha256", "\"sha256:" X1 "\"", PG_SCHEMA, "subject[0].digest.sha256",
	  "subject[0].digest.sha256: not 64 lowercase hex digits" },
	{ AP, "subject[0].digest.sha256", "\"ABCDEF1111111111111111111111111111111111111111111111111111111111\"",
	  PG_SCHEMA, "subject[0].digest.sha256", "subject[0].digest.sha256: not 64 lowercase hex digits" },
	/* approval predicate */
	{ AP, "predicate.extra", "true", PG_SCHEMA, "predicate.extra", "predicate.extra: unknown member" },
	{ AP, "predicate.decision", NULL, PG_SCHEMA, "predicate.decision", "predicate.decision: missing" },
	{ AP, "predicate.decision", "\"maybe\"", PG_SCHEMA, "predicate.decision",
	  "predicate.decision: not \"approve\" or \"reject\"" },
	{ AP, "predicate.decision", "true", PG_SCHEMA, "predicate.decision", "predicate.decision: not a string" },
	{ AP, "predicate.target", "\"champ\"", PG_SCHEMA, "predicate.target",
	  "predicate.target: unknown state \"champ\"" },
	{ AP, "predicate.role", "\"boss\"", PG_SCHEMA, "predicate.role", "predicate.role: unknown role \"boss\"" },
	{ AP, "predicate.comment", NULL, PG_SCHEMA, "predicate.comment", "predicate.comment: missing" },
	{ AP, "predicate.comment", "5", PG_SCHEMA, "predicate.comment", "predicate.comment: not a string" },
	{ AP, "predicate.comment", "null", PG_SCHEMA, "predicate.comment", "predicate.comment: not a string" },
	{ AP, "predicate.evaluation_card", "\"" X2 "\"", PG_SCHEMA, "predicate.evaluation_card",
	  "predicate.evaluation_card: not \"sha256:\" and 64 lowercase hex digits" },
	{ AP, "predicate.policy", NULL, PG_SCHEMA, "predicate.policy", "predicate.policy: missing" },
	{ AP, "predicate.policy", "[\"sha256:" X3 "\"]", PG_SCHEMA, "predicate.policy",
	  "predicate.policy: not a string" },
	{ AP, "predicate.signer", "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1\"", PG_SCHEMA, "predicate.signer",
	  "predicate.signer: not an OpenPGP fingerprint (40 uppercase hex digits)" },
	{ AP, "predicate.signer", "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"", PG_SCHEMA, "predicate.signer",
	  "predicate.signer: not an OpenPGP fingerprint (40 uppercase hex digits)" },
	{ AP, "predicate.signed_at", "\"2026-11-22 10:00:00\"", PG_SCHEMA, "predicate.signed_at",
	  "predicate.signed_at: not an RFC 3339 UTC timestamp" },
	{ AP, "predicate.signed_at", "\"2026-11-22T10:00:00+00:00\"", PG_SCHEMA, "predicate.signed_at",
	  "predicate.signed_at: not an RFC 3339 UTC timestamp" },
	/* an approval predicate under the transition type: the first member
	 * in document order that a transition does not have */
	{ AP, "predicateType", "\"urn:packgate:transition:v1\"", PG_SCHEMA, "predicate.decision",
	  "predicate.decision: unknown member" },
	/* transition predicate */
	{ TR, "predicate.decision", "\"approve\"", PG_SCHEMA, "predicate.decision",
	  "predicate.decision: unknown member" },
	{ TR, "predicateType", "\"urn:packgate:approval:v1\"", PG_SCHEMA, "predicate.approvals",
	  "predicate.approvals: unknown member" },
	{ TR, "predicate.from", NULL, PG_SCHEMA, "predicate.from", "predicate.from: missing" },
	{ TR, "predicate.from", "\"*\"", PG_SCHEMA, "predicate.from", "predicate.from: unknown state \"*\"" },
	{ TR, "predicate.to", "\"canary\"", PG_SCHEMA, "predicate.to", "predicate.to: the same state as from" },
	{ TR, "predicate.prev", NULL, PG_SCHEMA, "predicate.prev", "predicate.prev: missing" },
	{ TR, "predicate.prev", "5", PG_SCHEMA, "predicate.prev", "predicate.prev: not a string or null" },
	{ TR, "predicate.prev", "\"sha256:" X4 "0\"", PG_SCHEMA, "predicate.prev",
	  "predicate.prev: not \"sha256:\" and 64 lowercase hex digits" },
	{ TR, "predicate.approvals", NULL, PG_SCHEMA, "predicate.approvals", "predicate.approvals: missing" },
	{ TR, "predicate.approvals", "\"sha256:" X5 "\"", PG_SCHEMA, "predicate.approvals",
	  "predicate.approvals: not a list" },
	{ TR, "predicate.approvals[1]", "\"sha256:" X5 "\"", PG_SCHEMA, "predicate.approvals[1]",
	  "predicate.approvals[1]: same value as predicate.approvals[0]" },
	{ TR, "predicate.approvals[1]", "7", PG_SCHEMA, "predicate.approvals[1]",
	  "predicate.approvals[1]: not a string" },
	{ TR, "predicate.supersedes", NULL, PG_SCHEMA, "predicate.supersedes", "predicate.supersedes: missing" },
	{ TR, "predicate.supersedes", "{}", PG_SCHEMA, "predicate.supersedes", "predicate.supersedes: not a list" },
	{ TR, "predicate.supersedes[0]", "[]", PG_SCHEMA, "predicate.supersedes[0]",
	  "predicate.supersedes[0]: not an object" },
	{ TR, "predicate.supersedes[0].why", "\"x\"", PG_SCHEMA, "predicate.supersedes[0].why",
	  "predicate.supersedes[0].why: unknown member" },
	{ TR, "predicate.supersedes[0].id", NULL, PG_SCHEMA, "predicate.supersedes[0].id",
	  "predicate.supersedes[0].id: missing" },
	{ TR, "predicate.supersedes[0].to", "\"champion\"", PG_SCHEMA, "predicate.supersedes[0].to",
	  "predicate.supersedes[0].to: the same state as from" },
	{ TR, "predicate.supersedes[0].from", "\"gold\"", PG_SCHEMA, "predicate.supersedes[0].from",
	  "predicate.supersedes[0].from: unknown state \"gold\"" },
	{ TR, "predicate.comment", NULL, PG_SCHEMA, "predicate.comment", "predicate.comment: missing" },
	{ TR, "predicate.signer", "1", PG_SCHEMA, "predicate.signer", "predicate.signer: not a string" },
};

START_TEST(test_parse_refuses)
{
	const struct bad_case *c = &bad_cases[_i];
	cJSON *root = NULL;
	char *text = NULL;
	size_t len = 0;
	pg_stmt *st = (pg_stmt *)1;
	pg_error err;

	ck_assert_int_eq(pg_json_parse(c->base, strlen(c->base), NULL, &root, NULL), PG_OK);
	set_at(root, c->path, c->value);
	/* canonical, so that only the defect under test is there */
	ck_assert_int_eq(pg_canon(root, &text, &len, NULL), PG_OK);
	cJSON_Delete(root);
	pg_error_clear(&err);
	ck_assert_int_eq(pg_stmt_parse(text, len, &st, &err), c->code);
	ck_assert_ptr_null(st);
	ck_assert_str_eq(err.path, c->epath);
	ck_assert_str_eq(err.message, c->message);
	free(text);
}
END_TEST

/* Whole documents: JSON defects, the root, canonical form. */
struct raw_case {
	const char *text;
	pg_code code;
	const char *epath;
	const char *message;
};

static const struct raw_case raw_cases[] = {
	{ "[]", PG_SCHEMA, "", "statement: not a JSON object" },
	{ "\"x\"", PG_SCHEMA, "", "statement: not a JSON object" },
	{ "{", PG_JSON_SYNTAX, NULL, NULL },
	{ "{\"_type\":1,\"_type\":2}", PG_JSON_DUPLICATE_KEY, NULL, NULL },
	{ "{\"_type\":\"\\u0000\"}", PG_JSON_ENCODING, NULL, NULL },
	{ "{}", PG_SCHEMA, "_type", "_type: missing" },
};

START_TEST(test_parse_raw)
{
	const struct raw_case *c = &raw_cases[_i];
	pg_stmt *st = (pg_stmt *)1;
	pg_error err;

	pg_error_clear(&err);
	ck_assert_int_eq(pg_stmt_parse(c->text, strlen(c->text), &st, &err), c->code);
	ck_assert_ptr_null(st);
	if (c->epath)
		ck_assert_str_eq(err.path, c->epath);
	if (c->message)
		ck_assert_str_eq(err.message, c->message);
}
END_TEST

/* The same statement with whitespace, reordered keys or an escaped
 * character is valid JSON but not the bytes that are signed and hashed. */
START_TEST(test_parse_not_canonical)
{
	static const char *const variants[] = { " ", "\n", "reorder", "escape" };
	const char *v = variants[_i];
	char *text;
	size_t n = strlen(approval_bytes);
	pg_stmt *st = (pg_stmt *)1;
	pg_error err;

	text = malloc(n + 16);
	ck_assert_ptr_nonnull(text);
	if (strcmp(v, "reorder") == 0) {
		/* "_type" moved after "subject" */
		const char *pred = strstr(approval_bytes, ",\"predicate\":");

		ck_assert_ptr_nonnull(pred);
		snprintf(text, n + 16, "{%.*s,%.*s}", (int)(n - (size_t)(pred + 1 - approval_bytes) - 1),
		         pred + 1, (int)(pred - approval_bytes - 1), approval_bytes + 1);
	} else if (strcmp(v, "escape") == 0) {
		/* "ok \u00e9\n": the same string, escaped */
		const char *e = strstr(approval_bytes, "\xc3\xa9");

		ck_assert_ptr_nonnull(e);
		snprintf(text, n + 16, "%.*s\\u00e9%s", (int)(e - approval_bytes), approval_bytes, e + 2);
	} else {
		snprintf(text, n + 16, "%s%s", approval_bytes, v);
	}
	ck_assert_int_eq(pg_stmt_parse(text, strlen(text), &st, &err), PG_SCHEMA);
	ck_assert_ptr_null(st);
	ck_assert_str_eq(err.path, "");
	ck_assert_str_eq(err.message, "statement: not in RFC 8785 canonical form");
	free(text);
}
END_TEST

/* ------------------------------------------------------------ hashes */

static void sha256_gcrypt(const void *p, size_t n, char hex[65])
{
	unsigned char d[32];

	gcry_md_hash_buffer(GCRY_MD_SHA256, d, p, n);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

START_TEST(test_digest)
{
	char dg[PG_STMT_DIGEST_SIZE], hex[65];

	pg_stmt_digest(approval_bytes, strlen(approval_bytes), dg);
	sha256_gcrypt(approval_bytes, strlen(approval_bytes), hex);
	ck_assert_str_eq(dg + 7, hex);
	ck_assert_str_eq(hex, approval_sha256);
	pg_stmt_digest("", 0, dg);
	ck_assert_str_eq(dg, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
END_TEST

/* The audit chain hash (registry.c) against the literal concatenation
 * prev_hash "\n" statement "\n" signature, hashed here and by sha256sum. */
START_TEST(test_chain_hash)
{
	static const char stmt1[] = "{\"a\":1}";
	static const char sig1[] = "-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n";
	static const char lit1[] =
		PG_REG_ZERO_HASH "\n{\"a\":1}\n-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n";
	char h1[PG_SHA256_HEX], h2[PG_SHA256_HEX], want[65], lit2[256];
	pg_error err;

	ck_assert_int_eq(pg_digest_init(NULL), PG_OK);
	ck_assert_int_eq(pg_reg_chain_hash(PG_REG_ZERO_HASH, stmt1, strlen(stmt1), sig1, h1, &err), PG_OK);
	sha256_gcrypt(lit1, strlen(lit1), want);
	ck_assert_str_eq(h1, want);
	ck_assert_str_eq(h1, "d4ed16a9c0c49e1b4d847a06bca665d205a5f32dc33f850aedbdf198f19ad185");

	/* the next entry chains on the first */
	ck_assert_int_eq(pg_reg_chain_hash(h1, "{\"b\":2}", 7, "SIG2", h2, &err), PG_OK);
	snprintf(lit2, sizeof lit2, "%s\n{\"b\":2}\nSIG2", h1);
	sha256_gcrypt(lit2, strlen(lit2), want);
	ck_assert_str_eq(h2, want);
	ck_assert_str_eq(h2, "9a293318b385276ab572cdf8c52a55708b6a841cf8f96db457f80f14d950be2b");
}
END_TEST

START_TEST(test_kind_name)
{
	ck_assert_str_eq(pg_stmt_kind_name(PG_STMT_APPROVAL), "approval");
	ck_assert_str_eq(pg_stmt_kind_name(PG_STMT_TRANSITION), "transition");
	ck_assert_ptr_null(pg_stmt_kind_name((pg_stmt_kind)7));
	pg_stmt_free(NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("statement");
	TCase *tb = tcase_create("build");
	TCase *tp = tcase_create("parse");
	TCase *th = tcase_create("hash");

	tcase_add_test(tb, test_build_approval_exact);
	tcase_add_test(tb, test_build_transition_exact);
	tcase_add_test(tb, test_build_refuses);
	suite_add_tcase(s, tb);
	tcase_add_test(tp, test_parse_approval);
	tcase_add_test(tp, test_parse_transition);
	tcase_add_loop_test(tp, test_parse_refuses, 0, (int)(sizeof bad_cases / sizeof bad_cases[0]));
	tcase_add_loop_test(tp, test_parse_raw, 0, (int)(sizeof raw_cases / sizeof raw_cases[0]));
	tcase_add_loop_test(tp, test_parse_not_canonical, 0, 4);
	suite_add_tcase(s, tp);
	tcase_add_test(th, test_digest);
	tcase_add_test(th, test_chain_hash);
	tcase_add_test(th, test_kind_name);
	suite_add_tcase(s, th);
	return pg_check_run(s);
}
