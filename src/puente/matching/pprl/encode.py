"""Keyed Bloom-filter encodings: each party encodes its own records locally and shares only bit vectors.

Every identifying field (name, birth date, address, ids) becomes its own Bloom filter of ``bits`` bits
("field-level" encodings; see ``THREAT_MODEL.md`` for why not one filter per record). A field's value is folded
and split into tokens (name tokens get nicknames resolved, particles dropped and by-ear spellings folded, as in
plaintext matching); each token is padded (``_GARCIA_``) and cut into n-grams; each n-gram sets ``k`` positions
drawn from HMAC-SHA256 keyed with the secret both parties share (cryptographic long-term key). Positions are
independent HMAC outputs, not double hashing, which the Kroll–Steinmetzer attack exploits. Without the secret
nobody can compute which n-grams set which bits, so a recipient cannot test guesses offline.

A field's filter is the OR of its tokens' filters, so token order does not matter (given/family name swaps and
surnames moved between fields encode alike). Cost: Arrow compute kernels fold and split whole columns; Python
runs once per *distinct token* (and HMAC once per distinct n-gram); tokens' filters are OR-reduced into records
with numpy on packed 64-bit words. Nothing loops over records in Python.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from puente.matching.normalize import canonical_given, name_knowledge, spelling_key
from puente.matching.pprl.config import PPRLConfig, load_pprl_config

#: Parquet metadata keys of an encoding file.
META_FIELDS = b"puente.pprl.fields"
META_BITS = b"puente.pprl.bits"
META_KEY_CHECK = b"puente.pprl.key_check"
META_SPEC = b"puente.pprl.spec"

#: The fields encoded, in file order.
FIELDS = ("name", "dob", "address", "ids")

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class EncodingSpec:
    """How a field is encoded: bits per filter, keyed positions per n-gram, n-gram size (see ``pprl.yaml``)."""

    bits: int = 512
    k: int = 15
    ngram: int = 2

    @classmethod
    def from_config(cls, cfg: PPRLConfig | None = None) -> EncodingSpec:
        e = (cfg or load_pprl_config()).encoding
        return cls(bits=e.bits, k=e.k, ngram=e.ngram)

    def fingerprint(self) -> str:
        """Written to the file so a matcher can refuse encodings made with different settings."""
        return f"v2;bits={self.bits};k={self.k};ngram={self.ngram}"


def key_check(secret: bytes) -> str:
    """A fingerprint of the shared secret: lets a matcher verify two files used the same key, reveals nothing else."""
    return hmac.new(secret, b"puente-pprl-key-check", hashlib.sha256).hexdigest()[:16]


def _positions(secret: bytes, field: str, grams: list[bytes], spec: EncodingSpec) -> I64:
    """``k`` independent keyed filter positions per distinct n-gram; shape (len(grams), k)."""
    per_digest = 16  # 32-byte HMAC-SHA256 output, 2 bytes per position
    rounds = -(-spec.k // per_digest)
    out = np.zeros((len(grams), spec.k), dtype=np.int64)
    prefix = f"puente-pprl\x1f{field}\x1f".encode()
    for i, g in enumerate(grams):  # once per distinct n-gram of the field's vocabulary
        raw = b"".join(hmac.new(secret, prefix + g + bytes([0x1F, r]), hashlib.sha256).digest() for r in range(rounds))
        out[i] = np.frombuffer(raw, dtype="<u2")[: spec.k].astype(np.int64) % spec.bits
    return out


def token_filters(tokens: list[str] | pa.Array, field: str, secret: bytes, spec: EncodingSpec) -> U64:
    """Packed filters (len(tokens), bits/64) of distinct, already-normalised tokens ("" gives an empty filter).

    Each token is padded (``_TOKEN_``) and cut into byte n-grams with numpy over the Arrow string buffer (tokens
    are folded to ASCII). Python runs once per distinct n-gram (its HMAC); each distinct n-gram's filter is
    built once, and a token's filter is the OR of its n-grams' filters (one gather and one ``reduceat``).
    """
    arr = pa.array(tokens, pa.string()) if isinstance(tokens, list) else tokens.cast(pa.string())
    arr = pc.fill_null(arr, "")
    nonempty = pc.greater(pc.utf8_length(arr), 0).to_numpy(zero_copy_only=False)
    padded = pc.if_else(nonempty, pc.binary_join_element_wise("_", arr, "_", ""), "")
    offsets = np.frombuffer(padded.buffers()[1], dtype=np.int32, count=len(padded) + 1, offset=padded.offset * 4)
    data = (
        np.frombuffer(padded.buffers()[2], dtype=np.uint8) if padded.buffers()[2] is not None else np.zeros(0, np.uint8)
    )
    n = spec.ngram
    starts = offsets[:-1].astype(np.int64)
    counts = np.maximum(offsets[1:].astype(np.int64) - starts - n + 1, 0)
    out = np.zeros((len(padded), spec.bits // 64), dtype="<u8")
    total = int(counts.sum())
    if not total:
        return out
    first = np.cumsum(counts) - counts  # each token's first n-gram among all n-grams
    at = np.repeat(starts - first, counts) + np.arange(total)
    code = data[at].astype(np.int64)
    for j in range(1, n):  # n bytes of each n-gram into one integer
        code = code * 256 + data[at + j]
    vocab, gid = _distinct(code, n)
    grams = [int(c).to_bytes(n, "big") for c in vocab.tolist()]
    gram_filters = _filters_of_positions(_positions(secret, field, grams, spec), spec.bits)
    has = counts > 0
    out[has] = np.bitwise_or.reduceat(gram_filters[gid], first[has], axis=0)
    return out


def _distinct(code: I64, n: int) -> tuple[I64, I64]:
    """Sorted distinct n-gram codes and each code's index among them (a lookup table for n <= 2, else a sort)."""
    if n > 2:
        vocab, gid = np.unique(code, return_inverse=True)
        return vocab, gid.ravel()
    seen = np.zeros(256**n, dtype=bool)
    seen[code] = True
    vocab = np.flatnonzero(seen)
    index = np.zeros(256**n, dtype=np.int64)
    index[vocab] = np.arange(len(vocab))
    return vocab, index[code]


def _filters_of_positions(pos: I64, bits: int) -> U64:
    """Packed filters (len(pos), bits/64) with the bits ``pos`` (len(pos), k) set."""
    dense = np.zeros((len(pos), bits), dtype=bool)
    dense[np.repeat(np.arange(len(pos)), pos.shape[1]), pos.ravel()] = True
    return np.packbits(dense, axis=1, bitorder="little").view("<u8")


def _fold(arr: pa.Array) -> pa.Array:
    """Arrow version of :func:`puente.matching.normalize.fold` up to the split: no accents, upper case, A-Z0-9."""
    x = pc.utf8_normalize(arr.cast(pa.string()), form="NFKD")
    x = pc.replace_substring_regex(x, r"\p{Mn}", "")
    x = pc.utf8_upper(x)
    return pc.replace_substring_regex(x, r"[^A-Z0-9]+", " ")


def _tokens(col: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, I64]:
    """Folded whitespace tokens of a text column, flattened, with per-record offsets (null → no tokens)."""
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    lists = pc.utf8_split_whitespace(pc.utf8_trim_whitespace(_fold(arr)))
    return _flatten(lists)


def _flatten(lists: pa.Array) -> tuple[pa.Array, I64]:
    lengths = pc.fill_null(pc.list_value_length(lists), 0).to_numpy(zero_copy_only=False).astype(np.int64)
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return pc.list_flatten(lists), offsets


def _field_words(
    flat: pa.Array, offsets: I64, field: str, secret: bytes, spec: EncodingSpec, transform: str = "none"
) -> U64:
    """Per-record filters (n, bits/64): distinct raw tokens → normalised tokens → filters → OR per record."""
    n, width = len(offsets) - 1, spec.bits // 64
    out = np.zeros((n, width), dtype="<u8")
    if len(flat) == 0:
        return out
    enc = pc.dictionary_encode(flat.cast(pa.string()))
    dictionary = enc.dictionary
    if transform != "none":  # per distinct raw token; tokens that become equal share a filter either way
        dictionary = pa.array([_normalise_token(t, transform) for t in dictionary.to_pylist()], pa.string())
    filters = np.vstack([token_filters(dictionary, field, secret, spec), np.zeros((1, width), dtype="<u8")])
    codes = pc.fill_null(enc.indices, len(dictionary)).to_numpy(zero_copy_only=False).astype(np.int64)
    per_token = filters[codes]
    nonempty = offsets[1:] > offsets[:-1]
    out[nonempty] = np.bitwise_or.reduceat(per_token, offsets[:-1][nonempty], axis=0)
    return out


def _normalise_token(token: str | None, transform: str) -> str:
    """Per distinct token: names resolve nicknames, drop particles and fold spellings; ids drop separators."""
    if not token:
        return ""
    if transform == "name":
        return "" if token in _particles() else spelling_key(canonical_given(token))
    return token


def _particles() -> frozenset[str]:
    return frozenset(name_knowledge().particles)


def _by_value(col: pa.Array | pa.ChunkedArray, words_of: Callable[[pa.Array], U64], width: int) -> U64:
    """Filters (len(col), width) of a column: ``words_of`` runs on its distinct values, records gather a row."""
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    enc = pc.dictionary_encode(arr.cast(pa.string()))
    values = enc.dictionary
    table = np.vstack([words_of(values), np.zeros((1, width), dtype="<u8")])  # last row: null
    idx = pc.fill_null(enc.indices, len(values)).to_numpy(zero_copy_only=False).astype(np.intp)
    return np.asarray(np.take(table, idx, axis=0), dtype="<u8")


def _as_binary(words: U64) -> pa.Array:
    data = np.ascontiguousarray(words).view(np.uint8)
    return pa.FixedSizeBinaryArray.from_buffers(pa.binary(data.shape[1]), len(data), [None, pa.py_buffer(data)])


def _column(records: pa.Table, name: str) -> pa.Array | None:
    if name not in records.column_names:
        return None
    return records[name].combine_chunks()


def encode_people(records: pa.Table, secret: bytes, spec: EncodingSpec | None = None) -> pa.Table:
    """Encode people (record_id, given, surnames, dob, address, ids) into per-field keyed Bloom filters.

    Output columns: ``record_id`` (the party's own key: use a non-identifying one) and one fixed-size binary
    filter per field of :data:`FIELDS` (all zero where the field is missing). ``address`` and ``ids`` are
    optional input columns. File metadata records the fields, the encoding settings and the key check.

    Every column is dictionary-encoded first: folding, splitting and filters are computed once per distinct
    value, and a record's filter is a row gather from its value's filter (people share names and birth dates).
    """
    spec = spec or EncodingSpec.from_config()
    n, width = records.num_rows, spec.bits // 64

    def text(field: str, transform: str = "none") -> Callable[[pa.Array], U64]:
        return lambda values: _field_words(*_tokens(values), field, secret, spec, transform)

    def dob_words(values: pa.Array) -> U64:
        digits = pc.utf8_slice_codeunits(pc.replace_substring_regex(values, r"[^0-9]", ""), 0, 8)
        return _field_words(*_flatten(pc.utf8_split_whitespace(digits)), "dob", secret, spec)  # one token or none

    def id_words(values: pa.Array) -> U64:
        compact = pc.replace_substring(_fold(values), " ", "")  # one token per identifier
        return _field_words(compact, np.arange(len(values) + 1, dtype=np.int64), "ids", secret, spec)

    name = _by_value(records["given"], text("name", "name"), width)
    name |= _by_value(records["surnames"], text("name", "name"), width)
    dob = _by_value(records["dob"], dob_words, width)
    address_col = _column(records, "address")
    address = _by_value(address_col, text("address"), width) if address_col is not None else np.zeros((n, width), "<u8")
    ids = np.zeros((n, width), dtype="<u8")
    ids_col = _column(records, "ids")
    if ids_col is not None:
        flat_ids, id_offsets = _flatten(ids_col)
        if len(flat_ids):
            per_id = _by_value(flat_ids, id_words, width)
            has = id_offsets[1:] > id_offsets[:-1]
            ids[has] = np.bitwise_or.reduceat(per_id, id_offsets[:-1][has], axis=0)
    cols: dict[str, pa.Array] = {"record_id": records["record_id"].combine_chunks().cast(pa.string())}
    for field, words in zip(FIELDS, (name, dob, address, ids), strict=True):
        cols[field] = _as_binary(words)
    meta = {
        META_FIELDS: ",".join(FIELDS).encode(),
        META_BITS: str(spec.bits).encode(),
        META_SPEC: spec.fingerprint().encode(),
        META_KEY_CHECK: key_check(secret).encode(),
    }
    return pa.table(cols).replace_schema_metadata(meta)
