/* error.h — the stable error codes of CONTRACT section 8 and the error record
 * every core function fills.
 *
 * A core function returns a pg_code (PG_OK == 0 on success) and, on failure,
 * fills the caller's pg_error with the same code, a one-line message and,
 * where it helps, the field or member path and a byte offset.  Messages are
 * display-safe: pg_err() runs the formatted text through pg_escape, so
 * untrusted text may be passed straight in as a %s argument.
 */
#ifndef PG_ERROR_H
#define PG_ERROR_H

#include <stdarg.h>
#include <stddef.h>

/* X(enum suffix, stable code, class, exit status) */
#define PG_CODES(X) \
	X(OK,                      "ok",                          "",                   0) \
	X(USAGE,                   "usage",                       "UsageError",         2) \
	X(IO_NOT_FOUND,            "io.not_found",                "IOError",            3) \
	X(IO_READ,                 "io.read",                     "IOError",            3) \
	X(IO_WRITE,                "io.write",                    "IOError",            3) \
	X(IO_PERMISSION,           "io.permission",               "IOError",            3) \
	X(IO_MEMORY,               "io.memory",                   "IOError",            3) \
	X(ARCHIVE_INVALID,         "mpk.archive.invalid",         "InvalidArchive",     1) \
	X(ARCHIVE_PATH_TRAVERSAL,  "mpk.archive.path_traversal",  "PathTraversal",      1) \
	X(ARCHIVE_ENTRY_TYPE,      "mpk.archive.entry_type",      "InvalidArchive",     1) \
	X(ARCHIVE_DUPLICATE_ENTRY, "mpk.archive.duplicate_entry", "InvalidArchive",     1) \
	X(ARCHIVE_PATH_ENCODING,   "mpk.archive.path_encoding",   "PathTraversal",      1) \
	X(ARCHIVE_CONFUSABLE_PATH, "mpk.archive.confusable_path", "PathTraversal",      1) \
	X(ARCHIVE_FILE_TYPE,       "mpk.archive.file_type",       "InvalidArchive",     1) \
	X(LIMIT_ARCHIVE_BYTES,     "mpk.limit.archive_bytes",     "SizeLimitExceeded",  1) \
	X(LIMIT_ENTRY_BYTES,       "mpk.limit.entry_bytes",       "SizeLimitExceeded",  1) \
	X(LIMIT_TOTAL_BYTES,       "mpk.limit.total_bytes",       "SizeLimitExceeded",  1) \
	X(LIMIT_ENTRIES,           "mpk.limit.entries",           "SizeLimitExceeded",  1) \
	X(LIMIT_PATH_LENGTH,       "mpk.limit.path_length",       "SizeLimitExceeded",  1) \
	X(LIMIT_JSON_BYTES,        "mpk.limit.json_bytes",        "SizeLimitExceeded",  1) \
	X(JSON_SYNTAX,             "mpk.json.syntax",             "SchemaError",        1) \
	X(JSON_ENCODING,           "mpk.json.encoding",           "SchemaError",        1) \
	X(JSON_DUPLICATE_KEY,      "mpk.json.duplicate_key",      "SchemaError",        1) \
	X(JSON_DEPTH,              "mpk.json.depth",              "SchemaError",        1) \
	X(JSON_NUMBER,             "mpk.json.number",             "SchemaError",        1) \
	X(MANIFEST_MISSING,        "mpk.manifest.missing",        "InvalidArchive",     1) \
	X(MANIFEST_NOT_FIRST,      "mpk.manifest.not_first",      "InvalidArchive",     1) \
	X(MANIFEST_ID_MISMATCH,    "mpk.manifest.id_mismatch",    "IntegrityError",     1) \
	X(SCHEMA,                  "mpk.schema",                  "SchemaError",        1) \
	X(VERSION_UNSUPPORTED,     "mpk.version.unsupported",     "UnsupportedVersion", 1) \
	X(FILE_MISSING,            "mpk.file.missing",            "IntegrityError",     1) \
	X(FILE_UNLISTED,           "mpk.file.unlisted",           "IntegrityError",     1) \
	X(SIZE_MISMATCH,           "mpk.size.mismatch",           "IntegrityError",     1) \
	X(DIGEST_MISMATCH,         "mpk.digest.mismatch",         "IntegrityError",     1) \
	X(SIG_MISSING,             "sig.missing",                 "SignatureError",     1) \
	X(SIG_BAD,                 "sig.bad",                     "SignatureError",     1) \
	X(SIG_UNKNOWN_KEY,         "sig.unknown_key",             "SignatureError",     1) \
	X(SIG_UNTRUSTED,           "sig.untrusted",               "SignatureError",     1) \
	X(SIG_REVOKED,             "sig.revoked",                 "SignatureError",     1) \
	X(SIG_EXPIRED,             "sig.expired",                 "SignatureError",     1) \
	X(POLICY_INPUT_CONTRACT,   "policy.input_contract",       "PolicyError",        1) \
	X(POLICY_OUTPUT_CONTRACT,  "policy.output_contract",      "PolicyError",        1) \
	X(POLICY_BACKEND,          "policy.backend",              "PolicyError",        1) \
	X(POLICY_MEMORY,           "policy.memory",               "PolicyError",        1) \
	X(POLICY_RISK_TIER,        "policy.risk_tier",            "PolicyError",        1) \
	X(POLICY_EVALUATION,       "policy.evaluation",           "PolicyError",        1) \
	X(POLICY_PERMISSIONS,      "policy.permissions",          "PolicyError",        1) \
	X(POLICY_PARENT_MISSING,   "policy.parent_missing",       "PolicyError",        1) \
	X(LIFECYCLE_NOT_ALLOWED,   "lifecycle.not_allowed",       "LifecycleError",     1) \
	X(LIFECYCLE_ROLE,          "lifecycle.role",              "LifecycleError",     1) \
	X(LIFECYCLE_APPROVALS,     "lifecycle.approvals",         "LifecycleError",     1) \
	X(LIFECYCLE_ROLLBACK,      "lifecycle.rollback",          "LifecycleError",     1) \
	X(LIFECYCLE_CONFLICT,      "lifecycle.conflict",          "LifecycleError",     1) \
	X(REGISTRY_NOT_FOUND,      "registry.not_found",          "RegistryError",      1) \
	X(REGISTRY_AMBIGUOUS,      "registry.ambiguous",          "RegistryError",      1) \
	X(REGISTRY_VERSION_TAKEN,  "registry.version_taken",      "RegistryError",      1) \
	X(REGISTRY_BUSY,           "registry.busy",               "RegistryError",      3) \
	X(REGISTRY_CORRUPT,        "registry.corrupt",            "RegistryError",      3) \
	X(REGISTRY_CHAIN_BROKEN,   "registry.chain_broken",       "RegistryError",      1) \
	X(REMOTE_CONNECT,          "remote.connect",              "RemoteError",        3) \
	X(REMOTE_TLS,              "remote.tls",                  "RemoteError",        3) \
	X(REMOTE_AUTH,             "remote.auth",                 "RemoteError",        3) \
	X(REMOTE_HTTP,             "remote.http",                 "RemoteError",        3) \
	X(REMOTE_PROTOCOL,         "remote.protocol",             "RemoteError",        3) \
	X(REMOTE_CONFLICT,         "remote.conflict",             "RemoteError",        1)

#define PG_CODE_ENUM_(sym, name, cls, exitc) PG_##sym,
typedef enum pg_code { PG_CODES(PG_CODE_ENUM_) PG_CODE_COUNT_ } pg_code;
#undef PG_CODE_ENUM_

/* The error record.  Plain data: no heap memory, safe to copy. */
typedef struct pg_error {
	pg_code code;
	char message[1024]; /* display-safe, one line, no code prefix */
	char path[512];     /* field path ("files[3].sha256") or member path; "" if none */
	long long offset;   /* byte offset into the offending document, or -1 */
} pg_error;

/* Stable dotted code ("mpk.json.syntax"); never NULL. */
const char *pg_code_name(pg_code code);
/* Class of section 8 ("SchemaError"); "" for PG_OK. */
const char *pg_code_class(pg_code code);
/* Process exit status the code maps to: 0, 1 (refused), 2 (usage), 3 (environment). */
int pg_code_exit(pg_code code);
/* Code for a dotted name, or -1 when unknown. */
int pg_code_from_name(const char *name);

/* Resets err to PG_OK with empty message and path and offset -1.  err may be NULL. */
void pg_error_clear(pg_error *err);

/* Sets err->code and the message from a printf format, escaping the result
 * for display.  Keeps err->path and err->offset.  err may be NULL.  Returns code. */
pg_code pg_err(pg_error *err, pg_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
pg_code pg_verr(pg_error *err, pg_code code, const char *fmt, va_list ap);

/* Sets err->path from a printf format (escaped).  err may be NULL. */
void pg_error_path(pg_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Maps an errno value from a failed system call on `what` (a file name) to
 * io.not_found, io.permission, io.read or io.write (`writing` selects the
 * last two) and fills err.  Returns the code. */
pg_code pg_err_errno(pg_error *err, int errnum, int writing, const char *what);

#endif
