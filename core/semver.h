/* semver.h — Semantic Versioning 2.0.0: validation and precedence. */
#ifndef PG_SEMVER_H
#define PG_SEMVER_H

/* True when s is a valid SemVer 2.0.0 version (no leading 'v', no leading
 * zeros in numeric identifiers, non-empty identifiers, build metadata
 * allowed). */
int pg_semver_valid(const char *s);

/* Precedence as SemVer 2.0.0 section 11 (build metadata ignored): <0, 0, >0.
 * Both must be valid; numeric parts compare as numbers of any length. */
int pg_semver_cmp(const char *a, const char *b);

#endif
