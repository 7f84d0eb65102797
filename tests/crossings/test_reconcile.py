"""Reconciliation cases: pairs across naming conventions, one-sided, discrepant, under-threshold, shared couriers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest

from puente.crossings import load_config, reconcile_tables
from puente.crossings.prepare import prepare_declarations
from puente.model.records import CMIR, MX_DECLARATION, arrow_schema

D = dt.date(2024, 3, 1)


def cmir(
    rid: str,
    first: str,
    last: str,
    amount: str,
    *,
    day: dt.date = D,
    dob: dt.date | None = dt.date(1980, 5, 17),
    port: str = "2301",
    direction: str = "outbound",
    vehicle: str | None = None,
    behalf: str | None = None,
    id_number: str | None = None,
) -> dict[str, Any]:
    return {
        "report_id": rid,
        "crossing_date": day,
        "direction": direction,
        "traveler_last_name": last,
        "traveler_first_name": first,
        "traveler_dob": dob,
        "traveler_id_number": id_number,
        "amount": Decimal(amount),
        "currency": "USD",
        "port_of_entry": port,
        "conveyance_id": vehicle,
        "on_behalf_of_name": behalf,
    }


def decl(
    folio: str,
    nombre: str,
    paterno: str,
    materno: str | None,
    monto: str,
    *,
    day: dt.date = D,
    dob: dt.date | None = dt.date(1980, 5, 17),
    aduana: str = "Matamoros",
    sentido: str = "entrada",
    moneda: str = "USD",
    vehicle: str | None = None,
    behalf: str | None = None,
) -> dict[str, Any]:
    return {
        "folio": folio,
        "fecha_cruce": day,
        "sentido": sentido,
        "nombre": nombre,
        "apellido_paterno": paterno,
        "apellido_materno": materno,
        "fecha_nacimiento": dob,
        "monto": Decimal(monto),
        "moneda": moneda,
        "aduana": aduana,
        "identificador_transporte": vehicle,
        "a_nombre_de": behalf,
    }


def tables(cmirs: list[dict[str, Any]], decls: list[dict[str, Any]]) -> tuple[pa.Table, pa.Table]:
    cs, ms = arrow_schema(CMIR), arrow_schema(MX_DECLARATION)
    full_c = [{f.name: r.get(f.name) for f in cs} for r in cmirs]
    full_m = [{f.name: r.get(f.name) for f in ms} for r in decls]
    return pa.Table.from_pylist(full_c, schema=cs), pa.Table.from_pylist(full_m, schema=ms)


def pairs(run: Any) -> set[tuple[str, str]]:
    x = run.findings.crossings.to_pylist()
    return {(r["cmir_id"], r["mx_folio"]) for r in x if r["cmir_id"] and r["mx_folio"]}


def kinds(run: Any, kind: str) -> list[dict[str, Any]]:
    return [r for r in run.findings.findings.to_pylist() if r["kind"] == kind]


def test_pairs_across_naming_conventions_and_one_sided() -> None:
    c, m = tables(
        [
            cmir("C1", "MARIA GUADALUPE", "HERNANDEZ", "25000"),  # maternal surname missing, accents dropped
            cmir("C2", "RAYMOND", "MARTIN", "15100", dob=dt.date(1983, 8, 6), port="2302", direction="inbound"),
            cmir("C3", "JOSE", "PEREZ", "40000", port="2304"),  # no Mexican declaration
        ],
        [
            decl("M1", "María Guadalupe", "Hernández", "Núñez", "25000"),
            decl(
                "M2",
                "Martin",
                "Raymond",
                None,
                "15100",
                dob=dt.date(1983, 6, 8),
                aduana="Ciudad Acuña",
                sentido="salida",
            ),  # name order and day/month swapped
            decl("M3", "Pepe", "Pérez", "Soto", "40000", aduana="Nuevo Laredo", sentido="salida"),  # wrong direction
        ],
    )
    run = reconcile_tables(c, m)
    assert pairs(run) == {("C1", "M1"), ("C2", "M2")}
    assert [r["records"] for r in kinds(run, "us_only")] == [["C3"]]
    assert [r["records"] for r in kinds(run, "mx_only")] == [["M3"]]
    expl = next(r for r in run.findings.crossings.to_pylist() if r["cmir_id"] == "C2")["explanation"]
    assert '"dob": {"level": "swapped"' in expl


def test_different_people_at_same_port_and_day_are_not_paired() -> None:
    c, m = tables(
        [cmir("C1", "JOSE", "GARCIA LOPEZ", "30000")],
        [decl("M1", "Ana", "Torres", "Vega", "30000", dob=dt.date(1991, 1, 2))],
    )
    assert pairs(reconcile_tables(c, m)) == set()


def test_day_window_and_port_pair() -> None:
    c, m = tables(
        [
            cmir("C1", "LUIS", "RAMOS", "20000", port="2504"),
            cmir("C2", "LUIS", "RAMOS", "20000", day=D + dt.timedelta(days=5)),
        ],
        [decl("M1", "Luis", "Ramos", "Díaz", "20000", aduana="Tijuana (Mesa de Otay)", day=D + dt.timedelta(days=1))],
    )
    run = reconcile_tables(c, m)
    assert pairs(run) == {("C1", "M1")}  # San Ysidro faces Tijuana; a day later is within the window


def test_amount_discrepancy_after_currency_conversion() -> None:
    cfg = load_config()
    rate = cfg.fx_rate("MXN", 2024)
    assert rate is not None
    c, m = tables(
        [cmir("C1", "ROSA", "SALAS", "20000"), cmir("C2", "IVAN", "CRUZ", "50000", dob=dt.date(1970, 1, 1))],
        [
            decl("M1", "Rosa", "Salas", "Mora", f"{20000 * rate:.2f}", moneda="MXN"),  # same amount in pesos
            decl("M2", "Iván", "Cruz", None, "31000", dob=dt.date(1970, 1, 1)),
        ],
    )
    run = reconcile_tables(c, m, cfg)
    assert pairs(run) == {("C1", "M1"), ("C2", "M2")}
    disc = kinds(run, "amount_discrepancy")
    assert [r["records"] for r in disc] == [["C2", "M2"]]
    assert disc[0]["amount_usd"] == pytest.approx(19000)


def test_unknown_currency_is_not_guessed() -> None:
    _, m = tables([], [decl("M1", "Rosa", "Salas", None, "1000", moneda="EUR")])
    assert prepare_declarations(m, load_config())["amount_usd"].to_pylist() == [None]


def test_under_threshold_repeats() -> None:
    days = [D + dt.timedelta(days=7 * i) for i in range(3)]
    c, m = tables(
        [
            cmir(f"C{i}", "HUGO", "LARA", a, day=d)
            for i, (d, a) in enumerate(zip(days, ["9500", "9800", "9900"], strict=True))
        ]
        + [cmir("C9", "ELSA", "RIOS", "9500", dob=dt.date(1960, 2, 2))],  # once only: not a pattern
        [decl("M0", "Hugo", "Lara", "Paz", "9500", day=days[0])],
    )
    run = reconcile_tables(c, m)
    found = kinds(run, "under_threshold_repeats")
    assert len(found) == 1
    assert found[0]["records"] == ["C0/M0", "C1/-", "C2/-"]  # a matched pair counts as one crossing


def test_shared_courier_and_vehicle_and_network() -> None:
    c, m = tables(
        [
            cmir("C1", "RAUL", "MENA", "60000", vehicle="ABC-123", behalf="Comercial Norte SA de CV"),
            cmir(
                "C2",
                "RAUL",
                "MENA",
                "70000",
                day=D + dt.timedelta(days=9),
                vehicle="ABC-123",
                behalf="Transportes Sur S. de R.L. de C.V.",
            ),
            cmir(
                "C3",
                "SARA",
                "LUNA",
                "65000",
                dob=dt.date(1990, 9, 9),
                day=D + dt.timedelta(days=20),
                vehicle="ABC 123",
                behalf="Comercial Norte, S.A. de C.V.",
            ),
            cmir("C4", "OTTO", "KAHN", "30000", dob=dt.date(1955, 3, 3), vehicle="ZZZ-999"),  # unrelated
        ],
        [],
    )
    run = reconcile_tables(c, m)
    multi = kinds(run, "multiple_principals")
    assert [r["subject"] for r in multi] == ["RAUL MENA"]
    assert [sorted(r["records"]) for r in kinds(run, "shared_vehicle")] == [["C1/-", "C2/-", "C3/-"]]
    nets = kinds(run, "courier_network")
    assert len(nets) == 1 and "2 couriers" in nets[0]["detail"]
    assert "OTTO" not in nets[0]["subject"]
