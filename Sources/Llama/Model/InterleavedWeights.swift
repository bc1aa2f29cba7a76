import CLlamaKernels
#if canImport(Glibc)
import Glibc
#endif

/// Row-interleaved copies of a model's Q4_K and Q6_K matrices (`lk_q4k_interleave`,
/// `lk_q6k_interleave`): with one SIMD lane per row, the AVX-512 VNNI products need no
/// horizontal sums and run 2.2–2.7× faster than on the file's rows (docs/BENCHMARKS.md,
/// "Session 3, second pass"). Bit-identical results.
///
/// Memory: each copy lives in anonymous memory and, once written, the file pages it came from
/// are dropped from the mapping (`MADV_DONTNEED`; they are re-read from the file if another
/// reader — the reference path, llama.cpp-order products — touches them), so resident memory
/// stays about the file's size rather than growing by the Q4_K share of it.
final class InterleavedWeights: @unchecked Sendable {
    // Safety: the regions are written once, in `init`, before the model is shared; afterwards
    // they are only read.
    private var regions: [(UnsafeMutableRawPointer, Int)] = []

    /// Whether interleaving pays on this CPU (its SIMD kernel is the AVX-512 VNNI one) and is not
    /// turned off by `ATCFIX_INTERLEAVE=0`.
    static var enabled: Bool {
        if let value = getenv("ATCFIX_INTERLEAVE"), String(cString: value) == "0" { return false }
        return lk_q4k_interleaved_fast() != 0
    }

    /// Whether `m` can be interleaved: Q4_K or Q6_K, whole 16-row tiles, rows the kernels take.
    static func fits(_ m: PackedMatrix) -> Bool {
        (m.format == .q4_K || m.format == .q6_K) && m.rows % Int(LK_Q4K_TILE_ROWS) == 0
            && m.columns / 256 <= Int(LK_Q4K_INTERLEAVED_MAX_SUPERS)
    }

    /// `m` with an interleaved copy attached (when it fits and memory can be had), else `m`.
    func attach(_ m: PackedMatrix) -> PackedMatrix {
        guard Self.fits(m) else { return m }
        let bytes = m.rows * m.rowBytes
        let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let mapped, mapped != MAP_FAILED else { return m }
        if m.format == .q4_K {
            lk_q4k_interleave(m.base, m.rows, m.columns / 256, mapped)
        } else {
            lk_q6k_interleave(m.base, m.rows, m.columns / 256, mapped)
        }
        regions.append((mapped, bytes))
        Self.dropPages(m.base, bytes)
        return PackedMatrix(base: m.base, format: m.format, rows: m.rows, columns: m.columns, interleaved: UnsafeRawPointer(mapped))
    }

    /// Releases the mapped file pages wholly inside `[start, start + bytes)`.
    private static func dropPages(_ start: UnsafeRawPointer, _ bytes: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let first = (Int(bitPattern: start) + page - 1) / page * page
        let end = (Int(bitPattern: start) + bytes) / page * page
        guard end > first, let address = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(address, end - first, MADV_DONTNEED)
    }

    deinit {
        for (address, bytes) in regions { munmap(address, bytes) }
    }
}
