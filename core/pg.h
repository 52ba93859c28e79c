/* pg.h — what every core module shares: gettext, the loader caps. */
#ifndef PG_PG_H
#define PG_PG_H

#include <stdint.h>
#include <stddef.h>
#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

#include "error.h"

/* Loader caps of CONTRACT section 7; a policy's `limits` overrides them. */
typedef struct pg_limits {
	uint64_t archive_bytes; /* compressed bytes read from the pack file */
	uint64_t entry_bytes;   /* one entry's size */
	uint64_t total_bytes;   /* sum of entry sizes */
	uint64_t entries;       /* number of archive entries, directories included */
	uint64_t path_bytes;    /* one path, in bytes */
	uint64_t segment_bytes; /* one path segment, in bytes */
	uint64_t json_bytes;    /* one JSON document */
	uint64_t json_depth;    /* nesting depth of a JSON document */
} pg_limits;

/* Fills lim with the defaults of section 7. */
void pg_limits_default(pg_limits *lim);

#define PG_SIG_MAX_BYTES ((uint64_t)64 * 1024) /* one signatures/NAME.asc */
#define PG_INT_MAX ((uint64_t)9007199254740991ULL) /* 2^53 - 1 */

#endif
