-- The four tables of the original service, exactly as it created them at
-- start-up.  IF NOT EXISTS: a database of the original is adopted in place
-- with its rows untouched.
CREATE TABLE IF NOT EXISTS versions (
    version_id        bigserial PRIMARY KEY,
    component_name    varchar(32),
    train             varchar(24),
    version           varchar(32),
    release_timestamp timestamp,
    data              json,
    UNIQUE (component_name, train, version)
);
CREATE TABLE IF NOT EXISTS clusters (
    cluster_id uuid PRIMARY KEY,
    data       json
);
CREATE TABLE IF NOT EXISTS clusters_checkins (
    checkins_id bigserial PRIMARY KEY,
    cluster_id  uuid,
    created_at  timestamp,
    data        json
);
CREATE TABLE IF NOT EXISTS doctors (
    report_id uuid PRIMARY KEY,
    data      json
);
