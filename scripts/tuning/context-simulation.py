#!/usr/bin/env python3
"""Simulates surveillance context for `atcfix batch --context` on a CSV with references.

Rows are cut into consecutive blocks of BLOCK rows; each block's context file lists the
callsigns of all references in that block (as the traffic in a sector would be known), as ICAO
designator + number (`SWR9352`) for airline callsigns and spoken words for registrations, so each
row's own callsign is in its context among BLOCK-1 others. Every block is batch-corrected with its
context, the outputs are joined and scored: corpus WER (`atcfix wer`) and callsign exact match
(scripts/tuning/callsign-accuracy.sh). Usage:
  scripts/tuning/context-simulation.py ATCFIX_BIN INDEX CSV OUT_DIR BLOCK [extra batch flags...]
"""
import csv
import json
import os
import subprocess
import sys

binary, index, source, out, block = sys.argv[1:6]
extra = sys.argv[6:]
block = int(block)
os.makedirs(out, exist_ok=True)
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
with open(source, newline="") as f:
    reader = csv.reader(f)
    header = next(reader)
    rows = list(reader)
parsed = subprocess.run([binary, "corpus", "callsigns", "--in", source, "--text-column", "correct_text", "--all"],
                        capture_output=True, text=True, check=True).stdout
callsign = {}
for line in parsed.splitlines():
    parts = line.split("\t")
    if len(parts) >= 4 and parts[0].isdigit():
        callsign[int(parts[0])] = parts[2] if parts[1] == "airline" else parts[3]
joined = []
for start in range(0, len(rows), block):
    chunk = rows[start:start + block]
    # CSV line numbers: the header is line 1, so row r (0-based) is line r + 2.
    entries = sorted({callsign[start + offset + 2] for offset in range(len(chunk)) if start + offset + 2 in callsign})
    context = os.path.join(out, f"context{start}.txt")
    with open(context, "w") as f:
        f.write("\n".join(entries) + "\n")
    part = os.path.join(out, f"part{start}.csv")
    with open(part, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([header] + chunk)
    corrected = os.path.join(out, f"part{start}.out.csv")
    subprocess.run([binary, "batch", "--index", index, "--in", part, "--out", corrected, "--context", context] + extra,
                   capture_output=True, text=True, check=True, cwd=root)
    with open(corrected, newline="") as f:
        reader = csv.reader(f)
        out_header = next(reader)
        joined.extend(reader)
result = os.path.join(out, "joined.csv")
with open(result, "w", newline="") as f:
    csv.writer(f, lineterminator="\n").writerows([out_header] + joined)
wer = json.loads(subprocess.run([binary, "wer", "--in", result, "--ref-column", "correct_text", "--text-column", "corrected_text", "--json"],
                                capture_output=True, text=True, check=True).stdout)
accuracy = subprocess.run([os.path.join(root, "scripts/tuning/callsign-accuracy.sh"), result, "corrected_text"],
                          capture_output=True, text=True, check=True, env={**os.environ}).stdout.strip()
print(json.dumps({k: wer[k] for k in wer if "wer" in k}), "|", accuracy)
