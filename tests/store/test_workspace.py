from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from puente.model.records import PROVENANCE_FIELDS, RECORD_KINDS, arrow_schema
from puente.store import (
    DB_FILE,
    SchemaVersionError,
    Workspace,
    available_migrations,
    current_version,
    migrate,
)
from puente.store.ddl import duckdb_type


def test_new_workspace_is_a_folder_with_an_embedded_database(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        assert (tmp_path / "ws" / DB_FILE).is_file()
        assert ws.schema_version() == available_migrations()[-1].version
        assert {"ingest_runs", "quarantine", "entities", *(k.table for k in RECORD_KINDS.values())} <= set(ws.tables())


def test_migrations_apply_once_and_data_survives_reopening(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        ws.con.execute("INSERT INTO quarantine VALUES ('r', 'k', 'f', 1, NULL, NULL, 'why', NULL, now()::TIMESTAMP)")
    with Workspace(tmp_path / "ws") as ws:
        assert ws.count("quarantine") == 1
        assert ws.count("puente_schema") == len(available_migrations())
        assert migrate(ws.con) == []


@pytest.mark.parametrize("kind", RECORD_KINDS.values(), ids=lambda k: k.name)
def test_migrated_tables_match_the_record_kinds(tmp_path: Path, kind) -> None:  # type: ignore[no-untyped-def]
    # A change to puente.model.records without a new migration must fail here.
    with Workspace(tmp_path / "ws") as ws:
        columns = ws.con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            [kind.table],
        ).fetchall()
    expected = [(f.name, duckdb_type(f.type)) for f in arrow_schema(kind)]
    expected += [(f.name, duckdb_type(f.type)) for f in PROVENANCE_FIELDS]
    assert columns == expected


def test_workspace_from_a_newer_puente_is_refused(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        ws.con.execute("INSERT INTO puente_schema VALUES (999, 'future', now()::TIMESTAMP)")
    with pytest.raises(SchemaVersionError, match="newer"):
        Workspace(tmp_path / "ws")


def test_migrating_an_empty_database_step_by_step(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    assert current_version(con) == 0
    assert migrate(con, target=1) == [1]
    assert current_version(con) == 1


def test_read_only_open_of_a_missing_workspace_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="not a Puente workspace"):
        Workspace(tmp_path / "nothing", read_only=True)
