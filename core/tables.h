/* tables.h — small data tables no library carries (CONTRACT section 2),
 * written down once, here. */
#ifndef PG_TABLES_H
#define PG_TABLES_H

#include <stddef.h>
#include <stdint.h>

/* Code points that imitate '/', '\' or '.' (section 7): U+2044, U+2215,
 * U+FF0F, U+29F8, U+FF3C, U+2216, U+FE68, U+FF0E, U+2024, U+FE52, U+3002. */
extern const uint32_t pg_confusable_separators[];
extern const size_t pg_confusable_separators_count;

/* The default member file-type list of section 7, lowercase with the dot
 * (".safetensors" ...), NULL-terminated. */
extern const char *const pg_default_file_types[];

#endif
