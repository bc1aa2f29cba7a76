import ATCText

/// The two sides of one alignment step, for cutting error regions out of an alignment.
extension AlignmentOp {
    var isMatch: Bool {
        if case .match = self { return true }
        return false
    }
    var hypothesisWord: String? {
        switch self {
        case .match(let word), .insert(let word): word
        case .substitute(_, let hypothesis): hypothesis
        case .delete: nil
        }
    }
    var referenceWord: String? {
        switch self {
        case .match(let word), .delete(let word): word
        case .substitute(let reference, _): reference
        case .insert: nil
        }
    }
}
