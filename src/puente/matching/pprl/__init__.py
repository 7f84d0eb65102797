"""Privacy-preserving record linkage (PPRL) with keyed Bloom-filter encodings.

Each party runs :func:`encode_people` on its own records with a secret both parties share, writes the encoding
file (Parquet), and either party runs :func:`match_encodings` on two files; the result pairs each side's own
record ids with scores. See ``THREAT_MODEL.md`` beside this module for what a recipient can and cannot learn.
"""

from puente.matching.pprl.config import PPRLConfig, load_pprl_config
from puente.matching.pprl.encode import EncodingSpec, encode_people, key_check
from puente.matching.pprl.io import read_encodings, write_encodings
from puente.matching.pprl.match import (
    KeyMismatchError,
    candidates,
    dice,
    field_dice,
    lsh_candidates,
    match_encodings,
    pair_dice,
)

__all__ = [
    "EncodingSpec",
    "KeyMismatchError",
    "PPRLConfig",
    "candidates",
    "dice",
    "encode_people",
    "field_dice",
    "key_check",
    "load_pprl_config",
    "lsh_candidates",
    "match_encodings",
    "pair_dice",
    "read_encodings",
    "write_encodings",
]
