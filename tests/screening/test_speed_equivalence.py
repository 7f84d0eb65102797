"""Speed work must not change results: screen a few hundred varied queries against an index built from the
handmade fixtures (plus deterministic synthetic entries recombined from their name parts) and compare every hit,
rank, score and explanation with expectations recorded from the implementation before the speed-up.

Regenerate the expectations (only when a result change is intended) with
``PUENTE_REGEN_SPEED_EQUIVALENCE=1 pytest tests/screening/test_speed_equivalence.py``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from puente.screening import Matcher, Query, build_index, read_lists, screen_batch
from puente.screening.entry import BirthDate, IdDocument, ListedName, ListEntry
from puente.screening.index import ListVersionInfo

from .conftest import FIXTURES, ofac_files

EXPECTED = Path(__file__).with_name("speed_equivalence.json")
_FIELDS = ("query_id", "rank", "list_name", "entity_id", "matched_name", "score", "match")

_GIVEN = ["Joaquin", "Ismael", "Maria", "Guadalupe", "Rafael", "Jose", "Juan", "Luis", "Ana", "Jesus", "Won", "Ho"]
_SUR = ["Guzman", "Loera", "Zambada", "Garcia", "Perez", "Torre", "Caro", "Quintero", "Ri", "Hernandez", "Lopez"]
_ORG = ["Distribuidora", "Imperial", "Baja", "California", "Tiendas", "Fantasia", "Ocean", "Star", "Comercial"]
_FORMS = ["S.A. DE C.V.", "LLC", "SA de CV", "S. de R.L. de C.V.", "LTD", ""]


def _entries() -> tuple[list[ListEntry], list[ListVersionInfo]]:
    entries: list[ListEntry] = []
    infos: list[ListVersionInfo] = []
    for files in (ofac_files(), [FIXTURES / "sdn_advanced.xml"], [FIXTURES / "un_consolidated.xml"]):
        for parsed in read_lists(files):
            entries += parsed.entries
            infos += [ListVersionInfo(parsed.list_name, "v-test", "2024-05-03")] * len(parsed.entries)
    for parsed in read_lists([FIXTURES / "opensanctions.ftm.json"]):
        entries += parsed.entries
        infos += [ListVersionInfo(parsed.list_name, "v-ftm", None)] * len(parsed.entries)
    rng = random.Random(20261125)
    synth = ListVersionInfo("SYNTH", "v-synth", "2025-01-01")
    for k in range(120):
        if k % 3 == 2:
            words = rng.sample(_ORG, rng.randint(1, 3))
            name = " ".join(w.upper() for w in words) + (", " + rng.choice(_FORMS) if rng.random() < 0.7 else "")
            names = [ListedName(name)]
            if rng.random() < 0.3:
                names.append(ListedName(" ".join(rng.sample(_ORG, 2)), "aka"))
            entries.append(ListEntry(f"S{k}", "Organization", names, countries=[rng.choice(["Mexico", "Panama"])]))
        else:
            given = " ".join(rng.sample(_GIVEN, rng.randint(1, 2)))
            sur = " ".join(rng.sample(_SUR, rng.randint(1, 2)))
            names = [ListedName(f"{sur.upper()}, {given}", last=sur.upper(), given=given)]
            if rng.random() < 0.4:
                names.append(ListedName(f"El {rng.choice(_SUR)}", "weak"))
            if rng.random() < 0.3:
                names.append(ListedName(f"{rng.choice(_GIVEN)} {rng.choice(_SUR)}", "aka"))
            year = rng.randint(1940, 1990)
            entries.append(
                ListEntry(
                    f"S{k}",
                    "Person",
                    names,
                    birth_dates=[BirthDate(str(year), f"{year}-01-01", f"{year}-12-31")],
                    nationalities=[rng.choice(["Mexico", "Colombia"])],
                    ids=[IdDocument("passport", f"P{rng.randint(100000, 999999)}")] if rng.random() < 0.3 else [],
                )
            )
        infos.append(synth)
    return entries, infos


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(len(word))
    op = rng.randrange(3)
    if op == 0:
        return word[:i] + word[i + 1 :]
    if op == 1:
        return word[:i] + rng.choice("aeiouszkxy") + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _queries(entries: list[ListEntry]) -> list[Query]:
    rng = random.Random(7)
    names = [n.name for e in entries for n in e.names]
    out: list[Query] = []
    for k in range(320):
        base = rng.choice(names)
        words = base.replace(",", " ").split()
        variant = k % 8
        if variant == 1:
            words = [_typo(rng, w) for w in words]
        elif variant == 2:
            rng.shuffle(words)
        elif variant == 3 and len(words) > 1:
            words.pop(rng.randrange(len(words)))
        elif variant == 4:
            words = [w.title() for w in words] + [rng.choice(_GIVEN + _SUR)]
        elif variant == 5:
            words = [w[0] + "." if i == 0 and len(words) > 1 else w for i, w in enumerate(words)]
        elif variant == 6:
            words = [rng.choice(_GIVEN), rng.choice(_SUR), rng.choice(_SUR)]
        name = base if variant == 0 else " ".join(words)
        schema = rng.choice([None, None, "Person", "Organization"])
        birth = date(rng.randint(1940, 1990), rng.randint(1, 12), rng.randint(1, 28)) if rng.random() < 0.3 else None
        country = rng.choice([None, None, "MX", "Mexico", "CO", "PA"])
        ids = (rng.choice(["GULJ541225HSLZRQ07", "12345678", "DIB771110HQ1", "P123456", "GULJ541225HSLZRQ09"]),)
        out.append(
            Query(f"q{k}", name, schema, birth, country, ids if rng.random() < 0.15 else ())  # type: ignore[arg-type]
        )
    return out


def _results(matcher: Matcher, queries: list[Query]) -> list[list[Any]]:
    """Each hit as its fields plus a digest of its whole explanation (keeps the fixture small, loses nothing)."""
    out = []
    for hit in (h for q in queries for h in matcher.screen(q, top=5)):
        record = json.loads(json.dumps(dataclasses.asdict(hit), default=str))
        explanation = json.dumps(record["explanation"], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.sha256(explanation.encode()).hexdigest()[:16]
        out.append([*(record[k] for k in _FIELDS), digest])
    return out


@pytest.fixture(scope="module")
def setup() -> tuple[list[ListEntry], list[ListVersionInfo], list[Query]]:
    entries, infos = _entries()
    return entries, infos, _queries(entries)


@pytest.mark.parametrize("mode", ["puente", "ofac-parity"])
def test_results_unchanged(setup: tuple[list[ListEntry], list[ListVersionInfo], list[Query]], mode: str) -> None:
    entries, infos, queries = setup
    matcher = Matcher(build_index(entries, infos), mode=mode)
    got = _results(matcher, queries)
    if os.environ.get("PUENTE_REGEN_SPEED_EQUIVALENCE"):
        data = json.loads(EXPECTED.read_text()) if EXPECTED.exists() else {}
        data[mode] = got
        EXPECTED.write_text(json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n")
    expected = json.loads(EXPECTED.read_text())[mode]
    assert len({h[0] for h in expected}) > 150  # the set exercises many queries
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        assert g == e, g[0]


def test_batch_equals_single(setup: tuple[list[ListEntry], list[ListVersionInfo], list[Query]]) -> None:
    entries, infos, queries = setup
    matcher = Matcher(build_index(entries, infos))
    single = [dataclasses.asdict(h) for q in queries for h in matcher.screen(q, top=5)]
    batch = [dataclasses.asdict(h) for h in screen_batch(matcher, queries, workers=2, chunk_size=50)]
    assert batch == single
