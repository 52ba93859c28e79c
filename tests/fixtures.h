/* fixtures.h — test-time generator of well-formed and hostile packs.
 *
 * A pack is described by an fx_spec: its archive entries in archive order
 * (the manifest is the entry flagged FX_E_MANIFEST, serialised from
 * spec->manifest when written), the container format, the compression and a
 * hook on the final bytes.  fx_spec_good() fills a spec with the default good
 * pack (CONTRACT section 4); a case builder then bends it.  Everything is
 * deterministic: fixed bytes, mtime 0, uid/gid 0, no names or times in the
 * gzip header, so the same spec always gives the same bytes.
 *
 * Entries are written with libarchive's write API where libarchive can say
 * what the case needs; defects it will not write (bad checksums, raw invalid
 * UTF-8 names, data cut short, GNU 'S' sparse headers) and every non-ASCII
 * name (libarchive's pax writer depends on the locale for those) are written
 * as hand-made 512-byte ustar/pax headers.
 *
 * fx_cases[] is the table of every case with its expected codes; check_pack
 * loads each one, mkfixtures writes them for the command-line tests.
 */
#ifndef PG_FIXTURES_H
#define PG_FIXTURES_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "pg.h"

typedef enum fx_compress {
	FX_COMPRESS_NONE,
	FX_COMPRESS_GZIP,
	FX_COMPRESS_ZSTD,
	FX_COMPRESS_BZIP2,   /* not a pack compression: hostile */
	FX_COMPRESS_XZ       /* not a pack compression: hostile */
} fx_compress;

typedef enum fx_format {
	FX_FORMAT_PAX,       /* pax restricted (the default) */
	FX_FORMAT_USTAR,
	FX_FORMAT_GNUTAR,
	FX_FORMAT_ZIP,       /* the following are hostile containers */
	FX_FORMAT_7ZIP,
	FX_FORMAT_CPIO,
	FX_FORMAT_AR,
	FX_FORMAT_BLOB       /* spec->blob verbatim (then compressed) */
} fx_format;

typedef enum fx_type {
	FX_FILE,
	FX_DIR,
	FX_SYMLINK,      /* link = target */
	FX_HARDLINK,     /* link = target */
	FX_CHARDEV,
	FX_BLOCKDEV,
	FX_FIFO,
	FX_SPARSE_GNU,   /* old GNU 'S' header, written by hand */
	FX_SPARSE_PAX    /* pax GNU.sparse 1.0, written by libarchive */
} fx_type;

/* Entry flags. */
#define FX_E_MANIFEST 0x01u /* the manifest: data is spec->manifest_raw or the
                             * serialised spec->manifest */
#define FX_E_RAW      0x02u /* hand-made ustar header, path bytes verbatim in
                             * the name field (at most 100 bytes) */
#define FX_E_BADSUM   0x04u /* hand-made header whose checksum is off by one */
#define FX_E_CUT      0x08u /* hand-made; the archive ends right after the
                             * entry's `len` data bytes: no padding, no
                             * end-of-archive blocks */
#define FX_E_PAXPATH  0x10u /* hand-made pax 'x' header carrying the path */

typedef struct fx_entry {
	fx_type type;
	char *path;            /* owned; raw bytes, NUL-terminated as well */
	size_t path_len;
	unsigned char *data;   /* owned; NULL with len > 0 means len zero bytes */
	size_t len;            /* data bytes actually written */
	int64_t header_size;   /* size field of the header; -1: len */
	char *link;            /* owned; symlink or hardlink target */
	char *role;            /* owned; role it is listed under by fx_relist,
	                        * NULL: not listed */
	unsigned flags;        /* FX_E_* */
} fx_entry;

struct fx_spec;
/* Hook run on the final bytes (after compression).  May realloc *buf and
 * change *len.  Returns 0, or -1 on failure. */
typedef int (*fx_post_fn)(const struct fx_spec *s, unsigned char **buf, size_t *len);

typedef struct fx_spec {
	fx_format format;
	fx_compress compress;
	int gzip_level;            /* 0: libarchive's default */
	fx_entry *e;               /* archive order; owned */
	size_t n, cap;
	cJSON *manifest;           /* owned; may be NULL when manifest_raw is set */
	char *manifest_raw;        /* owned; when set, the manifest bytes verbatim */
	size_t manifest_raw_len;
	unsigned char *blob;       /* owned; FX_FORMAT_BLOB content */
	size_t blob_len;
	fx_post_fn post;           /* NULL: none */
	int64_t post_arg;          /* argument of the fx_post_* hooks */
	int has_limits;            /* the case loads with `limits` */
	pg_limits limits;          /* pg_limits_default unless a case changes it */
} fx_spec;

/* One file of the default good pack. */
typedef struct fx_member {
	const char *path;
	const char *role;
	const unsigned char *data;
	size_t len;
} fx_member;

/* The default good pack's member files in archive order (model.onnx,
 * tokenizer.json, contract.json, lineage.json, evaluation-card.json,
 * permissions.json, license-notice.json, README.md).  *out points to static
 * storage valid until exit.  Returns the count. */
size_t fx_good_members(const fx_member **out);

/* The parent id the good pack's manifest and lineage.json name. */
extern const char fx_parent_id[];

/* A new good manifest without `id` and `files` (what `packgate build` reads
 * from DIR/manifest.json).  Caller frees with cJSON_Delete; NULL on OOM. */
cJSON *fx_manifest_base(void);

/* Empties s: pax, no compression, no entries, default limits. */
void fx_spec_init(fx_spec *s);
/* Frees everything s owns and leaves it as after fx_spec_init. */
void fx_spec_free(fx_spec *s);
/* fx_spec_init, then the default good pack: the manifest entry followed by
 * fx_good_members(), listed with sizes and SHA-256, the id computed with
 * pg_pack_compute_id.  Returns 0, or -1 (and frees s). */
int fx_spec_good(fx_spec *s);

#define FX_END ((size_t)-1)
/* Inserts a new entry at position pos (FX_END: append).  path[0..path_len)
 * (path_len 0: strlen) and data[0..len) are copied; data NULL with len > 0
 * stands for len zero bytes that are never stored.  Returns the entry (valid
 * until the next insertion) or NULL on OOM. */
fx_entry *fx_add(fx_spec *s, size_t pos, fx_type type, const char *path,
                 size_t path_len, const void *data, size_t len);
/* Same as fx_add for a regular file listed under role (fx_relist needed). */
fx_entry *fx_add_member(fx_spec *s, size_t pos, const char *path,
                        const char *role, const void *data, size_t len);
/* Index of the first entry with this exact path, or FX_END. */
size_t fx_find(const fx_spec *s, const char *path);
/* The entry with this path, or NULL. */
fx_entry *fx_get(fx_spec *s, const char *path);
/* Removes the entry with this path; -1 when absent. */
int fx_remove(fx_spec *s, const char *path);
/* Moves the entry with this path to position pos (after removal). */
int fx_move(fx_spec *s, const char *path, size_t pos);
/* Replaces an entry's data (copied) and resets its header size to follow. */
int fx_set_data(fx_entry *e, const void *data, size_t len);
/* Renames an entry (copied). */
int fx_set_path(fx_entry *e, const char *path, size_t path_len);

/* Rebuilds manifest.files from the entries that have a role (archive order,
 * size = len, sha256 of the data) and recomputes the id. */
int fx_relist(fx_spec *s);
/* Recomputes the manifest id only. */
int fx_reid(fx_spec *s);
/* Sets the manifest bytes verbatim (copied); the manifest entry then carries
 * them whatever spec->manifest says. */
int fx_set_manifest_raw(fx_spec *s, const char *bytes, size_t len);
/* The bytes the manifest entry will carry (new buffer, caller frees). */
int fx_manifest_bytes(const fx_spec *s, char **out, size_t *len);

/* Renders the pack into a new buffer (caller frees): container, compression
 * and post hook applied.  Returns 0 or -1 (a message on stderr). */
int fx_render(const fx_spec *s, unsigned char **out, size_t *len);
/* Renders the pack into out_path (created or truncated, mode 0644). */
int fx_write_pack(const char *out_path, const fx_spec *s);

/* Post hooks.  post_arg >= 0 counts from the start, < 0 from the end. */
int fx_post_truncate(const fx_spec *s, unsigned char **buf, size_t *len); /* keep post_arg bytes */
int fx_post_flip(const fx_spec *s, unsigned char **buf, size_t *len);     /* XOR 0x01 at post_arg */
int fx_post_append(const fx_spec *s, unsigned char **buf, size_t *len);   /* post_arg deterministic junk bytes */

/* Offset of the first data byte of entry idx in the uncompressed tar, valid
 * when every entry before it (and idx itself) is a plain ustar entry (short
 * ASCII path, no pax header).  FX_END otherwise. */
size_t fx_data_offset(const fx_spec *s, size_t idx);

/* Writes the good pack as a `packgate build` input directory: the member
 * files and manifest.json holding every member but id and files.  dir must
 * exist.  Returns 0 or -1. */
int fx_write_good_dir(const char *dir);

/* Deterministic pseudo-random bytes (a fixed LCG per seed). */
void fx_fill(unsigned char *p, size_t n, uint32_t seed);

/* Case flags. */
#define FX_C_LIMITS 0x01u /* loads with spec.limits: check_pack only, the CLI
                           * always uses the default caps */
#define FX_ANY (-1)       /* inspect outcome not fixed by the contract */

typedef int (*fx_build_fn)(fx_spec *s);

typedef struct fx_case {
	const char *name;      /* [a-z0-9_]+, the file name stem */
	pg_code code;          /* expected pg_pack_load code in VERIFY mode */
	int inspect;           /* expected code in INSPECT mode, or FX_ANY */
	const char *path;      /* expected err->path (VERIFY), or NULL */
	fx_build_fn build;     /* initialises and fills the spec (what it held
	                        * is overwritten, not freed); returns 0 or -1;
	                        * the caller frees the spec either way */
	unsigned flags;        /* FX_C_* */
} fx_case;

extern const fx_case fx_cases[];
extern const size_t fx_ncases;

/* Index of the case with this name, or -1. */
int fx_case_find(const char *name);

#endif
