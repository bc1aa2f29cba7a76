#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A small persistent pool that runs one job on all its threads at once and waits for it.
///
/// Decoding dispatches a few hundred short jobs per token, so waking threads must be cheap:
/// workers spin briefly on an atomic generation counter before sleeping on a condition
/// variable, and the caller's thread takes part as worker 0. Nothing is allocated per job.
public final class WorkerPool: @unchecked Sendable {
    // Safety: `job` is written only by the dispatching thread before it publishes a new
    // generation (release) and read by workers after observing it (acquire); `run` does not
    // return until every worker has finished, so the non-escaping job outlives all uses.

    /// Threads taking part in each job, the caller's included.
    public let threadCount: Int

    private let generation = Atomic<Int>(0)
    private let remaining = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let nextChunk = Atomic<Int>(0)
    /// Workers blocked (or about to block) on the condition variable: a dispatch takes the
    /// mutex and broadcasts only when one is, so jobs reaching spinning workers cost no lock.
    private let sleepers = Atomic<Int>(0)
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var job: ((Int) -> Void)?
    private var threads: [pthread_t] = []
    private let dispatchLock = Mutex<Void>(())

    /// Spin iterations before a worker goes to sleep (~tens of microseconds): long enough to
    /// bridge the gap between the matrix products of one token, short enough not to burn a
    /// shared core between requests.
    private static let spinLimit = 20_000

    /// A pool of `threadCount` threads (at least 1; 1 runs everything on the caller).
    public init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        for index in 1..<self.threadCount {
            let box = Unmanaged.passRetained(WorkerStart(pool: self, index: index))
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let start = Unmanaged<WorkerStart>.fromOpaque(raw!).takeRetainedValue()
                start.pool.workerLoop(start.index)
                return nil
            }, box.toOpaque())
            precondition(status == 0, "pthread_create failed with \(status)")
            threads.append(thread)
        }
    }

    deinit {
        stopping.store(true, ordering: .releasing)
        pthread_mutex_lock(mutex)
        generation.add(1, ordering: .releasing)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
        for thread in threads { pthread_join(thread, nil) }
        pthread_mutex_destroy(mutex); pthread_cond_destroy(condition)
        mutex.deallocate(); condition.deallocate()
    }

    /// Runs `body(worker)` once on each of the `threadCount` threads and returns when all are done.
    /// Concurrent callers are serialised.
    public func run(_ body: (Int) -> Void) {
        run(resettingChunks: false, body)
    }

    private func run(resettingChunks: Bool, _ body: (Int) -> Void) {
        if threadCount == 1 { body(0); return }
        dispatchLock.withLock { _ in
            // Inside the lock: another session sharing this pool may be mid-job.
            if resettingChunks { nextChunk.store(0, ordering: .relaxed) }
            withoutActuallyEscaping(body) { escapable in
                job = escapable
                remaining.store(threadCount - 1, ordering: .relaxed)
                // Sequentially consistent with the worker's `sleepers` increment: either the
                // worker sees the new generation before it waits, or we see it sleeping.
                generation.add(1, ordering: .sequentiallyConsistent)
                if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                    pthread_mutex_lock(mutex)
                    pthread_cond_broadcast(condition)
                    pthread_mutex_unlock(mutex)
                }
                escapable(0)
                var spins = 0
                while remaining.load(ordering: .acquiring) != 0 {
                    spins += 1
                    if spins > 1000 { sched_yield() }
                }
                job = nil
            }
        }
    }

    /// Runs `body(range)` over `0..<count` in chunks of `granularity` (or larger, about eight
    /// per thread) that the threads claim from a shared counter: a thread the scheduler delays
    /// on a busy machine simply claims fewer chunks instead of holding everyone up.
    public func forEachRange(_ count: Int, granularity: Int = 1, _ body: (Range<Int>) -> Void) {
        forEachChunk(count, granularity: granularity) { _, range in body(range) }
    }

    /// `forEachRange` that also passes the index of the thread running each chunk (for
    /// per-thread scratch memory).
    public func forEachChunk(_ count: Int, granularity: Int = 1, _ body: (Int, Range<Int>) -> Void) {
        if threadCount == 1 || count <= granularity { body(0, 0..<count); return }
        let target = max(granularity, count / (threadCount * 8))
        let chunk = (target + granularity - 1) / granularity * granularity
        run(resettingChunks: true) { worker in
            while true {
                let start = nextChunk.wrappingAdd(chunk, ordering: .relaxed).oldValue
                if start >= count { break }
                body(worker, start..<min(count, start + chunk))
            }
        }
    }

    private func workerLoop(_ index: Int) {
        var seen = 0
        while true {
            var spins = 0
            var current = generation.load(ordering: .acquiring)
            while current == seen {
                spins += 1
                if spins > Self.spinLimit {
                    pthread_mutex_lock(mutex)
                    sleepers.add(1, ordering: .sequentiallyConsistent)
                    while generation.load(ordering: .sequentiallyConsistent) == seen {
                        pthread_cond_wait(condition, mutex)
                    }
                    sleepers.subtract(1, ordering: .relaxed)
                    pthread_mutex_unlock(mutex)
                }
                current = generation.load(ordering: .acquiring)
            }
            seen = current
            if stopping.load(ordering: .acquiring) { return }
            job?(index)
            remaining.subtract(1, ordering: .releasing)
        }
    }
}

/// What a new worker thread needs, passed through `pthread_create`'s context pointer.
private final class WorkerStart {
    // Unowned: the pool joins its workers in deinit, so it outlives them; a strong reference
    // would keep the pool alive forever.
    unowned(unsafe) let pool: WorkerPool
    let index: Int
    init(pool: WorkerPool, index: Int) { self.pool = pool; self.index = index }
}
