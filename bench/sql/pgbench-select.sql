-- bench/sql/pgbench-select.sql: the SELECT ceiling, the statement of
-- bench/probe.c's /select, run by pgbench -M prepared -D lo=.. -D hi=..
\set k random(:lo, :hi)
SELECT data FROM versions WHERE version_id = :k;
