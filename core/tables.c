/* tables.c — the small data tables of CONTRACT section 7 and the default
 * loader caps. */
#include "pg.h"

#include "tables.h"

const uint32_t pg_confusable_separators[] = {
	0x2044, /* FRACTION SLASH              looks like '/' */
	0x2215, /* DIVISION SLASH              '/' */
	0xFF0F, /* FULLWIDTH SOLIDUS           '/' */
	0x29F8, /* BIG SOLIDUS                 '/' */
	0xFF3C, /* FULLWIDTH REVERSE SOLIDUS   '\' */
	0x2216, /* SET MINUS                   '\' */
	0xFE68, /* SMALL REVERSE SOLIDUS       '\' */
	0xFF0E, /* FULLWIDTH FULL STOP         '.' */
	0x2024, /* ONE DOT LEADER              '.' */
	0xFE52, /* SMALL FULL STOP             '.' */
	0x3002, /* IDEOGRAPHIC FULL STOP       '.' */
};
const size_t pg_confusable_separators_count =
	sizeof pg_confusable_separators / sizeof pg_confusable_separators[0];

const char *const pg_default_file_types[] = {
	".safetensors", ".gguf", ".onnx", ".tflite", ".bin", ".json", ".txt",
	".md", ".model", ".vocab", ".spm", ".tiktoken", ".asc", NULL
};

#define KIB ((uint64_t)1024)
#define MIB (KIB * 1024)
#define GIB (MIB * 1024)

void pg_limits_default(pg_limits *lim)
{
	lim->archive_bytes = 256 * GIB;
	lim->entry_bytes = 128 * GIB;
	lim->total_bytes = 256 * GIB;
	lim->entries = 10000;
	lim->path_bytes = 1024;
	lim->segment_bytes = 255;
	lim->json_bytes = 16 * MIB;
	lim->json_depth = 64;
}
