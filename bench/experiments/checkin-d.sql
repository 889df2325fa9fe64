-- bench/experiments/checkin-d.sql: checkin-e.sql storing no body in clusters_checkins
-- (src/db_clusters.c CSTMT_CHECKIN) for pgbench, with the cluster id made
-- in SQL: one new cluster in four, else a repeat check-in of one of the
-- generated population's clusters.  See docs/performance.md.
\set r random(1, 4)
\if :r = 1
\set i random(2000001, 2000000000)
\else
\set i random(1, 1000000)
\endif
WITH t AS (SELECT statement_timestamp() AT TIME ZONE 'UTC' AS now, :body::json AS d),
st AS (INSERT INTO cluster_stats AS s (cluster_id, first_seen, last_seen, checkins)
  SELECT md5('bench-cluster-' || :i)::uuid, t.now, t.now, 1 FROM t
  ON CONFLICT (cluster_id) DO UPDATE SET
  first_seen = least(s.first_seen, EXCLUDED.first_seen),
  last_seen = greatest(s.last_seen, EXCLUDED.last_seen),
  checkins = s.checkins + 1 RETURNING s.first_seen),
ci AS (INSERT INTO clusters_checkins (cluster_id, created_at, data)
  SELECT md5('bench-cluster-' || :i)::uuid, t.now, NULL::json FROM t),
cl AS (INSERT INTO clusters (cluster_id, data)
  SELECT md5('bench-cluster-' || :i)::uuid, t.d FROM t
  ON CONFLICT (cluster_id) DO UPDATE SET data = EXCLUDED.data)
SELECT (extract(epoch FROM st.first_seen) * 1000000)::bigint,
  (extract(epoch FROM t.now) * 1000000)::bigint FROM st, t;
