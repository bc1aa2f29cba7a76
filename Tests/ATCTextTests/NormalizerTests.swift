import Testing
@testable import ATCText

/// One hand-written case per rule of the canonical form; expected strings are written out by
/// hand from the rules in issue 3, never produced by the normaliser.
@Suite struct NormalizerTests {
    @Test(arguments: [
        ("Dinkelsbühl", "dinkelsbuhl"),
        ("Zürich Genève", "zurich geneve"),
        ("Straße Øresund Łódź", "strasse oresund lodz"),
        ("ruzyně rzhnět", "ruzyne rzhnet"),
        ("مرحبا hello Привет", "hello"),  // no Latin reading: dropped
        ("radar\u{00A0}contact", "radar contact"),  // a no-break space still separates
    ])
    func foldsUnicodeToASCII(input: String, expected: String) {
        #expect(ATCNormalizer.canonical(input) == expected)
    }

    @Test func lowercases() {
        #expect(ATCNormalizer.canonical("LUFTHANSA Descend") == "lufthansa descend")
    }

    @Test(arguments: [
        (" Contact Milan, goodbye.", "contact milan good bye"),
        ("Roger! Say again?", "roger say again"),
        ("(standby) \"cleared\"; ok...", "standby cleared ok"),
        ("that's I'll", "thats ill"),  // apostrophes are deleted, not separators
        ("that\u{2019}s", "thats"),  // so are typographic ones
        ("good-bye", "good bye"),  // other hyphens separate
        ("re-cleared", "re cleared"),
        ("", ""),
        ("  ,.  ", ""),
    ])
    func dropsPunctuation(input: String, expected: String) {
        #expect(ATCNormalizer.canonical(input) == expected)
    }

    @Test(arguments: [("X-ray", "xray"), ("x-ray", "xray"), ("via xray", "via xray"), ("box-ray", "box ray")])
    func joinsXRay(input: String, expected: String) {
        #expect(ATCNormalizer.canonical(input) == expected)
    }

    @Test(arguments: [
        ("csa1", "csa 1"),
        ("26R", "2 6 r"),
        ("CSA1 Delta", "csa 1 delta"),
        ("runway 08L", "runway 0 8 l"),
        ("a1b2", "a 1 b 2"),
    ])
    func splitsLettersFromDigits(input: String, expected: String) {
        #expect(ATCNormalizer.canonical(input) == expected)
    }

    @Test(arguments: [
        ("132.4", "1 3 2 decimal 4"),
        ("Rhein 134.625.", "rhein 1 3 4 decimal 6 2 5"),
        ("level 5.", "level 5"),  // a sentence end after a digit is not a decimal point
        (".5", "5"),
        ("end. 4", "end 4"),
    ])
    func decimalPointBetweenDigits(input: String, expected: String) {
        #expect(ATCNormalizer.canonical(input) == expected)
    }

    @Test(arguments: [
        ("zero one two three four five six seven eight nine", "0 1 2 3 4 5 6 7 8 9"),
        ("tree fife niner", "3 5 9"),
        ("two five zero", "2 5 0"),  // units stay single digits
        ("three thousand two hundred", "3 2 0 0"),
        ("flight level one hundred", "flight level 1 0 0"),
        ("twenty five", "2 5"),
        ("twenty", "2 0"),
        ("ten degrees", "1 0 degrees"),
        ("eleven twelve nineteen", "1 1 1 2 1 9"),
        ("fifteen hundred feet", "1 5 0 0 feet"),  // teen times hundred
        ("one thousand five hundred", "1 5 0 0"),
        ("four thousand seven hundred", "4 7 0 0"),
        ("four seven hundred", "4 7 0 0"),  // 4, then 700
        ("two hundred fifty", "2 5 0"),
        ("one hundred five", "1 0 5"),  // a unit ending the run continues the cardinal
        ("three hundred one two zero", "3 0 0 1 2 0"),  // a unit followed by digits does not
        ("a thousand feet", "a 1 0 0 0 feet"),
        ("hundred", "1 0 0"),
        ("one hundred thousand", "1 0 0 0 0 0"),
        ("twenty zero", "2 0 0"),  // "twenty zero" is not 20 + 0 read as one number
        ("forty four", "4 4"),
    ])
    func numberWordsBecomeDigits(input: String, expected: String) {
        #expect(ATCNormalizer.canonical(input) == expected)
    }

    @Test(arguments: [("4091", "4 0 9 1"), ("squawk 7000", "squawk 7 0 0 0"), ("1,000", "1 0 0 0")])
    func digitStringsOneTokenPerDigit(input: String, expected: String) {
        #expect(ATCNormalizer.canonical(input) == expected)
    }

    @Test(arguments: [
        ("Alpha", "alfa"),
        ("juliet", "juliett"),
        ("Okay", "ok"),
        ("Goodbye", "good bye"),
        ("FL270", "flight level 2 7 0"),
        ("fl 270", "flight level 2 7 0"),
        ("alphabet", "alphabet"),  // whole words only
    ])
    func unifiesSpellingVariants(input: String, expected: String) {
        #expect(ATCNormalizer.canonical(input) == expected)
    }

    /// The point of the canonical form: what the references and Whisper write differently
    /// compares equal.
    @Test(arguments: [
        ("lufthansa four three nine three descend to flight level two seven zero",
         " Lufthansa 4393, descend to FL270."),
        ("contact zurich one three four decimal six", "Contact Zurich 134.6"),
        ("climb with one thousand five hundred feet", "climb with 1500 feet"),
        ("contact milan one three four five two good bye", " Contact Milan 13452, goodbye."),
        ("via alfa xray juliett", "via Alpha X-ray Juliet"),
    ])
    func referenceAndWhisperAgree(reference: String, whisper: String) {
        #expect(ATCNormalizer.canonicalTokens(reference) == ATCNormalizer.canonicalTokens(whisper))
    }

    @Test func canonicalJoinsTokensWithOneSpace() {
        #expect(ATCNormalizer.canonicalTokens("Hello,  World 12") == ["hello", "world", "1", "2"])
        #expect(ATCNormalizer.canonical("Hello,  World 12") == "hello world 1 2")
    }

    @Test(arguments: [
        ("lufthansa four three nine three descend flight level two seven zero",
         "lufthansa 4393 descend flight level 270"),
        ("Contact Rhein one three two decimal four", "contact rhein 132.4"),
        ("Alpha Juliet", "alfa juliett"),
        ("climb fifteen hundred feet", "climb 1500 feet"),
        ("decimal", "decimal"),  // not between digits: stays a word
        ("1 2 decimal", "12 decimal"),
        ("one decimal two decimal three", "1.2 decimal 3"),  // one dot per number
        ("squawk 7 0 0 0 good bye", "squawk 7000 good bye"),
    ])
    func readableForm(input: String, expected: String) {
        #expect(ATCNormalizer.readable(input) == expected)
    }

    @Test func digitTokenTest() {
        #expect(ATCNormalizer.isDigitToken("7"))
        #expect(!ATCNormalizer.isDigitToken("77"))
        #expect(!ATCNormalizer.isDigitToken("a"))
        #expect(!ATCNormalizer.isDigitToken(""))
    }
}
