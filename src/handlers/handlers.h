/* handlers.h: every request handler, grouped by the file that defines it. */
#ifndef WFM_HANDLERS_H
#define WFM_HANDLERS_H

#include "../apierr.h"
#include "../request.h"

/* health.c */
int	 handle_ping(struct request *, struct response *, struct api_error *);
int	 handle_healthz(struct request *, struct response *,
	    struct api_error *);
int	 handle_metrics(struct request *, struct response *,
	    struct api_error *);
int	 handle_swagger(struct request *, struct response *,
	    struct api_error *);

/* versions.c */
int	 handle_versions_publish(struct request *, struct response *,
	    struct api_error *);
int	 handle_versions_get(struct request *, struct response *,
	    struct api_error *);
int	 handle_versions_list(struct request *, struct response *,
	    struct api_error *);
int	 handle_versions_latest_v3(struct request *, struct response *,
	    struct api_error *);
int	 handle_versions_latest_v2(struct request *, struct response *,
	    struct api_error *);

/* clusters.c */
int	 handle_clusters_checkin(struct request *, struct response *,
	    struct api_error *);
int	 handle_clusters_checkin_v2(struct request *, struct response *,
	    struct api_error *);
int	 handle_clusters_get(struct request *, struct response *,
	    struct api_error *);
int	 handle_clusters_count(struct request *, struct response *,
	    struct api_error *);
int	 handle_clusters_age(struct request *, struct response *,
	    struct api_error *);
int	 handle_clusters_checkins(struct request *, struct response *,
	    struct api_error *);
int	 handle_clusters_persistent(struct request *, struct response *,
	    struct api_error *);

/* doctor.c */
int	 handle_doctor_post(struct request *, struct response *,
	    struct api_error *);
int	 handle_doctor_get(struct request *, struct response *,
	    struct api_error *);

#endif
