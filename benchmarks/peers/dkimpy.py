#!/usr/bin/env python3
"""Peer driver for dkimpy (DKIM verification) and pyspf (SPF check_host) on the harness's corpus.

    python3 dkimpy.py DIR [--quick]

Keys and the SPF zone are answered from memory (dkimpy's dnsfunc, pyspf's DNSLookup), one
thread, timed as every driver of the harness times: warm up, then the median rate of timed
rounds. Prints one JSON object a line: {"peer", "version", "kind", "case", "perSecond"}, or
{"peer", "version", "kind", "case", "error"} when a peer does not reach the expected result.
"""
import json
import os
import sys
import time

import dkim
import spf

directory = sys.argv[1]
quick = "--quick" in sys.argv[2:]
with open(os.path.join(directory, "corpus.json"), encoding="utf-8") as f:
    corpus = json.load(f)


def per_second(op):
    warm_up, length, rounds = (0.5, 0.5, 3) if quick else (2.0, 1.0, 5)
    start = time.perf_counter()
    while time.perf_counter() - start < warm_up:
        op()
    rates = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        n = 0
        while True:
            op()
            n += 1
            t = time.perf_counter()
            if t - t0 >= length:
                break
        rates.append(n / (t - t0))
    rates.sort()
    return rates[len(rates) // 2]


def report(peer, version, kind, case, rate=None, error=None):
    line = {"peer": peer, "version": version, "kind": kind, "case": case}
    if error is None:
        line["perSecond"] = round(rate, 1)
    else:
        line["error"] = error
    print(json.dumps(line), flush=True)


def python_version():
    return "Python %d.%d.%d" % sys.version_info[:3]


def package_version(name):
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:  # Debian's packages may carry no metadata under that name
        return "?"


# dkimpy: dnsfunc(name, timeout=5) gives the TXT text of a name, as bytes, or None.
keys = {name.lower(): record.encode("ascii") for name, record in corpus["keys"].items()}


def dkim_dns(name, timeout=5):
    if isinstance(name, bytes):
        name = name.decode("ascii")
    return keys.get(name.rstrip(".").lower())


dkimpy = "%s, %s" % (package_version("dkimpy"), python_version())
for m in corpus["messages"]:
    with open(os.path.join(directory, m["file"]), "rb") as f:
        message = f.read()

    def once():
        return dkim.verify(message, dnsfunc=dkim_dns)

    if not once():
        report("dkimpy", dkimpy, "dkim", m["case"], error="does not verify")
        continue
    report("dkimpy", dkimpy, "dkim", m["case"], per_second(once))


# pyspf: DNSLookup(name, qtype, ...) gives [((name, qtype), value)], TXT values as lists of bytes,
# MX values as (preference, exchange), A values as address text.
zone = {name.lower(): answers for name, answers in corpus["spfZone"].items()}


def spf_dns(name, qtype, *args, **kwargs):
    owner = zone.get(name.rstrip(".").lower())
    if owner is None:
        return []
    if qtype == "TXT":
        return [((name, qtype), [text.encode("ascii")]) for text in owner["TXT"]]
    if qtype == "MX":
        return [((name, qtype), (mx["preference"], mx["exchange"].rstrip("."))) for mx in owner["MX"]]
    if qtype == "A":
        return [((name, qtype), address) for address in owner["A"]]
    return []


spf.DNSLookup = spf_dns
pyspf = "%s, %s" % (getattr(spf, "__version__", None) or package_version("pyspf"), python_version())
for c in corpus["spfClients"]:

    def once():
        return spf.query(c["ip"], c["sender"], c["helo"]).check()

    result = once()[0]
    if result != c["result"]:
        report("pyspf", pyspf, "spf", c["case"], error="result %s" % result)
        continue
    report("pyspf", pyspf, "spf", c["case"], per_second(once))
