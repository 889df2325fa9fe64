-- bench/sql/pgbench-insert.sql: the INSERT ceiling, the statement of
-- bench/probe.c's /insert (autocommit, default synchronous_commit), run by
-- pgbench -M prepared -D body=<the v2.18 check-in body>.
INSERT INTO bench_probe (k, created_at, data)
VALUES (gen_random_uuid(), now(), :body);
