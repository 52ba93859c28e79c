/* rfc3339.h — RFC 3339 UTC timestamps ("2026-06-26T12:00:00Z",
 * optional fraction of one or more digits "12:00:00.250Z"); 'T' and 'Z' must
 * be uppercase, the offset must be Z (no "+00:00"), every field in range
 * (years 0000..9999, leap years, days per month, hours 00..23, so 24:00:00
 * is refused, second 60 not accepted), nothing before or after. */
#ifndef PG_RFC3339_H
#define PG_RFC3339_H

#include <time.h>

/* Parses s; on success stores seconds since the epoch (fraction dropped) in
 * *out (out may be NULL) and returns 0; returns -1 when s is NULL or not a
 * valid UTC RFC 3339 timestamp, leaving *out unchanged. */
int pg_rfc3339_parse(const char *s, time_t *out);

/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes).  A time
 * outside years 0000..9999 is clamped to the nearer end of that range. */
void pg_rfc3339_format(time_t t, char *buf);

#endif
