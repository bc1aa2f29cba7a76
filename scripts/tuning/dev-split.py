#!/usr/bin/env python3
"""Hold out a dev split of ATCOSIM train so that decoder weights are tuned without test.

Every 10th row (0-based row index % 10 == 0) of train.whisper-small.csv is dev; the other
rows are the index's training part. The fine-tuned file lists the same utterances in another
order, so its dev rows are chosen by file name. Writes, under OUT_DIR (outside the repo):
  train90.whisper-small.csv    the rows to index (references + zero-shot noisy pairs)
  dev.whisper-small.csv        the held-out rows, zero-shot Whisper
  dev.whisper-finetuned.csv    the same utterances, fine-tuned Whisper
Usage: scripts/tuning/dev-split.py CORPORA_DIR OUT_DIR
"""
import csv
import os
import re
import sys

corpora, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
with open(os.path.join(corpora, "atcosim/train.whisper-small.csv"), newline="") as f:
    rows = list(csv.reader(f))
header, body = rows[0], rows[1:]
dev = [row for index, row in enumerate(body) if index % 10 == 0]
rest = [row for index, row in enumerate(body) if index % 10 != 0]


def utterance(name):
    # The two exports spell the same file differently (atcosim_train_0.wav, atcosim_train0.wav).
    return re.sub(r"[^0-9]", "", name)


dev_files = {utterance(row[0]) for row in dev}


def write(name, table):
    path = os.path.join(out, name)
    with open(path + ".tmp", "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(table)
    os.replace(path + ".tmp", path)
    print(f"{path}: {len(table) - 1} rows")


write("train90.whisper-small.csv", [header] + rest)
write("dev.whisper-small.csv", [header] + dev)
with open(os.path.join(corpora, "atcosim/train.whisper-finetuned.csv"), newline="") as f:
    tuned = list(csv.reader(f))
write("dev.whisper-finetuned.csv", [tuned[0]] + [row for row in tuned[1:] if utterance(row[0]) in dev_files])
