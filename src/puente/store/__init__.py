"""The workspace store: an embedded DuckDB database with a versioned schema and provenance on every row."""

from puente.store.migrate import SchemaVersionError, available_migrations, current_version, migrate
from puente.store.workspace import DB_FILE, Workspace

__all__ = ["DB_FILE", "SchemaVersionError", "Workspace", "available_migrations", "current_version", "migrate"]
