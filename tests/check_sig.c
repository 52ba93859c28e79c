/* check_sig.c — OpenPGP through GPGME (core/sig.c): the verification rule
 * of CONTRACT section 6 with exact codes, key choice, loopback passphrases,
 * key import, interoperability with plain gpg in both directions, and
 * publisher signatures of packs (signing rewrites the archive).
 *
 * The fixture runs gpg in a throwaway GnuPG home with a short path
 * (/tmp/pgg.XXXXXX, for the agent's socket) and makes the keys there:
 *   alice    reviewer, no passphrase
 *   bob      release-manager and the policy's publisher
 *   carol    reviewer, passphrase "secret"
 *   mallory  a key that is not in the policy
 *   rick     reviewer; signs, then is revoked
 *   eve      reviewer; made in 2020 with faked time, signs on 2020-01-01
 *            06:00 and 2020-01-03 00:00, then gets an expiry of
 *            2020-01-02 01:00 (a self-signature dated after the first)
 *   sam      reviewer, with a signing subkey
 *   zed      in the policy, signs, then is deleted from the keyring
 * The agent caches no passphrase (ttl 0) unless a test presets one, so
 * every signature with carol's key reaches the prompt.  The teardown kills
 * the agent and removes the home; the last test checks (in /proc, as
 * pgrep -f would) that no process is left on it.  gpg's status output is
 * read here only to check interoperability, never by core. */
#include "pg.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "checkrun.h"
#include "digest.h"
#include "fixtures.h"
#include "pack.h"
#include "policy.h"
#include "sig.h"
#include "statement.h"

enum who { NOBODY, ALICE, BOB, CAROL, MALLORY, RICK, EVE, SAM, ZED, NKEYS };

static const char *const uids[NKEYS] = {
	"", "Alice <alice@example.org>", "Bob <bob@example.org>", "Carol <carol@example.org>",
	"Mallory <mallory@example.org>", "Rick <rick@example.org>", "Eve <eve@example.org>",
	"Sam <sam@example.org>", "Zed <zed@example.org>"
};

static char home[64];            /* the GnuPG home with every key */
static char home2[64];           /* an empty one, for imports */
static char fpr[NKEYS][PG_FPR_SIZE];
static char sam_sub[PG_FPR_SIZE];
static char setup_error[256] = "setup did not run";
static int setup_ok;
static char *data;               /* canonical approval statement bytes */
static size_t data_len;
static char *other;              /* another statement */
static size_t other_len;
static char *policy_text;        /* the full policy */

/* ============================================================ helpers */

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	st = system(cmd);
	return st == -1 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* Runs a command and keeps its standard output (at most cap - 1 bytes). */
static int capture(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int capture(char *out, size_t cap, const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	FILE *p;
	size_t n;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return st == -1 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		if (buf) {
			buf[n] = '\0';
			if (len)
				*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

static int write_all(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(p, 1, n, f) == n;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* home/name; four buffers in turn, so one call may use several */
static char *file_in_home(const char *name)
{
	static char path[4][128];
	static unsigned k;
	char *p = path[k++ % 4];

	snprintf(p, sizeof path[0], "%s/%s", home, name);
	return p;
}

/* The n-th (0: primary) fingerprint of the key with this e-mail address. */
static int key_fpr(const char *email, int n, char out[PG_FPR_SIZE])
{
	char buf[8192], *line;
	int k = 0;

	if (capture(buf, sizeof buf, "gpg --homedir %s --batch --with-colons --list-keys '<%s>' 2>/dev/null",
	            home, email) != 0)
		return -1;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (strncmp(line, "fpr:", 4) != 0)
			continue;
		if (k++ == n) {
			char *f = line;

			for (int i = 0; i < 9 && f; i++)
				f = strchr(f + 1, ':');
			if (!f || strlen(f + 1) < PG_FPR_LEN)
				return -1;
			memcpy(out, f + 1, PG_FPR_LEN);
			out[PG_FPR_LEN] = '\0';
			return 0;
		}
	}
	return -1;
}

#define GPG "gpg --homedir %s --batch --no-tty --pinentry-mode loopback"

static int gen_key(enum who w, const char *email, const char *pass, const char *when)
{
	char faked[64] = "";

	if (when)
		snprintf(faked, sizeof faked, "--faked-system-time %s!", when);
	if (run(GPG " %s --passphrase '%s' --quick-gen-key '%s' ed25519 sign never >/dev/null 2>&1", home,
	        faked, pass, uids[w]) != 0)
		return -1;
	return key_fpr(email, 0, fpr[w]);
}

/* A detached armored signature over home/data by plain gpg. */
static int gpg_sign(const char *key, const char *out, const char *when)
{
	char faked[64] = "";

	if (when)
		snprintf(faked, sizeof faked, "--faked-system-time %s!", when);
	return run(GPG " %s --passphrase '' -u '%s' --detach-sign --armor -o %s %s >/dev/null 2>&1", home,
	           faked, key, file_in_home(out), file_in_home("data"));
}

static char *make_policy(const char *people, const char *publishers)
{
	char *p = NULL;

	if (asprintf(&p,
	             "{\"policy_version\": 1, \"allowed_inputs\": [\"text-question/v1\"],"
	             " \"allowed_outputs\": [\"worked-answer/v1\"], \"supported_backends\": [\"onnxruntime\"],"
	             " \"memory_ceiling_bytes\": 1000000000, \"max_risk_tier\": \"high\","
	             " \"evaluation\": {\"max_age_days\": 90, \"required_suites\": []},"
	             " \"environment_permissions\": {}, %s \"people\": [%s],"
	             " \"transitions\": [{\"from\": \"candidate\", \"to\": \"evaluated\", \"roles\": [\"reviewer\"]}]}",
	             publishers ? publishers : "", people) < 0)
		return NULL;
	return p;
}

static char *person(enum who w, const char *roles)
{
	char *p = NULL;
	char name[32];

	snprintf(name, sizeof name, "%.*s", (int)(strchr(uids[w], ' ') - uids[w]), uids[w]);
	if (asprintf(&p, "{\"fingerprint\": \"%s\", \"name\": \"%s\", \"roles\": [%s]}", fpr[w], name, roles) < 0)
		return NULL;
	return p;
}

static pg_policy *load_policy(const char *text)
{
	pg_policy *p = NULL;
	pg_error err;

	ck_assert_msg(pg_policy_parse(text, strlen(text), &p, &err) == PG_OK, "policy: %s", err.message);
	return p;
}

/* ============================================================ fixture */

static int make_statements(void)
{
	pg_stmt st;
	pg_error err;

	memset(&st, 0, sizeof st);
	st.kind = PG_STMT_APPROVAL;
	st.name = "skill.math.reasoner";
	st.version = "1.3.0";
	st.pack_id = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
	st.decision = PG_DECISION_APPROVE;
	st.target = PG_STATE_APPROVED;
	st.role = PG_PERSON_REVIEWER;
	st.comment = "fine";
	st.evaluation_card = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
	st.policy = "sha256:3333333333333333333333333333333333333333333333333333333333333333";
	st.signer = fpr[ALICE];
	st.signed_at = "2026-11-22T10:00:00Z";
	if (pg_stmt_build(&st, &data, &data_len, &err) != PG_OK)
		return -1;
	st.decision = PG_DECISION_REJECT;
	if (pg_stmt_build(&st, &other, &other_len, &err) != PG_OK)
		return -1;
	return write_all(file_in_home("data"), data, data_len);
}

#define STEP(cond, what)                                                  \
	do {                                                              \
		if (!(cond)) {                                            \
			snprintf(setup_error, sizeof setup_error, "%s", what); \
			return;                                           \
		}                                                         \
	} while (0)

static void gpg_setup(void)
{
	char *people = NULL, *parts[NKEYS] = { 0 };
	/* default-cache-ttl 0: a passphrase typed at a prompt is never cached,
	 * so every passphrase case meets the prompt.  max-cache-ttl must not be
	 * 0: the agent drops any entry older than it, a preset one included,
	 * and a loaded machine crosses a second between preset and use. */
	static const char agent_conf[] =
		"default-cache-ttl 0\nmax-cache-ttl 3600\nallow-loopback-pinentry\nallow-preset-passphrase\n";

	setup_ok = 0;
	strcpy(home, "/tmp/pgg.XXXXXX");
	strcpy(home2, "/tmp/pgi.XXXXXX");
	STEP(mkdtemp(home) != NULL, "mkdtemp");
	STEP(mkdtemp(home2) != NULL, "mkdtemp 2");
	STEP(write_all(file_in_home("gpg-agent.conf"), agent_conf, strlen(agent_conf)) == 0, "agent conf");

	STEP(gen_key(ALICE, "alice@example.org", "", NULL) == 0, "alice");
	STEP(gen_key(BOB, "bob@example.org", "", NULL) == 0, "bob");
	STEP(gen_key(CAROL, "carol@example.org", "secret", NULL) == 0, "carol");
	STEP(gen_key(MALLORY, "mallory@example.org", "", NULL) == 0, "mallory");
	STEP(gen_key(RICK, "rick@example.org", "", NULL) == 0, "rick");
	STEP(gen_key(EVE, "eve@example.org", "", "20200101T000000") == 0, "eve");
	STEP(gen_key(SAM, "sam@example.org", "", NULL) == 0, "sam");
	STEP(run(GPG " --passphrase '' --quick-add-key %s ed25519 sign never >/dev/null 2>&1", home,
	         fpr[SAM]) == 0, "sam subkey");
	STEP(key_fpr("sam@example.org", 1, sam_sub) == 0, "sam subkey fingerprint");
	STEP(gen_key(ZED, "zed@example.org", "", NULL) == 0, "zed");
	STEP(make_statements() == 0, "statements");

	/* signatures by plain gpg */
	STEP(gpg_sign(fpr[ALICE], "alice-gpg.asc", NULL) == 0, "alice signs");
	STEP(gpg_sign(fpr[ZED], "zed.asc", NULL) == 0, "zed signs");
	/* signatures that carry their own (other) content */
	STEP(write_all(file_in_home("other"), other, other_len) == 0, "other");
	STEP(run(GPG " --passphrase '' -u %s --armor --sign -o %s %s >/dev/null 2>&1", home, fpr[ALICE],
	         file_in_home("inline.asc"), file_in_home("other")) == 0, "alice signs inline");
	STEP(run(GPG " --passphrase '' -u %s --clearsign -o %s %s >/dev/null 2>&1", home, fpr[ALICE],
	         file_in_home("clear.asc"), file_in_home("other")) == 0, "alice clearsigns");
	STEP(gpg_sign(fpr[RICK], "rick.asc", NULL) == 0, "rick signs");
	STEP(gpg_sign(fpr[EVE], "eve-early.asc", "20200101T060000") == 0, "eve signs early");
	STEP(gpg_sign(fpr[EVE], "eve-late.asc", "20200103T000000") == 0, "eve signs late");
	{
		char subkey[PG_FPR_SIZE + 1];

		snprintf(subkey, sizeof subkey, "%s!", sam_sub);
		STEP(gpg_sign(subkey, "sam-sub.asc", NULL) == 0, "sam signs with the subkey");
	}
	STEP(run("gpg --homedir %s --batch --export --armor %s > %s 2>/dev/null", home, fpr[ALICE],
	         file_in_home("alice.pub")) == 0, "export alice");
	STEP(run("gpg --homedir %s --batch --export --armor %s > %s 2>/dev/null", home, fpr[BOB],
	         file_in_home("bob.pub")) == 0, "export bob");

	/* then: eve's key expires (2020-01-02 01:00), rick's is revoked, zed's leaves */
	STEP(run(GPG " --faked-system-time 20200101T010000! --passphrase '' --quick-set-expire %s 1d >/dev/null 2>&1",
	         home, fpr[EVE]) == 0, "eve expiry");
	STEP(run("printf 'y\\n0\\n\\ny\\n' | gpg --homedir %s --no-tty --yes --command-fd 0 --pinentry-mode loopback"
	         " --passphrase '' --armor -o %s --gen-revoke %s >/dev/null 2>&1", home, file_in_home("rick.rev"),
	         fpr[RICK]) == 0, "rick revocation");
	STEP(run("gpg --homedir %s --batch --import %s >/dev/null 2>&1", home, file_in_home("rick.rev")) == 0,
	     "rick revoked");
	STEP(run("gpg --homedir %s --batch --yes --delete-secret-and-public-key %s >/dev/null 2>&1", home,
	         fpr[ZED]) == 0, "zed deleted");

	/* the policy */
	parts[ALICE] = person(ALICE, "\"reviewer\"");
	parts[BOB] = person(BOB, "\"release-manager\"");
	parts[CAROL] = person(CAROL, "\"reviewer\"");
	parts[RICK] = person(RICK, "\"reviewer\"");
	parts[EVE] = person(EVE, "\"reviewer\"");
	parts[SAM] = person(SAM, "\"reviewer\"");
	parts[ZED] = person(ZED, "\"reviewer\"");
	if (asprintf(&people, "%s, %s, %s, %s, %s, %s, %s", parts[ALICE], parts[BOB], parts[CAROL], parts[RICK],
	             parts[EVE], parts[SAM], parts[ZED]) >= 0) {
		char pub[80];

		snprintf(pub, sizeof pub, "\"publishers\": [\"%s\"],", fpr[BOB]);
		policy_text = make_policy(people, pub);
	}
	free(people);
	for (int i = 0; i < NKEYS; i++)
		free(parts[i]);
	STEP(policy_text != NULL, "policy");
	setup_ok = 1;
	strcpy(setup_error, "");
}

/* How many processes other than this one have `s` in their command line
 * (what `pgrep -f` looks at), read from /proc; the first one's command line
 * goes into first. */
static int procs_mentioning(const char *s, char *first, size_t cap)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	if (first && cap)
		first[0] = '\0';
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char path[300], buf[4096];
		FILE *f;
		size_t len;

		if (de->d_name[0] < '1' || de->d_name[0] > '9' || atoi(de->d_name) == (int)getpid())
			continue;
		snprintf(path, sizeof path, "/proc/%s/cmdline", de->d_name);
		f = fopen(path, "rb");
		if (!f)
			continue;
		len = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		for (size_t i = 0; i < len; i++)
			if (buf[i] == '\0')
				buf[i] = ' ';
		buf[len] = '\0';
		if (strstr(buf, s)) {
			if (n++ == 0 && first)
				snprintf(first, cap, "%.16s: %.*s", de->d_name, (int)(cap > 32 ? cap - 32 : 0), buf);
		}
	}
	closedir(d);
	return n;
}

/* Stops every GnuPG daemon of dir and removes it; waits (at most 10 s) for
 * the daemons to be gone. */
static void kill_home(const char *dir)
{
	run("gpgconf --homedir %s --kill all >/dev/null 2>&1", dir);
	for (int i = 0; i < 100 && procs_mentioning(dir, NULL, 0) > 0; i++)
		usleep(100 * 1000);
	run("rm -rf %s", dir);
}

static void gpg_teardown(void)
{
	if (home[0])
		kill_home(home);
	if (home2[0])
		kill_home(home2);
	free(data);
	free(other);
	free(policy_text);
	data = other = policy_text = NULL;
}

#define NEED_SETUP() ck_assert_msg(setup_ok, "fixture failed at: %s", setup_error)

static pg_sig *open_home(const char *dir)
{
	pg_sig *s = NULL;
	pg_error err;

	ck_assert_msg(pg_sig_open(dir, &s, &err) == PG_OK, "open: %s", err.message);
	return s;
}

static char *sign_with(pg_sig *s, enum who w, const char *bytes, size_t len, size_t *siglen)
{
	char *sig = NULL;
	pg_error err;

	ck_assert_msg(pg_sig_sign(s, fpr[w], bytes, len, &sig, siglen, &err) == PG_OK, "sign: %s %s",
	              pg_code_name(err.code), err.message);
	ck_assert_ptr_nonnull(sig);
	ck_assert_int_eq(strncmp(sig, "-----BEGIN PGP SIGNATURE-----\n", 30), 0);
	return sig;
}

/* ============================================================ verify */

enum source {
	SRC_PG_ALICE,      /* pg_sig_sign by alice over data */
	SRC_PG_BOB,
	SRC_PG_MALLORY,
	SRC_PG_SAM,
	SRC_PG_ALICE_OTHER, /* alice over other bytes */
	SRC_PG_TAMPERED,   /* alice's, one character of the body changed, no CRC */
	SRC_FILE           /* a file the fixture made */
};

struct vcase {
	const char *name;
	enum source src;
	const char *file;
	int tamper_data;   /* flip a byte of data before verifying */
	enum who signer;   /* expected signer, NOBODY: none */
	int use_policy;
	unsigned role;
	pg_code code;
	const char *status;
	enum who key;      /* expected fingerprint and uid, NOBODY: "" */
	int expired_after;
	long long signed_at; /* exact, or -1: within the test's run time */
	const char *message; /* exact, @F = the key's fingerprint, @S = the signer's; NULL: prefix */
	const char *prefix;
};

static const struct vcase vcases[] = {
	{ "good", SRC_PG_ALICE, NULL, 0, ALICE, 1, PG_PERSON_REVIEWER, PG_OK, "good", ALICE, 0, -1, NULL,
	  "good signature by " },
	{ "good, reviewer or auditor", SRC_PG_ALICE, NULL, 0, ALICE, 1, PG_PERSON_REVIEWER | PG_PERSON_AUDITOR,
	  PG_OK, "good", ALICE, 0, -1, NULL, "good signature by " },
	{ "tampered statement", SRC_PG_ALICE, NULL, 1, ALICE, 1, PG_PERSON_REVIEWER, PG_SIG_BAD, "bad", NOBODY, 0,
	  0, "BAD signature: it does not match the signed bytes", NULL },
	{ "tampered signature", SRC_PG_TAMPERED, NULL, 0, ALICE, 1, PG_PERSON_REVIEWER, PG_SIG_BAD, "bad", NOBODY,
	  0, -2, NULL, NULL },
	{ "other bytes", SRC_PG_ALICE_OTHER, NULL, 0, ALICE, 1, PG_PERSON_REVIEWER, PG_SIG_BAD, "bad", NOBODY, 0,
	  0, "BAD signature: it does not match the signed bytes", NULL },
	{ "garbage", SRC_FILE, "data", 0, ALICE, 1, PG_PERSON_REVIEWER, PG_SIG_BAD, "bad", NOBODY, 0, 0,
	  "not an OpenPGP signature", NULL },
	{ "inline signature of other bytes", SRC_FILE, "inline.asc", 0, ALICE, 1, PG_PERSON_REVIEWER, PG_SIG_BAD,
	  "bad", NOBODY, 0, 0, "no detached signature found", NULL },
	{ "cleartext signature of other bytes", SRC_FILE, "clear.asc", 0, ALICE, 1, PG_PERSON_REVIEWER, PG_SIG_BAD,
	  "bad", NOBODY, 0, 0, "no detached signature found", NULL },
	{ "unknown key", SRC_FILE, "zed.asc", 0, ZED, 1, PG_PERSON_REVIEWER, PG_SIG_UNKNOWN_KEY, "problem", ZED, 0,
	  -1, "signed by the key @F, which is not in the keyring", NULL },
	{ "key outside the policy", SRC_PG_MALLORY, NULL, 0, MALLORY, 1, PG_PERSON_REVIEWER, PG_SIG_UNTRUSTED,
	  "problem", MALLORY, 0, -1, "signed by @F (Mallory <mallory@example.org>), who is not one of the policy's people",
	  NULL },
	{ "key outside the policy, no policy", SRC_PG_MALLORY, NULL, 0, MALLORY, 0, PG_PERSON_REVIEWER, PG_OK,
	  "good", MALLORY, 0, -1, NULL, "good signature by " },
	{ "wrong role", SRC_PG_BOB, NULL, 0, BOB, 1, PG_PERSON_REVIEWER, PG_SIG_UNTRUSTED, "problem", BOB, 0, -1,
	  "signed by @F (Bob), who does not hold the role reviewer", NULL },
	{ "right role", SRC_PG_BOB, NULL, 0, BOB, 1, PG_PERSON_RELEASE_MANAGER, PG_OK, "good", BOB, 0, -1, NULL,
	  "good signature by " },
	{ "fingerprint mismatch", SRC_PG_ALICE, NULL, 0, BOB, 1, PG_PERSON_REVIEWER, PG_SIG_UNTRUSTED, "problem",
	  ALICE, 0, -1, "signed by @F (Alice <alice@example.org>), not by @S", NULL },
	{ "publisher", SRC_PG_BOB, NULL, 0, BOB, 1, PG_SIG_PUBLISHER, PG_OK, "good", BOB, 0, -1, NULL,
	  "good signature by " },
	{ "not a publisher", SRC_PG_ALICE, NULL, 0, ALICE, 1, PG_SIG_PUBLISHER, PG_SIG_UNTRUSTED, "problem", ALICE,
	  0, -1, "signed by @F (Alice <alice@example.org>), who is not a publisher in the policy", NULL },
	{ "revoked", SRC_FILE, "rick.asc", 0, RICK, 1, PG_PERSON_REVIEWER, PG_SIG_REVOKED, "problem", RICK, 0, -1,
	  "signed by @F (Rick <rick@example.org>), a revoked key", NULL },
	{ "revoked, no policy", SRC_FILE, "rick.asc", 0, NOBODY, 0, 0, PG_SIG_REVOKED, "problem", RICK, 0, -1,
	  "signed by @F (Rick <rick@example.org>), a revoked key", NULL },
	{ "expired before signing", SRC_FILE, "eve-late.asc", 0, EVE, 1, PG_PERSON_REVIEWER, PG_SIG_EXPIRED,
	  "problem", EVE, 0, 1578009600LL,
	  "signed on 2020-01-03T00:00:00Z by @F (Eve <eve@example.org>), whose key had expired on 2020-01-02T01:00:00Z",
	  NULL },
	{ "expired after signing", SRC_FILE, "eve-early.asc", 0, EVE, 1, PG_PERSON_REVIEWER, PG_OK, "good", EVE, 1,
	  1577858400LL,
	  "good signature by @F (Eve <eve@example.org>), made 2020-01-01T06:00:00Z; the key has expired since, on 2020-01-02T01:00:00Z",
	  NULL },
	{ "subkey signature by gpg", SRC_FILE, "sam-sub.asc", 0, SAM, 1, PG_PERSON_REVIEWER, PG_OK, "good", SAM, 0,
	  -1, NULL, "good signature by " },
	{ "subkey signature by pg_sig", SRC_PG_SAM, NULL, 0, SAM, 1, PG_PERSON_REVIEWER, PG_OK, "good", SAM, 0, -1,
	  NULL, "good signature by " },
	{ "plain gpg --detach-sign", SRC_FILE, "alice-gpg.asc", 0, ALICE, 1, PG_PERSON_REVIEWER, PG_OK, "good",
	  ALICE, 0, -1, NULL, "good signature by " },
	{ "plain gpg, tampered statement", SRC_FILE, "alice-gpg.asc", 1, ALICE, 1, PG_PERSON_REVIEWER, PG_SIG_BAD,
	  "bad", NOBODY, 0, 0, "BAD signature: it does not match the signed bytes", NULL },
};

/* Replaces @F and @S in fmt. */
static void expand(char *out, size_t cap, const char *fmt, const char *f, const char *s)
{
	size_t n = 0;

	for (; *fmt && n + 1 < cap; fmt++) {
		if (fmt[0] == '@' && (fmt[1] == 'F' || fmt[1] == 'S')) {
			n += (size_t)snprintf(out + n, cap - n, "%s", fmt[1] == 'F' ? f : s);
			fmt++;
		} else {
			out[n++] = *fmt;
		}
	}
	out[n < cap ? n : cap - 1] = '\0';
}

/* Drops the armor checksum line and changes one character in the middle
 * of the last line of the body: the signature value changes. */
static void tamper_armor(char *a)
{
	char *crc = strstr(a, "\n=");
	char *end, *last;

	ck_assert_ptr_nonnull(crc);
	end = strchr(crc + 1, '\n');
	ck_assert_ptr_nonnull(end);
	memmove(crc + 1, end + 1, strlen(end + 1) + 1);
	/* crc + 1 is now the END line; the last body line ends at crc */
	last = crc - 1;
	while (last > a && last[-1] != '\n')
		last--;
	last += (crc - last) / 2;
	*last = *last == 'A' ? 'B' : 'A';
}

START_TEST(test_verify)
{
	const struct vcase *c = &vcases[_i];
	pg_sig *s;
	pg_policy *pol = NULL;
	char *sig = NULL, *bytes, want[1024];
	size_t siglen = 0;
	pg_sig_result r;
	pg_error err;
	time_t t0 = time(NULL);
	pg_code rc;

	NEED_SETUP();
	s = open_home(home);
	if (c->use_policy)
		pol = load_policy(policy_text);
	switch (c->src) {
	case SRC_PG_ALICE:
	case SRC_PG_TAMPERED:
		sig = sign_with(s, ALICE, data, data_len, &siglen);
		if (c->src == SRC_PG_TAMPERED) {
			tamper_armor(sig);
			siglen = strlen(sig);
		}
		break;
	case SRC_PG_BOB:
		sig = sign_with(s, BOB, data, data_len, &siglen);
		break;
	case SRC_PG_MALLORY:
		sig = sign_with(s, MALLORY, data, data_len, &siglen);
		break;
	case SRC_PG_SAM:
		sig = sign_with(s, SAM, data, data_len, &siglen);
		break;
	case SRC_PG_ALICE_OTHER:
		sig = sign_with(s, ALICE, other, other_len, &siglen);
		break;
	case SRC_FILE:
		sig = read_all(file_in_home(c->file), &siglen);
		ck_assert_ptr_nonnull(sig);
		break;
	}
	bytes = malloc(data_len);
	ck_assert_ptr_nonnull(bytes);
	memcpy(bytes, data, data_len);
	if (c->tamper_data)
		bytes[data_len / 2] ^= 0x01;

	pg_error_clear(&err);
	rc = pg_sig_verify(s, bytes, data_len, sig, siglen, c->signer ? fpr[c->signer] : NULL, pol, c->role, &r,
	                   &err);
	ck_assert_msg(rc == c->code, "%s: got %s (%s), want %s", c->name, pg_code_name(rc), r.message,
	              pg_code_name(c->code));
	ck_assert_int_eq(r.code, c->code);
	ck_assert_str_eq(r.status, c->status);
	ck_assert_str_eq(r.fingerprint, c->key ? fpr[c->key] : "");
	if (c->key && c->code != PG_SIG_UNKNOWN_KEY)
		ck_assert_str_eq(r.uid, uids[c->key]);
	else
		ck_assert_str_eq(r.uid, "");
	ck_assert_int_eq(r.expired_after_signing, c->expired_after);
	if (c->signed_at >= 0)
		ck_assert_int_eq((long long)r.signed_at, c->signed_at);
	else if (c->signed_at == -1 && c->src != SRC_FILE)
		ck_assert_msg(r.signed_at >= t0 - 1 && r.signed_at <= time(NULL) + 1, "signed_at %lld",
		              (long long)r.signed_at);
	if (c->message) {
		expand(want, sizeof want, c->message, c->key ? fpr[c->key] : "", c->signer ? fpr[c->signer] : "");
		ck_assert_str_eq(r.message, want);
	} else if (c->prefix) {
		ck_assert_msg(strncmp(r.message, c->prefix, strlen(c->prefix)) == 0, "message %s", r.message);
	}
	if (c->code) {
		ck_assert_int_eq(err.code, c->code);
		ck_assert_str_eq(err.message, r.message);
	} else {
		ck_assert_int_eq(err.code, PG_OK); /* untouched */
	}
	free(bytes);
	free(sig);
	pg_policy_free(pol);
	pg_sig_close(s);
}
END_TEST

/* Two signatures in one file count only when both do. */
START_TEST(test_verify_two_signatures)
{
	pg_sig *s;
	char *a, *b, *both;
	size_t alen, blen;
	pg_sig_result r;
	pg_error err;

	NEED_SETUP();
	s = open_home(home);
	a = sign_with(s, ALICE, data, data_len, &alen);
	b = sign_with(s, MALLORY, data, data_len, &blen);
	both = malloc(alen + blen + 1);
	ck_assert_ptr_nonnull(both);
	memcpy(both, a, alen);
	memcpy(both + alen, b, blen + 1);
	ck_assert_int_eq(pg_sig_verify(s, data, data_len, both, alen + blen, NULL, NULL, 0, &r, &err),
	                 PG_SIG_UNTRUSTED);
	ck_assert_str_eq(r.status, "problem");
	ck_assert_int_eq(pg_sig_verify(s, data, data_len, both, alen + blen, fpr[ALICE], NULL, 0, &r, &err),
	                 PG_SIG_UNTRUSTED);
	/* one signature twice: fine */
	memcpy(both + alen, a, alen + 1);
	ck_assert_int_eq(pg_sig_verify(s, data, data_len, both, 2 * alen, fpr[ALICE], NULL, 0, &r, &err), PG_OK);
	ck_assert_str_eq(r.fingerprint, fpr[ALICE]);
	free(a);
	free(b);
	free(both);
	pg_sig_close(s);
}
END_TEST

/* ============================================================ interop */

/* A signature made by pg_sig is accepted by plain gpg over the same bytes:
 * VALIDSIG names the signing (sub)key and, last, the primary key. */
static void gpg_accepts(enum who w, const char *signing_fpr)
{
	pg_sig *s;
	char *sig, status[8192], want[256], *line;
	size_t siglen;

	s = open_home(home);
	sig = sign_with(s, w, data, data_len, &siglen);
	ck_assert_int_eq(write_all(file_in_home("pg.asc"), sig, siglen), 0);
	ck_assert_int_eq(capture(status, sizeof status, "gpg --homedir %s --batch --status-fd 1 --verify %s %s 2>/dev/null",
	                         home, file_in_home("pg.asc"), file_in_home("data")), 0);
	snprintf(want, sizeof want, "[GNUPG:] VALIDSIG %s ", signing_fpr);
	line = strstr(status, want);
	ck_assert_msg(line != NULL, "no VALIDSIG in: %s", status);
	*strchrnul(line, '\n') = '\0';
	ck_assert_msg(strlen(line) > PG_FPR_LEN && strcmp(line + strlen(line) - PG_FPR_LEN, fpr[w]) == 0,
	              "primary not last: %s", line);
	ck_assert_ptr_nonnull(strstr(status, "[GNUPG:] GOODSIG "));
	free(sig);
	pg_sig_close(s);
}

START_TEST(test_gpg_verifies_ours)
{
	NEED_SETUP();
	gpg_accepts(ALICE, fpr[ALICE]);
	/* sam's key signs with its subkey */
	gpg_accepts(SAM, sam_sub);
}
END_TEST

/* ============================================================ passphrases */

struct prompt {
	const char *answer;   /* NULL: cancel */
	int calls;
	int prev_bad;
	char hint[256];
};

static int prompt_fn(void *ctx, const char *hint, int prev_was_bad, char *buf, size_t cap)
{
	struct prompt *p = ctx;

	p->calls++;
	p->prev_bad |= prev_was_bad;
	snprintf(p->hint, sizeof p->hint, "%s", hint);
	ck_assert_uint_eq(cap, PG_SIG_PASSPHRASE_MAX);
	if (!p->answer)
		return 1;
	snprintf(buf, cap, "%s", p->answer);
	return 0;
}

struct pcase {
	const char *name;
	enum who key;
	int with_prompt;
	const char *answer;
	pg_code code;
	int calls;
	const char *message;  /* @F: the key's fingerprint */
};

static const struct pcase pcases[] = {
	{ "right passphrase", CAROL, 1, "secret", PG_OK, 1, NULL },
	{ "wrong passphrase", CAROL, 1, "wrong", PG_IO_PERMISSION, 1,
	  "wrong passphrase for the key @F (Carol <carol@example.org>)" },
	{ "cancelled", CAROL, 1, NULL, PG_IO_PERMISSION, 1,
	  "passphrase entry cancelled for the key @F (Carol <carol@example.org>)" },
	{ "no prompt", CAROL, 0, NULL, PG_IO_PERMISSION, 0,
	  "the key @F (Carol <carol@example.org>) needs a passphrase and there is no way to ask for it" },
	{ "line break", CAROL, 1, "secret\nsecret", PG_IO_PERMISSION, 1, "a passphrase may not contain a line break" },
	{ "unprotected key", ALICE, 1, "ignored", PG_OK, 0, NULL },
};

START_TEST(test_passphrase)
{
	const struct pcase *c = &pcases[_i];
	struct prompt p = { c->answer, 0, 0, "" };
	pg_sig *s;
	char *sig = NULL, want[512];
	size_t siglen = 0;
	pg_sig_result r;
	pg_error err;
	pg_code rc;

	NEED_SETUP();
	s = open_home(home);
	if (c->with_prompt)
		pg_sig_set_passphrase(s, prompt_fn, &p);
	pg_error_clear(&err);
	rc = pg_sig_sign(s, fpr[c->key], data, data_len, &sig, &siglen, &err);
	ck_assert_msg(rc == c->code, "%s: got %s: %s", c->name, pg_code_name(rc), err.message);
	ck_assert_int_eq(p.calls, c->calls);
	if (c->calls) {
		/* the hint names the key, escaped */
		ck_assert_ptr_nonnull(strstr(p.hint, "Carol <carol@example.org>"));
	}
	if (c->code == PG_OK) {
		ck_assert_ptr_nonnull(sig);
		ck_assert_int_eq(pg_sig_verify(s, data, data_len, sig, siglen, fpr[c->key], NULL, 0, &r, &err), PG_OK);
		ck_assert_str_eq(r.fingerprint, fpr[c->key]);
	} else {
		ck_assert_ptr_null(sig);
		expand(want, sizeof want, c->message, fpr[c->key], "");
		ck_assert_str_eq(err.message, want);
		if (c->calls > 1)
			ck_assert_int_eq(p.prev_bad, 1);
	}
	free(sig);
	pg_sig_close(s);
}
END_TEST

/* A passphrase the agent holds never reaches the prompt. */
START_TEST(test_passphrase_cached)
{
	struct prompt p = { "wrong", 0, 0, "" };
	char out[4096], grip[64] = "", *line;
	pg_sig *s;
	char *sig = NULL;
	size_t siglen = 0;
	pg_sig_result r;
	pg_error err;

	NEED_SETUP();
	ck_assert_int_eq(capture(out, sizeof out, "gpg --homedir %s --batch --with-colons --with-keygrip "
	                         "--list-secret-keys %s 2>/dev/null", home, fpr[CAROL]), 0);
	line = strstr(out, "\ngrp:");
	ck_assert_ptr_nonnull(line);
	ck_assert_int_eq(sscanf(line, "\ngrp:::::::::%40[0-9A-F]", grip), 1);
	/* "secret" in hex, held until cleared */
	ck_assert_int_eq(capture(out, sizeof out, "gpg-connect-agent --homedir %s 'PRESET_PASSPHRASE %s -1 736563726574' "
	                         "/bye 2>&1", home, grip), 0);
	ck_assert_str_eq(out, "OK\n");
	s = open_home(home);
	pg_sig_set_passphrase(s, prompt_fn, &p);
	ck_assert_msg(pg_sig_sign(s, fpr[CAROL], data, data_len, &sig, &siglen, &err) == PG_OK, "%s: %s",
	              pg_code_name(err.code), err.message);
	ck_assert_int_eq(p.calls, 0);
	ck_assert_int_eq(pg_sig_verify(s, data, data_len, sig, siglen, fpr[CAROL], NULL, 0, &r, &err), PG_OK);
	ck_assert_int_eq(run("gpg-connect-agent --homedir %s 'CLEAR_PASSPHRASE --mode=normal %s' /bye "
	                     ">/dev/null 2>&1", home, grip), 0);
	free(sig);
	pg_sig_close(s);
}
END_TEST

/* ============================================================ keys */

START_TEST(test_secret_keys)
{
	pg_sig *s;
	pg_policy *pol;
	pg_sig_key *k = NULL;
	size_t n = 0;
	pg_error err;
	static const enum who in_policy[] = { ALICE, BOB, CAROL, SAM };
	static const enum who all[] = { ALICE, BOB, CAROL, MALLORY, SAM };

	NEED_SETUP();
	s = open_home(home);
	pol = load_policy(policy_text);
	/* rick (revoked), eve (expired) and zed (gone) never; mallory only
	 * without a policy; keyring order */
	ck_assert_int_eq(pg_sig_secret_keys(s, pol, &k, &n, &err), PG_OK);
	ck_assert_uint_eq(n, 4);
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(k[i].fingerprint, fpr[in_policy[i]]);
		ck_assert_str_eq(k[i].uid, uids[in_policy[i]]);
	}
	free(k);
	ck_assert_int_eq(pg_sig_secret_keys(s, NULL, &k, &n, &err), PG_OK);
	ck_assert_uint_eq(n, 5);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(k[i].fingerprint, fpr[all[i]]);
	free(k);
	pg_policy_free(pol);
	pg_sig_close(s);
}
END_TEST

struct kcase {
	const char *name;
	int policy;        /* 0 none, 1 full, 2 alice and zed, 3 zed only */
	const char *fpr;   /* literal, or NULL */
	enum who key;      /* --key of this person (when fpr is NULL) */
	int lower;         /* lowercase it */
	int subkey;        /* sam's subkey */
	pg_code code;
	enum who chosen;
	const char *message; /* exact with @F = the key's fingerprint; or NULL */
};

static const struct kcase kcases[] = {
	{ "--key", 1, NULL, BOB, 0, 0, PG_OK, BOB, NULL },
	{ "--key lowercase", 1, NULL, ALICE, 1, 0, PG_OK, ALICE, NULL },
	{ "--key subkey", 1, NULL, SAM, 0, 1, PG_OK, SAM, NULL },
	{ "--key outside the policy", 1, NULL, MALLORY, 0, 0, PG_OK, MALLORY, NULL },
	{ "--key revoked", 1, NULL, RICK, 0, 0, PG_SIG_REVOKED, NOBODY,
	  "the key @F (Rick <rick@example.org>) is revoked" },
	{ "--key expired", 1, NULL, EVE, 0, 0, PG_SIG_EXPIRED, NOBODY,
	  "the key @F (Eve <eve@example.org>) has expired" },
	{ "--key absent", 1, NULL, ZED, 0, 0, PG_SIG_UNKNOWN_KEY, NOBODY, "no secret key @F in the GnuPG home" },
	{ "--key not a fingerprint", 1, "alice", NOBODY, 0, 0, PG_SIG_UNKNOWN_KEY, NOBODY,
	  "\"alice\" is not an OpenPGP fingerprint (40 hex digits)" },
	{ "the only one", 2, NULL, NOBODY, 0, 0, PG_OK, ALICE, NULL },
	{ "several", 1, NULL, NOBODY, 0, 0, PG_SIG_UNKNOWN_KEY, NOBODY, NULL },
	{ "none", 3, NULL, NOBODY, 0, 0, PG_SIG_UNKNOWN_KEY, NOBODY, NULL },
};

START_TEST(test_choose_key)
{
	const struct kcase *c = &kcases[_i];
	pg_sig *s;
	pg_policy *pol = NULL;
	char *text = NULL, *a = NULL, *z = NULL, *ppl = NULL, arg[PG_FPR_SIZE], want[1024];
	const char *fp = c->fpr;
	pg_sig_key k;
	pg_error err;
	pg_code rc;

	NEED_SETUP();
	s = open_home(home);
	if (c->policy == 1) {
		pol = load_policy(policy_text);
	} else if (c->policy >= 2) {
		a = person(ALICE, "\"reviewer\"");
		z = person(ZED, "\"reviewer\"");
		ck_assert_int_ge(asprintf(&ppl, "%s%s%s", c->policy == 2 ? a : "", c->policy == 2 ? ", " : "", z), 0);
		text = make_policy(ppl, NULL);
		pol = load_policy(text);
	}
	if (!fp && c->key) {
		snprintf(arg, sizeof arg, "%s", c->subkey ? sam_sub : fpr[c->key]);
		if (c->lower)
			for (char *q = arg; *q; q++)
				*q = (char)(*q >= 'A' && *q <= 'F' ? *q - 'A' + 'a' : *q);
		fp = arg;
	}
	memset(&k, 0, sizeof k);
	pg_error_clear(&err);
	rc = pg_sig_choose_key(s, pol, fp, &k, &err);
	ck_assert_msg(rc == c->code, "%s: got %s: %s", c->name, pg_code_name(rc), err.message);
	if (c->code == PG_OK) {
		ck_assert_str_eq(k.fingerprint, fpr[c->chosen]);
		ck_assert_str_eq(k.uid, uids[c->chosen]);
	} else if (c->message) {
		expand(want, sizeof want, c->message, c->key ? fpr[c->key] : "", "");
		ck_assert_str_eq(err.message, want);
	} else if (c->policy == 1) {
		snprintf(want, sizeof want,
		         "several secret keys could sign; choose one with --key: %s (%s), %s (%s), %s (%s), %s (%s)",
		         fpr[ALICE], uids[ALICE], fpr[BOB], uids[BOB], fpr[CAROL], uids[CAROL], fpr[SAM], uids[SAM]);
		ck_assert_str_eq(err.message, want);
	} else {
		snprintf(want, sizeof want,
		         "no secret key of a person in the policy in the GnuPG home (secret keys there: "
		         "%s (%s), %s (%s), %s (%s), %s (%s), %s (%s))",
		         fpr[ALICE], uids[ALICE], fpr[BOB], uids[BOB], fpr[CAROL], uids[CAROL], fpr[MALLORY],
		         uids[MALLORY], fpr[SAM], uids[SAM]);
		ck_assert_str_eq(err.message, want);
	}
	free(text);
	free(a);
	free(z);
	free(ppl);
	pg_policy_free(pol);
	pg_sig_close(s);
}
END_TEST

/* ============================================================ import */

START_TEST(test_import)
{
	pg_sig *s;
	pg_sig_import_result res;
	char *pub, *sig;
	size_t publen, siglen;
	pg_sig_result r;
	pg_error err;

	NEED_SETUP();
	pub = read_all(file_in_home("alice.pub"), &publen);
	sig = read_all(file_in_home("alice-gpg.asc"), &siglen);
	ck_assert_ptr_nonnull(pub);
	ck_assert_ptr_nonnull(sig);
	s = open_home(home2);
	/* before the import the key is unknown here */
	ck_assert_int_eq(pg_sig_verify(s, data, data_len, sig, siglen, fpr[ALICE], NULL, 0, &r, &err),
	                 PG_SIG_UNKNOWN_KEY);
	ck_assert_int_eq(pg_sig_import(s, pub, publen, &res, &err), PG_OK);
	ck_assert_uint_eq(res.considered, 1);
	ck_assert_uint_eq(res.imported, 1);
	ck_assert_uint_eq(res.unchanged, 0);
	ck_assert_uint_eq(res.not_imported, 0);
	ck_assert_int_eq(pg_sig_import(s, pub, publen, &res, &err), PG_OK);
	ck_assert_uint_eq(res.considered, 1);
	ck_assert_uint_eq(res.imported, 0);
	ck_assert_uint_eq(res.unchanged, 1);
	ck_assert_int_eq(pg_sig_verify(s, data, data_len, sig, siglen, fpr[ALICE], NULL, 0, &r, &err), PG_OK);
	ck_assert_str_eq(r.uid, uids[ALICE]);
	{
		/* her public key alone cannot sign, and the refusal says it is there */
		pg_sig_key k;
		char want[512];
		ck_assert_int_eq(pg_sig_choose_key(s, NULL, fpr[ALICE], &k, &err), PG_SIG_UNKNOWN_KEY);
		snprintf(want, sizeof want,
		         "no secret key %s in the GnuPG home, only its public key (%s): the secret key is elsewhere, "
		         "or gpg-agent could not start for this home (gpg -K there tells)",
		         fpr[ALICE], uids[ALICE]);
		ck_assert_str_eq(err.message, want);
	}
	ck_assert_int_eq(pg_sig_import(s, "hello", 5, &res, &err), PG_SIG_UNKNOWN_KEY);
	ck_assert_str_eq(err.message, "no OpenPGP key in the input");
	free(pub);
	free(sig);
	pg_sig_close(s);
}
END_TEST

/* people[].public_key: each block must carry its person's key. */
START_TEST(test_import_policy)
{
	pg_sig *s;
	pg_policy *pol;
	pg_sig_import_result res;
	cJSON *doc, *people;
	char *apub, *bpub, *text, *a, *b, *ppl = NULL, *base, want[256];
	pg_error err;

	NEED_SETUP();
	apub = read_all(file_in_home("alice.pub"), NULL);
	bpub = read_all(file_in_home("bob.pub"), NULL);
	ck_assert_ptr_nonnull(apub);
	ck_assert_ptr_nonnull(bpub);
	a = person(ALICE, "\"reviewer\"");
	b = person(BOB, "\"release-manager\"");
	ck_assert_int_ge(asprintf(&ppl, "%s, %s", a, b), 0);
	base = make_policy(ppl, NULL);
	s = open_home(home2);

	/* alice's and bob's keys in place */
	doc = cJSON_Parse(base);
	people = cJSON_GetObjectItem(doc, "people");
	cJSON_AddStringToObject(cJSON_GetArrayItem(people, 0), "public_key", apub);
	cJSON_AddStringToObject(cJSON_GetArrayItem(people, 1), "public_key", bpub);
	text = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	pol = load_policy(text);
	ck_assert_int_eq(pg_sig_import_policy(s, pol, &res, &err), PG_OK);
	ck_assert_uint_eq(res.considered, 2);
	ck_assert_uint_eq(res.imported + res.unchanged, 2);
	ck_assert_uint_eq(res.not_imported, 0);
	pg_policy_free(pol);
	free(text);

	/* bob's key given for alice */
	doc = cJSON_Parse(base);
	people = cJSON_GetObjectItem(doc, "people");
	cJSON_AddStringToObject(cJSON_GetArrayItem(people, 0), "public_key", bpub);
	text = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	pol = load_policy(text);
	pg_error_clear(&err);
	ck_assert_int_eq(pg_sig_import_policy(s, pol, &res, &err), PG_SIG_UNKNOWN_KEY);
	ck_assert_str_eq(err.path, "people[0].public_key");
	snprintf(want, sizeof want, "people[0].public_key: does not hold the key %s of Alice", fpr[ALICE]);
	ck_assert_str_eq(err.message, want);
	pg_policy_free(pol);
	free(text);

	/* a block with no key in it */
	doc = cJSON_Parse(base);
	people = cJSON_GetObjectItem(doc, "people");
	cJSON_AddStringToObject(cJSON_GetArrayItem(people, 1), "public_key",
	                        "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n");
	text = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	pol = load_policy(text);
	ck_assert_int_eq(pg_sig_import_policy(s, pol, &res, &err), PG_SIG_UNKNOWN_KEY);
	ck_assert_str_eq(err.path, "people[1].public_key");
	ck_assert_str_eq(err.message, "people[1].public_key: no OpenPGP key in it");
	pg_policy_free(pol);
	free(text);

	free(apub);
	free(bpub);
	free(a);
	free(b);
	free(ppl);
	free(base);
	pg_sig_close(s);
}
END_TEST

/* ============================================================ packs */

struct entry_list {
	char path[32][128];
	char sha[32][PG_SHA256_HEX];
	size_t n;
};

/* Every entry of an archive, in order, with the SHA-256 of its data; and
 * the compression from the first bytes. */
static void list_entries(const char *path, struct entry_list *l, int *filter)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	unsigned char head[8] = { 0 };
	FILE *f = fopen(path, "rb");
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0), prev;
	int ret;

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(head, 1, sizeof head, f), sizeof head);
	fclose(f);
	*filter = head[0] == 0x1f && head[1] == 0x8b ? FX_COMPRESS_GZIP :
	          head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd ? FX_COMPRESS_ZSTD :
	          FX_COMPRESS_NONE;
	archive_read_support_format_tar(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_zstd(a);
	ck_assert_int_eq(archive_read_open_filename(a, path, 65536), ARCHIVE_OK);
	l->n = 0;
	/* names as their UTF-8 bytes, as the loader reads them */
	ck_assert_ptr_nonnull(utf8);
	prev = uselocale(utf8);
	while ((ret = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		pg_sha256 h;
		char buf[4096];
		la_ssize_t n;

		ck_assert_uint_lt(l->n, 32);
		snprintf(l->path[l->n], sizeof l->path[0], "%s", archive_entry_pathname(e));
		ck_assert_int_eq(archive_entry_mtime(e), 0);
		ck_assert_int_eq(archive_entry_uid(e), 0);
		ck_assert_int_eq(archive_entry_gid(e), 0);
		ck_assert_int_eq(archive_entry_perm(e), archive_entry_filetype(e) == AE_IFDIR ? 0755 : 0644);
		ck_assert_int_eq(pg_sha256_begin(&h, NULL), PG_OK);
		while ((n = archive_read_data(a, buf, sizeof buf)) > 0)
			pg_sha256_update(&h, buf, (size_t)n);
		ck_assert_int_eq(n, 0);
		pg_sha256_end(&h, l->sha[l->n]);
		l->n++;
	}
	uselocale(prev);
	freelocale(utf8);
	ck_assert_int_eq(ret, ARCHIVE_EOF);
	archive_read_free(a);
}

/* The good pack; `fancy` adds directories before the manifest and a member
 * with a non-ASCII name in a GNU tar archive. */
static void write_pack(const char *path, fx_compress comp, int fancy)
{
	fx_spec spec;

	ck_assert_int_eq(fx_spec_good(&spec), 0);
	spec.compress = comp;
	if (fancy) {
		spec.format = FX_FORMAT_GNUTAR;
		ck_assert_ptr_nonnull(fx_add(&spec, 0, FX_DIR, "docs/", 0, NULL, 0));
		ck_assert_ptr_nonnull(fx_add(&spec, 1, FX_DIR, "docs/more/", 0, NULL, 0));
		ck_assert_ptr_nonnull(fx_add_member(&spec, FX_END, "docs/r\xc3\xa9sum\xc3\xa9.md", "doc",
		                                    "# CV\n", 5));
		ck_assert_int_eq(fx_relist(&spec), 0);
	}
	ck_assert_int_eq(fx_write_pack(path, &spec), 0);
	fx_spec_free(&spec);
}

static void write_good_pack(const char *path, fx_compress comp)
{
	write_pack(path, comp, 0);
}

static pg_pack *load_pack(const char *path)
{
	pg_pack_opts o;
	pg_pack *p = NULL;
	pg_error err;

	pg_pack_opts_init(&o);
	ck_assert_msg(pg_pack_load(path, &o, &p, &err) == PG_OK, "load %s: %s", path, err.message);
	return p;
}

static void sig_name(enum who w, char out[64])
{
	snprintf(out, 64, "signatures/%s.asc", fpr[w]);
}

/* No temporary file is left in home. */
static void no_tmp_left(void)
{
	DIR *d = opendir(home);
	struct dirent *de;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		ck_assert_msg(strstr(de->d_name, ".tmp-") == NULL, "left behind: %s", de->d_name);
	closedir(d);
}

START_TEST(test_sign_pack)
{
	static const fx_compress comps[] = { FX_COMPRESS_NONE, FX_COMPRESS_GZIP, FX_COMPRESS_ZSTD,
		                             FX_COMPRESS_GZIP };
	fx_compress comp = comps[_i];
	char in[128], out[128], id[72], name[64];
	struct entry_list li, lo;
	int fin, fout;
	pg_sig *s;
	pg_policy *pol;
	pg_pack *pi, *po;
	pg_sig_result *res = NULL;
	size_t ngood = 9;
	pg_error err;

	NEED_SETUP();
	snprintf(in, sizeof in, "%s/in-%d.mpk", home, _i);
	snprintf(out, sizeof out, "%s/out-%d.mpk", home, _i);
	write_pack(in, comp, _i == 3);
	s = open_home(home);
	pol = load_policy(policy_text);
	pi = load_pack(in);

	/* unsigned: the policy's publisher requirement fails */
	ck_assert_int_eq(pg_sig_verify_pack(s, pi, pol, &res, &ngood, &err), PG_SIG_MISSING);
	ck_assert_str_eq(err.message, "no publisher signature; the policy requires one");
	ck_assert_ptr_null(res);
	ck_assert_uint_eq(ngood, 0);
	/* without a policy, nothing is required */
	ck_assert_int_eq(pg_sig_verify_pack(s, pi, NULL, &res, &ngood, &err), PG_OK);

	ck_assert_msg(pg_sig_sign_pack(s, in, out, fpr[BOB], NULL, id, &err) == PG_OK, "sign: %s", err.message);
	ck_assert_str_eq(id, pi->id);
	no_tmp_left();
	po = load_pack(out);
	ck_assert_str_eq(po->id, pi->id);
	ck_assert_uint_eq(po->nsigs, 1);
	sig_name(BOB, name);
	ck_assert_str_eq(po->sigs[0].path, name);
	ck_assert_int_eq(pg_sig_verify_pack(s, po, pol, &res, &ngood, &err), PG_OK);
	ck_assert_uint_eq(ngood, 1);
	ck_assert_int_eq(res[0].code, PG_OK);
	ck_assert_str_eq(res[0].status, "good");
	ck_assert_str_eq(res[0].fingerprint, fpr[BOB]);
	free(res);

	/* same entries, same bytes, same order, same compression; the signature last */
	list_entries(in, &li, &fin);
	list_entries(out, &lo, &fout);
	ck_assert_int_eq(fin, (int)comp);
	ck_assert_int_eq(fout, (int)comp);
	ck_assert_uint_eq(lo.n, li.n + 1);
	for (size_t i = 0; i < li.n; i++) {
		ck_assert_str_eq(lo.path[i], li.path[i]);
		ck_assert_str_eq(lo.sha[i], li.sha[i]);
	}
	ck_assert_str_eq(lo.path[li.n], name);
	if (_i == 3) {
		ck_assert_uint_eq(li.n, 12);
		ck_assert_str_eq(lo.path[0], "docs/");
		ck_assert_str_eq(lo.path[1], "docs/more/");
		ck_assert_str_eq(lo.path[2], "manifest.json");
		ck_assert_str_eq(lo.path[11], "docs/r\xc3\xa9sum\xc3\xa9.md");
	}
	{
		char hex[PG_SHA256_HEX];

		pg_sha256_hex(po->sigs[0].armored, po->sigs[0].len, hex);
		ck_assert_str_eq(lo.sha[li.n], hex);
	}
	pg_pack_free(po);
	pg_pack_free(pi);
	pg_policy_free(pol);
	pg_sig_close(s);
}
END_TEST

/* In place; a second key appends; the same key again replaces its own. */
START_TEST(test_sign_pack_in_place)
{
	char path[128], a[64], b[64];
	pg_sig *s;
	pg_policy *pol;
	pg_pack *p;
	pg_sig_result *res = NULL;
	size_t ngood = 0;
	pg_error err;
	char id0[72], id[72];

	NEED_SETUP();
	snprintf(path, sizeof path, "%s/inplace.mpk", home);
	write_good_pack(path, FX_COMPRESS_GZIP);
	p = load_pack(path);
	snprintf(id0, sizeof id0, "%s", p->id);
	pg_pack_free(p);
	s = open_home(home);
	pol = load_policy(policy_text);
	sig_name(ALICE, a);
	sig_name(BOB, b);

	ck_assert_int_eq(pg_sig_sign_pack(s, path, path, fpr[ALICE], NULL, id, &err), PG_OK);
	ck_assert_str_eq(id, id0);
	p = load_pack(path);
	ck_assert_uint_eq(p->nsigs, 1);
	/* alice is not a publisher */
	ck_assert_int_eq(pg_sig_verify_pack(s, p, pol, &res, &ngood, &err), PG_SIG_MISSING);
	ck_assert_uint_eq(ngood, 0);
	ck_assert_int_eq(res[0].code, PG_SIG_UNTRUSTED);
	{
		char want[256];

		snprintf(want, sizeof want, "no good signature by a publisher of the policy (%s sig.untrusted)", a);
		ck_assert_str_eq(err.message, want);
	}
	free(res);
	pg_pack_free(p);

	ck_assert_int_eq(pg_sig_sign_pack(s, path, path, fpr[BOB], NULL, id, &err), PG_OK);
	/* a lowercase fingerprint names the same file */
	{
		char lower[PG_FPR_SIZE];

		for (int i = 0; i <= PG_FPR_LEN; i++)
			lower[i] = (char)(fpr[ALICE][i] >= 'A' && fpr[ALICE][i] <= 'F' ? fpr[ALICE][i] + 32 : fpr[ALICE][i]);
		ck_assert_int_eq(pg_sig_sign_pack(s, path, path, lower, NULL, id, &err), PG_OK);
	}
	ck_assert_str_eq(id, id0);
	p = load_pack(path);
	ck_assert_uint_eq(p->nsigs, 2);
	ck_assert_str_eq(p->sigs[0].path, a);
	ck_assert_str_eq(p->sigs[1].path, b);
	ck_assert_int_eq(pg_sig_verify_pack(s, p, pol, &res, &ngood, &err), PG_OK);
	ck_assert_uint_eq(ngood, 1);
	ck_assert_int_eq(res[0].code, PG_SIG_UNTRUSTED);
	ck_assert_int_eq(res[1].code, PG_OK);
	free(res);
	pg_pack_free(p);
	no_tmp_left();
	pg_policy_free(pol);
	pg_sig_close(s);
}
END_TEST

/* A signature under another key's name, or under a name that is no
 * fingerprint, does not count. */
START_TEST(test_verify_pack_names)
{
	char path[128], name[64], want[512];
	fx_spec spec;
	pg_sig *s;
	pg_pack *p;
	pg_sig_result *res = NULL;
	char *sig;
	size_t siglen, ngood = 0;
	pg_error err;

	NEED_SETUP();
	snprintf(path, sizeof path, "%s/names.mpk", home);
	write_good_pack(path, FX_COMPRESS_NONE);
	p = load_pack(path);
	s = open_home(home);
	sig = sign_with(s, BOB, p->manifest_canon, p->manifest_canon_len, &siglen);
	pg_pack_free(p);

	ck_assert_int_eq(fx_spec_good(&spec), 0);
	sig_name(ALICE, name);
	ck_assert_ptr_nonnull(fx_add(&spec, FX_END, FX_FILE, name, 0, sig, siglen));
	ck_assert_ptr_nonnull(fx_add(&spec, FX_END, FX_FILE, "signatures/notes.asc", 0, sig, siglen));
	ck_assert_int_eq(fx_write_pack(path, &spec), 0);
	fx_spec_free(&spec);
	p = load_pack(path);
	ck_assert_uint_eq(p->nsigs, 2);
	ck_assert_int_eq(pg_sig_verify_pack(s, p, NULL, &res, &ngood, &err), PG_OK);
	ck_assert_uint_eq(ngood, 0);
	ck_assert_int_eq(res[0].code, PG_SIG_UNTRUSTED);
	snprintf(want, sizeof want, "signed by %s (%s), not by %s", fpr[BOB], uids[BOB], fpr[ALICE]);
	ck_assert_str_eq(res[0].message, want);
	ck_assert_int_eq(res[1].code, PG_SIG_UNTRUSTED);
	ck_assert_str_eq(res[1].status, "problem");
	ck_assert_str_eq(res[1].message, "signatures/notes.asc: the file name is not the signing key's fingerprint");
	free(res);
	free(sig);
	pg_pack_free(p);
	pg_sig_close(s);
}
END_TEST

START_TEST(test_sign_pack_fails_cleanly)
{
	char in[128], out[128];
	pg_sig *s;
	struct stat st;
	pg_error err;

	NEED_SETUP();
	snprintf(in, sizeof in, "%s/fail-in.mpk", home);
	snprintf(out, sizeof out, "%s/fail-out.mpk", home);
	write_good_pack(in, FX_COMPRESS_ZSTD);
	s = open_home(home);
	ck_assert_int_eq(pg_sig_sign_pack(s, in, out, fpr[ZED], NULL, NULL, &err), PG_SIG_UNKNOWN_KEY);
	ck_assert_int_eq(pg_sig_sign_pack(s, in, out, fpr[RICK], NULL, NULL, &err), PG_SIG_REVOKED);
	ck_assert_int_eq(pg_sig_sign_pack(s, "/nonexistent/x.mpk", out, fpr[BOB], NULL, NULL, &err),
	                 PG_IO_NOT_FOUND);
	ck_assert_int_ne(stat(out, &st), 0);
	ck_assert_int_eq(errno, ENOENT);
	no_tmp_left();
	pg_sig_close(s);
}
END_TEST

START_TEST(test_open_missing_home)
{
	pg_sig *s = (pg_sig *)1;
	pg_error err;

	ck_assert_int_eq(pg_sig_open("/nonexistent/gnupg", &s, &err), PG_IO_NOT_FOUND);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(pg_sig_init(&err), PG_OK);
	pg_sig_close(NULL);
}
END_TEST

/* ============================================================ cleanup */

/* While the keys are in use the agent runs on the home, and the scan that
 * the cleanup test relies on sees it. */
START_TEST(test_agent_seen)
{
	char out[1024];

	NEED_SETUP();
	ck_assert_int_ge(procs_mentioning(home, out, sizeof out), 1);
	ck_assert_ptr_nonnull(strstr(out, "gpg-agent"));
}
END_TEST

/* Runs after the gpg test case's teardown: nothing is left running on the
 * throwaway homes, and they are gone. */
START_TEST(test_no_agent_left)
{
	char out[1024];
	struct stat st;

	ck_assert_msg(home[0] && home2[0], "the fixture never ran");
	ck_assert_msg(procs_mentioning(home, out, sizeof out) == 0, "still running: %s", out);
	ck_assert_msg(procs_mentioning(home2, out, sizeof out) == 0, "still running: %s", out);
	ck_assert_int_ne(stat(home, &st), 0);
	ck_assert_int_ne(stat(home2, &st), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sig");
	TCase *tg = tcase_create("gpg");
	TCase *tc = tcase_create("cleanup");

	tcase_add_unchecked_fixture(tg, gpg_setup, gpg_teardown);
	tcase_set_timeout(tg, 120);
	tcase_add_test(tg, test_open_missing_home);
	tcase_add_loop_test(tg, test_verify, 0, (int)(sizeof vcases / sizeof vcases[0]));
	tcase_add_test(tg, test_verify_two_signatures);
	tcase_add_test(tg, test_gpg_verifies_ours);
	tcase_add_loop_test(tg, test_passphrase, 0, (int)(sizeof pcases / sizeof pcases[0]));
	tcase_add_test(tg, test_passphrase_cached);
	tcase_add_test(tg, test_secret_keys);
	tcase_add_loop_test(tg, test_choose_key, 0, (int)(sizeof kcases / sizeof kcases[0]));
	tcase_add_test(tg, test_import);
	tcase_add_test(tg, test_import_policy);
	tcase_add_loop_test(tg, test_sign_pack, 0, 4);
	tcase_add_test(tg, test_sign_pack_in_place);
	tcase_add_test(tg, test_verify_pack_names);
	tcase_add_test(tg, test_sign_pack_fails_cleanly);
	tcase_add_test(tg, test_agent_seen);
	suite_add_tcase(s, tg);
	tcase_add_test(tc, test_no_agent_left);
	suite_add_tcase(s, tc);
	return pg_check_run(s);
}
