"""PPRL: deterministic encodings, key separation, noisy copies still match, and privacy-preserving crossings."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from puente.crossings import reconcile_tables
from puente.matching.pprl import (
    KeyMismatchError,
    encode_people,
    field_dice,
    match_encodings,
    read_encodings,
    write_encodings,
)
from tests.crossings.test_reconcile import cmir, decl, pairs, tables

A = pa.table(
    {
        "record_id": ["a1", "a2", "a3"],
        "given": ["María Guadalupe", "James", "Juan"],
        "surnames": ["Hernández Núñez", "Smith", "Ruiz Estrada"],
        "dob": ["1980-05-17", "1975-01-02", "1992-07-23"],
        "address": ["Calle Reforma 12", "12 Main St", None],
        "ids": [["CURP1"], [], ["X9"]],
    }
)
B = pa.table(
    {
        "record_id": ["b1", "b2", "b3"],
        "given": ["MARIA GUADALUPE", "Juana", "Jaime"],
        "surnames": ["HERNANDEZ", "Ruiz", "Smithers"],
        "dob": ["1980-05-17", "1992-07-23", "1961-11-30"],
        "address": ["CALLE REFORMA 12", None, "9 Oak Ave"],
        "ids": [[], [], []],
    }
)


def test_encoding_is_deterministic_and_file_round_trips(tmp_path: object) -> None:
    first, second = encode_people(A, b"shared secret"), encode_people(A, b"shared secret")
    assert first.equals(second)
    path = write_encodings(first, tmp_path / "a.parquet")  # type: ignore[operator]
    assert read_encodings(path).equals(first)
    assert "Hern" not in str(first.to_pylist())  # no raw personal data in the file


def test_key_separation() -> None:
    k1, k2 = encode_people(A, b"key one"), encode_people(A, b"key two")
    idx = np.arange(3)
    assert np.all(field_dice(k1, k1, idx, idx, "name") == 1.0)
    assert np.all(field_dice(k1, k2, idx, idx, "name") < 0.6)  # same people, other key: unlinkable
    assert np.all(field_dice(k1, k2, idx, idx, "dob") < 0.6)
    assert set(k1["dob"].to_pylist()).isdisjoint(set(k2["dob"].to_pylist()))
    with pytest.raises(KeyMismatchError):
        match_encodings(k1, encode_people(B, b"key two"))


def test_noisy_copies_match_without_raw_data() -> None:
    result = match_encodings(encode_people(A, b"s"), encode_people(B, b"s"), threshold=0.75)
    assert set(zip(result["a_id"].to_pylist(), result["b_id"].to_pylist(), strict=True)) == {("a1", "b1"), ("a3", "b2")}


def test_crossings_in_privacy_preserving_mode() -> None:
    c, m = tables(
        [cmir("C1", "MARIA GUADALUPE", "HERNANDEZ", "25000"), cmir("C2", "JOSE", "PEREZ", "40000", port="2304")],
        [
            decl("M1", "María Guadalupe", "Hernández", "Núñez", "25000"),
            decl("M2", "Ana", "Torres", None, "40000", aduana="Nuevo Laredo", dob=None),
        ],
    )
    run = reconcile_tables(c, m, secret=b"agencies' shared secret")
    assert run.reconciliation.mode == "pprl"
    assert pairs(run) == {("C1", "M1")}
