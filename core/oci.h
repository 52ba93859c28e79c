/* oci.h — the deterministic mapping between a pack and OCI artifacts
 * (CONTRACT section 9; doc/team-registry.md shows an example).  No network
 * here: core/remote.c moves what this module describes.
 *
 * A pack becomes one OCI image manifest (canonical JSON, RFC 8785):
 *   {"schemaVersion": 2,
 *    "mediaType": "application/vnd.oci.image.manifest.v1+json",
 *    "artifactType": "application/vnd.cncf.model.manifest.v1+json",
 *    "config": <the config blob's descriptor>,
 *    "layers": [manifest.json, the member files in manifest order, the
 *               publisher signatures in byte order of path],
 *    "annotations": {"org.packgate.pack.id": "<pack id>"}}
 * Every layer descriptor is {mediaType, digest, size, annotations:
 * {"org.cncf.model.filepath": PATH}}; a member file's digest is its
 * files[].sha256, the manifest.json layer holds the canonical manifest
 * bytes (id included).  Media types by role: weights PG_OCI_MT_WEIGHT;
 * tokenizer and config PG_OCI_MT_WEIGHT_CONFIG; member documents, doc and
 * other PG_OCI_MT_DOC; signatures PG_OCI_MT_SIG.
 *
 * The config blob (PG_OCI_MT_CONFIG) is derived from the pack manifest
 * alone, so it is the same whatever signatures a pack carries:
 *   {"descriptor": {"createdAt": created_at, "name": name,
 *                   "version": version},
 *    "config": {} or {"quantization": runtime.quantization},
 *    "modelfs": {"type": "layers",
 *                "diff_ids": [the manifest.json layer's digest, then each
 *                             member file's, in layer order]}}
 *
 * A statement (approval or transition) becomes a referrer artifact:
 *   {"schemaVersion": 2, "mediaType": PG_OCI_MT_MANIFEST,
 *    "artifactType": PG_OCI_ARTIFACT_APPROVAL | PG_OCI_ARTIFACT_TRANSITION,
 *    "config": the empty descriptor (PG_OCI_MT_EMPTY, "{}"),
 *    "layers": [statement (PG_OCI_MT_STATEMENT), signature (PG_OCI_MT_SIG)],
 *    "subject": {"mediaType": PG_OCI_MT_MANIFEST, "digest", "size"}}
 *
 * The same inputs give the same bytes on every machine, hence the same
 * OCI digests for every pusher.
 */
#ifndef PG_OCI_H
#define PG_OCI_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "pg.h"
#include "digest.h"
#include "pack.h"
#include "statement.h"

#define PG_OCI_MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define PG_OCI_MT_INDEX "application/vnd.oci.image.index.v1+json"
#define PG_OCI_MT_EMPTY "application/vnd.oci.empty.v1+json"
#define PG_OCI_ARTIFACT_MODEL "application/vnd.cncf.model.manifest.v1+json"
#define PG_OCI_MT_CONFIG "application/vnd.cncf.model.config.v1+json"
#define PG_OCI_MT_WEIGHT "application/vnd.cncf.model.weight.v1.raw"
#define PG_OCI_MT_WEIGHT_CONFIG "application/vnd.cncf.model.weight.config.v1.raw"
#define PG_OCI_MT_DOC "application/vnd.cncf.model.doc.v1.raw"
#define PG_OCI_MT_SIG "application/pgp-signature"
#define PG_OCI_MT_PACK_MANIFEST "application/vnd.packgate.manifest.v1+json"
#define PG_OCI_ARTIFACT_APPROVAL "application/vnd.packgate.approval.v1+json"
#define PG_OCI_ARTIFACT_TRANSITION "application/vnd.packgate.transition.v1+json"
#define PG_OCI_MT_STATEMENT "application/vnd.in-toto+json"
#define PG_OCI_ANN_FILEPATH "org.cncf.model.filepath"
#define PG_OCI_ANN_PACK_ID "org.packgate.pack.id"

/* The empty blob "{}" of the referrer artifacts' config. */
#define PG_OCI_EMPTY_DATA "{}"
#define PG_OCI_EMPTY_DIGEST "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"

#define PG_OCI_DIGEST_SIZE 72        /* "sha256:" + 64 hex + NUL */
#define PG_OCI_TAG_MAX 128           /* OCI tag length limit */
#define PG_OCI_MANIFEST_MAX ((size_t)4 * 1024 * 1024) /* largest manifest or index accepted */
#define PG_OCI_INDEX_MAX 1000                          /* entries of an index (statements about a pack) */

/* The OCI media type of a member file of role r (see above); never NULL. */
const char *pg_oci_media_type(pg_role r);

/* The tag of a version: '+' written '_'.  Fills tag (capacity
 * PG_OCI_TAG_MAX + 1) and returns 0, or -1 when the result is not a valid
 * OCI tag ([A-Za-z0-9_][A-Za-z0-9._-]{0,127}). */
int pg_oci_tag(const char *version, char tag[PG_OCI_TAG_MAX + 1]);

/* The version a tag stands for ('_' read back as '+'): a new string the
 * caller frees, or NULL when out of memory. */
char *pg_oci_tag_version(const char *tag);

/* A publisher signature to map: signatures/NAME.asc and its exact bytes.
 * Borrowed. */
typedef struct pg_oci_sigin {
	const char *path;
	const char *data;
	size_t len;
} pg_oci_sigin;

typedef enum pg_oci_kind {
	PG_OCI_LAYER_MANIFEST,  /* manifest.json */
	PG_OCI_LAYER_FILE,      /* a member file of the manifest */
	PG_OCI_LAYER_SIG        /* a publisher signature */
} pg_oci_kind;

typedef struct pg_oci_layer {
	pg_oci_kind kind;
	const char *media_type;            /* static */
	char digest[PG_OCI_DIGEST_SIZE];   /* "sha256:<hex>" */
	uint64_t size;
	char *path;                        /* the filepath annotation; owned */
	int role;                          /* pg_role of a FILE layer, else -1 */
	size_t sig;                        /* index into sigs[] of a SIG layer */
} pg_oci_layer;

/* A pack mapped to OCI. */
typedef struct pg_oci_image {
	char id[PG_OCI_DIGEST_SIZE];       /* the pack id */
	char *name, *version;              /* owned */
	char *manifest;                    /* the OCI manifest's canonical bytes; owned */
	size_t manifest_len;
	char digest[PG_OCI_DIGEST_SIZE];   /* its digest */
	char *config;                      /* the config blob's canonical bytes; owned */
	size_t config_len;
	char config_digest[PG_OCI_DIGEST_SIZE];
	char *pack_manifest;               /* the canonical pack manifest; owned */
	size_t pack_manifest_len;
	pg_oci_layer *layers;              /* manifest order; owned */
	size_t nlayers;
} pg_oci_image;

/* Maps a pack given by its manifest bytes and its publisher signatures.
 * The manifest is held to the loader's rules (strict JSON within lim's
 * caps, pg_schema_manifest, the recomputed id: mpk.manifest.id_mismatch)
 * and must be its own canonical form (mpk.schema, "manifest.json: not in
 * RFC 8785 canonical form").  Each signature path must be
 * signatures/NAME.asc with NAME one path segment passing the path rules
 * (those codes; mpk.file.unlisted for any other name), at most
 * PG_SIG_MAX_BYTES (mpk.limit.entry_bytes), no two alike
 * (mpk.archive.duplicate_entry).  lim NULL: the defaults.  On success
 * *out is new (pg_oci_image_free). */
pg_code pg_oci_map(const char *manifest, size_t manifest_len, const pg_oci_sigin *sigs, size_t nsigs,
                   const pg_limits *lim, pg_oci_image **out, pg_error *err);

/* pg_oci_map of a loaded pack (its canonical manifest and signatures). */
pg_code pg_oci_map_pack(const pg_pack *p, const pg_limits *lim, pg_oci_image **out, pg_error *err);

void pg_oci_image_free(pg_oci_image *img);

/* Checks a parsed OCI manifest from a registry against the mapping of the
 * pack it claims to hold, so a pull reports the first defect with the
 * loader's own codes.  `remote` is the parsed manifest, `img` the mapping
 * of the pack manifest and signatures it carries.  Order: media type,
 * schemaVersion, artifactType and config media type (remote.protocol);
 * then layer by layer: a filepath annotation (remote.protocol when absent)
 * through the path rules (their codes), a path the pack does not list
 * (mpk.file.unlisted), the media type for its role (remote.protocol), the
 * size (mpk.size.mismatch), the digest (mpk.digest.mismatch); then files
 * the pack lists that no layer carries (mpk.file.missing); last, any other
 * difference from the derived manifest (remote.protocol).  err->path is
 * the member path where there is one. */
pg_code pg_oci_check_remote(const cJSON *remote, const pg_oci_image *img, const pg_limits *lim,
                            pg_error *err);

/* Reads the header of a registry's OCI image manifest: mediaType,
 * schemaVersion 2, artifactType PG_OCI_ARTIFACT_MODEL, and finds the
 * manifest.json layer (exactly one layer of PG_OCI_MT_PACK_MANIFEST whose
 * filepath is "manifest.json") and the signature layers.  Fills *mlayer
 * (borrowed) and returns PG_OK, or remote.protocol. */
pg_code pg_oci_find_manifest_layer(const cJSON *remote, const cJSON **mlayer, pg_error *err);

/* A descriptor read from JSON: "sha256:<hex>" digest, size.  Returns
 * PG_OK or remote.protocol naming `what`. */
pg_code pg_oci_descriptor(const cJSON *d, const char *what, char digest[PG_OCI_DIGEST_SIZE],
                          uint64_t *size, pg_error *err);

/* -------------------------------------------------------- statements */

/* The referrer manifest of a statement (canonical bytes, a new buffer the
 * caller frees, in *out, its length in *outlen, its digest in digest): kind selects the
 * artifactType; the layers are the statement bytes and the signature
 * bytes; the subject is the pack's OCI manifest (digest, size).  Codes:
 * io.memory. */
pg_code pg_oci_statement_manifest(pg_stmt_kind kind, const char *statement, size_t len,
                                  const char *signature, size_t siglen, const char *subject_digest,
                                  uint64_t subject_size, char **out, size_t *outlen,
                                  char digest[PG_OCI_DIGEST_SIZE], pg_error *err);

/* What a referrer manifest from a registry names: its kind, the statement
 * and signature layers, the subject. */
typedef struct pg_oci_referrer {
	pg_stmt_kind kind;
	char statement_digest[PG_OCI_DIGEST_SIZE];
	uint64_t statement_size;
	char signature_digest[PG_OCI_DIGEST_SIZE];
	uint64_t signature_size;
	char subject[PG_OCI_DIGEST_SIZE];
} pg_oci_referrer;

/* Reads a referrer manifest: media type, an artifactType of ours, the
 * empty config, exactly the two layers with their media types, a subject.
 * Returns PG_OK or remote.protocol. */
pg_code pg_oci_referrer_parse(const cJSON *m, pg_oci_referrer *out, pg_error *err);

/* ---------------------------------------------------------- indexes */

/* One manifest an image index lists (the referrers API answer or the
 * sha256-<hex> referrers tag). */
typedef struct pg_oci_ref {
	char digest[PG_OCI_DIGEST_SIZE];
	uint64_t size;
	char *artifact_type;   /* owned; NULL when absent */
	char *media_type;      /* owned */
} pg_oci_ref;

typedef struct pg_oci_refs {
	pg_oci_ref *v;
	size_t n;
} pg_oci_refs;

/* Reads the manifests of an image index (bytes from a registry): the
 * document must be an object with schemaVersion 2, mediaType
 * PG_OCI_MT_INDEX when present, and a manifests list of descriptors; the
 * entries are returned in index order (out emptied first).  remote.protocol
 * on a malformed index; mpk.limit.entries for more than PG_OCI_INDEX_MAX
 * entries (each one costs requests and a signature check). */
pg_code pg_oci_index_parse(const cJSON *index, pg_oci_refs *out, pg_error *err);

/* Adds a descriptor to an image index (NULL: a new empty one) and returns
 * the index's canonical bytes (new buffer, caller frees): entries with the
 * same digest are replaced, the list is sorted by digest, other members
 * (annotations, entries' extra members) are kept.  *changed says whether
 * the entry was new or different.  Codes: remote.protocol (index not an
 * index), io.memory. */
pg_code pg_oci_index_add(const cJSON *index, const char *media_type, const char *artifact_type,
                         const char *digest, uint64_t size, char **out, size_t *outlen, int *changed,
                         pg_error *err);

void pg_oci_refs_free(pg_oci_refs *r);

/* The referrers tag of a subject digest: "sha256-<hex>" (71 bytes + NUL). */
void pg_oci_referrers_tag(const char *digest, char tag[PG_OCI_DIGEST_SIZE]);

/* --------------------------------------------------------- reassembly */

/* One member of a pack to write: its archive path and either a file to
 * copy (src), bytes in memory (data), or neither (a fill callback's). */
typedef struct pg_oci_entry {
	const char *path;
	const char *src;     /* NULL: data */
	const char *data;
	uint64_t size;       /* the exact size; a src file of another size is io.read */
} pg_oci_entry;

/* Writes an uncompressed pack archive to out_path (created with mode
 * 0600; must not exist): manifest.json (the bytes given) first, then the
 * entries in byte order of path, every entry a regular file with mode
 * 0644, mtime 0, uid/gid 0, no names, POSIX ustar with a pax header only
 * where ustar cannot hold a value, names written from a UTF-8 locale —
 * the same layout `packgate build` writes, so the same inputs give the
 * same bytes.  Nothing is checked but sizes: the caller loads the result.
 * On failure out_path is removed.  Codes: io.*. */
pg_code pg_oci_assemble(const char *out_path, const char *manifest, size_t manifest_len,
                        const pg_oci_entry *entries, size_t n, pg_error *err);

/* The sink of one member's bytes while pg_oci_assemble_fd writes it. */
typedef struct pg_oci_writer pg_oci_writer;

/* Appends n bytes of the member being written; more than its listed size
 * is mpk.digest.mismatch, a failed write io.write. */
pg_code pg_oci_writer_put(pg_oci_writer *w, const void *buf, size_t n, pg_error *err);

/* Gives the bytes of entry e (one with neither src nor data) to w, all of
 * them: pg_oci_assemble_fd reports a short fill as mpk.digest.mismatch. */
typedef pg_code (*pg_oci_fill_fn)(void *ctx, const pg_oci_entry *e, pg_oci_writer *w, pg_error *err);

/* Where pg_oci_assemble_to puts the archive: all n bytes, returning 0 or
 * an errno value (EPIPE: whoever reads the output has stopped). */
typedef int (*pg_oci_out_fn)(void *ctx, const void *buf, size_t n);

/* The archive of pg_oci_assemble, given to out as it is made, so that a
 * reader at the other end can load it while it streams; label names the
 * output in messages.  unblocked: every write is passed on at once (for an
 * out that copies anyway), else in 1 MiB blocks.  Entries with neither src
 * nor data are filled by fill(ctx, ...).  When out fails with EPIPE,
 * *peer_gone (if given) is set: the reader's own error then says why.
 * Codes: io.*, mpk.digest.mismatch, and those of fill. */
pg_code pg_oci_assemble_to(pg_oci_out_fn out, void *out_ctx, int unblocked, const char *label, const char *manifest,
                           size_t manifest_len, const pg_oci_entry *entries, size_t n, pg_oci_fill_fn fill, void *ctx,
                           int *peer_gone, pg_error *err);

#endif
