"""Ingestion: read a file, validate every field, land good rows, quarantine bad ones with their reason.

Public API: :func:`ingest_file` (any kind, including ``entity`` for FtM files), :func:`load_mapping`,
:class:`IngestResult`, :class:`ReadError` (nothing could be read) and :class:`MappingError`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from puente.ingest.entities import KIND as ENTITY_KIND
from puente.ingest.entities import ingest_entities
from puente.ingest.mapping import Mapping, MappingError, load_mapping
from puente.ingest.records import ingest_records
from puente.ingest.runs import IngestResult
from puente.io.tabular import ReadError
from puente.model.records import RECORD_KINDS
from puente.store.workspace import Workspace

#: Everything ``puente ingest`` accepts: the record kinds plus FtM entities.
INGEST_KINDS = (*RECORD_KINDS, ENTITY_KIND)


def ingest_file(
    ws: Workspace,
    kind: str,
    path: Path,
    *,
    mapping: Path | None = None,
    fmt: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> IngestResult:
    """Ingest one file as ``kind`` (a record kind name or ``entity``)."""
    if kind in (ENTITY_KIND, "entities", "ftm"):
        if mapping is not None:
            raise MappingError("FtM entity files need no mapping")
        return ingest_entities(ws, path, progress=progress)
    return ingest_records(ws, kind, path, mapping_path=mapping, fmt=fmt, progress=progress)


__all__ = [
    "INGEST_KINDS",
    "IngestResult",
    "Mapping",
    "MappingError",
    "ReadError",
    "ingest_file",
    "load_mapping",
]
