import ATCText

/// A word-level diff of two token sequences for terminals: removed words struck in red,
/// added words in green, or `[-old-]{+new+}` marks without colour.
enum WordDiff {
    static func render(from old: [String], to new: [String], colour: Bool) -> String {
        let removed = { (word: String) in colour ? "\u{1B}[31;9m\(word)\u{1B}[0m" : "[-\(word)-]" }
        let added = { (word: String) in colour ? "\u{1B}[32m\(word)\u{1B}[0m" : "{+\(word)+}" }
        return WordAligner.align(reference: new, hypothesis: old).map { op in
            switch op {
            case .match(let word): word
            case .substitute(let reference, let hypothesis): removed(hypothesis) + " " + added(reference)
            case .delete(let word): added(word)
            case .insert(let word): removed(word)
            }
        }.joined(separator: " ")
    }
}
