"""How ordinary a word is in everyday language, from word-frequency lists (``wordfreq``).

An organisation sharing a coined or foreign word with a listed one (ATOMYZE, TRANSMORFLOT, KESHAVARZI) is strong
evidence; sharing a word of everyday English or Spanish (PHOENIX, VISTA, NEW YORK, RUSSIA, FLORES) is weak, however
rare that word is on the sanctions lists, because many unrelated companies carry it. The lists' own rarity (IDF)
cannot tell the two apart: a screening population is not the list. The factor scales an organisation word's weight
by its everyday frequency (Zipf scale: 6 is a word like NEW, 3 a word seen once per million words).
"""

from __future__ import annotations

from functools import lru_cache

from puente.screening.config import OrdinaryWordsConfig


@lru_cache(maxsize=200_000)
def _zipf(word: str, languages: tuple[str, ...], wordlist: str) -> float:
    # imported on first use: wordfreq takes 0.2 s to import, which every CLI command would otherwise pay
    from wordfreq import zipf_frequency  # noqa: PLC0415

    return max((zipf_frequency(word, lang, wordlist=wordlist) for lang in languages), default=0.0)


def ordinary_word_factor(form: str, cfg: OrdinaryWordsConfig) -> float:
    """Weight factor in ``[cfg.floor, 1]`` of a folded organisation word: 1 for a word no commoner than
    ``cfg.above_zipf`` in any of ``cfg.languages``, ``cfg.per_zipf`` less per Zipf point above it; numbers are 1."""
    if form.isdigit():
        return 1.0
    excess = _zipf(form, cfg.languages, cfg.wordlist) - cfg.above_zipf
    return 1.0 if excess <= 0 else max(cfg.floor, 1.0 - cfg.per_zipf * excess)
