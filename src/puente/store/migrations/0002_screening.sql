-- Puente workspace schema, version 2: sanctions/watch lists (versioned) and screening results.
-- Frozen: never edit an applied migration; add a new numbered file instead.

-- One row per loaded version of a list; exactly one version per list is active.
CREATE TABLE list_versions (
    list_name VARCHAR NOT NULL,
    version_id VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    source_files VARCHAR NOT NULL,
    content_sha256 VARCHAR NOT NULL,
    published DATE,
    loaded_at TIMESTAMP NOT NULL,
    entries BIGINT NOT NULL,
    names BIGINT NOT NULL,
    added BIGINT NOT NULL,
    removed BIGINT NOT NULL,
    changed BIGINT NOT NULL,
    active BOOLEAN NOT NULL,
    warnings VARCHAR,
    puente_version VARCHAR NOT NULL
);

-- Every entry of every version, as the list published it (data: the parsed entry as JSON).
CREATE TABLE list_entries (
    list_name VARCHAR NOT NULL,
    version_id VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    schema VARCHAR NOT NULL,
    caption VARCHAR NOT NULL,
    programs VARCHAR[],
    fingerprint VARCHAR NOT NULL,
    data JSON NOT NULL
);

-- What a version added, removed or changed relative to the version it replaced.
CREATE TABLE list_changes (
    list_name VARCHAR NOT NULL,
    version_id VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    change VARCHAR NOT NULL,
    caption VARCHAR
);

-- Screening runs over the workspace's own people and companies.
CREATE TABLE screening_runs (
    run_id VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    trigger VARCHAR NOT NULL,
    mode VARCHAR NOT NULL,
    subjects BIGINT NOT NULL DEFAULT 0,
    hits BIGINT NOT NULL DEFAULT 0,
    matches BIGINT NOT NULL DEFAULT 0,
    new_alerts BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE screening_hits (
    run_id VARCHAR NOT NULL,
    subject_id VARCHAR NOT NULL,
    rank INTEGER NOT NULL,
    list_name VARCHAR NOT NULL,
    list_version VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    matched_name VARCHAR NOT NULL,
    score DOUBLE NOT NULL,
    match BOOLEAN NOT NULL,
    suppressed BOOLEAN NOT NULL,
    explanation JSON NOT NULL
);

-- An alert is raised once per (subject, list, entry): a later run raises alerts for new hits only.
CREATE TABLE screening_alerts (
    alert_id VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    subject_id VARCHAR NOT NULL,
    subject_name VARCHAR,
    list_name VARCHAR NOT NULL,
    list_version VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    matched_name VARCHAR NOT NULL,
    score DOUBLE NOT NULL,
    explanation JSON NOT NULL,
    raised_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL
);

-- Analysts' false-positive decisions, per subject and listed entry; they hold across list versions.
CREATE TABLE screening_suppressions (
    subject_id VARCHAR NOT NULL,
    list_name VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    analyst VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Append-only audit trail of analyst decisions.
CREATE TABLE screening_audit (
    "at" TIMESTAMP NOT NULL,
    action VARCHAR NOT NULL,
    subject_id VARCHAR NOT NULL,
    list_name VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    analyst VARCHAR NOT NULL,
    reason VARCHAR
);
