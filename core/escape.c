/* escape.c — display escaping of untrusted text (CONTRACT section 7,
 * "Display").  The text is cut into units: one invalid byte, one control
 * or format character, or one ordinary character; each unit becomes its
 * escaped form or stays itself.  Every escaped form is printable ASCII, so
 * escaping an escaped text changes nothing. */
#include "pg.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>
#include <unictype.h>

#include "escape.h"

/* Longest unit: "<U+10FFFF>" (10 bytes) or a 4-byte UTF-8 sequence. */
#define UNIT_MAX 16

/* Escapes the unit that starts at s (len > 0 bytes remain) into out (not
 * NUL-terminated).  Sets *used to the input bytes consumed; returns the
 * length written. */
static size_t escape_unit(const uint8_t *s, size_t len, char out[UNIT_MAX], size_t *used)
{
	ucs4_t uc;
	int n;

	if (s[0] < 0x20) {
		out[0] = '^';
		out[1] = (char)('@' + s[0]);
		*used = 1;
		return 2;
	}
	if (s[0] == 0x7f) {
		out[0] = '^';
		out[1] = '?';
		*used = 1;
		return 2;
	}
	if (s[0] < 0x80) {
		out[0] = (char)s[0];
		*used = 1;
		return 1;
	}
	n = u8_mbtoucr(&uc, s, len);
	if (n <= 0) {
		/* Not the start of a valid sequence (overlong, surrogate, beyond
		 * U+10FFFF, stray continuation byte, truncated): this one byte
		 * alone; the next byte starts a new unit. */
		*used = 1;
		return (size_t)snprintf(out, UNIT_MAX, "\\x%02X", (unsigned)s[0]);
	}
	*used = (size_t)n;
	if (uc <= 0x9f || uc == 0x2028 || uc == 0x2029 ||
	    uc_is_general_category(uc, UC_CATEGORY_Cf))
		return (size_t)snprintf(out, UNIT_MAX, "<U+%04X>", (unsigned)uc);
	memcpy(out, s, (size_t)n);
	return (size_t)n;
}

size_t pg_escape_buf(char *dst, size_t cap, const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t total = 0, pos = 0, used;
	int full = 0;

	while (len > 0) {
		char unit[UNIT_MAX];
		size_t ulen = escape_unit(p, len, unit, &used);

		/* Once one unit does not fit, nothing after it is written:
		 * the output stays a prefix made of whole units. */
		if (!full && dst && cap > 0 && ulen < cap - pos) {
			memcpy(dst + pos, unit, ulen);
			pos += ulen;
		} else {
			full = 1;
		}
		total += ulen;
		p += used;
		len -= used;
	}
	if (dst && cap > 0)
		dst[pos] = '\0';
	return total;
}

char *pg_escape(const char *s, size_t len)
{
	size_t n;
	char *out;

	/* A unit is at most four times the bytes it consumes. */
	if (len > (SIZE_MAX - 1) / 4)
		return NULL;
	n = pg_escape_buf(NULL, 0, s, len);
	out = malloc(n + 1);
	if (!out)
		return NULL;
	pg_escape_buf(out, n + 1, s, len);
	return out;
}

char *pg_escape_str(const char *s)
{
	return pg_escape(s ? s : "", s ? strlen(s) : 0);
}
