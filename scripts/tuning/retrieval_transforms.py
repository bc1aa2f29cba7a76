#!/usr/bin/env python3
"""Compares embedding transforms for dense retrieval outside the index.

Inputs (in WORK, written by `scripts/tuning/retrieval_transforms.sh`): raw block embeddings from
`atcfix index embed` of the distinct ATCOSIM-train references (refs.f32), of the train Whisper
hypotheses (hyps.f32, with hyp_ref.txt giving each one's reference row) and of the test
queries (tq.f32, references in tref.txt). Everything is fitted on train only; the test rows
whose reference is a train reference are the queries. Prints recall@1/5/10 per transform.
"""
import sys
import numpy as np

work = sys.argv[1]
d = int(sys.argv[2]) if len(sys.argv) > 2 else 576


def load(name):
    return np.fromfile(f"{work}/{name}", dtype="<f4").reshape(-1, d).astype(np.float64)


refs, hyps, queries = load("refs.f32"), load("hyps.f32"), load("tq.f32")
ref_text = open(f"{work}/refs.txt").read().split("\n")[: len(refs)]
hyp_ref = np.array([int(x) for x in open(f"{work}/hyp_ref.txt").read().split()])
test_ref = open(f"{work}/tref.txt").read().split("\n")[: len(queries)]
row_of = {t: i for i, t in enumerate(ref_text)}
eligible = [(q, row_of[t]) for q, t in enumerate(test_ref) if t in row_of and np.any(queries[q])]
keep = np.any(hyps, axis=1)
hyps, hyp_ref = hyps[keep], hyp_ref[keep]
print(f"pool {len(refs)}, pairs {len(hyps)}, eligible queries {len(eligible)}")


def inverse_sqrt(cov, shrink):
    dim = cov.shape[0]
    cov = cov + shrink * np.trace(cov) / dim * np.eye(dim)
    vals, vecs = np.linalg.eigh(cov)
    return vecs @ np.diag(vals ** -0.5) @ vecs.T


def recall(query_fn, doc_fn, label):
    docs = doc_fn(refs)
    docs /= np.linalg.norm(docs, axis=1, keepdims=True) + 1e-12
    q = query_fn(queries[[e[0] for e in eligible]])
    q /= np.linalg.norm(q, axis=1, keepdims=True) + 1e-12
    scores = q @ docs.T
    wanted = np.array([e[1] for e in eligible])
    target = scores[np.arange(len(wanted)), wanted]
    rank = (scores > target[:, None]).sum(axis=1)
    out = [float(np.mean(rank < k)) for k in (1, 5, 10)]
    print(f"{label:58s} @1 {out[0]:.3f} @5 {out[1]:.3f} @10 {out[2]:.3f}", flush=True)
    return out


mu = refs.mean(axis=0)
pool_cov = np.cov((refs - mu).T, bias=True)
diff = hyps - refs[hyp_ref]
noise_cov = diff.T @ diff / len(diff)

recall(lambda x: x - mu, lambda x: x - mu, "centred")
for lam in (0.3, 1, 3):
    w = inverse_sqrt(pool_cov, lam)
    recall(lambda x: (x - mu) @ w, lambda x: (x - mu) @ w, f"pool whitening λ {lam} (current)")

for lam in (0.01, 0.03, 0.1, 0.3, 1):
    w = inverse_sqrt(noise_cov, lam)
    recall(lambda x: (x - mu) @ w, lambda x: (x - mu) @ w, f"noise whitening λ {lam}")

# LDA-style: noise whitening, then between-phrase whitening with shrinkage.
for lam in (0.03, 0.1):
    wn = inverse_sqrt(noise_cov, lam)
    between = np.cov(((refs - mu) @ wn).T, bias=True)
    for lam2 in (0.3, 1, 3):
        wb = inverse_sqrt(between, lam2)
        recall(lambda x: (x - mu) @ wn @ wb, lambda x: (x - mu) @ wn @ wb, f"noise λ {lam} then pool λ {lam2}")
    # Top LDA directions only.
    vals, vecs = np.linalg.eigh(between)
    for m in (64, 128, 256):
        p = vecs[:, -m:]
        recall(lambda x: (x - mu) @ wn @ p, lambda x: (x - mu) @ wn @ p, f"noise λ {lam}, top {m} between directions")

# Least-squares map from hypothesis space to reference space (queries only).
hm = hyps.mean(axis=0)
for ridge in (1e-3, 1e-2, 1e-1):
    a = (hyps - hm)
    b = refs[hyp_ref] - mu
    g = a.T @ a / len(a)
    m = np.linalg.solve(g + ridge * np.trace(g) / d * np.eye(d), a.T @ b / len(a))
    for lam in (0.3, 1):
        w = inverse_sqrt(pool_cov, lam)
        recall(lambda x: (x - hm) @ m @ w, lambda x: (x - mu) @ w, f"LS map ridge {ridge}, pool whitening λ {lam}")
    wn = inverse_sqrt(noise_cov, 0.1)
    recall(lambda x: (x - hm) @ m @ wn, lambda x: (x - mu) @ wn, f"LS map ridge {ridge}, noise whitening λ 0.1")
