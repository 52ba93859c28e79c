/* rfc3339.c — strict RFC 3339 UTC timestamps: "YYYY-MM-DDTHH:MM:SS[.F+]Z". */
#include "pg.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rfc3339.h"

/* Reads exactly n ASCII digits at s into *out; 0 when one is not a digit. */
static int digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

static int leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && leap_year(y))
		return 29;
	return days[m - 1];
}

int pg_rfc3339_parse(const char *s, time_t *out)
{
	int year, mon, day, hour, min, sec;
	struct tm tm;
	time_t t;
	size_t i;

	if (!s)
		return -1;
	/* Fixed part: 0123456789012345678
	 *             YYYY-MM-DDTHH:MM:SS */
	if (strlen(s) < 20)
		return -1;
	if (!digits(s, 4, &year) || s[4] != '-' || !digits(s + 5, 2, &mon) ||
	    s[7] != '-' || !digits(s + 8, 2, &day) || s[10] != 'T' ||
	    !digits(s + 11, 2, &hour) || s[13] != ':' ||
	    !digits(s + 14, 2, &min) || s[16] != ':' ||
	    !digits(s + 17, 2, &sec))
		return -1;
	i = 19;
	if (s[i] == '.') {
		size_t start = ++i;

		while (s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return -1;
	}
	if (s[i] != 'Z' || s[i + 1] != '\0')
		return -1;
	if (mon < 1 || mon > 12 || day < 1 || day > days_in_month(year, mon) ||
	    hour > 23 || min > 59 || sec > 59)
		return -1;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	t = timegm(&tm);
	if (t == (time_t)-1 && !(year == 1969 && mon == 12 && day == 31 &&
	                         hour == 23 && min == 59 && sec == 59))
		return -1;
	if (out)
		*out = t;
	return 0;
}

void pg_rfc3339_format(time_t t, char *buf)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || tm.tm_year < -1900 || tm.tm_year > 9999 - 1900) {
		/* Outside the four-digit years: clamp to the nearer end. */
		strcpy(buf, t < 0 ? "0000-01-01T00:00:00Z" : "9999-12-31T23:59:59Z");
		return;
	}
	/* The remainders only tell the compiler the ranges gmtime_r keeps. */
	snprintf(buf, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ",
	         (unsigned)(tm.tm_year + 1900) % 10000u,
	         (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u,
	         (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u,
	         (unsigned)tm.tm_sec % 100u);
}
