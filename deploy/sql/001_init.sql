-- 001: the warehouse written by the load role (schema "reports").
-- Applied by `reportd migrate` inside one transaction and recorded in reports.schema_version
-- (the runner creates that table itself before the first migration).

CREATE SCHEMA IF NOT EXISTS reports;

-- Configured sources seen in loaded documents (name as in the config's sources array).
CREATE TABLE reports.sources (
    name          text PRIMARY KEY,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per doc_id: the latest version of the document (highest transform_version, then
-- the latest Kafka offset). kafka_* are the reports.parsed coordinates of the loaded
-- message, raw_* those of the reports.raw message it was derived from.
CREATE TABLE reports.documents (
    doc_id            text PRIMARY KEY,
    source            text,
    url               text,
    title             text,
    issuer            text,
    index_no          text,
    doc_no            text,
    region            text,
    region_code       text,
    province          text,
    city              text,
    year              integer,
    published_at      timestamptz,
    fetched_at        timestamptz,
    sha256            text,
    format            text,
    charset           text,
    text_chars        integer,
    n_sections        integer NOT NULL DEFAULT 0,
    n_indicators      integer NOT NULL DEFAULT 0,
    transform_version integer NOT NULL,
    kafka_topic       text NOT NULL,
    kafka_partition   integer NOT NULL,
    kafka_offset      bigint NOT NULL,
    raw_topic         text,
    raw_partition     integer,
    raw_offset        bigint,
    loaded_at         timestamptz NOT NULL DEFAULT now()
);

-- Sections of a document (the heading hierarchy). Replaced as a unit with the document.
CREATE TABLE reports.sections (
    doc_id    text NOT NULL REFERENCES reports.documents (doc_id) ON DELETE CASCADE,
    ord       integer NOT NULL,
    start_pos integer NOT NULL,
    end_pos   integer,
    marker    text,
    depth     integer NOT NULL,
    title     text,
    part      text NOT NULL CHECK (part IN ('review', 'problems', 'plan')),
    path      text,
    parent    integer,
    PRIMARY KEY (doc_id, ord)
);

-- Numeric indicators: every field of the extract contract plus the sentence it stands in.
-- ord is the indicator's position in the document's list; section is the section's ord.
CREATE TABLE reports.indicators (
    doc_id     text NOT NULL REFERENCES reports.documents (doc_id) ON DELETE CASCADE,
    ord        integer NOT NULL,
    start_pos  integer NOT NULL,
    end_pos    integer NOT NULL,
    raw        text NOT NULL,
    value      double precision NOT NULL,
    value_high double precision,
    unit       text NOT NULL DEFAULT '',
    qualifier  text CHECK (qualifier IN ('over', 'under', 'about', 'at_least')),
    metric     text,
    kind       text NOT NULL CHECK (kind IN ('actual', 'target')),
    category   text NOT NULL,
    section    integer,
    sentence   text,
    PRIMARY KEY (doc_id, ord)
);

-- Messages a stage could not process: the loader's own rejects and the reports.dlq items
-- of the transform stage. One row per (stage, original message).
CREATE TABLE reports.rejects (
    id              bigserial PRIMARY KEY,
    stage           text NOT NULL,
    reason          text NOT NULL,
    doc_id          text,
    kafka_topic     text NOT NULL,
    kafka_partition integer NOT NULL,
    kafka_offset    bigint NOT NULL,
    payload         text,
    rejected_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (stage, kafka_topic, kafka_partition, kafka_offset)
);

-- Next offset to consume per (consumer group, topic, partition), written in the same
-- transaction as the rows it covers: the loader resumes from here, not from Kafka.
CREATE TABLE reports.kafka_offsets (
    consumer_group text NOT NULL,
    topic          text NOT NULL,
    partition      integer NOT NULL,
    next_offset    bigint NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, topic, partition)
);

-- Usual filters of BI queries.
CREATE INDEX documents_region_year_idx ON reports.documents (region, year);
CREATE INDEX documents_region_code_idx ON reports.documents (region_code);
CREATE INDEX documents_province_city_idx ON reports.documents (province, city);
CREATE INDEX documents_published_at_idx ON reports.documents (published_at);
CREATE INDEX indicators_category_kind_idx ON reports.indicators (category, kind);
CREATE INDEX indicators_metric_idx ON reports.indicators (metric);
CREATE INDEX rejects_stage_idx ON reports.rejects (stage, rejected_at);

-- One row per indicator with its document, region, year and section: the fact view for BI.
CREATE VIEW reports.indicator_facts AS
SELECT d.region,
       d.region_code,
       d.province,
       d.city,
       d.year,
       d.title        AS document_title,
       d.url          AS document_url,
       d.published_at,
       d.doc_id,
       s.path         AS section_path,
       s.title        AS section_title,
       COALESCE(s.part, 'review') AS section_part,
       i.metric,
       i.value,
       i.value_high,
       i.unit,
       i.qualifier,
       i.kind,
       i.category,
       i.raw,
       i.sentence
FROM reports.indicators i
JOIN reports.documents d ON d.doc_id = i.doc_id
LEFT JOIN reports.sections s ON s.doc_id = i.doc_id AND s.ord = i.section;

-- Per region and year: documents, indicators by kind, and funding in yuan (unit 元).
CREATE VIEW reports.region_year_summary AS
SELECT d.region,
       d.region_code,
       d.province,
       d.city,
       d.year,
       count(DISTINCT d.doc_id)                                         AS documents,
       count(i.doc_id)                                                  AS indicators,
       count(i.doc_id) FILTER (WHERE i.kind = 'actual')                 AS actual_indicators,
       count(i.doc_id) FILTER (WHERE i.kind = 'target')                 AS target_indicators,
       sum(i.value) FILTER (WHERE i.category = 'funding' AND i.unit = '元'
                              AND i.kind = 'actual')                    AS funding_actual_yuan,
       sum(i.value) FILTER (WHERE i.category = 'funding' AND i.unit = '元'
                              AND i.kind = 'target')                    AS funding_target_yuan,
       max(d.published_at)                                              AS last_published_at
FROM reports.documents d
LEFT JOIN reports.indicators i ON i.doc_id = d.doc_id
GROUP BY d.region, d.region_code, d.province, d.city, d.year;

-- Read-only role for BI tools: the views only. LOGIN without a password works with local
-- trust/peer authentication; set one with ALTER ROLE reports_reader PASSWORD '...'.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reports_reader') THEN
        CREATE ROLE reports_reader LOGIN;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA reports TO reports_reader;
GRANT SELECT ON reports.indicator_facts, reports.region_year_summary TO reports_reader;
