/* registry.c — the local registry on SQLite (see registry.h and
 * doc/registry.md).
 *
 * Layout of this file: error mapping and statement cache; schema and
 * migrations; open/close; scratch directories and the blob store; import;
 * REF resolution; list; taint; show; lineage; policies; the audit chain;
 * outbox and events.
 */
#include "registry.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "canon.h"
#include "json.h"
#include "rfc3339.h"
#include "semver.h"

#define APP_ID 0x70676174 /* "pgat": marks a packgate registry */
#define TAINT_DOWN_MIN 256 /* packs asked about at once from which taint walks down */

/* ======================================================== the statements */

enum {
	S_BEGIN, S_COMMIT, S_ROLLBACK,
	S_META_GET, S_META_SET,
	S_PACK_ID, S_PACK_NV, S_POLICY_HAS,
	S_INS_PACK, S_INS_MANIFEST, S_INS_FILE, S_INS_DOC, S_INS_SIG, S_INS_PARENT, S_INS_CHECK,
	S_INS_FTS, S_INS_EVENT,
	S_PREFIX, S_PREFIX_COUNT, S_BY_NAME, S_BY_NAME_STATE,
	S_ANY_QUAR, S_TAINTED_ALL, S_CLOSURE,
	S_SHOW_PACK, S_SHOW_FILES, S_SHOW_DOCS, S_SHOW_SIGS, S_SHOW_PARENTS, S_SHOW_CHECKS,
	S_APPROVALS, S_STATE, S_DOC,
	S_LIN_ANC_NODES, S_LIN_ANC_EDGES, S_LIN_ANC_NODES_D, S_LIN_ANC_EDGES_D,
	S_LIN_DES_NODES, S_LIN_DES_EDGES, S_LIN_DES_NODES_D, S_LIN_DES_EDGES_D,
	S_POLICY_PUT, S_POLICY_GET,
	S_CHAIN_LAST, S_INS_CHAIN, S_INS_OUTBOX, S_INS_APPROVAL, S_HEAD, S_INS_TRANSITION,
	S_SET_STATE, S_NAME_OF, S_COUNT_STATE,
	S_LOG_ALL, S_LOG_PACK, S_VERIFY, S_VERIFY_APPROVALS, S_VERIFY_TRANSITIONS,
	S_OUTBOX, S_OUTBOX_DEL, S_EVENTS_ALL, S_EVENTS_PACK,
	S_COUNT_
};

#define PACK_COLS "p.id, p.name, p.version, p.operator, p.created_at, p.state"
#define WALK_UP_ALL \
	"WITH RECURSIVE w(id) AS (SELECT ?1 UNION " \
	"SELECT e.parent FROM w JOIN parents e ON e.child = w.id) "
#define WALK_UP_DEPTH \
	"WITH RECURSIVE w(id, d) AS (SELECT ?1, 0 UNION " \
	"SELECT e.parent, w.d + 1 FROM w JOIN parents e ON e.child = w.id WHERE w.d < ?2) "
#define WALK_DOWN_ALL \
	"WITH RECURSIVE w(id) AS (SELECT ?1 UNION " \
	"SELECT e.child FROM w JOIN parents e ON e.parent = w.id) "
#define WALK_DOWN_DEPTH \
	"WITH RECURSIVE w(id, d) AS (SELECT ?1, 0 UNION " \
	"SELECT e.child, w.d + 1 FROM w JOIN parents e ON e.parent = w.id WHERE w.d < ?2) "
#define NODE_COLS "n.id, p.id IS NOT NULL, p.name, p.version, p.operator, p.state"
#define LOG_COLS "seq, kind, pack, statement, signature, signer, recorded_at, hash, prev_hash"

static const char *const sql_text[S_COUNT_] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[S_META_SET] = "INSERT INTO meta(key, value) VALUES (?1, ?2) "
		"ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[S_PACK_ID] = "SELECT pk, state, name, version FROM packs WHERE id = ?1",
	[S_PACK_NV] = "SELECT id FROM packs WHERE name = ?1 AND version = ?2",
	[S_POLICY_HAS] = "SELECT 1 FROM policies WHERE digest = ?1",
	[S_INS_PACK] = "INSERT INTO packs(id, name, version, version_key, created_at, created_key, "
		"operator, state, imported_at, policy) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'candidate', ?8, ?9)",
	[S_INS_MANIFEST] = "INSERT INTO manifests(pack, canonical) VALUES (?1, ?2)",
	[S_INS_FILE] = "INSERT INTO files(pack, position, path, role, size, sha256) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_INS_DOC] = "INSERT INTO documents(pack, position, role, path, canonical) "
		"VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_INS_SIG] = "INSERT INTO signatures(pack, path, armored) VALUES (?1, ?2, ?3)",
	[S_INS_PARENT] = "INSERT INTO parents(child, position, parent) VALUES (?1, ?2, ?3)",
	[S_INS_CHECK] = "INSERT INTO checks(pack, position, code, ok, message) "
		"VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_INS_FTS] = "INSERT INTO pack_fts(rowid, name, operator, contracts, suites, failed, licenses) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_INS_EVENT] = "INSERT INTO events(at, kind, pack, detail) VALUES (?1, ?2, ?3, ?4)",
	[S_PREFIX] = "SELECT id, name, version FROM packs WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT 9",
	[S_PREFIX_COUNT] = "SELECT count(*) FROM packs WHERE id >= ?1 AND id < ?2",
	[S_BY_NAME] = "SELECT id, version FROM packs WHERE name = ?1",
	[S_BY_NAME_STATE] = "SELECT id FROM packs WHERE name = ?1 AND state = ?2 "
		"ORDER BY version_key DESC, version DESC LIMIT 1",
	[S_ANY_QUAR] = "SELECT 1 FROM packs WHERE state_rank = 7 LIMIT 1",
	[S_TAINTED_ALL] = "WITH RECURSIVE d(id) AS (SELECT e.child FROM packs q JOIN parents e "
		"ON e.parent = q.id WHERE q.state_rank = 7 UNION "
		"SELECT e.child FROM d JOIN parents e ON e.parent = d.id) SELECT id FROM d",
	[S_CLOSURE] = "WITH RECURSIVE w(id) AS (SELECT value FROM json_each(?1) UNION "
		"SELECT e.parent FROM w JOIN parents e ON e.child = w.id) "
		"SELECT e.child, e.parent, coalesce(p.state = 'quarantined', 0) "
		"FROM w JOIN parents e ON e.child = w.id LEFT JOIN packs p ON p.id = e.parent",
	[S_SHOW_PACK] = "SELECT p.pk, p.id, p.name, p.version, p.created_at, p.operator, p.imported_at, "
		"p.state, m.canonical, p.policy FROM packs p JOIN manifests m ON m.pack = p.pk WHERE p.id = ?1",
	[S_SHOW_FILES] = "SELECT path, role, size, sha256 FROM files WHERE pack = ?1 ORDER BY position",
	[S_SHOW_DOCS] = "SELECT role, path, canonical FROM documents WHERE pack = ?1 ORDER BY position",
	[S_SHOW_SIGS] = "SELECT path, armored FROM signatures WHERE pack = ?1 ORDER BY path",
	[S_SHOW_PARENTS] = "SELECT e.parent, p.name, p.version, p.state FROM parents e "
		"LEFT JOIN packs p ON p.id = e.parent WHERE e.child = ?1 ORDER BY e.position",
	[S_SHOW_CHECKS] = "SELECT code, ok, message FROM checks WHERE pack = ?1 ORDER BY position",
	[S_APPROVALS] = "SELECT a.seq, a.decision, a.target, a.role, a.signer, a.signed_at, a.policy, "
		"c.statement_sha256 FROM approvals a JOIN chain c ON c.seq = a.seq "
		"WHERE a.pack = ?1 ORDER BY a.seq",
	[S_STATE] = "SELECT state FROM packs WHERE id = ?1",
	/* one row when the pack exists; its d.* NULL when it has no such document */
	[S_DOC] = "SELECT d.role, d.path, d.canonical FROM packs p LEFT JOIN documents d "
		"ON d.pack = p.pk AND d.role = ?2 WHERE p.id = ?1 ORDER BY d.position LIMIT 1",
	[S_LIN_ANC_NODES] = WALK_UP_ALL "SELECT " NODE_COLS
		" FROM w n LEFT JOIN packs p ON p.id = n.id",
	[S_LIN_ANC_EDGES] = WALK_UP_ALL "SELECT e.child, e.parent FROM w JOIN parents e "
		"ON e.child = w.id ORDER BY e.child, e.position",
	[S_LIN_ANC_NODES_D] = WALK_UP_DEPTH ", n(id) AS (SELECT DISTINCT id FROM w) SELECT " NODE_COLS
		" FROM n LEFT JOIN packs p ON p.id = n.id",
	[S_LIN_ANC_EDGES_D] = WALK_UP_DEPTH ", s(id) AS (SELECT DISTINCT id FROM w WHERE d < ?2) "
		"SELECT e.child, e.parent FROM s JOIN parents e ON e.child = s.id "
		"ORDER BY e.child, e.position",
	[S_LIN_DES_NODES] = WALK_DOWN_ALL "SELECT " NODE_COLS
		" FROM w n LEFT JOIN packs p ON p.id = n.id",
	[S_LIN_DES_EDGES] = WALK_DOWN_ALL "SELECT e.child, e.parent FROM w JOIN parents e "
		"ON e.parent = w.id JOIN packs c ON c.id = e.child "
		"ORDER BY c.name, c.version_key, c.version, c.id",
	[S_LIN_DES_NODES_D] = WALK_DOWN_DEPTH ", n(id) AS (SELECT DISTINCT id FROM w) SELECT " NODE_COLS
		" FROM n LEFT JOIN packs p ON p.id = n.id",
	[S_LIN_DES_EDGES_D] = WALK_DOWN_DEPTH ", s(id) AS (SELECT DISTINCT id FROM w WHERE d < ?2) "
		"SELECT e.child, e.parent FROM s JOIN parents e ON e.parent = s.id "
		"JOIN packs c ON c.id = e.child ORDER BY c.name, c.version_key, c.version, c.id",
	[S_POLICY_PUT] = "INSERT OR IGNORE INTO policies(digest, canonical, added_at) VALUES (?1, ?2, ?3)",
	[S_POLICY_GET] = "SELECT canonical FROM policies WHERE digest = ?1",
	[S_CHAIN_LAST] = "SELECT seq, hash FROM chain ORDER BY seq DESC LIMIT 1",
	[S_INS_CHAIN] = "INSERT INTO chain(seq, kind, pack, statement, signature, signer, "
		"statement_sha256, prev_hash, hash, recorded_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[S_INS_OUTBOX] = "INSERT INTO outbox(seq, added_at) VALUES (?1, ?2)",
	[S_INS_APPROVAL] = "INSERT INTO approvals(seq, pack, decision, target, role, signer, "
		"signed_at, policy) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[S_HEAD] = "SELECT c.statement_sha256 FROM transitions t JOIN chain c ON c.seq = t.seq "
		"WHERE t.pack = ?1 AND t.subject = 1 ORDER BY t.seq DESC LIMIT 1",
	[S_INS_TRANSITION] = "INSERT INTO transitions(seq, pack, subject, from_state, to_state, "
		"signer, signed_at, policy) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[S_SET_STATE] = "UPDATE packs SET state = ?2 WHERE id = ?1",
	[S_NAME_OF] = "SELECT name FROM packs WHERE id = ?1",
	[S_COUNT_STATE] = "SELECT count(*) FROM packs WHERE name = ?1 AND state = ?2",
	[S_LOG_ALL] = "SELECT " LOG_COLS " FROM chain ORDER BY seq",
	[S_LOG_PACK] = "SELECT " LOG_COLS " FROM chain WHERE pack = ?1 "
		"OR seq IN (SELECT seq FROM transitions WHERE pack = ?1) ORDER BY seq",
	[S_VERIFY] = "SELECT seq, kind, statement, signature, statement_sha256, prev_hash, hash "
		"FROM chain ORDER BY seq",
	[S_VERIFY_APPROVALS] = "SELECT a.seq FROM approvals a LEFT JOIN chain c ON c.seq = a.seq "
		"WHERE c.seq IS NULL OR c.kind <> 'approval' OR c.pack <> a.pack ORDER BY a.seq LIMIT 1",
	[S_VERIFY_TRANSITIONS] = "SELECT t.seq FROM transitions t LEFT JOIN chain c ON c.seq = t.seq "
		"WHERE c.seq IS NULL OR c.kind <> 'transition' OR (t.subject = 1 AND c.pack <> t.pack) "
		"ORDER BY t.seq LIMIT 1",
	[S_OUTBOX] = "SELECT seq FROM outbox ORDER BY seq",
	[S_OUTBOX_DEL] = "DELETE FROM outbox WHERE seq = ?1",
	[S_EVENTS_ALL] = "SELECT seq, at, kind, pack, detail FROM events ORDER BY seq",
	[S_EVENTS_PACK] = "SELECT seq, at, kind, pack, detail FROM events WHERE pack = ?1 ORDER BY seq",
};

/* List statements: one per shape (filters present, sort, direction). */
#define LIST_FILTERS 32 /* state, name, search, states, unreviewed_by */
#define LIST_SHAPES (LIST_FILTERS * PG_REG_SORT_COUNT_ * 2)

struct pg_reg {
	sqlite3 *db;
	char *path;
	char *dir;       /* REGDIR */
	int blobfd;      /* REGDIR/blobs/sha256 */
	int tmpfd;       /* REGDIR/tmp */
	int store_holds; /* staged imports holding the shared blob lock */
	sqlite3_stmt *st[S_COUNT_];
	sqlite3_stmt *list_st[LIST_SHAPES];
	sqlite3_stmt *count_st[LIST_SHAPES];
};

struct pg_reg_staged {
	pg_reg *reg;
	pg_pack *pack;
	char *name;      /* of the scratch directory below REGDIR/tmp */
	int dirfd;       /* the scratch directory, flock()ed while alive */
	int holds;       /* it holds the shared blob lock (store_blobs) */
	int journal;     /* REGDIR/tmp/NAME.moved was written */
	int settled;     /* every blob it moved is referred to (committed) */
};

/* Maps a SQLite result to a stable code. */
static pg_code db_err(pg_reg *reg, int rc, pg_error *err)
{
	const char *msg = reg && reg->db ? sqlite3_errmsg(reg->db) : sqlite3_errstr(rc);
	int sys = reg && reg->db ? sqlite3_system_errno(reg->db) : 0;

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return pg_err(err, PG_REGISTRY_BUSY,
		              _("the registry is locked by another writer (waited %d s): %s"),
		              PG_REG_BUSY_MS / 1000, msg);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return pg_err(err, PG_REGISTRY_CORRUPT, _("the registry database is damaged: %s"), msg);
	case SQLITE_NOMEM:
		return pg_err(err, PG_IO_MEMORY, _("out of memory"));
	case SQLITE_FULL:
		return pg_err(err, PG_IO_WRITE, _("registry: %s"), msg);
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return pg_err(err, PG_IO_PERMISSION, _("registry: %s"), msg);
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		if (sys)
			return pg_err_errno(err, sys, 1, reg && reg->path ? reg->path : "registry");
		return pg_err(err, PG_IO_WRITE, _("registry: %s"), msg);
	default:
		return pg_err(err, PG_REGISTRY_CORRUPT, _("registry: unexpected database error: %s"), msg);
	}
}

static pg_code oom(pg_error *err)
{
	return pg_err(err, PG_IO_MEMORY, _("out of memory"));
}

/* A cached statement, reset and ready for binding, or NULL (err set). */
static sqlite3_stmt *stmt(pg_reg *reg, int which, pg_error *err)
{
	sqlite3_stmt **s = &reg->st[which];

	if (!*s) {
		int rc = sqlite3_prepare_v3(reg->db, sql_text[which], -1, SQLITE_PREPARE_PERSISTENT, s, NULL);
		if (rc != SQLITE_OK) {
			db_err(reg, rc, err);
			*s = NULL;
			return NULL;
		}
	}
	return *s;
}

/* Ends a use of a statement. */
static void done(sqlite3_stmt *s)
{
	if (s) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
	}
}

/* Runs a statement that returns no rows. */
static pg_code run(pg_reg *reg, sqlite3_stmt *s, pg_error *err)
{
	int rc = sqlite3_step(s);

	done(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_err(reg, rc, err);
	return PG_OK;
}

static pg_code run_id(pg_reg *reg, int which, pg_error *err)
{
	sqlite3_stmt *s = stmt(reg, which, err);

	return s ? run(reg, s, err) : err->code;
}

static pg_code exec(pg_reg *reg, const char *sql, pg_error *err)
{
	int rc = sqlite3_exec(reg->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? PG_OK : db_err(reg, rc, err);
}

static pg_code tx_begin(pg_reg *reg, pg_error *err)
{
	return run_id(reg, S_BEGIN, err);
}

static pg_code tx_commit(pg_reg *reg, pg_error *err)
{
	return run_id(reg, S_COMMIT, err);
}

static void tx_rollback(pg_reg *reg)
{
	pg_error ignored;

	if (!sqlite3_get_autocommit(reg->db))
		run_id(reg, S_ROLLBACK, &ignored);
}

static int bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (!v)
		return sqlite3_bind_null(s, i);
	return sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

/* Column i as a new string in *out (NULL for SQL NULL).  -1 on OOM. */
static int col_str(sqlite3_stmt *s, int i, char **out)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	int n = sqlite3_column_bytes(s, i);

	*out = NULL;
	if (!t)
		return sqlite3_column_type(s, i) == SQLITE_NULL ? 0 : -1;
	*out = malloc((size_t)n + 1);
	if (!*out)
		return -1;
	memcpy(*out, t, (size_t)n);
	(*out)[n] = '\0';
	return 0;
}

/* Copies column i into a fixed buffer (cut to fit). */
static void col_fixed(sqlite3_stmt *s, int i, char *dst, size_t cap)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	snprintf(dst, cap, "%s", t ? (const char *)t : "");
}

static void now_rfc3339(char buf[32])
{
	pg_rfc3339_format(time(NULL), buf);
}

static int state_of(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	int st = t ? pg_state_parse((const char *)t) : -1;

	return st;
}

/* ================================================================ schema */

#define STATE_LIST "'candidate', 'evaluated', 'approved', 'shadow', 'canary', 'champion', " \
	"'archived', 'quarantined', 'retired'"

static const char schema_v1[] =
	"CREATE TABLE meta (\n"
	"  key TEXT PRIMARY KEY,\n"
	"  value TEXT NOT NULL\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE policies (\n"
	"  digest TEXT PRIMARY KEY CHECK (digest GLOB 'sha256:*'),\n"
	"  canonical TEXT NOT NULL,\n"
	"  added_at TEXT NOT NULL\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE packs (\n"
	"  pk INTEGER PRIMARY KEY,\n"
	"  id TEXT NOT NULL UNIQUE CHECK (length(id) = 71 AND id GLOB 'sha256:*'),\n"
	"  name TEXT NOT NULL,\n"
	"  version TEXT NOT NULL,\n"
	"  version_key TEXT NOT NULL,\n"
	"  created_at TEXT NOT NULL,\n"
	"  created_key TEXT NOT NULL,\n"
	"  operator TEXT NOT NULL,\n"
	"  state TEXT NOT NULL CHECK (state IN (" STATE_LIST ")),\n"
	"  state_rank INTEGER GENERATED ALWAYS AS (CASE state WHEN 'candidate' THEN 0\n"
	"    WHEN 'evaluated' THEN 1 WHEN 'approved' THEN 2 WHEN 'shadow' THEN 3\n"
	"    WHEN 'canary' THEN 4 WHEN 'champion' THEN 5 WHEN 'archived' THEN 6\n"
	"    WHEN 'quarantined' THEN 7 WHEN 'retired' THEN 8 END) VIRTUAL,\n"
	"  imported_at TEXT NOT NULL,\n"
	"  policy TEXT REFERENCES policies(digest)\n"
	");\n"
	"CREATE UNIQUE INDEX packs_by_name ON packs(name, version_key, version);\n"
	"CREATE INDEX packs_by_version ON packs(version_key, version, name);\n"
	"CREATE INDEX packs_by_state ON packs(state_rank, name, version_key, version);\n"
	"CREATE INDEX packs_by_created ON packs(created_key, name, version_key, version);\n"
	"CREATE INDEX packs_by_operator ON packs(operator, name, version_key, version);\n"
	"CREATE TABLE manifests (\n"
	"  pack INTEGER PRIMARY KEY REFERENCES packs(pk),\n"
	"  canonical TEXT NOT NULL\n"
	");\n"
	"CREATE TABLE files (\n"
	"  pack INTEGER NOT NULL REFERENCES packs(pk),\n"
	"  position INTEGER NOT NULL,\n"
	"  path TEXT NOT NULL,\n"
	"  role TEXT NOT NULL,\n"
	"  size INTEGER NOT NULL CHECK (size >= 0),\n"
	"  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),\n"
	"  PRIMARY KEY (pack, position)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE documents (\n"
	"  pack INTEGER NOT NULL REFERENCES packs(pk),\n"
	"  position INTEGER NOT NULL,\n"
	"  role TEXT NOT NULL,\n"
	"  path TEXT NOT NULL,\n"
	"  canonical TEXT NOT NULL,\n"
	"  PRIMARY KEY (pack, position)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE signatures (\n"
	"  pack INTEGER NOT NULL REFERENCES packs(pk),\n"
	"  path TEXT NOT NULL,\n"
	"  armored TEXT NOT NULL,\n"
	"  PRIMARY KEY (pack, path)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE parents (\n"
	"  child TEXT NOT NULL REFERENCES packs(id),\n"
	"  position INTEGER NOT NULL,\n"
	"  parent TEXT NOT NULL CHECK (length(parent) = 71 AND parent GLOB 'sha256:*'),\n"
	"  PRIMARY KEY (child, position)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX parents_by_parent ON parents(parent, child);\n"
	"CREATE TABLE checks (\n"
	"  pack INTEGER NOT NULL REFERENCES packs(pk),\n"
	"  position INTEGER NOT NULL,\n"
	"  code TEXT NOT NULL,\n"
	"  ok INTEGER NOT NULL CHECK (ok IN (0, 1)),\n"
	"  message TEXT NOT NULL,\n"
	"  PRIMARY KEY (pack, position)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE chain (\n"
	"  seq INTEGER PRIMARY KEY,\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('approval', 'transition')),\n"
	"  pack TEXT NOT NULL REFERENCES packs(id),\n"
	"  statement TEXT NOT NULL,\n"
	"  signature TEXT NOT NULL,\n"
	"  signer TEXT NOT NULL,\n"
	"  statement_sha256 TEXT NOT NULL,\n"
	"  prev_hash TEXT NOT NULL,\n"
	"  hash TEXT NOT NULL,\n"
	"  recorded_at TEXT NOT NULL\n"
	");\n"
	"CREATE INDEX chain_by_pack ON chain(pack, seq);\n"
	"CREATE INDEX chain_by_statement ON chain(statement_sha256);\n"
	"CREATE TRIGGER chain_no_update BEFORE UPDATE ON chain\n"
	"  BEGIN SELECT RAISE(ABORT, 'the audit chain is append-only'); END;\n"
	"CREATE TRIGGER chain_no_delete BEFORE DELETE ON chain\n"
	"  BEGIN SELECT RAISE(ABORT, 'the audit chain is append-only'); END;\n"
	"CREATE TABLE approvals (\n"
	"  seq INTEGER PRIMARY KEY REFERENCES chain(seq),\n"
	"  pack TEXT NOT NULL REFERENCES packs(id),\n"
	"  decision TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),\n"
	"  target TEXT NOT NULL,\n"
	"  role TEXT NOT NULL,\n"
	"  signer TEXT NOT NULL,\n"
	"  signed_at TEXT NOT NULL,\n"
	"  policy TEXT\n"
	");\n"
	"CREATE INDEX approvals_by_pack ON approvals(pack, seq);\n"
	"CREATE TABLE transitions (\n"
	"  seq INTEGER NOT NULL REFERENCES chain(seq),\n"
	"  pack TEXT NOT NULL REFERENCES packs(id),\n"
	"  subject INTEGER NOT NULL CHECK (subject IN (0, 1)),\n"
	"  from_state TEXT NOT NULL CHECK (from_state IN (" STATE_LIST ")),\n"
	"  to_state TEXT NOT NULL CHECK (to_state IN (" STATE_LIST ")),\n"
	"  signer TEXT NOT NULL,\n"
	"  signed_at TEXT NOT NULL,\n"
	"  policy TEXT,\n"
	"  PRIMARY KEY (seq, pack)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX transitions_by_pack ON transitions(pack, seq);\n"
	"CREATE TABLE outbox (\n"
	"  seq INTEGER PRIMARY KEY REFERENCES chain(seq),\n"
	"  added_at TEXT NOT NULL\n"
	");\n"
	"CREATE TABLE events (\n"
	"  seq INTEGER PRIMARY KEY,\n"
	"  at TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL,\n"
	"  pack TEXT,\n"
	"  detail TEXT NOT NULL\n"
	");\n"
	"CREATE INDEX events_by_pack ON events(pack, seq);\n"
	"CREATE VIRTUAL TABLE pack_fts USING fts5(name, operator, contracts, suites, failed, licenses,\n"
	"  content='', tokenize='unicode61 remove_diacritics 2');\n";

/* migrations[v] takes a registry from schema version v to v + 1. */
static const char *const migrations[PG_REG_SCHEMA_VERSION] = {
	schema_v1,
};

/* Reads the application id, the number of schema objects and, when there
 * is a schema, its version. */
static pg_code read_version(pg_reg *reg, int *app, int *nobj, long *version, pg_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	*version = 0;
	rc = sqlite3_prepare_v2(reg->db, "SELECT (SELECT application_id FROM pragma_application_id), "
	                        "(SELECT count(*) FROM sqlite_schema)", -1, &s, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		*app = sqlite3_column_int(s, 0);
		*nobj = sqlite3_column_int(s, 1);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_OK)
		return db_err(reg, rc, err);
	if (*app != APP_ID) {
		if (*app != 0 || *nobj != 0)
			return pg_err(err, PG_REGISTRY_CORRUPT, _("%s is not a packgate registry"), reg->path);
		return PG_OK;
	}
	rc = sqlite3_prepare_v2(reg->db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &s, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			const char *v = (const char *)sqlite3_column_text(s, 0);
			char *end;
			errno = 0;
			*version = v ? strtol(v, &end, 10) : -1;
			if (!v || *end || errno || *version < 1)
				*version = -1;
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			*version = -1;
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_OK)
		return db_err(reg, rc, err);
	if (*version < 0)
		return pg_err(err, PG_REGISTRY_CORRUPT, _("%s: the registry has no valid schema_version"),
		              reg->path);
	return PG_OK;
}

static pg_code too_new(pg_reg *reg, long version, pg_error *err)
{
	return pg_err(err, PG_REGISTRY_CORRUPT,
	              _("%s: the registry has schema version %ld, newer than the %d this packgate "
	                "supports; use a newer packgate"), reg->path, version, PG_REG_SCHEMA_VERSION);
}

/* Brings the schema to PG_REG_SCHEMA_VERSION in one transaction. */
static pg_code migrate(pg_reg *reg, pg_error *err)
{
	int app, nobj;
	long version;
	pg_code rc = read_version(reg, &app, &nobj, &version, err);
	char buf[64];

	if (rc)
		return rc;
	if (version > PG_REG_SCHEMA_VERSION)
		return too_new(reg, version, err);
	if (version == PG_REG_SCHEMA_VERSION)
		return PG_OK;
	rc = exec(reg, "BEGIN IMMEDIATE", err);
	if (rc)
		return rc;
	/* Someone else may have migrated meanwhile. */
	rc = read_version(reg, &app, &nobj, &version, err);
	if (rc)
		goto out;
	if (version > PG_REG_SCHEMA_VERSION) {
		rc = too_new(reg, version, err);
		goto out;
	}
	for (long v = version; v < PG_REG_SCHEMA_VERSION; v++) {
		rc = exec(reg, migrations[v], err);
		if (rc)
			goto out;
	}
	if (version < PG_REG_SCHEMA_VERSION) {
		snprintf(buf, sizeof buf, "PRAGMA application_id = %d", APP_ID);
		rc = exec(reg, buf, err);
		if (rc)
			goto out;
		snprintf(buf, sizeof buf, "%d", PG_REG_SCHEMA_VERSION);
		{
			sqlite3_stmt *s = stmt(reg, S_META_SET, err);
			if (!s) {
				rc = err->code;
				goto out;
			}
			bind_text(s, 1, "schema_version");
			bind_text(s, 2, buf);
			rc = run(reg, s, err);
			if (rc)
				goto out;
		}
	}
	rc = exec(reg, "COMMIT", err);
out:
	if (rc)
		tx_rollback(reg);
	return rc;
}

/* ================================================================== open */

/* mkdir -p with mode 0700 for every missing directory of path. */
static pg_code mkdirs(const char *path, pg_error *err)
{
	char *p = strdup(path);
	pg_code rc = PG_OK;

	if (!p)
		return oom(err);
	for (char *s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0700) != 0 && errno != EEXIST) {
				rc = pg_err_errno(err, errno, 1, p);
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return rc;
}

/* Removes name below parentfd, whatever it is, recursively; best effort. */
static void rm_tree(int parentfd, const char *name)
{
	int fd = openat(parentfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0) {
		unlinkat(parentfd, name, 0);
		return;
	}
	{
		DIR *d = fdopendir(fd);
		struct dirent *de;

		if (!d) {
			close(fd);
			return;
		}
		while ((de = readdir(d))) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			if (unlinkat(fd, de->d_name, 0) != 0)
				rm_tree(fd, de->d_name);
		}
		closedir(d);
	}
	unlinkat(parentfd, name, AT_REMOVEDIR);
}

/* A journal's name: the scratch directory's, plus ".moved". */
static int journal_name(char *out, size_t size, const char *dir)
{
	int n = snprintf(out, size, "%s.moved", dir);

	return n > 0 && (size_t)n < size ? 0 : -1;
}

/* Whether some pack refers to blob hex.  When unsure (the query fails),
 * yes: a blob is only ever removed when it is certainly unused. */
static int blob_referenced(pg_reg *reg, const char *hex)
{
	sqlite3_stmt *s = NULL;
	int src, used = 1;

	if (sqlite3_prepare_v2(reg->db, "SELECT 1 FROM files WHERE sha256 = ?1 LIMIT 1", -1, &s, NULL) != SQLITE_OK)
		return 1;
	sqlite3_bind_text(s, 1, hex, -1, SQLITE_STATIC);
	src = sqlite3_step(s);
	if (src == SQLITE_DONE)
		used = 0;
	sqlite3_finalize(s);
	return used;
}

/* The journal of the import that left scratch directory dir and did not
 * commit (dead, or refused after moving blobs): removes the blobs it names
 * that no pack refers to, then the journal.  Only under
 * the exclusive blob lock, which no import is then between moving a blob
 * and committing (an import that found a blob present may be about to
 * refer to it).  Returns 0 when done or there was no journal, -1 when the
 * lock is taken: the directory and its journal stay for a later sweep. */
static int collect_journal(pg_reg *reg, const char *dir)
{
	char jname[NAME_MAX + 1], *line, *nl;
	pg_buf names;
	int fd;

	if (journal_name(jname, sizeof jname, dir) != 0)
		return 0;
	fd = openat(reg->tmpfd, jname, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (flock(reg->blobfd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		return -1;
	}
	pg_buf_init(&names, (size_t)64 * 1024 * 1024);
	for (;;) {
		char chunk[8192];
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || pg_buf_add(&names, chunk, (size_t)n) != 0)
			break;
	}
	close(fd);
	for (line = names.data; line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break; /* a last line cut short by the kill */
		*nl = '\0';
		if (pg_is_hex64(line) && !blob_referenced(reg, line))
			unlinkat(reg->blobfd, line, 0);
	}
	pg_buf_free(&names);
	flock(reg->blobfd, LOCK_UN);
	unlinkat(reg->tmpfd, jname, 0);
	return 0;
}

/* Removes scratch directories whose import is gone (an import holds an
 * exclusive flock on its directory for its whole life), and the blobs such
 * an import had moved into the store without committing. */
static void sweep_tmp(pg_reg *reg)
{
	int fd = dup(reg->tmpfd);
	DIR *d;
	struct dirent *de;

	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	rewinddir(d); /* the duplicate shares its offset with tmpfd */
	while ((de = readdir(d))) {
		int sub;

		if (strncmp(de->d_name, "imp-", 4) != 0)
			continue;
		sub = openat(reg->tmpfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			continue; /* a journal, or gone */
		if (flock(sub, LOCK_EX | LOCK_NB) == 0 && collect_journal(reg, de->d_name) == 0)
			rm_tree(reg->tmpfd, de->d_name);
		close(sub);
	}
	closedir(d);
}

/* Switches the database to WAL (persistent, so once per file).  SQLite
 * answers SQLITE_BUSY at once, without the busy handler, when another
 * connection is creating the file at the same moment: retry for as long as
 * the busy timeout. */
static pg_code use_wal(pg_reg *reg, pg_error *err)
{
	for (int waited = 0;; waited += 10) {
		sqlite3_stmt *s = NULL;
		int rc = sqlite3_prepare_v2(reg->db, "PRAGMA journal_mode = WAL", -1, &s, NULL);

		if (rc == SQLITE_OK) {
			rc = sqlite3_step(s);
			if (rc == SQLITE_ROW)
				rc = SQLITE_OK;
		}
		sqlite3_finalize(s);
		if (rc == SQLITE_OK)
			return PG_OK;
		if ((rc & 0xff) != SQLITE_BUSY || waited >= PG_REG_BUSY_MS)
			return db_err(reg, rc, err);
		sqlite3_sleep(10);
	}
}

static pg_code open_dir(pg_reg *reg, const char *sub, int *fd, pg_error *err)
{
	char *p;
	pg_code rc;

	if (asprintf(&p, "%s/%s", reg->dir, sub) < 0)
		return oom(err);
	rc = mkdirs(p, err);
	if (!rc) {
		*fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (*fd < 0)
			rc = pg_err_errno(err, errno, 0, p);
	}
	free(p);
	return rc;
}

/* SQLite would turn a small file that is not a database into one: refuse
 * any existing non-empty file without the SQLite header, untouched. */
static pg_code refuse_foreign_file(const char *path, pg_error *err)
{
	static const char magic[16] = "SQLite format 3";
	char head[16];
	struct stat st;
	ssize_t n;
	int fd;

	if (stat(path, &st) != 0)
		return errno == ENOENT ? PG_OK : pg_err_errno(err, errno, 0, path);
	if (S_ISDIR(st.st_mode))
		return pg_err(err, PG_IO_READ, _("%s: is a directory, not a registry"), path);
	if (!S_ISREG(st.st_mode))
		return pg_err(err, PG_IO_READ, _("%s: is not a regular file, not a registry"), path);
	if (st.st_size == 0)
		return PG_OK;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pg_err_errno(err, errno, 0, path);
	n = read(fd, head, sizeof head);
	close(fd);
	if (n != (ssize_t)sizeof head || memcmp(head, magic, sizeof head) != 0)
		return pg_err(err, PG_REGISTRY_CORRUPT, _("%s: not a packgate registry (not an SQLite database); left untouched"),
		              path);
	return PG_OK;
}

int pg_reg_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 || errno != ENOENT;
}

pg_code pg_reg_open(const char *path, pg_reg **out, pg_error *err)
{
	pg_error local_err_;
	pg_reg *reg;
	pg_code rc;
	int src;
	char *slash;

	if (!err)
		err = &local_err_;
	*out = NULL;
	reg = calloc(1, sizeof *reg);
	if (!reg)
		return oom(err);
	reg->blobfd = reg->tmpfd = -1;
	reg->path = strdup(path);
	slash = strrchr(path, '/');
	if (!slash)
		reg->dir = strdup(".");
	else if (slash == path)
		reg->dir = strdup("/");
	else
		reg->dir = strndup(path, (size_t)(slash - path));
	if (!reg->path || !reg->dir) {
		rc = oom(err);
		goto out;
	}
	rc = pg_digest_init(err);
	if (rc)
		goto out;
	rc = refuse_foreign_file(path, err);
	if (rc)
		goto out;
	if (strcmp(reg->dir, "/") != 0 && strcmp(reg->dir, ".") != 0) {
		rc = mkdirs(reg->dir, err);
		if (rc)
			goto out;
	}
	src = sqlite3_open_v2(path, &reg->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                      SQLITE_OPEN_NOMUTEX, NULL);
	if (src != SQLITE_OK) {
		rc = db_err(reg, src, err);
		goto out;
	}
	sqlite3_extended_result_codes(reg->db, 1);
	sqlite3_busy_timeout(reg->db, PG_REG_BUSY_MS);
	rc = exec(reg, "PRAGMA foreign_keys = ON", err);
	if (!rc) {
		int app, nobj;
		long version;

		/* Refuse what is not ours before changing anything. */
		rc = read_version(reg, &app, &nobj, &version, err);
		if (!rc && version > PG_REG_SCHEMA_VERSION)
			rc = too_new(reg, version, err);
	}
	if (!rc)
		rc = use_wal(reg, err);
	if (!rc)
		rc = exec(reg, "PRAGMA synchronous = FULL", err);
	if (!rc)
		rc = migrate(reg, err);
	if (!rc)
		rc = open_dir(reg, "blobs/sha256", &reg->blobfd, err);
	if (!rc)
		rc = open_dir(reg, "tmp", &reg->tmpfd, err);
	if (rc)
		goto out;
	sweep_tmp(reg);
	*out = reg;
	return PG_OK;
out:
	pg_reg_close(reg);
	return rc;
}

void pg_reg_close(pg_reg *reg)
{
	if (!reg)
		return;
	for (int i = 0; i < S_COUNT_; i++)
		sqlite3_finalize(reg->st[i]);
	for (int i = 0; i < LIST_SHAPES; i++) {
		sqlite3_finalize(reg->list_st[i]);
		sqlite3_finalize(reg->count_st[i]);
	}
	if (reg->db)
		sqlite3_close(reg->db);
	if (reg->blobfd >= 0)
		close(reg->blobfd);
	if (reg->tmpfd >= 0)
		close(reg->tmpfd);
	free(reg->path);
	free(reg->dir);
	free(reg);
}

const char *pg_reg_dir(const pg_reg *reg)
{
	return reg->dir;
}

char *pg_reg_blob_path(const pg_reg *reg, const char *sha256)
{
	char *p;

	if (asprintf(&p, "%s/blobs/sha256/%s", reg->dir, sha256) < 0)
		return NULL;
	return p;
}

/* First row's text of a one-column check pragma. */
static pg_code pragma_check(pg_reg *reg, const char *sql, int ok_is_ok, pg_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(reg->db, sql, -1, &s, NULL);
	pg_code code = PG_OK;

	if (rc != SQLITE_OK)
		return db_err(reg, rc, err);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 0);
		if (!ok_is_ok || !t || strcmp(t, "ok") != 0)
			code = pg_err(err, PG_REGISTRY_CORRUPT, _("registry integrity: %s"),
			              ok_is_ok ? (t ? t : "?") : _("a row refers to a missing row"));
	} else if (rc != SQLITE_DONE) {
		code = db_err(reg, rc, err);
	}
	sqlite3_finalize(s);
	return code;
}

pg_code pg_reg_check_integrity(pg_reg *reg, pg_error *err)
{
	pg_error local_err_;
	pg_code rc;

	if (!err)
		err = &local_err_;
	rc = pragma_check(reg, "PRAGMA integrity_check", 1, err);
	if (!rc)
		rc = pragma_check(reg, "PRAGMA foreign_key_check", 0, err);
	return rc;
}

/* ========================================================= string tables */

/* Strings with their index: an open-addressing hash over owned copies. */
struct strtab {
	char **v;
	size_t n, cap;
	size_t *slot;   /* index + 1, 0 empty */
	size_t nslot;   /* power of two */
};

static size_t str_hash(const char *s)
{
	size_t h = 1469598103934665603ULL & SIZE_MAX;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (1099511628211ULL & SIZE_MAX);
	return h;
}

static void strtab_free(struct strtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	free(t->slot);
	memset(t, 0, sizeof *t);
}

static size_t strtab_find(const struct strtab *t, const char *s)
{
	if (!t->nslot)
		return SIZE_MAX;
	for (size_t i = str_hash(s) & (t->nslot - 1); t->slot[i]; i = (i + 1) & (t->nslot - 1))
		if (strcmp(t->v[t->slot[i] - 1], s) == 0)
			return t->slot[i] - 1;
	return SIZE_MAX;
}

static int strtab_rehash(struct strtab *t, size_t nslot)
{
	size_t *ns = calloc(nslot, sizeof *ns);

	if (!ns)
		return -1;
	for (size_t k = 0; k < t->n; k++) {
		size_t i = str_hash(t->v[k]) & (nslot - 1);
		while (ns[i])
			i = (i + 1) & (nslot - 1);
		ns[i] = k + 1;
	}
	free(t->slot);
	t->slot = ns;
	t->nslot = nslot;
	return 0;
}

/* Index of s, adding a copy when absent.  SIZE_MAX on OOM. */
static size_t strtab_add(struct strtab *t, const char *s, int *added)
{
	size_t k = strtab_find(t, s), i;

	if (added)
		*added = 0;
	if (k != SIZE_MAX)
		return k;
	if ((t->n + 1) * 2 > t->nslot && strtab_rehash(t, t->nslot ? t->nslot * 2 : 64))
		return SIZE_MAX;
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 64;
		char **nv = realloc(t->v, ncap * sizeof *nv);
		if (!nv)
			return SIZE_MAX;
		t->v = nv;
		t->cap = ncap;
	}
	if (!(t->v[t->n] = strdup(s)))
		return SIZE_MAX;
	for (i = str_hash(s) & (t->nslot - 1); t->slot[i]; i = (i + 1) & (t->nslot - 1))
		;
	t->slot[i] = t->n + 1;
	if (added)
		*added = 1;
	return t->n++;
}

/* ================================================================= taint */

/* Parent edges between string-table indices. */
struct edges {
	size_t *child, *parent;
	size_t n, cap;
};

static int edges_add(struct edges *e, size_t child, size_t parent)
{
	if (e->n == e->cap) {
		size_t ncap = e->cap ? e->cap * 2 : 64;
		size_t *c = realloc(e->child, ncap * sizeof *c), *p;
		if (!c)
			return -1;
		e->child = c;
		p = realloc(e->parent, ncap * sizeof *p);
		if (!p)
			return -1;
		e->parent = p;
		e->cap = ncap;
	}
	e->child[e->n] = child;
	e->parent[e->n] = parent;
	e->n++;
	return 0;
}

static void edges_free(struct edges *e)
{
	free(e->child);
	free(e->parent);
	memset(e, 0, sizeof *e);
}

/* tainted[i] for every node of t: some parent, transitively, is quarantined
 * (quar[i]).  Iterative depth-first search with memo; a cycle (impossible
 * with content-addressed ids, but the database could be edited) counts as
 * not tainting. */
static int taint_solve(size_t nnodes, const struct edges *e, const unsigned char *quar,
                       unsigned char *tainted)
{
	size_t *start = calloc(nnodes + 1, sizeof *start), *adj = NULL, *fill = NULL;
	size_t *stack = NULL, *pos = NULL;
	unsigned char *mark = NULL; /* 0 new, 1 on stack, 2 done */
	int rc = -1;

	if (!start)
		goto out;
	adj = malloc((e->n ? e->n : 1) * sizeof *adj);
	fill = calloc(nnodes + 1, sizeof *fill);
	stack = malloc((nnodes ? nnodes : 1) * sizeof *stack);
	pos = calloc(nnodes ? nnodes : 1, sizeof *pos);
	mark = calloc(nnodes ? nnodes : 1, 1);
	if (!adj || !fill || !stack || !pos || !mark)
		goto out;
	for (size_t i = 0; i < e->n; i++)
		start[e->child[i] + 1]++;
	for (size_t i = 0; i < nnodes; i++)
		start[i + 1] += start[i];
	for (size_t i = 0; i < e->n; i++)
		adj[start[e->child[i]] + fill[e->child[i]]++] = e->parent[i];
	memset(tainted, 0, nnodes);
	for (size_t r = 0; r < nnodes; r++) {
		size_t top = 0;

		if (mark[r])
			continue;
		stack[top++] = r;
		mark[r] = 1;
		while (top) {
			size_t n = stack[top - 1];
			if (pos[n] < start[n + 1] - start[n]) {
				size_t p = adj[start[n] + pos[n]++];
				if (mark[p] == 0) {
					mark[p] = 1;
					stack[top++] = p;
				} else if (mark[p] == 2 && (quar[p] || tainted[p])) {
					tainted[n] = 1;
				}
				continue;
			}
			/* All parents done: fold them in, then finish n. */
			for (size_t k = start[n]; k < start[n + 1] && !tainted[n]; k++)
				if (quar[adj[k]] || (mark[adj[k]] == 2 && tainted[adj[k]]))
					tainted[n] = 1;
			mark[n] = 2;
			top--;
		}
	}
	rc = 0;
out:
	free(start);
	free(adj);
	free(fill);
	free(stack);
	free(pos);
	free(mark);
	return rc;
}

/* Many packs at once: every descendant of a quarantined pack is tainted,
 * so collect those (work in proportion to the tainted packs, not to the
 * ancestry of every pack asked about). */
static pg_code taint_down(pg_reg *reg, const char *const *ids, size_t n, int *flags, pg_error *err)
{
	struct strtab t;
	sqlite3_stmt *s;
	pg_code rc = PG_OK;
	int src;

	memset(&t, 0, sizeof t);
	if (!(s = stmt(reg, S_TAINTED_ALL, err)))
		return err->code;
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(s, 0);
		if (id && strtab_add(&t, id, NULL) == SIZE_MAX) {
			rc = oom(err);
			break;
		}
	}
	done(s);
	if (!rc && src != SQLITE_DONE)
		rc = db_err(reg, src, err);
	for (size_t i = 0; !rc && i < n; i++)
		flags[i] = strtab_find(&t, ids[i]) != SIZE_MAX;
	strtab_free(&t);
	return rc;
}

/* flags[i] = whether ids[i] is tainted.  Few packs: walk up from them;
 * many (TAINT_DOWN_MIN or more): walk down from the quarantined ones. */
static pg_code compute_taint(pg_reg *reg, const char *const *ids, size_t n, int *flags, pg_error *err)
{
	struct strtab t;
	struct edges e;
	unsigned char *quar = NULL, *tainted = NULL;
	sqlite3_stmt *s;
	pg_buf json;
	pg_code rc = PG_OK;
	int src, any;

	for (size_t i = 0; i < n; i++)
		flags[i] = 0;
	if (!n)
		return PG_OK;
	if (!(s = stmt(reg, S_ANY_QUAR, err)))
		return err->code;
	src = sqlite3_step(s);
	any = src == SQLITE_ROW;
	done(s);
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		return db_err(reg, src, err);
	if (!any)
		return PG_OK;
	if (n >= TAINT_DOWN_MIN)
		return taint_down(reg, ids, n, flags, err);

	memset(&t, 0, sizeof t);
	memset(&e, 0, sizeof e);
	pg_buf_init(&json, SIZE_MAX);
	if (pg_buf_addc(&json, '[')) {
		rc = oom(err);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		/* Ids are "sha256:" + hex: nothing to escape. */
		if (pg_buf_printf(&json, "%s\"%s\"", i ? "," : "", ids[i]) ||
		    strtab_add(&t, ids[i], NULL) == SIZE_MAX) {
			rc = oom(err);
			goto out;
		}
	}
	if (pg_buf_addc(&json, ']')) {
		rc = oom(err);
		goto out;
	}
	/* The quarantined flags grow with the table: collect them per edge. */
	{
		size_t qcap = 0;

		if (!(s = stmt(reg, S_CLOSURE, err))) {
			rc = err->code;
			goto out;
		}
		sqlite3_bind_text(s, 1, json.data, (int)json.len, SQLITE_STATIC);
		while ((src = sqlite3_step(s)) == SQLITE_ROW) {
			const char *c = (const char *)sqlite3_column_text(s, 0);
			const char *p = (const char *)sqlite3_column_text(s, 1);
			size_t ci, pi;

			if (!c || !p)
				continue;
			ci = strtab_add(&t, c, NULL);
			pi = ci == SIZE_MAX ? SIZE_MAX : strtab_add(&t, p, NULL);
			if (pi == SIZE_MAX || edges_add(&e, ci, pi)) {
				rc = oom(err);
				break;
			}
			if (t.n > qcap) {
				size_t ncap = qcap ? qcap : 64;
				unsigned char *nq;
				while (ncap < t.n)
					ncap *= 2;
				nq = realloc(quar, ncap);
				if (!nq) {
					rc = oom(err);
					break;
				}
				memset(nq + qcap, 0, ncap - qcap);
				quar = nq;
				qcap = ncap;
			}
			if (sqlite3_column_int(s, 2))
				quar[pi] = 1;
		}
		done(s);
		if (rc)
			goto out;
		if (src != SQLITE_DONE) {
			rc = db_err(reg, src, err);
			goto out;
		}
		if (qcap < t.n) {
			unsigned char *nq = realloc(quar, t.n);
			if (!nq) {
				rc = oom(err);
				goto out;
			}
			memset(nq + qcap, 0, t.n - qcap);
			quar = nq;
		}
	}
	tainted = malloc(t.n);
	if (!tainted || taint_solve(t.n, &e, quar, tainted)) {
		rc = oom(err);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		size_t k = strtab_find(&t, ids[i]);
		flags[i] = k != SIZE_MAX && tainted[k];
	}
out:
	pg_buf_free(&json);
	strtab_free(&t);
	edges_free(&e);
	free(quar);
	free(tainted);
	return rc;
}

pg_code pg_reg_tainted(pg_reg *reg, const char *id, int *tainted, pg_error *err)
{
	pg_error local_err_;
	pg_state st;
	pg_code rc;

	if (!err)
		err = &local_err_;
	rc = pg_reg_state(reg, id, &st, err);
	if (rc)
		return rc;
	return compute_taint(reg, &id, 1, tainted, err);
}

/* ============================================================ sort keys */

/* Appends the order-preserving form of a decimal number: the count of
 * digits of its length, its length, its digits (leading zeros dropped). */
static int key_num(pg_buf *b, const char *d, size_t n)
{
	char len[24];
	int ln;

	while (n > 1 && *d == '0') {
		d++;
		n--;
	}
	ln = snprintf(len, sizeof len, "%zu", n);
	return pg_buf_addc(b, (char)('0' + ln)) || pg_buf_add(b, len, (size_t)ln) || pg_buf_add(b, d, n);
}

static int all_digits(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

char *pg_reg_version_key(const char *v)
{
	pg_buf b;
	const char *p = v, *end;
	int bad = 0;

	pg_buf_init(&b, SIZE_MAX);
	if (!v || !pg_semver_valid(v)) {
		/* Invalid versions sort first, among themselves by bytes. */
		if (pg_buf_addc(&b, ' ') || pg_buf_adds(&b, v ? v : ""))
			bad = 1;
		return bad ? (pg_buf_free(&b), NULL) : pg_buf_steal(&b, NULL);
	}
	end = v + strcspn(v, "+");
	for (int part = 0; part < 3 && !bad; part++) {
		size_t n = strspn(p, "0123456789");
		bad = key_num(&b, p, n);
		p += n;
		if (part < 2)
			p++; /* '.' */
	}
	if (!bad && p < end && *p == '-') {
		bad = pg_buf_addc(&b, '!');
		p++;
		while (!bad && p < end) {
			size_t n = strcspn(p, ".+");
			if ((size_t)(end - p) < n)
				n = (size_t)(end - p);
			if (all_digits(p, n))
				bad = pg_buf_addc(&b, '0') || key_num(&b, p, n);
			else
				bad = pg_buf_addc(&b, '1') || pg_buf_add(&b, p, n) || pg_buf_addc(&b, ' ');
			p += n;
			if (p < end && *p == '.')
				p++;
		}
	} else if (!bad) {
		bad = pg_buf_addc(&b, '~');
	}
	if (bad) {
		pg_buf_free(&b);
		return NULL;
	}
	return pg_buf_steal(&b, NULL);
}

/* created_at with "Z" dropped and a "." ensured before the fraction, so
 * that byte order is time order ("...:00." < "...:00.5"). */
static char *created_key(const char *t)
{
	size_t n = strlen(t);
	char *k;

	if (n < 20 || t[n - 1] != 'Z')
		return strdup(t);
	k = malloc(n + 1);
	if (!k)
		return NULL;
	memcpy(k, t, n - 1);
	k[n - 1] = '\0';
	if (!strchr(k + 19, '.')) {
		k[n - 1] = '.';
		k[n] = '\0';
	}
	return k;
}

/* ================================================================ import */

void pg_reg_imported_clear(pg_reg_imported *r)
{
	if (!r)
		return;
	free(r->name);
	free(r->version);
	memset(r, 0, sizeof *r);
}

void pg_reg_staged_free(pg_reg_staged *st)
{
	if (!st)
		return;
	if (st->holds && --st->reg->store_holds == 0)
		flock(st->reg->blobfd, LOCK_UN);
	if (st->name) {
		char jname[NAME_MAX + 1];

		if (!st->journal) {
			rm_tree(st->reg->tmpfd, st->name);
		} else if (st->settled) {
			if (journal_name(jname, sizeof jname, st->name) == 0)
				unlinkat(st->reg->tmpfd, jname, 0);
			rm_tree(st->reg->tmpfd, st->name);
		} else if (st->reg->store_holds == 0 && collect_journal(st->reg, st->name) == 0) {
			/* refused after moving blobs in: collected now, as a sweep
			 * would (not while this handle stages another import: the
			 * exclusive lock would replace that one's shared lock) */
			rm_tree(st->reg->tmpfd, st->name);
		}
		/* else the directory and its journal stay for a sweep, as if the
		 * import had been killed */
		free(st->name);
	}
	if (st->dirfd >= 0)
		close(st->dirfd); /* releases the flock */
	pg_pack_free(st->pack);
	free(st);
}

const pg_pack *pg_reg_staged_pack(const pg_reg_staged *st)
{
	return st->pack;
}

/* A fresh scratch directory, locked against sweep_tmp. */
static pg_code make_scratch(pg_reg *reg, pg_reg_staged *st, pg_error *err)
{
	for (int tries = 0; tries < 100; tries++) {
		char templ[] = "imp-XXXXXX", *path;
		struct stat sb;

		if (asprintf(&path, "%s/tmp/%s", reg->dir, templ) < 0)
			return oom(err);
		if (!mkdtemp(path)) {
			pg_code rc = pg_err_errno(err, errno, 1, path);
			free(path);
			return rc;
		}
		st->name = strdup(strrchr(path, '/') + 1);
		free(path);
		if (!st->name)
			return oom(err);
		/* A sweep in another process may take the directory between
		 * mkdtemp and flock (it is not locked yet): then it is gone or
		 * unlinked once we hold the lock; make another. */
		st->dirfd = openat(reg->tmpfd, st->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (st->dirfd < 0 && errno != ENOENT)
			return pg_err_errno(err, errno, 1, st->name);
		if (st->dirfd >= 0) {
			if (flock(st->dirfd, LOCK_EX) != 0)
				return pg_err_errno(err, errno, 1, st->name);
			if (fstat(st->dirfd, &sb) == 0 && sb.st_nlink > 0)
				return PG_OK;
			close(st->dirfd);
			st->dirfd = -1;
		}
		free(st->name);
		st->name = NULL;
	}
	return pg_err(err, PG_IO_WRITE, _("%s/tmp: cannot make a scratch directory"), reg->dir);
}

static pg_code stage(pg_reg *reg, const char *pack_path, pg_pack_read_fn fn, void *ctx, const pg_pack_opts *opts,
                     pg_reg_staged **out, pg_error *err)
{
	pg_error local_err_;
	pg_reg_staged *st;
	pg_pack_opts o;
	char *dir = NULL;
	pg_code rc;

	if (!err)
		err = &local_err_;
	*out = NULL;
	st = calloc(1, sizeof *st);
	if (!st)
		return oom(err);
	st->reg = reg;
	st->dirfd = -1;
	rc = make_scratch(reg, st, err);
	if (rc)
		goto out;
	if (opts)
		o = *opts;
	else
		pg_pack_opts_init(&o);
	if (asprintf(&dir, "%s/tmp/%s", reg->dir, st->name) < 0) {
		rc = oom(err);
		goto out;
	}
	o.mode = PG_PACK_VERIFY;
	o.extract_dir = dir;
	rc = fn ? pg_pack_load_stream(fn, ctx, &o, &st->pack, err) : pg_pack_load(pack_path, &o, &st->pack, err);
	if (rc)
		goto out;
	*out = st;
	st = NULL;
out:
	free(dir);
	pg_reg_staged_free(st);
	return rc;
}

pg_code pg_reg_stage(pg_reg *reg, const char *pack_path, const pg_pack_opts *opts, pg_reg_staged **out,
                     pg_error *err)
{
	return stage(reg, pack_path, NULL, NULL, opts, out, err);
}

pg_code pg_reg_stage_stream(pg_reg *reg, pg_pack_read_fn fn, void *ctx, const pg_pack_opts *opts,
                            pg_reg_staged **out, pg_error *err)
{
	return stage(reg, NULL, fn, ctx, opts, out, err);
}

/* The text of the pack that free-text search looks at. */
struct fts_text {
	pg_buf contracts, suites, failed, licenses;
};

static int add_word(pg_buf *b, const char *s)
{
	if (!s || !*s)
		return 0;
	if (b->len && pg_buf_addc(b, ' '))
		return -1;
	return pg_buf_adds(b, s);
}

/* Strings as themselves; other scalars as their canonical text. */
static int add_value(pg_buf *b, const cJSON *v)
{
	char *c = NULL;
	int rc;

	if (!v || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsString(v))
		return add_word(b, v->valuestring);
	if (pg_canon(v, &c, NULL, NULL) != PG_OK)
		return 0;
	rc = add_word(b, c);
	free(c);
	return rc;
}

static int fts_collect(struct fts_text *f, const pg_pack *p)
{
	const cJSON *card = p->docs[PG_ROLE_EVALUATION_CARD];
	const cJSON *lic = p->docs[PG_ROLE_LICENSE_NOTICE];
	const cJSON *v;
	static const char *const failed_keys[] = { "suite", "case", "input", "expected", "actual", "reason" };

	if (add_word(&f->contracts, pg_json_str(pg_json_get(p->manifest, "input_contract"))) ||
	    add_word(&f->contracts, pg_json_str(pg_json_get(p->manifest, "output_contract"))))
		return -1;
	cJSON_ArrayForEach(v, pg_json_get(card, "suites"))
		if (add_word(&f->suites, pg_json_str(pg_json_get(v, "name"))))
			return -1;
	cJSON_ArrayForEach(v, pg_json_get(card, "failed_cases"))
		for (size_t k = 0; k < sizeof failed_keys / sizeof failed_keys[0]; k++)
			if (add_value(&f->failed, pg_json_get(v, failed_keys[k])))
				return -1;
	if (add_word(&f->licenses, pg_json_str(pg_json_get(pg_json_get(lic, "model"), "license"))))
		return -1;
	cJSON_ArrayForEach(v, pg_json_get(lic, "data"))
		if (add_word(&f->licenses, pg_json_str(pg_json_get(v, "license"))))
			return -1;
	cJSON_ArrayForEach(v, pg_json_get(lic, "code"))
		if (add_word(&f->licenses, pg_json_str(pg_json_get(v, "license"))))
			return -1;
	return 0;
}

static pg_code import_done(pg_reg *reg, const char *id, pg_reg_imported *res, pg_error *err)
{
	sqlite3_stmt *s = stmt(reg, S_PACK_ID, err);
	pg_code rc = PG_OK;
	int src;

	if (!s)
		return err->code;
	bind_text(s, 1, id);
	src = sqlite3_step(s);
	if (src == SQLITE_ROW) {
		if (res) {
			snprintf(res->id, sizeof res->id, "%s", id);
			res->state = (pg_state)state_of(s, 1);
			if (col_str(s, 2, &res->name) || col_str(s, 3, &res->version)) {
				pg_reg_imported_clear(res);
				rc = oom(err);
			}
		}
	} else if (src == SQLITE_DONE) {
		rc = pg_err(err, PG_REGISTRY_NOT_FOUND, _("%s: not in the registry"), id);
	} else {
		rc = db_err(reg, src, err);
	}
	done(s);
	return rc;
}

/* 1 when the id is in packs, 0 when not, -1 on error (err set). */
static int pack_exists(pg_reg *reg, const char *id, pg_error *err)
{
	sqlite3_stmt *s = stmt(reg, S_PACK_ID, err);
	int src;

	if (!s)
		return -1;
	bind_text(s, 1, id);
	src = sqlite3_step(s);
	done(s);
	if (src == SQLITE_ROW)
		return 1;
	if (src == SQLITE_DONE)
		return 0;
	db_err(reg, src, err);
	return -1;
}

/* Moves the staged members into the blob store.  A blob already there with
 * the right size is kept.  Each new blob is flushed before its rename and
 * the directory after the renames, so a committed row never names a blob
 * that a crash could lose. */
/* registry.version_taken when another pack holds p's NAME@VERSION. */
static pg_code version_free(pg_reg *reg, const pg_pack *p, pg_error *err)
{
	sqlite3_stmt *s = stmt(reg, S_PACK_NV, err);
	pg_code rc = PG_OK;
	int src;

	if (!s)
		return err->code;
	bind_text(s, 1, p->name);
	bind_text(s, 2, p->version);
	src = sqlite3_step(s);
	if (src == SQLITE_ROW)
		rc = pg_err(err, PG_REGISTRY_VERSION_TAKEN, _("%s@%s is already taken by %s; a different pack needs a new version"),
		            p->name, p->version, (const char *)sqlite3_column_text(s, 0));
	else if (src != SQLITE_DONE)
		rc = db_err(reg, src, err);
	done(s);
	return rc;
}

/* Whether blob f is in the store already. */
static int blob_present(pg_reg *reg, const pg_pack_file *f)
{
	struct stat sb;

	return fstatat(reg->blobfd, f->sha256, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode) &&
	       (uint64_t)sb.st_size == f->size;
}

/* Writes the names of the blobs st is about to move into its journal
 * (REGDIR/tmp/NAME.moved, one per line).  Not synced: it is there for an
 * import that dies, and a machine that loses power may at worst leave
 * unreferenced blobs behind, as without it. */
static pg_code write_journal(pg_reg *reg, pg_reg_staged *st, pg_error *err)
{
	const pg_pack *p = st->pack;
	char jname[NAME_MAX + 1];
	pg_buf b;
	pg_code rc = PG_OK;
	int fd;

	if (journal_name(jname, sizeof jname, st->name) != 0)
		return pg_err(err, PG_IO_WRITE, _("%s: name too long"), st->name);
	pg_buf_init(&b, SIZE_MAX);
	for (size_t i = 0; i < p->nfiles; i++) {
		if (!blob_present(reg, &p->files[i]) &&
		    (pg_buf_adds(&b, p->files[i].sha256) != 0 || pg_buf_addc(&b, '\n') != 0)) {
			pg_buf_free(&b);
			return oom(err);
		}
	}
	if (!b.len) {
		pg_buf_free(&b);
		return PG_OK; /* nothing to move */
	}
	fd = openat(reg->tmpfd, jname, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = pg_err_errno(err, errno, 1, jname);
	} else {
		st->journal = 1;
		for (size_t off = 0; off < b.len && !rc;) {
			ssize_t w = write(fd, b.data + off, b.len - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				rc = pg_err_errno(err, w < 0 ? errno : EIO, 1, jname);
			else
				off += (size_t)w;
		}
		if (close(fd) != 0 && !rc)
			rc = pg_err_errno(err, errno, 1, jname);
	}
	pg_buf_free(&b);
	return rc;
}

/* Moves st's members into the blob store.  Blobs go in before the
 * transaction that refers to them, so an import that dies (or is refused)
 * in between would leave them unreferenced: the names go into a journal
 * first, and from here to its end the import holds the blob lock shared;
 * sweep_tmp collects a dead import's blobs under it exclusively. */
static pg_code store_blobs(pg_reg *reg, pg_reg_staged *st, pg_error *err)
{
	const pg_pack *p = st->pack;
	int moved = 0;
	pg_code rc;

	if (!st->holds) {
		/* before looking: a present blob must not be swept until we
		 * have committed our reference to it */
		if (reg->store_holds == 0) {
			while (flock(reg->blobfd, LOCK_SH) != 0) {
				if (errno != EINTR)
					return pg_err_errno(err, errno, 1, "blobs/sha256");
			}
		}
		reg->store_holds++;
		st->holds = 1;
	}
	rc = write_journal(reg, st, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < p->nfiles; i++) {
		const pg_pack_file *f = &p->files[i];
		int fd;

		if (blob_present(reg, f))
			continue;
		fd = openat(st->dirfd, f->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return pg_err_errno(err, errno, 0, f->path);
		if (fdatasync(fd) != 0) {
			int e = errno;
			close(fd);
			return pg_err_errno(err, e, 1, f->path);
		}
		close(fd);
		if (renameat(st->dirfd, f->path, reg->blobfd, f->sha256) != 0)
			return pg_err_errno(err, errno, 1, f->path);
		moved = 1;
	}
	if (moved && fsync(reg->blobfd) != 0)
		return pg_err_errno(err, errno, 1, "blobs/sha256");
	return PG_OK;
}

/* The statements of one import, in its transaction. */
static pg_code insert_pack(pg_reg *reg, const pg_pack *p, const pg_reg_check *checks, size_t nchecks,
                           const char *policy, const char *vkey, const char *ckey,
                           const struct fts_text *fts, const char *event, pg_error *err)
{
	const char *created = pg_json_str(pg_json_get(p->manifest, "created_at"));
	const char *op = pg_json_str(pg_json_get(p->manifest, "operator"));
	const cJSON *parent;
	char now[32];
	sqlite3_stmt *s;
	sqlite3_int64 pk;
	pg_code rc;
	int pos;

	now_rfc3339(now);
	if (!(s = stmt(reg, S_INS_PACK, err)))
		return err->code;
	bind_text(s, 1, p->id);
	bind_text(s, 2, p->name);
	bind_text(s, 3, p->version);
	bind_text(s, 4, vkey);
	bind_text(s, 5, created);
	bind_text(s, 6, ckey);
	bind_text(s, 7, op);
	bind_text(s, 8, now);
	bind_text(s, 9, policy);
	if ((rc = run(reg, s, err)))
		return rc;
	pk = sqlite3_last_insert_rowid(reg->db);
	if (!(s = stmt(reg, S_INS_MANIFEST, err)))
		return err->code;
	sqlite3_bind_int64(s, 1, pk);
	sqlite3_bind_text(s, 2, p->manifest_canon, (int)p->manifest_canon_len, SQLITE_STATIC);
	if ((rc = run(reg, s, err)))
		return rc;

	for (size_t i = 0; i < p->nfiles; i++) {
		const pg_pack_file *f = &p->files[i];
		if (!(s = stmt(reg, S_INS_FILE, err)))
			return err->code;
		sqlite3_bind_int64(s, 1, pk);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		bind_text(s, 3, f->path);
		bind_text(s, 4, pg_role_name(f->role));
		sqlite3_bind_int64(s, 5, (sqlite3_int64)f->size);
		bind_text(s, 6, f->sha256);
		if ((rc = run(reg, s, err)))
			return rc;
		if (pg_role_is_document(f->role) && p->docs[f->role]) {
			char *canon = NULL;
			size_t len = 0;
			if ((rc = pg_canon(p->docs[f->role], &canon, &len, err)))
				return rc;
			if (!(s = stmt(reg, S_INS_DOC, err))) {
				free(canon);
				return err->code;
			}
			sqlite3_bind_int64(s, 1, pk);
			sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
			bind_text(s, 3, pg_role_name(f->role));
			bind_text(s, 4, f->path);
			sqlite3_bind_text(s, 5, canon, (int)len, SQLITE_STATIC);
			rc = run(reg, s, err);
			free(canon);
			if (rc)
				return rc;
		}
	}
	for (size_t i = 0; i < p->nsigs; i++) {
		if (!(s = stmt(reg, S_INS_SIG, err)))
			return err->code;
		sqlite3_bind_int64(s, 1, pk);
		bind_text(s, 2, p->sigs[i].path);
		sqlite3_bind_text(s, 3, p->sigs[i].armored, (int)p->sigs[i].len, SQLITE_STATIC);
		if ((rc = run(reg, s, err)))
			return rc;
	}
	pos = 0;
	cJSON_ArrayForEach(parent, pg_json_get(p->manifest, "parents")) {
		if (!(s = stmt(reg, S_INS_PARENT, err)))
			return err->code;
		bind_text(s, 1, p->id);
		sqlite3_bind_int(s, 2, pos++);
		bind_text(s, 3, pg_json_str(parent));
		if ((rc = run(reg, s, err)))
			return rc;
	}
	for (size_t i = 0; i < nchecks; i++) {
		if (!(s = stmt(reg, S_INS_CHECK, err)))
			return err->code;
		sqlite3_bind_int64(s, 1, pk);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		bind_text(s, 3, checks[i].code ? checks[i].code : "");
		sqlite3_bind_int(s, 4, checks[i].ok ? 1 : 0);
		bind_text(s, 5, checks[i].message ? checks[i].message : "");
		if ((rc = run(reg, s, err)))
			return rc;
	}
	if (!(s = stmt(reg, S_INS_FTS, err)))
		return err->code;
	sqlite3_bind_int64(s, 1, pk);
	bind_text(s, 2, p->name);
	bind_text(s, 3, op);
	bind_text(s, 4, fts->contracts.data ? fts->contracts.data : "");
	bind_text(s, 5, fts->suites.data ? fts->suites.data : "");
	bind_text(s, 6, fts->failed.data ? fts->failed.data : "");
	bind_text(s, 7, fts->licenses.data ? fts->licenses.data : "");
	if ((rc = run(reg, s, err)))
		return rc;
	if (!(s = stmt(reg, S_INS_EVENT, err)))
		return err->code;
	bind_text(s, 1, now);
	bind_text(s, 2, "import");
	bind_text(s, 3, p->id);
	bind_text(s, 4, event);
	return run(reg, s, err);
}

/* {"name", "version", "policy"?, "checks_failed"} as canonical JSON. */
static char *import_event(const pg_pack *p, const pg_reg_check *checks, size_t nchecks, const char *policy)
{
	cJSON *o = cJSON_CreateObject();
	char *out = NULL;
	size_t failed = 0;

	for (size_t i = 0; i < nchecks; i++)
		failed += !checks[i].ok;
	if (o && cJSON_AddStringToObject(o, "name", p->name) &&
	    cJSON_AddStringToObject(o, "version", p->version) &&
	    cJSON_AddNumberToObject(o, "checks_failed", (double)failed) &&
	    (!policy || cJSON_AddStringToObject(o, "policy", policy)))
		pg_canon(o, &out, NULL, NULL);
	cJSON_Delete(o);
	return out;
}

pg_code pg_reg_import_staged(pg_reg *reg, pg_reg_staged *st,
                             const pg_reg_check *checks, size_t nchecks, const char *policy,
                             pg_reg_imported *res, pg_error *err)
{
	pg_error local_err_;
	const pg_pack *p = st->pack;
	struct fts_text fts;
	char *vkey = NULL, *ckey = NULL, *event = NULL;
	const char *created;
	pg_code rc = PG_OK;
	int ex, in_tx = 0;

	if (!err)
		err = &local_err_;
	if (res)
		memset(res, 0, sizeof *res);
	memset(&fts, 0, sizeof fts);
	pg_buf_init(&fts.contracts, SIZE_MAX);
	pg_buf_init(&fts.suites, SIZE_MAX);
	pg_buf_init(&fts.failed, SIZE_MAX);
	pg_buf_init(&fts.licenses, SIZE_MAX);
	for (size_t i = 0; i < nchecks; i++) {
		if (!checks[i].ok && checks[i].code && strcmp(checks[i].code, "policy.permissions") == 0) {
			rc = pg_err(err, PG_POLICY_PERMISSIONS, "%s",
			            checks[i].message && *checks[i].message ? checks[i].message :
			            _("the requested permissions exceed the contract's maximum"));
			goto out;
		}
	}
	/* Already there?  Then nothing to write, not even blobs. */
	ex = pack_exists(reg, p->id, err);
	if (ex < 0) {
		rc = err->code;
		goto out;
	}
	if (ex) {
		rc = import_done(reg, p->id, res, err);
		goto out;
	}
	created = pg_json_str(pg_json_get(p->manifest, "created_at"));
	vkey = pg_reg_version_key(p->version);
	ckey = created_key(created ? created : "");
	event = import_event(p, checks, nchecks, policy);
	if (!vkey || !ckey || !event || fts_collect(&fts, p)) {
		rc = oom(err);
		goto out;
	}
	/* a refusal known now stores no blob (asked again in the transaction) */
	rc = version_free(reg, p, err);
	if (!rc)
		rc = store_blobs(reg, st, err);
	if (rc)
		goto out;

	rc = tx_begin(reg, err);
	if (rc)
		goto out;
	in_tx = 1;
	ex = pack_exists(reg, p->id, err);
	if (ex < 0) {
		rc = err->code;
		goto out;
	}
	if (ex) {
		/* Imported by someone else meanwhile: the same blobs, theirs. */
		tx_rollback(reg);
		in_tx = 0;
		st->settled = 1;
		rc = import_done(reg, p->id, res, err);
		goto out;
	}
	rc = version_free(reg, p, err);
	if (rc)
		goto out;
	if (policy) {
		sqlite3_stmt *s = stmt(reg, S_POLICY_HAS, err);
		int src;
		if (!s) {
			rc = err->code;
			goto out;
		}
		bind_text(s, 1, policy);
		src = sqlite3_step(s);
		done(s);
		if (src == SQLITE_DONE)
			rc = pg_err(err, PG_REGISTRY_NOT_FOUND, _("policy %s is not in the registry"), policy);
		else if (src != SQLITE_ROW)
			rc = db_err(reg, src, err);
		if (rc)
			goto out;
	}
	rc = insert_pack(reg, p, checks, nchecks, policy, vkey, ckey, &fts, event, err);
	if (rc)
		goto out;
	rc = tx_commit(reg, err);
	if (rc)
		goto out;
	in_tx = 0;
	st->settled = 1;
	if (res) {
		snprintf(res->id, sizeof res->id, "%s", p->id);
		res->name = strdup(p->name);
		res->version = strdup(p->version);
		res->state = PG_STATE_CANDIDATE;
		res->is_new = 1;
		if (!res->name || !res->version) {
			pg_reg_imported_clear(res);
			rc = oom(err);
		}
	}
out:
	if (in_tx)
		tx_rollback(reg);
	pg_buf_free(&fts.contracts);
	pg_buf_free(&fts.suites);
	pg_buf_free(&fts.failed);
	pg_buf_free(&fts.licenses);
	free(vkey);
	free(ckey);
	free(event);
	pg_reg_staged_free(st);
	return rc;
}

pg_code pg_reg_import(pg_reg *reg, const char *pack_path, const pg_pack_opts *opts,
                      const pg_reg_check *checks, size_t nchecks, const char *policy,
                      pg_reg_imported *res, pg_error *err)
{
	pg_error local_err_;
	pg_reg_staged *st;
	pg_code rc;

	if (!err)
		err = &local_err_;
	rc = pg_reg_stage(reg, pack_path, opts, &st, err);
	if (rc) {
		if (res)
			memset(res, 0, sizeof *res);
		return rc;
	}
	return pg_reg_import_staged(reg, st, checks, nchecks, policy, res, err);
}

/* =================================================================== REF */

static int is_hex(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
	return 1;
}

static pg_code ref_forms(const char *ref, pg_error *err)
{
	return pg_err(err, PG_REGISTRY_NOT_FOUND,
	              _("%s: not a pack reference; use a pack id (sha256:<64 hex>), an id prefix of at "
	                "least %d hex digits, NAME@VERSION, or NAME:champion, NAME:canary, NAME:latest"),
	              ref, PG_REG_PREFIX_MIN);
}

static pg_code resolve_prefix(pg_reg *reg, const char *ref, const char *hex, size_t n,
                              char id[PG_ID_LEN], pg_error *err)
{
	char lo[PG_ID_LEN], hi[PG_ID_LEN + 1];
	sqlite3_stmt *s;
	pg_buf list;
	int src, found = 0;
	long long total = 0;
	pg_code rc = PG_OK;

	memcpy(lo, "sha256:", 7);
	for (size_t i = 0; i < n; i++)
		lo[7 + i] = (char)(hex[i] >= 'A' && hex[i] <= 'F' ? hex[i] - 'A' + 'a' : hex[i]);
	lo[7 + n] = '\0';
	memcpy(hi, lo, 7 + n);
	hi[7 + n] = 'g'; /* just above every hex digit */
	hi[8 + n] = '\0';
	if (!(s = stmt(reg, S_PREFIX, err)))
		return err->code;
	bind_text(s, 1, lo);
	bind_text(s, 2, hi);
	pg_buf_init(&list, 4096);
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		const char *cid = (const char *)sqlite3_column_text(s, 0);
		if (!found)
			snprintf(id, PG_ID_LEN, "%s", cid);
		if (found < 8)
			pg_buf_printf(&list, "%s%s (%s@%s)", found ? ", " : "", cid,
			              (const char *)sqlite3_column_text(s, 1),
			              (const char *)sqlite3_column_text(s, 2));
		found++;
	}
	done(s);
	if (src != SQLITE_DONE) {
		rc = db_err(reg, src, err);
		goto out;
	}
	if (found != 1)
		id[0] = '\0';
	if (found == 0) {
		rc = pg_err(err, PG_REGISTRY_NOT_FOUND, _("%s: no pack id starts with these digits"), ref);
	} else if (found > 1) {
		if (!(s = stmt(reg, S_PREFIX_COUNT, err))) {
			rc = err->code;
			goto out;
		}
		bind_text(s, 1, lo);
		bind_text(s, 2, hi);
		if (sqlite3_step(s) == SQLITE_ROW)
			total = sqlite3_column_int64(s, 0);
		done(s);
		rc = pg_err(err, PG_REGISTRY_AMBIGUOUS, _("%s: ambiguous, %lld packs match: %s%s"), ref,
		            total, list.data ? list.data : "", total > 8 ? ", ..." : "");
	}
out:
	pg_buf_free(&list);
	return rc;
}

static pg_code resolve_nv(pg_reg *reg, const char *ref, const char *name, const char *version,
                          char id[PG_ID_LEN], pg_error *err)
{
	sqlite3_stmt *s = stmt(reg, S_PACK_NV, err);
	int src;
	pg_code rc = PG_OK;

	if (!s)
		return err->code;
	bind_text(s, 1, name);
	bind_text(s, 2, version);
	src = sqlite3_step(s);
	if (src == SQLITE_ROW)
		col_fixed(s, 0, id, PG_ID_LEN);
	else if (src == SQLITE_DONE)
		rc = pg_err(err, PG_REGISTRY_NOT_FOUND, _("%s: no such pack in the registry"), ref);
	else
		rc = db_err(reg, src, err);
	done(s);
	return rc;
}

static pg_code resolve_alias(pg_reg *reg, const char *ref, const char *name, const char *alias,
                             char id[PG_ID_LEN], pg_error *err)
{
	sqlite3_stmt *s;
	int src;
	pg_code rc = PG_OK;

	if (strcmp(alias, "latest") == 0) {
		char *best = NULL;
		int any = 0;

		if (!(s = stmt(reg, S_BY_NAME, err)))
			return err->code;
		bind_text(s, 1, name);
		while ((src = sqlite3_step(s)) == SQLITE_ROW) {
			const char *v = (const char *)sqlite3_column_text(s, 1);
			int c;

			if (!v)
				continue;
			c = best ? pg_semver_cmp(v, best) : 1;
			if (c > 0 || (c == 0 && strcmp(v, best) > 0)) {
				char *nb = strdup(v);
				if (!nb) {
					rc = oom(err);
					break;
				}
				free(best);
				best = nb;
				col_fixed(s, 0, id, PG_ID_LEN);
				any = 1;
			}
		}
		done(s);
		free(best);
		if (rc)
			return rc;
		if (src != SQLITE_DONE)
			return db_err(reg, src, err);
		if (!any)
			return pg_err(err, PG_REGISTRY_NOT_FOUND, _("%s: no pack named %s in the registry"),
			              ref, name);
		return PG_OK;
	}
	if (!(s = stmt(reg, S_BY_NAME_STATE, err)))
		return err->code;
	bind_text(s, 1, name);
	bind_text(s, 2, alias);
	src = sqlite3_step(s);
	if (src == SQLITE_ROW)
		col_fixed(s, 0, id, PG_ID_LEN);
	else if (src == SQLITE_DONE)
		rc = pg_err(err, PG_REGISTRY_NOT_FOUND, _("%s: %s has no %s"), ref, name, alias);
	else
		rc = db_err(reg, src, err);
	done(s);
	return rc;
}

pg_code pg_reg_resolve(pg_reg *reg, const char *ref, char id[PG_ID_LEN], pg_error *err)
{
	pg_error local_err_;
	const char *hex = ref, *at, *colon;
	size_t n;

	if (!err)
		err = &local_err_;
	id[0] = '\0';
	if (!ref || !*ref)
		return ref_forms(ref ? ref : "", err);
	if (strncmp(ref, "sha256:", 7) == 0)
		hex = ref + 7;
	n = strlen(hex);
	if (is_hex(hex, n)) {
		if (n >= PG_REG_PREFIX_MIN && n <= 64)
			return resolve_prefix(reg, ref, hex, n, id, err);
		return ref_forms(ref, err);
	}
	if (hex != ref)
		return ref_forms(ref, err);
	at = strchr(ref, '@');
	colon = strrchr(ref, ':');
	if (at) {
		char *name = strndup(ref, (size_t)(at - ref));
		pg_code rc;

		if (!name)
			return oom(err);
		rc = pg_name_valid(name) && at[1] ? resolve_nv(reg, ref, name, at + 1, id, err)
		                                  : ref_forms(ref, err);
		free(name);
		return rc;
	}
	if (colon) {
		char *name = strndup(ref, (size_t)(colon - ref));
		const char *alias = colon + 1;
		pg_code rc;

		if (!name)
			return oom(err);
		if (pg_name_valid(name) && (strcmp(alias, "champion") == 0 || strcmp(alias, "canary") == 0 ||
		                            strcmp(alias, "latest") == 0))
			rc = resolve_alias(reg, ref, name, alias, id, err);
		else
			rc = ref_forms(ref, err);
		free(name);
		return rc;
	}
	return ref_forms(ref, err);
}

/* ================================================================== list */

int pg_reg_sort_parse(const char *s)
{
	static const char *const names[PG_REG_SORT_COUNT_] = {
		"name", "version", "state", "created_at", "operator"
	};

	for (int i = 0; s && i < PG_REG_SORT_COUNT_; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

void pg_reg_query_init(pg_reg_query *q)
{
	memset(q, 0, sizeof *q);
	q->state = -1;
	q->sort = PG_REG_SORT_NAME;
	q->limit = -1;
}

void pg_reg_rows_free(pg_reg_rows *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].version);
		free(r->v[i].operator);
		free(r->v[i].created_at);
	}
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

/* The user's text as an FTS5 query of plain terms: each whitespace-separated
 * word becomes a quoted string (quotes doubled) with a prefix star, so no
 * FTS5 syntax in it is interpreted; the words are ANDed.  NULL in *out
 * when there is no word.  -1 on OOM. */
static int fts_query(const char *text, char **out)
{
	pg_buf b;
	const char *p = text;

	*out = NULL;
	if (!text)
		return 0;
	pg_buf_init(&b, SIZE_MAX);
	for (;;) {
		size_t n;

		p += strspn(p, " \t\n\r\f\v");
		if (!*p)
			break;
		n = strcspn(p, " \t\n\r\f\v");
		if ((b.len && pg_buf_addc(&b, ' ')) || pg_buf_addc(&b, '"'))
			goto oom;
		for (size_t i = 0; i < n; i++)
			if ((p[i] == '"' && pg_buf_addc(&b, '"')) || pg_buf_addc(&b, p[i]))
				goto oom;
		if (pg_buf_adds(&b, "\"*"))
			goto oom;
		p += n;
	}
	if (b.len)
		*out = pg_buf_steal(&b, NULL);
	pg_buf_free(&b);
	return 0;
oom:
	pg_buf_free(&b);
	return -1;
}

static const char *const sort_sql[PG_REG_SORT_COUNT_] = {
	"p.name%s, p.version_key%s, p.version%s",
	"p.version_key%s, p.version%s, p.name%s",
	"p.state_rank%s, p.name%s, p.version_key%s, p.version%s",
	"p.created_key%s, p.name%s, p.version_key%s, p.version%s",
	"p.operator%s, p.name%s, p.version_key%s, p.version%s",
};

/* The statement for a query shape, prepared once per handle. */
static sqlite3_stmt *list_stmt(pg_reg *reg, const pg_reg_query *q, int has_search, int count,
                               pg_error *err)
{
	int shape = (q->state >= 0) | (q->name ? 2 : 0) | (has_search ? 4 : 0) | (q->states ? 8 : 0) |
	            (q->unreviewed_by ? 16 : 0);
	int sort = q->sort >= 0 && q->sort < PG_REG_SORT_COUNT_ ? (int)q->sort : 0;
	sqlite3_stmt **slot;
	pg_buf b;
	const char *d = q->descending ? " DESC" : "";
	int rc;

	shape = (shape * PG_REG_SORT_COUNT_ + sort) * 2 + (q->descending != 0);
	slot = count ? &reg->count_st[shape] : &reg->list_st[shape];
	if (*slot)
		return *slot;
	pg_buf_init(&b, SIZE_MAX);
	if (count && has_search && q->state < 0 && !q->name && !q->states && !q->unreviewed_by) {
		/* Every row of the search table is a pack. */
		rc = pg_buf_adds(&b, "SELECT count(*) FROM pack_fts WHERE pack_fts MATCH :q");
		has_search = 0;
	} else {
		rc = pg_buf_adds(&b, count ? "SELECT count(*) FROM packs p WHERE 1"
		                           : "SELECT " PACK_COLS " FROM packs p WHERE 1");
	}
	if (!rc && q->state >= 0)
		rc = pg_buf_adds(&b, " AND p.state_rank = :state");
	if (!rc && q->name)
		rc = pg_buf_adds(&b, " AND p.name = :name");
	if (!rc && q->states)
		rc = pg_buf_adds(&b, " AND p.state_rank IN (SELECT value FROM json_each(:states))");
	if (!rc && q->unreviewed_by)
		/* approvals_by_pack answers it per pack */
		rc = pg_buf_adds(&b, " AND NOT EXISTS (SELECT 1 FROM approvals a WHERE a.pack = p.id "
		                     "AND a.signer = :signer COLLATE NOCASE)");
	if (!rc && has_search)
		/* "+": the match set filters rows met in the order's index
		 * (which stops at the limit) instead of driving one lookup per
		 * match and a sort: much faster when the text is common, a
		 * bounded index scan when it is rare. */
		rc = pg_buf_adds(&b, " AND +p.pk IN (SELECT rowid FROM pack_fts WHERE pack_fts MATCH :q)");
	if (!rc && !count) {
		rc = pg_buf_adds(&b, " ORDER BY ");
		if (!rc)
			rc = pg_buf_printf(&b, sort_sql[sort], d, d, d, d);
		if (!rc)
			rc = pg_buf_adds(&b, " LIMIT :limit OFFSET :offset");
	}
	if (rc) {
		pg_buf_free(&b);
		oom(err);
		return NULL;
	}
	rc = sqlite3_prepare_v3(reg->db, b.data, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL);
	pg_buf_free(&b);
	if (rc != SQLITE_OK) {
		*slot = NULL;
		db_err(reg, rc, err);
	}
	return *slot;
}

/* q->states as the JSON array of its state ranks ("[0,1]") into buf. */
static void states_json(unsigned states, char buf[64])
{
	size_t n = 0;

	buf[n++] = '[';
	for (int st = 0; st < PG_STATE_COUNT_; st++)
		if (states & (1u << st))
			n += (size_t)snprintf(buf + n, 64 - n, "%s%d", n > 1 ? "," : "", st);
	buf[n++] = ']';
	buf[n] = '\0';
}

/* Binds q (and the FTS query fts) to a statement of list_stmt.  states is a
 * buffer that must live until the statement is done. */
static void bind_query(sqlite3_stmt *s, const pg_reg_query *q, const char *fts, char states[64])
{
	int i;

	if ((i = sqlite3_bind_parameter_index(s, ":state")))
		sqlite3_bind_int(s, i, q->state);
	if ((i = sqlite3_bind_parameter_index(s, ":name")))
		bind_text(s, i, q->name);
	if ((i = sqlite3_bind_parameter_index(s, ":states"))) {
		states_json(q->states, states);
		bind_text(s, i, states);
	}
	if ((i = sqlite3_bind_parameter_index(s, ":signer")))
		bind_text(s, i, q->unreviewed_by);
	if ((i = sqlite3_bind_parameter_index(s, ":q")))
		bind_text(s, i, fts);
	if ((i = sqlite3_bind_parameter_index(s, ":limit")))
		sqlite3_bind_int64(s, i, q->limit < 0 ? -1 : q->limit);
	if ((i = sqlite3_bind_parameter_index(s, ":offset")))
		sqlite3_bind_int64(s, i, q->offset > (uint64_t)INT64_MAX ? INT64_MAX : (sqlite3_int64)q->offset);
}

pg_code pg_reg_count(pg_reg *reg, const pg_reg_query *q, uint64_t *n, pg_error *err)
{
	pg_error local_err_;
	char *fts = NULL, states[64];
	sqlite3_stmt *s;
	int src;
	pg_code rc = PG_OK;

	if (!err)
		err = &local_err_;
	*n = 0;
	if (fts_query(q->search, &fts))
		return oom(err);
	if (!(s = list_stmt(reg, q, fts != NULL, 1, err))) {
		free(fts);
		return err->code;
	}
	bind_query(s, q, fts, states);
	src = sqlite3_step(s);
	if (src == SQLITE_ROW)
		*n = (uint64_t)sqlite3_column_int64(s, 0);
	else
		rc = db_err(reg, src, err);
	done(s);
	free(fts);
	return rc;
}

pg_code pg_reg_list(pg_reg *reg, const pg_reg_query *q, pg_reg_rows *out, pg_error *err)
{
	pg_error local_err_;
	char *fts = NULL, states[64];
	sqlite3_stmt *s;
	size_t cap = 0;
	const char **ids = NULL;
	int *flags = NULL;
	int src;
	pg_code rc = PG_OK;

	if (!err)
		err = &local_err_;
	out->v = NULL;
	out->n = 0;
	if (fts_query(q->search, &fts))
		return oom(err);
	if (!(s = list_stmt(reg, q, fts != NULL, 0, err))) {
		free(fts);
		return err->code;
	}
	bind_query(s, q, fts, states);
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		pg_reg_row *r;

		if (out->n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			pg_reg_row *nv = realloc(out->v, ncap * sizeof *nv);
			if (!nv) {
				rc = oom(err);
				break;
			}
			out->v = nv;
			cap = ncap;
		}
		r = &out->v[out->n++];
		memset(r, 0, sizeof *r);
		col_fixed(s, 0, r->id, sizeof r->id);
		r->state = (pg_state)state_of(s, 5);
		if (col_str(s, 1, &r->name) || col_str(s, 2, &r->version) ||
		    col_str(s, 3, &r->operator) || col_str(s, 4, &r->created_at)) {
			rc = oom(err);
			break;
		}
	}
	done(s);
	free(fts);
	if (!rc && src != SQLITE_DONE)
		rc = db_err(reg, src, err);
	if (!rc && out->n) {
		ids = malloc(out->n * sizeof *ids);
		flags = malloc(out->n * sizeof *flags);
		if (!ids || !flags) {
			rc = oom(err);
		} else {
			for (size_t i = 0; i < out->n; i++)
				ids[i] = out->v[i].id;
			rc = compute_taint(reg, ids, out->n, flags, err);
			for (size_t i = 0; !rc && i < out->n; i++)
				out->v[i].tainted = flags[i];
		}
	}
	free(ids);
	free(flags);
	if (rc)
		pg_reg_rows_free(out);
	return rc;
}

/* ================================================================== show */

void pg_reg_approvals_free(pg_reg_approval_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		free(rows[i].decision);
		free(rows[i].target);
		free(rows[i].role);
		free(rows[i].signer);
		free(rows[i].signed_at);
		free(rows[i].policy);
	}
	free(rows);
}

void pg_reg_pack_free(pg_reg_pack *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->version);
	free(p->created_at);
	free(p->operator);
	free(p->imported_at);
	free(p->manifest);
	free(p->policy);
	for (size_t i = 0; i < p->nfiles; i++) {
		free(p->files[i].path);
		free(p->files[i].role);
	}
	free(p->files);
	for (size_t i = 0; i < p->ndocs; i++) {
		free(p->docs[i].role);
		free(p->docs[i].path);
		free(p->docs[i].canonical);
	}
	free(p->docs);
	for (size_t i = 0; i < p->nsigs; i++) {
		free(p->sigs[i].path);
		free(p->sigs[i].armored);
	}
	free(p->sigs);
	for (size_t i = 0; i < p->nparents; i++) {
		free(p->parents[i].name);
		free(p->parents[i].version);
	}
	free(p->parents);
	for (size_t i = 0; i < p->nchecks; i++) {
		free(p->checks[i].code);
		free(p->checks[i].message);
	}
	free(p->checks);
	pg_reg_approvals_free(p->approvals, p->napprovals);
	free(p);
}

/* Grows *v (elements of size sz) to hold one more than *n; returns the new
 * element zeroed, or NULL on OOM. */
static void *grow1(void **v, size_t *n, size_t *cap, size_t sz)
{
	char *e;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		void *nv = realloc(*v, ncap * sz);
		if (!nv)
			return NULL;
		*v = nv;
		*cap = ncap;
	}
	e = (char *)*v + *n * sz;
	memset(e, 0, sz);
	(*n)++;
	return e;
}

/* Runs a statement bound to pk (or id) and calls fill for each row. */
typedef int (*row_fn)(sqlite3_stmt *s, void *ctx);

static pg_code each_row(pg_reg *reg, int which, sqlite3_int64 pk, const char *id, row_fn fn,
                        void *ctx, pg_error *err)
{
	sqlite3_stmt *s = stmt(reg, which, err);
	int src;
	pg_code rc = PG_OK;

	if (!s)
		return err->code;
	if (id)
		bind_text(s, 1, id);
	else
		sqlite3_bind_int64(s, 1, pk);
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		if (fn(s, ctx)) {
			rc = oom(err);
			break;
		}
	}
	done(s);
	if (!rc && src != SQLITE_DONE)
		rc = db_err(reg, src, err);
	return rc;
}

struct show_ctx {
	pg_reg_pack *p;
	size_t cap;
};

static int row_file(sqlite3_stmt *s, void *ctx)
{
	struct show_ctx *c = ctx;
	pg_reg_file *f = grow1((void **)&c->p->files, &c->p->nfiles, &c->cap, sizeof *f);

	if (!f)
		return -1;
	f->size = (uint64_t)sqlite3_column_int64(s, 2);
	col_fixed(s, 3, f->sha256, sizeof f->sha256);
	return col_str(s, 0, &f->path) || col_str(s, 1, &f->role);
}

static int row_doc(sqlite3_stmt *s, void *ctx)
{
	struct show_ctx *c = ctx;
	pg_reg_doc *d = grow1((void **)&c->p->docs, &c->p->ndocs, &c->cap, sizeof *d);

	if (!d)
		return -1;
	d->len = (size_t)sqlite3_column_bytes(s, 2);
	return col_str(s, 0, &d->role) || col_str(s, 1, &d->path) || col_str(s, 2, &d->canonical);
}

static int row_sig(sqlite3_stmt *s, void *ctx)
{
	struct show_ctx *c = ctx;
	pg_reg_sig *g = grow1((void **)&c->p->sigs, &c->p->nsigs, &c->cap, sizeof *g);

	if (!g)
		return -1;
	return col_str(s, 0, &g->path) || col_str(s, 1, &g->armored);
}

static int row_parent(sqlite3_stmt *s, void *ctx)
{
	struct show_ctx *c = ctx;
	pg_reg_parent *r = grow1((void **)&c->p->parents, &c->p->nparents, &c->cap, sizeof *r);

	if (!r)
		return -1;
	col_fixed(s, 0, r->id, sizeof r->id);
	r->present = sqlite3_column_type(s, 1) != SQLITE_NULL;
	r->state = r->present ? state_of(s, 3) : -1;
	return col_str(s, 1, &r->name) || col_str(s, 2, &r->version);
}

static int row_check(sqlite3_stmt *s, void *ctx)
{
	struct show_ctx *c = ctx;
	pg_reg_check_row *r = grow1((void **)&c->p->checks, &c->p->nchecks, &c->cap, sizeof *r);

	if (!r)
		return -1;
	r->ok = sqlite3_column_int(s, 1) != 0;
	return col_str(s, 0, &r->code) || col_str(s, 2, &r->message);
}

struct approvals_ctx {
	pg_reg_approval_row *v;
	size_t n, cap;
};

static int row_approval(sqlite3_stmt *s, void *ctx)
{
	struct approvals_ctx *c = ctx;
	pg_reg_approval_row *r = grow1((void **)&c->v, &c->n, &c->cap, sizeof *r);

	if (!r)
		return -1;
	r->seq = sqlite3_column_int64(s, 0);
	col_fixed(s, 7, r->statement_sha256, sizeof r->statement_sha256);
	return col_str(s, 1, &r->decision) || col_str(s, 2, &r->target) || col_str(s, 3, &r->role) ||
	       col_str(s, 4, &r->signer) || col_str(s, 5, &r->signed_at) || col_str(s, 6, &r->policy);
}

pg_code pg_reg_approvals(pg_reg *reg, const char *id, pg_reg_approval_row **rows, size_t *n,
                         pg_error *err)
{
	pg_error local_err_;
	struct approvals_ctx c;
	pg_code rc;

	if (!err)
		err = &local_err_;
	memset(&c, 0, sizeof c);
	rc = each_row(reg, S_APPROVALS, 0, id, row_approval, &c, err);
	if (rc) {
		pg_reg_approvals_free(c.v, c.n);
		c.v = NULL;
		c.n = 0;
	}
	*rows = c.v;
	*n = c.n;
	return rc;
}

pg_code pg_reg_show(pg_reg *reg, const char *id, pg_reg_pack **out, pg_error *err)
{
	pg_error local_err_;
	pg_reg_pack *p;
	sqlite3_stmt *s;
	sqlite3_int64 pk = 0;
	struct show_ctx c;
	int src;
	pg_code rc = PG_OK;

	if (!err)
		err = &local_err_;
	*out = NULL;
	p = calloc(1, sizeof *p);
	if (!p)
		return oom(err);
	if (!(s = stmt(reg, S_SHOW_PACK, err))) {
		free(p);
		return err->code;
	}
	bind_text(s, 1, id);
	src = sqlite3_step(s);
	if (src == SQLITE_ROW) {
		pk = sqlite3_column_int64(s, 0);
		col_fixed(s, 1, p->id, sizeof p->id);
		p->state = (pg_state)state_of(s, 7);
		p->manifest_len = (size_t)sqlite3_column_bytes(s, 8);
		if (col_str(s, 2, &p->name) || col_str(s, 3, &p->version) || col_str(s, 4, &p->created_at) ||
		    col_str(s, 5, &p->operator) || col_str(s, 6, &p->imported_at) ||
		    col_str(s, 8, &p->manifest) || col_str(s, 9, &p->policy))
			rc = oom(err);
	} else if (src == SQLITE_DONE) {
		rc = pg_err(err, PG_REGISTRY_NOT_FOUND, _("%s: not in the registry"), id);
	} else {
		rc = db_err(reg, src, err);
	}
	done(s);
	memset(&c, 0, sizeof c);
	c.p = p;
	if (!rc)
		rc = each_row(reg, S_SHOW_FILES, pk, NULL, row_file, &c, err);
	c.cap = 0;
	if (!rc)
		rc = each_row(reg, S_SHOW_DOCS, pk, NULL, row_doc, &c, err);
	c.cap = 0;
	if (!rc)
		rc = each_row(reg, S_SHOW_SIGS, pk, NULL, row_sig, &c, err);
	c.cap = 0;
	if (!rc)
		rc = each_row(reg, S_SHOW_PARENTS, 0, p->id, row_parent, &c, err);
	c.cap = 0;
	if (!rc)
		rc = each_row(reg, S_SHOW_CHECKS, pk, NULL, row_check, &c, err);
	if (!rc)
		rc = pg_reg_approvals(reg, p->id, &p->approvals, &p->napprovals, err);
	if (!rc) {
		const char *pid = p->id;
		rc = compute_taint(reg, &pid, 1, &p->tainted, err);
	}
	if (rc) {
		pg_reg_pack_free(p);
		return rc;
	}
	*out = p;
	return PG_OK;
}

void pg_reg_doc_clear(pg_reg_doc *d)
{
	if (!d)
		return;
	free(d->role);
	free(d->path);
	free(d->canonical);
	memset(d, 0, sizeof *d);
}

pg_code pg_reg_doc_get(pg_reg *reg, const char *id, const char *role, pg_reg_doc *out,
                       pg_error *err)
{
	pg_error local_err_;
	sqlite3_stmt *s;
	int src;
	pg_code rc = PG_OK;

	if (!err)
		err = &local_err_;
	memset(out, 0, sizeof *out);
	if (!(s = stmt(reg, S_DOC, err)))
		return err->code;
	bind_text(s, 1, id);
	bind_text(s, 2, role);
	src = sqlite3_step(s);
	if (src == SQLITE_ROW) {
		if (sqlite3_column_type(s, 2) != SQLITE_NULL) {
			out->len = (size_t)sqlite3_column_bytes(s, 2);
			if (col_str(s, 0, &out->role) || col_str(s, 1, &out->path) ||
			    col_str(s, 2, &out->canonical))
				rc = oom(err);
		}
	} else if (src == SQLITE_DONE) {
		rc = pg_err(err, PG_REGISTRY_NOT_FOUND, _("%s: not in the registry"), id);
	} else {
		rc = db_err(reg, src, err);
	}
	done(s);
	if (rc)
		pg_reg_doc_clear(out);
	return rc;
}

pg_code pg_reg_state(pg_reg *reg, const char *id, pg_state *state, pg_error *err)
{
	pg_error local_err_;
	sqlite3_stmt *s;
	int src;
	pg_code rc = PG_OK;

	if (!err)
		err = &local_err_;
	if (!(s = stmt(reg, S_STATE, err)))
		return err->code;
	bind_text(s, 1, id);
	src = sqlite3_step(s);
	if (src == SQLITE_ROW)
		*state = (pg_state)state_of(s, 0);
	else if (src == SQLITE_DONE)
		rc = pg_err(err, PG_REGISTRY_NOT_FOUND, _("%s: not in the registry"), id);
	else
		rc = db_err(reg, src, err);
	done(s);
	return rc;
}

/* =============================================================== lineage */

pg_code pg_reg_lineage(pg_reg *reg, const char *id, pg_lin_dir dir, int depth,
                       pg_lin_graph *out, pg_error *err)
{
	pg_error local_err_;
	int up = dir == PG_LIN_ANCESTORS;
	int qn = up ? (depth < 0 ? S_LIN_ANC_NODES : S_LIN_ANC_NODES_D)
	            : (depth < 0 ? S_LIN_DES_NODES : S_LIN_DES_NODES_D);
	int qe = up ? (depth < 0 ? S_LIN_ANC_EDGES : S_LIN_ANC_EDGES_D)
	            : (depth < 0 ? S_LIN_DES_EDGES : S_LIN_DES_EDGES_D);
	struct strtab t;
	struct edges e;
	pg_lin_node *nodes = NULL;
	size_t ncap = 0, nnodes = 0, root;
	size_t *order = NULL, *newidx = NULL, *start = NULL, *adj = NULL, *fill = NULL;
	const char **ids = NULL;
	int *flags = NULL;
	sqlite3_stmt *s;
	pg_state st;
	int src;
	pg_code rc;

	if (!err)
		err = &local_err_;
	memset(out, 0, sizeof *out);
	memset(&t, 0, sizeof t);
	memset(&e, 0, sizeof e);
	rc = pg_reg_state(reg, id, &st, err);
	if (rc)
		return rc;

	/* Nodes. */
	if (!(s = stmt(reg, qn, err)))
		return err->code;
	bind_text(s, 1, id);
	if (depth >= 0)
		sqlite3_bind_int(s, 2, depth);
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		pg_lin_node *nd;
		int added;
		size_t k = strtab_add(&t, (const char *)sqlite3_column_text(s, 0), &added);

		if (k == SIZE_MAX) {
			rc = oom(err);
			break;
		}
		if (!added)
			continue;
		nd = grow1((void **)&nodes, &nnodes, &ncap, sizeof *nd);
		if (!nd) {
			rc = oom(err);
			break;
		}
		nd->present = sqlite3_column_int(s, 1);
		nd->state = nd->present ? state_of(s, 5) : -1;
		if (col_str(s, 0, &nd->id) || col_str(s, 2, &nd->name) || col_str(s, 3, &nd->version) ||
		    col_str(s, 4, &nd->operator)) {
			rc = oom(err);
			break;
		}
	}
	done(s);
	if (!rc && src != SQLITE_DONE)
		rc = db_err(reg, src, err);
	if (rc)
		goto out;

	/* Edges, in drawing order per node. */
	if (!(s = stmt(reg, qe, err))) {
		rc = err->code;
		goto out;
	}
	bind_text(s, 1, id);
	if (depth >= 0)
		sqlite3_bind_int(s, 2, depth);
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		size_t c = strtab_find(&t, (const char *)sqlite3_column_text(s, 0));
		size_t p = strtab_find(&t, (const char *)sqlite3_column_text(s, 1));

		if (c == SIZE_MAX || p == SIZE_MAX)
			continue;
		if (edges_add(&e, c, p)) {
			rc = oom(err);
			break;
		}
	}
	done(s);
	if (!rc && src != SQLITE_DONE)
		rc = db_err(reg, src, err);
	if (rc)
		goto out;

	/* Breadth-first order from the root in the drawing direction. */
	root = strtab_find(&t, id);
	order = malloc((nnodes ? nnodes : 1) * sizeof *order);
	newidx = malloc((nnodes ? nnodes : 1) * sizeof *newidx);
	start = calloc(nnodes + 1, sizeof *start);
	fill = calloc(nnodes + 1, sizeof *fill);
	adj = malloc((e.n ? e.n : 1) * sizeof *adj);
	if (!order || !newidx || !start || !fill || !adj) {
		rc = oom(err);
		goto out;
	}
	if (root == SIZE_MAX) {
		rc = pg_err(err, PG_REGISTRY_NOT_FOUND, _("%s: not in the registry"), id);
		goto out;
	}
	for (size_t i = 0; i < e.n; i++)
		start[(up ? e.child[i] : e.parent[i]) + 1]++;
	for (size_t i = 0; i < nnodes; i++)
		start[i + 1] += start[i];
	for (size_t i = 0; i < e.n; i++) {
		size_t from = up ? e.child[i] : e.parent[i];
		adj[start[from] + fill[from]++] = i;
	}
	{
		size_t head = 0, tail = 0;

		for (size_t i = 0; i < nnodes; i++)
			newidx[i] = SIZE_MAX;
		order[tail++] = root;
		newidx[root] = 0;
		while (head < tail) {
			size_t n = order[head++];
			for (size_t k = start[n]; k < start[n + 1]; k++) {
				size_t to = up ? e.parent[adj[k]] : e.child[adj[k]];
				if (newidx[to] == SIZE_MAX) {
					newidx[to] = tail;
					order[tail++] = to;
				}
			}
		}
		/* Unreachable nodes cannot occur; keep them last if they do. */
		for (size_t i = 0; i < nnodes; i++)
			if (newidx[i] == SIZE_MAX) {
				newidx[i] = tail;
				order[tail++] = i;
			}
	}
	out->nodes = malloc((nnodes ? nnodes : 1) * sizeof *out->nodes);
	out->edges = malloc((e.n ? e.n : 1) * sizeof *out->edges);
	if (!out->nodes || !out->edges) {
		rc = oom(err);
		goto out;
	}
	for (size_t i = 0; i < nnodes; i++)
		out->nodes[i] = nodes[order[i]];
	out->nnodes = nnodes;
	free(nodes);
	nodes = NULL;
	nnodes = 0;
	/* Edges grouped by their drawing-side node in BFS order. */
	for (size_t i = 0; i < out->nnodes; i++) {
		size_t n = order[i];
		for (size_t k = start[n]; k < start[n + 1]; k++) {
			pg_lin_edge *oe = &out->edges[out->nedges++];
			oe->child = newidx[e.child[adj[k]]];
			oe->parent = newidx[e.parent[adj[k]]];
		}
	}
	out->root = 0;

	/* Taint of every present node. */
	ids = malloc((out->nnodes ? out->nnodes : 1) * sizeof *ids);
	flags = malloc((out->nnodes ? out->nnodes : 1) * sizeof *flags);
	if (!ids || !flags) {
		rc = oom(err);
		goto out;
	}
	for (size_t i = 0; i < out->nnodes; i++)
		ids[i] = out->nodes[i].id;
	rc = compute_taint(reg, ids, out->nnodes, flags, err);
	for (size_t i = 0; !rc && i < out->nnodes; i++)
		out->nodes[i].tainted = out->nodes[i].present && flags[i];
out:
	if (nodes) {
		pg_lin_graph tmp = { nodes, nnodes, NULL, 0, 0 };
		pg_lin_graph_free(&tmp);
	}
	if (rc)
		pg_lin_graph_free(out);
	strtab_free(&t);
	edges_free(&e);
	free(order);
	free(newidx);
	free(start);
	free(fill);
	free(adj);
	free(ids);
	free(flags);
	return rc;
}

/* ================================================================ policy */

pg_code pg_reg_policy_put(pg_reg *reg, const char *canon, size_t len, char digest[PG_ID_LEN],
                          pg_error *err)
{
	pg_error local_err_;
	char hex[PG_SHA256_HEX], d[PG_ID_LEN], now[32];
	sqlite3_stmt *s;
	pg_code rc;

	if (!err)
		err = &local_err_;
	pg_sha256_hex(canon, len, hex);
	snprintf(d, sizeof d, "sha256:%s", hex);
	if (digest)
		memcpy(digest, d, sizeof d);
	now_rfc3339(now);
	rc = tx_begin(reg, err);
	if (rc)
		return rc;
	if (!(s = stmt(reg, S_POLICY_PUT, err))) {
		tx_rollback(reg);
		return err->code;
	}
	bind_text(s, 1, d);
	sqlite3_bind_text(s, 2, canon, (int)len, SQLITE_STATIC);
	bind_text(s, 3, now);
	rc = run(reg, s, err);
	if (!rc)
		rc = tx_commit(reg, err);
	if (rc)
		tx_rollback(reg);
	return rc;
}

pg_code pg_reg_policy_get(pg_reg *reg, const char *digest, char **canon, size_t *len, pg_error *err)
{
	pg_error local_err_;
	sqlite3_stmt *s;
	int src;
	pg_code rc = PG_OK;

	if (!err)
		err = &local_err_;
	*canon = NULL;
	if (len)
		*len = 0;
	if (!(s = stmt(reg, S_POLICY_GET, err)))
		return err->code;
	bind_text(s, 1, digest);
	src = sqlite3_step(s);
	if (src == SQLITE_ROW) {
		if (len)
			*len = (size_t)sqlite3_column_bytes(s, 0);
		if (col_str(s, 0, canon))
			rc = oom(err);
	} else if (src == SQLITE_DONE) {
		rc = pg_err(err, PG_REGISTRY_NOT_FOUND, _("policy %s is not in the registry"), digest);
	} else {
		rc = db_err(reg, src, err);
	}
	done(s);
	return rc;
}

/* =========================================================== audit chain */

pg_code pg_reg_chain_hash(const char *prev_hash, const char *statement, size_t statement_len,
                          const char *signature, char out[PG_SHA256_HEX], pg_error *err)
{
	pg_error local_err_;
	pg_sha256 h;
	pg_code rc;

	if (!err)
		err = &local_err_;
	rc = pg_sha256_begin(&h, err);
	out[0] = '\0';
	if (rc)
		return rc;
	pg_sha256_update(&h, prev_hash, strlen(prev_hash));
	pg_sha256_update(&h, "\n", 1);
	pg_sha256_update(&h, statement, statement_len);
	pg_sha256_update(&h, "\n", 1);
	pg_sha256_update(&h, signature, strlen(signature));
	pg_sha256_end(&h, out);
	return PG_OK;
}

/* Appends one entry inside the caller's transaction. */
static pg_code chain_append(pg_reg *reg, const char *kind, const char *pack, const pg_reg_stmt *st,
                            pg_reg_appended *out, pg_error *err)
{
	sqlite3_stmt *s;
	sqlite3_int64 seq = 1;
	char prev[PG_SHA256_HEX] = PG_REG_ZERO_HASH, hash[PG_SHA256_HEX], ssha[PG_SHA256_HEX];
	char now[32], seqtext[24];
	int src;
	pg_code rc;

	if (!st->statement || !st->signature || !st->signer)
		return pg_err(err, PG_REGISTRY_CORRUPT, _("a statement needs its bytes, signature and signer"));
	if (!(s = stmt(reg, S_CHAIN_LAST, err)))
		return err->code;
	src = sqlite3_step(s);
	if (src == SQLITE_ROW) {
		seq = sqlite3_column_int64(s, 0) + 1;
		col_fixed(s, 1, prev, sizeof prev);
	}
	done(s);
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		return db_err(reg, src, err);
	rc = pg_reg_chain_hash(prev, st->statement, st->statement_len, st->signature, hash, err);
	if (rc)
		return rc;
	pg_sha256_hex(st->statement, st->statement_len, ssha);
	now_rfc3339(now);
	if (!(s = stmt(reg, S_INS_CHAIN, err)))
		return err->code;
	sqlite3_bind_int64(s, 1, seq);
	bind_text(s, 2, kind);
	bind_text(s, 3, pack);
	sqlite3_bind_text(s, 4, st->statement, (int)st->statement_len, SQLITE_STATIC);
	bind_text(s, 5, st->signature);
	bind_text(s, 6, st->signer);
	bind_text(s, 7, ssha);
	bind_text(s, 8, prev);
	bind_text(s, 9, hash);
	bind_text(s, 10, now);
	if ((rc = run(reg, s, err)))
		return rc;
	/* The head, so that a removed last entry shows. */
	snprintf(seqtext, sizeof seqtext, "%lld", (long long)seq);
	if (!(s = stmt(reg, S_META_SET, err)))
		return err->code;
	bind_text(s, 1, "chain_seq");
	bind_text(s, 2, seqtext);
	if ((rc = run(reg, s, err)))
		return rc;
	if (!(s = stmt(reg, S_META_SET, err)))
		return err->code;
	bind_text(s, 1, "chain_head");
	bind_text(s, 2, hash);
	if ((rc = run(reg, s, err)))
		return rc;
	if (st->outbox) {
		if (!(s = stmt(reg, S_INS_OUTBOX, err)))
			return err->code;
		sqlite3_bind_int64(s, 1, seq);
		bind_text(s, 2, now);
		if ((rc = run(reg, s, err)))
			return rc;
	}
	if (out) {
		out->seq = seq;
		memcpy(out->hash, hash, sizeof hash);
		memcpy(out->prev_hash, prev, sizeof prev);
		memcpy(out->statement_sha256, ssha, sizeof ssha);
	}
	return PG_OK;
}

pg_code pg_reg_append_approval(pg_reg *reg, const pg_reg_approval_in *a, pg_reg_appended *out,
                               pg_error *err)
{
	pg_error local_err_;
	pg_reg_appended app;
	sqlite3_stmt *s;
	pg_code rc;
	int ex;

	if (!err)
		err = &local_err_;
	rc = tx_begin(reg, err);
	if (rc)
		return rc;
	ex = pack_exists(reg, a->pack, err);
	if (ex <= 0) {
		rc = ex < 0 ? err->code : pg_err(err, PG_REGISTRY_NOT_FOUND, _("%s: not in the registry"), a->pack);
		goto out;
	}
	rc = chain_append(reg, "approval", a->pack, &a->st, &app, err);
	if (rc)
		goto out;
	if (!(s = stmt(reg, S_INS_APPROVAL, err))) {
		rc = err->code;
		goto out;
	}
	sqlite3_bind_int64(s, 1, app.seq);
	bind_text(s, 2, a->pack);
	bind_text(s, 3, a->decision);
	bind_text(s, 4, a->target);
	bind_text(s, 5, a->role);
	bind_text(s, 6, a->st.signer);
	bind_text(s, 7, a->signed_at);
	bind_text(s, 8, a->policy);
	rc = run(reg, s, err);
	if (!rc)
		rc = tx_commit(reg, err);
	if (!rc && out)
		*out = app;
out:
	if (rc)
		tx_rollback(reg);
	return rc;
}

/* The head inside or outside a transaction. */
static pg_code read_head(pg_reg *reg, const char *id, char head[PG_SHA256_HEX], int *has, pg_error *err)
{
	sqlite3_stmt *s = stmt(reg, S_HEAD, err);
	int src;

	*has = 0;
	head[0] = '\0';
	if (!s)
		return err->code;
	bind_text(s, 1, id);
	src = sqlite3_step(s);
	if (src == SQLITE_ROW) {
		col_fixed(s, 0, head, PG_SHA256_HEX);
		*has = 1;
	}
	done(s);
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		return db_err(reg, src, err);
	return PG_OK;
}

pg_code pg_reg_transition_head(pg_reg *reg, const char *id, char head[PG_SHA256_HEX], int *has,
                               pg_error *err)
{
	pg_error local_err_;
	pg_state st;
	pg_code rc;

	if (!err)
		err = &local_err_;
	rc = pg_reg_state(reg, id, &st, err);
	*has = 0;
	head[0] = '\0';
	if (rc)
		return rc;
	return read_head(reg, id, head, has, err);
}

/* Inserts a transitions row and applies the state change. */
static pg_code transition_row(pg_reg *reg, int64_t seq, const char *pack, int subject, pg_state from,
                              pg_state to, const pg_reg_transition_in *t, pg_error *err)
{
	sqlite3_stmt *s = stmt(reg, S_INS_TRANSITION, err);
	pg_code rc;

	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, seq);
	bind_text(s, 2, pack);
	sqlite3_bind_int(s, 3, subject);
	bind_text(s, 4, pg_state_name(from));
	bind_text(s, 5, pg_state_name(to));
	bind_text(s, 6, t->st.signer);
	bind_text(s, 7, t->signed_at ? t->signed_at : "");
	bind_text(s, 8, t->policy);
	if ((rc = run(reg, s, err)))
		return rc;
	if (!(s = stmt(reg, S_SET_STATE, err)))
		return err->code;
	bind_text(s, 1, pack);
	bind_text(s, 2, pg_state_name(to));
	return run(reg, s, err);
}

/* lifecycle.conflict unless the pack is in state `want`. */
static pg_code expect_state(pg_reg *reg, const char *id, pg_state want, pg_error *err)
{
	pg_state now;
	pg_code rc = pg_reg_state(reg, id, &now, err);

	if (rc)
		return rc;
	if (now != want)
		return pg_err(err, PG_LIFECYCLE_CONFLICT,
		              _("%s is now %s, not %s: someone else changed it; look again and retry"),
		              id, pg_state_name(now), pg_state_name(want));
	return PG_OK;
}

/* At most one champion and one canary for the name of pack id. */
static pg_code check_unique_states(pg_reg *reg, const char *id, pg_error *err)
{
	static const char *const single[] = { "champion", "canary" };
	sqlite3_stmt *s = stmt(reg, S_NAME_OF, err);
	char *name = NULL;
	pg_code rc = PG_OK;
	int src;

	if (!s)
		return err->code;
	bind_text(s, 1, id);
	src = sqlite3_step(s);
	if (src == SQLITE_ROW && col_str(s, 0, &name))
		rc = oom(err);
	done(s);
	if (rc || !name)
		return rc;
	for (size_t i = 0; !rc && i < sizeof single / sizeof single[0]; i++) {
		if (!(s = stmt(reg, S_COUNT_STATE, err))) {
			rc = err->code;
			break;
		}
		bind_text(s, 1, name);
		bind_text(s, 2, single[i]);
		src = sqlite3_step(s);
		if (src == SQLITE_ROW && sqlite3_column_int64(s, 0) > 1)
			rc = pg_err(err, PG_LIFECYCLE_CONFLICT,
			            _("%s would have two packs in state %s; the previous one must be superseded "
			              "in the same transition"), name, single[i]);
		else if (src != SQLITE_ROW)
			rc = db_err(reg, src, err);
		done(s);
	}
	free(name);
	return rc;
}

pg_code pg_reg_apply_transition(pg_reg *reg, const pg_reg_transition_in *t, pg_reg_appended *out,
                                pg_error *err)
{
	pg_error local_err_;
	pg_reg_appended app;
	char head[PG_SHA256_HEX];
	int has;
	pg_code rc;

	if (!err)
		err = &local_err_;
	rc = tx_begin(reg, err);
	if (rc)
		return rc;
	rc = expect_state(reg, t->pack, t->from, err);
	if (rc)
		goto out;
	rc = read_head(reg, t->pack, head, &has, err);
	if (rc)
		goto out;
	if (has != (t->expected_head != NULL) || (has && strcmp(head, t->expected_head) != 0)) {
		rc = pg_err(err, PG_LIFECYCLE_CONFLICT,
		            _("%s: another transition was recorded meanwhile (head %s, expected %s); look "
		              "again and retry"), t->pack, has ? head : "none",
		            t->expected_head ? t->expected_head : "none");
		goto out;
	}
	for (size_t i = 0; i < t->nsupersedes; i++) {
		rc = expect_state(reg, t->supersedes[i].id, t->supersedes[i].from, err);
		if (rc)
			goto out;
	}
	rc = chain_append(reg, "transition", t->pack, &t->st, &app, err);
	if (rc)
		goto out;
	rc = transition_row(reg, app.seq, t->pack, 1, t->from, t->to, t, err);
	for (size_t i = 0; !rc && i < t->nsupersedes; i++)
		rc = transition_row(reg, app.seq, t->supersedes[i].id, 0, t->supersedes[i].from,
		                    t->supersedes[i].to, t, err);
	if (!rc)
		rc = check_unique_states(reg, t->pack, err);
	for (size_t i = 0; !rc && i < t->nsupersedes; i++)
		rc = check_unique_states(reg, t->supersedes[i].id, err);
	if (!rc)
		rc = tx_commit(reg, err);
	if (!rc && out)
		*out = app;
out:
	if (rc)
		tx_rollback(reg);
	return rc;
}

void pg_reg_entries_free(pg_reg_entries *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].statement);
		free(e->v[i].signature);
		free(e->v[i].signer);
		free(e->v[i].recorded_at);
	}
	free(e->v);
	e->v = NULL;
	e->n = 0;
}

struct log_ctx {
	pg_reg_entries *e;
	size_t cap;
};

static int row_entry(sqlite3_stmt *s, void *ctx)
{
	struct log_ctx *c = ctx;
	pg_reg_entry *r = grow1((void **)&c->e->v, &c->e->n, &c->cap, sizeof *r);

	if (!r)
		return -1;
	r->seq = sqlite3_column_int64(s, 0);
	col_fixed(s, 1, r->kind, sizeof r->kind);
	col_fixed(s, 2, r->pack, sizeof r->pack);
	r->statement_len = (size_t)sqlite3_column_bytes(s, 3);
	col_fixed(s, 7, r->hash, sizeof r->hash);
	col_fixed(s, 8, r->prev_hash, sizeof r->prev_hash);
	return col_str(s, 3, &r->statement) || col_str(s, 4, &r->signature) ||
	       col_str(s, 5, &r->signer) || col_str(s, 6, &r->recorded_at);
}

pg_code pg_reg_log(pg_reg *reg, const char *pack, pg_reg_entries *out, pg_error *err)
{
	pg_error local_err_;
	struct log_ctx c;
	pg_code rc;

	if (!err)
		err = &local_err_;
	out->v = NULL;
	out->n = 0;
	c.e = out;
	c.cap = 0;
	if (pack) {
		rc = each_row(reg, S_LOG_PACK, 0, pack, row_entry, &c, err);
	} else {
		sqlite3_stmt *s = stmt(reg, S_LOG_ALL, err);
		int src;

		if (!s)
			return err->code;
		rc = PG_OK;
		while ((src = sqlite3_step(s)) == SQLITE_ROW)
			if (row_entry(s, &c)) {
				rc = oom(err);
				break;
			}
		done(s);
		if (!rc && src != SQLITE_DONE)
			rc = db_err(reg, src, err);
	}
	if (rc)
		pg_reg_entries_free(out);
	return rc;
}

/* Text of meta[key] into buf, "" when absent. */
static pg_code meta_get(pg_reg *reg, const char *key, char *buf, size_t cap, pg_error *err)
{
	sqlite3_stmt *s = stmt(reg, S_META_GET, err);
	int src;

	buf[0] = '\0';
	if (!s)
		return err->code;
	bind_text(s, 1, key);
	src = sqlite3_step(s);
	if (src == SQLITE_ROW)
		col_fixed(s, 0, buf, cap);
	done(s);
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		return db_err(reg, src, err);
	return PG_OK;
}

/* The lowest seq a rows-versus-chain query reports, into *bad. */
static pg_code first_bad_row(pg_reg *reg, int which, int64_t *bad, pg_error *err)
{
	sqlite3_stmt *s = stmt(reg, which, err);
	int src;

	*bad = -1;
	if (!s)
		return err->code;
	src = sqlite3_step(s);
	if (src == SQLITE_ROW)
		*bad = sqlite3_column_int64(s, 0);
	done(s);
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		return db_err(reg, src, err);
	return PG_OK;
}

pg_code pg_reg_chain_verify(pg_reg *reg, int64_t *count, int64_t *bad_seq, pg_error *err)
{
	pg_error local_err_;
	char prev[PG_SHA256_HEX] = PG_REG_ZERO_HASH, hash[PG_SHA256_HEX], ssha[PG_SHA256_HEX];
	char head_seq[32], head[PG_SHA256_HEX + 8];
	char why[256] = "";
	int64_t n = 0, bad = -1, rowbad;
	sqlite3_stmt *s;
	int src;
	pg_code rc;

	if (!err)
		err = &local_err_;
	if (count)
		*count = 0;
	if (bad_seq)
		*bad_seq = -1;
	/* One read transaction, so the picture is consistent. */
	rc = exec(reg, "BEGIN", err);
	if (rc)
		return rc;
	if (!(s = stmt(reg, S_VERIFY, err))) {
		rc = err->code;
		goto out;
	}
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(s, 0);
		const char *kind = (const char *)sqlite3_column_text(s, 1);
		const char *stmt_text = (const char *)sqlite3_column_text(s, 2);
		size_t stmt_len = (size_t)sqlite3_column_bytes(s, 2);
		const char *sig = (const char *)sqlite3_column_text(s, 3);
		const char *row_ssha = (const char *)sqlite3_column_text(s, 4);
		const char *row_prev = (const char *)sqlite3_column_text(s, 5);
		const char *row_hash = (const char *)sqlite3_column_text(s, 6);

		n++;
		if (seq != n) {
			bad = n;
			snprintf(why, sizeof why, _("entry %lld is missing"), (long long)n);
			break;
		}
		if (!kind || (strcmp(kind, "approval") != 0 && strcmp(kind, "transition") != 0)) {
			bad = seq;
			snprintf(why, sizeof why, _("entry %lld has an unknown kind"), (long long)seq);
			break;
		}
		if (!row_prev || strcmp(row_prev, prev) != 0) {
			bad = seq;
			snprintf(why, sizeof why, _("entry %lld does not follow entry %lld (prev_hash differs)"),
			         (long long)seq, (long long)(seq - 1));
			break;
		}
		if (!stmt_text || !sig ||
		    pg_reg_chain_hash(prev, stmt_text, stmt_len, sig, hash, err) != PG_OK ||
		    !row_hash || strcmp(row_hash, hash) != 0) {
			bad = seq;
			snprintf(why, sizeof why, _("entry %lld: its hash does not match its statement and "
			                           "signature"), (long long)seq);
			break;
		}
		pg_sha256_hex(stmt_text, stmt_len, ssha);
		if (!row_ssha || strcmp(row_ssha, ssha) != 0) {
			bad = seq;
			snprintf(why, sizeof why, _("entry %lld: its statement digest does not match"),
			         (long long)seq);
			break;
		}
		memcpy(prev, hash, sizeof prev);
	}
	done(s);
	if (src != SQLITE_ROW && src != SQLITE_DONE) {
		rc = db_err(reg, src, err);
		goto out;
	}
	if (bad < 0) {
		long long want = 0;

		rc = meta_get(reg, "chain_seq", head_seq, sizeof head_seq, err);
		if (!rc)
			rc = meta_get(reg, "chain_head", head, sizeof head, err);
		if (rc)
			goto out;
		if (*head_seq)
			want = strtoll(head_seq, NULL, 10);
		if (want > n) {
			bad = n + 1;
			snprintf(why, sizeof why,
			         ngettext("entry %lld is missing (the chain had %lld entry)",
			                  "entry %lld is missing (the chain had %lld entries)", (unsigned long)want),
			         (long long)(n + 1), want);
		} else if (want < n || (n > 0 && strcmp(head, prev) != 0)) {
			bad = want < n ? want + 1 : n;
			snprintf(why, sizeof why, _("entry %lld is not the recorded head of the chain"),
			         (long long)bad);
		}
	}
	rc = first_bad_row(reg, S_VERIFY_APPROVALS, &rowbad, err);
	if (rc)
		goto out;
	if (rowbad > 0 && (bad < 0 || rowbad < bad)) {
		bad = rowbad;
		snprintf(why, sizeof why, _("approval %lld does not match its chain entry"), (long long)rowbad);
	}
	rc = first_bad_row(reg, S_VERIFY_TRANSITIONS, &rowbad, err);
	if (rc)
		goto out;
	if (rowbad > 0 && (bad < 0 || rowbad < bad)) {
		bad = rowbad;
		snprintf(why, sizeof why, _("transition %lld does not match its chain entry"),
		         (long long)rowbad);
	}
	if (count)
		*count = n;
	if (bad >= 0) {
		if (bad_seq)
			*bad_seq = bad;
		rc = pg_err(err, PG_REGISTRY_CHAIN_BROKEN, _("the audit chain is broken: %s"), why);
	}
out:
	exec(reg, "COMMIT", &(pg_error){ 0 });
	return rc;
}

/* ================================================================ outbox */

pg_code pg_reg_outbox(pg_reg *reg, int64_t **seqs, size_t *n, pg_error *err)
{
	pg_error local_err_;
	sqlite3_stmt *s;
	size_t cap = 0;
	int src;
	pg_code rc = PG_OK;

	if (!err)
		err = &local_err_;
	*seqs = NULL;
	*n = 0;
	if (!(s = stmt(reg, S_OUTBOX, err)))
		return err->code;
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t *v = grow1((void **)seqs, n, &cap, sizeof **seqs);
		if (!v) {
			rc = oom(err);
			break;
		}
		*v = sqlite3_column_int64(s, 0);
	}
	done(s);
	if (!rc && src != SQLITE_DONE)
		rc = db_err(reg, src, err);
	if (rc) {
		free(*seqs);
		*seqs = NULL;
		*n = 0;
	}
	return rc;
}

pg_code pg_reg_outbox_done(pg_reg *reg, int64_t seq, pg_error *err)
{
	pg_error local_err_;
	sqlite3_stmt *s;
	pg_code rc;

	if (!err)
		err = &local_err_;
	rc = tx_begin(reg, err);
	if (rc)
		return rc;
	if (!(s = stmt(reg, S_OUTBOX_DEL, err))) {
		tx_rollback(reg);
		return err->code;
	}
	sqlite3_bind_int64(s, 1, seq);
	rc = run(reg, s, err);
	if (!rc)
		rc = tx_commit(reg, err);
	if (rc)
		tx_rollback(reg);
	return rc;
}

/* ================================================================ events */

pg_code pg_reg_event_add(pg_reg *reg, const char *kind, const char *pack, const char *detail,
                         pg_error *err)
{
	pg_error local_err_;
	sqlite3_stmt *s;
	char now[32];
	pg_code rc;

	if (!err)
		err = &local_err_;
	rc = tx_begin(reg, err);
	if (rc)
		return rc;
	now_rfc3339(now);
	if (!(s = stmt(reg, S_INS_EVENT, err))) {
		tx_rollback(reg);
		return err->code;
	}
	bind_text(s, 1, now);
	bind_text(s, 2, kind);
	bind_text(s, 3, pack);
	bind_text(s, 4, detail ? detail : "{}");
	rc = run(reg, s, err);
	if (!rc)
		rc = tx_commit(reg, err);
	if (rc)
		tx_rollback(reg);
	return rc;
}

void pg_reg_events_free(pg_reg_events *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].at);
		free(e->v[i].kind);
		free(e->v[i].detail);
	}
	free(e->v);
	e->v = NULL;
	e->n = 0;
}

struct events_ctx {
	pg_reg_events *e;
	size_t cap;
};

static int row_event(sqlite3_stmt *s, void *ctx)
{
	struct events_ctx *c = ctx;
	pg_reg_event *r = grow1((void **)&c->e->v, &c->e->n, &c->cap, sizeof *r);

	if (!r)
		return -1;
	r->seq = sqlite3_column_int64(s, 0);
	col_fixed(s, 3, r->pack, sizeof r->pack);
	return col_str(s, 1, &r->at) || col_str(s, 2, &r->kind) || col_str(s, 4, &r->detail);
}

pg_code pg_reg_events_read(pg_reg *reg, const char *pack, pg_reg_events *out, pg_error *err)
{
	pg_error local_err_;
	struct events_ctx c;
	pg_code rc;

	if (!err)
		err = &local_err_;
	out->v = NULL;
	out->n = 0;
	c.e = out;
	c.cap = 0;
	if (pack) {
		rc = each_row(reg, S_EVENTS_PACK, 0, pack, row_event, &c, err);
	} else {
		sqlite3_stmt *s = stmt(reg, S_EVENTS_ALL, err);
		int src;

		if (!s)
			return err->code;
		rc = PG_OK;
		while ((src = sqlite3_step(s)) == SQLITE_ROW)
			if (row_event(s, &c)) {
				rc = oom(err);
				break;
			}
		done(s);
		if (!rc && src != SQLITE_DONE)
			rc = db_err(reg, src, err);
	}
	if (rc)
		pg_reg_events_free(out);
	return rc;
}
