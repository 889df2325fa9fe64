/* supervisor.c: binds the socket, forks and watches the worker pool. */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <netdb.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "metrics.h"
#include "supervisor.h"
#include "timefmt.h"
#include "worker.h"
#include "xalloc.h"

#define LISTEN_BACKLOG	1024
#define MAX_CHILDREN	(2 * 1024 + 16)
#define DEATH_WINDOW	64

struct child {
	pid_t		 pid;		/* 0 = free slot */
	unsigned	 gen;		/* configuration generation */
	bool		 stopping;	/* SIGTERM sent */
	double		 started;
};

struct pool {
	struct config	*cfg;
	const char	*config_path;
	const struct config_overrides *ov;
	int		 fd;
	struct metrics	*metrics;
	struct child	 kids[MAX_CHILDREN];
	unsigned	 gen;
	double		 deaths[DEATH_WINDOW];	/* times of abnormal deaths */
	unsigned	 ndeaths;
	bool		 terminating;
	double		 deadline;
	double		 throttled_until;
	bool		 throttle_logged;
};

static int
resolve_user(const char *spec, uid_t *uid, gid_t *gid, bool *has_gid)
{
	char		 user[128];
	const char	*colon = strchr(spec, ':');
	size_t		 n = colon != NULL ? (size_t)(colon - spec) :
	    strlen(spec);
	struct passwd	*pw;
	struct group	*gr;

	*has_gid = false;
	if (n >= sizeof(user))
		return -1;
	memcpy(user, spec, n);
	user[n] = '\0';
	if (n > 0) {
		if ((pw = getpwnam(user)) == NULL) {
			log_err("socket_owner: no user \"%s\"", user);
			return -1;
		}
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
		*has_gid = true;
	} else
		*uid = (uid_t)-1;
	if (colon != NULL && colon[1] != '\0') {
		if ((gr = getgrnam(colon + 1)) == NULL) {
			log_err("socket_owner: no group \"%s\"", colon + 1);
			return -1;
		}
		*gid = gr->gr_gid;
		*has_gid = true;
	}
	return 0;
}

static int
listen_unix(const struct config *cfg, const char *path)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	int			 fd;
	mode_t			 old;
	uid_t			 uid;
	gid_t			 gid;
	bool			 has_gid;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_err("listen: socket path too long: %s", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	/* A stale socket from an earlier run; never remove anything else. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			log_err("listen: %s exists and is not a socket", path);
			return -1;
		}
		unlink(path);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		log_err("listen: socket: %s", strerror(errno));
		return -1;
	}
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		log_err("listen: bind %s: %s", path, strerror(errno));
		umask(old);
		close(fd);
		return -1;
	}
	umask(old);
	if (cfg->socket_owner[0] != '\0') {
		if (resolve_user(cfg->socket_owner, &uid, &gid, &has_gid) ==
		    -1 || chown(path, uid, has_gid ? gid : (gid_t)-1) == -1) {
			log_err("listen: cannot give %s to %s: %s", path,
			    cfg->socket_owner, strerror(errno));
			close(fd);
			return -1;
		}
	}
	if (chmod(path, cfg->socket_mode) == -1) {
		log_err("listen: chmod %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int
listen_tcp(const char *spec)
{
	char			 host[256];
	const char		*colon = strrchr(spec, ':');
	struct addrinfo		 hints, *ai = NULL;
	size_t			 n = (size_t)(colon - spec);
	int			 fd, on = 1, rc;

	if (n >= sizeof(host))
		return -1;
	memcpy(host, spec, n);
	host[n] = '\0';
	if (n > 2 && host[0] == '[' && host[n - 1] == ']') {
		memmove(host, host + 1, n - 2);
		host[n - 2] = '\0';
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, colon + 1, &hints, &ai)) != 0) {
		log_err("listen: %s: %s", spec, gai_strerror(rc));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on,
	    sizeof(on)) == -1 || bind(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
		log_err("listen: bind %s: %s", spec, strerror(errno));
		if (fd != -1)
			close(fd);
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	return fd;
}

int
supervisor_listen(const struct config *cfg)
{
	struct timeval	 tv = { 1, 0 };
	int		 fd;

	if (strncmp(cfg->listen, "unix:", 5) == 0)
		fd = listen_unix(cfg, cfg->listen + 5);
	else
		fd = listen_tcp(cfg->listen);
	if (fd == -1)
		return -1;
	/*
	 * Workers block in accept(2); this timeout wakes them every second
	 * so that a stop request is never missed.
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1 ||
	    listen(fd, LISTEN_BACKLOG) == -1) {
		log_err("listen: %s: %s", cfg->listen, strerror(errno));
		close(fd);
		return -1;
	}
	/* Workers inherit it across fork, never across exec. */
	return fd;
}

int
supervisor_drop_privileges(const struct config *cfg)
{
	struct passwd	*pw;
	struct group	*gr;
	gid_t		 gid;

	if (geteuid() != 0)
		return 0;
	if (cfg->user[0] == '\0') {
		log_err("started as root with no user to switch to: set "
		    "\"user\" in the configuration");
		return -1;
	}
	if ((pw = getpwnam(cfg->user)) == NULL) {
		log_err("user \"%s\" does not exist", cfg->user);
		return -1;
	}
	gid = pw->pw_gid;
	if (cfg->group[0] != '\0') {
		if ((gr = getgrnam(cfg->group)) == NULL) {
			log_err("group \"%s\" does not exist", cfg->group);
			return -1;
		}
		gid = gr->gr_gid;
	}
	if (setgroups(1, &gid) == -1 || setresgid(gid, gid, gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1) {
		log_err("cannot switch to user %s: %s", cfg->user,
		    strerror(errno));
		return -1;
	}
	if (setuid(0) != -1) {
		log_err("privileges could not be dropped");
		return -1;
	}
	log_info("running as user %s", cfg->user);
	return 0;
}

static unsigned
count(const struct pool *p, bool current_only)
{
	unsigned	 n = 0;

	for (size_t i = 0; i < MAX_CHILDREN; i++)
		if (p->kids[i].pid != 0 && (!current_only ||
		    (p->kids[i].gen == p->gen && !p->kids[i].stopping)))
			n++;
	return n;
}

static int
spawn(struct pool *p)
{
	size_t	 slot;
	pid_t	 pid;

	for (slot = 0; slot < MAX_CHILDREN; slot++)
		if (p->kids[slot].pid == 0)
			break;
	if (slot == MAX_CHILDREN)
		return -1;
	pid = fork();
	if (pid == -1) {
		log_err("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int	 rc;

		rc = worker_main(p->cfg, p->fd, p->metrics, (unsigned)slot);
		_exit(rc);
	}
	p->kids[slot].pid = pid;
	p->kids[slot].gen = p->gen;
	p->kids[slot].stopping = false;
	p->kids[slot].started = time_mono();
	metrics_worker_started(p->metrics);
	log_debug("worker %d started (slot %zu)", (int)pid, slot);
	return 0;
}

static void
stop_child(struct child *c)
{
	if (c->pid != 0 && !c->stopping) {
		kill(c->pid, SIGTERM);
		c->stopping = true;
	}
}

/* Collects dead workers and says how each died. */
static void
reap(struct pool *p)
{
	pid_t	 pid;
	int	 st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		struct child	*c = NULL;
		enum worker_exit why;
		bool		 abnormal = false;

		for (size_t i = 0; i < MAX_CHILDREN; i++)
			if (p->kids[i].pid == pid) {
				c = &p->kids[i];
				metrics_slot_clear(p->metrics, (unsigned)i);
				break;
			}
		if (WIFSIGNALED(st)) {
			why = WEXIT_SIGNAL;
			abnormal = !(c != NULL && c->stopping &&
			    WTERMSIG(st) == SIGTERM);
			log_warn("worker %d killed by signal %d (%s)%s",
			    (int)pid, WTERMSIG(st), strsignal(WTERMSIG(st)),
			    WCOREDUMP(st) ? ", core dumped" : "");
		} else if (WEXITSTATUS(st) == WORKER_EXIT_RECYCLE) {
			why = WEXIT_RECYCLED;
			log_info("worker %d recycled", (int)pid);
		} else if (WEXITSTATUS(st) == WORKER_EXIT_SHUTDOWN) {
			why = WEXIT_SHUTDOWN;
			abnormal = c == NULL || !c->stopping;
			log_info("worker %d exited", (int)pid);
		} else {
			why = WEXIT_ERROR;
			abnormal = true;
			log_warn("worker %d exited with status %d", (int)pid,
			    WEXITSTATUS(st));
		}
		metrics_worker_exited(p->metrics, why);
		if (abnormal && !p->terminating) {
			memmove(p->deaths + 1, p->deaths,
			    (DEATH_WINDOW - 1) * sizeof(p->deaths[0]));
			p->deaths[0] = time_mono();
			if (p->ndeaths < DEATH_WINDOW)
				p->ndeaths++;
		}
		if (c != NULL)
			memset(c, 0, sizeof(*c));
	}
}

/* Crash-loop guard: may a worker be started now? */
static bool
may_spawn(struct pool *p, double now)
{
	unsigned	 burst = p->cfg->respawn_burst, recent = 0;

	if (now < p->throttled_until)
		return false;
	for (unsigned i = 0; i < p->ndeaths; i++)
		if (now - p->deaths[i] < p->cfg->respawn_interval)
			recent++;
	if (burst > DEATH_WINDOW)
		burst = DEATH_WINDOW;
	if (recent >= burst) {
		p->throttled_until = now + p->cfg->respawn_interval;
		log_err("%u workers died in the last %u seconds; waiting %u "
		    "seconds before starting more (see the errors above)",
		    recent, p->cfg->respawn_interval,
		    p->cfg->respawn_interval);
		p->ndeaths = 0;
		return false;
	}
	return true;
}

static void
reload(struct pool *p)
{
	struct config	*nc;

	log_info("reloading %s", p->config_path);
	nc = config_load(p->config_path, false, p->ov, stderr);
	if (nc == NULL) {
		log_err("configuration has errors; keeping the running one");
		return;
	}
	if (strcmp(nc->listen, p->cfg->listen) != 0)
		log_warn("listen changed to %s: restart to apply it",
		    nc->listen);
	/*
	 * Old workers keep serving until each has a replacement; the
	 * configuration they forked with stays valid in their own memory.
	 */
	config_free(p->cfg);
	p->cfg = nc;
	log_open(nc->log_target, nc->log_level, "workflow-manager-api");
	p->gen++;
	metrics_set_workers(p->metrics, nc->workers, count(p, false));
}

/* Rolls one old-generation worker per new one started. */
static void
roll(struct pool *p)
{
	for (size_t i = 0; i < MAX_CHILDREN; i++) {
		struct child	*c = &p->kids[i];

		if (c->pid == 0 || c->stopping || c->gen == p->gen)
			continue;
		if (count(p, true) < p->cfg->workers) {
			if (spawn(p) == -1)
				return;
		}
		stop_child(c);
	}
	/* More workers than wanted after a reload: stop the extra. */
	for (size_t i = 0; i < MAX_CHILDREN && count(p, true) >
	    p->cfg->workers; i++)
		if (p->kids[i].pid != 0 && !p->kids[i].stopping)
			stop_child(&p->kids[i]);
}

static void
begin_stop(struct pool *p, int sig)
{
	log_info("received %s, finishing in-flight requests (at most %u "
	    "seconds)", strsignal(sig), p->cfg->shutdown_timeout);
	p->terminating = true;
	p->deadline = time_mono() + p->cfg->shutdown_timeout;
	/*
	 * Remove the socket's name first, so that nothing new arrives while
	 * the workers serve what is already queued, then tell them to stop.
	 */
	if (strncmp(p->cfg->listen, "unix:", 5) == 0)
		unlink(p->cfg->listen + 5);
	close(p->fd);
	p->fd = -1;
	for (size_t i = 0; i < MAX_CHILDREN; i++)
		stop_child(&p->kids[i]);
}

int
supervisor_run(struct config *cfg, int listen_fd, const char *config_path,
    const struct config_overrides *ov)
{
	struct pool	*p;
	sigset_t	 set;
	siginfo_t	 si;
	struct timespec	 tick = { 0, 250 * 1000 * 1000 };
	int		 sig, rc = 0;
	bool		 killed = false;

	p = xcalloc(1, sizeof(*p));
	p->cfg = cfg;
	p->config_path = config_path;
	p->ov = ov;
	p->fd = listen_fd;
	p->metrics = metrics_new(cfg->workers);
	if (p->metrics == NULL) {
		free(p);
		return 1;
	}

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	log_info("workflow-manager-api %s starting %u workers on %s",
	    PACKAGE_VERSION, cfg->workers, cfg->listen);
	for (;;) {
		double	 now = time_mono();

		reap(p);
		if (p->terminating) {
			if (count(p, false) == 0)
				break;
			if (now >= p->deadline && !killed) {
				log_warn("shutdown_timeout reached; killing %u "
				    "workers", count(p, false));
				for (size_t i = 0; i < MAX_CHILDREN; i++)
					if (p->kids[i].pid != 0)
						kill(p->kids[i].pid, SIGKILL);
				killed = true;
				rc = 1;
			}
		} else {
			roll(p);
			while (count(p, true) < p->cfg->workers &&
			    may_spawn(p, now))
				if (spawn(p) == -1)
					break;
			metrics_set_workers(p->metrics, p->cfg->workers,
			    count(p, false));
		}
		sig = sigtimedwait(&set, &si, &tick);
		if (sig == SIGTERM || sig == SIGINT) {
			if (!p->terminating)
				begin_stop(p, sig);
		} else if (sig == SIGHUP && !p->terminating)
			reload(p);
	}
	if (p->fd != -1)
		close(p->fd);
	log_info("stopped");
	metrics_free(p->metrics);
	config_free(p->cfg);
	free(p);
	return rc;
}
