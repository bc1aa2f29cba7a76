#!/usr/bin/env python3
"""Records llama.cpp's ids for the special-token and BOS/EOS paths of the four llama.cpp test
vocabularies (.cache/vocab, see fetch-vocab-fixtures.sh), which their .inp/.out cases do not cover.

Writes Tests/GGUFTests/Fixtures/vocab-special-tokens.json (one case per line).
Usage: /work/peers/venv/bin/python scripts/record-vocab-special-tokens.py
"""
import json
from pathlib import Path

import llama_cpp

ROOT = Path(__file__).resolve().parent.parent
VOCAB = ROOT / ".cache" / "vocab"
OUT = ROOT / "Tests" / "GGUFTests" / "Fixtures" / "vocab-special-tokens.json"

TEXTS = {
    "llama-spm": ["<s>[INST] <<SYS>>\nfix ATC\n<</SYS>>\n\nspeedbird 1 2 3 [/INST] Speedbird 123</s><s>[INST] next [/INST]",
                  "hello <s> world </s> <unk>", " leading space", "🦙 emoji ✈️", "", "</s>"],
    "llama-bpe": ["<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nspeedbird 1 2 3<|eot_id|>",
                  "<|reserved_special_token_5|> text", "plain text", ""],
    "qwen2": ["<|im_start|>user\nhello<|im_end|>\n<|im_start|>assistant\n", "x[PAD151646]y [PAD151700]", "plain", "",
              "<|endoftext|>"],
    "gpt-2": ["a<|endoftext|>b", "plain text", ""],
}


def main():
    cases = []
    for name, texts in TEXTS.items():
        llm = llama_cpp.Llama(model_path=str(VOCAB / f"ggml-vocab-{name}.gguf"), vocab_only=True, verbose=False)
        for text in texts:
            for add_special in (False, True):
                for parse_special in (False, True):
                    ids = llm.tokenize(text.encode("utf-8"), add_bos=add_special, special=parse_special)
                    cases.append({"vocab": name, "text": text, "add_special": add_special,
                                  "parse_special": parse_special, "ids": ids})
    lines = ",\n".join(json.dumps(c, ensure_ascii=False) for c in cases)
    header = json.dumps({"recorded_with": f"llama-cpp-python {llama_cpp.__version__} (vocab_only=True)"})[:-1]
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text(header + ', "cases": [\n' + lines + "\n]}\n", encoding="utf-8")
    tmp.replace(OUT)
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
