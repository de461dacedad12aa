-- Reports and their revisions. A report is identified by its canonical URL (or its normalised
-- text); each distinct content seen at that identity is a revision. Raw input bytes are kept,
-- deflate-compressed, so reports can be re-analysed when the rules improve.
CREATE TABLE reports (
    id              TEXT PRIMARY KEY,
    url             TEXT,
    first_seen      TEXT NOT NULL,
    latest_revision INTEGER NOT NULL
);

CREATE TABLE revisions (
    report_id     TEXT NOT NULL REFERENCES reports(id),
    revision      INTEGER NOT NULL,
    content_hash  TEXT NOT NULL,
    ingested_at   TEXT NOT NULL,
    input         TEXT NOT NULL,
    format        TEXT NOT NULL,
    record        INTEGER,
    title         TEXT,
    outlet        TEXT,
    outlet_domain TEXT,
    published     TEXT,
    fetched       TEXT,
    language      TEXT,
    is_article    INTEGER NOT NULL,
    charset       TEXT,
    document      TEXT NOT NULL,   -- the extracted Document as JSON (text, blocks, metadata)
    raw           BLOB NOT NULL,   -- deflate-compressed input bytes
    raw_len       INTEGER NOT NULL,
    PRIMARY KEY (report_id, revision),
    UNIQUE (report_id, content_hash)
);

CREATE INDEX revisions_published ON revisions(published);
CREATE INDEX revisions_outlet ON revisions(outlet_domain);
