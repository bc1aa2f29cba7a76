import GGUF

/// The text the language model reads before a correction: a fixed instruction (evaluated once
/// and reused for every transcript), retrieved noisy → clean examples as earlier turns, then
/// the transcript; the correction follows as the model's reply.
public struct CorrectionPrompt: Sendable, Equatable {
    /// The instruction every prompt starts with.
    public static let standardInstruction = """
        You correct speech-recognition transcripts of air traffic control radio calls. \
        Reply with what was actually said, in lowercase standard phraseology: airline \
        callsigns, flight levels, headings, frequencies and waypoint names.
        """

    /// Turn markup.
    public var format: Format
    /// The fixed instruction.
    public var instruction: String

    /// A prompt in `format` with `instruction`.
    public init(format: Format, instruction: String = CorrectionPrompt.standardInstruction) {
        self.format = format
        self.instruction = instruction
    }

    /// ChatML when the file's chat template uses it, plain lines otherwise.
    public static func format(for file: GGUFFile) -> Format {
        ChatTemplate.Family(templateText: file.string("tokenizer.chat_template") ?? "") == .chatML ? .chatML : .plain
    }

    /// The fixed part, identical for every transcript (its evaluated state is shared).
    public var fixedPrefix: String {
        switch format {
        case .chatML: "<|im_start|>system\n\(instruction)<|im_end|>\n"
        case .plain: "\(instruction)\n\n"
        case .prior: "Air traffic control radio messages, one per line:\n"
        }
    }

    /// The part that changes per transcript: the examples as earlier turns, then the
    /// transcript, ending where the reply starts.
    public func query(examples: [Example], heard: String) -> String {
        if format == .prior { return examples.map { $0.said + "\n" }.joined() }
        var text = ""
        for example in examples { text += turn(heard: example.heard) + example.said + replyEnd }
        return text + turn(heard: heard)
    }

    /// The text of a reply, as the model would write it after ``query(examples:heard:)``.
    public func reply(_ corrected: String) -> String {
        switch format {
        case .chatML: corrected + replyEnd
        case .plain: " " + corrected + replyEnd
        case .prior: corrected + replyEnd
        }
    }

    /// The part of a reply whose probability judges it: the words and the end-of-turn marker
    /// (so a candidate that stops early pays for stopping), without the newline after it.
    public func scoredReply(_ corrected: String) -> String {
        switch format {
        case .chatML: corrected + "<|im_end|>"
        case .plain: " " + corrected + "\n"
        case .prior: corrected + "\n"
        }
    }

    /// What closes a reply.
    public var replyEnd: String {
        switch format {
        case .chatML: "<|im_end|>\n"
        case .plain, .prior: "\n"
        }
    }

    private func turn(heard: String) -> String {
        switch format {
        case .chatML: "<|im_start|>user\n\(heard)<|im_end|>\n<|im_start|>assistant\n"
        case .plain: "heard: \(heard)\nsaid:"
        case .prior: ""
        }
    }
}
