"""OFAC-parity scoring: a reproduction of the public description of OFAC Sanctions List Search.

OFAC describes its tool as combining a character-based algorithm (Jaro-Winkler) and a phonetic one (Soundex),
applied two ways: the whole name string against whole listed names, and name part by name part. The score
here is the better of (a) Jaro-Winkler of the two whole folded names with parts sorted, and (b) the mean over
query parts of the best part score, where a part scores its Jaro-Winkler similarity, raised to at least 0.9
when the Soundex codes agree. It ignores dates, countries and IDs, as Sanctions List Search does. Candidates
still come from the index; OFAC's own tool scans the list. For users who must show parity, not for quality.
"""

from __future__ import annotations

from functools import lru_cache

import jellyfish
from rapidfuzz.distance import JaroWinkler

from puente.screening.normalize import ParsedName
from puente.screening.score import NameScore, PartMatch

SOUNDEX_FLOOR = 0.9


@lru_cache(maxsize=100_000)
def _soundex(form: str) -> str:
    return str(jellyfish.soundex(form)) if form and form[0].isalpha() else form


def parity_score(query: ParsedName, listed: ParsedName) -> NameScore:
    """The OFAC-parity name score in [0, 1] (multiply by 100 for OFAC's scale)."""
    q = [p.form for p in query.parts]
    lp = [p.form for p in listed.parts]
    whole = JaroWinkler.similarity(" ".join(sorted(q)), " ".join(sorted(lp)))
    aligned: list[PartMatch] = []
    total = 0.0
    for qp in q:
        best, best_lp, how = 0.0, "", "jaro-winkler"
        for candidate in lp:
            sim = JaroWinkler.similarity(qp, candidate)
            this_how = "jaro-winkler"
            if _soundex(qp) == _soundex(candidate) and sim < SOUNDEX_FLOOR:
                sim, this_how = SOUNDEX_FLOOR, "soundex"
            if sim > best:
                best, best_lp, how = sim, candidate, this_how
        total += best
        if best_lp:
            aligned.append(PartMatch(qp, best_lp, how, round(best, 3)))
    parts = total / len(q) if q else 0.0
    matched = {m.listed for m in aligned}
    return NameScore(max(whole, parts), aligned, [], [(p, "unknown") for p in lp if p not in matched])
