-- bench/sql/probe.sql: the table of the INSERT ceiling (bench/probe.c and
-- pgbench-insert.sql).  Shaped like clusters_checkins: a bigserial key, a
-- uuid, a time and the posted JSON.
DROP TABLE IF EXISTS bench_probe;
CREATE TABLE bench_probe (
    id         bigserial PRIMARY KEY,
    k          uuid NOT NULL,
    created_at timestamptz NOT NULL,
    data       json
);
