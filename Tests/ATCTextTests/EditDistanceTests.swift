import ATCText
import Testing

/// The edit distance against the textbook recursive definition (memoised), on hand-checked
/// pairs and on random short strings over a small alphabet (so that matches are frequent).
@Suite struct EditDistanceTests {
    /// The recursive definition: the cheapest of deleting a's last element, inserting b's, or
    /// substituting (free when they are equal).
    static func bruteForce<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
        var memo: [Int: Int] = [:]
        func d(_ i: Int, _ j: Int) -> Int {
            if i == 0 { return j }
            if j == 0 { return i }
            if let known = memo[i * 1000 + j] { return known }
            let value = min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + (a[i - 1] == b[j - 1] ? 0 : 1))
            memo[i * 1000 + j] = value
            return value
        }
        return d(a.count, b.count)
    }

    /// A small deterministic generator for the random cases (xorshift64*).
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return Int((state &* 2_685_821_657_736_338_717) >> 33) % bound
        }
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func handCheckedPairs() {
        #expect(EditDistance.levenshtein(Self.bytes("kitten"), Self.bytes("sitting")) == 3)
        #expect(EditDistance.levenshtein(Self.bytes("flaw"), Self.bytes("lawn")) == 2)
        #expect(EditDistance.levenshtein(Self.bytes(""), Self.bytes("abc")) == 3)
        #expect(EditDistance.levenshtein(Self.bytes("abc"), Self.bytes("")) == 3)
        #expect(EditDistance.levenshtein(Self.bytes("same"), Self.bytes("same")) == 0)
        // d sign → descend: space→e, i→c, g→e, insert d (4 edits).
        #expect(EditDistance.levenshtein(Self.bytes("d sign"), Self.bytes("descend")) == 4)
        #expect(EditDistance.levenshtein(["descend", "flight", "level"], ["d", "sign", "flight", "level"]) == 2)
        #expect(EditDistance.normalized(Self.bytes("kitten"), Self.bytes("sitting")) == 3.0 / 7.0)
        #expect(EditDistance.normalized([], []) == 0)
        #expect(EditDistance.normalized([], Self.bytes("a")) == 1)
        #expect(EditDistance.similarity(Self.bytes("abc"), Self.bytes("abd")) == 1 - 1.0 / 3)
        #expect(EditDistance.similarity([], Self.bytes("abc")) == 0)
        #expect(EditDistance.similarity([], []) == 0)
    }

    @Test func boundedGivesUpExactlyAboveTheBound() {
        #expect(EditDistance.levenshtein(Self.bytes("kitten"), Self.bytes("sitting"), maxEdits: 3) == 3)
        #expect(EditDistance.levenshtein(Self.bytes("kitten"), Self.bytes("sitting"), maxEdits: 2) == nil)
        #expect(EditDistance.levenshtein(Self.bytes("a"), Self.bytes("abcd"), maxEdits: 2) == nil)   // length gap alone
        #expect(EditDistance.levenshtein(Self.bytes("ab"), Self.bytes("ab"), maxEdits: 0) == 0)
        #expect(EditDistance.levenshtein(Self.bytes("ab"), Self.bytes("ab"), maxEdits: -1) == nil)
        #expect(EditDistance.normalized(Self.bytes("kitten"), Self.bytes("sitting"), limit: 0.45) == 3.0 / 7.0)
        #expect(EditDistance.normalized(Self.bytes("kitten"), Self.bytes("sitting"), limit: 0.4) == nil)   // ⌊2.8⌋ = 2 edits
        #expect(EditDistance.normalized([], Self.bytes("ab"), limit: 1) == 1)
        #expect(EditDistance.normalized([], Self.bytes("ab"), limit: 0.99) == nil)
        #expect(EditDistance.normalized([], [], limit: 0) == 0)
    }

    @Test func everyVariantAgreesWithTheRecursiveDefinition() {
        var generator = Generator(state: 0x9E37_79B9_7F4A_7C15)
        for _ in 0..<2_000 {
            let a = (0..<generator.next(9)).map { _ in UInt8(97 + generator.next(4)) }
            let b = (0..<generator.next(9)).map { _ in UInt8(97 + generator.next(4)) }
            let expected = Self.bruteForce(a, b)
            #expect(EditDistance.levenshtein(a, b) == expected)
            #expect(EditDistance.levenshtein(a.map { Character(UnicodeScalar($0)) }, b.map { Character(UnicodeScalar($0)) })
                == expected)
            let bound = generator.next(6)
            #expect(EditDistance.levenshtein(a, b, maxEdits: bound) == (expected <= bound ? expected : nil))
            let longest = max(a.count, b.count)
            let normalized = longest == 0 ? 0 : Double(expected) / Double(longest)
            #expect(EditDistance.normalized(a, b) == normalized)
            let limit = Double(generator.next(11)) / 10
            let allowed = Int((limit * Double(longest)).rounded(.down))
            #expect(EditDistance.normalized(a, b, limit: limit) == (expected <= allowed ? normalized : nil))
        }
    }
}
