-- Transaction monitoring: runs, alerts (one per subject and period) and their evidence.
CREATE TABLE IF NOT EXISTS monitoring_runs (
    run_id VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    engine VARCHAR NOT NULL,
    rules_version INTEGER NOT NULL,
    rules_sha256 VARCHAR NOT NULL,
    n_transactions BIGINT,
    n_alerts BIGINT,
    model VARCHAR
);

CREATE TABLE IF NOT EXISTS monitoring_alerts (
    alert_id VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    subject VARCHAR NOT NULL,
    subject_name VARCHAR,
    typology VARCHAR NOT NULL,
    typologies VARCHAR[] NOT NULL,
    rules VARCHAR[] NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    n_transactions BIGINT NOT NULL,
    amount_usd DOUBLE NOT NULL,
    top_counterparties VARCHAR[],
    rule_score DOUBLE NOT NULL,
    model_score DOUBLE,
    score DOUBLE NOT NULL,
    explanation VARCHAR NOT NULL,
    parameters VARCHAR NOT NULL,          -- JSON: rule id -> parameters in force when it fired
    contributions VARCHAR,                -- JSON: feature -> contribution to the model score (top features)
    status VARCHAR NOT NULL,              -- new, in_review, escalated, closed
    status_reason VARCHAR,
    status_updated_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS monitoring_evidence (
    alert_id VARCHAR NOT NULL,
    rule_id VARCHAR NOT NULL,
    transaction_id VARCHAR NOT NULL,
    role VARCHAR NOT NULL
);
