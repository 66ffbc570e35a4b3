"""Hostile variants of recorded webhook payloads, shared by the gateways' parser tests."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

# Any JSON value: what a wrong-typed field may hold.
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


def mangled(raw: bytes, seed: int) -> Iterator[bytes]:
    """Truncations of `raw` at 40 points, then 60 copies with 1-4 random bytes changed."""
    rng = random.Random(seed)
    for cut in range(0, len(raw), max(1, len(raw) // 40)):
        yield raw[:cut]
    for _ in range(60):
        garbled = bytearray(raw)
        for _ in range(rng.randint(1, 4)):
            garbled[rng.randrange(len(garbled))] = rng.randrange(256)
        yield bytes(garbled)


def replace_somewhere(document: Any, value: Any, rng: random.Random) -> None:
    """Replaces one random nested value of `document` (a dict or list) by `value`, in place."""
    node = document
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            return
        key = rng.choice(keys)
        child = node[key]
        if isinstance(child, dict | list) and child and rng.random() < 0.7:
            node = child
            continue
        node[key] = value
        return
