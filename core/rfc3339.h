/* rfc3339.h — RFC 3339 UTC timestamps ("2026-06-26T12:00:00Z",
 * optional fraction "12:00:00.250Z"); 'T' and 'Z' must be uppercase, the
 * offset must be Z, every field in range (leap years, days per month,
 * second 60 not accepted). */
#ifndef PG_RFC3339_H
#define PG_RFC3339_H

#include <time.h>

/* Parses s; on success stores seconds since the epoch (fraction dropped) and
 * returns 0; returns -1 when s is not a valid UTC RFC 3339 timestamp. */
int pg_rfc3339_parse(const char *s, time_t *out);

/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). */
void pg_rfc3339_format(time_t t, char *buf);

#endif
