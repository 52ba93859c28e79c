/* mkpacks.c — writes N small, valid, distinct packs for the registry
 * benchmarks (bench/registry.sh), through the core builder.
 *
 *   mkpacks OUTDIR N [CHAIN]
 *
 * Pack i is named after one of a few families, versioned uniquely, and —
 * in runs of CHAIN (default 50) — the child of the pack before it, so the
 * registry holds deep lineages.  Member documents carry enough text for the
 * search index to have something to find. */
#include "pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "build.h"

static const char *const families[] = { "skill.math.reasoner", "skill.code.helper", "base.reasoner",
	                                "adapter.math", "vision.encoder", "speech.asr", "skill.chat.general" };
static const char *const operators[] = { "fine-tune", "distill", "quantize", "prune", "adapter-train" };
static const char *const suites[] = { "gsm8k", "mmlu", "humaneval", "hellaswag", "arc", "mbpp" };
static const char *const licenses[] = { "Apache-2.0", "MIT", "CC-BY-4.0", "CC-BY-NC-4.0" };

static int put(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fp = fopen(path, "wb");
	if (!fp || fputs(text, fp) == EOF || fclose(fp) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char src[4096], out[4096], text[8192], parent[72] = "", id[72];
	long n, chain;
	pg_error err;

	if (argc < 3) {
		fprintf(stderr, "usage: mkpacks OUTDIR N [CHAIN]\n");
		return 2;
	}
	n = strtol(argv[2], NULL, 10);
	chain = argc > 3 ? strtol(argv[3], NULL, 10) : 50;
	if (n <= 0 || chain <= 0) {
		fprintf(stderr, "mkpacks: N and CHAIN must be positive\n");
		return 2;
	}
	mkdir(argv[1], 0755);
	snprintf(src, sizeof src, "%s/.src", argv[1]);
	mkdir(src, 0700);
	for (long i = 0; i < n; i++) {
		const char *fam = families[(i / chain) % 7];
		int has_parent = i % chain != 0;
		const char *op = has_parent ? operators[i % 5] : "import";

		snprintf(text, sizeof text,
		         "{\"schema_version\":1,\"name\":\"%s\",\"version\":\"%ld.%ld.0\",\"created_at\":\"2026-%02ld-%02ldT12:00:00Z\","
		         "\"parents\":[%s%s%s],\"operator\":\"%s\",\"input_contract\":\"text-question/v1\","
		         "\"output_contract\":\"worked-answer/v1\",\"runtime\":{\"backend\":\"onnxruntime\"},"
		         "\"resource_profile\":{\"bytes\":1000,\"expected_p95_ms\":10,\"peak_ram_bytes\":2000},"
		         "\"risk_profile\":{\"data_lineage\":\"mixture-%ld\",\"license\":\"reviewed\",\"safety_tier\":\"low\"}}",
		         fam, i / chain, i % chain, 1 + i % 12, 1 + i % 28, has_parent ? "\"" : "", has_parent ? parent : "",
		         has_parent ? "\"" : "", op, i % 100);
		if (put(src, "manifest.json", text))
			return 1;
		snprintf(text, sizeof text, "weights of pack %ld\n", i);
		if (put(src, "model.onnx", text))
			return 1;
		if (put(src, "contract.json",
		        "{\"input_contract\":\"text-question/v1\",\"output_contract\":\"worked-answer/v1\","
		        "\"maximum_permissions\":{\"tools\":[\"calculator\"]}}") ||
		    put(src, "permissions.json", "{\"requested\":{\"tools\":[\"calculator\"]}}"))
			return 1;
		snprintf(text, sizeof text, "{\"parents\":[%s%s%s],\"operator\":\"%s\"}", has_parent ? "{\"id\":\"" : "",
		         has_parent ? parent : "", has_parent ? "\"}" : "", op);
		if (put(src, "lineage.json", text))
			return 1;
		snprintf(text, sizeof text,
		         "{\"id\":\"eval-%ld\",\"created_at\":\"2026-06-01T00:00:00Z\",\"suites\":[{\"name\":\"%s\",\"version\":\"1\","
		         "\"metrics\":[{\"name\":\"accuracy\",\"value\":0.%03ld,\"ci\":[0.%03ld,0.%03ld]}]}],"
		         "\"failed_cases\":[{\"suite\":\"%s\",\"case\":\"case-%ld\",\"reason\":\"arithmetic carry error %ld\"}]}",
		         i, suites[i % 6], 500 + i % 400, 480 + i % 400, 520 + i % 400, suites[i % 6], i, i % 97);
		if (put(src, "evaluation-card.json", text))
			return 1;
		snprintf(text, sizeof text, "{\"model\":{\"license\":\"%s\"}}", licenses[i % 4]);
		if (put(src, "license-notice.json", text))
			return 1;
		snprintf(out, sizeof out, "%s/p%07ld.mpk", argv[1], i);
		if (pg_build(src, out, PG_COMPRESS_NONE, NULL, id, &err) != PG_OK) {
			fprintf(stderr, "mkpacks: pack %ld: %s: %s\n", i, pg_code_name(err.code), err.message);
			return 1;
		}
		memcpy(parent, id, sizeof id);
	}
	return 0;
}
