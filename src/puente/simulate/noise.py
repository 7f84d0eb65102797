"""Real-world noise in how one person or company is written in US and Mexican records.

A US form has one last-name field and often no accents, so ``María Guadalupe Hernández Núñez`` becomes
``HERNANDEZ, MARIA``; a Mexican declaration keeps both surnames but may carry a nickname, a typo or a swapped
birth day and month. Each rendering returns the list of noise kinds it applied, which is written to the truth
files so that a matcher's errors can be explained.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from puente.simulate.config import Noise
from puente.simulate.tables import strip_accents

if TYPE_CHECKING:
    from puente.simulate.population import Persons

NOISE_KINDS = (
    "name_order",
    "maternal_missing",
    "accents_dropped",
    "typo",
    "abbreviation",
    "transliteration",
    "nickname",
    "dob_swapped",
    "missing_fields",
    "id_differs",
)

#: Spelling variants seen when Spanish names are written by ear or by English speakers.
_TRANSLITERATIONS = (
    ("ñ", "n"),
    ("Ñ", "N"),
    ("ll", "y"),
    ("z", "s"),
    ("v", "b"),
    ("X", "J"),
    ("x", "j"),
    ("ph", "f"),
    ("th", "t"),
    ("y", "i"),
)
_LEGAL_FORM_VARIANTS = {
    "S.A. de C.V.": ("SA DE CV", "S.A. DE C.V.", "Sociedad Anónima de Capital Variable", ""),
    "S. de R.L. de C.V.": ("S DE RL DE CV", "S. DE R.L.", ""),
    "S.A.P.I. de C.V.": ("SAPI DE CV", "S.A.P.I.", ""),
    "LLC": ("L.L.C.", "Limited Liability Company", ""),
    "Inc.": ("Inc", "Incorporated", ""),
}
_KEYBOARD = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class Rendered:
    """A person as written in one record."""

    given: str
    paternal: str
    maternal: str | None
    dob: int | None
    noise: list[str] = field(default_factory=list)
    drop_optional: bool = False  # the record leaves optional fields (address, ID, DOB) empty

    @property
    def last(self) -> str:
        return f"{self.paternal} {self.maternal}" if self.maternal else self.paternal

    @property
    def full(self) -> str:
        return f"{self.given} {self.last}"

    @property
    def comma(self) -> str:
        return f"{self.last}, {self.given}"


class Noiser:
    """Applies configured noise rates; ``foreign`` records (the other country's) get the full rates."""

    def __init__(self, rates: Noise, rng: np.random.Generator, home_factor: float = 0.2) -> None:
        self.rates = rates
        self.rng = rng
        self.home_factor = home_factor

    def _hit(self, rate: float, foreign: bool) -> bool:
        return bool(self.rng.random() < (rate if foreign else rate * self.home_factor))

    def typo(self, text: str) -> str:
        if len(text) < 3:
            return text
        i = int(self.rng.integers(1, len(text) - 1))
        op = int(self.rng.integers(0, 4))
        letter = _KEYBOARD[int(self.rng.integers(0, 26))]
        if text[i - 1].isupper() and text[i].isupper():
            letter = letter.upper()
        if op == 0:
            return text[:i] + letter + text[i + 1 :]
        if op == 1:
            return text[:i] + text[i + 1 :]
        if op == 2:
            return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]
        return text[:i] + letter + text[i:]

    def transliterate(self, text: str) -> str:
        options = [(a, b) for a, b in _TRANSLITERATIONS if a in text]
        if not options:
            return text
        a, b = options[int(self.rng.integers(0, len(options)))]
        return text.replace(a, b)

    def render(self, persons: Persons, i: int, *, us_form: bool, foreign: bool) -> Rendered:
        """Person ``i`` of ``persons`` as a record writes them (:meth:`person` on their names and birth date)."""
        return self.person(
            persons.given[i],
            persons.paternal[i],
            persons.maternal[i],
            persons.nickname[i],
            int(persons.dob[i]),
            us_form=us_form,
            foreign=foreign,
        )

    def person(
        self,
        given: str,
        paternal: str,
        maternal: str | None,
        nickname: str | None,
        dob: int,
        *,
        us_form: bool,
        foreign: bool,
    ) -> Rendered:
        r = self.rates
        out = Rendered(given, paternal, maternal, dob)
        if maternal and us_form and self._hit(r.maternal_missing, foreign):
            out.maternal = None
            out.noise.append("maternal_missing")
        if nickname and self._hit(r.nickname, foreign):
            out.given = nickname
            out.noise.append("nickname")
        elif " " in out.given and self._hit(r.abbreviation, foreign):
            first, second = out.given.split(" ", 1)
            out.given = f"{first} {second[0]}." if self.rng.random() < 0.5 else f"{first[:2]}. {second}"
            out.noise.append("abbreviation")
        if self._hit(r.transliteration, foreign):
            new = self.transliterate(out.paternal)
            if new != out.paternal:
                out.paternal = new
                out.noise.append("transliteration")
        if self._hit(r.typo, foreign):
            if self.rng.random() < 0.5:
                out.paternal = self.typo(out.paternal)
            else:
                out.given = self.typo(out.given)
            out.noise.append("typo")
        if us_form and self._hit(r.accents_dropped, True):
            stripped = strip_accents(out.full)
            if stripped != out.full:
                out.noise.append("accents_dropped")
            out.given, out.paternal = strip_accents(out.given), strip_accents(out.paternal)
            out.maternal = strip_accents(out.maternal) if out.maternal else None
        if self._hit(r.name_order, foreign):
            out.given, out.paternal, out.maternal = out.last, out.given, None
            out.noise.append("name_order")
        self._record_noise(out, dob, foreign)
        return out

    def _record_noise(self, out: Rendered, dob: int, foreign: bool) -> None:
        """Noise of the record's other fields: a swapped birth day and month, fields left empty."""
        r = self.rates
        if self._hit(r.dob_swapped, foreign):
            d = np.datetime64(int(dob), "D").astype(object)
            if d.day <= 12 and d.day != d.month:
                swapped = d.replace(month=d.day, day=d.month)
                out.dob = int(np.datetime64(swapped, "D").astype(np.int64))
                out.noise.append("dob_swapped")
        if self._hit(r.missing_fields, foreign):
            out.drop_optional = True
            out.dob = None
            out.noise.append("missing_fields")

    def company(self, name: str, legal_form: str, *, foreign: bool) -> tuple[str, list[str]]:
        """A company name as written in a record, with the noise applied."""
        r = self.rates
        noise: list[str] = []
        if legal_form in name and self._hit(r.abbreviation, foreign):
            variants = _LEGAL_FORM_VARIANTS.get(legal_form, ("",))
            variant = variants[int(self.rng.integers(0, len(variants)))]
            name = name.replace(legal_form, variant).rstrip(", ").strip()
            noise.append("abbreviation")
        if self._hit(r.typo, foreign):
            name = self.typo(name)
            noise.append("typo")
        if self._hit(r.accents_dropped, foreign):
            stripped = strip_accents(name)
            if stripped != name:
                noise.append("accents_dropped")
            name = stripped
        return name, noise
