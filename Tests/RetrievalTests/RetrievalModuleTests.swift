import Testing
@testable import Retrieval

@Test func moduleLinks() {
    #expect(RetrievalModule.name == "Retrieval")
}
