import Foundation

/// Writes one line to standard error: notes, progress and warnings, which must never mix
/// with the results on standard output (those are piped into other tools).
func standardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
