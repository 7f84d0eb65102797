"""Outbound crossing risk targeting: versioned rules and weights (YAML) scoring southbound crossings, ranked.

Each rule is one SQL predicate over a crossing and what the workspace knows about its driver, vehicle and carrier
(screening hits, discovered networks and their infrastructure, prior seizures, cash activity of the driver's
network, currency-report history). A crossing's score is the sum of the weights of the rules that fire, and the
rules that fired are stored as its reasons, so an officer at the port sees why a conveyance was selected.
"""

from __future__ import annotations

import uuid
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from puente.network.edges_sql import LOOKUPS, norm
from puente.network.sql import scalar_int
from puente.store.workspace import Workspace


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    description: str
    weight: float
    window_days: int | None = Field(default=None, ge=0)


class TargetingRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: str
    direction: str = "southbound"
    rules: list[Rule]

    @model_validator(mode="after")
    def _known_rules(self) -> TargetingRules:
        unknown = {r.id for r in self.rules} - set(RULE_SQL)
        if unknown:
            raise ValueError(f"unknown targeting rule(s): {', '.join(sorted(unknown))}; known: {', '.join(RULE_SQL)}")
        return self


def load_rules(path: Path | None = None) -> TargetingRules:
    text = (
        path.read_text(encoding="utf-8")
        if path
        else resources.files("puente.network").joinpath("targeting.yaml").read_text(encoding="utf-8")
    )
    return TargetingRules.model_validate(yaml.safe_load(text))


#: Rule id -> boolean SQL over the per-crossing context ``c`` (see CONTEXT); {window} is the rule's window_days.
RULE_SQL: dict[str, str] = {
    "watchlisted_driver": "c.driver_listed",
    "network_member_driver": "c.driver_network IS NOT NULL",
    "network_vehicle": "c.vehicle_network IS NOT NULL",
    "network_carrier": "c.carrier_network IS NOT NULL",
    "prior_seizure": """EXISTS (SELECT 1 FROM nw_x p WHERE p.crossed_at < c.crossed_at AND p.seized
                        AND (p.driver_node = c.driver_node OR p.vehicle_node = c.vehicle_node))""",
    "cash_before_crossing": """EXISTS (SELECT 1 FROM nw_network_cash k
                        WHERE k.network_id IN (c.driver_network, c.vehicle_network)
                          AND k.day BETWEEN CAST(c.crossed_at AS DATE) - {window} AND CAST(c.crossed_at AS DATE))""",
    "undeclared_after_cmir_history": """c.driver_node IN (SELECT node FROM nw_reporters
                        WHERE day BETWEEN CAST(c.crossed_at AS DATE) - {window} AND CAST(c.crossed_at AS DATE) - 1)
                        AND c.driver_node NOT IN (SELECT node FROM nw_reporters
                        WHERE day = CAST(c.crossed_at AS DATE))""",
}

_PERSON = f"coalesce((SELECT min(node) FROM nw_ident lk WHERE lk.ident = {norm('{x}')}), 'id:' || {norm('{x}')})"


def _context_sql(direction: str) -> list[str]:
    """Statements building the per-crossing context tables the rules read."""
    vin_key = "'vin:' || " + norm("x.vin")
    plate_key = "'plate:' || " + norm("x.plate")
    return [
        f"CREATE OR REPLACE TEMP TABLE nw_ident AS {LOOKUPS['nw_ident']}",
        f"CREATE OR REPLACE TEMP TABLE nw_vehicle AS {LOOKUPS['nw_vehicle']}",
        f"""CREATE OR REPLACE TEMP TABLE nw_x AS
            SELECT x.crossing_id, x.crossed_at, x.port_code, x.conveyance_type, x.driver_name, x.direction,
                   coalesce(x.vin, x.plate, x.rail_car_id) AS vehicle,
                   {_PERSON.format(x="x.driver_id_number")} AS driver_node,
                   coalesce((SELECT min(node) FROM nw_vehicle v WHERE v.vkey = {vin_key}),
                            (SELECT min(node) FROM nw_vehicle v WHERE v.vkey = {plate_key}),
                            {vin_key}) AS vehicle_node,
                   {_PERSON.format(x="x.carrier_id")} AS carrier_node,
                   x.inspection_result = 'seizure' AS seized
            FROM crossings x""",
        f"""CREATE OR REPLACE TEMP TABLE nw_network_cash AS
            SELECT DISTINCT m.network_id, t.value_date AS day
            FROM transactions t JOIN nw_ident lk ON lk.ident = {norm("t.conductor_id")}
            JOIN network_members m ON m.node = lk.node
            WHERE t.channel = 'cash_deposit' AND t.conductor_id IS NOT NULL""",
        """CREATE OR REPLACE TEMP TABLE nw_reporters AS
            SELECT DISTINCT src AS node, CAST(first_at AS DATE) AS day FROM network_edges WHERE etype = 'cmir'""",
        f"""CREATE OR REPLACE TEMP TABLE nw_xc AS
            SELECT x.*, x.driver_node IN (SELECT src FROM network_edges WHERE etype = 'screening_hit') AS driver_listed,
                (SELECT min(network_id) FROM network_members m WHERE m.node = x.driver_node) AS driver_network,
                (SELECT min(network_id) FROM network_infrastructure i WHERE i.node = x.vehicle_node) AS vehicle_network,
                (SELECT min(network_id) FROM network_infrastructure i WHERE i.node = x.carrier_node) AS carrier_network
            FROM nw_x x WHERE x.direction = '{direction}'""",
    ]


def score_crossings(ws: Workspace, rules: TargetingRules) -> int:
    """Score every crossing in the rules' direction into ``crossing_risk`` (replacing earlier scores)."""
    for statement in _context_sql(rules.direction):
        ws.con.execute(statement)
    fired = ", ".join(
        f'CASE WHEN {RULE_SQL[r.id].format(window=r.window_days or 0)} THEN {r.weight!r} ELSE 0 END AS "{r.id}"'
        for r in rules.rules
    )
    score = " + ".join(f'"{r.id}"' for r in rules.rules) or "0"
    reasons = ", ".join(
        f"CASE WHEN \"{r.id}\" > 0 THEN '{r.description.replace(chr(39), chr(39) * 2)} (+{r.weight:g})' END"
        for r in rules.rules
    )
    run_id = f"XR-{uuid.uuid4().hex[:10]}"
    ws.con.execute("DELETE FROM crossing_risk")
    ws.con.execute(
        f"""INSERT INTO crossing_risk
            SELECT ?, ?, crossing_id, crossed_at, port_code, conveyance_type, driver_name, vehicle,
                   coalesce(driver_network, vehicle_network, carrier_network), score,
                   row_number() OVER (ORDER BY score DESC, crossed_at, crossing_id),
                   coalesce(nullif(concat_ws('; ', {reasons or "NULL"}), ''), 'no rule fired')
            FROM (SELECT *, {score} AS score FROM (SELECT c.*, {fired} FROM nw_xc c))""",
        [run_id, rules.version],
    )
    for name in ("nw_ident", "nw_vehicle", "nw_x", "nw_network_cash", "nw_reporters", "nw_xc"):
        ws.con.execute(f"DROP TABLE IF EXISTS {name}")
    return scalar_int(ws.con, "SELECT count(*) FROM crossing_risk")
