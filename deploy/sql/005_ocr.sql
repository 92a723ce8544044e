-- Documents whose text was recognised from page images (scanned PDF pages, OCR with
-- Tesseract): whether, and Tesseract's mean confidence (0-100) over the OCR'd text, so
-- that analysts can filter or weigh them. Documents loaded before stay ocr = false.
ALTER TABLE reports.documents
    ADD COLUMN ocr            boolean NOT NULL DEFAULT false,
    ADD COLUMN ocr_confidence double precision
        CHECK (ocr_confidence IS NULL OR (ocr_confidence >= 0 AND ocr_confidence <= 100));

CREATE INDEX documents_ocr_idx ON reports.documents (ocr) WHERE ocr;

COMMENT ON COLUMN reports.documents.ocr IS 'text recognised from page images (scanned PDF)';
COMMENT ON COLUMN reports.documents.ocr_confidence IS 'mean Tesseract confidence 0-100 of the OCR''d text';
