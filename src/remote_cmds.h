/* remote_cmds.h — push, pull and sync: the team registry commands
 * (CONTRACT sections 3 and 9; doc/team-registry.md). */
#ifndef PG_REMOTE_CMDS_H
#define PG_REMOTE_CMDS_H

#include "cli.h"

/* packgate push [REF...] [--remote URL]: the packs named and every
 * statement in the outbox (with the packs they are about). */
int cmd_push(pg_cli *cli);

/* packgate pull URL/NAME[:TAG] [--remote URL]: one tag, or every version
 * tag of the repository; verified, imported, statements replayed. */
int cmd_pull(pg_cli *cli);

/* packgate sync [--remote URL]: pull then push for every pack name known
 * locally. */
int cmd_sync(pg_cli *cli);

#endif
