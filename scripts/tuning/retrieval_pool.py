#!/usr/bin/env python3
"""Writes the small retrieval pool used to compare embedding variants quickly.

The pool is a subset of ATCOSIM *train* (never test): every train row whose reference also
occurs verbatim in test (so exact-reference recall can be measured), plus every STRIDE-th
other train row as distractors. Usage:
    scripts/tuning/retrieval_pool.py CORPORA_DIR OUT.csv [STRIDE]
"""
import csv
import sys

corpora, out = sys.argv[1], sys.argv[2]
stride = int(sys.argv[3]) if len(sys.argv) > 3 else 6
with open(f"{corpora}/atcosim/test.whisper-small.csv", newline="") as f:
    test_refs = {row["correct_text"].strip() for row in csv.DictReader(f)}
rows, seen = [], set()
with open(f"{corpora}/atcosim/train.whisper-small.csv", newline="") as f:
    for index, row in enumerate(csv.DictReader(f)):
        ref = row["correct_text"].strip()
        if ref in test_refs or index % stride == 0:
            rows.append(row)
            seen.add(ref)
with open(out, "w", newline="") as f:
    writer = csv.DictWriter(f, fieldnames=["file", "whisper_text", "correct_text"])
    writer.writeheader()
    writer.writerows(rows)
print(f"{len(rows)} rows, {len(seen)} distinct references, "
      f"{len(seen & test_refs)} shared with test -> {out}")
