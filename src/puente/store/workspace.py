"""A workspace: a folder holding an embedded DuckDB database, reports and spill space.

No server to start: analysts open a folder. The database file is the single source of truth for records,
entities, ingest runs, quarantine and every analysis result; each table a later analysis writes lands here too.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Self

import duckdb
import pyarrow as pa

from puente.settings import Settings
from puente.store.migrate import migrate
from puente.store.sql import fetch_int

DB_FILE = "puente.duckdb"


class Workspace:
    """An open workspace. Use as a context manager; it closes its connection on exit."""

    def __init__(self, path: Path, settings: Settings | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.settings = settings or Settings()
        if not read_only:
            self.path.mkdir(parents=True, exist_ok=True)
            self.tmp_dir.mkdir(exist_ok=True)
        elif not self.db_path.exists():
            raise FileNotFoundError(f"{self.path}: not a Puente workspace (no {DB_FILE})")
        config: dict[str, str | bool | int | float | list[str]] = {"memory_limit": self.settings.memory_limit}
        if self.settings.threads:
            config["threads"] = self.settings.threads
        self.con = duckdb.connect(str(self.db_path), read_only=read_only, config=config)
        if not read_only:
            self.con.execute(f"SET temp_directory = '{self.tmp_dir.as_posix()}'")
            migrate(self.con)

    @property
    def db_path(self) -> Path:
        return self.path / DB_FILE

    @property
    def tmp_dir(self) -> Path:
        return self.path / "tmp"

    @property
    def reports_dir(self) -> Path:
        path = self.path / "reports"
        path.mkdir(exist_ok=True)
        return path

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def query(self, sql: str, params: list[object] | None = None) -> pa.Table:
        """Run SQL against the workspace and return the result as an Arrow table."""
        return self.con.sql(sql, params=params or None).to_arrow_table()

    def count(self, table: str) -> int:
        return fetch_int(self.con, f'SELECT count(*) FROM "{table}"')

    def tables(self) -> list[str]:
        rows = self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name"
        ).fetchall()
        return [r[0] for r in rows]

    def schema_version(self) -> int:
        return fetch_int(self.con, "SELECT max(version) FROM puente_schema")
