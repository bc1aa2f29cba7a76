import ArgumentParser
import CSVIO
import Foundation
import PhraseStore

/// The exit codes and the one-line messages of failed commands.
///
/// 0 ok; 1 runtime error (a write failed, a model could not run); 2 bad input (a file, row or
/// field that cannot be used); 64 usage (bad flags or values — ArgumentParser's own code).
enum CommandFailure {
    static let runtimeError: Int32 = 1
    static let badInput: Int32 = 2
    static let usage: Int32 = ExitCode.validationFailure.rawValue

    /// Prints `error` as `atcfix COMMAND: message` and exits with its code. Errors
    /// ArgumentParser knows (usage, help, `ExitCode`) are left to it.
    static func exit(with error: any Error) -> Never {
        // ArgumentParser's own errors (help, usage, CleanExit, ExitCode), some internal to it.
        if error is ExitCode || error is ValidationError || error is CleanExit
            || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
            ATCFix.exit(withError: error)
        }
        let (message, code) = describe(error)
        FileHandle.standardError.write(Data("atcfix \(commandPath()): \(message)\n".utf8))
        Foundation.exit(code)
    }

    /// The message and exit code of a failure.
    static func describe(_ error: any Error) -> (String, Int32) {
        switch error {
        case let error as CSVError:
            switch error.kind {
            case .cannotWrite: return (error.description, runtimeError)
            case .refused: return (error.description, usage)
            default: return (error.description, badInput)
            }
        case let error as PhraseStoreError:
            return (error.description, badInput)
        case let error as FileFailure:
            return (error.description, error.isWrite ? runtimeError : badInput)
        case let error as BadInput:
            return (error.description, badInput)
        case let error as CocoaError:
            let failure = FileFailure(error)
            return (failure.description, failure.isWrite ? runtimeError : badInput)
        default:
            let text = "\(error)"
            // Library file-format errors (HNSW, GGUF) describe the file they are about.
            let name = String(describing: type(of: error))
            let isFormatError = ["HNSWError", "GGUFError", "TokenizerError", "IndexError", "RetrievalError", "ContextError"].contains(name)
            return (text, isFormatError ? badInput : runtimeError)
        }
    }

    /// `index build`, `batch`, …: the subcommand words given on the command line.
    static func commandPath() -> String {
        var words: [String] = []
        var commands: [any ParsableCommand.Type] = ATCFix.configuration.subcommands
        for argument in CommandLine.arguments.dropFirst() {
            guard let match = commands.first(where: { $0.configuration.commandName == argument }) else { break }
            words.append(argument)
            commands = match.configuration.subcommands
        }
        return words.joined(separator: " ")
    }
}

/// Input that cannot be used (exit code 2), with a message naming it and what to do.
struct BadInput: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
