/* conf.h: the configuration file, flags and environment, validated once. */
#ifndef WFM_CONF_H
#define WFM_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "log.h"

#define CONFIG_DEFAULT_PATH \
	"/etc/workflow-manager-api/workflow-manager-api.conf"

/* One configured publisher token (publish_token = ...). */
struct publish_token {
	uint8_t		  hash[32];	/* SHA-256 of the token */
	char		**components;	/* fnmatch(3) patterns; NULL = any */
	size_t		  ncomponents;
	char		**trains;	/* exact train names; NULL = any */
	size_t		  ntrains;
};

/*
 * Immutable once loaded: a worker never changes it, a reload builds a new
 * one.  Caller owns the result of config_load(); free with config_free().
 */
struct config {
	char		*path;			/* file it was read from */

	/* process */
	char		*listen;		/* unix:PATH or HOST:PORT */
	char		*socket_owner;		/* user[:group] of a unix socket */
	unsigned	 socket_mode;		/* octal, e.g. 0660 */
	char		*user;			/* drop to this user when root */
	char		*group;
	unsigned	 workers;
	unsigned long	 max_requests;		/* per worker, 0 = unlimited */
	unsigned	 shutdown_timeout;	/* seconds */
	unsigned	 respawn_burst;		/* deaths allowed ... */
	unsigned	 respawn_interval;	/* ... per this many seconds */

	/* database */
	char		*database;		/* libpq conninfo or URI */
	char		*read_database;		/* optional replica for reads */
	unsigned	 statement_timeout;	/* milliseconds */
	unsigned	 connect_timeout;	/* seconds */
	unsigned	 retry_after;		/* seconds, in 503 answers */
	char		*migrations_dir;
	bool		 migrate_on_start;

	/* limits */
	size_t		 max_body;
	size_t		 doctor_max_body;
	unsigned	 max_latest_pairs;
	unsigned	 json_max_depth;
	unsigned	 json_max_elements;
	size_t		 max_path;

	/* authentication */
	bool		 publish_auth;
	struct publish_token *publish_tokens;
	size_t		 npublish_tokens;
	char		*doctor_user;
	char		*doctor_password;	/* clear, or sha256:HEX */

	/* logging and metrics */
	enum log_target	 log_target;
	enum log_level	 log_level;
	bool		 access_log;
	bool		 metrics;

	char		*openapi_file;		/* served at /swagger.json */
};

/* Command-line values that override the file (NULL/0 = not given). */
struct config_overrides {
	const char	*listen;
	const char	*database;
	unsigned	 workers;
	int		 log_target;		/* -1 = not given */
	int		 log_level;		/* -1 = not given */
};

/*
 * Reads `path' (which may not exist only when `optional' is true), then
 * the environment (the original service's variables), then `ov'.  Every
 * problem is written to `errf' as "FILE:LINE: message" and counted.
 * Returns the configuration, or NULL when there was any error.
 */
struct config	*config_load(const char *path, bool optional,
		    const struct config_overrides *ov, FILE *errf);
void		 config_free(struct config *);
/* Defaults for everything (used by tests and by config_load). */
struct config	*config_defaults(void);
/*
 * Parses one "key = value" line into `cfg'.  Returns 0, or -1 with a
 * sentence in `msg'.  Exposed for unit tests.
 */
int		 config_set(struct config *, const char *key,
		    const char *value, char *msg, size_t msgsz);

#endif
