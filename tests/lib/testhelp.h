/* testhelp.h: shared pieces of the Check programs. */
#ifndef WFM_TESTHELP_H
#define WFM_TESTHELP_H

#include <stdbool.h>
#include <stddef.h>

#include <check.h>
#include <libpq-fe.h>

struct config;

/* Runs every case of the suite (CK_VERBOSE); returns main's exit status. */
int	 th_run(Suite *);

/*
 * Integration tests: the database is the one libpq finds from the PG*
 * environment variables that tests/integration/run.sh exports.
 */

/* A response as a handler produced it. */
struct th_resp {
	int	 status;
	char	*headers;	/* "Name: value\r\n" lines, NUL-terminated */
	char	*body;		/* NUL-terminated */
	size_t	 body_len;
};

struct th_ctx;

/*
 * A worker's state without FastCGI: defaults, database from the
 * environment, then `conf' lines ("key = value\n"...; NULL for none)
 * applied over them.  Caller frees with th_ctx_free().
 */
struct th_ctx	*th_ctx_new(const char *conf);
void		 th_ctx_free(struct th_ctx *);
struct config	*th_ctx_config(struct th_ctx *);

/*
 * Sends one request through dispatch() exactly as the worker would
 * (path normalisation, query parsing, routing, body limits) and captures
 * the response.  `content_type', `body', `auth' may be NULL.  Returns 0.
 */
int	 th_request(struct th_ctx *, const char *method, const char *uri,
	    const char *content_type, const char *body,
	    const char *authorization, struct th_resp *);
/* Like th_request with an explicit body length (bodies with NUL bytes). */
int	 th_request_env(struct th_ctx *, const char *method, const char *uri,
	    const char *content_type, const char *body, size_t body_len,
	    const char *authorization, struct th_resp *);
/*
 * Asserts an error answer: `status', Content-Type application/json and
 * exactly {"code":<status>,"message":"<msg>"} and a newline.
 */
void	 th_expect_error(const struct th_resp *, int status, const char *msg);
/* Header value (copied into a static buffer) or NULL. */
const char *th_header(const struct th_resp *, const char *name);
void	 th_resp_free(struct th_resp *);

/* A direct connection for fixtures and checks; fails the test if down. */
PGconn	*th_pg(void);
/* Runs fixture SQL (static text in the test); fails the test on error. */
void	 th_exec(PGconn *, const char *sql);
/* First column of the first row as a string (static buffer) or NULL. */
const char *th_scalar(PGconn *, const char *sql);
/* Empties the service's tables (versions, clusters, check-ins, doctors). */
void	 th_truncate_all(PGconn *);

#endif
