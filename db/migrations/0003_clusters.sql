-- Clusters: a per-cluster summary of the check-in history, and indexes.
--
-- cluster_stats holds, for every cluster that ever checked in, its first
-- and latest check-in time and the number of check-ins: exactly what
-- min(created_at), max(created_at) and count(*) over clusters_checkins
-- give, kept up to date by the check-in statement itself (one row
-- upserted per check-in), so that the cluster queries (age, checkins,
-- persistent, count) read one narrow row per cluster instead of grouping
-- the whole check-in history.  Times are UTC, as in clusters_checkins.
--
-- The original's check-ins are adopted here: the summary is built from
-- clusters_checkins as it stands.  Should clusters_checkins ever be edited
-- by hand, rebuild the summary with the same statement (after
-- TRUNCATE cluster_stats).
--
-- fillfactor: every check-in rewrites its cluster's row; free space on
-- the page keeps the new version on the same page.
CREATE TABLE IF NOT EXISTS cluster_stats (
    cluster_id uuid PRIMARY KEY,
    first_seen timestamp NOT NULL,
    last_seen  timestamp NOT NULL,
    checkins   bigint NOT NULL
) WITH (fillfactor = 70);

-- No check-in may slip between the backfill and the commit.
LOCK TABLE clusters_checkins IN SHARE MODE;

INSERT INTO cluster_stats (cluster_id, first_seen, last_seen, checkins)
SELECT cluster_id, min(created_at), max(created_at), count(*)
FROM clusters_checkins
WHERE cluster_id IS NOT NULL AND created_at IS NOT NULL
GROUP BY cluster_id
ON CONFLICT (cluster_id) DO NOTHING;

-- Age and check-in queries walk clusters in first check-in order (and
-- page on (first_seen, cluster_id)); "checked in since" reads last_seen.
CREATE INDEX IF NOT EXISTS cluster_stats_first_seen_idx
    ON cluster_stats (first_seen, cluster_id);
CREATE INDEX IF NOT EXISTS cluster_stats_last_seen_idx
    ON cluster_stats (last_seen);

-- One cluster's history (rebuilding its summary, support queries).
CREATE INDEX IF NOT EXISTS clusters_checkins_cluster_id_created_at_idx
    ON clusters_checkins (cluster_id, created_at);

-- Emptying the check-in history empties its summary too.
CREATE OR REPLACE FUNCTION cluster_stats_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE cluster_stats;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS clusters_checkins_truncate ON clusters_checkins;
CREATE TRIGGER clusters_checkins_truncate
    AFTER TRUNCATE ON clusters_checkins
    FOR EACH STATEMENT EXECUTE FUNCTION cluster_stats_truncate();

ANALYZE cluster_stats;
