#!/usr/bin/env python3
"""Record llama.cpp reference outputs for the Llama module's parity tests.

llama.cpp (through llama-cpp-python 0.3.36) is the independent reference. Run once, commit the
small JSON it writes; the Swift tests read it and never call Python.

    /work/peers/venv/bin/python scripts/record-llama-fixtures.py \
        models/SmolLM2-135M-Instruct.Q4_1.gguf Tests/LlamaTests/Fixtures/smollm2-q4_1.json

What is recorded, per prompt: the token ids (llama.cpp's tokenizer, the file's BOS rule,
special tokens parsed so ChatML markers become single ids), the top-20 logits at every prompt
position (the prompt as one batch, and again fed one token at a time — llama.cpp's two kernel
paths), and the greedy continuation (argmax of the raw logits, up to 32 tokens, stopping
after EOS) with the top-5 logits of each step (so tests can tell near-ties from real
disagreements). Then the mean-pooled final hidden state (after output_norm) of 10 ATC sentences,
raw as llama.cpp returns it (llama.cpp does not normalise; the test normalises both sides).

The reference configuration is fixed here and written into the fixture, because SmolLM2 amplifies
last-bit rounding differences to ~0.2 logits over its 30 layers, so llama.cpp's own settings
change its outputs at that level (flash attention on vs off: centred logits apart by median 0.23,
top-1 different at 6/100 prompt positions, measured on these prompts): flash attention OFF
(llama-cpp-python's default; ggml's CPU flash attention accumulates V·softmax in f16, the
standard path multiplies f16 K/V with f16-rounded queries and probabilities and sums in f32 —
the path our `LayerKernels.attend` reproduces), f16 K and V cache (default), the whole prompt in
one batch (n_batch = n_ubatch = 512; llama.cpp sums attention in tinyBLAS's order for a batch and
in ggml_vec_dot_f16's for single tokens), 2 threads (results do not depend on the thread count),
and ggml's tiled K-quant matrix kernel OFF (`GGML_CPU_TILED_MM=0`, set below before llama.cpp
loads): it only serves K-quant batches of 8+ tokens (Qwen's Q6_K; Q4_K is repacked instead and
Q4_1/Q8_0 never use it) and sums in its own tile order, where llama.cpp's standard path is
`ggml_vec_dot_q6_K_q8_K` — the order we reproduce. Qwen's logits with the tiled kernel on vs
off differ by rounding amplification like flash attention's (figures in docs/BENCHMARKS.md).
"""
import json
import os
import sys

os.environ["GGML_CPU_TILED_MM"] = "0"  # before llama.cpp reads it (see the docstring)

import numpy as np
import llama_cpp
from llama_cpp import Llama

PROMPTS = [
    ("atc1", "lufthansa four two one descend flight level one two zero contact rhein radar one two seven decimal three"),
    ("atc2", "speedbird two alpha bravo cleared ils approach runway two seven left wind two five zero degrees one two knots"),
    ("chatml", "<|im_start|>system\nYou correct transcripts of air traffic control radio calls.<|im_end|>\n"
               "<|im_start|>user\nclimb flight level tree zero zero speed bird one too tree<|im_end|>\n"
               "<|im_start|>assistant\n"),
    ("english", "The old lighthouse keeper walked down to the harbour every morning to watch the fishing boats return."),
]

EMBED_SENTENCES = [
    "cleared to land runway two five right",
    "climb and maintain flight level three four zero",
    "contact tower one one eight decimal seven",
    "hold short of runway three one left",
    "turn left heading two seven zero vectors for the ils",
    "descend to altitude four thousand feet qnh one zero one three",
    "squawk seven seven zero zero",
    "taxi to holding point alpha one via bravo",
    "reduce speed to one eight zero knots",
    "go around i say again go around",
]

GEN_TOKENS = 32
TOP_K = 20


def top_k(row):
    idx = np.argsort(-row, kind="stable")[:TOP_K]
    return [int(i) for i in idx], [float(row[i]) for i in idx]


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: record-llama-fixtures.py MODEL.gguf OUT.json")
    model_path, out_path = sys.argv[1], sys.argv[2]
    llm = Llama(model_path=model_path, n_ctx=512, n_batch=512, n_ubatch=512, n_threads=2,
                logits_all=True, verbose=False, seed=0, flash_attn=False)
    eos = llm.token_eos()
    prompts = []
    for name, text in PROMPTS:
        tokens = llm.tokenize(text.encode("utf-8"), add_bos=True, special=True)
        llm.reset()
        llm.eval(tokens)
        scores = np.array(llm.scores[: len(tokens)], dtype=np.float32)
        positions = []
        for row in scores:
            ids, values = top_k(row)
            positions.append({"ids": ids, "logits": values})
        generated = []
        generated_top = []
        # Generation continues from the batch-evaluated prompt (above); the token-by-token
        # prompt logits (llama.cpp's single-token kernels) are recorded afterwards.
        for _ in range(GEN_TOKENS):
            row = np.array(llm.scores[llm.n_tokens - 1], dtype=np.float32)
            next_id = int(np.argmax(row))
            ids, values = top_k(row)
            generated_top.append({"ids": ids[:5], "logits": values[:5]})
            generated.append(next_id)
            if next_id == eos:
                break
            llm.eval([next_id])
        llm.reset()
        single = []
        for token in tokens:
            llm.eval([token])
            ids, values = top_k(np.array(llm.scores[llm.n_tokens - 1], dtype=np.float32))
            single.append({"ids": ids, "logits": values})
        prompts.append({"name": name, "text": text, "tokens": [int(t) for t in tokens],
                        "topLogits": positions, "greedy": generated,
                        "greedyTopLogits": generated_top, "topLogitsTokenByToken": single})
        print(f"{name}: {len(tokens)} tokens, greedy {generated[:8]}…", file=sys.stderr)
    del llm

    emb = Llama(model_path=model_path, n_ctx=512, n_batch=512, n_ubatch=512, n_threads=2, embedding=True, flash_attn=False,
                pooling_type=llama_cpp.LLAMA_POOLING_TYPE_MEAN, verbose=False)
    embeddings = []
    for sentence in EMBED_SENTENCES:
        tokens = emb.tokenize(sentence.encode("utf-8"), add_bos=True, special=False)
        vector = emb.embed(sentence, normalize=False)
        embeddings.append({"text": sentence, "tokens": [int(t) for t in tokens],
                           "embedding": [round(float(v), 6) for v in vector]})

    fixture = {
        "model": os.path.basename(model_path),
        "reference": f"llama-cpp-python {llama_cpp.__version__}, n_threads=2, flash_attn=off, f16 KV cache, n_batch=n_ubatch=512, GGML_CPU_TILED_MM=0",
        "eos": int(eos),
        "prompts": prompts,
        "embeddings": embeddings,
    }
    tmp = out_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, out_path)
    print(f"wrote {out_path}", file=sys.stderr)


if __name__ == "__main__":
    main()
