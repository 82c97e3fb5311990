#!/usr/bin/env python3
"""Turns the samples bench/lib.sh collected into medians, Berth/peer ratios, a table, a JSON file and a PNG chart.

Input: --meta, a TSV of "id unit target label" (target: the issue's Berth/peer ratio or "-"), and --samples, a
directory with one folder per benchmark id holding one file per engine, one value (or "fail") per line.
Output: the table on stdout, OUT.json, and OUT.png when matplotlib is importable.
"""
import argparse
import json
import os
import platform
import statistics
import sys

PEERS = ("docker", "podman")


def load(args):
    benches = []
    with open(args.meta) as f:
        for line in f:
            if not line.strip():
                continue
            bid, unit, target, label = line.rstrip("\n").split("\t", 3)
            benches.append({"id": bid, "unit": unit, "target": None if target == "-" else float(target),
                            "label": label})
    engines = args.engines.split()
    for b in benches:
        b["samples"], b["failures"], b["median"] = {}, {}, {}
        for e in engines:
            path = os.path.join(args.samples, b["id"], e)
            raw = open(path).read().split() if os.path.exists(path) else []
            ok = [float(x) for x in raw if x != "fail"]
            b["samples"][e] = ok
            b["failures"][e] = len(raw) - len(ok)
            b["median"][e] = round(statistics.median(ok), 2) if ok else None
        base = b["median"].get("berth")
        b["ratios"] = {}
        for p in PEERS:
            m = b["median"].get(p)
            if base is not None and m:
                b["ratios"][f"berth/{p}"] = round(base / m, 3)
    return engines, benches


def fmt(v):
    return "-" if v is None else (f"{v:.0f}" if v >= 100 else f"{v:.3g}" if v < 10 else f"{v:.1f}")


def table(engines, benches):
    lw = max(len(b["label"]) for b in benches) + 2
    head = f"{'benchmark':<{lw}}{'unit':<5}" + "".join(f"{e:>11}" for e in engines)
    head += "".join(f"{'berth/' + p:>14}" for p in PEERS if p in engines) + f"{'target':>8}"
    print(head)
    print("-" * len(head))
    for b in benches:
        row = f"{b['label']:<{lw}}{b['unit']:<5}"
        for e in engines:
            cell = fmt(b["median"][e])
            if b["failures"][e]:
                cell += f" ({b['failures'][e]}F)"
            row += f"{cell:>11}"
        for p in PEERS:
            if p in engines:
                r = b["ratios"].get(f"berth/{p}")
                row += f"{'-' if r is None else f'{r:.3f}':>14}"
        row += f"{'-' if b['target'] is None else '<=' + format(b['target'], 'g'):>8}"
        print(row)
    print("medians; ratios below 1 mean Berth is faster (or smaller); (nF) = failed runs, left out of the median")


def chart(path, benches, title):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import matplotlib.ticker  # noqa: F401 (used through matplotlib.ticker)
    except ImportError:
        print("matplotlib not importable: no PNG (apt-get install python3-matplotlib)", file=sys.stderr)
        return None
    rows = [b for b in benches if b["ratios"]]
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(11, 0.55 * len(rows) + 1.8))
    colors = {"berth/docker": "#1f77b4", "berth/podman": "#ff7f0e"}
    h = 0.38
    for i, b in enumerate(rows):
        y = len(rows) - 1 - i
        for name, off in (("berth/docker", h / 2), ("berth/podman", -h / 2)):
            r = b["ratios"].get(name)
            if r is None:
                continue
            ax.barh(y + off, r, height=h, color=colors[name], label=name)
            ax.text(r * 1.03, y + off, f"{r:.2f}", va="center", fontsize=7)
        if b["target"] is not None:
            ax.plot([b["target"]], [y], marker="|", markersize=22, markeredgewidth=3, color="red",
                    label="issue target", linestyle="none")
    ax.axvline(1.0, color="gray", linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ticks = [0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 10]
    lo = min([r for b in rows for r in b["ratios"].values()] + [b["target"] or 1 for b in rows]) / 1.5
    hi = max([r for b in rows for r in b["ratios"].values()] + [1.0]) * 1.4
    ax.set_xlim(lo, hi)
    ax.set_xticks([t for t in ticks if lo <= t <= hi])
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([b["label"] for b in reversed(rows)], fontsize=8)
    ax.set_xlabel("Berth / peer (median; log scale; left of 1 = Berth faster or smaller; red = issue's target)")
    ax.set_title(title, fontsize=9)
    handles, labels = ax.get_legend_handles_labels()
    seen = {}
    for hd, lb in zip(handles, labels):
        if lb and not lb.startswith("_") and lb not in seen:
            seen[lb] = hd
    ax.legend(seen.values(), seen.keys(), loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path


def main():
    ap = argparse.ArgumentParser()
    for a in ("--samples", "--meta", "--out", "--engines"):
        ap.add_argument(a, required=True)
    for a in ("--quick", "--load-start", "--load-end", "--versions"):
        ap.add_argument(a, default="")
    args = ap.parse_args()
    engines, benches = load(args)
    versions = dict(kv.split("=", 1) for kv in args.versions.split(";") if "=" in kv)
    result = {
        "quick": args.quick == "1", "engines": engines, "versions": versions,
        "host": {"cores": os.cpu_count(), "kernel": platform.release(),
                 "loadavg_start": args.load_start, "loadavg_end": args.load_end},
        "benchmarks": {b["id"]: {k: b[k] for k in ("label", "unit", "target", "median", "ratios", "failures", "samples")}
                       for b in benches},
    }
    with open(args.out + ".json", "w") as f:
        json.dump(result, f, indent=2)
    table(engines, benches)
    # Berth reports the Docker version it is compatible with, so only the peers' versions name anything useful.
    peers = ", ".join(f"{k} {v}" for k, v in versions.items() if k != "berth")
    title = (f"Berth vs {peers or 'no peers'}\n{os.cpu_count()} cores, load average {args.load_start} -> "
             f"{args.load_end}{'; quick mode (few rounds)' if args.quick == '1' else ''}")
    png = chart(args.out + ".png", benches, title)
    print(f"results: {args.out}.json" + (f", chart: {png}" if png else ""))


if __name__ == "__main__":
    main()
