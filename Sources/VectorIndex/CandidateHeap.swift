/// A node and its distance to the current query (lower is nearer, for every metric).
struct Candidate {
    var distance: Float
    var node: UInt32
}

/// A binary min-heap of candidates on a reusable buffer: no allocation once warmed up.
///
/// The search's bounded result set is a *max*-heap; it reuses this type with negated keys
/// (`pushNegated`), so there is one heap implementation to get right.
struct CandidateHeap {
    private(set) var storage: UnsafeMutablePointer<Candidate>
    private(set) var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        storage = .allocate(capacity: self.capacity)
    }

    /// Frees the buffer; the heap must not be used afterwards.
    func release() { storage.deallocate() }

    var isEmpty: Bool { count == 0 }

    /// The element with the smallest key.
    @inline(__always) var top: Candidate { storage[0] }

    mutating func removeAll() { count = 0 }

    private mutating func grow() {
        let newCapacity = capacity * 2
        let newStorage = UnsafeMutablePointer<Candidate>.allocate(capacity: newCapacity)
        newStorage.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = newStorage
        capacity = newCapacity
    }

    @inline(__always) mutating func push(_ element: Candidate) {
        if count == capacity { grow() }
        var i = count
        count += 1
        while i > 0 {
            let parent = (i - 1) >> 1
            if storage[parent].distance <= element.distance { break }
            storage[i] = storage[parent]
            i = parent
        }
        storage[i] = element
    }

    @inline(__always) @discardableResult
    mutating func pop() -> Candidate {
        let result = storage[0]
        count -= 1
        if count > 0 {
            let last = storage[count]
            var i = 0
            while true {
                let left = 2 * i + 1
                if left >= count { break }
                var child = left
                let right = left + 1
                if right < count && storage[right].distance < storage[left].distance { child = right }
                if storage[child].distance >= last.distance { break }
                storage[i] = storage[child]
                i = child
            }
            storage[i] = last
        }
        return result
    }

    /// Copies the elements out (heap order) for the caller to sort.
    func elements() -> UnsafeBufferPointer<Candidate> {
        UnsafeBufferPointer(start: storage, count: count)
    }
}
