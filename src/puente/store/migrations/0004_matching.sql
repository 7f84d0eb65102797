-- Puente workspace schema, version 4: entity resolution, privacy-preserving matching and cash-crossing
-- reconciliation results, and analysts' match judgements.
-- Frozen: never edit an applied migration; add a new numbered file instead.

-- One row per entity-resolution run (dedupe or link), with the model it learned (JSON: m, u, lambda per level).
CREATE TABLE match_runs (
    run_id VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    task VARCHAR NOT NULL,                -- dedupe | link | pprl
    engine VARCHAR NOT NULL,
    config_name VARCHAR NOT NULL,
    config_version INTEGER NOT NULL,
    n_records BIGINT NOT NULL,
    n_candidates BIGINT NOT NULL,
    n_matches BIGINT NOT NULL,
    n_clusters BIGINT NOT NULL,
    threshold DOUBLE NOT NULL,
    model JSON NOT NULL
);

-- Every pair at or above the threshold (and every judged pair), explained field by field.
CREATE TABLE match_pairs (
    run_id VARCHAR NOT NULL,
    left_id VARCHAR NOT NULL,
    right_id VARCHAR NOT NULL,
    match_weight DOUBLE NOT NULL,
    probability DOUBLE NOT NULL,
    decided_by VARCHAR NOT NULL,          -- model | analyst
    explanation JSON NOT NULL             -- field -> {level, weight, values}
);

-- Entity of each record: records with the same cluster_id are the same person or company.
CREATE TABLE match_clusters (
    run_id VARCHAR NOT NULL,
    record_id VARCHAR NOT NULL,
    cluster_id VARCHAR NOT NULL,
    cluster_size BIGINT NOT NULL
);

-- Analysts' judgements on pairs (same / different); every later run honours the latest judgement of a pair.
CREATE TABLE match_judgements (
    left_id VARCHAR NOT NULL,
    right_id VARCHAR NOT NULL,
    judgement VARCHAR NOT NULL,           -- same | different
    analyst VARCHAR NOT NULL,
    note VARCHAR,
    created_at TIMESTAMP NOT NULL
);

-- Cash-crossing reconciliation runs (CMIR <-> Mexican declaration).
CREATE TABLE crossing_runs (
    run_id VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    mode VARCHAR NOT NULL,                -- plaintext | pprl
    config_version INTEGER NOT NULL,
    n_cmirs BIGINT NOT NULL,
    n_declarations BIGINT NOT NULL,
    n_candidates BIGINT NOT NULL,
    n_matched BIGINT NOT NULL,
    n_findings BIGINT NOT NULL
);

-- One row per reconciled crossing: a matched pair, or a record filed on one side only.
CREATE TABLE crossing_reconciled (
    run_id VARCHAR NOT NULL,
    crossing_key VARCHAR NOT NULL,
    cmir_id VARCHAR,
    mx_folio VARCHAR,
    traveller BIGINT NOT NULL,
    "day" DATE NOT NULL,
    southbound BOOLEAN NOT NULL,
    port_key VARCHAR NOT NULL,
    traveller_name VARCHAR,
    cmir_usd DOUBLE,
    mx_usd DOUBLE,
    amount_usd DOUBLE,
    vehicle VARCHAR,
    principals VARCHAR[],
    match_weight DOUBLE,
    explanation JSON
);

CREATE TABLE crossing_findings (
    run_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    subject VARCHAR,
    records VARCHAR[] NOT NULL,
    amount_usd DOUBLE,
    detail VARCHAR,
    explanation JSON
);
