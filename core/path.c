/* path.c — the path rules of CONTRACT section 7: traversal, encoding,
 * confusables and scripts, length; the duplicate key; file types by name and
 * by content. */
#include "pg.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "escape.h"
#include "path.h"
#include "tables.h"

/* Bytes of the escaped path shown in a message; longer ones end in "…". */
#define SHOW_MAX 160

/* Most distinct scripts remembered per segment.  Any allowed set has at most
 * four, so a segment that reaches this many fails whatever comes next. */
#define SCRIPTS_MAX 8

/* Escaped, possibly shortened form of path for messages. */
struct shown {
	char text[SHOW_MAX + sizeof "…"];
};

static const char *show(struct shown *sh, const char *path, size_t len)
{
	if (pg_escape_buf(sh->text, SHOW_MAX + 1, path, len) > SHOW_MAX)
		strcat(sh->text, "…");
	return sh->text;
}

/* Records the failing path in err->path (escaped; the whole of it, as far
 * as the field holds). */
static void set_path(pg_error *err, const char *path, size_t len)
{
	if (err)
		pg_escape_buf(err->path, sizeof err->path, path, len);
}

/* ------------------------------------------------------------ traversal */

static pg_code check_traversal(const char *p, size_t len, const char *shown, pg_error *err)
{
	size_t i, start;

	if (len == 0)
		return pg_err(err, PG_ARCHIVE_PATH_TRAVERSAL, _("path \"\": empty path"));
	if (p[0] == '/')
		return pg_err(err, PG_ARCHIVE_PATH_TRAVERSAL,
			      _("path \"%s\": absolute path"), shown);
	if (len >= 2 && p[1] == ':' &&
	    ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')))
		return pg_err(err, PG_ARCHIVE_PATH_TRAVERSAL,
			      _("path \"%s\": drive letter"), shown);
	if (memchr(p, '\\', len))
		return pg_err(err, PG_ARCHIVE_PATH_TRAVERSAL,
			      _("path \"%s\": backslash"), shown);
	for (start = 0, i = 0; i <= len; i++) {
		size_t n;

		if (i < len && p[i] != '/')
			continue;
		n = i - start;
		if (n == 0)
			return pg_err(err, PG_ARCHIVE_PATH_TRAVERSAL,
				      _("path \"%s\": empty segment"), shown);
		if (n == 1 && p[start] == '.')
			return pg_err(err, PG_ARCHIVE_PATH_TRAVERSAL,
				      _("path \"%s\": \".\" segment"), shown);
		if (n == 2 && p[start] == '.' && p[start + 1] == '.')
			return pg_err(err, PG_ARCHIVE_PATH_TRAVERSAL,
				      _("path \"%s\": \"..\" segment"), shown);
		start = i + 1;
	}
	return PG_OK;
}

/* ------------------------------------------------------------- encoding */

static pg_code check_encoding(const char *p, size_t len, const char *shown, pg_error *err)
{
	const uint8_t *s = (const uint8_t *)p;
	const uint8_t *bad = u8_check(s, len);
	uint8_t *nfc;
	size_t nfc_len;
	int same;

	if (bad)
		return pg_err(err, PG_ARCHIVE_PATH_ENCODING,
			      _("path \"%s\": invalid UTF-8 at byte %zu"), shown,
			      (size_t)(bad - s));
	nfc = u8_normalize(UNINORM_NFC, s, len, NULL, &nfc_len);
	if (!nfc)
		return pg_err(err, PG_IO_MEMORY, _("out of memory"));
	same = nfc_len == len && memcmp(nfc, s, len) == 0;
	free(nfc);
	if (!same)
		return pg_err(err, PG_ARCHIVE_PATH_ENCODING,
			      _("path \"%s\": not in NFC"), shown);
	return PG_OK;
}

/* ----------------------------------------------------------- confusable */

/* Why character c may not appear in a path, or NULL when it may. */
static const char *refused_char(ucs4_t c)
{
	if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
		return _("control character");
	if (c == 0x061c || c == 0x200e || c == 0x200f ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
		return _("bidi control");
	if (c == 0x00ad || (c >= 0x200b && c <= 0x200d) || c == 0x2060 ||
	    c == 0xfeff)
		return _("invisible character");
	for (size_t i = 0; i < pg_confusable_separators_count; i++)
		if (c == pg_confusable_separators[i])
			return _("look-alike of '/', '\\' or '.'");
	if (c == 0x2028 || c == 0x2029)
		return _("line or paragraph separator");
	if (uc_is_general_category(c, UC_CATEGORY_Cf))
		return _("format character");
	return NULL;
}

enum {
	S_LATIN = 1 << 0,
	S_HAN = 1 << 1,
	S_HIRAGANA = 1 << 2,
	S_KATAKANA = 1 << 3,
	S_BOPOMOFO = 1 << 4,
	S_HANGUL = 1 << 5,
};

/* The scripts of the letters of one segment. */
struct scripts {
	const char *name[SCRIPTS_MAX]; /* distinct, in order of appearance */
	size_t count;                  /* entries of name[], <= SCRIPTS_MAX */
	unsigned mask;                 /* which of the S_ scripts were seen */
	int other;                     /* a script outside the S_ ones was seen */
};

static void scripts_add(struct scripts *sc, ucs4_t c)
{
	static const struct { const char *name; unsigned bit; } known[] = {
		{ "Latin", S_LATIN }, { "Han", S_HAN }, { "Hiragana", S_HIRAGANA },
		{ "Katakana", S_KATAKANA }, { "Bopomofo", S_BOPOMOFO },
		{ "Hangul", S_HANGUL },
	};
	const uc_script_t *script;
	size_t i;

	if (!uc_is_alpha(c) && !uc_is_general_category(c, UC_CATEGORY_L))
		return;
	script = uc_script(c);
	if (!script || strcmp(script->name, "Common") == 0 ||
	    strcmp(script->name, "Inherited") == 0)
		return;
	for (i = 0; i < sc->count; i++)
		if (strcmp(sc->name[i], script->name) == 0)
			return;
	if (sc->count == SCRIPTS_MAX)
		return; /* already failing */
	sc->name[sc->count++] = script->name;
	for (i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcmp(script->name, known[i].name) == 0) {
			sc->mask |= known[i].bit;
			return;
		}
	sc->other = 1;
}

/* UTS #39 "highly restrictive": one script, or a subset of Latin + Han +
 * Hiragana + Katakana, of Han + Bopomofo, or of Han + Hangul. */
static int scripts_ok(const struct scripts *sc)
{
	const unsigned jpan = S_LATIN | S_HAN | S_HIRAGANA | S_KATAKANA;

	if (sc->count <= 1)
		return 1;
	if (sc->other)
		return 0;
	return (sc->mask & ~jpan) == 0 ||
	       (sc->mask & ~(unsigned)(S_LATIN | S_HAN | S_BOPOMOFO)) == 0 ||
	       (sc->mask & ~(unsigned)(S_LATIN | S_HAN | S_HANGUL)) == 0;
}

static void scripts_join(const struct scripts *sc, char *out, size_t cap)
{
	size_t pos = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sc->count; i++) {
		size_t n = strlen(sc->name[i]);

		if (pos + n + 2 > cap)
			break;
		if (i > 0)
			out[pos++] = '+';
		memcpy(out + pos, sc->name[i], n);
		pos += n;
		out[pos] = '\0';
	}
}

/* The path is valid UTF-8 here.  Characters first, over the whole path;
 * then scripts, segment by segment. */
static pg_code check_confusable(const char *p, size_t len, const char *shown, pg_error *err)
{
	const uint8_t *s = (const uint8_t *)p;
	struct scripts sc;
	size_t i, seg;
	ucs4_t c;
	int n;

	for (i = 0, seg = 1; i < len; i += (size_t)n) {
		const char *why;

		n = u8_mbtoucr(&c, s + i, len - i);
		if (n <= 0) /* cannot happen after check_encoding */
			return pg_err(err, PG_ARCHIVE_PATH_ENCODING,
				      _("path \"%s\": invalid UTF-8 at byte %zu"), shown, i);
		if (c == '/')
			seg++;
		why = refused_char(c);
		if (why)
			return pg_err(err, PG_ARCHIVE_CONFUSABLE_PATH,
				      _("path \"%s\": U+%04X (%s) in segment %zu"),
				      shown, (unsigned)c, why, seg);
	}
	memset(&sc, 0, sizeof sc);
	for (i = 0, seg = 1; i <= len; i += (size_t)n) {
		if (i == len || s[i] == '/') {
			if (!scripts_ok(&sc)) {
				char names[128];

				scripts_join(&sc, names, sizeof names);
				return pg_err(err, PG_ARCHIVE_CONFUSABLE_PATH,
					      _("path \"%s\": letters of several scripts (%s) in segment %zu"),
					      shown, names, seg);
			}
			memset(&sc, 0, sizeof sc);
			seg++;
			n = 1;
			continue;
		}
		n = u8_mbtoucr(&c, s + i, len - i);
		if (n <= 0)
			n = 1;
		else
			scripts_add(&sc, c);
	}
	return PG_OK;
}

/* --------------------------------------------------------------- length */

static pg_code check_length(const char *p, size_t len, const pg_limits *lim,
			    const char *shown, pg_error *err)
{
	size_t i, start, seg;

	if (len > lim->path_bytes)
		return pg_err(err, PG_LIMIT_PATH_LENGTH,
			      _("path \"%s\": %zu bytes, over the %llu-byte cap"),
			      shown, len, (unsigned long long)lim->path_bytes);
	for (start = 0, seg = 1, i = 0; i <= len; i++) {
		if (i < len && p[i] != '/')
			continue;
		if (i - start > lim->segment_bytes)
			return pg_err(err, PG_LIMIT_PATH_LENGTH,
				      _("path \"%s\": segment %zu is %zu bytes, over the %llu-byte cap"),
				      shown, seg, i - start,
				      (unsigned long long)lim->segment_bytes);
		start = i + 1;
		seg++;
	}
	return PG_OK;
}

pg_code pg_path_check(const char *path, size_t len, const pg_limits *lim, pg_error *err)
{
	struct shown sh;
	pg_limits defaults;
	const char *shown;
	pg_code rc;

	if (!path)
		len = 0;
	if (!lim) {
		pg_limits_default(&defaults);
		lim = &defaults;
	}
	shown = show(&sh, path, len);
	rc = check_traversal(path, len, shown, err);
	if (rc == PG_OK)
		rc = check_encoding(path, len, shown, err);
	if (rc == PG_OK)
		rc = check_confusable(path, len, shown, err);
	if (rc == PG_OK)
		rc = check_length(path, len, lim, shown, err);
	if (rc != PG_OK)
		set_path(err, path, len);
	return rc;
}

char *pg_path_fold(const char *path, size_t len)
{
	uint8_t *folded;
	size_t n;
	char *out;

	if (len == 0)
		return strdup("");
	folded = u8_casefold((const uint8_t *)path, len, NULL, UNINORM_NFC, NULL, &n);
	if (!folded)
		return NULL;
	out = malloc(n + 1);
	if (out) {
		memcpy(out, folded, n);
		out[n] = '\0';
	}
	free(folded);
	return out;
}

/* ------------------------------------------------------------ file type */

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int ascii_caseeq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
			return 0;
	return *a == *b;
}

pg_code pg_path_check_type(const char *path, const char *const *types, pg_error *err)
{
	const char *name, *ext;
	struct shown sh;
	size_t len;

	if (!path)
		path = "";
	if (!types)
		types = pg_default_file_types;
	name = strrchr(path, '/');
	name = name ? name + 1 : path;
	ext = strrchr(name, '.');
	if (!ext)
		return PG_OK;
	for (; *types; types++)
		if (ascii_caseeq(ext, *types))
			return PG_OK;
	len = strlen(path);
	pg_err(err, PG_ARCHIVE_FILE_TYPE, _("path \"%s\": file type \"%s\" not allowed"),
	       show(&sh, path, len), ext);
	set_path(err, path, len);
	return PG_ARCHIVE_FILE_TYPE;
}

pg_code pg_path_sniff(const unsigned char *head, size_t n, const char *path, pg_error *err)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *what;
	} sigs[] = {
		{ "PK\x03\x04", 4, N_("a zip header") },
		{ "\x7f" "ELF", 4, N_("an ELF header") },
		{ "MZ", 2, N_("a PE header") },
		{ "#!", 2, N_("a script header") },
	};
	const char *what = NULL;
	struct shown sh;
	size_t len;

	if (n >= 2 && head[0] == 0x80 && head[1] >= 2 && head[1] <= 5)
		what = N_("a pickle stream");
	for (size_t i = 0; !what && i < sizeof sigs / sizeof sigs[0]; i++)
		if (n >= sigs[i].len && memcmp(head, sigs[i].magic, sigs[i].len) == 0)
			what = sigs[i].what;
	if (!what)
		return PG_OK;
	if (!path)
		path = "";
	len = strlen(path);
	pg_err(err, PG_ARCHIVE_FILE_TYPE, _("path \"%s\": content begins with %s"),
	       show(&sh, path, len), _(what));
	set_path(err, path, len);
	return PG_ARCHIVE_FILE_TYPE;
}
