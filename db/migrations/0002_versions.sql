-- Versions: the index behind "latest" (GET .../latest and the multi-get).
-- Per (component, train) the newest release_timestamp is the first entry
-- of this index, and the releases tied on it are the next entries, so
-- "latest" is an index lookup whatever the number of releases.  NULLS
-- LAST: a row of an original database without a release time ranks below
-- every dated one.  The versions table itself is unchanged: an original
-- database keeps working as it was.
CREATE INDEX IF NOT EXISTS versions_latest_idx
    ON versions (component_name, train, release_timestamp DESC NULLS LAST,
                 version_id);
