#!/usr/bin/env python3
"""Offline sweep of the language-model judge's combination weight and margin.

One model pass over a dev CSV with ATCFIX_JUDGE_LOG=FILE (see Sources/Corrector/JudgeLog.swift)
records, per transcript, each candidate's decoder score and model log-probability. This script
re-chooses among them for every (weight, margin, min-gain) setting, exactly as
LanguageModelCorrector + NoisyChannelDecoder.choose do, writes the choices to a CSV and scores
it with `atcfix wer` (the product's own normaliser and WER).

    scripts/tuning/tune-judge.py LOG.jsonl DEV.csv ATCFIX_BINARY [--weights 0,0.1,0.3] [--margins 8] [--min-gains 1.5]
"""
import argparse, csv, json, os, subprocess, sys, tempfile
from collections import defaultdict

def edit_errors(ref, hyp):
    d = list(range(len(hyp) + 1))
    for i in range(1, len(ref) + 1):
        prev, d[0] = d[:], i
        for j in range(1, len(hyp) + 1):
            d[j] = min(prev[j] + 1, d[j - 1] + 1, prev[j - 1] + (ref[i - 1] != hyp[j - 1]))
    return d[len(hyp)]

def choose(cands, heard, weight, margin, min_gain):
    """As LanguageModelCorrector.correct: the model judges the candidates within `margin` of
    the decoder's best; the input, when outside the margin, keeps its decoder score and the
    do-no-harm gain is measured on decoder scores."""
    if not cands:
        return heard
    best_dec = max(c["score"] for c in cands)
    close = [c for c in cands if c["score"] >= best_dec - margin]
    judged = len(close) > 1 and all(c["lm"] is not None for c in close)
    scored = [(c["score"] + (weight * c["lm"] if judged else 0.0), c["words"]) for c in close]
    score, words = max(scored)
    if min_gain <= 0 or words == heard:
        return words
    inp = [s for s, w in scored if w == heard]
    if inp:
        gain = score - inp[0]
    else:
        heard_dec = [c["score"] for c in cands if c["words"] == heard]
        if not heard_dec:
            return words
        gain = next(c["score"] for c in cands if c["words"] == words) - heard_dec[0]
    edits = edit_errors(words.split(), heard.split())
    return words if gain >= min_gain * max(1, edits) else heard

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log"); ap.add_argument("dev"); ap.add_argument("binary")
    ap.add_argument("--weights", default="0,0.05,0.1,0.2,0.3,0.5,0.7,1.0")
    ap.add_argument("--margins", default="8")
    ap.add_argument("--min-gains", default="1.5")
    ap.add_argument("--text-column", default="whisper_text"); ap.add_argument("--ref-column", default="correct_text")
    a = ap.parse_args()
    logged = defaultdict(list)
    for line in open(a.log):
        o = json.loads(line)
        logged[o["input"]].append(o)
    rows = [r for r in csv.DictReader(open(a.dev, newline=""))]
    used = defaultdict(int)
    entries = []
    for r in rows:
        key = r[a.text_column]
        if used[key] < len(logged[key]):
            entries.append((r[a.ref_column], logged[key][used[key]])); used[key] += 1
    print(f"{len(entries)} of {len(rows)} rows logged", file=sys.stderr)
    tmp = tempfile.mkdtemp()
    for margin in map(float, a.margins.split(",")):
        for gain in map(float, a.min_gains.split(",")):
            for weight in map(float, a.weights.split(",")):
                path = os.path.join(tmp, "choice.csv")
                with open(path, "w", newline="") as f:
                    w = csv.writer(f); w.writerow(["correct_text", "whisper_text", "chosen"])
                    for ref, o in entries:
                        w.writerow([ref, o["input"], choose(o["candidates"], o["heard"], weight, margin, gain)])
                out = json.loads(subprocess.run([a.binary, "wer", "--in", path, "--text-column", "chosen", "--json"],
                                                capture_output=True, text=True, check=True).stdout)
                print(f"margin {margin:5.1f} min-gain {gain:4.2f} weight {weight:5.2f}: WER {100 * out['wer']:.2f}%")

if __name__ == "__main__":
    main()
