/* semver.h — Semantic Versioning 2.0.0: validation and precedence. */
#ifndef PG_SEMVER_H
#define PG_SEMVER_H

/* True when s is a valid SemVer 2.0.0 version (no leading 'v', no leading
 * zeros in numeric identifiers, non-empty identifiers, build metadata
 * allowed). */
int pg_semver_valid(const char *s);

/* Precedence as SemVer 2.0.0 section 11 (build metadata ignored): returns
 * -1, 0 or 1.  Numeric identifiers compare as numbers of any length, numeric
 * below alphanumeric, alphanumeric ones in ASCII order, a shorter prerelease
 * below a longer one with the same prefix, a release above its prereleases.
 * Meant for valid versions; should an argument be invalid (or NULL), the
 * result is still a total order: invalid ones sort first, among themselves
 * by strcmp. */
int pg_semver_cmp(const char *a, const char *b);

#endif
