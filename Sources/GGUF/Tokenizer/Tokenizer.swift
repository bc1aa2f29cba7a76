/// A tokenizer built from a GGUF file's `tokenizer.ggml.*` metadata, reproducing llama.cpp's
/// `llama_tokenize` / `llama_detokenize` for byte-level BPE (`gpt2`) and SentencePiece BPE
/// (`llama`) vocabularies.
///
/// Immutable after construction and therefore safe to share between threads.
public final class Tokenizer: Sendable {
    /// The vocabulary family (`tokenizer.ggml.model`).
    public enum Model: String, Sendable {
        /// Byte-level BPE with merges (`gpt2`): GPT-2, Llama 3, Qwen2, SmolLM.
        case bytePair = "gpt2"
        /// SentencePiece BPE with scores and `<0xNN>` byte fallback (`llama`): Llama 2, Mistral.
        case sentencePiece = "llama"
    }

    /// The vocabulary family.
    public let model: Model
    /// The pre-tokenizer (byte-level BPE only).
    public let preTokenizer: PreTokenizer?
    /// `tokenizer.ggml.pre` as stored.
    public let preTokenizerName: String?
    /// Token texts as stored (byte-level or `▁`-escaped form), indexed by id.
    public let tokenTexts: [String]
    /// Token types, indexed by id.
    public let tokenTypes: [TokenType]
    /// SentencePiece scores (0 when the file has none), indexed by id.
    public let scores: [Float]
    /// Beginning-of-sequence token.
    public let bos: Int?
    /// End-of-sequence token.
    public let eos: Int?
    /// End-of-turn token (`<|im_end|>`, `<|eot_id|>`…), from metadata or recognised by its text.
    public let eot: Int?
    /// Unknown token.
    public let unknown: Int?
    /// Padding token.
    public let padding: Int?
    /// Every token that ends generation (EOS, EOT and llama.cpp's list of end-of-generation texts).
    public let endOfGeneration: Set<Int>
    /// Whether `tokenize(addSpecial: true)` prepends BOS (`tokenizer.ggml.add_bos_token` or the family default).
    public let addBOS: Bool
    /// Whether `tokenize(addSpecial: true)` appends EOS.
    public let addEOS: Bool
    /// SentencePiece's leading-space convention (`tokenizer.ggml.add_space_prefix`).
    public let addSpacePrefix: Bool
    /// Whether detokenization tidies spaces before punctuation (llama.cpp's `clean_spaces`).
    public let cleanSpaces: Bool

    let tokenBytes: [[UInt8]]
    /// Each token's rendering (as with `special: true`), precomputed for fast streaming decode.
    let renderedPieces: [[UInt8]]
    let vocabulary: ByteStringTable
    let merges: MergeTable
    /// The symbol id of each input byte's byte-level character (BPE).
    let byteSymbols: [Int32]
    /// Byte-level texts of merge results that are not vocabulary tokens; their ids follow the vocabulary.
    let extraSymbols: [[UInt8]]
    /// Vocabulary keyed by raw (byte-level decoded) bytes, for `ignore_merges` whole-word lookups.
    let rawVocabulary: ByteStringTable?
    /// SentencePiece byte-fallback token of each byte (-1 when absent).
    let byteFallback: [Int32]
    /// Tokens matched in raw text, longest text first.
    let specialTokens: [Int]

    /// The number of tokens.
    public var count: Int { tokenTexts.count }

    /// Builds the tokenizer of the GGUF file at `path`.
    public convenience init(path: String) throws {
        try self.init(file: GGUFFile(path: path))
    }

    /// Builds the tokenizer described by `file`'s metadata.
    public init(file: GGUFFile) throws(TokenizerError) {
        let path = file.path
        func fail(_ detail: String) -> TokenizerError { TokenizerError(path: path, detail: detail) }
        guard let modelName = file.string("tokenizer.ggml.model") else {
            throw fail("tokenizer.ggml.model is missing; the file has no tokenizer")
        }
        guard let model = Model(rawValue: modelName) else {
            throw fail("tokenizer model \"\(modelName)\" is not supported (only gpt2 byte-level BPE and llama SentencePiece are)")
        }
        self.model = model
        guard let stored = file.lazyStringArray("tokenizer.ggml.tokens"), !stored.isEmpty else {
            throw fail("tokenizer.ggml.tokens is missing or not a string array")
        }
        let n = stored.count
        // Raw bytes, not Strings: token texts need not be valid UTF-8 and must match byte for byte.
        var bytes = (0..<n).map { stored.utf8Bytes($0) }
        for i in 0..<n where bytes[i].isEmpty { bytes[i] = Array("[EMPTY_\(i)]".utf8) }
        let texts = bytes.map { String(decoding: $0, as: UTF8.self) }
        tokenTexts = texts
        tokenBytes = bytes

        var types = [TokenType](repeating: .normal, count: n)
        if let raw = file.intArray("tokenizer.ggml.token_type") {
            guard raw.count >= n else { throw fail("tokenizer.ggml.token_type has \(raw.count) entries for \(n) tokens") }
            for i in 0..<n { types[i] = TokenType(rawValue: Int32(truncatingIfNeeded: raw[i])) ?? .undefined }
        }
        if let s = file.array("tokenizer.ggml.scores") {
            let values = s.floats ?? s.ints?.map(Float.init) ?? []
            guard values.count >= n else { throw fail("tokenizer.ggml.scores has \(values.count) entries for \(n) tokens") }
            scores = Array(values.prefix(n))
        } else {
            scores = [Float](repeating: 0, count: n)
        }

        // Family defaults, then metadata overrides (llama_vocab::impl::load).
        var bos: Int?, eos: Int?, unknown: Int?
        var addBOS: Bool, addSpacePrefix: Bool, cleanSpaces: Bool
        var pre: PreTokenizer?
        switch model {
        case .bytePair:
            bos = 11; eos = 11; unknown = nil
            let preName = file.string("tokenizer.ggml.pre")
            guard let preName, let p = PreTokenizer(ggmlName: preName) else {
                throw fail("pre-tokenizer \"\(file.string("tokenizer.ggml.pre") ?? "(missing)")\" is not supported; "
                           + "supported families: gpt2, llama3 (llama-bpe), qwen2, smollm")
            }
            pre = p
            addBOS = p == .llama3
            addSpacePrefix = false
            cleanSpaces = !(p == .smollm || p == .qwen2)
        case .sentencePiece:
            bos = 1; eos = 2; unknown = 0
            addBOS = true
            addSpacePrefix = true
            cleanSpaces = false
        }
        preTokenizer = pre
        preTokenizerName = file.string("tokenizer.ggml.pre")
        if let v = file.bool("tokenizer.ggml.add_space_prefix") { addSpacePrefix = v }
        if let v = file.bool("tokenizer.ggml.add_bos_token") { addBOS = v }
        self.addEOS = file.bool("tokenizer.ggml.add_eos_token") ?? false
        self.addBOS = addBOS
        self.addSpacePrefix = addSpacePrefix
        self.cleanSpaces = cleanSpaces
        func id(_ key: String, _ fallback: Int?) -> Int? {
            var value = fallback.flatMap { $0 < n ? $0 : nil }
            if let v = file.int("tokenizer.ggml.\(key)"), v >= 0, v < n { value = v }
            return value
        }
        self.bos = id("bos_token_id", bos)
        self.eos = id("eos_token_id", eos)
        self.unknown = id("unknown_token_id", unknown)
        self.padding = id("padding_token_id", nil)

        // llama.cpp recognises end-of-turn / end-of-generation tokens by their text and forces them
        // to control type, which decides whether they are matched in text without `parseSpecial`.
        // The lists are llama.cpp's (llama-vocab.cpp, version vendored by llama-cpp-python 0.3.36).
        let eotTexts: Set<String> = ["<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>",
                                     "<|end_of_text|>", "<EOT>", "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>"]
        let eogTexts: Set<String> = ["<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
                                     "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
                                     "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
                                     "<｜end▁of▁sentence｜>", "[e~[",
                                     // FIM pad / repo / file-separator tokens also end generation.
                                     "<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]", "<|fim_repo|>", "<|repo_name|>",
                                     "<fim-repo>", "<REPO>", "<reponame>", "<|file_sep|>"]
        // FIM prefix / suffix / middle tokens are forced to control type too (not end-of-generation).
        let fimTexts: Set<String> = ["<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>",
                                     "<|code_prefix|>", "<|prefix|>", "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>",
                                     "<｜fim▁hole｜>", "<SUF>", "▁<SUF>", "<|code_suffix|>", "<|suffix|>", "<|fim_middle|>",
                                     "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>", "<|code_middle|>", "<|middle|>"]
        // llama.cpp takes the first match in hash-map order; the lowest id is our deterministic
        // stand-in (it agrees with llama.cpp on SmolLM2: <|endoftext|>, id 0).
        var eot = id("eot_token_id", nil)
        var eog = Set<Int>()
        for i in 0..<n {
            if eot == nil, eotTexts.contains(texts[i]) { eot = i }
            if eogTexts.contains(texts[i]) {
                eog.insert(i)
                types[i] = .control
            }
            if fimTexts.contains(texts[i]) { types[i] = .control }
        }
        if let eot, types[eot] != .control { types[eot] = .control }
        if let e = self.eos { eog.insert(e) }
        if let eot { eog.insert(eot) }
        self.eot = eot
        endOfGeneration = eog
        tokenTypes = types

        let vocabulary = ByteStringTable(bytes.enumerated().map { ($0.element, Int32($0.offset)) })
        self.vocabulary = vocabulary
        specialTokens = (0..<n).filter { types[$0].isSpecialCandidate }
            .sorted { bytes[$0].count != bytes[$1].count ? bytes[$0].count > bytes[$1].count : $0 < $1 }

        switch model {
        case .bytePair:
            guard let mergeTexts = file.lazyStringArray("tokenizer.ggml.merges") else {
                throw fail("tokenizer.ggml.merges is missing; a gpt2 tokenizer needs its merges")
            }
            var extras: [[UInt8]] = []
            var extraIndex: [[UInt8]: Int32] = [:]
            func intern(_ s: [UInt8]) -> Int32 {
                if let v = vocabulary.lookup(s) { return v }
                if let e = extraIndex[s] { return e }
                let newID = Int32(n + extras.count)
                extras.append(s)
                extraIndex[s] = newID
                return newID
            }
            var table = MergeTable(capacityFor: mergeTexts.count)
            for rank in 0..<mergeTexts.count {
                let u = mergeTexts.utf8Bytes(rank)
                // llama.cpp splits at the first space after position 0, so a merge may start with a space.
                guard u.count > 1, let space = u[1...].firstIndex(of: 0x20) else { continue }
                let left = Array(u[..<space]), right = Array(u[(space + 1)...])
                table.insertIfAbsent(left: intern(left), right: intern(right), rank: Int32(rank), merged: intern(left + right))
            }
            byteSymbols = (0..<256).map { intern(ByteLevelEncoding.characterOfByte[$0]) }
            extraSymbols = extras
            merges = table
            if pre?.ignoresMerges == true {
                var entries: [(bytes: [UInt8], value: Int32)] = []
                for i in 0..<n {
                    if let raw = ByteLevelEncoding.decode(bytes[i]) { entries.append((raw, Int32(i))) }
                }
                rawVocabulary = ByteStringTable(entries)
            } else {
                rawVocabulary = nil
            }
            byteFallback = []
        case .sentencePiece:
            merges = MergeTable(capacityFor: 0)
            byteSymbols = []
            extraSymbols = []
            rawVocabulary = nil
            let hex = Array("0123456789ABCDEF".utf8)
            byteFallback = (0..<256).map { b in
                let name: [UInt8] = Array("<0x".utf8) + [hex[b >> 4], hex[b & 15]] + [UInt8(ascii: ">")]
                return vocabulary.lookup(name) ?? vocabulary.lookup([UInt8(b)]) ?? -1
            }
        }

        renderedPieces = (0..<n).map { i in Self.render(model: model, type: types[i], text: bytes[i]) }
    }

    /// What `token_to_piece(special: true)` produces for one token.
    private static func render(model: Model, type: TokenType, text: [UInt8]) -> [UInt8] {
        switch (model, type) {
        case (_, .control), (_, .unknown), (_, .userDefined):
            return text
        case (.sentencePiece, .normal):
            return Self.unescapeSpaces(text)
        case (.sentencePiece, .byte):
            // "<0xNN>"
            guard text.count == 6, let value = UInt8(String(decoding: text[3..<5], as: UTF8.self), radix: 16) else { return [] }
            return [value]
        case (.bytePair, .normal):
            if let raw = ByteLevelEncoding.decode(text) { return raw }
            return Array("[UNK_BYTE_0x".utf8) + text + Array("]".utf8)
        default:
            return []
        }
    }

    static let spaceMarker: [UInt8] = [0xE2, 0x96, 0x81]  // U+2581 ▁

    static func unescapeSpaces(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = 0
        while i < text.count {
            if i + 2 < text.count, text[i] == 0xE2, text[i + 1] == 0x96, text[i + 2] == 0x81 {
                out.append(0x20)
                i += 3
            } else {
                out.append(text[i])
                i += 1
            }
        }
        return out
    }

    // MARK: - Lookup

    /// The id of the token whose stored text is exactly `text`.
    public func tokenID(_ text: String) -> Int? {
        vocabulary.lookup(Array(text.utf8)).map(Int.init)
    }

    /// The type of token `id` (`.undefined` when out of range).
    public func type(of id: Int) -> TokenType {
        id >= 0 && id < count ? tokenTypes[id] : .undefined
    }

    // MARK: - Encoding

    /// Tokenizes `text` like `llama_tokenize(text, add_special, parse_special)`.
    /// - Parameters:
    ///   - addSpecial: add BOS/EOS as the file's metadata says (`addBOS`, `addEOS`).
    ///   - parseSpecial: recognise control tokens written in the text (`<|im_start|>`); user-defined
    ///     tokens are always recognised, as in llama.cpp.
    public func tokenize(_ text: String, addSpecial: Bool = false, parseSpecial: Bool = false) -> [Int] {
        if let ids = text.utf8.withContiguousStorageIfAvailable({ tokenize(bytes: $0, addSpecial: addSpecial, parseSpecial: parseSpecial) }) {
            return ids
        }
        return Array(text.utf8).withUnsafeBufferPointer { tokenize(bytes: $0, addSpecial: addSpecial, parseSpecial: parseSpecial) }
    }

    /// Tokenizes raw bytes (invalid UTF-8 is handled as llama.cpp does: each bad byte becomes U+FFFD).
    public func tokenize(bytes: UnsafeBufferPointer<UInt8>, addSpecial: Bool = false, parseSpecial: Bool = false) -> [Int] {
        var output: [Int] = []
        output.reserveCapacity(bytes.count / 3 + 4)
        let fragments = partition(bytes, parseSpecial: parseSpecial)
        var scratch = Scratch()
        switch model {
        case .bytePair:
            if addSpecial, addBOS, let bos { output.append(bos) }
            for fragment in fragments {
                switch fragment {
                case .token(let id): output.append(id)
                case .text(let range): encodeBytePair(UnsafeBufferPointer(rebasing: bytes[range]), into: &output, scratch: &scratch)
                }
            }
            if addSpecial, addEOS, let eos { output.append(eos) }
        case .sentencePiece:
            if addSpecial, addBOS, let bos { output.append(bos) }
            var previousWasSpecial = true
            for fragment in fragments {
                switch fragment {
                case .token(let id):
                    output.append(id)
                    previousWasSpecial = true
                case .text(let range):
                    var text: [UInt8] = []
                    text.reserveCapacity(range.count + 8)
                    if addSpacePrefix && previousWasSpecial { text.append(contentsOf: Self.spaceMarker) }
                    for b in bytes[range] {
                        if b == 0x20 { text.append(contentsOf: Self.spaceMarker) } else { text.append(b) }
                    }
                    encodeSentencePiece(text, into: &output)
                    previousWasSpecial = false
                }
            }
            if addSpecial, addEOS, let eos { output.append(eos) }
        }
        return output
    }

    enum Fragment: Equatable {
        case text(Range<Int>)
        case token(Int)
    }

    /// Splits the input around special-token texts (llama.cpp's `tokenizer_st_partition`): tokens
    /// are tried longest first, each carving every occurrence out of the remaining text fragments.
    func partition(_ bytes: UnsafeBufferPointer<UInt8>, parseSpecial: Bool) -> [Fragment] {
        guard !bytes.isEmpty else { return [] }
        var fragments: [Fragment] = [.text(0..<bytes.count)]
        // Which byte values occur at all: a token whose first byte never occurs cannot match, which
        // skips nearly all of the hundreds of special tokens some vocabularies have.
        var present = [Bool](repeating: false, count: 256)
        for b in bytes { present[Int(b)] = true }
        for id in specialTokens {
            if !parseSpecial && tokenTypes[id].isControlOrUnknown { continue }
            let pattern = tokenBytes[id]
            guard let first = pattern.first, present[Int(first)] else { continue }
            var next: [Fragment] = []
            var changed = false
            for fragment in fragments {
                guard case .text(let range) = fragment, range.count >= pattern.count else {
                    next.append(fragment)
                    continue
                }
                var start = range.lowerBound
                var i = start
                let last = range.upperBound - pattern.count
                while i <= last {
                    if bytes[i] == first, pattern.withUnsafeBufferPointer({ p in
                        (1..<p.count).allSatisfy { bytes[i + $0] == p[$0] }
                    }) {
                        if i > start { next.append(.text(start..<i)) }
                        next.append(.token(id))
                        changed = true
                        i += pattern.count
                        start = i
                    } else {
                        i += 1
                    }
                }
                if start < range.upperBound { next.append(.text(start..<range.upperBound)) }
            }
            if changed { fragments = next }
        }
        return fragments
    }

    /// Reused buffers for one tokenize call.
    struct Scratch {
        var codepoints: [UInt32] = []
        var flags: [UInt8] = []
        var words: [Range<Int>] = []
        var word: [UInt8] = []
        var symbols: [Int32] = []
        var ranks: [Int32] = []
        var results: [Int32] = []
    }

    private func encodeBytePair(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [Int], scratch: inout Scratch) {
        guard let preTokenizer else { return }
        scratch.codepoints.removeAll(keepingCapacity: true)
        UnicodeSupport.codepoints(bytes, into: &scratch.codepoints)
        scratch.flags.removeAll(keepingCapacity: true)
        for c in scratch.codepoints { scratch.flags.append(UnicodeSupport.flags(c)) }
        scratch.words.removeAll(keepingCapacity: true)
        scratch.codepoints.withUnsafeBufferPointer { cps in
            scratch.flags.withUnsafeBufferPointer { fl in
                preTokenizer.split(cps, fl, into: &scratch.words)
            }
        }
        for w in scratch.words {
            scratch.word.removeAll(keepingCapacity: true)
            for i in w { UnicodeSupport.appendUTF8(scratch.codepoints[i], to: &scratch.word) }
            encodeWord(&scratch, into: &output)
        }
    }

    /// Byte-level BPE on one pre-token: repeatedly merge the adjacent pair with the lowest merge
    /// rank (leftmost on ties), which is what llama.cpp's bigram priority queue amounts to.
    private func encodeWord(_ s: inout Scratch, into output: inout [Int]) {
        if let rawVocabulary, let id = s.word.withUnsafeBufferPointer({ rawVocabulary.lookup($0) }) {
            output.append(Int(id))
            return
        }
        s.symbols.removeAll(keepingCapacity: true)
        for b in s.word { s.symbols.append(byteSymbols[Int(b)]) }
        let none = Int32.max
        func rerank(_ i: Int, _ s: inout Scratch) {
            if let m = merges.lookup(s.symbols[i], s.symbols[i + 1]) {
                s.ranks[i] = m.rank; s.results[i] = m.merged
            } else {
                s.ranks[i] = none; s.results[i] = -1
            }
        }
        if s.symbols.count > 1 {
            s.ranks.removeAll(keepingCapacity: true)
            s.results.removeAll(keepingCapacity: true)
            for _ in 0..<(s.symbols.count - 1) {
                s.ranks.append(none); s.results.append(-1)
            }
            for i in 0..<(s.symbols.count - 1) { rerank(i, &s) }
            while true {
                var best = -1
                var bestRank = none
                for i in 0..<s.ranks.count where s.ranks[i] < bestRank {
                    best = i
                    bestRank = s.ranks[i]
                }
                if best < 0 { break }
                s.symbols[best] = s.results[best]
                s.symbols.remove(at: best + 1)
                s.ranks.remove(at: best)
                s.results.remove(at: best)
                if best > 0 { rerank(best - 1, &s) }
                if best < s.ranks.count { rerank(best, &s) }
            }
        }
        let n = Int32(count)
        for sym in s.symbols {
            if sym < n {
                output.append(Int(sym))
            } else {
                // Not a vocabulary token: llama.cpp emits whichever single bytes of its text are tokens.
                for b in extraSymbols[Int(sym - n)] {
                    if let id = vocabulary.lookup([b]) { output.append(Int(id)) }
                }
            }
        }
    }

    /// SentencePiece BPE on `text` (spaces already escaped as ▁): repeatedly merge the adjacent
    /// pair whose concatenation is the highest-scoring vocabulary token (leftmost on ties); symbols
    /// that are not tokens fall back to `<0xNN>` byte tokens.
    private func encodeSentencePiece(_ text: [UInt8], into output: inout [Int]) {
        text.withUnsafeBufferPointer { t in
            var starts: [Int] = []
            var lengths: [Int] = []
            var offset = 0
            while offset < t.count {
                let length = min(UnicodeSupport.sequenceLength(lead: t[offset]), t.count - offset)
                starts.append(offset)
                lengths.append(length)
                offset += length
            }
            var pairScores: [Float] = []
            func score(_ i: Int) -> Float {
                let slice = UnsafeBufferPointer(rebasing: t[starts[i]..<(starts[i] + lengths[i] + lengths[i + 1])])
                guard let id = vocabulary.lookup(slice) else { return -.infinity }
                return scores[Int(id)]
            }
            if starts.count > 1 {
                for i in 0..<(starts.count - 1) { pairScores.append(score(i)) }
            }
            while !pairScores.isEmpty {
                var best = -1
                var bestScore = -Float.infinity
                for i in 0..<pairScores.count where pairScores[i] > bestScore {
                    best = i
                    bestScore = pairScores[i]
                }
                if best < 0 { break }
                lengths[best] += lengths[best + 1]
                starts.remove(at: best + 1)
                lengths.remove(at: best + 1)
                pairScores.remove(at: best)
                if best > 0 { pairScores[best - 1] = score(best - 1) }
                if best < pairScores.count { pairScores[best] = score(best) }
            }
            for i in 0..<starts.count {
                let slice = UnsafeBufferPointer(rebasing: t[starts[i]..<(starts[i] + lengths[i])])
                if let id = vocabulary.lookup(slice) {
                    output.append(Int(id))
                } else {
                    for b in slice {
                        let id = byteFallback[Int(b)]
                        if id >= 0 { output.append(Int(id)) } else if let unknown { output.append(unknown) }
                    }
                }
            }
        }
    }

    // MARK: - Decoding

    /// The bytes token `id` stands for (llama.cpp's `token_to_piece`). Control and unknown tokens
    /// render as their text only when `special` is true; user-defined tokens always do.
    public func piece(_ id: Int, special: Bool = false) -> [UInt8] {
        guard id >= 0 && id < count else { return [] }
        if !special && tokenTypes[id].isControlOrUnknown { return [] }
        return renderedPieces[id]
    }

    /// Decodes `ids` to text like `llama_detokenize`: SentencePiece's leading space is removed,
    /// `removeSpecial` drops a leading BOS / trailing EOS that the tokenizer would add, and
    /// `renderSpecial` shows control tokens as text. Invalid UTF-8 becomes U+FFFD.
    public func detokenize(_ ids: [Int], removeSpecial: Bool = false, renderSpecial: Bool = false) -> String {
        String(decoding: detokenizeBytes(ids, removeSpecial: removeSpecial, renderSpecial: renderSpecial), as: UTF8.self)
    }

    /// The bytes of `detokenize`, before UTF-8 repair.
    public func detokenizeBytes(_ ids: [Int], removeSpecial: Bool = false, renderSpecial: Bool = false) -> [UInt8] {
        var ids = ids[...]
        var removeSpace = addSpacePrefix
        if removeSpecial && addBOS, let first = ids.first, first == bos {
            removeSpace = false
            ids = ids.dropFirst()
        }
        if removeSpecial && addEOS, let last = ids.last, last == eos {
            ids = ids.dropLast()
        }
        var text: [UInt8] = []
        for id in ids {
            var p = piece(id, special: renderSpecial)[...]
            if removeSpace, p.first == 0x20 { p = p.dropFirst() }
            removeSpace = false
            text.append(contentsOf: p)
        }
        return cleanSpaces ? Self.cleanUpSpaces(text) : text
    }

    /// llama.cpp's `clean_spaces` passes: drop the space before ?!., and before 's 'm 're 've,
    /// and the spaces around a lone apostrophe.
    static func cleanUpSpaces(_ input: [UInt8]) -> [UInt8] {
        guard input.count > 1 else { return input }
        var text = input
        let space = UInt8(ascii: " "), quote = UInt8(ascii: "'")
        // Pass 1: " ?", " !", " .", " ,"
        var total = 1
        for i in 1..<text.count {
            let x = text[i]
            if text[i - 1] == space && (x == UInt8(ascii: "?") || x == UInt8(ascii: "!") || x == UInt8(ascii: ".") || x == UInt8(ascii: ",")) {
                total -= 1
            }
            text[total] = x
            total += 1
        }
        text.removeSubrange(total...)
        // Pass 2: " ' " → "'"
        if text.count > 1 {
            let n2 = text.count
            total = 1
            var i = 1
            while i < n2 {
                let x = text[i]
                if x == quote && i + 1 < n2 && text[i - 1] == space && text[i + 1] == space {
                    // Drop the space before, keep the quote, skip the space after.
                    total -= 1
                    text[total] = x
                    total += 1
                    i += 2
                    continue
                }
                text[total] = x
                total += 1
                i += 1
            }
            text.removeSubrange(total...)
        }
        // Pass 3: " 's", " 'm", " 're", " 've"
        if text.count > 1 {
            let n3 = text.count
            total = 1
            for i in 1..<n3 {
                let x = text[i]
                if text[i - 1] == space && x == quote && i + 1 < n3 {
                    let x1 = text[i + 1]
                    if x1 == UInt8(ascii: "s") || x1 == UInt8(ascii: "m") {
                        total -= 1
                    } else if i + 2 < n3 {
                        let x2 = text[i + 2]
                        if (x1 == UInt8(ascii: "r") && x2 == UInt8(ascii: "e")) || (x1 == UInt8(ascii: "v") && x2 == UInt8(ascii: "e")) {
                            total -= 1
                        }
                    }
                }
                text[total] = x
                total += 1
            }
            text.removeSubrange(total...)
        }
        return text
    }
}
