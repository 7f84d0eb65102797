"""Sanctions and watch-list screening: official list formats, versioned lists, a fast multilingual matcher
with explained scores, batch screening, re-screening with alerts for new hits, and an OFAC-parity mode.

Public API::

    parsed = read_lists([Path("sdn.csv"), Path("alt.csv"), Path("add.csv")])   # any supported format
    store_list(ws, parsed[0])                                                   # new active version + delta
    matcher = Matcher(workspace_index(ws))                                      # or build_index(entries, infos)
    hits = matcher.screen(Query("q1", "Joaquin Guzman Loera", birth_date=date(1954, 12, 25)))
    hits = screen_batch(matcher, queries, top=5)                                # every core
    screen_workspace(ws, matcher)                                               # stored subjects -> alerts
    suppress_hit(ws, subject_id, "OFAC-SDN", "6861", analyst="ana", reason="different DOB")
"""

from puente.screening.alerts import (
    ScreeningRun,
    apply_suppressions,
    open_alerts,
    screen_workspace,
    suppress_hit,
    suppression_decisions,
)
from puente.screening.config import ScreeningConfig, default_config, load_config
from puente.screening.demo import demo_step
from puente.screening.entry import ListEntry, ListFormatError, ParsedList
from puente.screening.formats import FORMATS, read_lists, sniff_format
from puente.screening.index import NameIndex, build_index
from puente.screening.lists import ListLoadResult, active_entries, list_versions, store_list, workspace_index
from puente.screening.matcher import MODES, Hit, Matcher, Query, screen_batch
from puente.screening.subjects import InputError, read_queries, workspace_subjects, write_hits

__all__ = [
    "FORMATS",
    "MODES",
    "Hit",
    "InputError",
    "ListEntry",
    "ListFormatError",
    "ListLoadResult",
    "Matcher",
    "NameIndex",
    "ParsedList",
    "Query",
    "ScreeningConfig",
    "ScreeningRun",
    "active_entries",
    "apply_suppressions",
    "build_index",
    "default_config",
    "demo_step",
    "list_versions",
    "load_config",
    "open_alerts",
    "read_lists",
    "read_queries",
    "screen_batch",
    "screen_workspace",
    "sniff_format",
    "store_list",
    "suppress_hit",
    "suppression_decisions",
    "workspace_index",
    "workspace_subjects",
    "write_hits",
]
