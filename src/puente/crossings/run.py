"""The edges: read CMIRs and declarations from a workspace, reconcile, write results back and to CSV."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from puente.crossings.config import CrossingsConfig, load_config
from puente.crossings.findings import Findings, find
from puente.crossings.pprl import encode_side, pprl_identity
from puente.crossings.prepare import prepare_cmirs, prepare_declarations
from puente.crossings.reconcile import IdentityFn, Reconciliation, reconcile
from puente.store.sql import registered, transaction
from puente.store.workspace import Workspace

_RECONCILED = (
    "crossing_key, cmir_id, mx_folio, traveller, day, southbound, port_key, traveller_name, cmir_usd, mx_usd, "
    "amount_usd, vehicle, principals, match_weight, explanation"
)


@dataclass(frozen=True)
class CrossingRun:
    run_id: str
    reconciliation: Reconciliation
    findings: Findings
    config: CrossingsConfig

    def counts(self) -> dict[str, int]:
        kinds = self.findings.findings["kind"].to_pylist()
        return {
            "cmirs": self.reconciliation.us.num_rows,
            "declarations": self.reconciliation.mx.num_rows,
            "candidates": self.reconciliation.candidates.num_rows,
            "matched": self.reconciliation.matches.num_rows,
            "crossings": self.findings.crossings.num_rows,
        } | {k: kinds.count(k) for k in sorted(set(kinds))}


def reconcile_tables(
    cmirs: pa.Table,
    declarations: pa.Table,
    cfg: CrossingsConfig | None = None,
    *,
    secret: bytes | None = None,
) -> CrossingRun:
    """Reconcile raw ``cmirs`` and ``mx_declarations`` tables (pure: no workspace).

    With a ``secret``, runs in privacy-preserving mode: the traveller's name, birth date and identifiers are
    compared only through each side's keyed Bloom-filter encodings.
    """
    cfg = cfg or load_config()
    us = prepare_cmirs(cmirs, cfg)
    mx = prepare_declarations(declarations, cfg)
    identity: IdentityFn | None = None
    mode = "plaintext"
    if secret is not None:
        identity, mode = pprl_identity(encode_side(us, secret), encode_side(mx, secret), cfg), "pprl"
    rec = reconcile(us, mx, cfg, identity=identity, mode=mode)
    return CrossingRun(uuid.uuid4().hex[:12], rec, find(rec, cfg), cfg)


def reconcile_workspace(ws: Workspace, cfg: CrossingsConfig | None = None, secret: bytes | None = None) -> CrossingRun:
    """Reconcile the workspace's CMIRs and declarations and store the results."""
    run = reconcile_tables(
        ws.query("SELECT * FROM cmirs"), ws.query("SELECT * FROM mx_declarations"), cfg, secret=secret
    )
    store(ws, run)
    return run


def store(ws: Workspace, run: CrossingRun) -> None:
    """Write a run's crossings and findings into the workspace tables (one transaction)."""
    c = run.counts()
    con = ws.con
    with (
        transaction(con),
        registered(con, _x_reconciled=run.findings.crossings, _x_findings=run.findings.findings),
    ):
        con.execute(
            "INSERT INTO crossing_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run.run_id,
                datetime.now(UTC).replace(tzinfo=None),
                run.reconciliation.mode,
                run.config.version,
                c["cmirs"],
                c["declarations"],
                c["candidates"],
                c["matched"],
                run.findings.findings.num_rows,
            ],
        )
        con.execute(f"INSERT INTO crossing_reconciled SELECT ?, {_RECONCILED} FROM _x_reconciled", [run.run_id])
        con.execute(
            "INSERT INTO crossing_findings SELECT ?, kind, subject, records, amount_usd, detail, explanation "
            "FROM _x_findings",
            [run.run_id],
        )


def write_csv(run: CrossingRun, out_dir: Path) -> list[Path]:
    """``crossings.csv`` and ``findings.csv`` (lists joined with ``;``) for analysts' spreadsheets."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in (("crossings", run.findings.crossings), ("findings", run.findings.findings)):
        flat = table
        for i, field in enumerate(table.schema):
            if pa.types.is_list(field.type):
                joined = pa.array([";".join(v or []) for v in table.column(i).to_pylist()], pa.string())
                flat = flat.set_column(i, field.name, joined)
        path = out_dir / f"{name}.csv"
        pacsv.write_csv(flat, path)
        paths.append(path)
    return paths
