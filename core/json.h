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
 * The size cap is checked first; otherwise the first defect in document
 * order is reported.  err->offset is the byte offset of the offending byte
 * and the message ends in "at byte N":
 *   - syntax: the first byte the grammar cannot accept (len at the end of
 *     the input: "1." gives 2, "01" gives 1, "[1" gives 2);
 *   - encoding: the first byte of an ill-formed UTF-8 sequence, a raw NUL
 *     byte (anywhere in the document), or the backslash of an escape that
 *     names U+0000 or an unpaired surrogate (for a high surrogate not
 *     followed by a low one, the backslash of the high one);
 *   - duplicate_key: the opening quote of the second occurrence;
 *   - depth: the bracket that opens one container too many;
 *   - number: the first byte of the number token;
 *   - limit.json_bytes: max_bytes, the first byte over the cap;
 *   - io.memory: offset -1.
 * Any other byte outside strings that is not valid UTF-8 or is NUL is an
 * encoding defect; valid but misplaced characters (a BOM, U+00A0, \f, \v)
 * are syntax.  err is only written on failure.
 */
#ifndef PG_JSON_H
#define PG_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "pg.h"

/* Depth counts containers: "[]" has depth 1, "[[1]]" depth 2; a scalar
 * document has depth 0.  A max_depth above cJSON's own nesting limit
 * (CJSON_NESTING_LIMIT, 1000) is treated as that limit. */
typedef struct pg_json_limits {
	size_t max_bytes;
	unsigned max_depth;
} pg_json_limits;

/* Fills lim from the loader caps (json_bytes, json_depth), clamped to the
 * field types; caps NULL gives the section 7 defaults (16 MiB, 64). */
void pg_json_limits_from(pg_json_limits *lim, const pg_limits *caps);

/* Parses buf[0..len) strictly.  lim NULL means the section 7 defaults.  On
 * success *out is a new cJSON tree the caller frees with cJSON_Delete.  On
 * failure *out is NULL and err says why. */
pg_code pg_json_parse(const char *buf, size_t len, const pg_json_limits *lim,
                      cJSON **out, pg_error *err);

/* Object member lookup, case-sensitive; NULL when obj is NULL or not an
 * object or the key is absent.  Borrowed pointer. */
cJSON *pg_json_get(const cJSON *obj, const char *key);

/* True when v is a number whose value (the double cJSON holds) is an
 * integer in 0..max inclusive.  The check is on the value, not the text:
 * 1.0, 1e3 and -0 count as the integers 1, 1000 and 0; NaN, infinities,
 * fractions and negatives never do.  v may be NULL. */
int pg_json_is_uint(const cJSON *v, uint64_t max);

/* String value or NULL when v is NULL or not a string.  Borrowed. */
const char *pg_json_str(const cJSON *v);

/* A field path built while walking a document ("files[2].path"), for
 * messages and err->path.  Too long a path is cut, never overrun. */
#define PG_JPATH_MAX 512
typedef struct pg_jpath {
	char s[PG_JPATH_MAX]; /* NUL-terminated */
	size_t len;
} pg_jpath;

/* Starts at root ("" or NULL: the document itself). */
void pg_jpath_init(pg_jpath *p, const char *root);
/* Appends ".key" ("key" at the root) or "[i]"; each returns the mark that
 * pg_jpath_pop takes back to. */
size_t pg_jpath_key(pg_jpath *p, const char *key);
size_t pg_jpath_index(pg_jpath *p, size_t i);
void pg_jpath_pop(pg_jpath *p, size_t mark);

#endif
