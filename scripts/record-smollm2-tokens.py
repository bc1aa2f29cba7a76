#!/usr/bin/env python3
"""Records llama.cpp's token ids for SmolLM2's tokenizer on ~200 varied sentences.

Runs llama-cpp-python (0.3.36, in /work/peers/venv) with vocab_only=True on
models/SmolLM2-135M-Instruct.Q4_1.gguf and writes Tests/GGUFTests/Fixtures/smollm2-tokens.json:
one entry per (text, add_special, parse_special) with llama.cpp's ids and its detokenized text.
Usage: /work/peers/venv/bin/python scripts/record-smollm2-tokens.py [MODEL.gguf]
"""
import json
import random
import sys
from pathlib import Path

import llama_cpp

ROOT = Path(__file__).resolve().parent.parent
MODEL = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf"
OUT = ROOT / "Tests" / "GGUFTests" / "Fixtures" / "smollm2-tokens.json"

HANDWRITTEN = [
    "speedbird 123 descend flight level 80",
    "Speedbird one two three, descend flight level eight zero.",
    "lufthansa 4 5 1 contact munich radar 129.105",
    "DLH451 climb FL340",
    "easyJet 29 Delta cleared ILS approach runway 27R",
    "ryanair 8 2 victor, turn left heading 2 7 0, reduce speed 180 knots",
    "KLM 1 2 3 4 squawk 7 7 0 0",
    "squawk 4521 and ident",
    "QNH 1013, QFE 998 hectopascals",
    "wind 270 degrees 15 knots gusting 25",
    "runway 09L cleared to land, wind 080/12",
    "  cleared for takeoff   runway two six left  ",
    "hold short of runway 36\nmonitor tower 118.7",
    "line up and wait\n\nrunway 25R",
    "\tcontact ground 121.9\t",
    "N123AB, say again?",
    "november one two three alpha bravo roger",
    "Air France 1 7 8 Hotel, expect vectors for ILS 26L",
    "Swiss two tree six, climb to flight level one four zero",
    "Austrian 5 3 1, direct to ROTAX, then as filed",
    "proceed direct DEGUM, descend to altitude 5000 feet",
    "maintain 2,500 ft until established on the localizer",
    "MAYDAY MAYDAY MAYDAY, engine fire, request immediate return",
    "PAN PAN PAN PAN PAN PAN",
    "traffic 2 o'clock, 5 miles, opposite direction, 1000 ft below",
    "we're ready for departure; we'll call you back",
    "You've got it, I'm on frequency, they'd said it's fine",
    "WE'RE READY. I'M HERE. IT'S OK. THEY'LL COME. WE'VE GOT IT. HE'D KNOW.",
    "it's 'quoted' and \"double-quoted\" text",
    "ATIS information Kilo, 1450Z, visibility 10km, CAVOK",
    "METAR EDDM 251450Z 27015G25KT 9999 FEW030 12/05 Q1013 NOSIG",
    "TAF EGLL 251100Z 2512/2618 24012KT 9999 SCT035 TEMPO 2512/2516 4000 SHRA",
    "frequency 118.275 MHz, 8.33 kHz spacing",
    "123456789012345678901234567890",
    "0.5 1.25 -3 +4 1e10 3.14159 2^10 50% 7/8",
    "flight level three-five-zero, heading 090°",
    "Grüß Gott, Wien Radar, Austrian vier sieben eins",
    "Bonjour, Air France deux cent trente, montez niveau trois cent",
    "¡Hola! ¿Qué tal? Iberia tres cuatro cinco",
    "Привет, Аэрофлот 1 2 3, снижайтесь",
    "こんにちは 日本航空 123便",
    "中国国际航空 981 下降到 3000 米",
    "대한항공 85편 접근 허가",
    "مرحبا طيران الإمارات 201",
    "שלום אל על 001",
    "Ελληνικά Aegean 602",
    "emoji ✈️ 🛫 🛬 👩‍✈️ 🇩🇪 😀",
    "naïve café résumé coöperate Ångström",
    "combining e\u0301 and a\u0308 vs é ä",
    "zero\u200bwidth\u200bspace and non\u00a0breaking\u00a0space",
    "em\u2003space and\u3000ideographic space",
    "line\u2028separator and para\u2029graph",
    "Roman numerals Ⅻ and fractions ½ ¾ and superscripts x² y³",
    "Arabic-Indic digits ٠١٢٣٤٥٦٧٨٩ and full-width １２３",
    "tabs\tand\ttabs\t\t\tmore",
    "trailing spaces   ",
    "   leading spaces",
    "\n\n\nleading newlines",
    "trailing newlines\n\n",
    "mixed \r\n windows \r\n line \r endings",
    "multiple     internal      spaces",
    "a",
    " ",
    "  ",
    "\n",
    "",
    "!!!???...,,,;;;:::",
    "(parentheses) [brackets] {braces} <angles>",
    "email atc@example.com and url https://example.org/path?q=1&r=2",
    "C:\\Windows\\System32 and /usr/local/bin",
    "snake_case camelCase PascalCase kebab-case SCREAMING_CASE",
    "def f(x): return x**2 + 1  # python",
    "for (int i = 0; i < n; ++i) { sum += a[i]; }",
    "<|im_start|>user\nhello<|im_end|>",
    "<|endoftext|> is a control token",
    "fake <|im_start tokens <|im_end and <repo_name>",
    "descend and maintain 4000, QNH 1019, cleared ILS Z runway 22L, report established",
    "contact Langen radar one two four decimal four seven five, good bye",
    "roger, wilco, affirm, negative, standby, unable",
    "request higher, request direct, request vectors",
    "turn right heading three six zero, vectors for spacing",
    "expect holding at MAPAX, EAT 1435",
    "cleared to Frankfurt via ANEKI 2F departure, climb initially 5000 ft, squawk 2341",
    "pushback approved, facing east",
    "taxi to holding point A5 runway 26R via N, N5, hold short of taxiway A",
    "report final, number two behind the Airbus A320 on 4 mile final",
    "caution wake turbulence, Boeing 747 departing",
    "go around, I say again, go around",
    "Air Berlin 7 niner 1",
    "Condor 2 1 Tango Kilo established localizer 25L",
    "Eurowings 6 2 November, speed 2 2 0 or greater until 4 DME",
    "the quick brown fox jumps over the lazy dog",
    "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG",
    "The Quick Brown Fox Jumps Over The Lazy Dog.",
    "Hello world",
    " Hello world",
    "Hello World",
    " Hello World",
    " Hello World!",
    "Hello, world!",
    " this is 🦙.cpp",
    "w048 7tuijk dsdfhu",
    "нещо на Български",
    "ááááá",
    "3333333",
    "33333333",
    "333333333",
    "Cửa Việt",
    " discards",
    "   Hello\n    Hello",
    "\u00a0\u00a0\u00a0",
    "\x7f control \x01 chars \x1b[0m",
    "👍🏽👍🏿 family 👨‍👩‍👧‍👦",
    "ペンギン",
    "a''b'''c'S'T'RE'VE'M'LL'D",
    "don't won't can't shouldn't y'all ma'am",
    "I'll, you'll, he'll, she'll, we'll, they'll",
    "5,000 feet; 10,000 feet; 1,500 m",
    "1st 2nd 3rd 4th 21st 22nd",
    "0800Z 1230UTC 23:59:59",
    "+49 89 975 00, ext. 123",
    "CALLSIGN: DLH9CK / D-AIPX / A319",
    "Speedbird 1 2 3 Heavy, Heathrow Director, descend to altitude 6000 feet, QNH 1008",
]

AIRLINES = ["speedbird", "lufthansa", "ryanair", "easy", "klm", "swiss", "austrian", "delta", "united",
            "american", "air france", "iberia", "condor", "eurowings", "wizz air", "aegean", "turkish",
            "emirates", "qatari", "shamrock"]
DIGITS = ["zero", "one", "two", "tree", "four", "fife", "six", "seven", "eight", "niner"]
PHONETIC = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett",
            "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango"]
INSTRUCTIONS = ["descend flight level {fl}", "climb FL{fl}", "turn left heading {hdg}",
                "turn right heading {hdg} degrees", "contact {fac} {freq}", "squawk {sq}",
                "reduce speed {spd} knots", "cleared ILS runway {rwy}", "hold short runway {rwy}",
                "QNH {qnh}", "maintain {alt} feet", "direct {wpt}"]
FACILITIES = ["radar", "tower", "ground", "approach", "director", "delivery", "Langen radar", "Maastricht"]
WAYPOINTS = ["ROTAX", "DEGUM", "ANEKI", "MAPAX", "BIBAX", "KERAX", "OSPEN", "TEBRO"]


def generated(count, seed=20261125):
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        airline = rng.choice(AIRLINES)
        if rng.random() < 0.5:
            number = " ".join(str(rng.randint(0, 9)) for _ in range(rng.randint(1, 4)))
        else:
            number = " ".join(rng.choice(DIGITS) for _ in range(rng.randint(1, 4)))
        if rng.random() < 0.3:
            number += " " + rng.choice(PHONETIC)
        parts = []
        for _ in range(rng.randint(1, 3)):
            parts.append(rng.choice(INSTRUCTIONS).format(
                fl=rng.choice(["80", "100", "240", "350", "three five zero", "one two zero"]),
                hdg=f"{rng.randint(1, 36) * 10:03d}", fac=rng.choice(FACILITIES),
                freq=f"{rng.randint(118, 136)}.{rng.randint(0, 999):03d}".rstrip("0"),
                sq=f"{rng.randint(0, 7)}{rng.randint(0, 7)}{rng.randint(0, 7)}{rng.randint(0, 7)}",
                spd=rng.choice(["160", "180", "210", "two two zero"]),
                rwy=rng.choice(["27R", "09L", "26", "two six left", "08"]),
                qnh=str(rng.randint(980, 1040)), alt=str(rng.randint(2, 15) * 1000), wpt=rng.choice(WAYPOINTS)))
        sep = rng.choice([", ", " ", " and ", ". ", "  ", ",\n"])
        text = f"{airline} {number}{sep}" + sep.join(parts)
        if rng.random() < 0.3:
            text = text.upper() if rng.random() < 0.5 else text.title()
        out.append(text)
    return out


def main():
    llm = llama_cpp.Llama(model_path=str(MODEL), vocab_only=True, verbose=False)
    texts = HANDWRITTEN + generated(200 - len(HANDWRITTEN))
    cases = []
    for text in texts:
        data = text.encode("utf-8")
        ids = llm.tokenize(data, add_bos=False, special=False)
        cases.append({"text": text, "add_special": False, "parse_special": False, "ids": ids,
                      "detokenized": llm.detokenize(ids).decode("utf-8", errors="replace")})
    # The special-token paths: parse_special and add_special on texts that contain control tokens.
    for text in [t for t in texts if "<" in t] + ["<|im_start|>system\nYou are ATC.<|im_end|>\n<|im_start|>user\nspeedbird 1 2 3<|im_end|>\n<|im_start|>assistant\n"]:
        for add_special, parse_special in [(True, True), (False, True), (True, False)]:
            ids = llm.tokenize(text.encode("utf-8"), add_bos=add_special, special=parse_special)
            cases.append({"text": text, "add_special": add_special, "parse_special": parse_special, "ids": ids,
                          "detokenized": llm.detokenize(ids, special=True).decode("utf-8", errors="replace")})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc = {"model": MODEL.name, "recorded_with": f"llama-cpp-python {llama_cpp.__version__} (vocab_only=True)",
           "note": "detokenized: llama.cpp detokenize(ids) (special=True for the special-token cases)",
           "cases": cases}
    tmp = OUT.with_suffix(".tmp")
    # One case per line keeps the committed fixture small and its diffs readable.
    lines = ",\n".join(json.dumps(c, ensure_ascii=False) for c in cases)
    header = json.dumps({k: v for k, v in doc.items() if k != "cases"}, ensure_ascii=False)[:-1]
    tmp.write_text(header + ', "cases": [\n' + lines + "\n]}\n", encoding="utf-8")
    tmp.replace(OUT)
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
