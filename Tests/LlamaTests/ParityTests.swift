import Foundation
import Testing
@testable import Llama

/// The forward pass against llama.cpp (llama-cpp-python 0.3.36) on SmolLM2-135M-Instruct Q4_1.
///
/// Token ids come from the fixture, so these tests check the forward pass alone, not the
/// tokenizer.
///
/// Why not exact equality: llama.cpp quantises every activation to 8 bits before each product,
/// keeps the cache in f16 and sums in its own order. We round the same way (8-bit activations,
/// f16 scales and offset sums, f16 cache, query and probabilities) but cannot reproduce its
/// summation order or its `exp`, and SmolLM2 carries outlier activations in the thousands, so
/// 1e-7 differences are amplified over 30 layers. Measured on the fixture (centred logits, i.e.
/// minus the mean of the 20 recorded ones, since softmax ignores a common shift): median
/// per-position worst gap ≈ 0.2, 95th percentile ≈ 0.45, and one chaotic position (atc2 #7,
/// right after an outlier token) at 1–2 depending on rounding details: the 8-bit rounding is
/// discontinuous, and in a block holding a 3000-valued outlier one step is ~24, so a 1-ulp
/// difference upstream that flips one rounding moves the result visibly. Hence the bounds below;
/// a real defect (wrong RoPE, norm, head or cache) moves logits by whole units everywhere.
/// Results (printed by the tests; they move a little with summation order): top-1 identical at
/// 96/100 positions batched and 93–98/100 token by token, the others at llama.cpp near-ties
/// except, in some builds, the chaotic atc2 #7; greedy continuations identical until the first
/// llama.cpp near-tie, where the printed report gives both engines' margins (with the int8
/// `vpmaddubsw` kernels: english 32/32; atc1 3/32, atc2 8/32, chatml 15/32, diverging where
/// llama.cpp's own margin is 0.045, 0.135 and 0.166 and ours the other way 0.024, 0.006, 0.018).
@Suite("llama.cpp parity (SmolLM2 Q4_1)", .enabled(if: TestModels.haveSmolLM, "needs models/SmolLM2-135M-Instruct.Q4_1.gguf"))
struct ParityTests {
    /// Two tokens whose llama.cpp logits are closer than this are a near-tie our rounding
    /// may order either way: about twice the 95th-percentile gap measured below.
    static let nearTie: Float = 1.0

    /// Worst centred gap at one position, over llama.cpp's top-20 tokens.
    static func centredGap(_ ours: UnsafeBufferPointer<Float>, _ top: LlamaFixture.TopLogits) -> Float {
        let oursMean = top.ids.reduce(Float(0)) { $0 + ours[Int($1)] } / Float(top.ids.count)
        let theirsMean = top.logits.reduce(0, +) / Float(top.logits.count)
        return zip(top.ids, top.logits).map { abs(ours[Int($0.0)] - oursMean - ($0.1 - theirsMean)) }.max()!
    }

    /// Our top-1 is llama.cpp's, or — only where llama.cpp itself has a near-tie — one of the
    /// tokens it places within `nearTie` of its top-1.
    static func topOneAgrees(_ ours: Int32, _ top: LlamaFixture.TopLogits) -> Bool {
        if ours == top.ids[0] { return true }
        guard let k = top.ids.firstIndex(of: ours) else { return false }
        return top.logits[0] - top.logits[k] < nearTie
    }

    static func checkPrompts(_ model: LlamaModel, _ fixture: LlamaFixture, batch: Bool,
                             medianBound: Float = 0.3, p95Bound: Float = 0.6, maxBound: Float = 2.5) throws {
        let session = try LlamaSession(model: model, contextLength: 256)
        var gaps: [Float] = []
        var exactTopOne = 0
        var unexplained: [String] = []
        for prompt in fixture.prompts {
            session.reset()
            if batch { try session.evaluate(prompt.tokens, logits: .all) }
            for (position, top) in prompt.topLogits.enumerated() {
                if !batch { try session.evaluate([prompt.tokens[position]], logits: .last) }
                let logits = session.logits(row: batch ? position : 0)
                let ours = Sampler.argmax(logits)!
                if ours == top.ids[0] { exactTopOne += 1 }
                if !Self.topOneAgrees(ours, top) {
                    unexplained.append("\(prompt.name) #\(position): ours \(ours), llama.cpp \(top.ids[0]) (its logits \(top.logits.prefix(4)))")
                }
                let gap = Self.centredGap(logits, top)
                gaps.append(gap)
                #expect(gap <= maxBound, "\(prompt.name) #\(position): centred logits differ by \(gap)")
            }
        }
        gaps.sort()
        let median = gaps[gaps.count / 2], p95 = gaps[gaps.count * 95 / 100]
        print("parity \(fixture.model) (\(batch ? "batch" : "token by token")): \(gaps.count) positions, top-1 identical at \(exactTopOne), centred gap median \(median) p95 \(p95) max \(gaps.last!)")
        #expect(median <= medianBound)
        #expect(p95 <= p95Bound)
        // A top-1 disagreement beyond a near-tie is tolerated at most once in 100 positions (the
        // chaotic, low-confidence atc2 #7 in the token-by-token run); a defect would produce many.
        print("parity (\(batch ? "batch" : "token by token")): top-1 disagreements beyond near-ties: \(unexplained)")
        #expect(unexplained.count <= gaps.count / 100)
    }

    @Test func promptLogitsBatched() throws {
        try Self.checkPrompts(try #require(TestModels.smolLM), try LlamaFixture.load("smollm2-q4_1.json"), batch: true)
    }

    @Test func promptLogitsTokenByToken() throws {
        try Self.checkPrompts(try #require(TestModels.smolLM), try LlamaFixture.load("smollm2-q4_1.json"), batch: false)
    }

    /// Greedy decoding reproduces llama.cpp's continuation up to the first step where llama.cpp
    /// itself has a near-tie; after that the trajectories may legitimately part.
    @Test func greedyContinuations() throws {
        try Self.checkGreedy(try #require(TestModels.smolLM), try LlamaFixture.load("smollm2-q4_1.json"))
    }

    static func checkGreedy(_ model: LlamaModel, _ fixture: LlamaFixture) throws {
        let session = try LlamaSession(model: model, contextLength: 256)
        var report: [String] = []
        for prompt in fixture.prompts {
            session.reset()
            try session.evaluate(prompt.tokens, logits: .last)
            var matched = 0
            var divergence = ""
            for (step, expected) in prompt.greedy.enumerated() {
                let next = try #require(Sampler.argmax(session.logits()))
                if next != expected {
                    let top = prompt.greedyTopLogits[step]
                    #expect(Self.topOneAgrees(next, top), "\(prompt.name) step \(step): \(next) vs llama.cpp \(expected), margin \(top.logits[0] - top.logits[1])")
                    // Both engines' margins between the two candidates at the divergence.
                    let logits = session.logits()
                    let theirs = top.ids.firstIndex(of: next).map { top.logits[0] - top.logits[$0] }
                    divergence = " (step \(step): ours \(next) by \(logits[Int(next)] - logits[Int(expected)]), llama.cpp \(expected) by \(theirs.map { "\($0)" } ?? "more than its top 20"))"
                    break
                }
                matched += 1
                if next == fixture.eos { break }
                try session.evaluate([next], logits: .last)
            }
            report.append("\(prompt.name) \(matched)/\(prompt.greedy.count)\(divergence)")
        }
        print("parity \(fixture.model) greedy: identical tokens before divergence: \(report.joined(separator: ", "))")
    }

    @Test func meanPooledEmbeddingsMatch() throws {
        try Self.checkEmbeddings(try #require(TestModels.smolLM), try LlamaFixture.load("smollm2-q4_1.json"))
    }

    static func checkEmbeddings(_ model: LlamaModel, _ fixture: LlamaFixture) throws {
        let session = try LlamaSession(model: model, contextLength: 256)
        var lowest: Float = 1
        for item in fixture.embeddings {
            let ours = try session.embed(item.tokens)
            let norm = item.embedding.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let cosine = zip(ours, item.embedding).reduce(0) { $0 + $1.0 * $1.1 } / norm
            lowest = min(lowest, cosine)
            #expect(cosine >= 0.999, "\(item.text): cosine \(cosine)")
            let ourNorm = ours.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(ourNorm - 1) < 1e-4)
        }
        print("parity \(fixture.model): lowest embedding cosine vs llama.cpp = \(lowest)")
    }
}

/// The same checks on Qwen2.5-Coder-1.5B-Instruct Q4_K_M (qwen2: NEOX RoPE, Q/K/V biases, Q4_K
/// and Q6_K weights, untied head). Opt-in: 1.1 GB, fetched by scripts/fetch-qwen.sh; run with
/// ATCFIX_QWEN_TESTS=1.
@Suite("llama.cpp parity (Qwen2.5-Coder-1.5B Q4_K_M, opt-in)", .enabled(if: TestModels.qwenEnabled, "set ATCFIX_QWEN_TESTS=1 and run scripts/fetch-qwen.sh"))
struct QwenParityTests {
    static let fixture = "qwen2.5-coder-1.5b-q4_k_m.json"

    @Test func promptLogitsBatched() throws {
        try ParityTests.checkPrompts(try #require(TestModels.qwen), try LlamaFixture.load(Self.fixture), batch: true)
    }

    @Test func promptLogitsTokenByToken() throws {
        try ParityTests.checkPrompts(try #require(TestModels.qwen), try LlamaFixture.load(Self.fixture), batch: false)
    }

    @Test func greedyContinuations() throws {
        try ParityTests.checkGreedy(try #require(TestModels.qwen), try LlamaFixture.load(Self.fixture))
    }

    @Test func meanPooledEmbeddingsMatch() throws {
        try ParityTests.checkEmbeddings(try #require(TestModels.qwen), try LlamaFixture.load(Self.fixture))
    }
}
