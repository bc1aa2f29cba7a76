import Testing
@testable import PhraseStore

@Test func moduleLinks() {
    #expect(PhraseStoreModule.name == "PhraseStore")
}
