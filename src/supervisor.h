/* supervisor.h: binds the socket, forks and watches the worker pool. */
#ifndef WFM_SUPERVISOR_H
#define WFM_SUPERVISOR_H

struct config;
struct config_overrides;

/*
 * Opens the FastCGI listening socket described by cfg->listen (unix:PATH
 * with owner and mode, or HOST:PORT).  Returns the descriptor, or -1
 * (logged).
 */
int	 supervisor_listen(const struct config *);

/*
 * Runs the pool until SIGTERM/SIGINT: forks cfg->workers workers, replaces
 * dead ones (rate-limited), rolls them on SIGHUP after re-reading
 * `config_path'.  Takes ownership of `cfg'.  Returns the exit status.
 */
int	 supervisor_run(struct config *cfg, int listen_fd,
	    const char *config_path, const struct config_overrides *);

/* When started as root: switch to cfg->user/group.  0, or -1 (logged). */
int	 supervisor_drop_privileges(const struct config *);

#endif
