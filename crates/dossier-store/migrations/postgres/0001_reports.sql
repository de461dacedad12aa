-- PostgreSQL twin of migrations/0001_reports.sql: same tables, same columns, same meaning.
CREATE TABLE reports (
    id              TEXT PRIMARY KEY,
    url             TEXT,
    first_seen      TEXT NOT NULL,
    latest_revision BIGINT NOT NULL
);

CREATE TABLE revisions (
    report_id     TEXT NOT NULL REFERENCES reports(id),
    revision      BIGINT NOT NULL,
    content_hash  TEXT NOT NULL,
    ingested_at   TEXT NOT NULL,
    input         TEXT NOT NULL,
    format        TEXT NOT NULL,
    record        BIGINT,
    title         TEXT,
    outlet        TEXT,
    outlet_domain TEXT,
    published     TEXT,
    fetched       TEXT,
    language      TEXT,
    is_article    BOOLEAN NOT NULL,
    charset       TEXT,
    document      TEXT NOT NULL,
    raw           BYTEA NOT NULL,
    raw_len       BIGINT NOT NULL,
    PRIMARY KEY (report_id, revision),
    UNIQUE (report_id, content_hash)
);

CREATE INDEX revisions_published ON revisions(published);
CREATE INDEX revisions_outlet ON revisions(outlet_domain);
