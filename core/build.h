/* build.h — `packgate build`: a reproducible pack from a directory. */
#ifndef PG_BUILD_H
#define PG_BUILD_H

#include <stdint.h>
#include "pg.h"

typedef enum pg_compress { PG_COMPRESS_NONE, PG_COMPRESS_GZIP, PG_COMPRESS_ZSTD } pg_compress;

struct archive_entry;

/* Resets e to the fixed metadata every packgate archive entry carries, so
 * the same content gives the same bytes on every machine: the path, the
 * type (AE_IFREG or AE_IFDIR), mode 0644 (0755 for a directory), mtime 0,
 * uid and gid 0, no user or group name.  Used by the builder, by
 * `packgate sign` and by the team-registry reassembly alike. */
void pg_build_entry(struct archive_entry *e, const char *path, unsigned type, uint64_t size);

/* Parses "none", "gzip", "zstd"; -1 when unknown. */
int pg_compress_parse(const char *s);

/* Builds a pack from dir (CONTRACT section 3) into out_path.  The archive is
 * written to a temporary file beside out_path, verified with the loader
 * (same codes as `verify` for anything verify would refuse), then renamed
 * into place; on failure nothing is left behind.  lim NULL: defaults.  On
 * success, id (72 bytes, may be NULL) receives the pack id. */
pg_code pg_build(const char *dir, const char *out_path, pg_compress compress,
                 const pg_limits *lim, char *id, pg_error *err);

#endif
