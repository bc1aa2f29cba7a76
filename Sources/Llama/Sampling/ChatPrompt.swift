import GGUF

/// Wraps a user message in a model's chat format, recognised from its
/// `tokenizer.chat_template` (the Jinja template itself is not interpreted).
public enum ChatPrompt {
    /// The prompt text for a single user turn followed by the assistant's turn opening, or an
    /// error naming what was found when the template is of an unknown family.
    public static func userTurn(_ message: String, file: GGUFFile) throws(LlamaError) -> String {
        let template = file.string("tokenizer.chat_template") ?? ""
        switch ChatTemplate.Family(templateText: template) {
        case .chatML:
            return "<|im_start|>user\n\(message)<|im_end|>\n<|im_start|>assistant\n"
        case .llama3:
            return "<|start_header_id|>user<|end_header_id|>\n\n\(message)<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
        case .llama2:
            return "[INST] \(message) [/INST]"
        case nil:
            break
        }
        throw LlamaError(.badMetadata("tokenizer.chat_template"), path: file.path,
                         detail: template.isEmpty
                            ? "the file has no tokenizer.chat_template; run without --chat and format the prompt yourself"
                            : "unrecognised chat template (known: ChatML, Llama 3, [INST]); run without --chat and format the prompt yourself")
    }
}
