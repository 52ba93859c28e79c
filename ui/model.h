/* model.h — what the TUI's views compute from the registry and the pack
 * documents, without curses: the evaluation card read for display (CI
 * comparison, ECE), the list's per-pack summary (score, Δ champion,
 * approvals, taint reason) with a bounded cache, the license obligations
 * inherited through the lineage and their conflicts.
 *
 * Strings in these structures are display-safe: every string taken from a
 * document or the registry is escaped with pg_escape when it is copied in.
 */
#ifndef PG_TUI_MODEL_H
#define PG_TUI_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cjson/cJSON.h>

#include "card.h"
#include "pg.h"
#include "policy.h"
#include "registry.h"
#include "sig.h"

/* ------------------------------------------------------------ numbers */

/* A metric value for display: integers without decimals ("870"), values
 * of magnitude >= 100 with none, others with three ("0.842"). */
void tm_num(double v, char *buf, size_t cap);
/* A signed difference in the same style ("+0.031", "-30", "+0.000"). */
void tm_delta(double v, char *buf, size_t cap);
/* A byte count ("760.0 MB", "4.0 KiB" style: powers of 1000, "B" below). */
void tm_bytes(uint64_t n, char *buf, size_t cap);

/* ------------------------------------------------------------ evaluation card */

typedef struct tm_metric {
	char *suite;          /* escaped */
	char *name;           /* escaped */
	double value;
	int has_ci;
	double lo, hi;
	double confidence;    /* 0 when absent */
	int has_n;
	uint64_t n;
	int higher_is_better; /* default 1 */
	int worst;            /* slice metrics: the worst slice of this suite and
	                       * metric name (when there are two or more) */
} tm_metric;

typedef struct tm_slice {
	char *suite, *name;   /* escaped */
	tm_metric *m;
	size_t nm;
} tm_slice;

typedef struct tm_case {
	char *suite, *id, *input, *expected, *actual, *reason; /* escaped, "" when absent */
} tm_case;

typedef pg_card_bin tm_bin;

typedef struct tm_hist {
	double le;
	uint64_t count;
} tm_hist;

typedef struct tm_safety {
	char *test;           /* escaped */
	int passed;
	int has_score;
	double score;
} tm_safety;

typedef struct tm_card {
	char *id, *created_at, *environment; /* escaped; environment "" when absent */
	char *suites_label;   /* "math-v4 4.1.0, gsm8k 1.0" (escaped) */
	tm_metric *m;         /* every metric of every suite, card order */
	size_t nm;
	size_t headline;      /* index into m (nm when there are none) */
	tm_slice *slices;
	size_t nslices;
	tm_case *cases;
	size_t ncases;
	tm_bin *bins;
	size_t nbins;
	int has_p50, has_p95, has_p99;
	double p50, p95, p99;
	tm_hist *hist;
	size_t nhist;
	tm_safety *safety;
	size_t nsafety;
	int has_champion;
	char *champion_id;    /* escaped */
	tm_metric *champ;     /* the champion block's metrics */
	size_t nchamp;
} tm_card;

/* Reads a parsed evaluation card (schema-valid or not: what is missing or
 * of the wrong type is left out) into out; full 0 reads only the metrics,
 * the headline and the champion block (what the list needs).  Returns 0,
 * or -1 on OOM (out is then freed). */
int tm_card_read(const cJSON *card, int full, tm_card *out);
void tm_card_free(tm_card *c);
/* The champion's metric with the same suite and name, or NULL. */
const tm_metric *tm_card_champion(const tm_card *c, const tm_metric *m);

/* How m compares with champion ch (may be NULL): pg_card_compare. */
pg_card_verdict tm_compare(const tm_metric *m, const tm_metric *ch);

/* ------------------------------------------------------------ list summary */

typedef struct tm_summary {
	char score[24];       /* headline value, "" when no card or metric */
	char delta[40];       /* "+0.031", "—" without champion */
	pg_card_verdict verdict;
	char appr[24];        /* "1/2", "1" (no policy rule), "" */
	char taint[160];      /* "parent NAME VERSION quarantined" (escaped), "" */
} tm_summary;

typedef struct tui_cache tui_cache;

/* A bounded cache of summaries by pack id (at most `cap` entries; it is
 * emptied when full).  NULL on OOM. */
tui_cache *tm_cache_new(size_t cap);
void tm_cache_free(tui_cache *c);
void tm_cache_clear(tui_cache *c);

/* The summary of the list row r (its id, state and taint), computed from
 * the registry (the evaluation card alone with pg_reg_doc_get, the
 * approvals with pg_reg_approvals, pg_reg_lineage when tainted) and the
 * policy (may be NULL) on the first call, then cached.  Returns 0, or -1
 * with err set (the summary is then blank). */
int tm_summary_get(tui_cache *c, pg_reg *reg, const pg_policy *policy, const pg_reg_row *r,
                   tm_summary *out, pg_error *err);

/* The approvals column of a pack in state st with approvals rows[0..n):
 * the nearest rule up the ladder (candidate → … → champion) from st or a
 * later state that needs approvals (else the first rule from st) gives the
 * target and the required count ("1/2"; "✗" appended while a rejection
 * stands), counted as pg_lifecycle_tally does.  Without a policy or rule,
 * the number of people whose latest decision is approve ("" for none).
 * target_out (may be NULL) receives the target state or -1. */
void tm_approvals(const pg_policy *policy, pg_state st, const pg_reg_approval_row *rows, size_t n,
                  char *buf, size_t cap, int *target_out);

/* The first quarantined ancestor of a pack as "NAME VERSION" (escaped)
 * into buf; "" when none is found.  Returns 0 or -1 with err set. */
int tm_taint_reason(pg_reg *reg, const char *id, char *buf, size_t cap, pg_error *err);

/* ------------------------------------------------------------ signatures */

/* How one signature stands, for display. */
typedef struct tm_sig {
	int checked;          /* 0: not verified (no GnuPG home): text says so */
	pg_code code;         /* PG_OK when the signature counts */
	const char *status;   /* "good", "bad", "problem"; "" when not checked */
	int trusted;          /* judged under a policy (else "good" means sound only) */
	int expired_after;    /* the key expired after signing: still counts */
	char text[96];        /* "good", "bad (sig.bad)", "problem (sig.untrusted)",
	                       * "not verified (no GnuPG home)" */
	char message[1024];   /* what the check said (display-safe), "" when good */
} tm_sig;

/* Verifies signatures for the views with pg_sig_verify under the rule of
 * CONTRACT section 6, as `packgate log` and `audit` do.  sig NULL (no
 * GnuPG home, or GnuPG missing): everything is "not verified (no GnuPG
 * home)".  Borrows sig, reg (may be NULL) and policy (may be NULL). */
typedef struct tm_verifier tm_verifier;
tm_verifier *tm_verifier_new(pg_sig *sig, pg_reg *reg, const pg_policy *policy);
void tm_verifier_free(tm_verifier *v);

/* An audit chain entry: its statement parsed strictly, its signature
 * verified for the signer the predicate names, under the policy the
 * statement names (read from the registry, its people's keys imported once;
 * the configured policy when the registry lacks it), with the role the
 * statement needs (an approval: reviewer; a transition: the roles of the
 * policy's rule for from -> to).  e NULL: an approval without its chain
 * entry (registry.chain_broken). */
void tm_verify_entry(tm_verifier *v, const pg_reg_entry *e, tm_sig *out);

/* Publisher signature i of a shown pack over its canonical manifest: the
 * key must be the one its file name (signatures/FPR.asc) names and, under
 * the configured policy, one of its publishers. */
void tm_verify_publisher(tm_verifier *v, const pg_reg_pack *p, size_t i, tm_sig *out);

/* ------------------------------------------------------------ license */

typedef struct tm_lic_item {
	char *from;           /* "this pack" or "NAME VERSION" (escaped) */
	int self;             /* 1 for the pack's own notice */
	int missing;          /* the ancestor is not in the registry */
	char *kind;           /* "model", "data", "code", "terms" (the notice's own
	                       * obligations and redistribution) */
	char *name;           /* the data/code item's name, "" for the model */
	char *license;        /* SPDX expression (escaped), "" when unknown */
	char *obligations;    /* ", "-joined, derived ones marked (escaped) */
	char *redistribution; /* for kind "terms": allowed/restricted/forbidden/"" */
} tm_lic_item;

typedef struct tm_license {
	tm_lic_item *v;
	size_t n;
	char **conflicts;     /* escaped messages */
	size_t nconflicts;
	char *notice;         /* the pack's notice text (escaped), "" */
} tm_license;

/* Collects the pack's license notice and every ancestor's (walking the
 * registry's lineage, every depth), derives obligations from licenses
 * (-NC non-commercial, -SA share-alike, BY attribution, GPL/AGPL
 * share-alike) and flags conflicts: a pack redistributed more freely than
 * an ancestor allows, "allowed" over a non-commercial ancestor, a license
 * other than a share-alike ancestor's.  own is the pack's parsed notice
 * (may be NULL).  Returns 0 or -1 with err set. */
int tm_license_collect(pg_reg *reg, const char *id, const cJSON *own, tm_license *out,
                       pg_error *err);
void tm_license_free(tm_license *l);

/* ------------------------------------------------------------ documents */

/* The parsed document of a role ("evaluation-card") from a shown pack, or
 * NULL when absent or unreadable; caller cJSON_Deletes.  sha256 (may be
 * NULL, 65 bytes) receives the file's digest from the files list. */
cJSON *tm_pack_doc(const pg_reg_pack *p, const char *role, char *sha256);

/* Strings of a JSON string array joined by ", " and escaped; "" for
 * none.  New string, NULL on OOM. */
char *tm_join(const cJSON *arr);

#endif
