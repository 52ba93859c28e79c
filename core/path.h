/* path.h — the path rules of CONTRACT section 7 for archive entries and
 * manifest files[].path, the duplicate key, and file-type checks.
 *
 * pg_path_check applies the rules in this order, so one bad path always gets
 * the same code:
 *   1. mpk.archive.path_traversal: empty path, leading '/', drive letter
 *      ("C:" as the first segment's first two bytes), any backslash, any
 *      empty, "." or ".." segment (a trailing '/' counts as an empty segment;
 *      callers strip the one trailing '/' of a tar directory entry first);
 *   2. mpk.archive.path_encoding: invalid UTF-8 (libunistring u8_check), or
 *      not in NFC (u8_normalize(UNINORM_NFC) differs);
 *   3. mpk.archive.confusable_path: C0/C1 controls, DEL, bidi controls,
 *      zero-width/invisible characters, confusables of / \ . (tables.h), or
 *      letters of more than one script in one segment (Common and Inherited
 *      ignored; Latin+Han+Hiragana+Katakana, Han+Bopomofo, Han+Hangul
 *      allowed, as UTS #39 "highly restrictive");
 *   4. mpk.limit.path_length: over lim->path_bytes in all, or a segment over
 *      lim->segment_bytes.
 * The message names the rule and shows the path escaped.
 */
#ifndef PG_PATH_H
#define PG_PATH_H

#include <stddef.h>
#include "pg.h"

/* Checks path[0..len) (not NUL-terminated necessarily; an embedded NUL is a
 * C0 control).  lim NULL means the defaults.  Sets err->path to the escaped
 * path on failure. */
pg_code pg_path_check(const char *path, size_t len, const pg_limits *lim, pg_error *err);

/* The duplicate key of a path that passed pg_path_check: NFC then full case
 * folding (u8_casefold with UNINORM_NFC).  Two paths are duplicates when
 * their keys are equal.  Returns a new NUL-terminated string (caller frees),
 * or NULL when out of memory. */
char *pg_path_fold(const char *path, size_t len);

/* File type by name: the extension is the text from the last '.' of the last
 * segment (a leading '.' counts: ".py" has extension ".py"), compared ASCII
 * case-insensitively with the list `types` (NULL-terminated, lowercase with
 * the dot; NULL means pg_default_file_types).  Names without a '.' pass.
 * Returns PG_OK or mpk.archive.file_type. */
pg_code pg_path_check_type(const char *path, const char *const *types, pg_error *err);

/* File type by content: refuses data that begins with a pickle stream
 * (0x80 then 2..5), a zip (PK\3\4), an ELF (\x7fELF), a PE ("MZ") or a
 * script ("#!") header.  head holds the first n bytes of the member (n may be
 * smaller than 4 for short members).  Returns PG_OK or mpk.archive.file_type,
 * naming `path` in the message. */
pg_code pg_path_sniff(const unsigned char *head, size_t n, const char *path, pg_error *err);

#endif
