-- PostgreSQL twin of migrations/0005_link_state.sql (seq from a sequence).
ALTER TABLE revisions ADD COLUMN seq BIGSERIAL;
CREATE INDEX revisions_seq ON revisions(seq);
CREATE TABLE link_state (
    name       TEXT PRIMARY KEY,
    generation BIGINT NOT NULL,
    version    TEXT NOT NULL,
    state      BYTEA NOT NULL,
    updated_at TEXT NOT NULL
);
