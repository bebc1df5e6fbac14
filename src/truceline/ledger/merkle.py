"""Merkle tree hashing and proofs exactly as RFC 9162 (Certificate Transparency v2) defines them.

Leaves are hashed as ``SHA-256(0x00 || entry)``, interior nodes as
``SHA-256(0x01 || left || right)`` and a tree of ``n`` leaves is split at the largest power of
two smaller than ``n`` (RFC 9162 section 2.1.1). Proof generation follows the recursive
definitions of sections 2.1.3.1 and 2.1.4.1; verification follows the algorithms of sections
2.1.3.2 and 2.1.4.2 step by step, so that any RFC 9162 implementation agrees with ours.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"


def leaf_hash(entry: bytes) -> bytes:
    """The hash of one leaf: ``SHA-256(0x00 || entry)``.

    >>> leaf_hash(b"").hex()[:16]
    '6e340b9cffb37a98'
    """
    return hashlib.sha256(_LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node: ``SHA-256(0x01 || left || right)``."""
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (``n >= 2``), where RFC 9162 splits.

    >>> [split_point(n) for n in (2, 3, 4, 5, 8, 9)]
    [1, 2, 2, 4, 4, 8]
    """
    if n < 2:
        raise ValueError(f"a tree of {n} leaves has no split point")
    return 1 << ((n - 1).bit_length() - 1)


class MerkleTree:
    """The Merkle tree over a list of leaf hashes, answering for every prefix ``D[0:size]``.

    Hashes of complete (power-of-two, aligned) subtrees are computed once and kept, so the
    root of every prefix and every proof costs O(log n) hashes after the first use.

    >>> tree = MerkleTree([leaf_hash(bytes([i])) for i in range(5)])
    >>> path = tree.inclusion_path(3, 5)
    >>> verify_inclusion(leaf_hash(bytes([3])), 3, 5, path, tree.root(5))
    True
    >>> proof = tree.consistency_path(3, 5)
    >>> verify_consistency(3, 5, tree.root(3), tree.root(5), proof)
    True
    """

    def __init__(self, leaf_hashes: Sequence[bytes]) -> None:
        self._leaves = list(leaf_hashes)
        self._complete: dict[tuple[int, int], bytes] = {}

    @property
    def size(self) -> int:
        """The number of leaves."""
        return len(self._leaves)

    def root(self, size: int | None = None) -> bytes:
        """MTH(D[0:size]), the root hash of the first ``size`` leaves (default: all)."""
        size = self.size if size is None else size
        self._check_size(size)
        return EMPTY_ROOT if size == 0 else self._range_hash(0, size)

    def inclusion_path(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[0:size]) of RFC 9162 section 2.1.3.1: the audit path of one leaf."""
        size = self.size if size is None else size
        self._check_size(size)
        if not 0 <= index < size:
            raise ValueError(f"leaf index {index} is outside a tree of {size} leaves")
        return self._path(index, 0, size)

    def consistency_path(self, first: int, second: int | None = None) -> list[bytes]:
        """PROOF(first, D[0:second]) of RFC 9162 section 2.1.4.1 (empty when nothing to prove)."""
        second = self.size if second is None else second
        self._check_size(second)
        if not 0 <= first <= second:
            raise ValueError(f"no consistency proof from size {first} to size {second}")
        if first in (0, second):  # the empty tree and an equal tree need no proof
            return []
        return self._subproof(first, 0, second, complete=True)

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self.size:
            raise ValueError(f"tree size {size} is outside 0..{self.size}")

    def _path(self, index: int, start: int, end: int) -> list[bytes]:
        """PATH(index - start, D[start:end])."""
        if end - start == 1:
            return []
        k = split_point(end - start)
        if index - start < k:
            return [*self._path(index, start, start + k), self._range_hash(start + k, end)]
        return [*self._path(index, start + k, end), self._range_hash(start, start + k)]

    def _subproof(self, m: int, start: int, end: int, *, complete: bool) -> list[bytes]:
        """SUBPROOF(m, D[start:end], b) with ``b`` named ``complete``."""
        n = end - start
        if m == n:
            return [] if complete else [self._range_hash(start, end)]
        k = split_point(n)
        if m <= k:
            return [
                *self._subproof(m, start, start + k, complete=complete),
                self._range_hash(start + k, end),
            ]
        return [
            *self._subproof(m - k, start + k, end, complete=False),
            self._range_hash(start, start + k),
        ]

    def _range_hash(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]): complete subtrees from the cache, the ragged right edge recomputed."""
        n = end - start
        if n & (n - 1) == 0:  # a complete subtree: cached
            return self._complete_hash(start, n)
        k = split_point(n)
        return node_hash(self._complete_hash(start, k), self._range_hash(start + k, end))

    def _complete_hash(self, start: int, width: int) -> bytes:
        """MTH of the complete subtree of ``width`` (a power of two) leaves from ``start``."""
        if width == 1:
            return self._leaves[start]
        cached = self._complete.get((start, width))
        if cached is None:
            half = width // 2
            cached = node_hash(
                self._complete_hash(start, half), self._complete_hash(start + half, half)
            )
            self._complete[(start, width)] = cached
        return cached


def merkle_root(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH over the given leaf hashes (RFC 9162 section 2.1.1).

    >>> merkle_root([]).hex()[:16]
    'e3b0c44298fc1c14'
    """
    return MerkleTree(leaf_hashes).root()


def verify_inclusion(
    leaf: bytes, index: int, tree_size: int, path: Sequence[bytes], root: bytes
) -> bool:
    """Check an audit path with the algorithm of RFC 9162 section 2.1.3.2, step by step.

    ``leaf`` is the leaf hash (not the entry). True when ``path`` proves that the leaf is
    number ``index`` of the tree of ``tree_size`` leaves whose root hash is ``root``.

    >>> verify_inclusion(leaf_hash(b"a"), 0, 1, [], leaf_hash(b"a"))
    True
    """
    if index < 0 or index >= tree_size:  # step 1
        return False
    fn, sn = index, tree_size - 1  # step 2
    r = leaf  # step 3
    for p in path:  # step 4
        if sn == 0:  # 4a
            return False
        if fn & 1 or fn == sn:  # 4b
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1  # 4c
    return sn == 0 and r == root  # step 5


def verify_consistency(
    first: int, second: int, first_hash: bytes, second_hash: bytes, path: Sequence[bytes]
) -> bool:
    """Check a consistency proof with the algorithm of RFC 9162 section 2.1.4.2, step by step.

    True when ``path`` proves that the tree of ``second`` leaves with root ``second_hash``
    extends the tree of ``first`` leaves with root ``first_hash``. The RFC covers
    ``0 < first < second``; an equal size needs an empty proof and equal roots, and every tree
    extends the empty tree (size 0, root ``EMPTY_ROOT``) with an empty proof.

    >>> tree = MerkleTree([leaf_hash(b"a"), leaf_hash(b"b")])
    >>> verify_consistency(1, 2, tree.root(1), tree.root(2), tree.consistency_path(1, 2))
    True
    """
    if first < 0 or first > second:
        return False
    if first == 0:
        return not path and first_hash == EMPTY_ROOT
    if first == second:
        return not path and first_hash == second_hash
    if not path:  # step 1
        return False
    proof = list(path)
    if first & (first - 1) == 0:  # step 2: first is an exact power of 2
        proof.insert(0, first_hash)
    fn, sn = first - 1, second - 1  # step 3
    while fn & 1:  # step 4
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]  # step 5
    for c in proof[1:]:  # step 6
        if sn == 0:  # 6a
            return False
        if fn & 1 or fn == sn:  # 6b
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1  # 6c
    return fr == first_hash and sr == second_hash and sn == 0  # step 7
