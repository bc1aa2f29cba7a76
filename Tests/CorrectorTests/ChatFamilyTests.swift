import GGUF
import Testing
@testable import Corrector

/// The one chat-format detector, as the corrector's prompt and the renderers use it.
@Suite struct ChatFamilyTests {
    @Test func familiesAreToldApartByTheirMarkers() {
        #expect(ChatTemplate.Family(templateText: "{% for m in messages %}<|im_start|>{{ m.role }}{% endfor %}") == .chatML)
        #expect(ChatTemplate.Family(templateText: "<|start_header_id|>{{ role }}<|end_header_id|>") == .llama3)
        #expect(ChatTemplate.Family(templateText: "{{ bos_token + '[INST] ' + content + ' [/INST]' }}") == .llama2)
        #expect(ChatTemplate.Family(templateText: "{{ messages }}") == nil)
        #expect(ChatTemplate.Family(templateText: "") == nil)
        // ChatTemplate renders only the families it knows how to.
        #expect(ChatTemplate(templateText: "<|start_header_id|>") == nil)
    }

    @Test(.enabled(if: TestModel.available, "needs models/SmolLM2-135M-Instruct.Q4_1.gguf"))
    func smolLM2PromptIsChatML() throws {
        let file = try GGUFFile(path: TestModel.path)
        #expect(CorrectionPrompt.format(for: file) == .chatML)
        #expect(ChatTemplate(file: file).map { if case .chatML = $0 { true } else { false } } == true)
    }
}
