"""Everyday-word weights of organisation words (``puente.screening.words``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from puente.screening.config import OrdinaryWordsConfig, default_config
from puente.screening.words import ordinary_word_factor

CFG = OrdinaryWordsConfig(languages=("en", "es"), wordlist="small", above_zipf=2.5, per_zipf=0.25, floor=0.4)


def test_everyday_words_weigh_less_than_coined_names() -> None:
    assert ordinary_word_factor("atomyze", CFG) == 1.0
    assert ordinary_word_factor("keshavarzi", CFG) == 1.0
    assert 0.4 < ordinary_word_factor("phoenix", CFG) < 0.8
    assert ordinary_word_factor("flores", CFG) < 0.8  # everyday Spanish (flowers), not English
    assert ordinary_word_factor("new", CFG) == CFG.floor  # as common as words get


def test_numbers_keep_their_weight() -> None:
    assert ordinary_word_factor("1110", CFG) == 1.0


def test_the_packaged_rules_use_english_and_spanish() -> None:
    ordinary = default_config().scoring.ordinary_words
    assert ordinary is not None and set(ordinary.languages) == {"en", "es"}


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12))
def test_the_factor_stays_between_the_floor_and_one(word: str) -> None:
    assert CFG.floor <= ordinary_word_factor(word, CFG) <= 1.0
