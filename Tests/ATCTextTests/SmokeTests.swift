import Testing
@testable import ATCText

@Test func smoke() {
    #expect(ATCNormalizer.canonical("Lufthansa 4393") == "lufthansa 4 3 9 3")
}
