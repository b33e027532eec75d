"""RFC 9162 §2.1 Merkle trees: the optimised code against a plain recursive reference.

The reference below is written straight from the RFC's definitions (MTH §2.1.1, PATH
§2.1.3.1, PROOF/SUBPROOF §2.1.4.1) and shares no code with ``merkle.py``: it hashes
lists of leaves recursively. Both are run on 10,000 random tree sizes.
"""

import functools
import hashlib
import random

import pytest

from traceability.transparency import merkle


def ref_mth(leaves: list[bytes]) -> bytes:
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + ref_mth(leaves[:k]) + ref_mth(leaves[k:])).digest()


def ref_path(m: int, leaves: list[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return ref_path(m, leaves[:k]) + [ref_mth(leaves[k:])]
    return ref_path(m - k, leaves[k:]) + [ref_mth(leaves[:k])]


def ref_subproof(m: int, leaves: list[bytes], whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [ref_mth(leaves)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return ref_subproof(m, leaves[:k], whole) + [ref_mth(leaves[k:])]
    return ref_subproof(m - k, leaves[k:], False) + [ref_mth(leaves[:k])]


def ref_proof(m: int, leaves: list[bytes]) -> list[bytes]:
    return ref_subproof(m, leaves, True) if 0 < m < len(leaves) else []


class StoredTree:
    """Leaves appended through RootBuilder, its closed nodes kept as the log stores them."""

    def __init__(self, leaves):
        self.builder = merkle.RootBuilder()
        self.nodes = {}
        for i, data in enumerate(leaves):
            hash_ = merkle.leaf_hash(data)
            self.nodes[(0, i)] = hash_
            for level, index, node in self.builder.add(hash_):
                self.nodes[(level, index)] = node

    def get(self, level, index):
        return self.nodes[(level, index)]


def test_known_answers_from_the_rfc_definitions():
    assert merkle.EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    one = merkle.leaf_hash(b"")
    assert one.hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    two = merkle.node_hash(merkle.leaf_hash(b"a"), merkle.leaf_hash(b"b"))
    assert merkle.root_from_leaf_hashes([merkle.leaf_hash(b"a"), merkle.leaf_hash(b"b")]) == two


POOL = [bytes([i % 251, i // 251]) for i in range(3000)]


@functools.cache
def ref_mth_range(start: int, end: int) -> bytes:
    """MTH(POOL[start:end]), memoised so 10,000 trees stay quick; same recursion as ref_mth."""
    n = end - start
    if n == 1:
        return hashlib.sha256(b"\x00" + POOL[start]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + ref_mth_range(start, start + k) + ref_mth_range(start + k, end)).digest()


def ref_path_range(m: int, start: int, end: int) -> list[bytes]:
    n = end - start
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return ref_path_range(m, start, start + k) + [ref_mth_range(start + k, end)]
    return ref_path_range(m - k, start + k, end) + [ref_mth_range(start, start + k)]


def ref_subproof_range(m: int, start: int, end: int, whole: bool) -> list[bytes]:
    n = end - start
    if m == n:
        return [] if whole else [ref_mth_range(start, end)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return ref_subproof_range(m, start, start + k, whole) + [ref_mth_range(start + k, end)]
    return ref_subproof_range(m - k, start + k, end, False) + [ref_mth_range(start, start + k)]


def test_ten_thousand_random_trees_match_the_reference():
    """One stored tree of 3,000 leaves serves every smaller size: stored nodes never change."""
    rng = random.Random(9162)
    tree = StoredTree(POOL)
    assert ref_mth(POOL[:300]) == ref_mth_range(0, 300)  # the memoised reference is the plain one
    for _ in range(10_000):
        n = rng.randint(1, len(POOL))
        root = merkle.subtree_hash(0, n, tree.get)
        assert root == ref_mth_range(0, n)
        m = rng.randrange(n)
        path = merkle.inclusion_proof(m, n, tree.get)
        assert path == ref_path_range(m, 0, n)
        merkle.verify_inclusion(leaf=merkle.leaf_hash(POOL[m]), index=m, size=n, proof=path, root=root)
        old = rng.randint(0, n)
        proof = merkle.consistency_proof(old, n, tree.get)
        assert proof == (ref_subproof_range(old, 0, n, True) if 0 < old < n else [])
        old_root = ref_mth_range(0, old) if old else merkle.EMPTY_ROOT
        merkle.verify_consistency(old_size=old, new_size=n, old_root=old_root, new_root=root, proof=proof)


def test_streamed_roots_match_the_reference_for_every_size():
    builder = merkle.RootBuilder()
    for n, data in enumerate(POOL[:1500], start=1):
        builder.add(merkle.leaf_hash(data))
        assert builder.root() == ref_mth_range(0, n)
    assert merkle.root_from_leaf_hashes([merkle.leaf_hash(d) for d in POOL]) == ref_mth_range(0, len(POOL))


@pytest.mark.parametrize("n", [1000, 2048, 2999])
def test_large_trees_match_the_reference(n):
    leaves = [i.to_bytes(4, "big") for i in range(n)]
    tree = StoredTree(leaves)
    root = ref_mth(leaves)
    assert tree.builder.root() == root
    rng = random.Random(n)
    for m in (0, n - 1, rng.randrange(n)):
        assert merkle.inclusion_proof(m, n, tree.get) == ref_path(m, leaves)
    for old in (1, n // 2, n - 1, rng.randint(1, n)):
        assert merkle.consistency_proof(old, n, tree.get) == ref_proof(old, leaves)


def test_tampered_proofs_are_refused():
    leaves = [bytes([i]) for i in range(37)]
    tree = StoredTree(leaves)
    root = tree.builder.root()
    path = merkle.inclusion_proof(5, 37, tree.get)
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(leaf=merkle.leaf_hash(b"forged"), index=5, size=37, proof=path, root=root)
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(leaf=merkle.leaf_hash(leaves[5]), index=6, size=37, proof=path, root=root)
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(leaf=merkle.leaf_hash(leaves[5]), index=5, size=37, proof=path[:-1], root=root)
    old_root = ref_mth(leaves[:20])
    proof = merkle.consistency_proof(20, 37, tree.get)
    rewritten = ref_mth([b"x"] + leaves[1:20])
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(old_size=20, new_size=37, old_root=rewritten, new_root=root, proof=proof)
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(old_size=20, new_size=37, old_root=old_root, new_root=root, proof=proof[1:])
