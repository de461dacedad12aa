-- PostgreSQL twin of migrations/0003_search.sql: a tsvector per report, GIN-indexed.
ALTER TABLE reports ADD COLUMN search tsvector;
UPDATE reports r SET search = to_tsvector('simple', coalesce(v.title, '') || ' ' || ((v.document::json)->>'text'))
FROM revisions v WHERE v.report_id = r.id AND v.revision = r.latest_revision;
CREATE INDEX reports_search ON reports USING GIN (search);
