from __future__ import annotations

from pathlib import Path

import pytest

from puente.ingest import MappingError, ingest_file, load_mapping
from puente.store import Workspace

BANK_MX = """\
version: 1
kind: transaction
format: csv
delimiter: ";"
encoding: latin-1
columns:
  transaction_id: Referencia
  value_date: {column: Fecha, date_format: "%d/%m/%Y"}
  amount: {column: Importe, decimal_comma: true}
  currency: {value: MXN}
  channel: {column: Tipo, values: {DEP: cash_deposit, SPEI: wire}}
  debtor_name: Ordenante
  creditor_country: {value: MX}
"""


def test_mapping_adapts_a_mexican_bank_export(workspace: Workspace, tmp_path: Path) -> None:
    mapping = tmp_path / "banco.yaml"
    mapping.write_text(BANK_MX, encoding="utf-8")
    data = tmp_path / "banco.csv"
    data.write_bytes(
        "Referencia;Fecha;Importe;Tipo;Ordenante;Sucursal\n"
        "R1;31/01/2024;1.234,56;DEP;José Núñez;Tijuana\n"
        "R2;15/02/2024;99.000,00;SPEI;Comercializadora Águila;CDMX\n"
        "R3;31/02/2024;10,00;XXX;Nadie;CDMX\n".encode("latin-1")
    )
    result = ingest_file(workspace, "transaction", data, mapping=mapping)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    assert result.ignored_columns == ["Sucursal"]
    rows = workspace.query(
        "SELECT transaction_id, CAST(value_date AS VARCHAR) d, CAST(amount AS VARCHAR) a, currency, channel, "
        "debtor_name, creditor_country FROM transactions ORDER BY 1"
    ).to_pylist()
    assert rows[0] == {
        "transaction_id": "R1",
        "d": "2024-01-31",
        "a": "1234.56",
        "currency": "MXN",
        "channel": "cash_deposit",
        "debtor_name": "José Núñez",
        "creditor_country": "MX",
    }
    assert rows[1]["channel"] == "wire" and rows[1]["a"] == "99000.00"
    issues = dict(workspace.con.execute("SELECT field, reason FROM quarantine WHERE source_row = 3").fetchall())
    assert set(issues) == {"value_date", "channel"}


def test_derive_key_makes_stable_ids_for_sources_without_one(workspace: Workspace, tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "version: 1\nkind: transaction\nderive_key: true\ncolumns:\n  value_date: date\n  amount: amt\n"
        "  currency: {value: USD}\n  channel: {value: wire}\n",
        encoding="utf-8",
    )
    data = tmp_path / "a.csv"
    data.write_text("date,amt\n2024-01-01,5\n2024-01-02,6\n", encoding="utf-8")
    copy = tmp_path / "b.csv"
    copy.write_text("date,amt\n2024-01-02,6\n2024-01-03,7\n", encoding="utf-8")
    ingest_file(workspace, "transaction", data, mapping=mapping)
    result = ingest_file(workspace, "transaction", copy, mapping=mapping)
    assert (result.rows_loaded, result.rows_existing) == (1, 1)
    keys = [r[0] for r in workspace.con.execute("SELECT transaction_id FROM transactions").fetchall()]
    assert all(k.startswith("h-") for k in keys) and len(set(keys)) == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 2\nkind: transaction\n", "version"),
        ("version: 1\nkind: bitcoin\n", "unknown record kind"),
        ("version: 1\nkind: transaction\ncolumns:\n  amout: Importe\n", "no field(s) amout"),
        ("version: 1\nkind: transaction\ncolumns:\n  amount: {column: a, value: b}\n", "exactly one"),
        ("version: 1\nkind: transaction\nsurprise: 1\n", "surprise"),
        ("- just a list\n", "must be a YAML object"),
        ("version: [1\n", "not valid YAML"),
    ],
)
def test_bad_mappings_fail_before_reading_any_row(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError, match=r"bad\.yaml") as info:
        load_mapping(path)
    assert message in str(info.value)
