"""Reference tables shipped in ``data/``: names, cities, ports and institutions.

The CSVs carry their source in a ``#`` comment header. They are small (tens to a few hundred rows), so they are
read with the standard library and turned into NumPy probability vectors for vectorised sampling.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

DATA_DIR = Path(__file__).with_name("data")

FloatArray = npt.NDArray[np.float64]


def read_rows(name: str) -> list[dict[str, str]]:
    """Rows of a data CSV, skipping its ``#`` comment lines."""
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


def strip_accents(text: str) -> str:
    """``José Peña`` -> ``Jose Pena``: what US systems that cannot store accents keep."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _probabilities(weights: list[float]) -> FloatArray:
    arr = np.asarray(weights, dtype=np.float64)
    prob: FloatArray = arr / arr.sum()
    return prob


@dataclass(frozen=True)
class NameTable:
    """Names with sampling probabilities (and, for given names, sex and nickname)."""

    names: tuple[str, ...]
    prob: FloatArray
    sex: tuple[str, ...] = ()
    nickname: tuple[str, ...] = ()

    def by_sex(self, sex: str) -> NameTable:
        keep = [i for i, s in enumerate(self.sex) if s == sex]
        return NameTable(
            names=tuple(self.names[i] for i in keep),
            prob=_probabilities([float(self.prob[i]) for i in keep]),
            sex=tuple(self.sex[i] for i in keep),
            nickname=tuple(self.nickname[i] for i in keep),
        )


@cache
def surnames(country: str) -> NameTable:
    rows = read_rows(f"surnames_{country.lower()}.csv")
    return NameTable(names=tuple(r["surname"] for r in rows), prob=_probabilities([float(r["count"]) for r in rows]))


@cache
def given_names(country: str) -> NameTable:
    rows = read_rows(f"given_{country.lower()}.csv")
    return NameTable(
        names=tuple(r["name"] for r in rows),
        prob=_probabilities([float(r["count"]) for r in rows]),
        sex=tuple(r["sex"] for r in rows),
        nickname=tuple(r["nickname"] for r in rows),
    )


@dataclass(frozen=True)
class Cities:
    name: tuple[str, ...]
    state: tuple[str, ...]
    country: tuple[str, ...]
    population: FloatArray
    border: npt.NDArray[np.bool_]
    curp_state: tuple[str, ...]
    port: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.name)

    def index(self, name: str, country: str | None = None) -> int:
        for i, (city, ctry) in enumerate(zip(self.name, self.country, strict=True)):
            if city == name and (country is None or ctry == country):
                return i
        raise KeyError(name)

    def where(self, country: str) -> npt.NDArray[np.int64]:
        return np.flatnonzero(np.asarray(self.country) == country)


@cache
def cities() -> Cities:
    rows = read_rows("cities.csv")
    return Cities(
        name=tuple(r["city"] for r in rows),
        state=tuple(r["state"] for r in rows),
        country=tuple(r["country"] for r in rows),
        population=np.asarray([float(r["population"]) for r in rows]),
        border=np.asarray([r["border"] == "1" for r in rows]),
        curp_state=tuple(r["curp_state"] or "NE" for r in rows),
        port=tuple(r["port"] for r in rows),
    )


@dataclass(frozen=True)
class Port:
    code: str
    name: str
    us_city: str
    us_state: str
    aduana: str
    mx_city: str
    mx_state: str
    weight: float
    truck_weight: float


@cache
def ports() -> tuple[Port, ...]:
    return tuple(
        Port(
            code=r["port"],
            name=r["port_name"],
            us_city=r["us_city"],
            us_state=r["us_state"],
            aduana=r["aduana"],
            mx_city=r["mx_city"],
            mx_state=r["mx_state"],
            weight=float(r["weight"]),
            truck_weight=float(r["truck_weight"]),
        )
        for r in read_rows("ports.csv")
    )


@dataclass(frozen=True)
class Institution:
    id: str
    name: str
    country: str
    kind: str
    code: str
    ein: str
    weight: float


@cache
def institutions() -> tuple[Institution, ...]:
    return tuple(
        Institution(
            id=r["id"],
            name=r["name"],
            country=r["country"],
            kind=r["kind"],
            code=r["code"],
            ein=r["ein"],
            weight=float(r["weight"]),
        )
        for r in read_rows("institutions.csv")
    )
