"""Keyed Bloom-filter encodings: each party encodes its own records locally and shares only bit vectors.

Every identifying field (name, birth date, address, ids …) becomes its own Bloom filter of ``bits`` bits: the
field's n-grams (bigrams of the folded, nickname-resolved, spelling-folded value) are hashed with HMAC-SHA256
keyed with the secret both parties share (cryptographic long-term key, "CLK"-style), and ``k`` positions per
n-gram are set (double hashing). Without the secret, nobody can compute which n-grams set which bits, so a
recipient cannot test guesses offline. Candidate narrowing is also keyed: ``block_*`` columns are HMACs of
coarse blocking keys (phonetic surname + birth year, birth date), joinable only by holders of the same key.

Encoding cost is per *distinct n-gram* for hashing and columnar for setting bits, not per record in Python.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from puente.matching.normalize import fold, fold_unique, name_tokens, spelling_key

#: Parquet metadata keys of an encoding file.
META_FIELDS = b"puente.pprl.fields"
META_BITS = b"puente.pprl.bits"
META_KEY_CHECK = b"puente.pprl.key_check"


@dataclass(frozen=True)
class EncodingSpec:
    """How a field is encoded: bits per filter, hash positions per n-gram, n-gram size."""

    bits: int = 512
    k: int = 15
    ngram: int = 2


def key_check(secret: bytes) -> str:
    """A fingerprint of the shared secret: lets a matcher verify two files used the same key, reveals nothing else."""
    return hmac.new(secret, b"puente-pprl-key-check", hashlib.sha256).hexdigest()[:16]


def _name_text(v: str | None) -> str:
    return " ".join(sorted(spelling_key(t) for t in name_tokens(v)))


def _grams(text: str, n: int) -> list[str]:
    if not text:
        return []
    padded = f"_{text}_"
    return [padded[i : i + n] for i in range(len(padded) - n + 1)]


def _positions(secret: bytes, field: str, grams: list[str], spec: EncodingSpec) -> npt.NDArray[np.int64]:
    """k filter positions per distinct n-gram (HMAC-SHA256, double hashing); shape (len(grams), k)."""
    out = np.zeros((len(grams), spec.k), dtype=np.int64)
    steps = np.arange(spec.k, dtype=np.int64)
    for i, g in enumerate(grams):  # once per distinct n-gram of the field's vocabulary
        d = hmac.new(secret, f"{field}\x1f{g}".encode(), hashlib.sha256).digest()
        h1 = int.from_bytes(d[:4], "little") % spec.bits
        h2 = int.from_bytes(d[4:8], "little") % spec.bits | 1
        out[i] = (h1 + steps * h2) % spec.bits
    return out


def bloom_field(values: list[str], field: str, secret: bytes, spec: EncodingSpec) -> npt.NDArray[np.uint8]:
    """Packed Bloom filters (n, bits/8) of already-normalised text values."""
    n = len(values)
    uniq, inverse = np.unique(np.asarray(values, dtype=object), return_inverse=True)
    gram_lists = [_grams(str(v), spec.ngram) for v in uniq]
    vocab = sorted({g for gl in gram_lists for g in gl})
    index = {g: i for i, g in enumerate(vocab)}
    pos = _positions(secret, field, vocab, spec)
    bits = np.zeros((len(uniq), spec.bits), dtype=bool)
    lengths = np.array([len(gl) for gl in gram_lists], dtype=np.int64)
    if lengths.sum():
        rows = np.repeat(np.arange(len(uniq)), lengths)
        gid = np.fromiter((index[g] for gl in gram_lists for g in gl), dtype=np.int64, count=int(lengths.sum()))
        bits[np.repeat(rows, spec.k), pos[gid].ravel()] = True
    packed = np.packbits(bits, axis=1)
    return packed[inverse] if n else np.zeros((0, spec.bits // 8), dtype=np.uint8)


def _block_key(secret: bytes, values: npt.NDArray[np.object_]) -> pa.Array:
    uniq, inverse = np.unique(values.astype(str), return_inverse=True)
    hashed = np.array(
        [hmac.new(secret, b"blk\x1f" + u.encode(), hashlib.sha256).hexdigest()[:24] if u else "" for u in uniq],
        dtype=object,
    )
    out = hashed[inverse]
    return pa.array(out, pa.string(), mask=out == "")


def encode_people(records: pa.Table, secret: bytes, spec: EncodingSpec = EncodingSpec()) -> pa.Table:
    """Encode people (record_id, given, surnames, dob, address, ids) into per-field keyed Bloom filters.

    Output columns: ``record_id`` (the party's own key: use a non-identifying one), ``name``, ``dob``,
    ``address``, ``ids`` (fixed-size binary filters) and keyed blocking keys ``block_name_year``,
    ``block_dob``. File metadata records the fields, filter size and the key check.
    """
    given = records["given"].to_pylist()
    surnames = records["surnames"].to_pylist()
    names = [_name_text(f"{g or ''} {s or ''}") for g, s in zip(given, surnames, strict=True)]
    dob_col = records["dob"].cast(pa.string()).to_pylist()
    dobs = ["".join(ch for ch in (d or "") if ch.isdigit())[:8] for d in dob_col]
    addresses = list(fold_unique(records["address"], fold)) if "address" in records.column_names else [""] * len(names)
    ids = (
        [" ".join(sorted(fold(x).replace(" ", "") for x in (v or []))) for v in records["ids"].to_pylist()]
        if "ids" in records.column_names
        else [""] * len(names)
    )
    fields = {"name": names, "dob": dobs, "address": addresses, "ids": ids}
    cols: dict[str, pa.Array] = {"record_id": records["record_id"].combine_chunks().cast(pa.string())}
    width = spec.bits // 8
    for field, vals in fields.items():
        packed = bloom_field(vals, field, secret, spec)
        cols[field] = pa.array([bytes(r) for r in packed], pa.binary(width))
    surname_first = np.array(
        [spelling_key(name_tokens(s)[0]) if name_tokens(s) else "" for s in surnames], dtype=object
    )
    given_first = np.array([spelling_key(name_tokens(g)[0]) if name_tokens(g) else "" for g in given], dtype=object)
    lo = np.where(surname_first < given_first, surname_first, given_first)
    hi = np.where(surname_first < given_first, given_first, surname_first)
    years = np.array([d[:4] for d in dobs], dtype=object)
    cols["block_name_year"] = _block_key(secret, np.where((lo != "") & (years != ""), lo + "|" + hi + "|" + years, ""))
    cols["block_dob"] = _block_key(secret, np.array(dobs, dtype=object))
    cols["block_name"] = _block_key(secret, np.array(names, dtype=object))
    meta = {
        META_FIELDS: ",".join(fields).encode(),
        META_BITS: str(spec.bits).encode(),
        META_KEY_CHECK: key_check(secret).encode(),
    }
    return pa.table(cols).replace_schema_metadata(meta)
