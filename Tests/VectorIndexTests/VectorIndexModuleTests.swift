import Testing
@testable import VectorIndex

@Test func moduleLinks() {
    #expect(VectorIndexModule.name == "VectorIndex")
}
