/* escape.h — the one function that makes untrusted text safe to show
 * (CONTRACT section 7, "Display").  Used by every error message, by the CLI
 * and by the TUI.
 *
 * Rules, in the order they are applied to each character:
 *   invalid UTF-8 byte (overlong, surrogate, out of range, truncated) -> \xNN
 *     (two uppercase hex digits).  A byte that does not start a complete,
 *     valid sequence (libunistring u8_mbtoucr) is escaped on its own and
 *     decoding resumes at the next byte, so every byte of a broken sequence
 *     is escaped individually: C0 AF -> \xC0\xAF, ED A0 80 -> \xED\xA0\x80,
 *     a truncated E2 82 at the end -> \xE2\x82;
 *   C0 control U+0000..U+001F  -> caret notation ^@ .. ^_  (TAB is ^I, LF ^J)
 *   DEL U+007F                 -> ^?
 *   C1 control U+0080..U+009F  -> <U+0080> .. <U+009F>
 *   format characters (general category Cf: bidi controls, zero-width and
 *   invisible characters such as U+00AD, U+200B..D, U+2060, U+FEFF, U+061C,
 *   U+200E/F, U+202A..E, U+2066..9), line and paragraph separators
 *   U+2028/U+2029                -> <U+XXXX> (4 to 6 uppercase hex digits)
 *   anything else              -> itself
 * The output is valid UTF-8 with no control or format characters, and
 * escaping it again changes nothing (idempotent).  It is for display only and
 * not reversible: a literal "^[" looks the same as an escaped ESC.
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
 * cutting only between whole escaped units so no escape or UTF-8 sequence is
 * split: the output is the longest prefix of whole units that fits in
 * cap - 1 bytes, hence valid UTF-8.  Returns the length the full escaped text
 * would have (snprintf-like; output was cut when the result >= cap).
 * dst NULL with cap 0 only measures. */
size_t pg_escape_buf(char *dst, size_t cap, const char *s, size_t len);

#endif
