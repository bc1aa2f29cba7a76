#!/usr/bin/env python3
"""Summarises bench-hnsw.sh's JSON lines: medians per library, ratios against faiss."""
import json
import statistics
import sys
from collections import defaultdict

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
by_lib = defaultdict(list)
for r in rows:
    by_lib[r["lib"]].append(r)
libs = [lib for lib in ("atcfix", "faiss", "hnswlib") if lib in by_lib]


def median(values):
    return statistics.median(values)


summary = {}
for lib in libs:
    runs = by_lib[lib]
    efs = [r["ef"] for r in runs[0]["results"]]
    summary[lib] = {
        "runs": len(runs),
        "build_s": median([r["build_s"] for r in runs]),
        "memory_bytes": median([r["memory_bytes"] for r in runs]),
        "ideal": runs[0]["vectors_bytes"] + runs[0]["links_bytes"],
        "per_ef": {ef: (median([r["results"][i]["recall"] for r in runs]),
                        median([r["results"][i]["qps"] for r in runs])) for i, ef in enumerate(efs)},
    }

f = summary.get("faiss")
print("| library | runs | build s | build ÷ faiss | memory MB | memory ÷ (vectors+links) |")
print("| --- | --- | --- | --- | --- | --- |")
for lib in libs:
    s = summary[lib]
    ratio = f"{s['build_s'] / f['build_s']:.2f}" if f else "–"
    print(f"| {lib} | {s['runs']} | {s['build_s']:.1f} | {ratio} | {s['memory_bytes'] / 1e6:.1f} | {s['memory_bytes'] / s['ideal']:.3f} |")
print()
print("| ef | " + " | ".join(f"{lib} recall | {lib} q/s" for lib in libs) + " | atcfix q/s ÷ faiss |")
print("| --- | " + " | ".join("--- | ---" for _ in libs) + " | --- |")
for ef in summary[libs[0]]["per_ef"]:
    cells = []
    for lib in libs:
        rec, qps = summary[lib]["per_ef"][ef]
        cells.append(f"{rec:.4f} | {qps:,.0f}")
    ratio = "–"
    if f and "atcfix" in summary:
        ratio = f"{summary['atcfix']['per_ef'][ef][1] / f['per_ef'][ef][1]:.2f}"
    print(f"| {ef} | " + " | ".join(cells) + f" | {ratio} |")


def qps_at(lib, target):
    """Queries/s at the smallest ef reaching `target` recall (None if none does)."""
    for ef, (rec, qps) in sorted(summary[lib]["per_ef"].items()):
        if rec >= target:
            return ef, rec, qps
    return None


print()
print("| target recall@10 | " + " | ".join(f"{lib} (ef, recall, q/s)" for lib in libs) + " | atcfix ÷ faiss q/s |")
print("| --- | " + " | ".join("---" for _ in libs) + " | --- |")
for target in (0.95, 0.99):
    cells, values = [], {}
    for lib in libs:
        hit = qps_at(lib, target)
        values[lib] = hit
        cells.append(f"ef {hit[0]}, {hit[1]:.4f}, {hit[2]:,.0f}" if hit else "not reached")
    ratio = "–"
    if values.get("atcfix") and values.get("faiss"):
        ratio = f"{values['atcfix'][2] / values['faiss'][2]:.2f}"
    print(f"| ≥ {target} | " + " | ".join(cells) + f" | {ratio} |")
