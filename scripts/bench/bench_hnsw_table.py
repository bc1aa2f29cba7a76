#!/usr/bin/env python3
"""Summarises bench-hnsw.sh's JSON lines: medians per library, ratios against faiss.

Both wall-clock and CPU-time figures are shown: the machine is shared, and CPU time (the
process's own) is far less disturbed by other jobs than wall time.
"""
import json
import statistics
import sys
from collections import defaultdict

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
by_lib = defaultdict(list)
for r in rows:
    by_lib[r["lib"]].append(r)
libs = [lib for lib in ("atcfix", "faiss", "hnswlib") if lib in by_lib]
med = statistics.median

S = {}
for lib in libs:
    runs = by_lib[lib]
    efs = [r["ef"] for r in runs[0]["results"]]
    S[lib] = {
        "runs": len(runs),
        "build": med([r["build_s"] for r in runs]),
        "build_cpu": med([r.get("build_cpu_s", r["build_s"]) for r in runs]),
        "memory": med([r["memory_bytes"] for r in runs]),
        "ideal": runs[0]["vectors_bytes"] + runs[0]["links_bytes"],
        "ef": {ef: {"recall": med([r["results"][i]["recall"] for r in runs]),
                    "qps": med([r["results"][i]["qps"] for r in runs]),
                    "qps_cpu": med([r["results"][i].get("qps_cpu", r["results"][i]["qps"]) for r in runs])}
               for i, ef in enumerate(efs)},
    }
f = S.get("faiss")


def ratio(a, b):
    return f"{a / b:.2f}" if b else "–"


print("| library | runs | build s (wall) | ÷ faiss | build s (CPU) | ÷ faiss | memory MB | ÷ (vectors+links) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for lib in libs:
    s = S[lib]
    print(f"| {lib} | {s['runs']} | {s['build']:.1f} | {ratio(s['build'], f['build']) if f else '–'} | "
          f"{s['build_cpu']:.1f} | {ratio(s['build_cpu'], f['build_cpu']) if f else '–'} | "
          f"{s['memory'] / 1e6:.1f} | {s['memory'] / s['ideal']:.3f} |")
print()
print("| ef | " + " | ".join(f"{lib} recall | {lib} q/s wall | {lib} q/s CPU" for lib in libs)
      + " | atcfix ÷ faiss (wall) | atcfix ÷ faiss (CPU) |")
print("|" + " --- |" * (1 + 3 * len(libs) + 2))
for ef in S[libs[0]]["ef"]:
    cells = []
    for lib in libs:
        e = S[lib]["ef"][ef]
        cells.append(f"{e['recall']:.4f} | {e['qps']:,.0f} | {e['qps_cpu']:,.0f}")
    a = S.get("atcfix", {}).get("ef", {}).get(ef)
    b = f["ef"][ef] if f else None
    r1 = ratio(a["qps"], b["qps"]) if a and b else "–"
    r2 = ratio(a["qps_cpu"], b["qps_cpu"]) if a and b else "–"
    print(f"| {ef} | " + " | ".join(cells) + f" | {r1} | {r2} |")


def at(lib, target):
    """The smallest ef whose median recall reaches `target`."""
    for ef, e in sorted(S[lib]["ef"].items()):
        if e["recall"] >= target:
            return ef, e
    return None


print()
print("| recall@10 target | " + " | ".join(f"{lib}: ef, recall, q/s wall / CPU" for lib in libs)
      + " | atcfix ÷ faiss (wall / CPU) |")
print("|" + " --- |" * (2 + len(libs)))
for target in (0.95, 0.99):
    hits = {lib: at(lib, target) for lib in libs}
    cells = [f"{h[0]}, {h[1]['recall']:.4f}, {h[1]['qps']:,.0f} / {h[1]['qps_cpu']:,.0f}" if h else "not reached"
             for h in hits.values()]
    a, b = hits.get("atcfix"), hits.get("faiss")
    r = f"{ratio(a[1]['qps'], b[1]['qps'])} / {ratio(a[1]['qps_cpu'], b[1]['qps_cpu'])}" if a and b else "–"
    print(f"| ≥ {target} | " + " | ".join(cells) + f" | {r} |")
