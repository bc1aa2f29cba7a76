/// The regex-based word splitters that run before byte-level BPE, written as hand scanners that
/// reproduce llama.cpp's `unicode.cpp` (its custom GPT-2 / Llama-3 / Qwen2 splitters and, for
/// SmolLM's leading `\p{N}` pass, the behaviour of its collapsed-category std::regex path).
public enum PreTokenizer: String, Sendable, CaseIterable {
    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)` (GPT-2 and kin).
    case gpt2
    /// Llama 3: case-insensitive contractions, `[^\r\n\p{L}\p{N}]?\p{L}+`, digits in runs of ≤ 3,
    /// punctuation runs swallowing trailing newlines, newline-aware whitespace.
    case llama3
    /// Qwen2: as Llama 3 but every digit alone.
    case qwen2
    /// SmolLM / StarCoder: every `\p{N}` codepoint isolated first, then the GPT-2 rules.
    case smollm

    /// The splitter llama.cpp uses for a `tokenizer.ggml.pre` value, or nil if it is not one of
    /// the families implemented here.
    public init?(ggmlName: String) {
        switch ggmlName {
        case "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de", "a.x-4.0",
             "mellum", "modern-bert", "mpt", "olmo", "jina-v1-en", "jina-v2-code", "roberta-bpe", "exaone4", "trillion":
            self = .gpt2
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2":
            self = .llama3
        case "qwen2", "deepseek-r1-qwen", "stablelm2", "hunyuan":
            self = .qwen2
        case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva":
            self = .smollm
        default:
            return nil
        }
    }

    /// Whether llama.cpp looks the whole pre-token up in the vocabulary before merging
    /// (`ignore_merges`, set for Llama 3).
    var ignoresMerges: Bool { self == .llama3 }

    /// Splits `cps` (with their class flags) into word ranges, appended to `words`.
    func split(_ cps: UnsafeBufferPointer<UInt32>, _ flags: UnsafeBufferPointer<UInt8>, into words: inout [Range<Int>]) {
        let all = 0..<cps.count
        switch self {
        case .gpt2: Self.splitGPT2(cps, flags, all, &words)
        case .llama3: Self.splitLlama3(cps, flags, all, digitRun: 3, &words)
        case .qwen2: Self.splitLlama3(cps, flags, all, digitRun: 1, &words)
        case .smollm:
            // Pass 1 (`\p{N}`): each number codepoint is its own chunk, the text between is one chunk.
            var chunkStart = 0
            for i in 0..<cps.count where flags[i] & UnicodeSupport.number != 0 {
                if i > chunkStart { Self.splitGPT2(cps, flags, chunkStart..<i, &words) }
                Self.splitGPT2(cps, flags, i..<(i + 1), &words)
                chunkStart = i + 1
            }
            if chunkStart < cps.count { Self.splitGPT2(cps, flags, chunkStart..<cps.count, &words) }
        }
    }

    private static let outOfRange = UInt32.max

    /// Port of llama.cpp's `unicode_regex_split_custom_gpt2` over one chunk.
    static func splitGPT2(_ cps: UnsafeBufferPointer<UInt32>, _ fl: UnsafeBufferPointer<UInt8>, _ chunk: Range<Int>, _ words: inout [Range<Int>]) {
        let end = chunk.upperBound
        @inline(__always) func cp(_ p: Int) -> UInt32 { p >= chunk.lowerBound && p < end ? cps[p] : outOfRange }
        @inline(__always) func f(_ p: Int) -> UInt8 { p >= chunk.lowerBound && p < end ? fl[p] : 0 }
        let letter = UnicodeSupport.letter, number = UnicodeSupport.number, space = UnicodeSupport.whitespace
        var previous = chunk.lowerBound
        @inline(__always) func emit(_ upTo: Int) {
            if upTo > previous { words.append(previous..<upTo) }
            previous = upTo
        }
        var pos = chunk.lowerBound
        while pos < end {
            let c = cp(pos)
            if c == 0x27, pos + 1 < end {  // '
                let next = cp(pos + 1)
                if next == 0x73 || next == 0x74 || next == 0x6D || next == 0x64 {  // s t m d
                    pos += 2; emit(pos); continue
                }
                if pos + 2 < end {
                    let next2 = cp(pos + 2)
                    if (next == 0x72 && next2 == 0x65) || (next == 0x76 && next2 == 0x65) || (next == 0x6C && next2 == 0x6C) {  // re ve ll
                        pos += 3; emit(pos); continue
                    }
                }
            }
            var f2 = c == 0x20 ? f(pos + 1) : f(pos)
            if f2 & letter != 0 {
                if c == 0x20 { pos += 1 }
                while f2 & letter != 0 { pos += 1; f2 = f(pos) }
                emit(pos); continue
            }
            if f2 & number != 0 {
                if c == 0x20 { pos += 1 }
                while f2 & number != 0 { pos += 1; f2 = f(pos) }
                emit(pos); continue
            }
            if f2 & (space | letter | number) == 0 && f2 != 0 {
                if c == 0x20 { pos += 1 }
                while f2 & (space | letter | number) == 0 && f2 != 0 { pos += 1; f2 = f(pos) }
                emit(pos); continue
            }
            var spaces = 0
            while f(pos + spaces) & space != 0 { spaces += 1 }
            if spaces > 1 && cp(pos + spaces) != outOfRange {
                pos += spaces - 1; emit(pos); continue
            }
            if spaces > 0 {
                pos += spaces; emit(pos); continue
            }
            pos += 1; emit(pos)
        }
    }

    /// Port of llama.cpp's `unicode_regex_split_custom_llama3` (digitRun 3) and `_qwen2` (digitRun 1).
    static func splitLlama3(_ cps: UnsafeBufferPointer<UInt32>, _ fl: UnsafeBufferPointer<UInt8>, _ chunk: Range<Int>, digitRun: Int, _ words: inout [Range<Int>]) {
        let end = chunk.upperBound
        @inline(__always) func cp(_ p: Int) -> UInt32 { p >= chunk.lowerBound && p < end ? cps[p] : outOfRange }
        @inline(__always) func f(_ p: Int) -> UInt8 { p >= chunk.lowerBound && p < end ? fl[p] : 0 }
        @inline(__always) func lower(_ c: UInt32) -> UInt32 { (0x41...0x5A).contains(c) ? c + 32 : c }
        let letter = UnicodeSupport.letter, number = UnicodeSupport.number, space = UnicodeSupport.whitespace
        var previous = chunk.lowerBound
        @inline(__always) func emit(_ upTo: Int) {
            if upTo > previous { words.append(previous..<upTo) }
            previous = upTo
        }
        var pos = chunk.lowerBound
        while pos < end {
            let c = cp(pos)
            let flags = f(pos)
            if c == 0x27, pos + 1 < end {
                let next = lower(cp(pos + 1))
                if next == 0x73 || next == 0x74 || next == 0x6D || next == 0x64 {
                    pos += 2; emit(pos); continue
                }
                if pos + 2 < end {
                    let next2 = lower(cp(pos + 2))
                    if (next == 0x72 && next2 == 0x65) || (next == 0x76 && next2 == 0x65) || (next == 0x6C && next2 == 0x6C) {
                        pos += 3; emit(pos); continue
                    }
                }
            }
            // [^\r\n\p{L}\p{N}]?\p{L}+
            if !(c == 0x0D || c == 0x0A || flags & number != 0) {
                if flags & letter != 0 || f(pos + 1) & letter != 0 {
                    pos += 1
                    while f(pos) & letter != 0 { pos += 1 }
                    emit(pos); continue
                }
            }
            // \p{N}{1,3} or \p{N}
            if flags & number != 0 {
                if digitRun == 1 {
                    pos += 1; emit(pos); continue
                }
                var runStart = pos
                while f(pos) & number != 0 {
                    pos += 1
                    if pos - runStart >= digitRun { emit(pos); runStart = pos }
                }
                emit(pos); continue
            }
            //  ?[^\s\p{L}\p{N}]+[\r\n]*   (llama.cpp tests the current position's flags for "in range")
            var f2 = c == 0x20 ? f(pos + 1) : flags
            if f2 & (space | letter | number) == 0 && flags != 0 {
                if c == 0x20 { pos += 1 }
                while f2 & (space | letter | number) == 0 && f2 != 0 { pos += 1; f2 = f(pos) }
                var c2 = cp(pos)
                while c2 == 0x0D || c2 == 0x0A { pos += 1; c2 = cp(pos) }
                emit(pos); continue
            }
            var spaces = 0
            var afterLastNewline = 0
            while f(pos + spaces) & space != 0 {
                let c2 = cp(pos + spaces)
                if c2 == 0x0D || c2 == 0x0A { afterLastNewline = pos + spaces + 1 }
                spaces += 1
            }
            if afterLastNewline > 0 {  // \s*[\r\n]+
                pos = afterLastNewline; emit(pos); continue
            }
            if spaces > 1 && cp(pos + spaces) != outOfRange {  // \s+(?!\S)
                pos += spaces - 1; emit(pos); continue
            }
            if spaces > 0 {
                pos += spaces; emit(pos); continue
            }
            pos += 1; emit(pos)
        }
    }
}
