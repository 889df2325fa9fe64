/* log.h: error and access logging to stderr (journald) or syslog. */
#ifndef WFM_LOG_H
#define WFM_LOG_H

#include <stdbool.h>

enum log_target {
	LOG_TARGET_STDERR = 0,
	LOG_TARGET_SYSLOG,
	LOG_TARGET__MAX
};

enum log_level {
	LOGL_ERR = 0,
	LOGL_WARN,
	LOGL_INFO,
	LOGL_DEBUG,
	LOGL__MAX
};

/* Process-wide; called at start and again after a configuration reload. */
void	 log_open(enum log_target, enum log_level, const char *ident);
void	 log_close(void);
/*
 * The request id of the request being served, prefixed to error lines
 * ("" when none).  The string is copied.
 */
void	 log_set_request_id(const char *);

void	 log_err(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* One access line; never carries secrets (no query values are hidden by
 * the caller, so callers pass the path only). */
void	 log_access(const char *request_id, const char *method,
	    const char *path, int status, double duration_ms,
	    unsigned long long bytes_out);

#endif
