-- PostgreSQL twin of migrations/0006_claim_search.sql: a claims table with a GIN-indexed tsvector.
CREATE TABLE claim_search (
    report_id  TEXT NOT NULL,
    revision   BIGINT NOT NULL,
    claim      TEXT NOT NULL,
    start_at   BIGINT NOT NULL,
    end_at     BIGINT NOT NULL,
    commitment TEXT NOT NULL,
    text       TEXT NOT NULL,
    chain      TEXT NOT NULL,
    search     tsvector GENERATED ALWAYS AS (to_tsvector('simple', text || ' ' || chain)) STORED,
    PRIMARY KEY (report_id, claim)
);
CREATE INDEX claim_search_fts ON claim_search USING GIN (search);
