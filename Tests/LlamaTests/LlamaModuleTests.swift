import Testing
@testable import Llama

@Test func moduleLinks() {
    #expect(LlamaModule.name == "Llama")
}
