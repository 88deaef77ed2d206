#!/usr/bin/env python3
"""An independent verifier of factoryhub's audit ledger, written from RFC 9162 alone.

Usage: ledger_verify.py EXPORT.json [PROOF.json ...]

EXPORT.json is `factoryhub audit export`; each PROOF.json is `factoryhub audit proof N --json`.
Checks, with Python's hashlib and PyNaCl (Debian's python3-nacl) and nothing of factoryhub:
  - every signed tree head's Ed25519 signature over
    "factoryhub-tree-head-v1\\n<size>\\n<root hex>\\n<timestamp>\\n" with the exported key;
  - every head's root against the Merkle tree hash (RFC 9162 2.1.1) of the first <size> entries,
    each leaf SHA-256(0x00 || entry text), each node SHA-256(0x01 || left || right);
  - each inclusion proof by the RFC's algorithm (2.1.3.2) against its head.
Prints one line per check and exits 1 on the first failure.
"""
import hashlib
import json
import sys

import nacl.exceptions
import nacl.signing


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def mth(leaves):
    """RFC 9162 2.1.1, over leaf hashes."""
    n = len(leaves)
    if n == 1:
        return leaves[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def verify_inclusion(index, size, leaf, path, root):
    """RFC 9162 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn != 0 and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def head_message(head):
    return (f"factoryhub-tree-head-v1\n{head['tree_size']}\n{head['root_hash']}\n"
            f"{head['timestamp']}\n").encode()


def check_signature(key, head):
    try:
        key.verify(head_message(head), bytes.fromhex(head["signature"]))
        return True
    except nacl.exceptions.BadSignatureError:
        return False


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    export = json.load(open(sys.argv[1]))
    key = nacl.signing.VerifyKey(bytes.fromhex(export["public_key"]))
    leaves = [leaf_hash(e.encode()) for e in export["entries"]]
    for head in export["heads"]:
        size = head["tree_size"]
        if not check_signature(key, head):
            print(f"FAIL head {size}: bad signature")
            return 1
        if size > len(leaves) or mth(leaves[:size]).hex() != head["root_hash"]:
            print(f"FAIL head {size}: root does not match the entries")
            return 1
        print(f"ok head {size}: signature and root")
    for path in sys.argv[2:]:
        proof = json.load(open(path))
        head = proof["head"]
        if head["public_key"] != export["public_key"] or not check_signature(key, head):
            print(f"FAIL proof of entry {proof['leaf_index']}: its head is not signed by the key")
            return 1
        ok = verify_inclusion(proof["leaf_index"], head["tree_size"],
                              leaf_hash(proof["entry"].encode()),
                              [bytes.fromhex(h) for h in proof["inclusion_path"]],
                              bytes.fromhex(head["root_hash"]))
        if not ok:
            print(f"FAIL proof of entry {proof['leaf_index']} in {head['tree_size']}")
            return 1
        print(f"ok proof of entry {proof['leaf_index']} in {head['tree_size']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
