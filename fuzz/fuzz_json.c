/* fuzz_json.c — libFuzzer target for the strict JSON layer and RFC 8785.
 *
 * Any input: pg_json_parse either refuses it with a JSON code and an offset
 * inside the input, or builds a tree.  A tree must canonicalise; the
 * canonical bytes must parse strictly again and canonicalise to the very
 * same bytes.  Any broken promise is an abort(), which libFuzzer reports as
 * a crash with the input saved.
 */
#include "pg.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_refusal(const cJSON *tree, const pg_error *err, pg_code rc,
                          size_t size)
{
	if (tree)
		abort();
	if (err->code != rc)
		abort();
	switch (rc) {
	case PG_JSON_SYNTAX:
	case PG_JSON_ENCODING:
	case PG_JSON_DUPLICATE_KEY:
	case PG_JSON_DEPTH:
	case PG_JSON_NUMBER:
		if (err->offset < 0 || (unsigned long long)err->offset > size)
			abort();
		break;
	case PG_LIMIT_JSON_BYTES:
	case PG_IO_MEMORY:
		break;
	default:
		abort(); /* a code the parser never promised */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *tree = NULL;
	char *first = NULL, *second = NULL;
	size_t first_len = 0, second_len = 0;
	pg_error err;
	pg_code rc;

	pg_error_clear(&err);
	rc = pg_json_parse((const char *)data, size, NULL, &tree, &err);
	if (rc != PG_OK) {
		check_refusal(tree, &err, rc, size);
		return 0;
	}
	rc = pg_canon(tree, &first, &first_len, &err);
	cJSON_Delete(tree);
	tree = NULL;
	if (rc == PG_IO_MEMORY)
		return 0;
	if (rc != PG_OK || !first || strlen(first) != first_len)
		abort();

	rc = pg_json_parse(first, first_len, NULL, &tree, &err);
	if (rc == PG_IO_MEMORY)
		goto out;
	if (rc != PG_OK)
		abort(); /* canonical output that the strict parser refuses */
	rc = pg_canon(tree, &second, &second_len, &err);
	if (rc == PG_IO_MEMORY)
		goto out;
	if (rc != PG_OK)
		abort();
	if (second_len != first_len || memcmp(first, second, first_len) != 0)
		abort(); /* canonicalisation is not idempotent */
out:
	cJSON_Delete(tree);
	free(first);
	free(second);
	return 0;
}
