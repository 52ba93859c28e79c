/* json.c — the strict JSON layer in front of cJSON (CONTRACT section 7).
 *
 * pg_json_parse runs one linear, non-recursive scan over the bytes that
 * checks everything cJSON is lenient about, and only then lets cJSON build
 * the tree.  The scan keeps two small stacks: the open containers, and the
 * member names of the open objects (pointers into the input, nothing
 * copied).  When an object closes its names are sorted and neighbours
 * compared, so duplicate detection costs O(n log n) over the whole
 * document, never O(n^2) per object.
 *
 * The reported error is the first defect in document order: a duplicate
 * name is only known when its object closes (or when the scan stops early),
 * so the scan remembers the earliest duplicate it has seen and lets it win
 * over any later defect.
 */
#include "pg.h"

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "json.h"

#define DEFAULT_MAX_BYTES ((size_t)16 * 1024 * 1024)
#define DEFAULT_MAX_DEPTH 64u
/* cJSON 1.7.15 copies at most 63 characters of a number before strtod. */
#define MAX_NUMBER_CHARS 63
/* Longest member name shown in a duplicate-key message, in bytes. */
#define SHOWN_KEY_BYTES 128

void pg_json_limits_from(pg_json_limits *lim, const pg_limits *caps)
{
	if (!caps) {
		lim->max_bytes = DEFAULT_MAX_BYTES;
		lim->max_depth = DEFAULT_MAX_DEPTH;
		return;
	}
	lim->max_bytes = caps->json_bytes > SIZE_MAX ? SIZE_MAX :
	                 (size_t)caps->json_bytes;
	lim->max_depth = caps->json_depth > UINT_MAX ? UINT_MAX :
	                 (unsigned)caps->json_depth;
}

/* ------------------------------------------------------------------ locale */

/* strtod, and cJSON's number parser, follow LC_NUMERIC; JSON numbers do
 * not.  The scan and the tree build run, for the calling thread only, under
 * a private locale that is the global one with LC_NUMERIC "C": the other
 * categories stay, so messages keep the user's language (LC_MESSAGES) and
 * charset (LC_CTYPE). */
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static locale_t c_locale = (locale_t)0;

static void c_locale_init(void)
{
	locale_t base = duplocale(LC_GLOBAL_LOCALE);

	/* without a copy of the global locale, all of "C" as before */
	c_locale = newlocale(LC_NUMERIC_MASK, "C", base);
	if (c_locale == (locale_t)0 && base != (locale_t)0)
		freelocale(base);
}

/* Switches the calling thread to the C locale; returns what to restore, or
 * (locale_t)0 when nothing was switched. */
static locale_t enter_c_locale(void)
{
	pthread_once(&c_locale_once, c_locale_init);
	if (c_locale == (locale_t)0)
		return (locale_t)0; /* newlocale failed: keep the current one */
	return uselocale(c_locale);
}

static void leave_c_locale(locale_t old)
{
	if (old != (locale_t)0)
		uselocale(old);
}

/* ----------------------------------------------------------------- scanner */

/* One member name of an open object: the raw bytes between the quotes.
 * n is (length << 1) | has_escapes. */
struct key {
	const unsigned char *p;
	size_t n;
};

/* One open container.  key_base is the index of its first name in the key
 * stack, or SIZE_MAX for an array. */
struct frame {
	size_t key_base;
};

struct scan {
	const unsigned char *buf;
	size_t len;
	size_t pos;
	unsigned max_depth;

	struct frame *frames;
	unsigned depth;

	struct key *keys;
	size_t nkeys;
	size_t capkeys;

	/* the earliest duplicate seen so far: its second occurrence */
	int have_dup;
	struct key dup;

	pg_error *err;
};

/* Byte classes inside a string: 0 = plain ASCII, 1 = needs a look. */
static unsigned char str_special[256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void tables_init(void)
{
	for (int c = 0; c < 256; c++)
		str_special[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
}

static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t key_len(const struct key *k)
{
	return k->n >> 1;
}

static size_t key_offset(const struct scan *s, const struct key *k)
{
	return (size_t)(k->p - s->buf) - 1; /* the opening quote */
}

static pg_code oom(pg_error *err)
{
	if (err)
		err->offset = -1;
	return pg_err(err, PG_IO_MEMORY, _("out of memory"));
}

/* Sets err with code, offset and "DETAIL at byte N". */
static pg_code fail(struct scan *s, pg_code code, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static pg_code fail(struct scan *s, pg_code code, size_t off, const char *fmt, ...)
{
	char detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	if (s->err)
		s->err->offset = (long long)off;
	return pg_err(s->err, code, _("%s at byte %zu"), detail, off);
}

/* The offending byte at s->pos: the end of the input, U+0000 or invalid
 * UTF-8 (encoding defects wherever they are), or a byte the grammar does
 * not allow here (syntax; the message says what was wanted). */
static pg_code bad_byte(struct scan *s, const char *what)
{
	unsigned char c;
	ucs4_t uc;

	if (s->pos >= s->len)
		return fail(s, PG_JSON_SYNTAX, s->pos,
		            _("unexpected end of input: %s"), what);
	c = s->buf[s->pos];
	if (c == 0)
		return fail(s, PG_JSON_ENCODING, s->pos, _("U+0000 is not allowed"));
	if (c >= 0x80) {
		if (u8_mbtoucr(&uc, s->buf + s->pos, s->len - s->pos) < 0)
			return fail(s, PG_JSON_ENCODING, s->pos,
			            _("invalid UTF-8 sequence"));
		return fail(s, PG_JSON_SYNTAX, s->pos,
		            _("unexpected character U+%04X: %s"), (unsigned)uc, what);
	}
	if (c < 0x20 || c == 0x7f)
		return fail(s, PG_JSON_SYNTAX, s->pos,
		            _("unexpected character U+%04X: %s"), (unsigned)c, what);
	return fail(s, PG_JSON_SYNTAX, s->pos,
	            _("unexpected character '%c': %s"), c, what);
}

/* Reads the four hex digits of a \u escape at s->pos into *cu. */
static pg_code hex4(struct scan *s, unsigned *cu)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		int h = s->pos < s->len ? hexval(s->buf[s->pos]) : -1;

		if (h < 0)
			return bad_byte(s, _("\\u escape needs four hex digits"));
		v = v * 16 + (unsigned)h;
		s->pos++;
	}
	*cu = v;
	return PG_OK;
}

/* Scans the escape whose backslash is at byte at; leaves s->pos after it.
 * Escapes that are well-formed but name U+0000 or an unpaired surrogate are
 * encoding defects reported at the backslash. */
static pg_code scan_escape(struct scan *s, size_t at)
{
	unsigned char c;
	unsigned cu, lo;
	pg_code rc;

	s->pos = at + 1;
	c = s->pos < s->len ? s->buf[s->pos] : 0;
	if (s->pos >= s->len || c == 0 || c >= 0x80)
		return bad_byte(s, _("expected an escape character"));
	if (c != 'u') {
		if (!strchr("\"\\/bfnrt", c))
			return fail(s, PG_JSON_SYNTAX, s->pos,
			            _("invalid escape sequence \\%c"), c);
		s->pos++;
		return PG_OK;
	}
	s->pos++;
	rc = hex4(s, &cu);
	if (rc)
		return rc;
	if (cu == 0)
		return fail(s, PG_JSON_ENCODING, at,
		            _("escaped U+0000 is not allowed"));
	if (cu >= 0xdc00 && cu <= 0xdfff)
		return fail(s, PG_JSON_ENCODING, at,
		            _("lone low surrogate in a \\u escape"));
	if (cu < 0xd800 || cu > 0xdbff)
		return PG_OK;
	if (s->pos + 1 >= s->len || s->buf[s->pos] != '\\' ||
	    s->buf[s->pos + 1] != 'u')
		return fail(s, PG_JSON_ENCODING, at,
		            _("lone high surrogate in a \\u escape"));
	s->pos += 2;
	rc = hex4(s, &lo);
	if (rc)
		return rc;
	if (lo < 0xdc00 || lo > 0xdfff)
		return fail(s, PG_JSON_ENCODING, at,
		            _("lone high surrogate in a \\u escape"));
	return PG_OK;
}

/* Scans the string whose opening quote is at s->pos; leaves s->pos after
 * the closing quote.  *escaped tells whether it held any escape. */
static pg_code scan_string(struct scan *s, int *escaped)
{
	const unsigned char *b = s->buf;
	size_t len = s->len;
	size_t i = s->pos + 1;
	int esc = 0;

	for (;;) {
		unsigned char c;

		while (i < len && !str_special[b[i]])
			i++;
		if (i >= len) {
			s->pos = i;
			return bad_byte(s, _("expected the end of the string"));
		}
		c = b[i];
		if (c == '"')
			break;
		if (c == '\\') {
			pg_code rc = scan_escape(s, i);

			if (rc)
				return rc;
			esc = 1;
			i = s->pos;
			continue;
		}
		if (c < 0x20) {
			if (c == 0)
				return fail(s, PG_JSON_ENCODING, i,
				            _("U+0000 is not allowed"));
			return fail(s, PG_JSON_SYNTAX, i,
			            _("raw control character U+%04X in a string"),
			            (unsigned)c);
		}
		/* c >= 0x80 */
		{
			ucs4_t uc;
			int n = u8_mbtoucr(&uc, b + i, len - i);

			if (n < 0)
				return fail(s, PG_JSON_ENCODING, i,
				            _("invalid UTF-8 sequence"));
			i += (size_t)n;
		}
	}
	s->pos = i + 1;
	*escaped = esc;
	return PG_OK;
}

/* Scans a number at s->pos (a '-' or a digit). */
static pg_code scan_number(struct scan *s)
{
	const unsigned char *b = s->buf;
	size_t len = s->len;
	size_t start = s->pos, i = s->pos;
	char tmp[MAX_NUMBER_CHARS + 1];
	double d;

	if (b[i] == '-')
		i++;
	if (i >= len || !is_digit(b[i])) {
		s->pos = i;
		return bad_byte(s, _("expected a digit"));
	}
	if (b[i] == '0') {
		i++;
		if (i < len && is_digit(b[i]))
			return fail(s, PG_JSON_SYNTAX, i,
			            _("leading zeros are not allowed"));
	} else {
		while (i < len && is_digit(b[i]))
			i++;
	}
	if (i < len && b[i] == '.') {
		i++;
		if (i >= len || !is_digit(b[i])) {
			s->pos = i;
			return bad_byte(s, _("expected a digit"));
		}
		while (i < len && is_digit(b[i]))
			i++;
	}
	if (i < len && (b[i] == 'e' || b[i] == 'E')) {
		i++;
		if (i < len && (b[i] == '+' || b[i] == '-'))
			i++;
		if (i >= len || !is_digit(b[i])) {
			s->pos = i;
			return bad_byte(s, _("expected a digit"));
		}
		while (i < len && is_digit(b[i]))
			i++;
	}
	if (i - start > MAX_NUMBER_CHARS)
		return fail(s, PG_JSON_NUMBER, start,
		            _("number longer than %d characters"), MAX_NUMBER_CHARS);
	memcpy(tmp, b + start, i - start);
	tmp[i - start] = '\0';
	d = strtod(tmp, NULL);
	if (!isfinite(d))
		return fail(s, PG_JSON_NUMBER, start,
		            _("number out of the double range"));
	s->pos = i;
	return PG_OK;
}

/* Scans true, false or null at s->pos. */
static pg_code scan_literal(struct scan *s)
{
	const char *word, *want;

	switch (s->buf[s->pos]) {
	case 't':
		word = "true";
		want = _("expected true");
		break;
	case 'f':
		word = "false";
		want = _("expected false");
		break;
	default:
		word = "null";
		want = _("expected null");
		break;
	}
	for (size_t k = 0; word[k]; k++, s->pos++)
		if (s->pos >= s->len || s->buf[s->pos] != (unsigned char)word[k])
			return bad_byte(s, want);
	return PG_OK;
}

/* --------------------------------------------------- duplicate detection */

/* Iterator over the unescaped bytes of a member name. */
struct key_iter {
	const unsigned char *p, *end;
	uint8_t pend[4];
	int npend, ipend;
};

static unsigned hex4_raw(const unsigned char *p)
{
	unsigned v = 0;

	for (int k = 0; k < 4; k++)
		v = v * 16 + (unsigned)hexval(p[k]);
	return v;
}

/* Next unescaped byte, or -1 at the end.  The name was validated. */
static int key_next(struct key_iter *it)
{
	unsigned char c;
	unsigned cp;
	int n;

	if (it->ipend < it->npend)
		return it->pend[it->ipend++];
	if (it->p >= it->end)
		return -1;
	c = *it->p++;
	if (c != '\\')
		return c;
	c = *it->p++;
	switch (c) {
	case 'b': return '\b';
	case 'f': return '\f';
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	case 'u': break;
	default: return c; /* " \ / */
	}
	cp = hex4_raw(it->p);
	it->p += 4;
	if (cp >= 0xd800 && cp <= 0xdbff) {
		unsigned lo = hex4_raw(it->p + 2);

		it->p += 6;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	n = u8_uctomb(it->pend, cp, sizeof it->pend);
	if (n <= 0)
		return -1; /* cannot happen on a validated name */
	it->npend = n;
	it->ipend = 1;
	return it->pend[0];
}

/* Orders names by their unescaped bytes; 0 when they are equal. */
static int key_order(const struct key *x, const struct key *y)
{
	size_t lx = key_len(x), ly = key_len(y);

	if (!((x->n | y->n) & 1)) {
		int r = memcmp(x->p, y->p, lx < ly ? lx : ly);

		if (r)
			return r;
		return lx < ly ? -1 : lx > ly;
	}
	{
		struct key_iter a = { x->p, x->p + lx, {0}, 0, 0 };
		struct key_iter b = { y->p, y->p + ly, {0}, 0, 0 };

		for (;;) {
			int ca = key_next(&a), cb = key_next(&b);

			if (ca != cb)
				return ca < cb ? -1 : 1;
			if (ca < 0)
				return 0;
		}
	}
}

/* Names in order, equal names in document order. */
static int key_sort_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int r = key_order(x, y);

	if (r)
		return r;
	return x->p < y->p ? -1 : x->p > y->p;
}

/* Checks keys[from..to) for duplicates and remembers the earliest second
 * occurrence. */
static void check_dups(struct scan *s, size_t from, size_t to)
{
	struct key *k = s->keys + from;
	size_t n = to - from;

	if (n < 2)
		return;
	qsort(k, n, sizeof *k, key_sort_cmp);
	for (size_t i = 1; i < n; i++) {
		if (key_order(&k[i - 1], &k[i]) != 0)
			continue;
		/* k[i] is a later occurrence; the second one of its run is
		 * the first equal after the run's start */
		if (i >= 2 && key_order(&k[i - 2], &k[i - 1]) == 0)
			continue;
		if (!s->have_dup || k[i].p < s->dup.p) {
			s->have_dup = 1;
			s->dup = k[i];
		}
	}
}

/* Checks the names of every object still open (the scan stopped early). */
static void check_open_dups(struct scan *s)
{
	size_t from = SIZE_MAX;

	for (unsigned d = 0; d < s->depth; d++) {
		size_t base = s->frames[d].key_base;

		if (base == SIZE_MAX)
			continue;
		if (from != SIZE_MAX)
			check_dups(s, from, base);
		from = base;
	}
	if (from != SIZE_MAX)
		check_dups(s, from, s->nkeys);
}

static pg_code report_dup(struct scan *s)
{
	char shown[SHOWN_KEY_BYTES + 8]; /* + a split character, "...", NUL */
	size_t n = 0;
	struct key_iter it = { s->dup.p, s->dup.p + key_len(&s->dup), {0}, 0, 0 };
	int c;

	/* the unescaped name, cut at a character boundary */
	while ((c = key_next(&it)) >= 0) {
		if (n >= SHOWN_KEY_BYTES && (c & 0xc0) != 0x80) {
			memcpy(shown + n, "...", 3);
			n += 3;
			break;
		}
		shown[n++] = (char)c;
	}
	shown[n] = '\0';
	return fail(s, PG_JSON_DUPLICATE_KEY, key_offset(s, &s->dup),
	            _("duplicate member name \"%s\""), shown);
}

static pg_code push_key(struct scan *s, size_t quote, int escaped)
{
	struct key *k;

	if (s->nkeys == s->capkeys) {
		size_t ncap = s->capkeys ? s->capkeys * 2 : 64;
		struct key *nk;

		if (ncap > SIZE_MAX / sizeof *nk)
			return oom(s->err);
		nk = realloc(s->keys, ncap * sizeof *nk);
		if (!nk)
			return oom(s->err);
		s->keys = nk;
		s->capkeys = ncap;
	}
	k = &s->keys[s->nkeys++];
	k->p = s->buf + quote + 1;
	k->n = ((s->pos - quote - 2) << 1) | (escaped ? 1u : 0u);
	return PG_OK;
}

/* ------------------------------------------------------------- the scan */

enum state {
	ST_VALUE,         /* a value must follow */
	ST_ARRAY_FIRST,   /* after '[': a value or ']' */
	ST_OBJECT_FIRST,  /* after '{': a name or '}' */
	ST_NAME,          /* after ',' in an object: a name */
	ST_COLON,         /* after a name */
	ST_AFTER          /* after a value: ',', a closer, or the end */
};

static pg_code open_container(struct scan *s, int object)
{
	if (s->depth >= s->max_depth)
		return fail(s, PG_JSON_DEPTH, s->pos,
		            ngettext("nesting deeper than %u level", "nesting deeper than %u levels",
		                     (unsigned long)s->max_depth),
		            s->max_depth);
	s->frames[s->depth].key_base = object ? s->nkeys : SIZE_MAX;
	s->depth++;
	s->pos++;
	return PG_OK;
}

static void close_container(struct scan *s)
{
	struct frame *f = &s->frames[--s->depth];

	if (f->key_base != SIZE_MAX) {
		check_dups(s, f->key_base, s->nkeys);
		s->nkeys = f->key_base;
	}
	s->pos++;
}

static pg_code scan_value(struct scan *s, enum state *st)
{
	unsigned char c = s->buf[s->pos];
	int escaped;
	pg_code rc;

	switch (c) {
	case '{':
		rc = open_container(s, 1);
		*st = ST_OBJECT_FIRST;
		return rc;
	case '[':
		rc = open_container(s, 0);
		*st = ST_ARRAY_FIRST;
		return rc;
	case '"':
		*st = ST_AFTER;
		return scan_string(s, &escaped);
	case 't':
	case 'f':
	case 'n':
		*st = ST_AFTER;
		return scan_literal(s);
	default:
		if (c == '-' || is_digit(c)) {
			*st = ST_AFTER;
			return scan_number(s);
		}
		return bad_byte(s, _("expected a value"));
	}
}

static pg_code scan_name(struct scan *s, enum state *st)
{
	size_t quote = s->pos;
	int escaped;
	pg_code rc;

	rc = scan_string(s, &escaped);
	if (rc)
		return rc;
	*st = ST_COLON;
	return push_key(s, quote, escaped);
}

static pg_code scan_document(struct scan *s)
{
	enum state st = ST_VALUE;
	pg_code rc = PG_OK;

	for (;;) {
		while (s->pos < s->len && is_ws(s->buf[s->pos]))
			s->pos++;
		if (s->pos >= s->len) {
			if (st == ST_AFTER && s->depth == 0)
				return PG_OK;
			switch (st) {
			case ST_VALUE:
			case ST_ARRAY_FIRST:
				return bad_byte(s, _("expected a value"));
			case ST_OBJECT_FIRST:
			case ST_NAME:
				return bad_byte(s, _("expected a member name"));
			case ST_COLON:
				return bad_byte(s, _("expected ':'"));
			default:
				return bad_byte(s, s->frames[s->depth - 1].key_base == SIZE_MAX ?
				                _("expected ',' or ']'") :
				                _("expected ',' or '}'"));
			}
		}
		switch (st) {
		case ST_ARRAY_FIRST:
			if (s->buf[s->pos] == ']') {
				close_container(s);
				st = ST_AFTER;
				break;
			}
			/* fall through */
		case ST_VALUE:
			rc = scan_value(s, &st);
			break;
		case ST_OBJECT_FIRST:
			if (s->buf[s->pos] == '}') {
				close_container(s);
				st = ST_AFTER;
				break;
			}
			/* fall through */
		case ST_NAME:
			if (s->buf[s->pos] != '"')
				return bad_byte(s, _("expected a member name"));
			rc = scan_name(s, &st);
			break;
		case ST_COLON:
			if (s->buf[s->pos] != ':')
				return bad_byte(s, _("expected ':'"));
			s->pos++;
			st = ST_VALUE;
			break;
		case ST_AFTER: {
			int in_array;

			if (s->depth == 0) {
				return bad_byte(s, _("expected the end of the document"));
			}
			in_array = s->frames[s->depth - 1].key_base == SIZE_MAX;
			if (s->buf[s->pos] == ',') {
				s->pos++;
				st = in_array ? ST_VALUE : ST_NAME;
			} else if (s->buf[s->pos] == (in_array ? ']' : '}')) {
				close_container(s);
			} else {
				return bad_byte(s, in_array ? _("expected ',' or ']'") :
				                _("expected ',' or '}'"));
			}
			break;
		}
		}
		if (rc)
			return rc;
	}
}

pg_code pg_json_parse(const char *buf, size_t len, const pg_json_limits *lim,
                      cJSON **out, pg_error *err)
{
	pg_json_limits def;
	struct scan s;
	locale_t old = (locale_t)0;
	const char *end = NULL;
	cJSON *tree = NULL;
	pg_code rc;

	*out = NULL;
	if (!lim) {
		pg_json_limits_from(&def, NULL);
		lim = &def;
	}
	memset(&s, 0, sizeof s);
	s.buf = (const unsigned char *)(buf ? buf : "");
	s.len = buf ? len : 0;
	s.err = err;
	if (s.len > lim->max_bytes) {
		rc = fail(&s, PG_LIMIT_JSON_BYTES, lim->max_bytes,
		          ngettext("document of %zu byte is over the cap of %zu bytes",
		                   "document of %zu bytes is over the cap of %zu bytes", (unsigned long)s.len),
		          s.len, lim->max_bytes);
		goto out;
	}
	/* cJSON refuses to nest deeper than its own limit; state it as ours */
	s.max_depth = lim->max_depth < CJSON_NESTING_LIMIT ? lim->max_depth :
	              CJSON_NESTING_LIMIT;
	s.frames = malloc(((size_t)s.max_depth + 1) * sizeof *s.frames);
	if (!s.frames) {
		rc = oom(err);
		goto out;
	}
	pthread_once(&tables_once, tables_init);
	old = enter_c_locale();

	rc = scan_document(&s);
	if (rc != PG_IO_MEMORY) {
		if (rc)
			check_open_dups(&s);
		if (s.have_dup)
			rc = report_dup(&s);
	}
	if (rc)
		goto out;

	tree = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (!tree) {
		rc = oom(err);
		goto out;
	}
	s.pos = end ? (size_t)(end - buf) : 0;
	while (s.pos < s.len && is_ws(s.buf[s.pos]))
		s.pos++;
	if (s.pos != s.len) {
		/* cJSON and the scan disagree: refuse rather than guess */
		cJSON_Delete(tree);
		tree = NULL;
		rc = fail(&s, PG_JSON_SYNTAX, s.pos,
		          _("cJSON stopped early"));
		goto out;
	}
	*out = tree;
out:
	leave_c_locale(old);
	free(s.frames);
	free(s.keys);
	return rc;
}

/* ----------------------------------------------------------------- access */

cJSON *pg_json_get(const cJSON *obj, const char *key)
{
	if (!obj || !cJSON_IsObject(obj) || !key)
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

int pg_json_is_uint(const cJSON *v, uint64_t max)
{
	double d;

	if (!v || !cJSON_IsNumber(v))
		return 0;
	d = v->valuedouble;
	if (!isfinite(d) || d < 0 || d != floor(d))
		return 0;
	if (d >= 18446744073709551616.0) /* 2^64 */
		return 0;
	return (uint64_t)d <= max;
}

const char *pg_json_str(const cJSON *v)
{
	if (!v || !cJSON_IsString(v))
		return NULL;
	return v->valuestring;
}

/* ----------------------------------------------------------------- paths */

static void jpath_advance(pg_jpath *p, int n)
{
	if (n < 0)
		return;
	if (p->len + (size_t)n >= sizeof p->s)
		p->len = sizeof p->s - 1;
	else
		p->len += (size_t)n;
}

void pg_jpath_init(pg_jpath *p, const char *root)
{
	p->len = 0;
	p->s[0] = '\0';
	if (root && *root)
		jpath_advance(p, snprintf(p->s, sizeof p->s, "%s", root));
}

size_t pg_jpath_key(pg_jpath *p, const char *key)
{
	size_t mark = p->len;

	jpath_advance(p, snprintf(p->s + p->len, sizeof p->s - p->len, "%s%s", p->len ? "." : "", key ? key : ""));
	return mark;
}

size_t pg_jpath_index(pg_jpath *p, size_t i)
{
	size_t mark = p->len;

	jpath_advance(p, snprintf(p->s + p->len, sizeof p->s - p->len, "[%zu]", i));
	return mark;
}

void pg_jpath_pop(pg_jpath *p, size_t mark)
{
	p->len = mark;
	p->s[mark] = '\0';
}
