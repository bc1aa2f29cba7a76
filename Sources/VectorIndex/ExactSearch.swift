import CVectorKernels
import Dispatch

/// Exhaustive k-nearest-neighbour search: the ground truth that recall is measured against.
///
/// It shares no code with the graph, only the distance kernels, which are themselves tested
/// against `ReferenceDistance`.
public enum ExactSearch {
    /// For each query (row-major in `queries`), the row numbers of the `k` nearest rows of
    /// `base` under `metric`, nearest first (ties broken by lower row number).
    public static func nearest(
        base: [Float], queries: [Float], dimension: Int, k: Int, metric: VectorMetric, threads: Int = 1
    ) -> [[Int]] {
        precondition(dimension > 0 && base.count % dimension == 0 && queries.count % dimension == 0)
        let n = base.count / dimension
        let q = queries.count / dimension
        let kk = min(k, n)
        var baseNorms = [Float](repeating: 1, count: n)
        if metric == .cosine {
            base.withUnsafeBufferPointer { b in
                for i in 0..<n {
                    let p = b.baseAddress! + i * dimension
                    baseNorms[i] = vk_dot_f32(p, p, dimension).squareRoot()
                }
            }
        }
        let results = ResultSlots<[Int]>(count: q)
        let workers = max(1, min(threads, q))
        base.withUnsafeBufferPointer { b in
            queries.withUnsafeBufferPointer { qs in
                let bp = UnsafeSendablePointer(b.baseAddress!)
                let qp = UnsafeSendablePointer(qs.baseAddress!)
                let norms = baseNorms
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var scored = [(Float, Int)]()
                    scored.reserveCapacity(n)
                    var qi = w
                    while qi < q {
                        let query = qp.pointer + qi * dimension
                        scored.removeAll(keepingCapacity: true)
                        for i in 0..<n {
                            let row = bp.pointer + i * dimension
                            // A distance where lower is nearer, whatever the metric.
                            let d: Float
                            switch metric {
                            case .l2: d = vk_l2sq_f32(query, row, dimension)
                            case .innerProduct: d = -vk_dot_f32(query, row, dimension)
                            case .cosine: d = norms[i] > 0 ? -vk_dot_f32(query, row, dimension) / norms[i] : .infinity
                            }
                            scored.append((d, i))
                        }
                        let top = partialSort(&scored, kk)
                        results.set(qi, top)
                        qi += workers
                    }
                }
            }
        }
        return results.values
    }

    /// The `k` smallest of `items` by (distance, row), sorted.
    private static func partialSort(_ items: inout [(Float, Int)], _ k: Int) -> [Int] {
        var heap = [(Float, Int)]()   // max-heap of the best k so far, by sorting small arrays
        heap.reserveCapacity(k + 1)
        func worse(_ a: (Float, Int), _ b: (Float, Int)) -> Bool { a.0 > b.0 || (a.0 == b.0 && a.1 > b.1) }
        for item in items {
            if heap.count < k {
                heap.append(item)
                if heap.count == k { heap.sort(by: { worse($1, $0) }) }
            } else if worse(heap[k - 1], item) {
                var pos = k - 1
                while pos > 0 && worse(heap[pos - 1], item) { heap[pos] = heap[pos - 1]; pos -= 1 }
                heap[pos] = item
            }
        }
        if heap.count < k { heap.sort(by: { worse($1, $0) }) }
        return heap.map { $0.1 }
    }
}

/// Per-query result slots written by disjoint workers; each slot is written once by one thread.
final class ResultSlots<T>: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<T?>
    private let count: Int

    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: max(count, 1))
        storage.initialize(repeating: nil, count: max(count, 1))
    }

    deinit { storage.deinitialize(count: max(count, 1)); storage.deallocate() }

    func set(_ index: Int, _ value: T) { storage[index] = value }

    var values: [T] { (0..<count).map { storage[$0]! } }
}

/// A raw pointer that worker closures may capture; the caller guarantees the memory outlives
/// the parallel region and that workers touch disjoint parts (or only read).
struct UnsafeSendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
    init(_ pointer: UnsafePointer<T>) { self.pointer = UnsafeMutablePointer(mutating: pointer) }
}
