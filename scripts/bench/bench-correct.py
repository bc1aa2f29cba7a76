#!/usr/bin/env python3
"""Per-utterance latency of `atcfix correct` after load: one process reads transcripts on
stdin; each line is sent only after the previous answer arrived, and the wall time from send to
answer is recorded. Prints p50/p95/max over the rows (the first row is a warm-up, not counted).

    scripts/bench/bench-correct.py ATCFIX_BINARY CSV [ROWS] [-- extra correct args]
"""
import csv, statistics, subprocess, sys, time

def main():
    args = sys.argv[1:]
    extra = []
    if "--" in args:
        cut = args.index("--"); extra = args[cut + 1:]; args = args[:cut]
    binary, path = args[0], args[1]
    rows = int(args[2]) if len(args) > 2 else 200
    texts = [r["whisper_text"].replace("\n", " ") for r in csv.DictReader(open(path, newline=""))][: rows + 1]
    proc = subprocess.Popen([binary, "correct", *extra], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, bufsize=1)
    times = []
    for i, text in enumerate(texts):
        start = time.perf_counter()
        proc.stdin.write(text + "\n"); proc.stdin.flush()
        proc.stdout.readline()
        if i > 0: times.append(time.perf_counter() - start)
    proc.stdin.close(); proc.wait()
    times.sort()
    p = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    print(f"{len(times)} utterances: p50 {1000 * statistics.median(times):.0f} ms, p95 {1000 * p(0.95):.0f} ms, "
          f"max {1000 * times[-1]:.0f} ms, mean {1000 * statistics.mean(times):.0f} ms")

if __name__ == "__main__":
    main()
