#!/usr/bin/env python3
"""An independent reader of a factoryhub share package, written from docs/sharing.md alone.

Usage: package_verify.py PACKAGE SENDER_SIGNING_KEY_HEX RECIPIENT_HUB_DIR

With Python's hashlib, base64 and json and PyNaCl (Debian's python3-nacl), nothing of
factoryhub's code, it checks what the receiving hub checks: the Ed25519 signature over
"factoryhub-share-v1\\n<agreement>\\n<recipient key hex>\\n<sha256 of the sealed bytes>\\n",
opens the sealed box (X25519, libsodium's crypto_box_seal) with the recipient hub's key
(keys/hub-box.key, the 32-byte seed), checks the sender's ledger head signature
("factoryhub-tree-head-v1\\n<size>\\n<root hex>\\n<timestamp>\\n"), and prints a JSON summary:
the agreement, its series and the buckets' time span, the records by entity (checking that
the fields the package says are pseudonymised hold pseudonyms). Exits 1 on the first failure.
"""
import base64
import hashlib
import json
import sys

import nacl.exceptions
import nacl.public
import nacl.signing


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def main():
    package_path, sender_hex, hub_dir = sys.argv[1:4]
    envelope = json.load(open(package_path, encoding="utf-8"))
    if envelope["format"] != "factoryhub-share-v1":
        fail("format " + envelope["format"])
    if envelope["sender_key"] != sender_hex:
        fail("signed with another key")
    sealed = base64.b64decode(envelope["sealed"])
    sealed_sha = hashlib.sha256(sealed).hexdigest()
    if sealed_sha != envelope["sealed_sha256"]:
        fail("sealed_sha256 does not match the sealed bytes")
    message = "factoryhub-share-v1\n{}\n{}\n{}\n".format(
        envelope["agreement"], envelope["recipient_key"], sealed_sha).encode()
    verify_key = nacl.signing.VerifyKey(bytes.fromhex(sender_hex))
    try:
        verify_key.verify(message, bytes.fromhex(envelope["signature"]))
    except nacl.exceptions.BadSignatureError:
        fail("the package's signature")
    seed = open(hub_dir + "/keys/hub-box.key", "rb").read()
    private = nacl.public.PrivateKey.from_seed(seed)
    if bytes(private.public_key).hex() != envelope["recipient_key"]:
        fail("not sealed to this hub")
    payload = json.loads(nacl.public.SealedBox(private).decrypt(sealed))
    head = payload["ledger_head"]
    head_message = "factoryhub-tree-head-v1\n{}\n{}\n{}\n".format(
        head["tree_size"], head["root_hash"], head["timestamp"]).encode()
    try:
        verify_key.verify(head_message, bytes.fromhex(head["signature"]))
    except nacl.exceptions.BadSignatureError:
        fail("the sender's ledger head signature")
    starts = [b[0] for s in payload["series"] for b in s["buckets"]]
    records = {}
    for block in payload.get("records", []):
        hidden = [block["fields"].index(f) for f in block["pseudonymised"]]
        for key, values in block["rows"]:
            for i in hidden:
                value = values[i]
                if value is not None and not (len(value) == 34 and value.startswith("p_")):
                    fail("{} {}: {} is not pseudonymised".format(block["entity"], key,
                                                               block["fields"][i]))
        records[block["entity"]] = len(block["rows"])
    print(json.dumps({
        "agreement": envelope["agreement"],
        "sender_hub": payload["sender"]["hub"],
        "functions": payload["functions"],
        "series": sorted(s["tag"] for s in payload["series"]),
        "buckets": len(starts),
        "first_ns": min(starts) if starts else None,
        "last_ns": max(starts) if starts else None,
        "ledger_size": head["tree_size"],
        "records": records,
    }))


if __name__ == "__main__":
    main()
