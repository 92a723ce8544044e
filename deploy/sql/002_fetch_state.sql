-- Per-URL state of the fetch stage: validators for conditional GET, the hash of the last
-- version produced to reports.raw, and what happened on the last fetch. Written by the
-- fetch role (connectors/fetch_state.c); a restarted or second fetcher reads it so that
-- it does not produce unchanged documents again.
CREATE SCHEMA IF NOT EXISTS reports;

CREATE TABLE IF NOT EXISTS reports.fetch_state (
    source         text NOT NULL,             -- configured source name
    url            text NOT NULL,             -- canonical URL (or file:// URL of a dir source)
    doc_id         text NOT NULL,             -- rpt_doc_id(url)
    parent_url     text,                      -- article page of an attachment
    etag           text,                      -- validators of the last produced version
    last_modified  text,
    lastmod        text,                      -- sitemap / API date of the last produced version
    sha256         text,                      -- SHA-256 of the last produced body
    first_seen     timestamptz NOT NULL DEFAULT now(),
    last_seen      timestamptz NOT NULL DEFAULT now(),
    last_emitted   timestamptz,               -- delivery to reports.raw confirmed
    last_status    integer,                   -- HTTP status of the last fetch (0: none)
    last_error     text,                      -- reason of the last failure, NULL after success
    failures       integer NOT NULL DEFAULT 0, -- consecutive failures
    total_failures bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (source, url)                 -- two sources listing one URL keep their own state
);

CREATE INDEX IF NOT EXISTS fetch_state_doc_id_idx ON reports.fetch_state (doc_id);
