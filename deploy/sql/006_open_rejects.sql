-- Rejects that still stand. A document rejected once can load later: a decoder that timed
-- out under load, a batch PostgreSQL refused during an outage, a version fixed at its
-- source and fetched again. Its reject row stays in reports.rejects, the history of what
-- went wrong; this view leaves out the rows of documents loaded after the reject, so that
-- what an operator counts or alerts on is what still needs a look. A reject without a
-- doc_id (a message that could not even be read) always stands. A reject written in the
-- same transaction as a load of its document stands too (which came first is not known).
CREATE VIEW reports.open_rejects AS
SELECT r.*
FROM reports.rejects r
WHERE r.doc_id IS NULL
   OR NOT EXISTS (SELECT 1
                  FROM reports.documents d
                  WHERE d.doc_id = r.doc_id AND d.loaded_at > r.rejected_at);

COMMENT ON VIEW reports.open_rejects IS
    'rejects not followed by a load of the same document (reports.rejects keeps them all)';
