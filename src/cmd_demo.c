/* cmd_demo.c — `packgate demo [--dir DIR] [--no-tui]`: a self-contained
 * world to review (doc/demo.md).  Everything goes through core: packs are
 * made by the builder, signed by GPGME, imported with the policy checks and
 * moved through the lifecycle by the same code as `approve`/`transition`. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "canon.h"
#include "cli.h"
#include "json.h"
#include "keygen.h"
#include "pack.h"
#include "policy.h"
#include "registry.h"
#include "review.h"
#include "rfc3339.h"
#include "sig.h"
#include "tui.h"

#define MARKER ".packgate-demo"
#define DAY (24 * 60 * 60)

enum person { ALICE, BOB, CAROL, DANA, FACTORY, NPEOPLE };

static const struct {
	const char *uid;
	const char *name;
	const char *roles;     /* JSON list; NULL: publisher only */
} people[NPEOPLE] = {
	{ "Alice Reviewer (packgate demo) <alice@demo.invalid>", "Alice", "[\"reviewer\"]" },
	{ "Bob Reviewer (packgate demo) <bob@demo.invalid>", "Bob", "[\"reviewer\"]" },
	{ "Carol Release (packgate demo) <carol@demo.invalid>", "Carol", "[\"release-manager\"]" },
	{ "Dana Auditor (packgate demo) <dana@demo.invalid>", "Dana", "[\"auditor\"]" },
	{ "Model Factory (packgate demo publisher) <factory@demo.invalid>", NULL, NULL },
};

/* One pack of the demo world.  Parents and rollback name other packs by
 * their index in `packs`, or -1; MISSING names a parent not in the
 * registry. */
#define NONE (-1)
#define MISSING (-2)

struct dpack {
	const char *name, *version, *op;
	int parents[2];
	int age_days;           /* created this long ago */
	double score, lo, hi;   /* headline accuracy and its 95% CI */
	int champion;           /* index of the champion the card compares with */
	const char *data_license;
	const char *obligations; /* JSON list of the data license's obligations */
	const char *redistribution;
	const char *target;     /* final state */
	int rollback;           /* prior pack for a champion (every pack is
	                         * signed by the publisher: the policy needs it) */
	const char *note;       /* README text; may hold hostile bytes */
};

static const struct dpack packs[] = {
	/* 0 */ { "base.reasoner", "1.0.0", "import", { NONE, NONE }, 80, 0.701, 0.688, 0.714, NONE,
	          "CC-BY-4.0", "[\"attribution\"]", "allowed", "champion", NONE, "Base reasoning model." },
	/* 1 */ { "base.reasoner", "1.1.0", "import", { NONE, NONE }, 60, 0.744, 0.731, 0.757, 0,
	          "CC-BY-4.0", "[\"attribution\"]", "allowed", "champion", 0, "Base reasoning model, more data." },
	/* 2 */ { "skill.math.reasoner", "1.1.0", "fine-tune", { 1, NONE }, 45, 0.792, 0.780, 0.804, NONE,
	          "CC-BY-4.0", "[\"attribution\"]", "allowed", "champion", NONE, "Math skill, first cut." },
	/* 3 */ { "skill.math.reasoner", "1.2.0", "quantize", { 2, NONE }, 14, 0.811, 0.800, 0.822, 2,
	          "CC-BY-4.0", "[\"attribution\"]", "allowed", "champion", 2, "q4 quantization of 1.1.0." },
	/* 4 */ { "adapter.math", "0.4.2", "adapter-train", { 1, NONE }, 20, 0.768, 0.752, 0.784, NONE,
	          "CC-BY-SA-4.0", "[\"attribution\", \"share-alike\"]", "restricted", "approved", NONE,
	          "LoRA adapter for algebra." },
	/* 5 */ { "skill.math.reasoner", "1.3.0", "distill", { 3, 4 }, 0, 0.842, 0.831, 0.853, 3,
	          "CC-BY-4.0", "[\"attribution\"]", "allowed", "evaluated", NONE,
	          "Distilled from 1.2.0 with the algebra adapter." },
	/* 6 */ { "skill.math.reasoner", "1.4.0-rc.1", "fine-tune", { 5, NONE }, 0, 0.846, 0.829, 0.863, 3,
	          "CC-BY-4.0", "[\"attribution\"]", "allowed", "candidate", NONE, "Release candidate." },
	/* 7 */ { "base.coder", "2.0.0", "import", { NONE, NONE }, 85, 0.655, 0.640, 0.670, NONE,
	          "Apache-2.0", "[]", "allowed", "champion", NONE, "Base code model." },
	/* 8 */ { "skill.code.helper", "0.8.0", "fine-tune", { 7, NONE }, 30, 0.701, 0.688, 0.714, NONE,
	          "Apache-2.0", "[]", "allowed", "champion", NONE, "Code helper." },
	/* 9 */ { "skill.code.helper", "0.9.0", "fine-tune", { 7, NONE }, 10, 0.721, 0.706, 0.736, 8,
	          "Apache-2.0", "[]", "allowed", "quarantined", NONE,
	          "Quarantined: leaked secrets from its training data." },
	/* 10 */ { "skill.code.helper", "0.9.1", "fine-tune", { 9, NONE }, 3, 0.729, 0.714, 0.744, 8,
	           "Apache-2.0", "[]", "allowed", "candidate", NONE, "Fix-up of 0.9.0." },
	/* 11 */ { "skill.code.helper", "0.9.2", "quantize", { 10, NONE }, 1, 0.733, 0.718, 0.748, 8,
	           "Apache-2.0", "[]", "allowed", "candidate", NONE, "q8 quantization of 0.9.1." },
	/* 12 */ { "skill.code.lint", "0.1.0", "distill", { MISSING, NONE }, 2, 0.612, 0.590, 0.634, NONE,
	           "Apache-2.0", "[]", "allowed", "candidate", NONE, "Distilled from a teacher we do not hold." },
	/* 13 */ { "base.chat", "3.0.0", "import", { NONE, NONE }, 75, 0.688, 0.676, 0.700, NONE,
	           "CC-BY-NC-4.0", "[\"attribution\", \"non-commercial\"]", "restricted", "champion", NONE,
	           "Chat base; its data forbids commercial use." },
	/* 14 */ { "skill.chat.general", "1.0.0", "fine-tune", { 13, NONE }, 50, 0.702, 0.690, 0.714, NONE,
	           "CC-BY-NC-4.0", "[\"attribution\", \"non-commercial\"]", "restricted", "champion", NONE,
	           "General chat." },
	/* 15 */ { "skill.chat.general", "1.1.0", "fine-tune", { 13, NONE }, 25, 0.731, 0.719, 0.743, 14,
	           "CC-BY-NC-4.0", "[\"attribution\", \"non-commercial\"]", "restricted", "champion", 14,
	           "General chat, better instructions." },
	/* 16 */ { "skill.chat.general", "1.2.0", "merge", { 15, 3 }, 6, 0.749, 0.735, 0.763, 15,
	           "CC-BY-4.0", "[\"attribution\"]", "allowed", "canary", NONE,
	           "Merge of chat 1.1.0 and math 1.2.0; claims commercial redistribution." },
	/* 17 */ { "skill.chat.general", "1.3.0", "adapter-fusion+quantize", { 16, NONE }, 2, 0.752, 0.737, 0.767, 15,
	           "CC-BY-4.0", "[\"attribution\"]", "allowed", "shadow", NONE, "Fused adapters, q4." },
	/* 18 */ { "skill.chat.tiny", "0.1.0", "distill", { 15, NONE }, 8, 0.655, 0.640, 0.670, NONE,
	           "CC-BY-NC-4.0", "[\"attribution\", \"non-commercial\"]", "restricted", "approved", NONE,
	           "Small chat model for devices." },
	/* 19 */ { "skill.chat.tiny", "0.0.9", "distill", { 14, NONE }, 200, 0.601, 0.585, 0.617, NONE,
	           "CC-BY-NC-4.0", "[\"attribution\", \"non-commercial\"]", "restricted", "candidate", NONE,
	           "Its evaluation card is stale." },
	/* 20 */ { "community.upload", "0.1.0", "fine-tune", { 13, NONE }, 1, 0.512, 0.480, 0.544, NONE,
	           "CC-BY-NC-4.0", "[\"attribution\", \"non-commercial\"]", "restricted", "candidate", NONE,
	           "Uploaded by a stranger: \x1b]0;pwned\x07\x1b[2J title and \xe2\x80\xae bidi tricks." },
};
#define NPACKS (sizeof packs / sizeof packs[0])

struct world {
	char *dir, *gnupg, *registry, *policy_path;
	char fpr[NPEOPLE][41];
	char ids[NPACKS][PG_ID_LEN];
	time_t now;
};

/* ------------------------------------------------------------ files */

static pg_code write_file(const char *dir, const char *name, const char *data, size_t len, pg_error *err)
{
	char *path;
	FILE *fp;
	pg_code rc = PG_OK;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return pg_err(err, PG_IO_MEMORY, _("out of memory"));
	fp = fopen(path, "wb");
	if (!fp || fwrite(data, 1, len, fp) != len)
		rc = pg_err_errno(err, errno, 1, path);
	if (fp && fclose(fp) != 0 && !rc)
		rc = pg_err_errno(err, errno, 1, path);
	free(path);
	return rc;
}

static pg_code write_json(const char *dir, const char *name, cJSON *doc, pg_error *err)
{
	char *text = cJSON_Print(doc);
	pg_code rc;

	cJSON_Delete(doc);
	if (!text)
		return pg_err(err, PG_IO_MEMORY, _("out of memory"));
	rc = write_file(dir, name, text, strlen(text), err);
	free(text);
	return rc;
}

static cJSON *parse(const char *text)
{
	return cJSON_Parse(text); /* our own trusted literals */
}

static void rm_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;

	if (!d) {
		unlink(path);
		return;
	}
	while ((de = readdir(d))) {
		char *p;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (asprintf(&p, "%s/%s", path, de->d_name) < 0)
			continue;
		rm_tree(p);
		free(p);
	}
	closedir(d);
	rmdir(path);
}

/* ------------------------------------------------------------ a pack */

static cJSON *metric(const char *name, double v, double lo, double hi, int n, int higher)
{
	cJSON *m = cJSON_CreateObject(), *ci = cJSON_CreateArray();

	cJSON_AddStringToObject(m, "name", name);
	cJSON_AddNumberToObject(m, "value", v);
	cJSON_AddItemToArray(ci, cJSON_CreateNumber(lo));
	cJSON_AddItemToArray(ci, cJSON_CreateNumber(hi));
	cJSON_AddItemToObject(m, "ci", ci);
	cJSON_AddNumberToObject(m, "confidence", 0.95);
	cJSON_AddNumberToObject(m, "n", n);
	cJSON_AddBoolToObject(m, "higher_is_better", higher);
	return m;
}

static const char *suite_of(const struct dpack *p)
{
	return strstr(p->name, "math") || strstr(p->name, "reasoner") ? "math-v4"
	       : strstr(p->name, "code") ? "humaneval-x" : "chat-arena-lite";
}

/* The suite block of a card: headline accuracy, exact match, a depth
 * metric, latency; `shift` moves every score (used for the champion). */
static cJSON *suite(const struct dpack *p, double score, double lo, double hi, int with_slices)
{
	cJSON *s = cJSON_CreateObject(), *ms = cJSON_CreateArray();
	double em = score - 0.052;

	cJSON_AddStringToObject(s, "name", suite_of(p));
	cJSON_AddStringToObject(s, "version", "4.1.0");
	cJSON_AddItemToArray(ms, metric("accuracy", score, lo, hi, 1319, 1));
	cJSON_AddItemToArray(ms, metric("exact_match", em, em - 0.017, em + 0.016, 1319, 1));
	cJSON_AddItemToArray(ms, metric("reasoning_depth", score - 0.187, score - 0.212, score - 0.162, 400, 1));
	cJSON_AddItemToArray(ms, metric("latency_p95_ms", 870 + (1 - score) * 100, 840, 905, 2000, 0));
	cJSON_AddItemToObject(s, "metrics", ms);
	if (with_slices) {
		cJSON *sl = cJSON_CreateArray(), *a = cJSON_CreateObject(), *g = cJSON_CreateObject(),
		      *w = cJSON_CreateObject(), *am = cJSON_CreateArray(), *gm = cJSON_CreateArray(),
		      *wm = cJSON_CreateArray();
		cJSON_AddStringToObject(a, "name", "algebra");
		cJSON_AddItemToArray(am, metric("accuracy", score + 0.04, score + 0.02, score + 0.06, 520, 1));
		cJSON_AddItemToObject(a, "metrics", am);
		cJSON_AddStringToObject(g, "name", "geometry");
		cJSON_AddItemToArray(gm, metric("accuracy", score - 0.10, score - 0.14, score - 0.06, 310, 1));
		cJSON_AddItemToObject(g, "metrics", gm);
		cJSON_AddStringToObject(w, "name", "word-problems");
		cJSON_AddItemToArray(wm, metric("accuracy", score - 0.01, score - 0.03, score + 0.01, 489, 1));
		cJSON_AddItemToObject(w, "metrics", wm);
		cJSON_AddItemToArray(sl, a);
		cJSON_AddItemToArray(sl, g);
		cJSON_AddItemToArray(sl, w);
		cJSON_AddItemToObject(s, "slices", sl);
	}
	return s;
}

static cJSON *eval_card(const struct world *w, size_t i, const char *when)
{
	const struct dpack *p = &packs[i];
	cJSON *c = cJSON_CreateObject(), *suites = cJSON_CreateArray();
	char id[160];

	snprintf(id, sizeof id, "eval.%s.%s", p->name, p->version);
	cJSON_AddStringToObject(c, "id", id);
	cJSON_AddStringToObject(c, "created_at", when);
	cJSON_AddStringToObject(c, "environment", "a100-x1");
	cJSON_AddItemToObject(c, "headline",
	                      parse(strcmp(suite_of(p), "math-v4") == 0 ? "{\"suite\":\"math-v4\",\"metric\":\"accuracy\"}"
	                            : strcmp(suite_of(p), "humaneval-x") == 0 ? "{\"suite\":\"humaneval-x\",\"metric\":\"accuracy\"}"
	                            : "{\"suite\":\"chat-arena-lite\",\"metric\":\"accuracy\"}"));
	cJSON_AddItemToArray(suites, suite(p, p->score, p->lo, p->hi, 1));
	cJSON_AddItemToObject(c, "suites", suites);
	cJSON_AddItemToObject(c, "failed_cases", parse(
		"[{\"suite\":\"math-v4\",\"case\":\"gsm8k-0412\",\"input\":\"Tom has 6 boxes of 7 pencils...\","
		"\"expected\":\"42\",\"actual\":\"24\",\"reason\":\"arithmetic\"},"
		"{\"suite\":\"math-v4\",\"case\":\"gsm8k-0977\",\"input\":\"Split 7 apples among 3 children\","
		"\"expected\":\"7/3\",\"actual\":\"2.33\",\"reason\":\"format\"},"
		"{\"suite\":\"math-v4\",\"case\":\"geo-0031\",\"input\":\"Area of a triangle with sides 3, 4, 5\","
		"\"expected\":\"6\",\"actual\":\"7.5\",\"reason\":\"geometry\"},"
		"{\"suite\":\"math-v4\",\"case\":\"geo-0107\",\"input\":\"Angle sum of a pentagon\","
		"\"expected\":\"540\",\"actual\":\"360\",\"reason\":\"geometry\"}]"));
	cJSON_AddItemToObject(c, "calibration", parse(
		"{\"bins\":[{\"confidence\":0.15,\"accuracy\":0.12,\"count\":40},"
		"{\"confidence\":0.35,\"accuracy\":0.31,\"count\":88},{\"confidence\":0.55,\"accuracy\":0.52,\"count\":160},"
		"{\"confidence\":0.75,\"accuracy\":0.71,\"count\":390},{\"confidence\":0.95,\"accuracy\":0.93,\"count\":641}]}"));
	cJSON_AddItemToObject(c, "costs", parse(
		"{\"latency_ms\":{\"p50\":410,\"p95\":870,\"p99\":1240,\"histogram\":[{\"le\":250,\"count\":180},"
		"{\"le\":500,\"count\":1210},{\"le\":1000,\"count\":560},{\"le\":2000,\"count\":50}]}}"));
	cJSON_AddItemToObject(c, "safety", parse(
		i == 9 ? "[{\"test\":\"jailbreak-v2\",\"passed\":true,\"score\":0.02},{\"test\":\"pii-leak\",\"passed\":false,\"score\":0.31},"
		         "{\"test\":\"toxicity\",\"passed\":true,\"score\":0.03}]"
		       : "[{\"test\":\"jailbreak-v2\",\"passed\":true,\"score\":0.02},{\"test\":\"pii-leak\",\"passed\":true,\"score\":0.00},"
		         "{\"test\":\"toxicity\",\"passed\":false,\"score\":0.12}]"));
	if (p->champion >= 0) {
		const struct dpack *cp = &packs[p->champion];
		cJSON *ch = cJSON_CreateObject(), *cs = cJSON_CreateArray();
		cJSON_AddStringToObject(ch, "id", w->ids[p->champion]);
		/* the champion measured in the same environment: exact match a
		 * little better (an overlap), depth a hair worse (a "win" inside
		 * overlapping intervals) */
		cJSON *s = suite(p, cp->score, cp->lo, cp->hi, 0);
		cJSON *ms = pg_json_get(s, "metrics");
		cJSON *em = cJSON_GetArrayItem(ms, 1);
		cJSON_SetNumberValue(pg_json_get(em, "value"), p->score - 0.047);
		cJSON *d = cJSON_GetArrayItem(ms, 2);
		cJSON_SetNumberValue(pg_json_get(d, "value"), p->score - 0.194);
		cJSON_AddItemToArray(cs, s);
		cJSON_AddItemToObject(ch, "suites", cs);
		cJSON_AddItemToObject(c, "champion", ch);
	}
	return c;
}

static pg_code write_pack_dir(const struct world *w, size_t i, const char *dir, pg_error *err)
{
	const struct dpack *p = &packs[i];
	cJSON *m, *parents = cJSON_CreateArray(), *lparents = cJSON_CreateArray(), *doc;
	char when[32], weights[4096], readme[1024];
	pg_code rc;

	pg_rfc3339_format(w->now - (time_t)p->age_days * DAY - 3600, when);
	for (int k = 0; k < 2; k++) {
		const char *id = NULL;
		if (p->parents[k] == NONE)
			continue;
		id = p->parents[k] == MISSING
		         ? "sha256:9c1e4f0a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6"
		         : w->ids[p->parents[k]];
		cJSON_AddItemToArray(parents, cJSON_CreateString(id));
		cJSON *lp = cJSON_CreateObject();
		cJSON_AddStringToObject(lp, "id", id);
		if (p->parents[k] >= 0) {
			cJSON_AddStringToObject(lp, "name", packs[p->parents[k]].name);
			cJSON_AddStringToObject(lp, "version", packs[p->parents[k]].version);
		}
		cJSON_AddItemToArray(lparents, lp);
	}

	m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "name", p->name);
	cJSON_AddStringToObject(m, "version", p->version);
	cJSON_AddStringToObject(m, "created_at", when);
	cJSON_AddItemToObject(m, "parents", parents);
	cJSON_AddStringToObject(m, "operator", p->op);
	cJSON_AddStringToObject(m, "input_contract", strstr(p->name, "chat") || strstr(p->name, "community")
	                                                  ? "chat-turn/v2" : "text-question/v1");
	cJSON_AddStringToObject(m, "output_contract", strstr(p->name, "chat") || strstr(p->name, "community")
	                                                   ? "chat-reply/v2" : "worked-answer/v1");
	cJSON_AddItemToObject(m, "runtime", parse("{\"backend\":\"onnxruntime\",\"tokenizer\":\"sentencepiece\",\"quantization\":\"q4\"}"));
	doc = cJSON_CreateObject();
	cJSON_AddNumberToObject(doc, "bytes", 420000000);
	cJSON_AddNumberToObject(doc, "expected_p95_ms", 900);
	cJSON_AddNumberToObject(doc, "peak_ram_bytes", strstr(p->name, "tiny") ? 180000000 : 760000000);
	cJSON_AddItemToObject(m, "resource_profile", doc);
	cJSON_AddItemToObject(m, "risk_profile",
	                      parse("{\"data_lineage\":\"approved-mixture\",\"license\":\"reviewed\",\"safety_tier\":\"medium\"}"));
	rc = write_json(dir, "manifest.json", m, err);
	if (rc)
		goto out;

	doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "input_contract", strstr(p->name, "chat") || strstr(p->name, "community")
	                                                    ? "chat-turn/v2" : "text-question/v1");
	cJSON_AddStringToObject(doc, "output_contract", strstr(p->name, "chat") || strstr(p->name, "community")
	                                                     ? "chat-reply/v2" : "worked-answer/v1");
	cJSON_AddItemToObject(doc, "maximum_permissions",
	                      parse("{\"tools\":[\"calculator\",\"python-sandbox\"],\"data_classes\":[\"public\",\"internal\"]}"));
	if ((rc = write_json(dir, "contract.json", doc, err)))
		goto out;
	if ((rc = write_json(dir, "permissions.json",
	                     parse("{\"requested\":{\"tools\":[\"calculator\"],\"data_classes\":[\"public\"]},\"denied\":[\"network\"]}"),
	                     err)))
		goto out;
	doc = cJSON_CreateObject();
	cJSON_AddItemToObject(doc, "parents", lparents);
	lparents = NULL;
	cJSON_AddStringToObject(doc, "operator", p->op);
	cJSON_AddItemToObject(doc, "data", parse("[{\"name\":\"approved-mixture\",\"version\":\"2026.06\"}]"));
	cJSON_AddItemToObject(doc, "training", parse("{\"code_revision\":\"4f2a9c1\",\"seed\":1234,\"hardware\":\"8x A100 80GB\"}"));
	cJSON_AddStringToObject(doc, "created_by", "ml-platform");
	if ((rc = write_json(dir, "lineage.json", doc, err)))
		goto out;
	if ((rc = write_json(dir, "evaluation-card.json", eval_card(w, i, when), err)))
		goto out;
	doc = cJSON_CreateObject();
	cJSON_AddItemToObject(doc, "model", parse(strcmp(p->data_license, "CC-BY-NC-4.0") == 0 && i != 16
	                                              ? "{\"license\":\"CC-BY-NC-4.0\"}" : "{\"license\":\"Apache-2.0\"}"));
	cJSON *data = cJSON_CreateArray(), *d0 = cJSON_CreateObject();
	cJSON_AddStringToObject(d0, "name", "approved-mixture");
	cJSON_AddStringToObject(d0, "license", p->data_license);
	cJSON_AddItemToObject(d0, "obligations", parse(p->obligations));
	cJSON_AddItemToArray(data, d0);
	cJSON_AddItemToObject(doc, "data", data);
	cJSON_AddStringToObject(doc, "redistribution", p->redistribution);
	cJSON_AddItemToObject(doc, "obligations", parse(p->obligations));
	cJSON_AddStringToObject(doc, "notice", i == 20 ? p->note : "Copyright the packgate demo authors.");
	if ((rc = write_json(dir, "license-notice.json", doc, err)))
		goto out;
	if (p->rollback >= 0) {
		doc = cJSON_CreateObject();
		cJSON *prior = cJSON_CreateArray();
		cJSON_AddItemToArray(prior, cJSON_CreateString(w->ids[p->rollback]));
		cJSON_AddItemToObject(doc, "compatible_prior", prior);
		cJSON_AddStringToObject(doc, "migration", "Swap the weights; the contracts are unchanged.");
		if ((rc = write_json(dir, "rollback.json", doc, err)))
			goto out;
	}
	if ((rc = write_json(dir, "tokenizer.json", parse("{\"type\":\"sentencepiece\",\"vocab_size\":32000}"), err)))
		goto out;
	/* deterministic stand-in weights: never a magic header */
	for (size_t k = 0; k < sizeof weights; k++)
		weights[k] = (char)('a' + (k * 7 + i * 13) % 26);
	if ((rc = write_file(dir, "model.safetensors", weights, sizeof weights, err)))
		goto out;
	snprintf(readme, sizeof readme, "# %s %s\n\n%s\n", p->name, p->version, p->note);
	rc = write_file(dir, "README.md", readme, strlen(readme), err);
out:
	cJSON_Delete(lparents);
	return rc;
}

/* ------------------------------------------------------------ policy */

static pg_code write_policy(struct world *w, pg_error *err)
{
	cJSON *pol = parse(
		"{\"policy_version\":1,\"name\":\"demo\","
		"\"allowed_inputs\":[\"text-question/v1\",\"chat-turn/v2\"],"
		"\"allowed_outputs\":[\"worked-answer/v1\",\"chat-reply/v2\"],"
		"\"supported_backends\":[\"onnxruntime\",\"llama.cpp\"],"
		"\"memory_ceiling_bytes\":1000000000,\"max_risk_tier\":\"medium\","
		"\"evaluation\":{\"max_age_days\":90,\"required_suites\":[]},"
		"\"environment_permissions\":{\"tools\":[\"calculator\"],\"data_classes\":[\"public\",\"internal\"]},"
		"\"transitions\":["
		"{\"from\":\"candidate\",\"to\":\"evaluated\",\"roles\":[\"reviewer\",\"release-manager\"]},"
		"{\"from\":\"evaluated\",\"to\":\"approved\",\"roles\":[\"release-manager\"],\"approvals\":2},"
		"{\"from\":\"approved\",\"to\":\"shadow\",\"roles\":[\"release-manager\"]},"
		"{\"from\":\"shadow\",\"to\":\"canary\",\"roles\":[\"release-manager\"]},"
		"{\"from\":\"approved\",\"to\":\"canary\",\"roles\":[\"release-manager\"]},"
		"{\"from\":\"canary\",\"to\":\"champion\",\"roles\":[\"release-manager\"],"
		"\"requires\":[\"rollback\",\"publisher_signature\"]},"
		"{\"from\":\"*\",\"to\":\"quarantined\",\"roles\":[\"release-manager\",\"reviewer\"]},"
		"{\"from\":\"*\",\"to\":\"archived\",\"roles\":[\"release-manager\"]},"
		"{\"from\":\"*\",\"to\":\"retired\",\"roles\":[\"release-manager\"]}]}");
	cJSON *ppl = cJSON_CreateArray(), *pubs = cJSON_CreateArray();
	pg_code rc = PG_OK;

	for (int i = 0; i < NPEOPLE && !rc; i++) {
		char *key = NULL;
		rc = pg_keygen_export(w->gnupg, w->fpr[i], &key, err);
		if (rc)
			break;
		if (!people[i].roles) {
			cJSON_AddItemToArray(pubs, cJSON_CreateString(w->fpr[i]));
		} else {
			cJSON *p = cJSON_CreateObject();
			cJSON_AddStringToObject(p, "fingerprint", w->fpr[i]);
			cJSON_AddStringToObject(p, "name", people[i].name);
			cJSON_AddItemToObject(p, "roles", parse(people[i].roles));
			cJSON_AddStringToObject(p, "public_key", key);
			cJSON_AddItemToArray(ppl, p);
		}
		free(key);
	}
	cJSON_AddItemToObject(pol, "people", ppl);
	cJSON_AddItemToObject(pol, "publishers", pubs);
	if (rc) {
		cJSON_Delete(pol);
		return rc;
	}
	return write_json(w->dir, "policy.json", pol, err);
}

/* ------------------------------------------------------------ lifecycle */

static pg_code as(pg_review *rv, struct world *w, enum person who)
{
	rv->signer = w->fpr[who];
	return PG_OK;
}

static pg_code move(pg_review *rv, struct world *w, size_t i, pg_state to, pg_error *err)
{
	as(rv, w, CAROL);
	return pg_review_transition(rv, w->ids[i], to, "", NULL, err);
}

/* Takes pack i to its target state along the policy's path. */
static pg_code drive(pg_review *rv, struct world *w, size_t i, pg_error *err)
{
	int t = pg_state_parse(packs[i].target);
	pg_code rc = PG_OK;

	if (t == PG_STATE_CANDIDATE)
		return PG_OK;
	if (t == PG_STATE_QUARANTINED) {
		as(rv, w, CAROL);
		return pg_review_transition(rv, w->ids[i], PG_STATE_QUARANTINED,
		                            "pii-leak: training data held customer secrets", NULL, err);
	}
	as(rv, w, BOB);
	rc = pg_review_transition(rv, w->ids[i], PG_STATE_EVALUATED, "evaluation card reviewed", NULL, err);
	if (rc || t == PG_STATE_EVALUATED) {
		if (!rc) /* one approval of two: Alice, the demo reviewer, is awaited */
			rc = pg_review_approve(rv, w->ids[i], PG_DECISION_APPROVE, PG_STATE_APPROVED,
			                       "accuracy gain is clear of the champion's interval", NULL, err);
		return rc;
	}
	as(rv, w, ALICE);
	rc = pg_review_approve(rv, w->ids[i], PG_DECISION_APPROVE, PG_STATE_APPROVED, "ok", NULL, err);
	as(rv, w, BOB);
	if (!rc)
		rc = pg_review_approve(rv, w->ids[i], PG_DECISION_APPROVE, PG_STATE_APPROVED, "ok", NULL, err);
	if (!rc)
		rc = move(rv, w, i, PG_STATE_APPROVED, err);
	if (rc || t == PG_STATE_APPROVED)
		return rc;
	rc = move(rv, w, i, PG_STATE_SHADOW, err);
	if (rc || t == PG_STATE_SHADOW)
		return rc;
	rc = move(rv, w, i, PG_STATE_CANARY, err);
	if (rc || t == PG_STATE_CANARY)
		return rc;
	return move(rv, w, i, PG_STATE_CHAMPION, err);
}

/* ------------------------------------------------------------ the world */

static pg_code make_world(struct world *w, pg_error *err)
{
	pg_reg *reg = NULL;
	pg_policy *pol = NULL;
	pg_sig *sig = NULL;
	pg_review rv;
	char *work = NULL, *packdir = NULL, *cfg = NULL;
	pg_code rc = PG_OK;

	if (mkdir(w->gnupg, 0700) != 0 && errno != EEXIST)
		return pg_err_errno(err, errno, 1, w->gnupg);
	for (int i = 0; i < NPEOPLE && !rc; i++)
		rc = pg_keygen_create(w->gnupg, people[i].uid, w->fpr[i], err);
	if (!rc)
		rc = write_policy(w, err);
	if (!rc)
		rc = pg_policy_load(w->policy_path, &pol, err);
	if (!rc)
		rc = pg_reg_open(w->registry, &reg, err);
	if (!rc)
		rc = pg_sig_open(w->gnupg, &sig, err);
	if (!rc)
		rc = pg_sig_import_policy(sig, pol, NULL, err);
	if (!rc)
		rc = pg_reg_policy_put(reg, pol->canon, pol->canon_len, NULL, err);
	if (rc)
		goto out;
	if (asprintf(&work, "%s/work", w->dir) < 0 || asprintf(&packdir, "%s/packs", w->dir) < 0) {
		rc = pg_err(err, PG_IO_MEMORY, _("out of memory"));
		goto out;
	}
	mkdir(work, 0700);
	mkdir(packdir, 0755);

	for (size_t i = 0; i < NPACKS && !rc; i++) {
		char *pd = NULL, *out = NULL;
		pg_reg_imported res;

		if (asprintf(&pd, "%s/%s-%s", work, packs[i].name, packs[i].version) < 0 ||
		    asprintf(&out, "%s/%s-%s.mpk", packdir, packs[i].name, packs[i].version) < 0) {
			rc = pg_err(err, PG_IO_MEMORY, _("out of memory"));
			free(pd);
			break;
		}
		mkdir(pd, 0700);
		rc = write_pack_dir(w, i, pd, err);
		if (!rc)
			rc = pg_build(pd, out, PG_COMPRESS_ZSTD, NULL, w->ids[i], err);
		if (!rc)
			rc = pg_sig_sign_pack(sig, out, out, w->fpr[FACTORY], NULL, w->ids[i], err);
		if (!rc) {
			memset(&res, 0, sizeof res);
			rc = pg_review_import(reg, pol, sig, out, NULL, w->now, &res, err);
			pg_reg_imported_clear(&res);
		}
		rm_tree(pd);
		free(pd);
		free(out);
	}
	if (rc)
		goto out;

	memset(&rv, 0, sizeof rv);
	rv.reg = reg;
	rv.policy = pol;
	rv.sig = sig;
	for (size_t i = 0; i < NPACKS && !rc; i++)
		rc = drive(&rv, w, i, err);
	if (rc)
		goto out;
	/* older champions step down when newer ones are promoted (above);
	 * the quarantine of 0.9.0 comes last so its descendants show taint */

	if (asprintf(&cfg, "# packgate demo\nregistry = registry.db\npolicy = policy.json\ngnupghome = gnupg\nkey = %s\n",
	             w->fpr[ALICE]) < 0) {
		rc = pg_err(err, PG_IO_MEMORY, _("out of memory"));
		goto out;
	}
	rc = write_file(w->dir, "config", cfg, strlen(cfg), err);
	if (!rc)
		rc = write_file(w->dir, MARKER, "packgate demo\n", 14, err);
out:
	if (work)
		rm_tree(work);
	free(work);
	free(packdir);
	free(cfg);
	pg_sig_close(sig);
	pg_reg_close(reg);
	pg_policy_free(pol);
	return rc;
}

/* What is at dir: 0 nothing or an empty directory, 1 an earlier demo, -1 a
 * directory with other things in it, -2 something that is not a directory,
 * -3 a directory that cannot be read (errno says why). */
static int dir_kind(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int entries = 0, marker = 0;

	if (!d)
		return errno == ENOENT ? 0 : errno == ENOTDIR ? -2 : -3;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		entries++;
		if (!strcmp(de->d_name, MARKER))
			marker = 1;
	}
	closedir(d);
	return marker ? 1 : entries ? -1 : 0;
}

static char *default_dir(void)
{
	const char *x = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char *out;

	if (x && x[0] == '/')
		return asprintf(&out, "%s/packgate/demo", x) < 0 ? NULL : out;
	return asprintf(&out, "%s/.local/share/packgate/demo", home && *home ? home : ".") < 0 ? NULL : out;
}

static int mkdir_p(const char *path)
{
	char *p = strdup(path);

	if (!p)
		return -1;
	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(p, 0700);
		*s = '/';
	}
	free(p);
	return mkdir(path, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

int cmd_demo(pg_cli *cli)
{
	struct world w;
	pg_error err;
	int kind, rc = 0;
	char *dir = cli->dir ? strdup(cli->dir) : default_dir();

	memset(&w, 0, sizeof w);
	pg_error_clear(&err);
	if (!dir)
		return cli_usage(cli, _("out of memory"));
	kind = dir_kind(dir);
	if (kind == -3) {
		pg_err_errno(&err, errno, 0, dir);
		free(dir);
		return cli_fail(cli, &err);
	}
	if (kind < 0) {
		rc = cli_usage(cli, kind == -2 ? _("%s is not a directory; choose another --dir")
		                               : _("%s is not empty and is not a packgate demo; choose another --dir"),
		               dir);
		free(dir);
		return rc;
	}
	w.dir = dir;
	w.now = time(NULL);
	if (asprintf(&w.gnupg, "%s/gnupg", dir) < 0 || asprintf(&w.registry, "%s/registry.db", dir) < 0 ||
	    asprintf(&w.policy_path, "%s/policy.json", dir) < 0) {
		rc = cli_usage(cli, _("out of memory"));
		goto out;
	}
	if (kind == 0) {
		if (mkdir_p(dir) != 0) {
			pg_err_errno(&err, errno, 1, dir);
			rc = cli_fail(cli, &err);
			goto out;
		}
		if (!cli->json && !cli->no_tui)
			fprintf(stderr, ngettext("packgate: building the demo in %s (keys, %zu pack, approvals)...\n",
			                         "packgate: building the demo in %s (keys, %zu packs, approvals)...\n",
			                         (unsigned long)NPACKS),
			        dir, (size_t)NPACKS);
		if (make_world(&w, &err) != PG_OK) {
			pg_keygen_stop_agent(w.gnupg);
			rc = cli_fail(cli, &err);
			goto out;
		}
	}
	pg_keygen_stop_agent(w.gnupg);
	if (cli->no_tui || cli->json) {
		if (cli->json) {
			cJSON *o = cJSON_CreateObject();
			char *cfgp = NULL;
			cJSON_AddStringToObject(o, "dir", dir);
			if (asprintf(&cfgp, "%s/config", dir) >= 0)
				cJSON_AddStringToObject(o, "config", cfgp);
			free(cfgp);
			cJSON_AddBoolToObject(o, "created", kind == 0);
			rc = cli_json_ok(o);
		} else {
			printf(_("demo ready: packgate --config %s/config\n"), dir);
		}
		goto out;
	}
	{
		pg_tui_opts t;
		pg_config cfg;
		char *cfgp = NULL;
		if (asprintf(&cfgp, "%s/config", dir) < 0 || pg_config_resolve(&cfg, NULL, cfgp, &err) != PG_OK) {
			free(cfgp);
			rc = cli_fail(cli, &err);
			goto out;
		}
		free(cfgp);
		pg_tui_opts_init(&t);
		t.registry = cfg.value[PG_SET_REGISTRY];
		t.policy = cfg.value[PG_SET_POLICY];
		t.gnupghome = cfg.value[PG_SET_GNUPGHOME];
		t.key = cfg.value[PG_SET_KEY];
		rc = pg_tui_run(&t);
		pg_config_free(&cfg);
		pg_keygen_stop_agent(w.gnupg);
	}
out:
	free(w.gnupg);
	free(w.registry);
	free(w.policy_path);
	free(dir);
	return rc;
}
