#!/usr/bin/env python3
"""Peer HNSW benchmark on the raw f32 files that `atcfix vectors bench` reads.

Runs faiss (IndexHNSWFlat, inner product) or chroma-hnswlib (hnswlib API, space 'ip') with one
thread, computes the same exact ground truth (brute-force inner product), and prints the same
JSON as `atcfix vectors bench --json`. memory_bytes is the growth of the process's resident set
across the build (peers do not report their own footprint).
"""
import argparse
import json
import os
import statistics
import time

import numpy as np


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def ground_truth(base, queries, k):
    truth = []
    for start in range(0, len(queries), 100):
        scores = queries[start:start + 100] @ base.T
        # Sort by descending score, ties by lower row, like ExactSearch.
        part = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        truth.extend(part.tolist())
    return truth


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--lib", choices=["faiss", "hnswlib"], required=True)
    p.add_argument("--base", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--dim", type=int, required=True)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--m", type=int, default=16)
    p.add_argument("--ef-construction", type=int, default=200)
    p.add_argument("--ef", default="16,32,64,128")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args()

    base = np.fromfile(args.base, dtype="<f4").reshape(-1, args.dim)
    queries = np.fromfile(args.queries, dtype="<f4").reshape(-1, args.dim)
    n, nq = len(base), len(queries)
    efs = [int(x) for x in args.ef.split(",")]
    truth = ground_truth(base, queries, args.k)

    before = rss_bytes()
    if args.lib == "faiss":
        import faiss
        faiss.omp_set_num_threads(args.threads)
        index = faiss.IndexHNSWFlat(args.dim, args.m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = args.ef_construction
        t0, c0 = time.perf_counter(), time.process_time()
        index.add(base)
        build, build_cpu = time.perf_counter() - t0, time.process_time() - c0
    else:
        import hnswlib
        index = hnswlib.Index(space="ip", dim=args.dim)
        index.init_index(max_elements=n, M=args.m, ef_construction=args.ef_construction, random_seed=100)
        index.set_num_threads(args.threads)
        t0, c0 = time.perf_counter(), time.process_time()
        index.add_items(base, np.arange(n), num_threads=args.threads)
        build, build_cpu = time.perf_counter() - t0, time.process_time() - c0
    memory = rss_bytes() - before

    results = []
    for ef in efs:
        rates, cpu_rates = [], []
        for _ in range(args.repeats):
            if args.lib == "faiss":
                index.hnsw.efSearch = ef
                t0, c0 = time.perf_counter(), time.process_time()
                _, labels = index.search(queries, args.k)
                rates.append(nq / (time.perf_counter() - t0))
                cpu_rates.append(nq / (time.process_time() - c0))
            else:
                index.set_ef(ef)
                t0, c0 = time.perf_counter(), time.process_time()
                labels, _ = index.knn_query(queries, k=args.k, num_threads=args.threads)
                rates.append(nq / (time.perf_counter() - t0))
                cpu_rates.append(nq / (time.process_time() - c0))
        hits = sum(len(set(labels[q].tolist()) & set(truth[q])) for q in range(nq))
        results.append({"ef": ef, "recall": round(hits / (nq * args.k), 4), "qps": round(statistics.median(rates), 1),
                        "qps_cpu": round(statistics.median(cpu_rates), 1)})
    print(json.dumps({"lib": args.lib, "build_s": round(build, 3), "build_cpu_s": round(build_cpu, 3), "memory_bytes": memory,
                      "vectors_bytes": n * args.dim * 4, "links_bytes": n * 2 * args.m * 4,
                      "n": n, "queries": nq, "dim": args.dim, "results": results}))


if __name__ == "__main__":
    main()
