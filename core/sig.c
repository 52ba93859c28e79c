/* sig.c — OpenPGP through GPGME: key import and listing, detached
 * signatures, the verification rule of section 6, and publisher signatures
 * of packs.  Only GPGME's result structures are read; gpg's text output
 * never is.  doc/signatures.md states the rules. */
#include "sig.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <gpgme.h>

#include "buf.h"
#include "build.h"
#include "escape.h"
#include "rfc3339.h"

#define GPGME_MIN_VERSION "1.18.0"
#define MAX_PASSPHRASE_CALLS 3
#define COPY_BLOCK (64 * 1024)

struct pg_sig {
	gpgme_ctx_t ctx;
	pg_sig_passphrase_fn pass_fn;
	void *pass_ctx;
	/* state of the current signing operation */
	unsigned pass_calls;
	int pass_bad;         /* a passphrase was refused */
	int pass_cancelled;   /* the prompt was cancelled or missing */
	int pass_invalid;     /* the prompt gave a line break */
};

/* ============================================================ helpers */

/* Codes for failures of GnuPG itself (not of the signature or key). */
static pg_code env_code(gpgme_error_t e)
{
	switch (gpgme_err_code(e)) {
	case GPG_ERR_ENOMEM:
		return PG_IO_MEMORY;
	case GPG_ERR_INV_ENGINE:
	case GPG_ERR_ENGINE_TOO_OLD:
	case GPG_ERR_ENOENT:
	case GPG_ERR_ENOEXEC:
		return PG_IO_NOT_FOUND;
	case GPG_ERR_EACCES:
	case GPG_ERR_EPERM:
		return PG_IO_PERMISSION;
	default:
		return PG_IO_READ;
	}
}

static int is_env_error(gpgme_error_t e)
{
	switch (gpgme_err_code(e)) {
	case GPG_ERR_ENOMEM:
	case GPG_ERR_INV_ENGINE:
	case GPG_ERR_ENGINE_TOO_OLD:
	case GPG_ERR_ENOENT:
	case GPG_ERR_ENOEXEC:
	case GPG_ERR_EACCES:
	case GPG_ERR_EPERM:
	case GPG_ERR_EPIPE:
	case GPG_ERR_EIO:
		return 1;
	default:
		return 0;
	}
}

static void gerr_text(gpgme_error_t e, char *buf, size_t cap)
{
	if (gpgme_strerror_r(e, buf, cap) != 0)
		snprintf(buf, cap, _("GPGME error %u"), (unsigned)gpgme_err_code(e));
}

static pg_code gpg_fail(pg_error *err, gpgme_error_t e, const char *what)
{
	char msg[256];

	gerr_text(e, msg, sizeof msg);
	return pg_err(err, env_code(e), _("GnuPG: %s: %s"), what, msg);
}

static pg_code oom(pg_error *err)
{
	return pg_err(err, PG_IO_MEMORY, _("out of memory"));
}

/* Copies a raw user id into dst (PG_SIG_UID_SIZE), cut before a character
 * that does not fit whole. */
static void copy_uid(char *dst, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (n >= PG_SIG_UID_SIZE) {
		n = PG_SIG_UID_SIZE - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The first user id that is neither revoked nor invalid, else the first. */
static const char *key_uid(gpgme_key_t key)
{
	for (gpgme_user_id_t u = key->uids; u; u = u->next)
		if (!u->revoked && !u->invalid && u->uid)
			return u->uid;
	return key->uids && key->uids->uid ? key->uids->uid : "";
}

static void fill_key(pg_sig_key *k, gpgme_key_t key)
{
	if (!key->subkeys || !pg_fpr_normalize(key->subkeys->fpr, k->fingerprint))
		k->fingerprint[0] = '\0';
	copy_uid(k->uid, key_uid(key));
}

/* True when the secret key can make a signature now. */
static int usable_secret(gpgme_key_t key)
{
	if (key->revoked || key->expired || key->disabled || key->invalid || !key->subkeys)
		return 0;
	for (gpgme_subkey_t sk = key->subkeys; sk; sk = sk->next)
		if (sk->can_sign && sk->secret && !sk->revoked && !sk->expired && !sk->disabled &&
		    !sk->invalid)
			return 1;
	return 0;
}

static int fpr_equal(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

/* ============================================================ handle */

pg_code pg_sig_init(pg_error *err)
{
	gpgme_error_t e;

	if (!gpgme_check_version(GPGME_MIN_VERSION))
		return pg_err(err, PG_IO_NOT_FOUND, _("GPGME %s or later is needed (found %s)"),
		              GPGME_MIN_VERSION, gpgme_check_version(NULL));
	e = gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP);
	if (e) {
		char msg[256];

		gerr_text(e, msg, sizeof msg);
		return pg_err(err, PG_IO_NOT_FOUND, _("GnuPG (gpg) is not installed or too old: %s"), msg);
	}
	return PG_OK;
}

/* GPGME's passphrase hook: asks the caller's prompt, hands the passphrase
 * to gpg on fd, wipes it. */
static gpgme_error_t passphrase_hook(void *hook, const char *uid_hint, const char *info,
                                     int prev_was_bad, int fd)
{
	pg_sig *s = hook;
	char buf[PG_SIG_PASSPHRASE_MAX];
	char *hint;
	size_t n;
	int rc, bad;

	(void)info;
	if (prev_was_bad)
		s->pass_bad = 1;
	if (!s->pass_fn || s->pass_calls >= MAX_PASSPHRASE_CALLS) {
		s->pass_cancelled = 1;
		return gpg_error(GPG_ERR_CANCELED);
	}
	s->pass_calls++;
	hint = pg_escape_str(uid_hint ? uid_hint : "");
	if (!hint)
		return gpg_error(GPG_ERR_ENOMEM);
	buf[0] = '\0';
	rc = s->pass_fn(s->pass_ctx, hint, prev_was_bad, buf, sizeof buf);
	free(hint);
	buf[sizeof buf - 1] = '\0';
	n = strlen(buf);
	bad = strpbrk(buf, "\r\n") != NULL;
	if (rc || bad) {
		explicit_bzero(buf, sizeof buf);
		if (bad)
			s->pass_invalid = 1;
		else
			s->pass_cancelled = 1;
		return gpg_error(GPG_ERR_CANCELED);
	}
	rc = gpgme_io_writen(fd, buf, n);
	explicit_bzero(buf, sizeof buf);
	if (rc == 0)
		rc = gpgme_io_writen(fd, "\n", 1);
	return rc ? gpg_error_from_syserror() : 0;
}

pg_code pg_sig_open(const char *homedir, pg_sig **out, pg_error *err)
{
	pg_sig *s = NULL;
	struct stat st;
	gpgme_error_t e;
	pg_code rc;

	*out = NULL;
	rc = pg_sig_init(err);
	if (rc)
		return rc;
	if (homedir) {
		if (stat(homedir, &st) != 0)
			return pg_err_errno(err, errno, 0, homedir);
		if (!S_ISDIR(st.st_mode))
			return pg_err(err, PG_IO_NOT_FOUND, _("%s: not a directory"), homedir);
	}
	s = calloc(1, sizeof *s);
	if (!s)
		return oom(err);
	e = gpgme_new(&s->ctx);
	if (e) {
		rc = gpg_fail(err, e, _("creating a context"));
		goto out;
	}
	if ((e = gpgme_set_protocol(s->ctx, GPGME_PROTOCOL_OpenPGP)) != 0 ||
	    (e = gpgme_ctx_set_engine_info(s->ctx, GPGME_PROTOCOL_OpenPGP, NULL, homedir)) != 0 ||
	    (e = gpgme_set_keylist_mode(s->ctx, GPGME_KEYLIST_MODE_LOCAL)) != 0 ||
	    (e = gpgme_set_pinentry_mode(s->ctx, GPGME_PINENTRY_MODE_LOOPBACK)) != 0) {
		rc = gpg_fail(err, e, _("setting up the context"));
		goto out;
	}
	gpgme_set_armor(s->ctx, 1);
	gpgme_set_textmode(s->ctx, 0);
	/* no dirmngr: nothing is fetched from keyservers or WKD, whatever
	 * gpg.conf says about auto-key-retrieve */
	gpgme_set_offline(s->ctx, 1);
	gpgme_set_passphrase_cb(s->ctx, passphrase_hook, s);
	*out = s;
	s = NULL;
out:
	pg_sig_close(s);
	return rc;
}

void pg_sig_close(pg_sig *s)
{
	if (!s)
		return;
	if (s->ctx)
		gpgme_release(s->ctx);
	free(s);
}

void pg_sig_set_passphrase(pg_sig *s, pg_sig_passphrase_fn fn, void *ctx)
{
	s->pass_fn = fn;
	s->pass_ctx = fn ? ctx : NULL;
}

/* ============================================================ import */

/* Imports buf; *r is GPGME's result (valid until the next operation). */
static pg_code import_one(pg_sig *s, const char *buf, size_t len, gpgme_import_result_t *r,
                          pg_sig_import_result *res, pg_error *err)
{
	gpgme_data_t d = NULL;
	gpgme_error_t e;
	pg_code rc = PG_OK;

	*r = NULL;
	e = gpgme_data_new_from_mem(&d, buf, len, 0);
	if (e)
		return gpg_fail(err, e, _("importing keys"));
	e = gpgme_op_import(s->ctx, d);
	if (e) {
		if (is_env_error(e))
			rc = gpg_fail(err, e, _("importing keys"));
		else
			rc = pg_err(err, PG_SIG_UNKNOWN_KEY, _("no OpenPGP key in the input"));
		goto out;
	}
	*r = gpgme_op_import_result(s->ctx);
	if (!*r || (*r)->considered == 0) {
		rc = pg_err(err, PG_SIG_UNKNOWN_KEY, _("no OpenPGP key in the input"));
		goto out;
	}
	if (res) {
		res->considered += (unsigned)(*r)->considered;
		res->imported += (unsigned)(*r)->imported;
		res->unchanged += (unsigned)(*r)->unchanged;
		res->not_imported += (unsigned)(*r)->not_imported;
	}
out:
	gpgme_data_release(d);
	return rc;
}

pg_code pg_sig_import(pg_sig *s, const char *buf, size_t len, pg_sig_import_result *res,
                      pg_error *err)
{
	gpgme_import_result_t r;

	if (res)
		memset(res, 0, sizeof *res);
	return import_one(s, buf, len, &r, res, err);
}

pg_code pg_sig_import_policy(pg_sig *s, const pg_policy *p, pg_sig_import_result *res,
                             pg_error *err)
{
	if (res)
		memset(res, 0, sizeof *res);
	for (size_t i = 0; i < p->npeople; i++) {
		const pg_policy_person *pp = &p->people[i];
		gpgme_import_result_t r;
		gpgme_import_status_t st;
		pg_code rc;

		if (!pp->public_key)
			continue;
		rc = import_one(s, pp->public_key, strlen(pp->public_key), &r, res, err);
		if (rc) {
			if (rc == PG_SIG_UNKNOWN_KEY) {
				pg_error_path(err, "people[%zu].public_key", i);
				rc = pg_err(err, rc, _("people[%zu].public_key: no OpenPGP key in it"), i);
			}
			return rc;
		}
		for (st = r->imports; st; st = st->next)
			if (!st->result && fpr_equal(st->fpr, pp->fingerprint))
				break;
		if (!st) {
			pg_error_path(err, "people[%zu].public_key", i);
			return pg_err(err, PG_SIG_UNKNOWN_KEY,
			              _("people[%zu].public_key: does not hold the key %s of %s"), i,
			              pp->fingerprint, pp->name);
		}
	}
	return PG_OK;
}

/* ============================================================ keys */

pg_code pg_sig_secret_keys(pg_sig *s, const pg_policy *p, pg_sig_key **keys, size_t *n,
                           pg_error *err)
{
	pg_sig_key *v = NULL;
	size_t cnt = 0, cap = 0;
	gpgme_key_t key;
	gpgme_error_t e;
	pg_code rc = PG_OK;

	*keys = NULL;
	*n = 0;
	e = gpgme_op_keylist_start(s->ctx, NULL, 1);
	if (e)
		return gpg_fail(err, e, _("listing secret keys"));
	while ((e = gpgme_op_keylist_next(s->ctx, &key)) == 0) {
		if (usable_secret(key) && (!p || pg_policy_person_find(p, key->subkeys->fpr))) {
			if (cnt == cap) {
				size_t ncap = cap ? cap * 2 : 4;
				pg_sig_key *nv = realloc(v, ncap * sizeof *nv);

				if (!nv) {
					gpgme_key_unref(key);
					rc = oom(err);
					goto out;
				}
				v = nv;
				cap = ncap;
			}
			fill_key(&v[cnt++], key);
		}
		gpgme_key_unref(key);
	}
	if (gpgme_err_code(e) != GPG_ERR_EOF) {
		rc = gpg_fail(err, e, _("listing secret keys"));
		goto out;
	}
	*keys = v;
	*n = cnt;
	v = NULL;
out:
	gpgme_op_keylist_end(s->ctx);
	free(v);
	return rc;
}

/* Lists keys as "FPR (uid), FPR (uid)" into b. */
static void describe_keys(pg_buf *b, const pg_sig_key *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pg_buf_printf(b, "%s%s (%s)", i ? ", " : "", k[i].fingerprint, k[i].uid);
}

/* The secret key fpr, checked usable, into *out (may be NULL) and *keyp
 * (may be NULL; the caller unrefs). */
static pg_code secret_key(pg_sig *s, const char *fpr, pg_sig_key *out, gpgme_key_t *keyp,
                          pg_error *err)
{
	char norm[PG_FPR_SIZE];
	gpgme_key_t key = NULL;
	gpgme_error_t e;
	pg_code rc = PG_OK;

	if (keyp)
		*keyp = NULL;
	if (!fpr || !pg_fpr_normalize(fpr, norm))
		return pg_err(err, PG_SIG_UNKNOWN_KEY, _("\"%s\" is not an OpenPGP fingerprint (40 hex digits)"),
		              fpr ? fpr : "");
	e = gpgme_get_key(s->ctx, norm, &key, 1);
	if (e) {
		if (is_env_error(e))
			return gpg_fail(err, e, _("looking up a secret key"));
		/* gpg lists no secret key when gpg-agent, which holds them, cannot
		 * start (a home whose socket path is too long, say): say so when
		 * the public key is there, instead of only "no secret key" */
		if (gpgme_get_key(s->ctx, norm, &key, 0) == 0) {
			rc = pg_err(err, PG_SIG_UNKNOWN_KEY,
			            _("no secret key %s in the GnuPG home, only its public key (%s): the secret key is "
			              "elsewhere, or gpg-agent could not start for this home (gpg -K there tells)"),
			            norm, key_uid(key));
			gpgme_key_unref(key);
			return rc;
		}
		return pg_err(err, PG_SIG_UNKNOWN_KEY, _("no secret key %s in the GnuPG home"), norm);
	}
	if (key->revoked)
		rc = pg_err(err, PG_SIG_REVOKED, _("the key %s (%s) is revoked"), norm, key_uid(key));
	else if (key->expired)
		rc = pg_err(err, PG_SIG_EXPIRED, _("the key %s (%s) has expired"), norm, key_uid(key));
	else if (!usable_secret(key))
		rc = pg_err(err, PG_SIG_UNKNOWN_KEY, _("the key %s (%s) has no usable secret signing key"),
		            norm, key_uid(key));
	if (!rc && out)
		fill_key(out, key);
	if (!rc && keyp)
		*keyp = key;
	else
		gpgme_key_unref(key);
	return rc;
}

pg_code pg_sig_choose_key(pg_sig *s, const pg_policy *p, const char *fpr, pg_sig_key *out,
                          pg_error *err)
{
	pg_sig_key *keys = NULL, *all = NULL;
	size_t n = 0, nall = 0;
	pg_buf b;
	pg_code rc;

	if (fpr)
		return secret_key(s, fpr, out, NULL, err);
	pg_buf_init(&b, 900);
	rc = pg_sig_secret_keys(s, p, &keys, &n, err);
	if (rc)
		goto out;
	if (n == 1) {
		*out = keys[0];
		goto out;
	}
	if (n > 1) {
		describe_keys(&b, keys, n);
		rc = pg_err(err, PG_SIG_UNKNOWN_KEY, _("several secret keys could sign; choose one with --key: %s"),
		            b.data ? b.data : "");
		goto out;
	}
	if (p) {
		rc = pg_sig_secret_keys(s, NULL, &all, &nall, err);
		if (rc)
			goto out;
		describe_keys(&b, all, nall);
		rc = pg_err(err, PG_SIG_UNKNOWN_KEY,
		            _("no secret key of a person in the policy in the GnuPG home (secret keys there: %s)"),
		            nall ? b.data : _("none"));
	} else {
		rc = pg_err(err, PG_SIG_UNKNOWN_KEY, _("no usable secret key in the GnuPG home"));
	}
out:
	pg_buf_free(&b);
	free(keys);
	free(all);
	return rc;
}

/* ============================================================ sign */

pg_code pg_sig_sign(pg_sig *s, const char *fpr, const void *data, size_t len, char **armored,
                    size_t *armored_len, pg_error *err)
{
	gpgme_key_t key = NULL;
	gpgme_data_t in = NULL, outd = NULL;
	gpgme_sign_result_t sr;
	gpgme_error_t e;
	pg_sig_key k;
	char *mem = NULL;
	size_t n = 0;
	pg_code rc;

	*armored = NULL;
	rc = secret_key(s, fpr, &k, &key, err);
	if (rc)
		return rc;
	gpgme_signers_clear(s->ctx);
	e = gpgme_signers_add(s->ctx, key);
	if (!e)
		e = gpgme_data_new_from_mem(&in, data, len, 0);
	if (!e)
		e = gpgme_data_new(&outd);
	if (e) {
		rc = gpg_fail(err, e, _("preparing to sign"));
		goto out;
	}
	s->pass_calls = 0;
	s->pass_bad = s->pass_cancelled = s->pass_invalid = 0;
	e = gpgme_op_sign(s->ctx, in, outd, GPGME_SIG_MODE_DETACH);
	if (e) {
		switch (gpgme_err_code(e)) {
		case GPG_ERR_BAD_PASSPHRASE:
			rc = pg_err(err, PG_IO_PERMISSION, _("wrong passphrase for the key %s (%s)"),
			            k.fingerprint, k.uid);
			break;
		case GPG_ERR_CANCELED:
		case GPG_ERR_FULLY_CANCELED:
		case GPG_ERR_NO_PASSPHRASE:
		case GPG_ERR_NO_PIN:
			if (s->pass_invalid)
				rc = pg_err(err, PG_IO_PERMISSION, _("a passphrase may not contain a line break"));
			else if (s->pass_bad)
				rc = pg_err(err, PG_IO_PERMISSION, _("wrong passphrase for the key %s (%s)"),
				            k.fingerprint, k.uid);
			else if (!s->pass_fn)
				rc = pg_err(err, PG_IO_PERMISSION,
				            _("the key %s (%s) needs a passphrase and there is no way to ask for it"),
				            k.fingerprint, k.uid);
			else
				rc = pg_err(err, PG_IO_PERMISSION, _("passphrase entry cancelled for the key %s (%s)"),
				            k.fingerprint, k.uid);
			break;
		case GPG_ERR_NO_SECKEY:
		case GPG_ERR_UNUSABLE_SECKEY:
			rc = pg_err(err, PG_SIG_UNKNOWN_KEY, _("the key %s (%s) cannot sign"), k.fingerprint, k.uid);
			break;
		default:
			rc = gpg_fail(err, e, _("signing"));
			break;
		}
		goto out;
	}
	sr = gpgme_op_sign_result(s->ctx);
	if (!sr || sr->invalid_signers || !sr->signatures) {
		rc = pg_err(err, PG_SIG_UNKNOWN_KEY, _("the key %s (%s) cannot sign"), k.fingerprint, k.uid);
		goto out;
	}
	mem = gpgme_data_release_and_get_mem(outd, &n);
	outd = NULL;
	if (!mem || !n) {
		rc = pg_err(err, PG_IO_READ, _("GnuPG made an empty signature"));
		goto out;
	}
	*armored = malloc(n + 1);
	if (!*armored) {
		rc = oom(err);
		goto out;
	}
	memcpy(*armored, mem, n);
	(*armored)[n] = '\0';
	if (armored_len)
		*armored_len = n;
out:
	gpgme_signers_clear(s->ctx);
	if (mem)
		gpgme_free(mem);
	gpgme_data_release(in);
	gpgme_data_release(outd);
	gpgme_key_unref(key);
	return rc;
}

/* ============================================================ verify */

static void fmt_time(time_t t, char buf[32])
{
	pg_rfc3339_format(t, buf);
}

/* Sets the result's code, status and message (escaped through pg_err). */
static pg_code judge(pg_sig_result *r, pg_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static pg_code judge(pg_sig_result *r, pg_code code, const char *fmt, ...)
{
	pg_error e;
	va_list ap;

	pg_error_clear(&e);
	va_start(ap, fmt);
	pg_verr(&e, code, fmt, ap);
	va_end(ap);
	r->code = code;
	r->status = code == PG_OK ? "good" : code == PG_SIG_BAD ? "bad" : "problem";
	memcpy(r->message, e.message, sizeof r->message);
	r->message[sizeof r->message - 1] = '\0';
	return code;
}

/* The subkey of key that made the signature (fpr: fingerprint or key id),
 * else the primary. */
static gpgme_subkey_t signing_subkey(gpgme_key_t key, const char *fpr)
{
	size_t n = fpr ? strlen(fpr) : 0;

	for (gpgme_subkey_t sk = key->subkeys; sk && n; sk = sk->next) {
		size_t m = sk->fpr ? strlen(sk->fpr) : 0;

		if (m >= n && strcasecmp(sk->fpr + m - n, fpr) == 0)
			return sk;
	}
	return key->subkeys;
}

/* Judges one signature under the rule (sig.h, steps 1-8). */
static pg_code judge_one(pg_sig *s, gpgme_signature_t g, const char *signer, const pg_policy *policy,
                         unsigned role, pg_sig_result *r, pg_error *err)
{
	gpg_err_code_t st = gpgme_err_code(g->status);
	unsigned sum = (unsigned)g->summary;
	const char *sfpr = g->fpr ? g->fpr : "";
	gpgme_key_t key = NULL;
	gpgme_subkey_t sk;
	gpgme_error_t e;
	char when[32], exp[32];
	long expires = 0;
	pg_code rc;

	memset(r, 0, sizeof *r);
	r->signed_at = (time_t)g->timestamp;
	fmt_time(r->signed_at, when);

	/* 1 */
	if (st == GPG_ERR_BAD_SIGNATURE)
		return judge(r, PG_SIG_BAD, _("BAD signature: it does not match the signed bytes"));
	/* 2 */
	if (st == GPG_ERR_NO_PUBKEY || (sum & GPGME_SIGSUM_KEY_MISSING)) {
		pg_fpr_normalize(sfpr, r->fingerprint);
		return judge(r, PG_SIG_UNKNOWN_KEY, _("signed by the key %s, which is not in the keyring"), sfpr);
	}
	e = gpgme_get_key(s->ctx, sfpr, &key, 0);
	if (e) {
		if (is_env_error(e)) {
			rc = gpg_fail(err, e, _("looking up a key"));
			judge(r, rc, "%s", err ? err->message : _("GnuPG failed"));
			return rc;
		}
		pg_fpr_normalize(sfpr, r->fingerprint);
		return judge(r, PG_SIG_UNKNOWN_KEY, _("signed by the key %s, which is not in the keyring"), sfpr);
	}
	if (!key->subkeys || !pg_fpr_normalize(key->subkeys->fpr, r->fingerprint)) {
		rc = judge(r, PG_SIG_UNKNOWN_KEY, _("the key %s has no usable fingerprint"), sfpr);
		goto out;
	}
	copy_uid(r->uid, key_uid(key));
	sk = signing_subkey(key, sfpr);
	/* 3 */
	if (st == GPG_ERR_CERT_REVOKED || (sum & GPGME_SIGSUM_KEY_REVOKED) || key->revoked || sk->revoked) {
		rc = judge(r, PG_SIG_REVOKED, _("signed by %s (%s), a revoked key"), r->fingerprint, r->uid);
		goto out;
	}
	/* 4 */
	if (key->subkeys->expires > 0)
		expires = key->subkeys->expires;
	if (sk->expires > 0 && (expires == 0 || sk->expires < expires))
		expires = sk->expires;
	if (expires > 0 && (time_t)g->timestamp >= (time_t)expires) {
		fmt_time((time_t)expires, exp);
		rc = judge(r, PG_SIG_EXPIRED, _("signed on %s by %s (%s), whose key had expired on %s"), when,
		           r->fingerprint, r->uid, exp);
		goto out;
	}
	if (st == GPG_ERR_KEY_EXPIRED || (sum & GPGME_SIGSUM_KEY_EXPIRED) || key->expired || sk->expired) {
		if (expires == 0) {
			rc = judge(r, PG_SIG_EXPIRED, _("signed by %s (%s), an expired key"), r->fingerprint, r->uid);
			goto out;
		}
		r->expired_after_signing = 1;
	}
	/* 5 */
	if (st == GPG_ERR_SIG_EXPIRED || (sum & GPGME_SIGSUM_SIG_EXPIRED)) {
		rc = judge(r, PG_SIG_EXPIRED, _("the signature by %s (%s) has expired"), r->fingerprint, r->uid);
		goto out;
	}
	if (st != GPG_ERR_NO_ERROR && st != GPG_ERR_KEY_EXPIRED) {
		char msg[256];

		gerr_text(g->status, msg, sizeof msg);
		rc = judge(r, PG_SIG_BAD, _("the signature by %s (%s) could not be checked: %s"), r->fingerprint,
		           r->uid, msg);
		goto out;
	}
	/* 6 */
	if (sum & GPGME_SIGSUM_RED) {
		rc = judge(r, PG_SIG_UNTRUSTED, _("GnuPG marks the key %s (%s) as not to be trusted"),
		           r->fingerprint, r->uid);
		goto out;
	}
	/* 7 */
	if (signer && !fpr_equal(signer, r->fingerprint)) {
		rc = judge(r, PG_SIG_UNTRUSTED, _("signed by %s (%s), not by %s"), r->fingerprint, r->uid, signer);
		goto out;
	}
	/* 8 */
	if (policy && role == PG_SIG_PUBLISHER && !pg_policy_is_publisher(policy, r->fingerprint)) {
		rc = judge(r, PG_SIG_UNTRUSTED, _("signed by %s (%s), who is not a publisher in the policy"),
		           r->fingerprint, r->uid);
		goto out;
	}
	if (policy && role != PG_SIG_PUBLISHER) {
		const pg_policy_person *pp = pg_policy_person_find(policy, r->fingerprint);
		char roles[128];

		pg_person_roles_format(role, roles, sizeof roles);
		if (!pp) {
			rc = judge(r, PG_SIG_UNTRUSTED, _("signed by %s (%s), who is not one of the policy's people"),
			           r->fingerprint, r->uid);
			goto out;
		}
		if (!(pp->roles & role)) {
			rc = judge(r, PG_SIG_UNTRUSTED, _("signed by %s (%s), who does not hold the role %s"),
			           r->fingerprint, pp->name, roles);
			goto out;
		}
	}
	if (r->expired_after_signing) {
		fmt_time((time_t)expires, exp);
		rc = judge(r, PG_OK, _("good signature by %s (%s), made %s; the key has expired since, on %s"),
		           r->fingerprint, r->uid, when, exp);
	} else {
		rc = judge(r, PG_OK, _("good signature by %s (%s), made %s"), r->fingerprint, r->uid, when);
	}
out:
	gpgme_key_unref(key);
	return rc;
}

pg_code pg_sig_verify(pg_sig *s, const void *data, size_t len, const char *sig, size_t siglen,
                      const char *signer, const pg_policy *policy, unsigned role,
                      pg_sig_result *res, pg_error *err)
{
	gpgme_data_t sd = NULL, td = NULL;
	gpgme_verify_result_t vr = NULL;
	gpgme_error_t e;
	pg_sig_result one;
	pg_code rc = PG_OK;
	size_t count = 0;

	memset(res, 0, sizeof *res);
	e = gpgme_data_new_from_mem(&sd, sig, siglen, 0);
	if (!e)
		e = gpgme_data_new_from_mem(&td, data, len, 0);
	if (e) {
		rc = gpg_fail(err, e, _("verifying"));
		judge(res, rc, "%s", err ? err->message : _("GnuPG failed"));
		goto out;
	}
	e = gpgme_op_verify(s->ctx, sd, td, NULL);
	if (e) {
		if (is_env_error(e)) {
			pg_error local;

			pg_error_clear(&local);
			rc = gpg_fail(err ? err : &local, e, _("verifying"));
			judge(res, rc, "%s", err ? err->message : local.message);
			goto out;
		}
		rc = judge(res, PG_SIG_BAD, _("not an OpenPGP signature"));
		goto done;
	}
	vr = gpgme_op_verify_result(s->ctx);
	if (vr)
		gpgme_result_ref(vr);
	if (!vr || !vr->signatures) {
		rc = judge(res, PG_SIG_BAD, _("no detached signature found"));
		goto done;
	}
	for (gpgme_signature_t g = vr->signatures; g; g = g->next, count++) {
		rc = judge_one(s, g, signer, policy, role, &one, err);
		if (rc && rc != PG_SIG_BAD && rc != PG_SIG_UNKNOWN_KEY && rc != PG_SIG_REVOKED &&
		    rc != PG_SIG_EXPIRED && rc != PG_SIG_UNTRUSTED) {
			*res = one;     /* GnuPG failed: err is filled */
			goto out;
		}
		if (count == 0 || rc) {
			*res = one;
		} else if (!fpr_equal(res->fingerprint, one.fingerprint)) {
			rc = judge(res, PG_SIG_UNTRUSTED, _("signed by several keys (%s and %s)"), res->fingerprint,
			           one.fingerprint);
		} else if (one.expired_after_signing) {
			*res = one;
		}
		if (rc)
			break;
	}
done:
	if (rc && err) {
		pg_err(err, rc, "%s", res->message);
		pg_error_path(err, "%s", "");
	}
out:
	if (vr)
		gpgme_result_unref(vr);
	gpgme_data_release(sd);
	gpgme_data_release(td);
	return rc;
}

/* ============================================================ packs */

pg_code pg_sig_verify_pack(pg_sig *s, const pg_pack *p, const pg_policy *policy,
                           pg_sig_result **results, size_t *ngood, pg_error *err)
{
	pg_sig_result *v = NULL;
	size_t good = 0;
	pg_code rc = PG_OK;
	pg_buf b;

	*results = NULL;
	if (ngood)
		*ngood = 0;
	pg_buf_init(&b, 900);
	if (p->nsigs) {
		v = calloc(p->nsigs, sizeof *v);
		if (!v)
			return oom(err);
	}
	for (size_t i = 0; i < p->nsigs; i++) {
		const char *path = p->sigs[i].path, *name = path;
		char stem[PG_FPR_SIZE + 1], fpr[PG_FPR_SIZE];
		size_t n;

		if (strncmp(name, "signatures/", 11) == 0)
			name += 11;
		n = strlen(name);
		if (n > 4 && strcmp(name + n - 4, ".asc") == 0 && n - 4 == PG_FPR_LEN) {
			memcpy(stem, name, PG_FPR_LEN);
			stem[PG_FPR_LEN] = '\0';
		} else {
			stem[0] = '\0';
		}
		if (!stem[0] || !pg_fpr_normalize(stem, fpr)) {
			judge(&v[i], PG_SIG_UNTRUSTED, _("%s: the file name is not the signing key's fingerprint"),
			      path);
		} else {
			rc = pg_sig_verify(s, p->manifest_canon, p->manifest_canon_len, p->sigs[i].armored,
			                   p->sigs[i].len, fpr, policy, PG_SIG_PUBLISHER, &v[i], err);
			if (rc && pg_code_exit(rc) == 3)
				goto out;
			rc = PG_OK;
		}
		if (v[i].code == PG_OK)
			good++;
		else
			pg_buf_printf(&b, "%s%s %s", b.len ? ", " : "", path, pg_code_name(v[i].code));
	}
	if (policy && policy->npublishers && good == 0) {
		pg_error_path(err, "%s", "");
		if (p->nsigs == 0)
			rc = pg_err(err, PG_SIG_MISSING, _("no publisher signature; the policy requires one"));
		else
			rc = pg_err(err, PG_SIG_MISSING, _("no good signature by a publisher of the policy (%s)"),
			            b.data ? b.data : "");
	}
	*results = v;
	v = NULL;
	if (ngood)
		*ngood = good;
out:
	pg_buf_free(&b);
	free(v);
	return rc;
}

/* ------------------------------------------------------------ rewriting */

static pg_code archive_fail(struct archive *a, pg_error *err, int writing, const char *what)
{
	int en = archive_errno(a);
	const char *msg = archive_error_string(a);

	if (en == ENOMEM)
		return oom(err);
	return pg_err(err, writing ? PG_IO_WRITE : PG_IO_READ, "%s: %s", what, msg ? msg : _("archive error"));
}

/* True when path is signatures/<fpr>.asc, the name compared ignoring case. */
static int is_own_signature(const char *path, const char *fpr)
{
	return strncmp(path, "signatures/", 11) == 0 && strlen(path) == 11 + PG_FPR_LEN + 4 &&
	       strncasecmp(path + 11, fpr, PG_FPR_LEN) == 0 && strcmp(path + 11 + PG_FPR_LEN, ".asc") == 0;
}

struct rewrite {
	const char *in_path;
	const char *out_path;
	int outfd;
	const char *sig_path;
	const char *sig;
	size_t sig_len;
	pg_error *err;
};

static pg_code write_entry(struct archive *w, struct archive_entry *oe, const char *path, const void *data,
                           size_t len, struct rewrite *rw)
{
	pg_build_entry(oe, path, AE_IFREG, len);
	if (archive_write_header(w, oe) != ARCHIVE_OK ||
	    (len && archive_write_data(w, data, len) != (la_ssize_t)len))
		return archive_fail(w, rw->err, 1, rw->out_path);
	return PG_OK;
}

/* Copies the archive in_path to outfd, putting the signature in. */
static pg_code rewrite_archive(struct rewrite *rw)
{
	struct archive *r = archive_read_new(), *w = archive_write_new();
	struct archive_entry *ie, *oe = archive_entry_new();
	unsigned char *block = malloc(COPY_BLOCK);
	int placed = 0, filter = -1, ret;
	pg_code rc = PG_OK;

	if (!r || !w || !oe || !block) {
		rc = oom(rw->err);
		goto out;
	}
	archive_read_support_format_tar(r);
	archive_read_support_filter_gzip(r);
	archive_read_support_filter_zstd(r);
	if (archive_read_open_filename(r, rw->in_path, COPY_BLOCK) != ARCHIVE_OK) {
		rc = archive_fail(r, rw->err, 0, rw->in_path);
		goto out;
	}
	while ((ret = archive_read_next_header(r, &ie)) == ARCHIVE_OK) {
		const char *path = archive_entry_pathname(ie);
		mode_t type = archive_entry_filetype(ie);
		uint64_t size, done = 0;

		if (filter < 0) {
			/* the filters are known once the first header is read */
			filter = archive_filter_code(r, 0);
			archive_write_set_format_pax_restricted(w);
			if (filter == ARCHIVE_FILTER_GZIP) {
				archive_write_add_filter_gzip(w);
				archive_write_set_filter_option(w, "gzip", "timestamp", NULL);
			} else if (filter == ARCHIVE_FILTER_ZSTD) {
				archive_write_add_filter_zstd(w);
			} else if (filter == ARCHIVE_FILTER_NONE) {
				archive_write_add_filter_none(w);
			} else {
				rc = pg_err(rw->err, PG_ARCHIVE_INVALID, _("%s: unsupported compression"), rw->in_path);
				goto out;
			}
			archive_write_set_bytes_in_last_block(w, 1);
			if (archive_write_open_fd(w, rw->outfd) != ARCHIVE_OK) {
				rc = archive_fail(w, rw->err, 1, rw->out_path);
				goto out;
			}
		}
		if (!path) {
			rc = pg_err(rw->err, PG_ARCHIVE_PATH_ENCODING, _("%s: an entry name cannot be decoded"),
			            rw->in_path);
			goto out;
		}
		if (type == AE_IFDIR) {
			pg_build_entry(oe, path, AE_IFDIR, 0);
			if (archive_write_header(w, oe) != ARCHIVE_OK) {
				rc = archive_fail(w, rw->err, 1, rw->out_path);
				goto out;
			}
			continue;
		}
		if (type != AE_IFREG) {
			pg_error_path(rw->err, "%s", path);
			rc = pg_err(rw->err, PG_ARCHIVE_ENTRY_TYPE, _("%s: not a regular file or directory"), path);
			goto out;
		}
		if (is_own_signature(path, rw->sig_path + 11)) {
			if (!placed) {
				rc = write_entry(w, oe, rw->sig_path, rw->sig, rw->sig_len, rw);
				if (rc)
					goto out;
				placed = 1;
			}
			continue;
		}
		size = archive_entry_size_is_set(ie) ? (uint64_t)archive_entry_size(ie) : 0;
		pg_build_entry(oe, path, AE_IFREG, size);
		if (archive_write_header(w, oe) != ARCHIVE_OK) {
			rc = archive_fail(w, rw->err, 1, rw->out_path);
			goto out;
		}
		for (;;) {
			la_ssize_t n = archive_read_data(r, block, COPY_BLOCK);

			if (n < 0) {
				rc = archive_fail(r, rw->err, 0, rw->in_path);
				goto out;
			}
			if (n == 0)
				break;
			done += (uint64_t)n;
			if (done > size || archive_write_data(w, block, (size_t)n) != n) {
				rc = done > size ? pg_err(rw->err, PG_IO_READ, _("%s: changed while being signed"),
				                          rw->in_path)
				                 : archive_fail(w, rw->err, 1, rw->out_path);
				goto out;
			}
		}
		if (done != size) {
			rc = pg_err(rw->err, PG_IO_READ, _("%s: changed while being signed"), rw->in_path);
			goto out;
		}
	}
	if (ret != ARCHIVE_EOF || filter < 0) {
		rc = ret != ARCHIVE_EOF ? archive_fail(r, rw->err, 0, rw->in_path)
		                        : pg_err(rw->err, PG_ARCHIVE_INVALID, _("%s: empty archive"), rw->in_path);
		goto out;
	}
	if (!placed) {
		rc = write_entry(w, oe, rw->sig_path, rw->sig, rw->sig_len, rw);
		if (rc)
			goto out;
	}
	if (archive_write_close(w) != ARCHIVE_OK)
		rc = archive_fail(w, rw->err, 1, rw->out_path);
out:
	free(block);
	archive_entry_free(oe);
	if (r)
		archive_read_free(r);
	if (w)
		archive_write_free(w);
	return rc;
}

pg_code pg_sig_sign_pack(pg_sig *s, const char *pack_path, const char *out_path, const char *fpr,
                         const pg_pack_opts *opts, char *id, pg_error *err)
{
	pg_pack_opts o;
	pg_pack *in = NULL, *check = NULL;
	pg_sig_result vres;
	char *sig = NULL, *tmp = NULL, sig_path[11 + PG_FPR_LEN + 5], norm[PG_FPR_SIZE];
	size_t sig_len = 0;
	int fd = -1;
	locale_t utf8 = (locale_t)0, prev = (locale_t)0, lbase;
	struct rewrite rw;
	pg_code rc;

	if (opts)
		o = *opts;
	else
		pg_pack_opts_init(&o);
	o.mode = PG_PACK_VERIFY;
	o.extract_dir = NULL;
	if (!fpr || !pg_fpr_normalize(fpr, norm))
		return pg_err(err, PG_SIG_UNKNOWN_KEY, _("\"%s\" is not an OpenPGP fingerprint (40 hex digits)"),
		              fpr ? fpr : "");
	snprintf(sig_path, sizeof sig_path, "signatures/%s.asc", norm);

	rc = pg_pack_load(pack_path, &o, &in, err);
	if (rc)
		goto out;
	rc = pg_sig_sign(s, norm, in->manifest_canon, in->manifest_canon_len, &sig, &sig_len, err);
	if (rc)
		goto out;
	if (sig_len > PG_SIG_MAX_BYTES) {
		rc = pg_err(err, PG_LIMIT_ENTRY_BYTES, _("the signature is larger than %llu bytes"),
		            (unsigned long long)PG_SIG_MAX_BYTES);
		goto out;
	}

	if (asprintf(&tmp, "%s.tmp-XXXXXX", out_path) < 0) {
		tmp = NULL;
		rc = oom(err);
		goto out;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = pg_err_errno(err, errno, 1, out_path);
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (fchmod(fd, 0644) != 0) {
		rc = pg_err_errno(err, errno, 1, out_path);
		goto out;
	}
	rw.in_path = pack_path;
	rw.out_path = out_path;
	rw.outfd = fd;
	rw.sig_path = sig_path;
	rw.sig = sig;
	rw.sig_len = sig_len;
	rw.err = err;
	/* entry names pass through libarchive as their UTF-8 bytes */
	lbase = duplocale(uselocale((locale_t)0));
	utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", lbase);
	if (!utf8 && lbase)
		freelocale(lbase);
	if (utf8)
		prev = uselocale(utf8);
	rc = rewrite_archive(&rw);
	if (utf8) {
		uselocale(prev);
		freelocale(utf8);
	}
	if (rc)
		goto out;
	if (fsync(fd) != 0) {
		rc = pg_err_errno(err, errno, 1, out_path);
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		rc = pg_err_errno(err, errno, 1, out_path);
		goto out;
	}
	fd = -1;

	/* the result, checked as a reader will check it */
	rc = pg_pack_load(tmp, &o, &check, err);
	if (rc)
		goto out;
	{
		size_t k, want = in->nsigs + 1;

		for (size_t i = 0; i < in->nsigs; i++)
			if (is_own_signature(in->sigs[i].path, norm))
				want = in->nsigs;
		for (k = 0; k < check->nsigs; k++)
			if (strcmp(check->sigs[k].path, sig_path) == 0)
				break;
		if (strcmp(check->id, in->id) != 0 || check->nsigs != want || k == check->nsigs ||
		    check->sigs[k].len != sig_len || memcmp(check->sigs[k].armored, sig, sig_len) != 0) {
			rc = pg_err(err, PG_IO_WRITE, _("%s: the rewritten pack does not read back as written"),
			            out_path);
			goto out;
		}
		rc = pg_sig_verify(s, check->manifest_canon, check->manifest_canon_len, check->sigs[k].armored,
		                   check->sigs[k].len, norm, NULL, PG_SIG_PUBLISHER, &vres, err);
		if (rc)
			goto out;
	}
	if (rename(tmp, out_path) != 0) {
		rc = pg_err_errno(err, errno, 1, out_path);
		goto out;
	}
	free(tmp);
	tmp = NULL;
	if (id)
		snprintf(id, 72, "%s", in->id);
out:
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	free(sig);
	pg_pack_free(in);
	pg_pack_free(check);
	return rc;
}
