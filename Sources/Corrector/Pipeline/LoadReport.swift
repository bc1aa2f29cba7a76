import Foundation
import Retrieval

/// What ``CorrectionEngine/open(index:options:)`` loaded and how long it took, so a front end
/// can say so once.
public struct LoadReport: Sendable, Equatable {
    /// The language model, when one was loaded.
    public struct Model: Sendable, Equatable {
        /// Its file.
        public var path: String
        /// Seconds to load it.
        public var seconds: Double
        /// How it is used.
        public var use: CorrectionEngine.Options.LanguageModel.Use
        /// The prompt layout in use.
        public var promptFormat: CorrectionPrompt.Format
        /// Tokens of the fixed prompt head evaluated once per session.
        public var fixedPrefixTokens: Int
    }

    /// The index directory.
    public var index: URL
    /// Seconds to open the index (channel model, retriever, context list).
    public var seconds: Double
    /// Words the n-gram prior knows.
    public var vocabularySize: Int
    /// Noisy pairs the confusion table was learnt from.
    public var noisyPairs: Int
    /// The retrieval mode in use (nil for none).
    public var retrieval: RetrievalMode?
    /// Whether retrieved pairs bias the decoder.
    public var usesPairs: Bool
    /// Context entries in use.
    public var contextEntries: Int
    /// The model stage, or nil.
    public var model: Model?
    /// Things worth knowing (a default that fell back), one sentence each.
    public var notes: [String]

    /// The report as lines for standard error: notes first, then one line per component,
    /// each naming its file once.
    public var lines: [String] {
        var lines = notes.map { "note: " + $0 }
        var details = "\(vocabularySize) words, \(noisyPairs) noisy pairs; retrieval \(retrieval?.rawValue ?? "none")"
        if retrieval != nil, usesPairs { details += " with pairs" }
        if contextEntries > 0 { details += ", \(contextEntries) context entries" }
        lines.append("loaded index \(index.path) in \(String(format: "%.1f", seconds)) s (\(details))")
        if let model {
            lines.append("loaded \(model.path) in \(String(format: "%.1f", model.seconds)) s "
                + "(\(model.use.rawValue), \(model.promptFormat.rawValue) prompt, fixed prefix \(model.fixedPrefixTokens) tokens)")
        }
        return lines
    }
}
