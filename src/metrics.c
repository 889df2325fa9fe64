/* metrics.c: pool-wide counters in shared memory, Prometheus text output. */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "log.h"
#include "metrics.h"
#include "router.h"

#define PFX "workflow_manager_api_"

/* Status codes counted one by one; anything else is "other". */
static const int statuses[] = {
	200, 400, 401, 403, 404, 405, 408, 413, 414, 415, 422, 429, 500, 502,
	503, 504
};
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]) + 1)

static const double buckets[] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
	2.5, 5, 10
};
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

/* Route index ROUTE__MAX is "no route" (404, bad request). */
#define NROUTES (ROUTE__MAX + 1)

static const char *const exit_names[WEXIT__MAX] = {
	[WEXIT_RECYCLED] = "recycled",
	[WEXIT_SHUTDOWN] = "shutdown",
	[WEXIT_ERROR] = "error",
	[WEXIT_SIGNAL] = "signal",
};

struct metrics {
	uint64_t	 requests[NROUTES][NSTATUS];
	uint64_t	 hist[NROUTES][NBUCKETS + 1];
	uint64_t	 hist_sum_us[NROUTES];
	uint64_t	 bytes_in[NROUTES];
	uint64_t	 bytes_out[NROUTES];
	uint64_t	 db_errors;
	uint64_t	 db_reconnects;
	uint64_t	 worker_starts;
	uint64_t	 worker_exits[WEXIT__MAX];
	uint64_t	 workers_configured;
	uint64_t	 workers_running;
	int64_t		 schema_version;
	uint8_t		 busy[METRICS_SLOTS];
	uint8_t		 live[METRICS_SLOTS];
};

#define ADD(p, n) __atomic_fetch_add((p), (n), __ATOMIC_RELAXED)
#define LOAD(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)

struct metrics *
metrics_new(unsigned max_workers)
{
	void	*p;

	(void)max_workers;
	p = mmap(NULL, sizeof(struct metrics), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		log_err("metrics: mmap failed");
		return NULL;
	}
	memset(p, 0, sizeof(struct metrics));
	return p;
}

void
metrics_free(struct metrics *m)
{
	if (m != NULL)
		munmap(m, sizeof(*m));
}

void
metrics_worker_busy(struct metrics *m, unsigned slot, bool busy)
{
	if (m == NULL || slot >= METRICS_SLOTS)
		return;
	STORE(&m->live[slot], 1);
	STORE(&m->busy[slot], busy ? 1 : 0);
}

void
metrics_slot_clear(struct metrics *m, unsigned slot)
{
	if (m == NULL || slot >= METRICS_SLOTS)
		return;
	STORE(&m->busy[slot], 0);
	STORE(&m->live[slot], 0);
}

static size_t
status_index(int status)
{
	for (size_t i = 0; i < NSTATUS - 1; i++)
		if (statuses[i] == status)
			return i;
	return NSTATUS - 1;
}

void
metrics_request(struct metrics *m, int route, int status, double seconds,
    unsigned long long bytes_in, unsigned long long bytes_out)
{
	size_t	 r, b;

	if (m == NULL)
		return;
	r = route < 0 || route >= ROUTE__MAX ? ROUTE__MAX : (size_t)route;
	ADD(&m->requests[r][status_index(status)], 1);
	for (b = 0; b < NBUCKETS; b++)
		if (seconds <= buckets[b])
			break;
	ADD(&m->hist[r][b], 1);
	ADD(&m->hist_sum_us[r], (uint64_t)(seconds * 1e6));
	ADD(&m->bytes_in[r], bytes_in);
	ADD(&m->bytes_out[r], bytes_out);
}

void
metrics_db_error(struct metrics *m)
{
	if (m != NULL)
		ADD(&m->db_errors, 1);
}

void
metrics_db_reconnect(struct metrics *m)
{
	if (m != NULL)
		ADD(&m->db_reconnects, 1);
}

void
metrics_set_schema_version(struct metrics *m, long long v)
{
	if (m != NULL)
		STORE(&m->schema_version, (int64_t)v);
}

void
metrics_worker_started(struct metrics *m)
{
	if (m != NULL)
		ADD(&m->worker_starts, 1);
}

void
metrics_worker_exited(struct metrics *m, enum worker_exit why)
{
	if (m != NULL && why < WEXIT__MAX)
		ADD(&m->worker_exits[why], 1);
}

void
metrics_set_workers(struct metrics *m, unsigned configured, unsigned running)
{
	if (m == NULL)
		return;
	STORE(&m->workers_configured, configured);
	STORE(&m->workers_running, running);
}

static const char *
route_name(size_t r)
{
	return r == ROUTE__MAX ? "none" : routes[r].name;
}

static void
head(struct buf *out, const char *name, const char *type, const char *help)
{
	buf_printf(out, "# HELP " PFX "%s %s\n# TYPE " PFX "%s %s\n", name,
	    help, name, type);
}

void
metrics_render(const struct metrics *cm, struct buf *out)
{
	struct metrics	*m = (struct metrics *)(uintptr_t)cm;
	unsigned	 busy = 0, live = 0;

	head(out, "build_info", "gauge", "Version of the running program.");
	buf_printf(out, PFX "build_info{version=\"%s\"} 1\n", PACKAGE_VERSION);
	head(out, "schema_version", "gauge",
	    "Last database migration applied.");
	buf_printf(out, PFX "schema_version %lld\n",
	    (long long)LOAD(&m->schema_version));

	head(out, "http_requests_total", "counter",
	    "Requests answered, by route and status.");
	for (size_t r = 0; r < NROUTES; r++)
		for (size_t s = 0; s < NSTATUS; s++) {
			uint64_t v = LOAD(&m->requests[r][s]);

			if (v == 0)
				continue;
			if (s == NSTATUS - 1)
				buf_printf(out, PFX "http_requests_total"
				    "{route=\"%s\",status=\"other\"} %llu\n",
				    route_name(r), (unsigned long long)v);
			else
				buf_printf(out, PFX "http_requests_total"
				    "{route=\"%s\",status=\"%d\"} %llu\n",
				    route_name(r), statuses[s],
				    (unsigned long long)v);
		}

	head(out, "http_request_duration_seconds", "histogram",
	    "Time from accepting a request to its last byte, by route.");
	for (size_t r = 0; r < NROUTES; r++) {
		uint64_t	 cum = 0, total = 0;

		for (size_t b = 0; b <= NBUCKETS; b++)
			total += LOAD(&m->hist[r][b]);
		if (total == 0)
			continue;
		for (size_t b = 0; b < NBUCKETS; b++) {
			cum += LOAD(&m->hist[r][b]);
			buf_printf(out, PFX "http_request_duration_seconds_"
			    "bucket{route=\"%s\",le=\"%g\"} %llu\n",
			    route_name(r), buckets[b],
			    (unsigned long long)cum);
		}
		buf_printf(out, PFX "http_request_duration_seconds_bucket"
		    "{route=\"%s\",le=\"+Inf\"} %llu\n", route_name(r),
		    (unsigned long long)total);
		buf_printf(out, PFX "http_request_duration_seconds_sum"
		    "{route=\"%s\"} %.6f\n", route_name(r),
		    (double)LOAD(&m->hist_sum_us[r]) / 1e6);
		buf_printf(out, PFX "http_request_duration_seconds_count"
		    "{route=\"%s\"} %llu\n", route_name(r),
		    (unsigned long long)total);
	}

	head(out, "http_request_bytes_total", "counter",
	    "Request body bytes received, by route.");
	for (size_t r = 0; r < NROUTES; r++)
		if (LOAD(&m->bytes_in[r]) > 0)
			buf_printf(out, PFX "http_request_bytes_total"
			    "{route=\"%s\"} %llu\n", route_name(r),
			    (unsigned long long)LOAD(&m->bytes_in[r]));
	head(out, "http_response_bytes_total", "counter",
	    "Response body bytes sent, by route.");
	for (size_t r = 0; r < NROUTES; r++)
		if (LOAD(&m->bytes_out[r]) > 0)
			buf_printf(out, PFX "http_response_bytes_total"
			    "{route=\"%s\"} %llu\n", route_name(r),
			    (unsigned long long)LOAD(&m->bytes_out[r]));

	head(out, "db_errors_total", "counter",
	    "Failed database statements and connection attempts.");
	buf_printf(out, PFX "db_errors_total %llu\n",
	    (unsigned long long)LOAD(&m->db_errors));
	head(out, "db_reconnects_total", "counter",
	    "Database connections re-established after a loss.");
	buf_printf(out, PFX "db_reconnects_total %llu\n",
	    (unsigned long long)LOAD(&m->db_reconnects));

	head(out, "worker_starts_total", "counter", "Worker processes started.");
	buf_printf(out, PFX "worker_starts_total %llu\n",
	    (unsigned long long)LOAD(&m->worker_starts));
	head(out, "worker_exits_total", "counter",
	    "Worker processes ended, by cause.");
	for (int i = 0; i < WEXIT__MAX; i++)
		buf_printf(out, PFX "worker_exits_total{cause=\"%s\"} %llu\n",
		    exit_names[i],
		    (unsigned long long)LOAD(&m->worker_exits[i]));

	for (size_t i = 0; i < METRICS_SLOTS; i++) {
		if (!LOAD(&m->live[i]))
			continue;
		live++;
		if (LOAD(&m->busy[i]))
			busy++;
	}
	head(out, "workers", "gauge", "Worker processes by state.");
	buf_printf(out, PFX "workers{state=\"busy\"} %u\n", busy);
	buf_printf(out, PFX "workers{state=\"idle\"} %u\n",
	    live > busy ? live - busy : 0);
	head(out, "workers_configured", "gauge",
	    "Worker processes the configuration asks for.");
	buf_printf(out, PFX "workers_configured %llu\n",
	    (unsigned long long)LOAD(&m->workers_configured));
}
