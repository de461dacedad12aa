-- Per-report analysis (sentences, mentions, times, attributions, claims, events) as JSON, with
-- the analyser version that produced it, and a lease so that many workers can share the work:
-- a worker claims revisions (claimed_by, claimed_until), analyses them and stores the result;
-- a claim whose lease ran out can be taken by another worker.
ALTER TABLE revisions ADD COLUMN analysis TEXT;
ALTER TABLE revisions ADD COLUMN analysis_version TEXT;
ALTER TABLE revisions ADD COLUMN analysed_at TEXT;
ALTER TABLE revisions ADD COLUMN claimed_by TEXT;
ALTER TABLE revisions ADD COLUMN claimed_until INTEGER;
CREATE INDEX revisions_pending ON revisions(analysis_version, claimed_until);
