/* json.h — the strict JSON layer in front of cJSON (CONTRACT section 7).
 *
 * pg_json_parse first runs a validating scanner over the bytes: RFC 8259
 * grammar exactly (no trailing data, comments, leading zeros, "1.", ".5",
 * raw control characters, single quotes, NaN/Infinity, no BOM), valid UTF-8
 * (no overlongs, encoded surrogates, code points above U+10FFFF), escapes
 * (no lone or mis-paired \u surrogates, no U+0000 raw or escaped), duplicate
 * object keys at any depth compared after unescaping (case-sensitive), the
 * depth and size caps, numbers inside the double range (overflow to infinity
 * is refused; underflow to a subnormal or zero is accepted) and at most 63
 * characters long (cJSON's own limit, stated as ours).  Only then is cJSON
 * asked to build the tree.  Whitespace is the four RFC 8259 characters only.
 *
 * Codes: mpk.json.syntax, mpk.json.encoding, mpk.json.duplicate_key,
 * mpk.json.depth, mpk.json.number, mpk.limit.json_bytes, io.memory.
 * err->offset is the byte offset of the offending byte; the message ends in
 * "at byte N".
 */
#ifndef PG_JSON_H
#define PG_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "pg.h"

/* Depth counts containers: "[]" has depth 1, "[[1]]" depth 2; a scalar
 * document has depth 0. */
typedef struct pg_json_limits {
	size_t max_bytes;
	unsigned max_depth;
} pg_json_limits;

/* Fills lim from the loader caps (json_bytes, json_depth). */
void pg_json_limits_from(pg_json_limits *lim, const pg_limits *caps);

/* Parses buf[0..len) strictly.  lim NULL means the section 7 defaults.  On
 * success *out is a new cJSON tree the caller frees with cJSON_Delete.  On
 * failure *out is NULL and err says why. */
pg_code pg_json_parse(const char *buf, size_t len, const pg_json_limits *lim,
                      cJSON **out, pg_error *err);

/* Object member lookup, case-sensitive; NULL when obj is not an object or
 * the key is absent.  Borrowed pointer. */
cJSON *pg_json_get(const cJSON *obj, const char *key);

/* True when v is a number holding an integer in 0..max (inclusive). */
int pg_json_is_uint(const cJSON *v, uint64_t max);

/* String value or NULL when v is not a string.  Borrowed. */
const char *pg_json_str(const cJSON *v);

#endif
