-- PostgreSQL twin of migrations/0002_analysis.sql.
ALTER TABLE revisions ADD COLUMN analysis TEXT;
ALTER TABLE revisions ADD COLUMN analysis_version TEXT;
ALTER TABLE revisions ADD COLUMN analysed_at TEXT;
ALTER TABLE revisions ADD COLUMN claimed_by TEXT;
ALTER TABLE revisions ADD COLUMN claimed_until BIGINT;
CREATE INDEX revisions_pending ON revisions(analysis_version, claimed_until);
