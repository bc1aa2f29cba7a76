import Llama

/// A session lent to one request at a time. The pool's mutex hands each lease to a single
/// borrower, so the non-`Sendable` session is never used from two threads at once.
final class PooledSession: @unchecked Sendable {
    let session: LlamaSession
    init(_ session: LlamaSession) { self.session = session }
}
