/* clusters.c: placeholder until the clusters routes land. */
#include "config.h"

#include "handlers.h"

int
handle_clusters_checkin(struct request *req, struct response *res, struct api_error *err)
{
	return apierr_set(err, APIERR_UNAVAILABLE, "not available");
}

int
handle_clusters_checkin_v2(struct request *req, struct response *res, struct api_error *err)
{
	return apierr_set(err, APIERR_UNAVAILABLE, "not available");
}

int
handle_clusters_get(struct request *req, struct response *res, struct api_error *err)
{
	return apierr_set(err, APIERR_UNAVAILABLE, "not available");
}

int
handle_clusters_count(struct request *req, struct response *res, struct api_error *err)
{
	return apierr_set(err, APIERR_UNAVAILABLE, "not available");
}

int
handle_clusters_age(struct request *req, struct response *res, struct api_error *err)
{
	return apierr_set(err, APIERR_UNAVAILABLE, "not available");
}

int
handle_clusters_checkins(struct request *req, struct response *res, struct api_error *err)
{
	return apierr_set(err, APIERR_UNAVAILABLE, "not available");
}

int
handle_clusters_persistent(struct request *req, struct response *res, struct api_error *err)
{
	return apierr_set(err, APIERR_UNAVAILABLE, "not available");
}

