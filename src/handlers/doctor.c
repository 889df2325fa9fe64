/* doctor.c: placeholder until the doctor routes land. */
#include "config.h"

#include "handlers.h"

int
handle_doctor_post(struct request *req, struct response *res, struct api_error *err)
{
	return apierr_set(err, APIERR_UNAVAILABLE, "not available");
}

int
handle_doctor_get(struct request *req, struct response *res, struct api_error *err)
{
	return apierr_set(err, APIERR_UNAVAILABLE, "not available");
}

