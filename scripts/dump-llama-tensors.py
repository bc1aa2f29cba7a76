#!/usr/bin/env python3
"""Diagnostic: dump llama.cpp's intermediate tensors for one prompt (batch evaluation).

Uses llama.cpp's graph-evaluation callback (`cb_eval`) to copy every F32/F16 node of the
forward pass (names such as `attn_norm-0`, `Qcur-0`, `kq_soft_max-0`, `ffn_out-3`,
`result_output`) into `OUT_DIR/NAME.f32` (raw little-endian f32, row-major over ne[1..3], ne[0]
fastest), plus `OUT_DIR/graph.txt` describing each node (op, type, shape, sources). Used to
localise where our arithmetic departs from llama.cpp's: feed llama.cpp's input of an operation to
ours and compare the outputs.

    /work/peers/venv/bin/python scripts/dump-llama-tensors.py MODEL.gguf OUT_DIR "prompt text" [--flash-attn]
"""
import ctypes
import os
import sys

import numpy as np
import llama_cpp
from llama_cpp import Llama

GGML_OP_NAMES = {}


class Tensor(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int32), ("buffer", ctypes.c_void_p),
                ("ne", ctypes.c_int64 * 4), ("nb", ctypes.c_size_t * 4),
                ("op", ctypes.c_int32), ("op_params", ctypes.c_int32 * 16), ("flags", ctypes.c_int32),
                ("src", ctypes.c_void_p * 10), ("view_src", ctypes.c_void_p), ("view_offs", ctypes.c_size_t),
                ("data", ctypes.c_void_p), ("name", ctypes.c_char * 64), ("extra", ctypes.c_void_p),
                ("padding", ctypes.c_char * 8)]


def main():
    model_path, out_dir, text = sys.argv[1], sys.argv[2], sys.argv[3]
    flash = "--flash-attn" in sys.argv
    os.makedirs(out_dir, exist_ok=True)
    base = ctypes.CDLL(os.path.join(os.path.dirname(llama_cpp.__file__), "lib", "libggml-base.so"))
    base.ggml_op_desc.restype = ctypes.c_char_p
    base.ggml_op_desc.argtypes = [ctypes.c_void_p]
    graph = open(os.path.join(out_dir, "graph.txt"), "w")
    seen = {}

    def callback(tp, ask, user):
        if ask:
            return True
        t = Tensor.from_address(tp)
        name = t.name.decode()
        srcs = [Tensor.from_address(s).name.decode() for s in t.src if s]
        shape = [t.ne[i] for i in range(4)]
        graph.write(f"{name}\t{base.ggml_op_desc(tp).decode()}\ttype={t.type}\tne={shape}\tnb={[t.nb[i] for i in range(4)]}\tsrc={srcs}\n")
        if t.type in (0, 1) and t.data:
            itemsize = 4 if t.type == 0 else 2
            dtype = np.float32 if t.type == 0 else np.float16
            count = shape[0] * shape[1] * shape[2] * shape[3]
            span = sum((shape[i] - 1) * t.nb[i] for i in range(4)) + itemsize
            raw = (ctypes.c_char * span).from_address(t.data)
            arr = np.lib.stride_tricks.as_strided(np.frombuffer(raw, dtype=dtype),
                                                  shape=shape[::-1], strides=[t.nb[i] for i in range(4)][::-1])
            key = name.replace("/", "_").replace(" ", "_")
            n = seen.get(key, 0)
            seen[key] = n + 1
            if n:
                key = f"{key}.{n}"
            np.ascontiguousarray(arr, dtype=np.float32).tofile(os.path.join(out_dir, key + ".f32"))
            assert count == arr.size
        return True

    cb = llama_cpp.ggml_backend_sched_eval_callback(callback)
    llm = Llama(model_path=model_path, n_ctx=512, n_batch=512, n_threads=2, logits_all=True,
                verbose=False, flash_attn=flash)
    tokens = llm.tokenize(text.encode("utf-8"), add_bos=True, special=True)
    # A second context with the callback: Llama() builds its own, so set the callback on a fresh one.
    params = llm.context_params
    params.cb_eval = cb
    params.cb_eval_user_data = None
    ctx = llama_cpp.llama_init_from_model(llm.model, params)
    batch = llama_cpp.llama_batch_init(len(tokens), 0, 1)
    for i, tok in enumerate(tokens):
        batch.token[i] = tok
        batch.pos[i] = i
        batch.n_seq_id[i] = 1
        batch.seq_id[i][0] = 0
        batch.logits[i] = 1
    batch.n_tokens = len(tokens)
    assert llama_cpp.llama_decode(ctx, batch) == 0
    np.array(tokens, dtype=np.int32).tofile(os.path.join(out_dir, "tokens.i32"))
    graph.close()
    print(f"{len(tokens)} tokens; {sum(seen.values())} tensors in {out_dir}", file=sys.stderr)


if __name__ == "__main__":
    main()
