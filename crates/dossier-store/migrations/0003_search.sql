-- Full-text search over the latest revision of each report (title and clean text).
CREATE VIRTUAL TABLE report_search USING fts5(
    report_id UNINDEXED,
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO report_search (report_id, title, body)
SELECT r.id, v.title, json_extract(v.document, '$.text')
FROM reports r JOIN revisions v ON v.report_id = r.id AND v.revision = r.latest_revision;
