/// How ATC speaks numbers and letters (ICAO Doc 9432 conventions, as the ATCOSIM references
/// write them): digit by digit, `decimal` for the point, ICAO spelling alphabet for letters.
public enum SpokenNumbers {
    /// The digit words `zero` … `nine`.
    public static let digitWords = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

    /// The ICAO spelling alphabet, A to Z, in the spellings the canonical form uses.
    public static let letterWords = [
        "alfa", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett",
        "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
        "uniform", "victor", "whiskey", "xray", "yankee", "zulu",
    ]

    /// The letter a spelling-alphabet word stands for; also accepts `fox` (a common short
    /// form of `foxtrot` in the ATCOSIM references) and `whisky`.
    public static let letterForWord: [String: Character] = {
        var table: [String: Character] = [:]
        for (index, word) in letterWords.enumerated() {
            table[word] = Character(Unicode.Scalar(UInt8(ascii: "A") + UInt8(index)))
        }
        table["fox"] = "F"
        table["whisky"] = "W"
        return table
    }()

    /// `digits` ("270") spoken digit by digit ("two seven zero").
    public static func digits(_ digits: String) -> String {
        digits.compactMap { $0.wholeNumberValue.map { digitWords[$0] } }.joined(separator: " ")
    }

    /// A number padded to `width` digits and spoken digit by digit.
    public static func digits(_ value: Int, width: Int) -> String {
        var text = String(value)
        while text.count < width { text = "0" + text }
        return digits(text)
    }

    /// An alphanumeric string ("D-EABC", "HB-XYZ", "N123AB") spoken in ICAO words.
    public static func spelled(_ text: String) -> String {
        text.compactMap { character -> String? in
            if let digit = character.wholeNumberValue { return digitWords[digit] }
            guard let ascii = character.asciiValue, character.isLetter else { return nil }
            let upper = ascii & ~0x20
            return letterWords[Int(upper - UInt8(ascii: "A"))]
        }.joined(separator: " ")
    }

    /// A VHF channel, given in kHz (132400), spoken the ICAO way for the 25 kHz grid: all six
    /// digits, except that when the last two are zero only the first decimal is said
    /// (132.400 → "one three two decimal four", 127.375 → "one two seven decimal three seven five").
    public static func frequency(kHz: Int) -> String {
        let megahertz = kHz / 1000
        let fraction = kHz % 1000
        let decimals = fraction % 100 == 0 ? String(fraction / 100) : pad(fraction, 3)
        return digits(String(megahertz)) + " decimal " + digits(decimals)
    }

    /// An altitude in feet spoken with `thousand` and `hundred` (3500 → "three thousand five
    /// hundred"), the way ICAO speaks altitudes.
    public static func altitude(feet: Int) -> String {
        var words: [String] = []
        let thousands = feet / 1000
        let hundreds = (feet % 1000) / 100
        if thousands >= 10 {
            words.append(digits(String(thousands)))
        } else if thousands > 0 {
            words.append(digitWords[thousands])
        }
        if thousands > 0 { words.append("thousand") }
        if hundreds > 0 { words += [digitWords[hundreds], "hundred"] }
        return words.joined(separator: " ")
    }

    /// A small cardinal (0 … 99) as English number words ("five", "one five" is not used:
    /// minutes and miles are said as words, "fifteen").
    public static func cardinal(_ value: Int) -> String {
        let ones = digitWords
        let teens = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
        let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
        if value < 10 { return ones[value] }
        if value < 20 { return teens[value - 10] }
        return value % 10 == 0 ? tens[value / 10] : tens[value / 10] + " " + ones[value % 10]
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        var text = String(value)
        while text.count < width { text = "0" + text }
        return text
    }
}
