"""Which reader reads a list file: by ``--format`` or by sniffing the file (root XML element, CSV shape).

Readers live in :mod:`puente.io` (one module per external format) and are imported when used, so that
``puente.io`` may use this package's entry types without an import cycle.
"""

from __future__ import annotations

import re
from pathlib import Path

from puente.screening.entry import ListFormatError, ParsedList

FORMATS = ("ofac-csv", "ofac-xml", "ofac-advanced", "un-xml", "ftm", "csv-mapping")
_ROOT = re.compile(rb"<(?:[A-Za-z0-9_]+:)?([A-Za-z_][A-Za-z0-9_]*)[\s>]")


def sniff_format(path: Path) -> str:
    """The list format of a file, from its content and name."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise ListFormatError(f"{path}: cannot read ({exc.strerror})") from exc
    if not head.strip():
        raise ListFormatError(f"{path}: empty file")
    text = head.lstrip(b"\xef\xbb\xbf \r\n\t")
    if text.startswith(b"<"):
        for match in _ROOT.finditer(text):
            root = match.group(1).decode()
            if root in ("xml", "DOCTYPE") or root.startswith("!"):
                continue
            if root == "sdnList":
                return "ofac-xml"
            if root == "Sanctions":
                return "ofac-advanced"
            if root == "CONSOLIDATED_LIST":
                return "un-xml"
            raise ListFormatError(f"{path}: unknown XML list (root element <{root}>)")
        raise ListFormatError(f"{path}: XML without a root element")
    if text.startswith(b"{"):
        return "ftm"
    if path.suffix.lower() in (".csv", ".txt") or path.name.lower().endswith(".csv.gz"):
        return "ofac-csv"
    raise ListFormatError(f"{path}: cannot tell the list format; give --format ({', '.join(FORMATS)})")


def read_lists(
    paths: list[Path], fmt: str | None = None, list_name: str | None = None, mapping: Path | None = None
) -> list[ParsedList]:
    """Read list files: OFAC legacy CSV files form one list together; every other file is a list of its own."""
    if mapping is not None:
        fmt = "csv-mapping"
    groups: dict[str, list[Path]] = {}
    for path in paths:
        if not path.exists():
            raise ListFormatError(f"{path}: no such file")
        groups.setdefault(fmt or sniff_format(path), []).append(path)
    out: list[ParsedList] = []
    for kind, files in groups.items():
        if kind == "ofac-csv":
            from puente.io.ofac import read_ofac_csv  # noqa: PLC0415  # see module docstring (import cycle)

            out.append(read_ofac_csv(files, list_name))
            continue
        for path in files:
            out.append(_read_one(kind, path, list_name, mapping))
    return out


def _read_one(kind: str, path: Path, list_name: str | None, mapping: Path | None) -> ParsedList:
    # Imports inside: see the module docstring (readers import this package's types).
    if kind == "ofac-xml":
        from puente.io.ofac_xml import read_ofac_xml  # noqa: PLC0415

        return read_ofac_xml(path, list_name)
    if kind == "ofac-advanced":
        from puente.io.ofac_advanced import read_ofac_advanced  # noqa: PLC0415

        return read_ofac_advanced(path, list_name)
    if kind == "un-xml":
        from puente.io.un import read_un_xml  # noqa: PLC0415

        return read_un_xml(path, list_name)
    if kind == "ftm":
        from puente.io.ftm_list import read_ftm_list  # noqa: PLC0415

        return read_ftm_list(path, list_name)
    if kind == "csv-mapping":
        from puente.io.csv_list import read_mapped_list  # noqa: PLC0415

        if mapping is None:
            raise ListFormatError(f"{path}: format csv-mapping needs --mapping FILE.yaml")
        return read_mapped_list(path, mapping, list_name)
    raise ListFormatError(f"{path}: unknown list format {kind!r}; choose one of {', '.join(FORMATS)}")
