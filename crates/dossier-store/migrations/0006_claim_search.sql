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
