-- Full-text search over claims: each claim's text and its attribution chain (labels from the
-- report's own voice to the deepest source), for the revision whose analysis produced it.
-- Filled when an analysis is stored; a report's rows are replaced by its next analysis.
CREATE VIRTUAL TABLE claim_search USING fts5(
    report_id UNINDEXED,
    revision UNINDEXED,
    claim UNINDEXED,
    start UNINDEXED,
    end UNINDEXED,
    commitment UNINDEXED,
    text,
    chain,
    tokenize = 'unicode61 remove_diacritics 2'
);
-- FTS5 cannot index its UNINDEXED columns, so finding a report's rows by `report_id` would read
-- the whole table on every ingest and analysis. These tables give each report's search rows
-- (their FTS rowids) by an indexed lookup instead.
CREATE TABLE claim_rows (
    row       INTEGER PRIMARY KEY,
    report_id TEXT NOT NULL
);
CREATE INDEX claim_rows_report ON claim_rows(report_id);
CREATE TABLE search_rows (
    row       INTEGER PRIMARY KEY,
    report_id TEXT NOT NULL UNIQUE
);
INSERT INTO search_rows (row, report_id) SELECT rowid, report_id FROM report_search;
