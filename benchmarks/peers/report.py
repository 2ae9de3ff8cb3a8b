#!/usr/bin/env python3
"""Turns the drivers' results into the published table and chart.

    python3 report.py RESULTS.jsonl --readme benchmarks/README.md --chart benchmarks/peers/results.svg

Replaces the part of the README between the peer-results markers with the table (machine,
versions, date), and draws the chart with matplotlib: verifications per second by message and
peer (log scale), and SPF check_host() per second by client.
"""
import argparse
import datetime
import json
import os
import platform
import re

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402

BEGIN = "<!-- peer results: written by benchmarks/peers/run.sh -->"
END = "<!-- end of peer results -->"
MESSAGES = ["RSA/2048", "RSA/20480", "RSA/204800", "ED25519/2048", "ED25519/20480", "ED25519/204800"]
LABELS = {m: "%s %s KB" % ("RSA" if m.startswith("RSA") else "Ed25519", int(m.split("/")[1]) // 1024) for m in MESSAGES}
SPF_CASES = ["pass", "fail"]
# The order of the rows: mailauth4j and its floor first, then the peers.
ORDER = ["mailauth4j", "crypto floor", "libopendkim", "Apache jDKIM", "Node mailauth", "dkimpy", "Mail::DKIM",
         "Apache jSPF", "pyspf"]


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    debian = ""
    if os.path.exists("/etc/debian_version"):
        with open("/etc/debian_version", encoding="utf-8") as f:
            debian = ", Debian " + f.read().strip()
    return "%s, %d cores, Linux %s%s" % (cpu, os.cpu_count() or 0, platform.release(), debian)


def load(path):
    rows = {}
    versions = {}
    errors = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            r = json.loads(line)
            key = (r["kind"], r["peer"])
            versions[key] = r.get("version", "?")
            if "error" in r:
                errors.append("%s on %s: %s" % (r["peer"], r["case"], r["error"]))
                continue
            rows.setdefault(key, {})[r["case"]] = r["perSecond"]
    return rows, versions, errors


def ordered(rows, kind):
    peers = [p for (k, p) in rows if k == kind]
    return sorted(peers, key=lambda p: (ORDER.index(p) if p in ORDER else len(ORDER), p))


def number(value):
    return "—" if value is None else "{:,.0f}".format(value)


def table(rows, versions, errors):
    out = []
    header = "| peer | version | " + " | ".join(LABELS[m] for m in MESSAGES) + " |"
    out.append(header)
    out.append("|---|---|" + "---:|" * len(MESSAGES))
    for peer in ordered(rows, "dkim"):
        values = rows[("dkim", peer)]
        out.append("| %s | %s | %s |" % (peer, versions[("dkim", peer)],
                                          " | ".join(number(values.get(m)) for m in MESSAGES)))
    ours = rows.get(("dkim", "mailauth4j"), {})
    floor = rows.get(("dkim", "crypto floor"), {})
    if ours and floor:
        out.append("| *mailauth4j / floor* | | %s |" % " | ".join(
            "%.0f %%" % (100 * ours[m] / floor[m]) if m in ours and m in floor else "—" for m in MESSAGES))
    out.append("")
    out.append("SPF `check_host()` per second, the include tree of 10 DNS-querying terms answered from memory:")
    out.append("")
    out.append("| peer | version | client matching at the last term | client matching none |")
    out.append("|---|---|---:|---:|")
    for peer in ordered(rows, "spf"):
        values = rows[("spf", peer)]
        out.append("| %s | %s | %s |" % (peer, versions[("spf", peer)],
                                          " | ".join(number(values.get(c)) for c in SPF_CASES)))
    if errors:
        out.append("")
        out.append("Not measured (the peer did not reach the expected result): " + "; ".join(errors) + ".")
    return "\n".join(out)


def bars(ax, rows, kind, cases, labels):
    """One group of bars per case, one bar per peer; returns the highest value drawn."""
    peers = ordered(rows, kind)
    width = 0.8 / max(1, len(peers))
    for i, peer in enumerate(peers):
        values = rows[(kind, peer)]
        xs = [k + (i - (len(peers) - 1) / 2) * width for k in range(len(cases))]
        ax.bar(xs, [values.get(c, 0) for c in cases], width, label=peer)
    ax.set_xticks(range(len(cases)), labels)
    ax.grid(axis="y", which="major", alpha=0.3)
    return max([v for (k, _), values in rows.items() if k == kind for v in values.values()] or [10])


def chart(rows, path):
    plt.rcParams["svg.hashsalt"] = "mailauth4j"
    fig, (dkim_ax, spf_ax) = plt.subplots(1, 2, figsize=(13, 5), gridspec_kw={"width_ratios": [3, 1]})
    highest = bars(dkim_ax, rows, "dkim", MESSAGES, [LABELS[m] for m in MESSAGES])
    dkim_ax.set_yscale("log")
    dkim_ax.set_ylim(10, highest * 20)  # room for the legend above the bars
    dkim_ax.set_ylabel("DKIM verifications per second (one thread, log scale)")
    dkim_ax.legend(fontsize="small", loc="upper center", ncol=4)
    highest = bars(spf_ax, rows, "spf", SPF_CASES, ["matches last term", "matches none"])
    spf_ax.set_ylim(0, highest * 1.6)  # room for the legend above the bars
    spf_ax.set_ylabel("SPF check_host() per second")
    spf_ax.legend(fontsize="small", loc="upper right")
    fig.tight_layout()
    fig.savefig(path, metadata={"Date": None})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--readme", required=True)
    parser.add_argument("--chart", required=True)
    args = parser.parse_args()
    rows, versions, errors = load(args.results)
    chart(rows, args.chart)
    section = "\n".join([
        BEGIN,
        "",
        "Measured %s on %s. Verifications per second, one thread, relaxed/relaxed, keys from memory; "
        "each driver warms up, then reports the median of five one-second rounds." % (
            datetime.date.today().isoformat(), machine()),
        "",
        table(rows, versions, errors),
        "",
        "![DKIM verifications and SPF checks per second, by peer](%s)" % os.path.relpath(
            args.chart, os.path.dirname(os.path.abspath(args.readme))),
        "",
        END,
    ])
    with open(args.readme, encoding="utf-8") as f:
        text = f.read()
    if BEGIN in text and END in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    with open(args.readme, "w", encoding="utf-8") as f:
        f.write(text)
    print(table(rows, versions, errors))


if __name__ == "__main__":
    main()
