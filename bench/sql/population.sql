-- bench/sql/population.sql: a generated cluster population for the
-- statistics workloads of bench/run, straight into clusters,
-- clusters_checkins and cluster_stats (db/migrations/0003_clusters.sql).
--
--   psql -v clusters=1000000 -v template="$JSON" -v template_id=$UUID \
--        -f bench/sql/population.sql
--
-- :template is the stored clusters.data of one real v2.18 check-in made
-- through the API; :template_id its cluster id, replaced by each generated
-- cluster's own.  Everything already in the three tables is removed.
--
-- The population, over the two years before now (UTC, whole seconds):
--   * :clusters clusters (ids md5-derived, so random-looking and the same
--     in every run); every second one checked in once (a short-lived test
--     install), the others 2 to 37 times (n = 1 + (i * 7919) % 37, mean
--     19), 12 hours apart like a workflow-manager agent, all before now;
--     first check-ins uniform over the two years (setseed: the same times
--     relative to now in every run);
--   * clusters_checkins: 10 check-ins per cluster on average (10 million
--     for 1 million clusters), inserted in time order as a real history
--     would be; their data column is left NULL (no statistics query
--     reads it, and 10 million 2 KB bodies would be 20 GB);
--   * clusters: the template body per cluster (what GET /v3/clusters/age
--     returns);
--   * cluster_stats: first/last check-in and count, which is exactly what
--     the migration's backfill computes from clusters_checkins.
--
-- Speed: the tables' indexes and primary/unique constraints are dropped
-- for the load and rebuilt afterwards from their own definitions (read
-- from the catalogue first, so this follows the migrations), and the
-- session does not wait for WAL flushes (synchronous_commit off, this
-- session only).
\set ON_ERROR_STOP on
SET synchronous_commit = off;
SET work_mem = '256MB';
SET maintenance_work_mem = '512MB';
SET TimeZone = 'UTC';
SELECT setseed(0.42);

-- (the migration's trigger empties cluster_stats with clusters_checkins)
TRUNCATE clusters_checkins RESTART IDENTITY;
TRUNCATE clusters, cluster_stats;

-- Indexes and constraints of the three tables, to rebuild after the load.
CREATE TEMP TABLE bench_ddl AS
SELECT 1 AS ord, c.conrelid::regclass::text AS tbl, c.conname AS name,
       pg_get_constraintdef(c.oid) AS def
FROM pg_constraint c
WHERE c.conrelid IN ('clusters_checkins'::regclass, 'clusters'::regclass,
                     'cluster_stats'::regclass)
  AND c.contype IN ('p', 'u')
UNION ALL
SELECT 2, i.indrelid::regclass::text, x.relname::text,
       pg_get_indexdef(i.indexrelid)
FROM pg_index i
JOIN pg_class x ON x.oid = i.indexrelid
WHERE i.indrelid IN ('clusters_checkins'::regclass, 'clusters'::regclass,
                     'cluster_stats'::regclass)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                  WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u'));

DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT * FROM bench_ddl ORDER BY ord DESC LOOP
        IF r.ord = 1 THEN
            EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.name);
        ELSE
            EXECUTE format('DROP INDEX %I', r.name);
        END IF;
    END LOOP;
END
$$;

CREATE TEMP TABLE bench_pop AS
SELECT md5('bench-cluster-' || i)::uuid AS id, n,
       date_trunc('second',
           (now() AT TIME ZONE 'UTC') - interval '1 minute'
           - (n - 1) * interval '12 hours'
           - random() * (interval '730 days' - (n - 1) * interval '12 hours'))
           AS first
FROM (SELECT i, CASE WHEN i % 2 = 0 THEN 1 ELSE 1 + (i::bigint * 7919) % 37 END AS n
      FROM generate_series(1, :clusters) AS i) s;

INSERT INTO clusters_checkins (cluster_id, created_at, data)
SELECT p.id, p.first + k * interval '12 hours', NULL
FROM bench_pop p, generate_series(0, p.n - 1) AS k
ORDER BY 2;

INSERT INTO cluster_stats (cluster_id, first_seen, last_seen, checkins)
SELECT id, first, first + (n - 1) * interval '12 hours', n
FROM bench_pop;

INSERT INTO clusters (cluster_id, data)
SELECT id, replace(:'template', :'template_id', id::text)::json
FROM bench_pop;

DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT * FROM bench_ddl ORDER BY ord LOOP
        IF r.ord = 1 THEN
            EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s',
                           r.tbl, r.name, r.def);
        ELSE
            EXECUTE r.def;
        END IF;
    END LOOP;
END
$$;

-- Visibility map and statistics, as a long-running database has them;
-- then write everything out so the measurements do not pay for it.
VACUUM (ANALYZE) clusters_checkins, clusters, cluster_stats;
CHECKPOINT;
