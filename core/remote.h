/* remote.h — the team registry: an OCI distribution client on libcurl and
 * the push, pull and sync of CONTRACT section 9 (doc/team-registry.md).
 *
 * The HTTP layer:
 *   - every request goes to the registry named at open (scheme://host[:port]
 *     plus a namespace path); TLS peer and host verification are always on,
 *     with opts->cacert as the CA bundle when given;
 *   - authentication answers the registry's WWW-Authenticate challenge:
 *     Bearer (a token from the realm, asked for with the Basic credentials
 *     when there are any, or an identity token through the OAuth2 refresh
 *     grant) or Basic.  Credentials come from the Docker configuration
 *     ($DOCKER_CONFIG/config.json, else ~/.docker/config.json): credHelpers
 *     for the host, else credsStore, run as `docker-credential-NAME get`
 *     with the host on stdin, else auths (base64 `auth`, or username and
 *     password, or identitytoken).  They are sent to the registry's own
 *     origin and to the token realm only: never through a redirect to
 *     another origin, never over plain http when the registry is https;
 *   - redirects are followed by hand for GET and HEAD only, to http(s)
 *     only, never from https down to http, at most PG_REMOTE_REDIRECTS;
 *   - 408, 429, 5xx (but 501, 505) and broken connections are retried
 *     with exponential backoff and jitter, Retry-After honoured up to
 *     opts->retry_after_cap, at most opts->max_retries times;
 *   - response bodies held in memory are capped; error bodies are cut;
 *     registry error codes and messages go through pg_err (escaped).
 * Codes: remote.connect (no connection, timeouts, resets after the
 * retries), remote.tls (certificate or handshake), remote.auth (401/403
 * once credentials were offered, or no credentials for a registry that
 * wants them), remote.http (any other unexpected status: the message
 * names the status and the registry's error code and message),
 * remote.protocol (a malformed answer), mpk.digest.mismatch (a download
 * whose bytes do not match the digest asked for), io.*.
 *
 * A pg_remote handle is for one thread at a time.
 */
#ifndef PG_REMOTE_H
#define PG_REMOTE_H

#include <stddef.h>
#include <stdint.h>
#include "pg.h"
#include "oci.h"
#include "registry.h"
#include "review.h"

#define PG_REMOTE_REDIRECTS 5
#define PG_REMOTE_STATEMENT_MAX ((uint64_t)1024 * 1024) /* one statement layer */

typedef struct pg_remote pg_remote;

/* What the progress callback is told. */
typedef enum pg_remote_event {
	PG_REMOTE_EV_BLOB_PRESENT,  /* a blob the registry has already: not sent */
	PG_REMOTE_EV_BLOB_START,    /* an upload or download begins (total bytes) */
	PG_REMOTE_EV_BLOB_BYTES,    /* bytes of it moved so far (done, total) */
	PG_REMOTE_EV_BLOB_DONE,     /* an upload or download completed */
	PG_REMOTE_EV_RESTART,       /* an upload session was lost or failed: started over */
	PG_REMOTE_EV_RETRY,         /* a request is retried (message says why) */
	PG_REMOTE_EV_WARNING,       /* something skipped (message) */
} pg_remote_event;

typedef struct pg_remote_progress {
	pg_remote_event event;
	const char *repository;     /* may be NULL */
	const char *digest;         /* the blob, may be NULL */
	const char *path;           /* the member path of the blob, when known */
	uint64_t done, total;
	const char *message;        /* display-safe; may be NULL */
} pg_remote_progress;

/* Called from inside transfers; must not call back into the handle. */
typedef void (*pg_remote_progress_fn)(void *ctx, const pg_remote_progress *p);

typedef struct pg_remote_opts {
	const char *cacert;          /* CA bundle (CURLOPT_CAINFO); NULL: the system's */
	const char *docker_config;   /* directory of config.json; NULL: $DOCKER_CONFIG, ~/.docker */
	long connect_timeout;        /* seconds */
	long low_speed_limit;        /* bytes per second below which ... */
	long low_speed_time;         /* ... for this many seconds a transfer is abandoned */
	int max_retries;             /* retries of one request (0: none) */
	long retry_base_ms;          /* first backoff; doubles each time, jittered */
	long retry_max_ms;           /* cap of one computed backoff */
	long retry_after_cap;        /* seconds: the longest Retry-After obeyed */
	uint64_t chunk_threshold;    /* blobs above this size go up in chunks (PATCH) */
	uint64_t chunk_size;         /* bytes per PATCH */
	pg_remote_progress_fn progress;
	void *progress_ctx;
} pg_remote_opts;

/* Defaults: no cacert, docker_config NULL, connect timeout 30 s, abandon
 * below 1 byte/s for 60 s, 4 retries from 250 ms up to 8 s, Retry-After
 * up to 30 s, chunks of 64 MiB above 16 MiB. */
void pg_remote_opts_init(pg_remote_opts *o);

/* Parses a remote URL "http[s]://host[:port][/namespace/...]" (no query,
 * fragment or user info; a trailing '/' is dropped; the namespace is one or
 * more lowercase path components as OCI repositories allow, or empty).  On
 * PG_OK *origin ("https://host:port") and *ns ("ml-team", may be "") are
 * new strings (free()).  Codes: usage (not such a URL), io.memory. */
pg_code pg_remote_parse_url(const char *url, char **origin, char **ns, pg_error *err);

/* Splits a pull argument: "http[s]://host[:port]/NAMESPACE/NAME[:TAG]", or
 * "NAME[:TAG]" / "SUBPATH/NAME[:TAG]" relative to remote (the --remote
 * URL; NULL: absolute arguments only).  *url receives the registry URL
 * with its namespace, *name the pack name (which must follow the name rule
 * of section 4), *tag the tag or NULL; all new strings.  A tag must be the
 * tag of a SemVer version (pg_oci_tag): champion, canary and the like are
 * refused, since packgate never trusts a tag.  Codes: usage. */
pg_code pg_remote_parse_ref(const char *arg, const char *remote, char **url, char **name, char **tag,
                            pg_error *err);

/* Opens a handle on the registry at url (pg_remote_parse_url).  Nothing
 * is sent yet.  opts NULL: defaults.  On success *out is new
 * (pg_remote_close). */
pg_code pg_remote_open(const char *url, const pg_remote_opts *opts, pg_remote **out, pg_error *err);
void pg_remote_close(pg_remote *r);

/* The repository of a pack name: NAMESPACE/NAME (or NAME with no
 * namespace); new string, NULL when out of memory. */
char *pg_remote_repository(const pg_remote *r, const char *name);

/* GET /v2/: the registry speaks the distribution API and the credentials
 * (if it asks for any) are accepted. */
pg_code pg_remote_ping(pg_remote *r, pg_error *err);

/* ------------------------------------------------------------ blobs */

/* HEAD of a blob: *exists 1 when the registry has it. */
pg_code pg_remote_blob_exists(pg_remote *r, const char *repo, const char *digest, int *exists, pg_error *err);

/* Uploads a blob unless the registry has it (a HEAD first): from the file
 * `path` (streamed, never held in memory) or, path NULL, from data[0..size).
 * Up to opts->chunk_threshold bytes go in one PUT (POST then PUT), larger
 * blobs in PATCH chunks of opts->chunk_size then a closing PUT.  The bytes
 * are hashed while they are read: a file that does not match digest is
 * mpk.digest.mismatch (nothing committed).  A session the server lost (404
 * on the upload URL), a broken connection or a retryable status restarts
 * the upload from the beginning with a new session (at most
 * opts->max_retries times).  *uploaded (may be NULL) is 1 when bytes were
 * sent, 0 when the blob was there. */
pg_code pg_remote_blob_put(pg_remote *r, const char *repo, const char *digest, uint64_t size, const char *path,
                           const char *data, const char *member, int *uploaded, pg_error *err);

/* Downloads a blob into memory (size at most max, else remote.protocol): *out is a new
 * NUL-terminated buffer of `size` bytes. */
pg_code pg_remote_blob_get_mem(pg_remote *r, const char *repo, const char *digest, uint64_t size, uint64_t max,
                               char **out, pg_error *err);

/* ------------------------------------------------------------ manifests */

/* GETs a manifest or index by tag or digest (accept: the media types
 * asked for, comma-separated).  *found 0 on 404 (nothing else set).  On
 * found: *body (new, NUL-terminated, at most PG_OCI_MANIFEST_MAX bytes,
 * else remote.protocol), *len, digest (its SHA-256; fetched by digest, a
 * mismatch is mpk.digest.mismatch), media_type (may be NULL; the
 * Content-Type, at most 128 bytes). */
pg_code pg_remote_manifest_get(pg_remote *r, const char *repo, const char *ref, const char *accept,
                               char **body, size_t *len, char digest[PG_OCI_DIGEST_SIZE], char *media_type,
                               int *found, pg_error *err);

/* HEAD of a manifest: *found, and its digest and size when found. */
pg_code pg_remote_manifest_head(pg_remote *r, const char *repo, const char *ref, const char *accept, int *found,
                                char digest[PG_OCI_DIGEST_SIZE], uint64_t *size, pg_error *err);

/* PUTs a manifest (body of media_type) under ref (a tag or its digest).  A
 * Docker-Content-Digest answer other than the body's digest is
 * remote.protocol.  *subject_ok (may be NULL) is 1 when the registry
 * answered OCI-Subject (it indexes referrers itself). */
pg_code pg_remote_manifest_put(pg_remote *r, const char *repo, const char *ref, const char *media_type,
                               const char *body, size_t len, int *subject_ok, pg_error *err);

/* The tags of a repository (every page), in the registry's order.  A
 * repository the registry does not know gives none.  More than 100,000 tags
 * is mpk.limit.entries, a list that goes on past 1,000 pages (Link: next)
 * remote.protocol: a hostile registry cannot fill memory or loop.  *tags is
 * a new array of new strings (pg_remote_strings_free). */
pg_code pg_remote_tags(pg_remote *r, const char *repo, char ***tags, size_t *n, pg_error *err);
void pg_remote_strings_free(char **v, size_t n);

/* The referrers of a manifest: the referrers API, or where the registry
 * lacks it (404, 400, 405, 501), the sha256-<hex> referrers tag.  out is
 * emptied first; entries as the registry lists them. */
pg_code pg_remote_referrers(pg_remote *r, const char *repo, const char *digest, pg_oci_refs *out,
                            pg_error *err);

/* Lists a referrer in the sha256-<hex> tag of its subject: read, add,
 * write, read again to catch a concurrent writer; at most 5 rounds, then
 * remote.conflict. */
pg_code pg_remote_referrers_tag_add(pg_remote *r, const char *repo, const char *subject, const char *digest,
                                    uint64_t size, const char *artifact_type, pg_error *err);

/* ------------------------------------------------------------ orchestration */

typedef enum pg_remote_status {
	PG_REMOTE_PUSHED,     /* sent now */
	PG_REMOTE_PRESENT,    /* the registry had it (push), the local registry had it (pull) */
	PG_REMOTE_IMPORTED,   /* a pulled pack imported now */
	PG_REMOTE_APPLIED,    /* a pulled statement recorded now */
	PG_REMOTE_KNOWN,      /* a pulled statement the registry held already */
	PG_REMOTE_SKIPPED,    /* a pulled statement not applied (warning) */
	PG_REMOTE_FAILED,     /* an item that failed (code, message) */
} pg_remote_status;

/* "pushed", "present", "imported", "applied", "known", "skipped", "failed". */
const char *pg_remote_status_name(pg_remote_status s);

typedef struct pg_remote_pack {
	char id[PG_ID_LEN];
	char *name, *version, *repository;     /* owned */
	char tag[PG_OCI_TAG_MAX + 1];
	char digest[PG_OCI_DIGEST_SIZE];       /* the OCI manifest the version tag names */
	pg_remote_status status;
	unsigned blobs_uploaded, blobs_present; /* push */
	uint64_t bytes_uploaded;               /* push */
	int is_new;                            /* pull: imported now */
	pg_state state;                        /* pull: the local state once statements are replayed */
	pg_code code;                          /* FAILED: why */
	char message[1024];
} pg_remote_pack;

typedef struct pg_remote_stmt {
	int64_t seq;                           /* push: the audit entry; pull: 0 */
	char kind[16];                         /* "approval" | "transition" */
	char pack[PG_ID_LEN];
	char digest[PG_OCI_DIGEST_SIZE];       /* the referrer manifest */
	char statement[PG_OCI_DIGEST_SIZE];    /* sha256 of the statement bytes */
	pg_remote_status status;
	pg_code code;                          /* SKIPPED and FAILED: why */
	char message[1024];
} pg_remote_stmt;

typedef struct pg_remote_tagmove {
	char *repository;                      /* owned */
	char tag[16];                          /* "champion" | "canary" */
	char digest[PG_OCI_DIGEST_SIZE];
} pg_remote_tagmove;

/* What a push, pull or sync did, in order.  Filled as it goes, so a
 * failure leaves what was done before it. */
typedef struct pg_remote_result {
	pg_remote_pack *packs;
	size_t npacks;
	pg_remote_stmt *stmts;
	size_t nstmts;
	pg_remote_tagmove *tags;
	size_t ntags;
	char **warnings;                        /* display-safe lines */
	size_t nwarnings;
	unsigned restarts;                      /* upload sessions started over */
	unsigned retries;                       /* requests retried */
} pg_remote_result;

void pg_remote_result_free(pg_remote_result *res);

/* Pushes the packs ids[0..nids) and every statement in the outbox (with
 * the packs they are about): for each pack, the blobs (HEAD first; member
 * files streamed from the registry's blob store), the config, then the OCI
 * manifest under the version tag, last; a version tag that names another
 * pack is remote.conflict, one that names the same pack with other
 * publisher signatures is left alone (the statements then refer to it).
 * Then each statement (outbox order) as a referrer of its pack, removed
 * from the outbox once the registry holds it.  Last, the champion and
 * canary tags of every name pushed are moved to the local champion and
 * canary when those packs are on the registry.  Stops at the first
 * failure (what was done is in res; the outbox keeps the rest). */
pg_code pg_remote_push(pg_remote *r, pg_reg *reg, const char *const *ids, size_t nids, pg_remote_result *res,
                       pg_error *err);

/* Pulls NAME (one tag, or tag NULL: every tag of the repository but the
 * sha256-* referrer tags, champion, canary and latest): the manifest is
 * checked against the mapping (pg_oci_check_remote), the layers
 * downloaded into a private directory under REGDIR/tmp with digest checks,
 * the pack reassembled (pg_oci_assemble) and imported as `import` does
 * (pg_review_import with rv->policy and rv->sig); packs are imported
 * parents first.  Then the statements referring to each pack are fetched,
 * checked (the referrer must be exactly the one packgate derives, the
 * statement must name the pack) and replayed (pg_review_replay) in
 * signing order, each pack's transitions in chain order.  A remote that
 * shows fewer transitions for a pack than the local registry has already
 * sent (a rollback), or transitions that do not form one chain extending
 * the local one (a fork), is remote.conflict for that pack: none of its
 * transitions are applied.  Statements whose signers the local policy
 * does not know (sig.unknown_key, sig.untrusted) are skipped with a
 * warning; rv->policy NULL skips every statement with a warning.  Items
 * that fail are recorded in res and the pull goes on; the return is the
 * first failure's code (err filled), or PG_OK. */
pg_code pg_remote_pull(pg_remote *r, pg_review *rv, const char *name, const char *tag, pg_remote_result *res,
                       pg_error *err);

/* Pull then push for every pack name in the registry: each name's
 * repository is pulled (all tags; a repository the registry lacks is
 * fine) into `pulled`, then every local pack and the outbox are pushed
 * into `pushed`.  Any failure of the pulls is returned (the first) and
 * nothing is pushed; a connection, TLS or authentication failure stops the
 * pulls at once. */
pg_code pg_remote_sync(pg_remote *r, pg_review *rv, pg_remote_result *pulled, pg_remote_result *pushed,
                       pg_error *err);

#endif
