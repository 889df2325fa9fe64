/* db_versions.c: versions queries (filled in by the versions API). */
#include "config.h"

#include "db.h"

const struct db_stmt_set db_versions_set = { NULL, 0 };
