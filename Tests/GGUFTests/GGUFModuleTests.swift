import Testing
@testable import GGUF

@Test func moduleLinks() {
    #expect(GGUFModule.name == "GGUF")
}
