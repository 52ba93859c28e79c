/* semver.c — Semantic Versioning 2.0.0: validation and precedence.
 *
 * A version is MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD].  The three core parts
 * and every all-digit prerelease identifier are numeric identifiers: digits
 * only, no leading zero unless the identifier is "0".  Identifiers are
 * non-empty runs of [0-9A-Za-z-]; build identifiers may have leading zeros.
 */
#include "pg.h"

#include <string.h>

#include "semver.h"

static int ident_char(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= 'a' && ch <= 'z') || ch == '-';
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Length of the identifier at s (stops at '.', '+', '-' for core parts when
 * `core` is set, or at anything that is not an identifier character). */
static size_t ident_len(const char *s, int core)
{
	size_t n = 0;

	while (s[n] && ident_char(s[n]) && !(core && s[n] == '-'))
		n++;
	return n;
}

/* A numeric identifier: digits, no leading zero unless exactly "0". */
static int numeric_ok(const char *s, size_t n)
{
	return n > 0 && all_digits(s, n) && !(n > 1 && s[0] == '0');
}

/* Checks a dot-separated list of identifiers starting at *sp, stopping at
 * `end` ('+' or '\0').  `strict_numeric` refuses leading zeros in all-digit
 * identifiers.  Advances *sp past the list. */
static int ident_list_ok(const char **sp, char end, int strict_numeric)
{
	const char *s = *sp;

	for (;;) {
		size_t n = ident_len(s, 0);

		if (n == 0)
			return 0;
		if (strict_numeric && all_digits(s, n) && !numeric_ok(s, n))
			return 0;
		s += n;
		if (*s == '.') {
			s++;
			continue;
		}
		if (*s != end)
			return 0;
		*sp = s;
		return 1;
	}
}

int pg_semver_valid(const char *s)
{
	if (!s)
		return 0;
	for (int part = 0; part < 3; part++) {
		size_t n = ident_len(s, 1);

		if (!numeric_ok(s, n))
			return 0;
		s += n;
		if (part < 2) {
			if (*s != '.')
				return 0;
			s++;
		}
	}
	if (*s == '-') {
		s++;
		if (!ident_list_ok(&s, strchr(s, '+') ? '+' : '\0', 1))
			return 0;
	}
	if (*s == '+') {
		s++;
		if (!ident_list_ok(&s, '\0', 0))
			return 0;
	}
	return *s == '\0';
}

/* Compares two numeric identifiers of any length (no leading zeros). */
static int cmp_numeric(const char *a, size_t an, const char *b, size_t bn)
{
	int r;

	if (an != bn)
		return an < bn ? -1 : 1;
	r = memcmp(a, b, an);
	return r < 0 ? -1 : r > 0;
}

/* Compares two identifiers per section 11: numeric ones numerically,
 * numeric below alphanumeric, alphanumeric ones in ASCII order. */
static int cmp_ident(const char *a, size_t an, const char *b, size_t bn)
{
	int anum = all_digits(a, an), bnum = all_digits(b, bn);
	int r;

	if (anum && bnum)
		return cmp_numeric(a, an, b, bn);
	if (anum != bnum)
		return anum ? -1 : 1;
	r = memcmp(a, b, an < bn ? an : bn);
	if (r != 0)
		return r < 0 ? -1 : 1;
	if (an != bn)
		return an < bn ? -1 : 1;
	return 0;
}

/* Length of the version without its build metadata. */
static size_t precedence_len(const char *s)
{
	const char *plus = strchr(s, '+');

	return plus ? (size_t)(plus - s) : strlen(s);
}

int pg_semver_cmp(const char *a, const char *b)
{
	int va = pg_semver_valid(a), vb = pg_semver_valid(b);
	size_t alen, blen, ai = 0, bi = 0;
	int r;

	if (!va || !vb) {
		/* Not for invalid input; still a total order: invalid first. */
		if (va != vb)
			return va ? 1 : -1;
		r = strcmp(a ? a : "", b ? b : "");
		return r < 0 ? -1 : r > 0;
	}
	alen = precedence_len(a);
	blen = precedence_len(b);

	/* MAJOR, MINOR, PATCH. */
	for (int part = 0; part < 3; part++) {
		size_t an = ident_len(a + ai, 1), bn = ident_len(b + bi, 1);

		r = cmp_numeric(a + ai, an, b + bi, bn);
		if (r)
			return r;
		ai += an + (part < 2);
		bi += bn + (part < 2);
	}

	/* A version without a prerelease ranks above one with. */
	if (ai == alen || bi == blen) {
		if (ai == alen && bi == blen)
			return 0;
		return ai == alen ? 1 : -1;
	}

	/* Both have '-': compare identifiers left to right. */
	ai++;
	bi++;
	for (;;) {
		size_t an = ident_len(a + ai, 0), bn = ident_len(b + bi, 0);

		r = cmp_ident(a + ai, an, b + bi, bn);
		if (r)
			return r;
		ai += an;
		bi += bn;
		if (ai == alen || bi == blen) {
			if (ai == alen && bi == blen)
				return 0;
			return ai == alen ? -1 : 1; /* fewer identifiers first */
		}
		ai++; /* the '.' */
		bi++;
	}
}
