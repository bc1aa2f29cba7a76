import ArgumentParser
import Foundation
import Llama

/// `atcfix model bench`: prompt-processing and generation speed.
struct ModelBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure prompt (pp) and generation (tg) tokens per second: medians after a warm-up.",
        discussion: CommandHelp.discussion(
            "The prompt is a fixed, tokenizer-independent sequence of --prompt-tokens ids; generation is greedy for --gen-tokens tokens.",
            examples: [
                "atcfix model bench models/SmolLM2-135M-Instruct.Q4_1.gguf",
                "atcfix model bench model.gguf --prompt-tokens 512 --gen-tokens 128 --threads 2 --json",
            ]))

    @Argument(help: "The GGUF model file.")
    var file: String

    @Option(help: "Threads (1...256).")
    var threads = 2

    @Option(name: .customLong("prompt-tokens"), help: "Tokens evaluated as one prompt batch.")
    var promptTokens = 128

    @Option(name: .customLong("gen-tokens"), help: "Tokens generated one at a time (greedy) after the prompt.")
    var genTokens = 64

    @Option(name: .customLong("ctx-size"), help: "Context length of the session (default: prompt + generated tokens; 16...131072).")
    var contextLength: Int?

    @Option(help: "Timed repetitions (after one warm-up).")
    var repetitions = 5

    @Flag(help: "Print one JSON object (keys: pp_tokens_per_s, tg_tokens_per_s, prompt_tokens, gen_tokens, threads, repetitions).")
    var json = false

    func validate() throws {
        try OptionCheck.range("--prompt-tokens", promptTokens, 1...32_768)
        try OptionCheck.range("--gen-tokens", genTokens, 1...32_768)
        try OptionCheck.range("--repetitions", repetitions, 1...1_000)
        try OptionCheck.threads(threads)
        try OptionCheck.range("--ctx-size", contextLength, 16...131_072)
        if promptTokens + genTokens > 131_072 {
            throw ValidationError("--prompt-tokens + --gen-tokens must be at most 131072 (got \(promptTokens + genTokens))")
        }
        guard FileManager.default.fileExists(atPath: file) else {
            throw ValidationError("\(file): no such model file; give a GGUF file")
        }
    }

    /// The `--json` report.
    struct Report: Encodable {
        var ppTokensPerS: Double
        var tgTokensPerS: Double
        var promptTokens: Int
        var genTokens: Int
        var threads: Int
        var repetitions: Int
    }

    func run() throws {
        let model = try LlamaModel(path: file)
        let vocabulary = model.configuration.vocabularySize
        // A fixed, tokenizer-independent prompt: ids spread over the ordinary vocabulary.
        let prompt = (0..<promptTokens).map { Int32((1_000 + $0 * 7_919) % max(vocabulary - 1_000, 1) + 500) }
        let context = max(contextLength ?? 0, promptTokens + genTokens)
        let session = try LlamaSession(model: model, contextLength: context, threads: threads,
                                       batchCapacity: max(promptTokens, 1))
        var pp: [Double] = [], tg: [Double] = []
        for rep in 0...repetitions {
            session.reset()
            var t0 = DispatchTime.now().uptimeNanoseconds
            try session.evaluate(prompt, logits: .last)
            let promptSeconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            t0 = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<genTokens {
                let next = Sampler.argmax(session.logits()) ?? 0
                try session.evaluate([next], logits: .last)
            }
            let genSeconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            if rep > 0 {  // rep 0 warms caches and page-ins
                pp.append(Double(promptTokens) / promptSeconds)
                tg.append(Double(genTokens) / genSeconds)
            }
        }
        let ppMedian = median(pp), tgMedian = median(tg)
        if json {
            try JSONOutput.print(Report(ppTokensPerS: rounded(ppMedian), tgTokensPerS: rounded(tgMedian), promptTokens: promptTokens,
                                        genTokens: genTokens, threads: threads, repetitions: repetitions))
        } else {
            print("pp \(rounded(ppMedian)) tokens/s (\(promptTokens)-token prompt), tg \(rounded(tgMedian)) tokens/s (\(genTokens) tokens), \(threads) threads, median of \(repetitions)")
        }
    }

    private func median(_ v: [Double]) -> Double {
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    private func rounded(_ x: Double) -> Double { (x * 10).rounded() / 10 }
}
