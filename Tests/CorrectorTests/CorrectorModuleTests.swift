import Testing
@testable import Corrector

@Test func moduleLinks() {
    #expect(CorrectorModule.name == "Corrector")
}
