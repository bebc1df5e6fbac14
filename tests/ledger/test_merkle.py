"""RFC 9162 Merkle hashing and proofs, against the RFC's recursive definitions written plainly."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from truceline.ledger.merkle import (
    EMPTY_ROOT,
    MerkleTree,
    leaf_hash,
    merkle_root,
    node_hash,
    split_point,
    verify_consistency,
    verify_inclusion,
)

MAX_N = 64


# The reference: RFC 9162 sections 2.1.1, 2.1.3.1 and 2.1.4.1 transcribed literally, over the
# entries themselves (not leaf hashes), with SHA-256 spelled out and the split point found by
# counting up, so it shares no code with the module under test.
def ref_hash(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def ref_k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(d: list[bytes]) -> bytes:
    n = len(d)
    if n == 0:
        return ref_hash(b"")
    if n == 1:
        return ref_hash(b"\x00" + d[0])
    k = ref_k(n)
    return ref_hash(b"\x01" + ref_mth(d[:k]) + ref_mth(d[k:]))


def ref_path(m: int, d: list[bytes]) -> list[bytes]:
    n = len(d)
    if n == 1:
        return []
    k = ref_k(n)
    if m < k:
        return [*ref_path(m, d[:k]), ref_mth(d[k:])]
    return [*ref_path(m - k, d[k:]), ref_mth(d[:k])]


def ref_subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [ref_mth(d)]
    k = ref_k(n)
    if m <= k:
        return [*ref_subproof(m, d[:k], b), ref_mth(d[k:])]
    return [*ref_subproof(m - k, d[k:], False), ref_mth(d[:k])]


def entries(n: int) -> list[bytes]:
    """Distinct entries of varied lengths (including the empty entry)."""
    return [bytes(range(i % 7)) + i.to_bytes(2, "big") * (i % 3) for i in range(n)]


def tree_of(d: list[bytes]) -> MerkleTree:
    return MerkleTree([leaf_hash(x) for x in d])


def flipped(h: bytes) -> bytes:
    return bytes([h[0] ^ 1]) + h[1:]


ALL_D = entries(MAX_N)
FULL_TREE = tree_of(ALL_D)


def test_hash_rules_are_the_rfc_ones() -> None:
    assert leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    assert (
        node_hash(b"L" * 32, b"R" * 32) == hashlib.sha256(b"\x01" + b"L" * 32 + b"R" * 32).digest()
    )
    assert merkle_root([]) == EMPTY_ROOT == hashlib.sha256(b"").digest()


def test_split_point_is_the_largest_power_of_two_below_n() -> None:
    for n in range(2, 300):
        assert split_point(n) == ref_k(n)
    with pytest.raises(ValueError):
        split_point(1)


# Known answers published with the Certificate Transparency reference implementation (the
# RFC 6962 test vectors, whose hashing RFC 9162 keeps): roots of the first 1..8 leaves.
CT_LEAVES = [bytes.fromhex(x) for x in ("", "00", "10", "2021", "3031", "40414243",
             "5051525354555657", "606162636465666768696a6b6c6d6e6f")]  # fmt: skip
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def test_roots_match_the_published_ct_vectors() -> None:
    tree = tree_of(CT_LEAVES)
    assert [tree.root(n).hex() for n in range(1, 9)] == CT_ROOTS
    assert [ref_mth(CT_LEAVES[:n]).hex() for n in range(1, 9)] == CT_ROOTS


def test_root_of_every_prefix_matches_the_reference() -> None:
    for n in range(MAX_N + 1):
        expected = ref_mth(ALL_D[:n])
        assert FULL_TREE.root(n) == expected, n
        assert tree_of(ALL_D[:n]).root() == expected, n


@pytest.mark.parametrize("n", range(1, MAX_N + 1))
def test_inclusion_paths_match_the_reference_and_verify(n: int) -> None:
    d = ALL_D[:n]
    root = ref_mth(d)
    for m in range(n):
        path = FULL_TREE.inclusion_path(m, n)
        assert path == ref_path(m, d), (m, n)
        assert verify_inclusion(leaf_hash(d[m]), m, n, path, root)


@pytest.mark.parametrize("n", range(1, MAX_N + 1))
def test_inclusion_verification_rejects_every_wrong_claim(n: int) -> None:
    d = ALL_D[:n]
    root = ref_mth(d)
    for m in range(n):
        path, leaf = ref_path(m, d), leaf_hash(d[m])
        assert not verify_inclusion(leaf, m, n, path, flipped(root))
        assert not verify_inclusion(flipped(leaf), m, n, path, root)
        assert not verify_inclusion(leaf, m, n, [*path, root], root)  # too long
        assert not verify_inclusion(leaf, n, n, path, root)  # index out of range
        assert not verify_inclusion(leaf, -1, n, path, root)
        if path:
            assert not verify_inclusion(leaf, m, n, path[:-1], root)  # too short
        for i in range(len(path)):
            bad = [*path[:i], flipped(path[i]), *path[i + 1 :]]
            assert not verify_inclusion(leaf, m, n, bad, root)
        for other in range(n):  # the same path does not prove another position
            if other != m:
                assert not verify_inclusion(leaf, other, n, path, root)
        # (The tree size is bound by the signed tree head, not by the hashes: a path can also
        # fit another size whose tree has the same shape along it, as in RFC 9162.)


@pytest.mark.parametrize("n", range(1, MAX_N + 1))
def test_consistency_proofs_match_the_reference_and_verify(n: int) -> None:
    d = ALL_D[:n]
    second = ref_mth(d)
    for m in range(1, n):
        proof = FULL_TREE.consistency_path(m, n)
        assert proof == ref_subproof(m, d, True), (m, n)
        assert verify_consistency(m, n, ref_mth(d[:m]), second, proof)


@pytest.mark.parametrize("n", range(2, MAX_N + 1))
def test_consistency_verification_rejects_every_wrong_claim(n: int) -> None:
    d = ALL_D[:n]
    second = ref_mth(d)
    for m in range(1, n):
        first, proof = ref_mth(d[:m]), ref_subproof(m, d, True)
        assert not verify_consistency(m, n, flipped(first), second, proof)
        assert not verify_consistency(m, n, first, flipped(second), proof)
        assert not verify_consistency(m, n, first, second, [])
        assert not verify_consistency(m, n, first, second, [*proof, second])
        assert not verify_consistency(n, m, second, first, proof)  # backwards
        for i in range(len(proof)):
            bad = [*proof[:i], flipped(proof[i]), *proof[i + 1 :]]
            assert not verify_consistency(m, n, first, second, bad)
            assert not verify_consistency(m, n, first, second, proof[:i] + proof[i + 1 :])
        for other in range(1, n):  # another older size with this older root
            if other != m and ref_mth(d[:other]) != first:
                assert not verify_consistency(other, n, first, second, proof)


def test_trivial_consistency_cases() -> None:
    root = ref_mth(ALL_D[:5])
    assert FULL_TREE.consistency_path(5, 5) == []
    assert FULL_TREE.consistency_path(0, 5) == []
    assert verify_consistency(5, 5, root, root, [])
    assert not verify_consistency(5, 5, root, flipped(root), [])
    assert not verify_consistency(5, 5, root, root, [root])
    assert verify_consistency(0, 5, EMPTY_ROOT, root, [])
    assert not verify_consistency(0, 5, root, root, [])
    assert not verify_consistency(-1, 5, EMPTY_ROOT, root, [])


def test_out_of_range_requests_are_refused() -> None:
    tree = tree_of(ALL_D[:4])
    with pytest.raises(ValueError):
        tree.root(5)
    with pytest.raises(ValueError):
        tree.inclusion_path(4, 4)
    with pytest.raises(ValueError):
        tree.inclusion_path(0, 0)
    with pytest.raises(ValueError):
        tree.consistency_path(3, 2)


leaf_lists = st.lists(st.binary(max_size=40), min_size=1, max_size=300)


@given(leaf_lists, st.data())
def test_random_inclusion_proofs_verify_and_break_when_altered(
    d: list[bytes], data: st.DataObject
) -> None:
    tree = tree_of(d)
    n = data.draw(st.integers(1, len(d)), label="size")
    m = data.draw(st.integers(0, n - 1), label="index")
    path = tree.inclusion_path(m, n)
    assert verify_inclusion(leaf_hash(d[m]), m, n, path, tree.root(n))
    assert tree.root(n) == ref_mth(d[:n])
    if path:
        i = data.draw(st.integers(0, len(path) - 1), label="altered node")
        bad = [*path[:i], flipped(path[i]), *path[i + 1 :]]
        assert not verify_inclusion(leaf_hash(d[m]), m, n, bad, tree.root(n))


@given(leaf_lists, st.data())
def test_random_consistency_proofs_verify_and_break_when_altered(
    d: list[bytes], data: st.DataObject
) -> None:
    tree = tree_of(d)
    n = data.draw(st.integers(1, len(d)), label="second")
    m = data.draw(st.integers(1, n), label="first")
    proof = tree.consistency_path(m, n)
    assert proof == ref_subproof(m, d[:n], True)
    assert verify_consistency(m, n, tree.root(m), tree.root(n), proof)
    if proof:
        i = data.draw(st.integers(0, len(proof) - 1), label="altered node")
        bad = [*proof[:i], flipped(proof[i]), *proof[i + 1 :]]
        assert not verify_consistency(m, n, tree.root(m), tree.root(n), bad)


@given(st.lists(st.binary(max_size=8), min_size=2, max_size=120, unique=True), st.data())
def test_a_changed_history_is_never_consistent(d: list[bytes], data: st.DataObject) -> None:
    """Change one old entry: no proof from the genuine tree links the old root to the new one."""
    n = len(d)
    m = data.draw(st.integers(1, n - 1), label="first")
    i = data.draw(st.integers(0, m - 1), label="changed entry")
    forged = [*d[:i], d[i] + b"!", *d[i + 1 :]]
    honest, rewritten = tree_of(d), tree_of(forged)
    for tree in (honest, rewritten):
        proof = tree.consistency_path(m, n)
        assert not verify_consistency(m, n, honest.root(m), rewritten.root(n), proof)
