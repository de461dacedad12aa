-- PostgreSQL twin of migrations/0004_input_hash.sql.
ALTER TABLE revisions ADD COLUMN input_hash TEXT;
CREATE INDEX revisions_input_hash ON revisions(input_hash);
