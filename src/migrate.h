/* migrate.h: ordered SQL migrations under an advisory lock. */
#ifndef WFM_MIGRATE_H
#define WFM_MIGRATE_H

#include <stdio.h>

#include <libpq-fe.h>

/*
 * Applies every db/migrations/NNNN_name.sql file in `dir' whose number is
 * not yet in schema_migrations, in order, each in its own transaction,
 * while holding a session advisory lock, so that concurrent callers apply
 * each migration exactly once.  Progress and errors go to the log.
 * Returns the number applied (>= 0), or -1.
 */
int	 migrate_run(PGconn *, const char *dir);
/* Highest applied version, 0 when none, -1 on error. */
long long migrate_current(PGconn *);

#endif
