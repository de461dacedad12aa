-- A hash of the input bytes and container hints of each revision, so re-ingesting an input
-- that is already stored (a resumed WARC, a re-polled feed) skips extraction.
ALTER TABLE revisions ADD COLUMN input_hash TEXT;
CREATE INDEX revisions_input_hash ON revisions(input_hash);
