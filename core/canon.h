/* canon.h — RFC 8785 JSON Canonicalization Scheme over cJSON trees.
 *
 * Object members sorted by their names' UTF-16 code units; no whitespace;
 * strings escaped as ECMAScript JSON.stringify does (\b \t \n \f \r \" \\,
 * other C0 controls as \u00xx lowercase, everything else as UTF-8); numbers
 * serialised as ECMAScript Number.prototype.toString (shortest round-trip
 * digits, plain notation for 1e-7 <= |x| < 1e21, exponent form outside it,
 * -0 as 0).  Input trees normally come from pg_json_parse; trees built by
 * hand are held to the same rules (see pg_canon).
 */
#ifndef PG_CANON_H
#define PG_CANON_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "pg.h"
#include "json.h"

/* Serialises v canonically.  On success *out is a new NUL-terminated buffer
 * (caller frees) of *outlen bytes (outlen may be NULL).  Trees built by hand
 * are checked for what pg_json_parse would have refused, so the output is
 * always strict JSON.  Codes: mpk.json.number (NaN or infinity in the tree),
 * mpk.json.encoding (a string or member name that is not valid UTF-8),
 * mpk.json.duplicate_key (two members with the same name),
 * mpk.json.depth (nesting deeper than cJSON's own limit of 1000),
 * mpk.json.syntax (a node cJSON cannot have produced by parsing: cJSON_Raw,
 * a member without a name, v NULL), io.memory.  err->offset is -1.  On
 * failure *out is NULL. */
pg_code pg_canon(const cJSON *v, char **out, size_t *outlen, pg_error *err);

/* Writes the ECMAScript form of a finite double into buf (at least 32 bytes)
 * and returns its length; returns 0 for NaN or infinity. */
size_t pg_canon_number(double d, char *buf);

/* Parses strictly (pg_json_parse with lim) and canonicalises in one step;
 * the codes and offsets of both.  On success *out is a new NUL-terminated
 * buffer (caller frees) of *outlen bytes. */
pg_code pg_canon_bytes(const char *buf, size_t len, const pg_json_limits *lim,
                       char **out, size_t *outlen, pg_error *err);

#endif
