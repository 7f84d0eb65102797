-- Puente workspace schema, version 5: the evidence graph, discovered networks and outbound crossing targeting.
-- Frozen: never edit an applied migration; add a new numbered file instead.

-- Every node of the evidence graph: an FtM entity id, or a typed key (id:, acct:, vin:, plate:, name:, sar:, list:)
-- for identifiers that records name but no entity describes. idx is the dense index graph libraries use.
CREATE TABLE network_nodes (
    node VARCHAR NOT NULL,
    idx BIGINT NOT NULL,
    kind VARCHAR NOT NULL,
    label VARCHAR,
    degree BIGINT NOT NULL,
    community BIGINT                      -- Leiden community of the latest run (NULL for hubs left out)
);

-- Typed, weighted, time-stamped edges aggregated per (src, dst, type); records holds a sample of source record ids.
CREATE TABLE network_edges (
    src VARCHAR NOT NULL,
    dst VARCHAR NOT NULL,
    etype VARCHAR NOT NULL,
    weight DOUBLE NOT NULL,
    n_records BIGINT NOT NULL,
    amount DOUBLE,
    first_at TIMESTAMP,
    last_at TIMESTAMP,
    records VARCHAR[]
);

CREATE TABLE network_runs (
    run_id VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    config_version INTEGER NOT NULL,
    config_sha256 VARCHAR NOT NULL,
    n_nodes BIGINT NOT NULL,
    n_edges BIGINT NOT NULL,
    n_communities BIGINT NOT NULL,
    n_networks BIGINT NOT NULL
);

-- Networks: communities whose risk signals reach the configured threshold, with the reasons.
CREATE TABLE networks (
    run_id VARCHAR NOT NULL,
    network_id VARCHAR NOT NULL,
    community BIGINT NOT NULL,
    n_nodes BIGINT NOT NULL,
    n_members BIGINT NOT NULL,
    risk DOUBLE NOT NULL,
    leader VARCHAR,
    leader_name VARCHAR,
    reasons VARCHAR NOT NULL
);

-- Members of each network (people), with their inferred role, score and centralities.
CREATE TABLE network_members (
    run_id VARCHAR NOT NULL,
    network_id VARCHAR NOT NULL,
    node VARCHAR NOT NULL,
    name VARCHAR,
    role VARCHAR NOT NULL,
    rank INTEGER NOT NULL,
    member_score DOUBLE NOT NULL,
    key_score DOUBLE NOT NULL,
    brokerage DOUBLE NOT NULL,
    flow DOUBLE NOT NULL,
    influence DOUBLE NOT NULL,
    evidence VARCHAR NOT NULL
);

-- Enabling infrastructure: accounts, companies, vehicles and addresses used by several members.
CREATE TABLE network_infrastructure (
    run_id VARCHAR NOT NULL,
    network_id VARCHAR NOT NULL,
    node VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    label VARCHAR,
    role VARCHAR NOT NULL,
    used_by BIGINT NOT NULL,
    amount DOUBLE,
    evidence VARCHAR NOT NULL
);

-- Ranked inspection list of southbound conveyance crossings, with the rule contributions that explain each score.
CREATE TABLE crossing_risk (
    run_id VARCHAR NOT NULL,
    rules_version VARCHAR NOT NULL,
    crossing_id VARCHAR NOT NULL,
    crossed_at TIMESTAMP NOT NULL,
    port_code VARCHAR,
    conveyance_type VARCHAR,
    driver_name VARCHAR,
    vehicle VARCHAR,
    network_id VARCHAR,
    score DOUBLE NOT NULL,
    rank BIGINT NOT NULL,
    reasons VARCHAR NOT NULL
);
