/* build.h — `packgate build`: a reproducible pack from a directory. */
#ifndef PG_BUILD_H
#define PG_BUILD_H

#include "pg.h"

typedef enum pg_compress { PG_COMPRESS_NONE, PG_COMPRESS_GZIP, PG_COMPRESS_ZSTD } pg_compress;

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
