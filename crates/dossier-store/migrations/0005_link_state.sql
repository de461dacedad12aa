-- Ingest order (seq: each new revision gets the next number) and the cross-report stage's saved
-- state: the incremental indexes and what they have folded, compressed, with a generation that
-- lets concurrent processes save it without overwriting each other (compare and set).
ALTER TABLE revisions ADD COLUMN seq INTEGER;
UPDATE revisions SET seq = rowid;
CREATE INDEX revisions_seq ON revisions(seq);
CREATE TABLE link_state (
    name       TEXT PRIMARY KEY,
    generation INTEGER NOT NULL,
    version    TEXT NOT NULL,
    state      BLOB NOT NULL,
    updated_at TEXT NOT NULL
);
