/* sig.h — OpenPGP signing and verification through GPGME (CONTRACT
 * sections 4, 5 and 6; doc/signatures.md).
 *
 * Everything goes through GPGME's result structures: core never runs gpg
 * itself and never reads gpg's text output.  A handle is bound to one GnuPG
 * home directory, speaks OpenPGP, writes ASCII armor, lists keys from the
 * local keyring only (GPGME_KEYLIST_MODE_LOCAL) and runs gpg offline
 * (gpgme_set_offline: gpg gets --disable-dirmngr), so no key is ever
 * fetched from a keyserver or WKD, whatever gpg.conf says about
 * auto-key-retrieve.  Passphrases are asked for in loopback mode through a
 * callback the caller supplies (the CLI prompts on the terminal or reads a
 * file, the TUI brings its own prompt); unprotected keys and passphrases
 * the agent has cached never reach the callback.
 *
 * Codes (besides the ones each function names):
 *   sig.unknown_key  a key is absent from the keyring or unusable, or no
 *                    (or more than one) signing key can be chosen;
 *   io.permission    a signing passphrase was wrong or its prompt was
 *                    cancelled (the key is there; the caller may not use it);
 *   io.not_found     the home directory or the gpg engine is missing;
 *   io.read          GnuPG failed otherwise; io.memory.
 *
 * A pg_sig handle is for one thread at a time.
 */
#ifndef PG_SIG_H
#define PG_SIG_H

#include <stddef.h>
#include <time.h>
#include "pg.h"
#include "pack.h"
#include "policy.h"

typedef struct pg_sig pg_sig;

#define PG_SIG_UID_SIZE 512        /* raw user id, cut at a character boundary */
#define PG_SIG_PASSPHRASE_MAX 1024 /* capacity of the callback's buffer */

/* Checks the GPGME library version (gpgme_check_version) and that the
 * OpenPGP engine is installed.  Called by pg_sig_open; callable any number
 * of times.  Codes: io.not_found (no usable gpg). */
pg_code pg_sig_init(pg_error *err);

/* Opens a handle on the GnuPG home directory `homedir` (NULL: gpg's own
 * default, GNUPGHOME or ~/.gnupg).  A homedir that is not an existing
 * directory is io.not_found.  The directory is not touched until an
 * operation runs.  On success *out is a new handle (pg_sig_close). */
pg_code pg_sig_open(const char *homedir, pg_sig **out, pg_error *err);

/* Closes the handle; NULL is fine.  gpg-agent, started by gpg on demand,
 * keeps running; stopping it is the caller's business (gpgconf --kill). */
void pg_sig_close(pg_sig *s);

/* The passphrase prompt.  hint is display-safe (escaped) text naming the
 * key ("KEYID Name <mail>"); prev_was_bad is 1 when the previous attempt
 * was wrong.  Write the passphrase into buf (capacity cap, NUL-terminated,
 * no line break) and return 0, or return non-zero to cancel.  Core wipes
 * buf (explicit_bzero) once the passphrase is passed on; wipe your own
 * copies.  Called at most 3 times per signature. */
typedef int (*pg_sig_passphrase_fn)(void *ctx, const char *hint, int prev_was_bad, char *buf,
                                    size_t cap);

/* Sets (fn NULL: clears) the prompt used by pg_sig_sign and
 * pg_sig_sign_pack.  Without one, a key that needs a passphrase the agent
 * has not cached fails with io.permission. */
void pg_sig_set_passphrase(pg_sig *s, pg_sig_passphrase_fn fn, void *ctx);

/* ------------------------------------------------------------ import */

typedef struct pg_sig_import_result {
	unsigned considered;   /* keys found in the input */
	unsigned imported;     /* new keys */
	unsigned unchanged;    /* keys already there as they are */
	unsigned not_imported; /* keys GnuPG refused */
} pg_sig_import_result;

/* Imports armored (or binary) public keys from buf[0..len) into the
 * keyring; res (may be NULL) receives GnuPG's counts.  Input holding no
 * key at all is sig.unknown_key. */
pg_code pg_sig_import(pg_sig *s, const char *buf, size_t len, pg_sig_import_result *res,
                      pg_error *err);

/* Imports every people[].public_key of the policy (in order), adding up
 * the counts in res (may be NULL).  Each key block must hold the key of
 * its person: a block without it (or without any key) is sig.unknown_key
 * with err->path "people[i].public_key".  Keys of other people that a
 * block carries are imported too; they gain nothing, since trust comes
 * from the policy's fingerprints only. */
pg_code pg_sig_import_policy(pg_sig *s, const pg_policy *p, pg_sig_import_result *res,
                             pg_error *err);

/* ------------------------------------------------------------ keys */

typedef struct pg_sig_key {
	char fingerprint[PG_FPR_SIZE]; /* primary key, uppercase */
	char uid[PG_SIG_UID_SIZE];     /* first valid user id, raw: escape to show */
} pg_sig_key;

/* The secret keys usable for signing (not revoked, expired, disabled or
 * invalid, with a usable signing-capable secret (sub)key), in keyring
 * order; with p not NULL only those whose primary fingerprint is one of
 * p's people.  *keys is a new array (free()), NULL when *n is 0. */
pg_code pg_sig_secret_keys(pg_sig *s, const pg_policy *p, pg_sig_key **keys, size_t *n,
                           pg_error *err);

/* Chooses the signing key into *out:
 *   fpr not NULL (--key): that key (40 hex digits, either case, primary or
 *     subkey fingerprint; *out gets the primary), which must be a usable
 *     secret key: else sig.unknown_key (absent, or not a fingerprint),
 *     sig.revoked or sig.expired (present but so);
 *   fpr NULL: the only usable secret key whose fingerprint is one of p's
 *     people (p NULL: the only usable secret key); none or several is
 *     sig.unknown_key, the message naming the candidates. */
pg_code pg_sig_choose_key(pg_sig *s, const pg_policy *p, const char *fpr, pg_sig_key *out,
                          pg_error *err);

/* ------------------------------------------------------------ sign */

/* Makes an ASCII-armored detached signature over data[0..len) with the key
 * whose fingerprint is fpr (pg_sig_choose_key), in loopback pinentry mode
 * with the handle's passphrase prompt.  *armored is a new NUL-terminated
 * buffer (caller frees) of *armored_len bytes (may be NULL).  Codes:
 * sig.unknown_key (no usable secret key fpr), sig.revoked, sig.expired,
 * io.permission (wrong passphrase, prompt cancelled or missing). */
pg_code pg_sig_sign(pg_sig *s, const char *fpr, const void *data, size_t len, char **armored,
                    size_t *armored_len, pg_error *err);

/* ------------------------------------------------------------ verify */

/* Role argument of pg_sig_verify for publisher signatures. */
#define PG_SIG_PUBLISHER 0u

typedef struct pg_sig_result {
	pg_code code;                  /* PG_OK when the signature counts */
	const char *status;            /* "good", "bad" or "problem"; static */
	char fingerprint[PG_FPR_SIZE]; /* primary fingerprint of the signing key;
	                                * "" when unknown */
	char uid[PG_SIG_UID_SIZE];     /* its first valid user id, raw; "" */
	time_t signed_at;              /* the signature's timestamp; 0 unknown */
	int expired_after_signing;     /* the key has expired since: still counts */
	char message[1024];            /* display-safe, one line */
} pg_sig_result;

/* Verifies the detached signature sig[0..siglen) over data[0..len) under
 * the rule of section 6 and fills *res (always, whatever the outcome):
 *   every signature in sig must pass; each one is judged in this order:
 *   1. GnuPG says the signature does not match the data, or sig holds no
 *      detached OpenPGP signature (inline and cleartext signatures, which
 *      carry their own content, included)                 sig.bad   "bad"
 *   2. the key is not in the keyring                     sig.unknown_key
 *   3. the key or the signing subkey is revoked          sig.revoked
 *   4. the key (or signing subkey) had expired when the signature was
 *      made: sig.expired; expired since: counts, expired_after_signing = 1
 *   5. any other status than no-error                    sig.bad   "bad"
 *   6. the summary's red bit (the user set the key to "never")
 *                                                        sig.untrusted
 *   7. signer not NULL and the key's primary fingerprint differs from it
 *      (compared ignoring case)                          sig.untrusted
 *   8. policy not NULL: role != PG_SIG_PUBLISHER: the primary fingerprint
 *      is one of the people holding one of the PG_PERSON_* bits of role;
 *      role == PG_SIG_PUBLISHER: it is one of the policy's publishers (a
 *      policy without publishers trusts none)           sig.untrusted
 * Status words: "good" (counts), "bad" (sig.bad), "problem" (any other
 * code).  With policy NULL only steps 1-7 run: a "good" then means sound,
 * not trusted.  Returns res->code, or an io.* code when GnuPG could not run
 * (res->status "problem"); err gets the same code and message. */
pg_code pg_sig_verify(pg_sig *s, const void *data, size_t len, const char *sig, size_t siglen,
                      const char *signer, const pg_policy *policy, unsigned role,
                      pg_sig_result *res, pg_error *err);

/* Verifies every publisher signature of a loaded pack over
 * p->manifest_canon: signatures/NAME.asc must be signed by the key whose
 * primary fingerprint is NAME (40 hex digits, either case; any other name
 * is sig.untrusted), with role PG_SIG_PUBLISHER against policy (NULL: no
 * trust check).  *results is a new array (free()) with one result per
 * p->sigs[i], in that order, NULL when the pack has none; *ngood (may be
 * NULL) the number of good ones.  Returns PG_OK, or sig.missing when the
 * policy has `publishers` and no signature is good (the message lists what
 * was found), or an io.* code when GnuPG could not run (*results NULL). */
pg_code pg_sig_verify_pack(pg_sig *s, const pg_pack *p, const pg_policy *policy,
                           pg_sig_result **results, size_t *ngood, pg_error *err);

/* Adds (or replaces) the publisher signature of key fpr (a primary
 * fingerprint, pg_sig_choose_key) to the pack at pack_path and writes the
 * result to out_path (which may equal pack_path).  The pack is first
 * loaded and verified (opts: limits and file types; NULL for defaults;
 * the mode and extract_dir are overridden), the canonical manifest is
 * signed, then the archive is rewritten with libarchive: every entry in
 * order, data byte for byte, with fixed metadata (mtime 0, uid/gid 0,
 * files 0644, directories 0755, pax only where ustar cannot say it), the
 * same compression as the input (none, gzip without timestamp, zstd), and
 * signatures/FPR.asc (FPR uppercase) in the place of an existing signature
 * of the same key (name compared ignoring case) or else last.  The result
 * is written to a temporary file beside out_path, loaded again (same id,
 * the new signature present and sound), then renamed into place; on
 * failure nothing is left behind.  id (72 bytes, may be NULL) receives the
 * pack id, unchanged.  Codes: the loader's, pg_sig_sign's, io.*. */
pg_code pg_sig_sign_pack(pg_sig *s, const char *pack_path, const char *out_path, const char *fpr,
                         const pg_pack_opts *opts, char *id, pg_error *err);

#endif
