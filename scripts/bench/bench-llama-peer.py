#!/usr/bin/env python3
"""llama.cpp side of scripts/bench/bench-llama.sh: the same measurement as `atcfix model bench`.

A fixed prompt of token ids (same formula as the Swift bench) is evaluated with one `eval`
(one batch), then `gen` greedy single-token `eval`s. One warm-up, then `reps` timed runs;
prints {"pp_tokens_per_s": median, "tg_tokens_per_s": median}.
"""
import json
import statistics
import sys
import time

import numpy as np
import llama_cpp
from llama_cpp import Llama


def main():
    path, threads, n_prompt, n_gen, reps, n_ctx = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    llm = Llama(model_path=path, n_ctx=max(n_ctx, n_prompt + n_gen), n_batch=512, n_threads=threads,
                n_threads_batch=threads, verbose=False)
    vocab = llm.n_vocab()
    prompt = [(1000 + i * 7919) % max(vocab - 1000, 1) + 500 for i in range(n_prompt)]
    pp, tg = [], []
    for rep in range(reps + 1):
        llm.reset()
        t0 = time.perf_counter()
        llm.eval(prompt)
        t1 = time.perf_counter()
        for _ in range(n_gen):
            logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1), shape=(vocab,))
            llm.eval([int(np.argmax(logits))])
        t2 = time.perf_counter()
        if rep > 0:
            pp.append(n_prompt / (t1 - t0))
            tg.append(n_gen / (t2 - t1))
    print(json.dumps({"pp_tokens_per_s": round(statistics.median(pp), 1),
                      "tg_tokens_per_s": round(statistics.median(tg), 1)}))


if __name__ == "__main__":
    main()
