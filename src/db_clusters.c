/* db_clusters.c: clusters queries (filled in by the clusters API). */
#include "config.h"

#include "db.h"

const struct db_stmt_set db_clusters_set = { NULL, 0 };
