"""Countries as ISO 3166 alpha-2 codes (lower case), whatever the list or the user wrote."""

from __future__ import annotations

from functools import lru_cache

from followthemoney.types import registry


@lru_cache(maxsize=4096)
def country_code(text: str | None) -> str | None:
    """``Mexico``, ``MX``, ``MEX`` -> ``mx``; a place ``Culiacan, Sinaloa, Mexico`` -> its last part's code."""
    if not text or not text.strip():
        return None
    code = registry.country.clean_text(text.strip())
    if code is None and "," in text:
        code = registry.country.clean_text(text.rsplit(",", 1)[-1].strip())
    return str(code) if code else None
