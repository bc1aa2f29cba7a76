import Testing
@testable import CSVIO

@Test func moduleLinks() {
    #expect(CSVIOModule.name == "CSVIO")
}
