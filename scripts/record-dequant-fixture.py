#!/usr/bin/env python3
"""Records an independent dequantisation reference: random blocks of every type GGUFTests
covers, dequantised by gguf-py (`gguf.quants.dequantize`), plus gguf-py's block geometry table
(GGML_QUANT_SIZES) for every ggml type it knows.

Writes Tests/GGUFTests/Fixtures/dequant-gguf-py.json. Scale fields are set to finite halves so
the values are ordinary numbers; every other byte is random (seeded).
Usage: /work/peers/venv/bin/python scripts/record-dequant-fixture.py   (needs `pip install gguf`)
"""
import json
from importlib.metadata import version
from pathlib import Path

import numpy as np
from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType as T
from gguf.quants import dequantize

OUT = Path(__file__).resolve().parent.parent / "Tests" / "GGUFTests" / "Fixtures" / "dequant-gguf-py.json"

# Byte offsets of the f16 scale fields inside one block (ggml-common.h).
HALF_FIELDS = {
    "Q4_0": [0], "Q4_1": [0, 2], "Q5_0": [0], "Q5_1": [0, 2], "Q8_0": [0],
    "Q2_K": [80, 82], "Q3_K": [108], "Q4_K": [0, 2], "Q5_K": [0, 2], "Q6_K": [208],
}


def main():
    rng = np.random.default_rng(20261125)
    cases = []
    for name, fields in HALF_FIELDS.items():
        qtype = T[name]
        block_size, type_size = GGML_QUANT_SIZES[qtype]
        blocks = 3
        raw = rng.integers(0, 256, size=blocks * type_size, dtype=np.uint8)
        for b in range(blocks):
            for f in fields:
                half = np.array([rng.uniform(-0.05, 0.05)], dtype=np.float16).view(np.uint8)
                raw[b * type_size + f: b * type_size + f + 2] = half
        values = dequantize(raw, qtype).reshape(-1)
        assert values.size == blocks * block_size
        cases.append({"type": name, "hex": raw.tobytes().hex(), "values": [float(v) for v in values.astype(np.float32)]})
    floats = rng.uniform(-1000, 1000, size=64).astype(np.float32)
    floats[:4] = [0.0, -0.0, 1.0, 65504.0]
    f16 = floats.astype(np.float16)
    cases.append({"type": "F16", "hex": f16.view(np.uint8).tobytes().hex(),
                  "values": [float(v) for v in dequantize(f16.view(np.uint8), T.F16).reshape(-1).astype(np.float32)]})
    bf16 = (floats.view(np.uint32) >> 16).astype(np.uint16)
    cases.append({"type": "BF16", "hex": bf16.view(np.uint8).tobytes().hex(),
                  "values": [float(v) for v in dequantize(bf16.view(np.uint8), T.BF16).reshape(-1).astype(np.float32)]})
    geometry = {t.name: {"id": int(t.value), "block": bs, "bytes": ts} for t, (bs, ts) in GGML_QUANT_SIZES.items()}
    doc = {"recorded_with": f"gguf {version('gguf')} (gguf.quants.dequantize)", "geometry": geometry, "cases": cases}
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")
    tmp.replace(OUT)
    print(f"wrote {len(cases)} cases, {len(geometry)} types to {OUT}")


if __name__ == "__main__":
    main()
