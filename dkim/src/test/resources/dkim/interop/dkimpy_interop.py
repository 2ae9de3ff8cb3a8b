"""Interop driver for DkimInteropTest: runs dkimpy (Debian's python3-dkim) over files.

usage: dkimpy_interop.py verify KEYS FILE...   -> one "pass" or "fail: <why>" line per file
       dkimpy_interop.py sign KEYFILE ALG SELECTOR DOMAIN CANON FILE...
                                               -> writes FILE.signed for each file

KEYS is a file of "name<TAB>record" lines served as TXT records. For ed25519 signing, KEYFILE
holds the base64 seed; for rsa, a PEM private key.
"""
import sys

import dkim


def load_keys(path):
    records = {}
    with open(path, "rb") as f:
        for line in f:
            name, _, value = line.rstrip(b"\n").partition(b"\t")
            records[name.rstrip(b".") + b"."] = value
    return records


def verify(keys_path, files):
    records = load_keys(keys_path)

    def dnsfunc(name, timeout=5):
        key = name if name.endswith(b".") else name + b"."
        return records.get(key)

    for path in files:
        with open(path, "rb") as f:
            message = f.read()
        try:
            ok = dkim.verify(message, dnsfunc=dnsfunc, minkey=1024)
            print("pass" if ok else "fail: dkimpy says no")
        except Exception as e:  # report, do not stop the batch
            print("fail: %s" % e)


def sign(key_path, algorithm, selector, domain, canon, files):
    with open(key_path, "rb") as f:
        key = f.read().strip()
    header, body = canon.split("/")
    for path in files:
        with open(path, "rb") as f:
            message = f.read()
        field = dkim.sign(
            message,
            selector.encode(),
            domain.encode(),
            key,
            canonicalize=(header.encode(), body.encode()),
            signature_algorithm=algorithm.encode(),
            include_headers=[b"from", b"to", b"subject", b"date", b"cc"],
        )
        with open(path + ".signed", "wb") as f:
            f.write(field + message)


if __name__ == "__main__":
    if sys.argv[1] == "verify":
        verify(sys.argv[2], sys.argv[3:])
    else:
        sign(*sys.argv[2:7], files=sys.argv[7:])
