"""RFC 9162 §2.1 Merkle trees: hashes, roots, audit paths and consistency proofs.

Pure functions over bytes, importable without Django. The tree of ``n`` leaves is the
one RFC 9162 defines (the left subtree holds the largest power of two below ``n``);
pairing hashes level by level and carrying an odd last node up unchanged builds the same
tree, which is how ``root_from_leaf_hashes`` computes it in one pass.

Proof generation never needs the whole tree: every subtree the RFC's recursion visits is
either a complete, aligned subtree (a stored node, ``get_node(level, index)``) or splits
into such nodes along the binary expansion of its size. ``subtree_hash`` does that split,
and the proof functions follow RFC 9162's PATH and SUBPROOF recursion over it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

NodeGetter = Callable[[int, int], bytes]


class ProofError(ValueError):
    """A proof does not verify, or its arguments are out of range."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def largest_power_of_two_below(n: int) -> int:
    """k with k < n <= 2k, for n > 1."""
    return 1 << ((n - 1).bit_length() - 1)


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    if not hashes:
        return EMPTY_ROOT
    level = list(hashes)
    sha = hashlib.sha256
    while len(level) > 1:
        paired = [sha(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


class RootBuilder:
    """Streams leaf hashes in order and keeps only the right edge (a compact range)."""

    def __init__(self):
        self.size = 0
        self.frontier: list[bytes] = []  # complete subtrees, largest first

    def add(self, hash_: bytes) -> list[tuple[int, int, bytes]]:
        """Append one leaf hash; return the complete subtrees it closes as (level, index, hash)."""
        closed = []
        self.frontier.append(hash_)
        size = self.size + 1
        level = 0
        while size >> level & 1 == 0:
            right = self.frontier.pop()
            left = self.frontier.pop()
            level += 1
            merged = node_hash(left, right)
            self.frontier.append(merged)
            closed.append((level, (size >> level) - 1, merged))
        self.size = size
        return closed

    def root(self) -> bytes:
        return frontier_root(self.frontier)


def frontier_root(frontier: Sequence[bytes]) -> bytes:
    if not frontier:
        return EMPTY_ROOT
    root = frontier[-1]
    for hash_ in reversed(frontier[:-1]):
        root = node_hash(hash_, root)
    return root


def subtree_hash(start: int, end: int, get_node: NodeGetter) -> bytes:
    """MTH(D[start:end]) for a range the RFC recursion can produce (start aligned to the split)."""
    size = end - start
    if size <= 0:
        raise ProofError("empty subtree")
    if size & (size - 1) == 0 and start % size == 0:
        return get_node(size.bit_length() - 1, start // size)
    k = largest_power_of_two_below(size)
    return node_hash(subtree_hash(start, start + k, get_node), subtree_hash(start + k, end, get_node))


def inclusion_proof(index: int, size: int, get_node: NodeGetter) -> list[bytes]:
    """PATH(m, D[0:n]) of RFC 9162 §2.1.3.1, leaf nearest first."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    return _path(index, 0, size, get_node)


def _path(m: int, start: int, end: int, get_node: NodeGetter) -> list[bytes]:
    n = end - start
    if n == 1:
        return []
    k = largest_power_of_two_below(n)
    if m < k:
        return _path(m, start, start + k, get_node) + [subtree_hash(start + k, end, get_node)]
    return _path(m - k, start + k, end, get_node) + [subtree_hash(start, start + k, get_node)]


def consistency_proof(old_size: int, new_size: int, get_node: NodeGetter) -> list[bytes]:
    """PROOF(m, D[0:n]) of RFC 9162 §2.1.4.1."""
    if not 0 <= old_size <= new_size:
        raise ProofError(f"cannot prove size {old_size} consistent with size {new_size}")
    if old_size == 0 or old_size == new_size:
        return []
    return _subproof(old_size, 0, new_size, True, get_node)


def _subproof(m: int, start: int, end: int, whole: bool, get_node: NodeGetter) -> list[bytes]:
    n = end - start
    if m == n:
        return [] if whole else [subtree_hash(start, end, get_node)]
    k = largest_power_of_two_below(n)
    if m <= k:
        return _subproof(m, start, start + k, whole, get_node) + [subtree_hash(start + k, end, get_node)]
    return _subproof(m - k, start + k, end, False, get_node) + [subtree_hash(start, start + k, get_node)]


def nodes_needed(compute: Callable[[NodeGetter], object]) -> set[tuple[int, int]]:
    """The stored nodes a proof computation reads, found by running it on placeholder hashes."""
    wanted: set[tuple[int, int]] = set()

    def record(level: int, index: int) -> bytes:
        wanted.add((level, index))
        return bytes(HASH_SIZE)

    compute(record)
    return wanted


def _up_to_a_right_child(fn: int, sn: int) -> tuple[int, int]:
    """RFC 9162 §2.1.3.2 step 3 / §2.1.4.2 step 6: "until LSB(fn) is set or fn is 0,
    right-shift fn and sn equally" (at least once)."""
    while True:
        fn >>= 1
        sn >>= 1
        if fn & 1 or fn == 0:
            return fn, sn


def verify_inclusion(*, leaf: bytes, index: int, size: int, proof: Iterable[bytes], root: bytes) -> None:
    """RFC 9162 §2.1.3.2; raises ProofError unless ``leaf`` (a leaf hash) is at ``index``."""
    proof = list(proof)
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    fn, sn = index, size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            raise ProofError("inclusion proof is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                fn, sn = _up_to_a_right_child(fn, sn)
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("inclusion proof is too short")
    if r != root:
        raise ProofError("inclusion proof does not lead to the signed root")


def verify_consistency(*, old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       proof: Iterable[bytes]) -> None:
    """RFC 9162 §2.1.4.2; raises ProofError unless the old tree is a prefix of the new one."""
    proof = list(proof)
    if not 0 <= old_size <= new_size:
        raise ProofError("the old tree is larger than the new one")
    if old_size == new_size:
        if proof:
            raise ProofError("a proof between equal sizes must be empty")
        if old_root != new_root:
            raise ProofError("two different roots for the same tree size")
        return
    if old_size == 0:
        if proof:
            raise ProofError("a proof from the empty tree must be empty")
        return
    if not proof:
        raise ProofError("empty consistency proof")
    if old_size & (old_size - 1) == 0:
        proof = [old_root] + proof
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            raise ProofError("consistency proof is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                fn, sn = _up_to_a_right_child(fn, sn)
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("consistency proof is too short")
    if fr != old_root:
        raise ProofError("consistency proof does not lead to the old root")
    if sr != new_root:
        raise ProofError("consistency proof does not lead to the new root")
