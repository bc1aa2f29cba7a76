import Corrector
import Foundation
import Testing

/// Each step of the documented rule: flag → environment → per-user data directory →
/// developer checkout → the data directory's path.
@Suite struct DefaultLocationsTests {
    /// A fake home, data directory and checkout with a binary inside its .build.
    struct Layout {
        var root: URL
        var home: URL { root.appendingPathComponent("home") }
        var checkout: URL { root.appendingPathComponent("checkout") }
        var binary: String { checkout.appendingPathComponent(".build/x86_64-unknown-linux-gnu/debug/atcfix").path }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("atcfix-locations-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: checkout.appendingPathComponent(".build/x86_64-unknown-linux-gnu/debug"),
                                                    withIntermediateDirectories: true)
            try Data().write(to: checkout.appendingPathComponent("Package.swift"))
        }

        func makeIndex(in base: URL) throws {
            let directory = base.appendingPathComponent("indexes/default")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data("x".utf8).write(to: directory.appendingPathComponent("phrases.sqlite"))
        }

        func makeModel(in base: URL) throws {
            let directory = base.appendingPathComponent("models")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data("x".utf8).write(to: directory.appendingPathComponent("SmolLM2-135M-Instruct.Q4_1.gguf"))
        }

        func locations(_ environment: [String: String] = [:], binary: String? = nil) -> DefaultLocations {
            DefaultLocations(environment: environment, homeDirectory: home.path, executablePath: binary ?? self.binary)
        }
    }

    @Test func dataDirectoryIsDataDirVariableThenXDGThenLocalShare() throws {
        let layout = try Layout()
        #expect(layout.locations(["ATCFIX_DATA_DIR": "/d", "XDG_DATA_HOME": "/x"]).dataDirectory.path == "/d")
        #expect(layout.locations(["XDG_DATA_HOME": "/x"]).dataDirectory.path == "/x/atcfix")
        #expect(layout.locations(["XDG_DATA_HOME": ""]).dataDirectory.path == layout.home.path + "/.local/share/atcfix")
    }

    @Test func flagWinsOverEverything() throws {
        let layout = try Layout()
        try layout.makeIndex(in: layout.home.appendingPathComponent(".local/share/atcfix"))
        let resolved = layout.locations(["ATCFIX_INDEX": "/env/index"]).index(flag: "/flag/index")
        #expect(resolved == .init(path: "/flag/index", source: .flag))
        #expect(layout.locations(["ATCFIX_MODEL": "/env/m.gguf"]).model(flag: "/flag/m.gguf").path == "/flag/m.gguf")
    }

    @Test func environmentWinsOverDataDirectoryAndCheckout() throws {
        let layout = try Layout()
        try layout.makeIndex(in: layout.home.appendingPathComponent(".local/share/atcfix"))
        try layout.makeModel(in: layout.checkout)
        #expect(layout.locations(["ATCFIX_INDEX": "/env/index"]).index() == .init(path: "/env/index", source: .environment))
        #expect(layout.locations(["ATCFIX_MODEL": "/env/m.gguf"]).model() == .init(path: "/env/m.gguf", source: .environment))
    }

    @Test func dataDirectoryWinsOverCheckoutWhenItHoldsTheFile() throws {
        let layout = try Layout()
        let data = layout.root.appendingPathComponent("data")
        try layout.makeIndex(in: data)
        try layout.makeIndex(in: layout.checkout)
        try layout.makeModel(in: data)
        let locations = layout.locations(["ATCFIX_DATA_DIR": data.path])
        #expect(locations.index() == .init(path: data.path + "/indexes/default", source: .dataDirectory))
        #expect(locations.model() == .init(path: data.path + "/models/SmolLM2-135M-Instruct.Q4_1.gguf", source: .dataDirectory))
    }

    @Test func checkoutIsUsedWhenTheDataDirectoryIsEmpty() throws {
        let layout = try Layout()
        try layout.makeIndex(in: layout.checkout)
        try layout.makeModel(in: layout.checkout)
        let locations = layout.locations()
        #expect(locations.checkout?.path == layout.checkout.path)
        #expect(locations.index() == .init(path: layout.checkout.path + "/indexes/default", source: .checkout))
        #expect(locations.model() == .init(path: layout.checkout.path + "/models/SmolLM2-135M-Instruct.Q4_1.gguf", source: .checkout))
    }

    @Test func aBinaryOutsideACheckoutHasNone() throws {
        let layout = try Layout()
        try layout.makeIndex(in: layout.checkout)
        // Copied elsewhere: no .build on its path.
        #expect(layout.locations(binary: layout.root.appendingPathComponent("bin/atcfix").path).checkout == nil)
        // A .build folder without a Package.swift beside it is not a checkout.
        try FileManager.default.removeItem(at: layout.checkout.appendingPathComponent("Package.swift"))
        #expect(layout.locations().checkout == nil)
    }

    @Test func withNothingAnywhereTheDataDirectoryPathIsGiven() throws {
        let layout = try Layout()
        let locations = layout.locations(binary: "/usr/local/bin/atcfix")
        let expected = layout.home.path + "/.local/share/atcfix/indexes/default"
        #expect(locations.index() == .init(path: expected, source: .fallback))
        #expect(locations.model().path == layout.home.path + "/.local/share/atcfix/models/SmolLM2-135M-Instruct.Q4_1.gguf")
    }

    @Test func anEmptyIndexDirectoryDoesNotCount() throws {
        let layout = try Layout()
        // The data directory has indexes/default but no phrases.sqlite in it (a failed build).
        try FileManager.default.createDirectory(
            at: layout.home.appendingPathComponent(".local/share/atcfix/indexes/default"), withIntermediateDirectories: true)
        try layout.makeIndex(in: layout.checkout)
        #expect(layout.locations().index().source == .checkout)
    }
}
