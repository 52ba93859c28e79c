/* keygen.h — throwaway OpenPGP keys for `packgate demo`, through GPGME,
 * and stopping the gpg-agent a GnuPG home started. */
#ifndef PG_KEYGEN_H
#define PG_KEYGEN_H

#include <stddef.h>
#include "pg.h"

/* Creates an unprotected ed25519 signing key with user id `uid` in the
 * GnuPG home `homedir` (which must exist, mode 0700), never expiring.
 * fpr (41 bytes) receives the primary fingerprint, uppercase.  Codes:
 * io.not_found (no gpg), sig.bad (GnuPG refused). */
pg_code pg_keygen_create(const char *homedir, const char *uid, char fpr[41], pg_error *err);

/* The armored public key of fpr: *armored is new (caller frees). */
pg_code pg_keygen_export(const char *homedir, const char *fpr, char **armored, pg_error *err);

/* Stops every GnuPG daemon of homedir (gpgconf --homedir DIR --kill all)
 * and waits for gpgconf; errors are ignored: there may be none running. */
void pg_keygen_stop_agent(const char *homedir);

#endif
