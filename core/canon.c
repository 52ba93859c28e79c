/* canon.c — RFC 8785 JSON Canonicalization Scheme over cJSON trees.
 *
 * Numbers: integers below 2^53 print as themselves.  Any other double is
 * rounded once to 17 significant digits by printf (which rounds correctly);
 * the shortest length p whose closest p-digit decimal reads back through
 * strtod as the same double is then found by bisection, and the digits are
 * laid out as ECMAScript Number.prototype.toString does.  Both directions
 * avoid the decimal point, so LC_NUMERIC never matters.
 */
#include "pg.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "buf.h"
#include "canon.h"
#include "json.h"

/* ----------------------------------------------------------------- numbers */

/* Reads the double the decimal digits[0..k) x 10^e10 denote, where the
 * first digit is the units digit: d.ddd x 10^e10.  No decimal point is
 * written, so LC_NUMERIC plays no part. */
static double read_back(const char *digits, int k, int e10)
{
	char tmp[48], *o = tmp + k;
	int e = e10 - (k - 1);
	char rev[8];
	int n = 0;

	memcpy(tmp, digits, (size_t)k);
	*o++ = 'e';
	if (e < 0) {
		*o++ = '-';
		e = -e;
	}
	do {
		rev[n++] = (char)('0' + e % 10);
		e /= 10;
	} while (e);
	while (n)
		*o++ = rev[--n];
	*o = '\0';
	return strtod(tmp, NULL);
}

/* The closest decimal to x (positive, finite) with p significant digits,
 * as printf rounds it: digits into dig (NUL-terminated), the exponent of
 * the first digit into *e10. */
static void printf_digits(double x, int p, char *dig, int *e10)
{
	char tmp[64];
	const char *c;
	int k = 0;

	snprintf(tmp, sizeof tmp, "%.*e", p - 1, x);
	for (c = tmp; *c && *c != 'e'; c++)
		if (*c >= '0' && *c <= '9')
			dig[k++] = *c;
	dig[k] = '\0';
	*e10 = *c == 'e' ? atoi(c + 1) : 0;
}

/* Adds one unit in the last place to the k digits; returns 1 when they
 * carried into a new leading digit (then dig holds "100..." and the caller
 * bumps the exponent). */
static int increment_digits(char *dig, int k)
{
	for (int i = k - 1; i >= 0; i--) {
		if (dig[i] != '9') {
			dig[i]++;
			return 0;
		}
		dig[i] = '0';
	}
	memmove(dig + 1, dig, (size_t)k);
	dig[0] = '1';
	dig[k] = '\0'; /* keep k digits: the last one is a zero */
	return 1;
}

/* The closest p-digit decimal to x, derived from d17 (x correctly rounded
 * to 17 digits, first digit at 10^e17).  Every p-digit rounding boundary
 * has at most 17 digits, so rounding d17 again lands on the same side as
 * rounding x would, unless d17 sits exactly on a boundary: only then is
 * printf asked again. */
static void closest_digits(double x, int p, const char *d17, int e17,
                           char *dig, int *e10)
{
	int tie = d17[p] == '5';

	for (int i = p + 1; tie && i < 17; i++)
		tie = d17[i] == '0';
	if (tie) {
		printf_digits(x, p, dig, e10);
		return;
	}
	memcpy(dig, d17, (size_t)p);
	dig[p] = '\0';
	*e10 = e17;
	if (d17[p] >= '5')
		*e10 += increment_digits(dig, p);
}

/* Whether some p-digit decimal reads back as x (positive, finite); if so
 * the one ECMAScript picks (the closest) goes into dig and *e10. */
static int try_digits(double x, int p, const char *d17, int e17, char *dig,
                      int *e10)
{
	char alt[24];
	int e, ealt;
	double back;

	closest_digits(x, p, d17, e17, dig, &e);
	back = read_back(dig, p, e);
	if (back == x) {
		*e10 = e;
		return 1;
	}
	/* Just above a power of two the doubles below are twice as dense as
	 * those above, so the closest p-digit decimal can miss below while
	 * the next one up still reads back. */
	if (back < x) {
		memcpy(alt, dig, (size_t)p + 1);
		ealt = e + increment_digits(alt, p);
		if (read_back(alt, p, ealt) == x) {
			memcpy(dig, alt, (size_t)p + 1);
			*e10 = ealt;
			return 1;
		}
	}
	return 0;
}

/* The shortest digits that read back as x (positive, finite); returns their
 * count.  If p digits can read back, so can p + 1 (append a zero), so the
 * shortest length is found by bisection; 17 digits always suffice. */
static int shortest_digits(double x, char *dig, int *e10)
{
	char d17[24], cand[24];
	int e17, lo = 1, hi = 16, k, e;

	printf_digits(x, 17, d17, &e17);
	memcpy(dig, d17, 18);
	*e10 = e17;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (try_digits(x, mid, d17, e17, cand, &e)) {
			hi = mid - 1;
			memcpy(dig, cand, (size_t)mid + 1);
			*e10 = e;
		} else {
			lo = mid + 1;
		}
	}
	k = (int)strlen(dig);
	while (k > 1 && dig[k - 1] == '0')
		dig[--k] = '\0';
	return k;
}

/* Integers below 2^53 are exact, and their ECMAScript form is their plain
 * decimal digits. */
static size_t small_integer(uint64_t u, char *o)
{
	char tmp[24];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	for (size_t i = 0; i < n; i++)
		o[i] = tmp[n - 1 - i];
	o[n] = '\0';
	return n;
}

size_t pg_canon_number(double d, char *buf)
{
	char dig[24];
	char *o = buf;
	int k, e10, n;

	if (!isfinite(d))
		return 0;
	if (d == 0) {
		buf[0] = '0';
		buf[1] = '\0';
		return 1;
	}
	if (d < 0) {
		*o++ = '-';
		d = -d;
	}
	if (d < 9007199254740992.0 && d == floor(d))
		return (size_t)(o - buf) + small_integer((uint64_t)d, o);
	k = shortest_digits(d, dig, &e10);
	/* ECMAScript: the value is 0.d1d2...dk x 10^n */
	n = e10 + 1;
	if (k <= n && n <= 21) {
		memcpy(o, dig, (size_t)k);
		o += k;
		for (int i = 0; i < n - k; i++)
			*o++ = '0';
	} else if (0 < n && n <= 21) {
		memcpy(o, dig, (size_t)n);
		o += n;
		*o++ = '.';
		memcpy(o, dig + n, (size_t)(k - n));
		o += k - n;
	} else if (-6 < n && n <= 0) {
		*o++ = '0';
		*o++ = '.';
		for (int i = 0; i < -n; i++)
			*o++ = '0';
		memcpy(o, dig, (size_t)k);
		o += k;
	} else {
		*o++ = dig[0];
		if (k > 1) {
			*o++ = '.';
			memcpy(o, dig + 1, (size_t)(k - 1));
			o += k - 1;
		}
		*o++ = 'e';
		*o++ = n - 1 >= 0 ? '+' : '-';
		n = abs(n - 1);
		o += sprintf(o, "%d", n);
	}
	*o = '\0';
	return (size_t)(o - buf);
}

/* ----------------------------------------------------------------- strings */

static int add_string(pg_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;
	int rc;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[7];
		size_t elen = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		/* flush the literal run before this byte */
		if ((rc = pg_buf_add(b, s + run, i - run)))
			return rc;
		run = i + 1;
		e[0] = '\\';
		switch (c) {
		case '"': e[1] = '"'; break;
		case '\\': e[1] = '\\'; break;
		case '\b': e[1] = 'b'; break;
		case '\t': e[1] = 't'; break;
		case '\n': e[1] = 'n'; break;
		case '\f': e[1] = 'f'; break;
		case '\r': e[1] = 'r'; break;
		default:
			e[1] = 'u';
			e[2] = '0';
			e[3] = '0';
			e[4] = hex[c >> 4];
			e[5] = hex[c & 15];
			elen = 6;
			break;
		}
		if ((rc = pg_buf_add(b, e, elen)))
			return rc;
	}
	return pg_buf_add(b, s + run, len - run);
}

/* ------------------------------------------------------------ member order */

/* Iterator over the UTF-16 code units of a valid UTF-8 string. */
struct utf16_iter {
	const uint8_t *p, *end;
	unsigned pending; /* a low surrogate still to come, or 0 */
};

static long utf16_unit(struct utf16_iter *it)
{
	ucs4_t uc;
	int n;

	if (it->pending) {
		unsigned lo = it->pending;

		it->pending = 0;
		return (long)lo;
	}
	if (it->p >= it->end)
		return -1;
	n = u8_mbtouc(&uc, it->p, (size_t)(it->end - it->p));
	it->p += n > 0 ? n : 1;
	if (uc < 0x10000)
		return (long)uc;
	uc -= 0x10000;
	it->pending = 0xdc00 + (uc & 0x3ff);
	return (long)(0xd800 + (uc >> 10));
}

static int name_cmp(const char *a, const char *b)
{
	struct utf16_iter x = { (const uint8_t *)a, (const uint8_t *)a + strlen(a), 0 };
	struct utf16_iter y = { (const uint8_t *)b, (const uint8_t *)b + strlen(b), 0 };

	for (;;) {
		long ca = utf16_unit(&x), cb = utf16_unit(&y);

		if (ca != cb)
			return ca < cb ? -1 : 1;
		if (ca < 0)
			return 0;
	}
}

static int member_cmp(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a;
	const cJSON *y = *(const cJSON *const *)b;

	return name_cmp(x->string, y->string);
}

/* -------------------------------------------------------------- the walk */

static pg_code buf_fail(pg_error *err, int rc)
{
	(void)rc;
	return pg_err(err, PG_IO_MEMORY, _("out of memory"));
}

static pg_code check_utf8(const char *s, size_t len, const char *what,
                          pg_error *err)
{
	if (u8_check((const uint8_t *)s, len))
		return pg_err(err, PG_JSON_ENCODING,
		              _("%s is not valid UTF-8"), what);
	return PG_OK;
}

static pg_code emit(pg_buf *b, const cJSON *v, unsigned depth, pg_error *err);

static pg_code emit_object(pg_buf *b, const cJSON *v, unsigned depth,
                           pg_error *err)
{
	const cJSON **m = NULL;
	size_t n = 0, i = 0;
	pg_code rc = PG_OK;
	int brc;

	for (const cJSON *c = v->child; c; c = c->next)
		n++;
	if (n) {
		m = malloc(n * sizeof *m);
		if (!m)
			return pg_err(err, PG_IO_MEMORY, _("out of memory"));
	}
	for (const cJSON *c = v->child; c; c = c->next) {
		if (!c->string) {
			rc = pg_err(err, PG_JSON_SYNTAX,
			            _("an object member has no name"));
			goto out;
		}
		rc = check_utf8(c->string, strlen(c->string),
		                _("a member name"), err);
		if (rc)
			goto out;
		m[i++] = c;
	}
	if (n > 1)
		qsort(m, n, sizeof *m, member_cmp);
	if ((brc = pg_buf_addc(b, '{'))) {
		rc = buf_fail(err, brc);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (i > 0 && name_cmp(m[i - 1]->string, m[i]->string) == 0) {
			rc = pg_err(err, PG_JSON_DUPLICATE_KEY,
			            _("duplicate member name \"%s\""), m[i]->string);
			goto out;
		}
		if ((i > 0 && (brc = pg_buf_addc(b, ','))) ||
		    (brc = pg_buf_addc(b, '"')) ||
		    (brc = add_string(b, m[i]->string, strlen(m[i]->string))) ||
		    (brc = pg_buf_add(b, "\":", 2))) {
			rc = buf_fail(err, brc);
			goto out;
		}
		rc = emit(b, m[i], depth + 1, err);
		if (rc)
			goto out;
	}
	if ((brc = pg_buf_addc(b, '}')))
		rc = buf_fail(err, brc);
out:
	free(m);
	return rc;
}

static pg_code emit(pg_buf *b, const cJSON *v, unsigned depth, pg_error *err)
{
	char num[32];
	size_t len;
	int brc = 0;
	pg_code rc;

	if (depth > CJSON_NESTING_LIMIT)
		return pg_err(err, PG_JSON_DEPTH,
		              ngettext("nesting deeper than %u level", "nesting deeper than %u levels",
		                       (unsigned long)CJSON_NESTING_LIMIT),
		              (unsigned)CJSON_NESTING_LIMIT);
	if (cJSON_IsNull(v)) {
		brc = pg_buf_add(b, "null", 4);
	} else if (cJSON_IsTrue(v)) {
		brc = pg_buf_add(b, "true", 4);
	} else if (cJSON_IsFalse(v)) {
		brc = pg_buf_add(b, "false", 5);
	} else if (cJSON_IsNumber(v)) {
		len = pg_canon_number(v->valuedouble, num);
		if (!len)
			return pg_err(err, PG_JSON_NUMBER,
			              _("NaN or infinity cannot be serialised"));
		brc = pg_buf_add(b, num, len);
	} else if (cJSON_IsString(v)) {
		if (!v->valuestring)
			return pg_err(err, PG_JSON_SYNTAX, _("a string has no value"));
		len = strlen(v->valuestring);
		rc = check_utf8(v->valuestring, len, _("a string"), err);
		if (rc)
			return rc;
		if (!(brc = pg_buf_addc(b, '"')) &&
		    !(brc = add_string(b, v->valuestring, len)))
			brc = pg_buf_addc(b, '"');
	} else if (cJSON_IsArray(v)) {
		if ((brc = pg_buf_addc(b, '[')))
			return buf_fail(err, brc);
		for (const cJSON *c = v->child; c; c = c->next) {
			if (c != v->child && (brc = pg_buf_addc(b, ',')))
				return buf_fail(err, brc);
			rc = emit(b, c, depth + 1, err);
			if (rc)
				return rc;
		}
		brc = pg_buf_addc(b, ']');
	} else if (cJSON_IsObject(v)) {
		return emit_object(b, v, depth, err);
	} else {
		return pg_err(err, PG_JSON_SYNTAX,
		              _("a node of this kind cannot be canonicalised"));
	}
	return brc ? buf_fail(err, brc) : PG_OK;
}

pg_code pg_canon(const cJSON *v, char **out, size_t *outlen, pg_error *err)
{
	pg_buf b;
	pg_code rc;
	char *p;
	size_t n;

	*out = NULL;
	if (outlen)
		*outlen = 0;
	pg_buf_init(&b, SIZE_MAX / 2);
	if (!v) {
		rc = pg_err(err, PG_JSON_SYNTAX, _("no document"));
		goto out;
	}
	rc = emit(&b, v, 0, err);
	if (rc)
		goto out;
	p = pg_buf_steal(&b, &n);
	if (!p) {
		rc = pg_err(err, PG_IO_MEMORY, _("out of memory"));
		goto out;
	}
	*out = p;
	if (outlen)
		*outlen = n;
out:
	if (rc && err)
		err->offset = -1; /* a tree has no byte offsets */
	pg_buf_free(&b);
	return rc;
}

pg_code pg_canon_bytes(const char *buf, size_t len, const pg_json_limits *lim,
                       char **out, size_t *outlen, pg_error *err)
{
	cJSON *tree = NULL;
	pg_code rc;

	*out = NULL;
	if (outlen)
		*outlen = 0;
	rc = pg_json_parse(buf, len, lim, &tree, err);
	if (rc)
		return rc;
	rc = pg_canon(tree, out, outlen, err);
	cJSON_Delete(tree);
	return rc;
}
