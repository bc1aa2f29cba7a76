import Foundation

/// One turn of a conversation.
public struct ChatMessage: Sendable, Equatable {
    /// `system`, `user` or `assistant`.
    public var role: String
    /// The text of the turn.
    public var content: String

    /// Creates a message.
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// The prompt formats in play, chosen from a model's `tokenizer.chat_template` text the way
/// llama.cpp's `llm_chat_detect_template` does, and rendered in code (no template engine).
public enum ChatTemplate: Sendable, Equatable {
    /// `<|im_start|>role\ncontent<|im_end|>\n` per turn (SmolLM2, Qwen). When the template inserts a
    /// default system prompt for conversations that lack one (SmolLM2 does), it is kept here.
    case chatML(defaultSystemPrompt: String?)
    /// Llama 2 `[INST]` format. `systemBlock`: the template knows `<<SYS>>`; `bosInHistory`: later
    /// turns start with `<s>`; `stripContent`: message text is trimmed.
    case llama2(systemBlock: Bool, bosInHistory: Bool, stripContent: Bool)

    /// The chat layouts recognised in a template text: the one place that tells them apart
    /// (the prompt renderer here, `ChatPrompt` in Llama and the corrector's prompt all ask it).
    public enum Family: Sendable, Equatable, CaseIterable {
        /// `<|im_start|>` turns (SmolLM2, Qwen).
        case chatML
        /// `<|start_header_id|>` turns (Llama 3).
        case llama3
        /// `[INST]` turns (Llama 2, Mistral).
        case llama2

        /// The family a template text belongs to, or nil when it is none of these. Tested in
        /// this order, as llama.cpp's `llm_chat_detect_template` does.
        public init?(templateText: String) {
            if templateText.contains("<|im_start|>") {
                self = .chatML
            } else if templateText.contains("<|start_header_id|>") {
                self = .llama3
            } else if templateText.contains("[INST]") {
                self = .llama2
            } else {
                return nil
            }
        }
    }

    /// The format a template text asks for, or nil when it is neither ChatML nor Llama 2.
    public init?(templateText: String) {
        switch Family(templateText: templateText) {
        case .chatML:
            self = .chatML(defaultSystemPrompt: Self.defaultSystemPrompt(in: templateText))
        case .llama2:
            self = .llama2(systemBlock: templateText.contains("<<SYS>>"),
                           bosInHistory: templateText.contains("bos_token + '[INST]"),
                           stripContent: templateText.contains("content.strip()"))
        case .llama3, nil:
            return nil
        }
    }

    /// The format of `file` (from `tokenizer.chat_template`); without a template, ChatML when the
    /// vocabulary has `<|im_start|>` and Llama 2 for SentencePiece `llama` vocabularies.
    public init?(file: GGUFFile) {
        if let text = file.string("tokenizer.chat_template") {
            self.init(templateText: text)
            return
        }
        if file.stringArray("tokenizer.ggml.tokens")?.contains("<|im_start|>") == true {
            self = .chatML(defaultSystemPrompt: nil)
        } else if file.string("tokenizer.ggml.model") == "llama" {
            self = .llama2(systemBlock: true, bosInHistory: false, stripContent: false)
        } else {
            return nil
        }
    }

    /// A literal system prompt that the template emits when the first message is not a system
    /// message: the text between `<|im_start|>system\n` and `<|im_end|>` inside a string literal.
    static func defaultSystemPrompt(in template: String) -> String? {
        guard template.contains("messages[0]['role'] != 'system'") || template.contains("messages[0].role != 'system'"),
              let open = template.range(of: "<|im_start|>system\n"),
              let close = template.range(of: "<|im_end|>", range: open.upperBound..<template.endIndex) else { return nil }
        let prompt = template[open.upperBound..<close.lowerBound]
        // A template expression (`{{ ... }}`, `' + ...`) means the system text is not a literal.
        if prompt.contains("{{") || prompt.contains("' +") || prompt.contains("{%") { return nil }
        return String(prompt)
    }

    /// Renders `messages` as prompt text; `addAssistantPrompt` opens the assistant's turn.
    /// The text contains control-token spellings, so tokenize it with `parseSpecial: true`.
    public func render(_ messages: [ChatMessage], addAssistantPrompt: Bool = true) -> String {
        switch self {
        case .chatML(let defaultSystemPrompt):
            var out = ""
            if let defaultSystemPrompt, messages.first?.role != "system" {
                out += "<|im_start|>system\n\(defaultSystemPrompt)<|im_end|>\n"
            }
            for m in messages {
                out += "<|im_start|>\(m.role)\n\(m.content)<|im_end|>\n"
            }
            if addAssistantPrompt { out += "<|im_start|>assistant\n" }
            return out
        case .llama2(let systemBlock, let bosInHistory, let stripContent):
            // llama.cpp's llama-2 rendering: the leading BOS comes from the tokenizer, turns after
            // an assistant answer reopen with [INST].
            var out = "[INST] "
            var insideTurn = true
            for m in messages {
                let content = stripContent ? m.content.trimmingSpaces() : m.content
                if !insideTurn {
                    insideTurn = true
                    out += bosInHistory ? "<s>[INST] " : "[INST] "
                }
                switch m.role {
                case "system":
                    out += systemBlock ? "<<SYS>>\n\(content)\n<</SYS>>\n\n" : "\(content)\n"
                case "user":
                    out += "\(content) [/INST]"
                default:
                    out += "\(content)</s>"
                    insideTurn = false
                }
            }
            return out
        }
    }
}

extension String {
    /// Trims ASCII whitespace at both ends (what Jinja's `strip()` does for prompt text).
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
