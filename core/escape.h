/* escape.h — the one function that makes untrusted text safe to show
 * (CONTRACT section 7, "Display").  Used by every error message, by the CLI
 * and by the TUI.
 *
 * Rules, in the order they are applied to each character:
 *   invalid UTF-8 byte (overlong, surrogate, out of range, truncated) -> \xNN
 *   C0 control U+0000..U+001F  -> caret notation ^@ .. ^_  (TAB is ^I, LF ^J)
 *   DEL U+007F                 -> ^?
 *   C1 control U+0080..U+009F  -> <U+0080> .. <U+009F>
 *   format characters (general category Cf: bidi controls, zero-width and
 *   invisible characters such as U+00AD, U+200B..D, U+2060, U+FEFF, U+061C,
 *   U+200E/F, U+202A..E, U+2066..9), line and paragraph separators
 *   U+2028/U+2029                -> <U+XXXX> (4 to 6 uppercase hex digits)
 *   anything else              -> itself
 * The output is valid UTF-8 with no control or format characters, and
 * escaping it again changes nothing (idempotent).
 */
#ifndef PG_ESCAPE_H
#define PG_ESCAPE_H

#include <stddef.h>

/* Returns a new NUL-terminated escaped copy of s[0..len) (caller frees), or
 * NULL when out of memory.  s may contain NUL bytes. */
char *pg_escape(const char *s, size_t len);

/* Same, for a NUL-terminated string; NULL s gives "". */
char *pg_escape_str(const char *s);

/* Writes the escaped form into dst (capacity cap >= 1, always NUL-terminated),
 * cutting only between whole escaped units so no sequence is split.  Returns
 * the length the full escaped text would have (snprintf-like). */
size_t pg_escape_buf(char *dst, size_t cap, const char *s, size_t len);

#endif
