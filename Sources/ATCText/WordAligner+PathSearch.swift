extension WordAligner {
    /// One step of the backtrace path, by word positions (0-based) in the interned sequences.
    struct Step: Equatable {
        enum Kind: UInt8 { case diagonal, delete, insert }
        var kind: Kind
        /// The reference word consumed (diagonal, delete); meaningless for an insertion.
        var referenceIndex: Int
        /// The hypothesis word consumed (diagonal, insert); meaningless for a deletion.
        var hypothesisIndex: Int
    }

    /// Finds the backtrace path of the full cost table without holding the table, by
    /// divide and conquer in the manner of Hirschberg (1975), but reproducing the
    /// backtrace's own tie-breaking rather than Hirschberg's, so the alignment (and its
    /// substitution / deletion / insertion split) is the same as from the full table.
    ///
    /// A block is rows `lo...hi`, columns `clo...chi`, given the cost row `lo` and treating
    /// everything left of `clo` as unreachable. One forward pass over the block keeps its
    /// middle row and carries, for each cell below it, the column at which the backtrace path
    /// from that cell first reaches the middle row; the path from the block's corner splits
    /// there into two blocks with half the rows each, so the total work is about twice one
    /// table's and the memory one row per level of recursion.
    ///
    /// Why blocks give the table's path: a block's costs are never below the table's (its
    /// paths are a subset, and its first row is a row the parent computed the same way), and
    /// equal on the path itself (the path to a path cell stays in the block). A step the
    /// backtrace rejects in the table has a neighbour cost too high there, so it is too high
    /// in the block as well; the step it takes leads to a path cell, whose cost agrees. So
    /// every choice on the path is the same.
    struct PathSearch {
        /// Blocks of at most this many cells are solved with a full table (256 KiB).
        static let defaultTableCells = 1 << 16

        let reference: [Int32]
        let hypothesis: [Int32]
        let tableCells: Int
        private var path: [Step] = []

        init(reference: [Int32], hypothesis: [Int32], tableCells: Int) {
            self.reference = reference
            self.hypothesis = hypothesis
            self.tableCells = max(tableCells, 4)
        }

        /// The whole path from the origin to the table's last cell, in reading order.
        mutating func steps() -> [Step] {
            let columns = hypothesis.count
            path = []
            path.reserveCapacity(max(reference.count, columns))
            let firstRow = (0...columns).map { Int32(truncatingIfNeeded: $0) }
            let arrival = solve(lo: 0, hi: reference.count, clo: 0, chi: columns, top: firstRow)
            // Along row 0 the only way back to the origin is by insertions.
            let lead = (0..<arrival).map { Step(kind: .insert, referenceIndex: 0, hypothesisIndex: $0) }
            return lead + path
        }

        /// Appends the path from where it first reaches row `lo` to cell (`hi`, `chi`) and
        /// returns that first column. `top[k]` is the cost of cell (`lo`, `clo + k`).
        private mutating func solve(lo: Int, hi: Int, clo: Int, chi: Int, top: [Int32]) -> Int {
            if hi == lo { return chi }
            let width = chi - clo + 1
            if hi - lo == 1 || (hi - lo + 1) * width <= tableCells {
                return solveWithTable(lo: lo, hi: hi, clo: clo, chi: chi, top: top)
            }
            let mid = (lo + hi) / 2
            let (midRow, crossing) = middleRowAndCrossing(lo: lo, mid: mid, hi: hi, clo: clo, chi: chi, top: top)
            let arrival = solve(lo: lo, hi: mid, clo: clo, chi: crossing, top: Array(top[0...(crossing - clo)]))
            let bottomArrival = solve(
                lo: mid, hi: hi, clo: crossing, chi: chi, top: Array(midRow[(crossing - clo)...]))
            assert(bottomArrival == crossing, "the lower block's path must start where the crossing said")
            return arrival
        }

        /// One forward pass over a block: the costs of row `mid` and the column where the
        /// path from (`hi`, `chi`) first reaches row `mid`.
        private func middleRowAndCrossing(
            lo: Int, mid: Int, hi: Int, clo: Int, chi: Int, top: [Int32]
        ) -> ([Int32], Int) {
            let width = chi - clo + 1
            var previous = top
            var current = [Int32](repeating: 0, count: width)
            for i in stride(from: lo + 1, through: mid, by: 1) {
                let word = reference[i - 1]
                current[0] = previous[0] + 1
                for k in 1..<width {
                    let diagonal = previous[k - 1] + (word == hypothesis[clo + k - 1] ? 0 : 1)
                    current[k] = min(diagonal, previous[k] + 1, current[k - 1] + 1)
                }
                swap(&previous, &current)
            }
            let midRow = previous
            // Below the middle row each cell carries the middle-row column its path reaches.
            var previousCross = (0..<width).map { clo + $0 }
            var cross = [Int](repeating: 0, count: width)
            for i in stride(from: mid + 1, through: hi, by: 1) {
                let word = reference[i - 1]
                current[0] = previous[0] + 1
                cross[0] = previousCross[0]
                for k in 1..<width {
                    let diagonal = previous[k - 1] + (word == hypothesis[clo + k - 1] ? 0 : 1)
                    let up = previous[k] + 1
                    let left = current[k - 1] + 1
                    let here = min(diagonal, up, left)
                    current[k] = here
                    if diagonal == here {
                        cross[k] = previousCross[k - 1]
                    } else if up == here {
                        cross[k] = previousCross[k]
                    } else {
                        cross[k] = cross[k - 1]
                    }
                }
                swap(&previous, &current)
                swap(&previousCross, &cross)
            }
            return (midRow, previousCross[width - 1])
        }

        /// A small block with its full table and the plain backtrace.
        private mutating func solveWithTable(lo: Int, hi: Int, clo: Int, chi: Int, top: [Int32]) -> Int {
            let width = chi - clo + 1
            let rows = hi - lo + 1
            var table = [Int32](repeating: 0, count: rows * width)
            for k in 0..<width { table[k] = top[k] }
            for r in stride(from: 1, to: rows, by: 1) {
                let word = reference[lo + r - 1]
                let row = r * width
                let above = row - width
                table[row] = table[above] + 1
                for k in stride(from: 1, to: width, by: 1) {
                    let diagonal = table[above + k - 1] + (word == hypothesis[clo + k - 1] ? 0 : 1)
                    table[row + k] = min(diagonal, table[above + k] + 1, table[row + k - 1] + 1)
                }
            }
            var reversed: [Step] = []
            reversed.reserveCapacity(rows + width)
            var r = rows - 1
            var k = width - 1
            while r > 0 {
                let here = table[r * width + k]
                let i = lo + r
                let j = clo + k
                if k > 0,
                    table[(r - 1) * width + k - 1] + (reference[i - 1] == hypothesis[j - 1] ? 0 : 1) == here
                {
                    reversed.append(Step(kind: .diagonal, referenceIndex: i - 1, hypothesisIndex: j - 1))
                    r -= 1
                    k -= 1
                } else if table[(r - 1) * width + k] + 1 == here {
                    reversed.append(Step(kind: .delete, referenceIndex: i - 1, hypothesisIndex: j))
                    r -= 1
                } else {
                    reversed.append(Step(kind: .insert, referenceIndex: i, hypothesisIndex: j - 1))
                    k -= 1
                }
            }
            path.append(contentsOf: reversed.reversed())
            return clo + k
        }
    }
}
