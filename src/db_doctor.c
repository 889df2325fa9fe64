/* db_doctor.c: doctor queries (filled in by the doctor API). */
#include "config.h"

#include "db.h"

const struct db_stmt_set db_doctor_set = { NULL, 0 };
