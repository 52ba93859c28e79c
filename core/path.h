/* path.h — the path rules of CONTRACT section 7 for archive entries and
 * manifest files[].path, the duplicate key, and file-type checks.
 *
 * pg_path_check applies the rules in this order, so one bad path always gets
 * the same code:
 *   1. mpk.archive.path_traversal: empty path, leading '/', drive letter
 *      (an ASCII letter then ':' as the first two bytes: "C:", "c:foo";
 *      a ':' anywhere else is allowed), any backslash, any
 *      empty, "." or ".." segment (a trailing '/' counts as an empty segment;
 *      callers strip the one trailing '/' of a tar directory entry first);
 *   2. mpk.archive.path_encoding: invalid UTF-8 (libunistring u8_check), or
 *      not in NFC (u8_normalize(UNINORM_NFC) differs);
 *   3. mpk.archive.confusable_path: C0/C1 controls, DEL, bidi controls,
 *      zero-width/invisible characters, confusables of / \ . (tables.h),
 *      and also every other format character (general category Cf, e.g.
 *      U+2061, tag characters U+E00xx) and U+2028/U+2029 — all of these
 *      checked over the whole path first; then, segment by segment, letters
 *      of more than one script in one segment.  "Letters" are characters
 *      for which uc_is_alpha() holds or whose general category is L*; their
 *      script is libunistring's uc_script() (the Script property, not
 *      Script_Extensions).  Common and Inherited are ignored; a segment
 *      passes when its scripts are one script, or a subset of {Latin, Han,
 *      Hiragana, Katakana}, of {Han, Bopomofo} or of {Han, Hangul}, as UTS
 *      #39 "highly restrictive";
 *   4. mpk.limit.path_length: over lim->path_bytes in all (named first), or a
 *      segment over lim->segment_bytes.
 * The message names the rule and shows the path escaped (pg_escape), cut
 * between whole units after 160 bytes with "…" appended, for example
 *   path "a/../b": ".." segment
 *   path "a<U+202E>b": U+202E (bidi control) in segment 1
 *   path "dataβ": letters of several scripts (Latin+Greek) in segment 1
 *   path "…": segment 2 is 256 bytes, over the 255-byte cap
 */
#ifndef PG_PATH_H
#define PG_PATH_H

#include <stddef.h>
#include "pg.h"

/* Checks path[0..len) (not NUL-terminated necessarily; an embedded NUL is a
 * C0 control; path may be NULL when len is 0).  lim NULL means the defaults.
 * On failure sets err->code, err->message and err->path (the escaped path,
 * as much of it as the field holds); on success leaves err untouched.
 * err may be NULL.  Returns PG_OK, one of the four codes above, or
 * io.memory. */
pg_code pg_path_check(const char *path, size_t len, const pg_limits *lim, pg_error *err);

/* The duplicate key of a path that passed pg_path_check: NFC then full case
 * folding (u8_casefold with UNINORM_NFC, no language tailoring).  Two paths
 * are duplicates when their keys are equal ("Model.ONNX" = "model.onnx",
 * "straße" = "STRASSE", NFD = NFC).  Returns a new NUL-terminated string
 * (caller frees), or NULL when out of memory or path is not valid UTF-8. */
char *pg_path_fold(const char *path, size_t len);

/* File type by name: the extension is the text from the last '.' of the last
 * segment (a leading '.' counts: ".py" has extension ".py"; "x." has "."),
 * compared ASCII case-insensitively with the list `types` (NULL-terminated,
 * lowercase with the dot; NULL means pg_default_file_types; an entry with two
 * dots such as ".tar.gz" can never match).  Names without a '.' in the last
 * segment pass.  path is NUL-terminated.  Returns PG_OK or
 * mpk.archive.file_type, with err->path set as pg_path_check does. */
pg_code pg_path_check_type(const char *path, const char *const *types, pg_error *err);

/* File type by content: refuses data that begins with a pickle stream
 * (0x80 then 2..5), a zip (PK\3\4), an ELF (\x7fELF), a PE ("MZ") or a
 * script ("#!") header.  head holds the first n bytes of the member (n may be
 * smaller than 4 for short members; a signature longer than n cannot match;
 * give at least 4 bytes when the member has them).  Returns PG_OK or
 * mpk.archive.file_type, naming `path` (NUL-terminated, may be NULL) in the
 * message and in err->path. */
pg_code pg_path_sniff(const unsigned char *head, size_t n, const char *path, pg_error *err);

#endif
