/* versions.c: placeholder until the versions routes land. */
#include "config.h"

#include "handlers.h"

int
handle_versions_publish(struct request *req, struct response *res, struct api_error *err)
{
	return apierr_set(err, APIERR_UNAVAILABLE, "not available");
}

int
handle_versions_get(struct request *req, struct response *res, struct api_error *err)
{
	return apierr_set(err, APIERR_UNAVAILABLE, "not available");
}

int
handle_versions_list(struct request *req, struct response *res, struct api_error *err)
{
	return apierr_set(err, APIERR_UNAVAILABLE, "not available");
}

int
handle_versions_latest_v3(struct request *req, struct response *res, struct api_error *err)
{
	return apierr_set(err, APIERR_UNAVAILABLE, "not available");
}

int
handle_versions_latest_v2(struct request *req, struct response *res, struct api_error *err)
{
	return apierr_set(err, APIERR_UNAVAILABLE, "not available");
}

