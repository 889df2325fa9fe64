/* db_doctor.h: diagnostics reports. */
#ifndef WFM_DB_DOCTOR_H
#define WFM_DB_DOCTOR_H

#include <stddef.h>

#include "apierr.h"
#include "arena.h"

struct db;

/*
 * Stores report `json' (the rendered doctorInfo) under `uuid'
 * (canonical), replacing an earlier one.  0, or -1 with err.
 */
int	 db_doctor_put(struct db *, const char *uuid, const char *json,
	    struct api_error *)
	    __attribute__((warn_unused_result));

/*
 * Reads the report stored under `uuid' into *json (arena, NUL-terminated)
 * and *len.  Returns 1 when found, 0 when not, -1 with err.
 */
int	 db_doctor_get(struct db *, struct arena *, const char *uuid,
	    const char **json, size_t *len, struct api_error *)
	    __attribute__((warn_unused_result));

#endif
