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
        if threadCount == 1 { body(0); return }
        dispatchLock.withLock { _ in
            withoutActuallyEscaping(body) { escapable in
                job = escapable
                remaining.store(threadCount - 1, ordering: .relaxed)
                pthread_mutex_lock(mutex)
                generation.add(1, ordering: .releasing)
                pthread_cond_broadcast(condition)
                pthread_mutex_unlock(mutex)
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

    /// Splits `0..<count` into one contiguous range per thread (rounded to `granularity`) and
    /// runs `body(range)` on each.
    public func forEachRange(_ count: Int, granularity: Int = 1, _ body: (Range<Int>) -> Void) {
        let parts = threadCount
        if parts == 1 || count <= granularity { body(0..<count); return }
        let units = (count + granularity - 1) / granularity
        run { worker in
            let lo = min(count, units * worker / parts * granularity)
            let hi = min(count, units * (worker + 1) / parts * granularity)
            if lo < hi { body(lo..<hi) }
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
                    while generation.load(ordering: .acquiring) == seen {
                        pthread_cond_wait(condition, mutex)
                    }
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
