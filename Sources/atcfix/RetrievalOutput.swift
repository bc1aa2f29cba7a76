import Retrieval

/// What retrieval found for one transcript, as `retrieve --json` and `correct --json` print it.
struct RetrievalOutput: Encodable {
    struct Exemplar: Encodable {
        var text: String
        var canonical: String
        var score: Double?
        var source: String
    }

    struct Callsign: Encodable {
        var telephony: String
        var flightNumber: String
        var spoken: String
        var score: Double?
    }

    struct Pair: Encodable {
        var hypothesis: String
        var reference: String
        var occurrences: Int
    }

    var exemplars: [Exemplar]
    var callsigns: [Callsign]
    var pairs: [Pair]
    var note: String?

    init(_ result: RetrievalResult) {
        exemplars = result.hits.map {
            Exemplar(text: $0.text, canonical: $0.canonical.text, score: JSONOutput.score($0.score),
                     source: $0.source.rawValue)
        }
        callsigns = result.callsigns.map {
            Callsign(telephony: $0.telephony, flightNumber: $0.flightNumber, spoken: $0.spoken, score: JSONOutput.score($0.score))
        }
        pairs = result.pairs.map {
            Pair(hypothesis: $0.hypothesisCanonical, reference: $0.referenceCanonical, occurrences: $0.occurrences)
        }
        note = result.note
    }
}
