#ifndef CLLAMAKERNELS_H
#define CLLAMAKERNELS_H

// Integer dot products of K-quant weight rows (Q4_K, Q6_K) with 8-bit activations quantised in
// 256-value super-blocks (ggml's Q8_K rules), for the Llama module's matrix products.
//
// Why C: the fast form of these products works from the packed rows directly — nibbles masked
// out of 32 bytes feed `vpmaddubsw`, whose 16-bit pair sums are scaled by the 6-bit sub-block
// scales with `vpmaddwd` (or AVX-VNNI's `vpdpwssd`). Swift has no intrinsics, and LLVM drops
// the saturating pattern Swift code must use to reach `vpmaddubsw` as soon as it can see the
// weights were masked to 4 bits, so the Swift kernels had to unpack whole rows to memory first.
// C also lets one binary pick AVX2 or AVX-512 VNNI at run time (CPUID), so it is fast on the
// build machine and safe on any x86-64 CPU (a portable path covers the rest). The plain Swift
// reference (dequantise → f32 dot, Llama/Kernels/ReferenceKernels.swift) is the oracle the
// tests compare every variant against.
//
// Activations: `tokens` rows, each of `supers` super-blocks: 256 int8 values (`q`, row stride
// 256·supers), one float scale (`scale`, stride supers) and 16 int16 sums of 16 values each
// (`sums`, stride 16·supers).

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Which instruction-set variant the kernels use: 0 portable, 1 AVX2+FMA+F16C,
/// 2 AVX-512 VNNI (+VL/BW) on 256-bit vectors.
int lk_active_level(void);
/// The best variant this CPU supports (same scale as `lk_active_level`).
int lk_supported_level(void);
/// Forces a variant (clamped to what the CPU supports); for tests and benchmarks. Call it
/// only while no kernel runs on another thread.
void lk_set_level(int level);

/// `out[t·out_stride + r] = W[r] · x[t]` for `rows` Q4_K rows of `supers` super-blocks each
/// (`row_bytes` apart) and `tokens` activation rows.
void lk_q4k_q8k(const void *w, size_t row_bytes, size_t rows,
                const int8_t *q, const float *scale, const int16_t *sums, size_t supers, size_t tokens,
                float *out, size_t out_stride);
/// The same for Q6_K rows.
void lk_q6k_q8k(const void *w, size_t row_bytes, size_t rows,
                const int8_t *q, const float *scale, const int16_t *sums, size_t supers, size_t tokens,
                float *out, size_t out_stride);

/// Quantises `rows` rows of `width` floats (row-major) to the activations above, ggml's Q8_K
/// rules: per 256 values (the last super-block zero-padded), the signed value of largest
/// magnitude (the first if several) maps to −127, values are round-half-even(x · −127/extreme)
/// capped at 127, the scale is 1/(−127/extreme) and a super-block of zeros gets scale 0.
/// Rows take ⌈width/256⌉ super-blocks each.
void lk_quantise_q8k(const float *x, size_t rows, size_t width, int8_t *q, float *scale, int16_t *sums);
/// The same with a given variant (tests).
void lk_quantise_q8k_level(int level, const float *x, size_t rows, size_t width, int8_t *q, float *scale, int16_t *sums);

/// Variant-specific entry points so tests can compare each with the reference.
void lk_q4k_q8k_level(int level, const void *w, size_t row_bytes, size_t rows,
                      const int8_t *q, const float *scale, const int16_t *sums, size_t supers, size_t tokens,
                      float *out, size_t out_stride);
void lk_q6k_q8k_level(int level, const void *w, size_t row_bytes, size_t rows,
                      const int8_t *q, const float *scale, const int16_t *sums, size_t supers, size_t tokens,
                      float *out, size_t out_stride);


/// Row-interleaved Q4_K ("lanes are rows"). The batch kernels above must reduce 8 or 16 lanes
/// to one number per (row, token, super-block); in this layout one 32-bit SIMD lane belongs to
/// one row, so a 512-bit `vpdpbusd` multiplies 4 values of 16 rows with 4 broadcast activation
/// bytes and no horizontal sums remain. Per tile of 16 rows and per super-block (2304 bytes,
/// exactly the 16 rows' 16·144 bytes): first the three dwords of each row's 12 packed
/// scale/min bytes (dword m of row i at 64m + 4i), the 16 rows' f16 `d` (at 192) and `dmin`
/// (224), then the values: sub-block j, quarter k (bytes 256 + 256j + 64k…): row i's dword at
/// +4i holds, in byte b, value 32j+8k+b (low nibble) and 32j+8k+4+b (high nibble). Every
/// super-block is read front to back (hardware prefetchers follow). Tiles follow each other,
/// `2304·supers` bytes apart. The integer totals and float steps per (row, token, super-block)
/// are those of `lk_q4k_q8k`, so results are bit-identical to it (tested).
#define LK_Q4K_TILE_ROWS 16
/// Widest row (in super-blocks) the interleaved kernels take.
#define LK_Q4K_INTERLEAVED_MAX_SUPERS 64
/// Whether the active variant has a SIMD kernel for the interleaved layout (AVX-512 VNNI);
/// elsewhere only the portable one exists and the plain rows are faster.
int lk_q4k_interleaved_fast(void);
/// Writes the interleaved copy of `rows` (a multiple of 16) Q4_K rows of `supers`
/// super-blocks (`row_bytes` = 144·supers apart) into `out` (`rows · row_bytes` bytes).
void lk_q4k_interleave(const void *w, size_t rows, size_t supers, void *out);
/// `out[t·out_stride + r] = W[r] · x[t]` for `rows` (a multiple of 16) rows of an interleaved
/// copy starting at a tile boundary; `supers` ≤ LK_Q4K_INTERLEAVED_MAX_SUPERS.
void lk_q4k_q8k_interleaved(const void *tiles, size_t rows, const int8_t *q, const float *scale, const int16_t *sums,
                            size_t supers, size_t tokens, float *out, size_t out_stride);
/// The same with a given variant (tests; level < 2 is the portable kernel).
void lk_q4k_q8k_interleaved_level(int level, const void *tiles, size_t rows, const int8_t *q, const float *scale,
                                  const int16_t *sums, size_t supers, size_t tokens, float *out, size_t out_stride);

/// Row-interleaved Q6_K, the same idea (lanes are rows, 16 rows per tile, 3360 bytes per
/// super-block = the 16 rows' 16·210): the 16 group scales (int8, group g of row i at 16g + i),
/// then the low 4 bits of the values (at 256: sub-block j of 32 values, quarter k, row i's dword
/// at 256 + 256j + 64k + 4i holds values 32j+8k+b in the low and 32j+8k+4+b in the high
/// nibble of byte b), their top 2 bits (at 2304 + 128j + 64p + 4i, byte b: bits 0–1 and 2–3
/// for quarter 2p's two values, 4–5 and 6–7 for quarter 2p+1's), and the f16 `d`s (at 3328).
/// Bit-identical to `lk_q6k_q8k` (tested).
void lk_q6k_interleave(const void *w, size_t rows, size_t supers, void *out);
/// `out[t·out_stride + r] = W[r] · x[t]` on an interleaved Q6_K copy (as the Q4_K one).
void lk_q6k_q8k_interleaved(const void *tiles, size_t rows, const int8_t *q, const float *scale, const int16_t *sums,
                            size_t supers, size_t tokens, float *out, size_t out_stride);
/// The same with a given variant (tests; level < 2 is the portable kernel).
void lk_q6k_q8k_interleaved_level(int level, const void *tiles, size_t rows, const int8_t *q, const float *scale,
                                  const int16_t *sums, size_t supers, size_t tokens, float *out, size_t out_stride);

/// SiLU(gate)·up in place into `gate` for `n` values, rounded as ggml's vectorised
/// `ggml_vec_swiglu_f32`: `g / (1 + exp(−g)) · u` with ggml's `ggml_v_expf` (shifter rounding,
/// two-constant Cody–Waite, degree-5 Estrin, scaling by 2ⁿ), every lane taking the same IEEE
/// operations as the scalar Swift `VectorOps.swiglu`, so results are bit-identical to it.
/// (Written here because Swift's SIMD16 compare/`all` compiled to lane loops, slower than
/// the scalar code.)
void lk_swiglu(float *gate, const float *up, size_t n);
/// The same with a given variant (tests).
void lk_swiglu_level(int level, float *gate, const float *up, size_t n);

#ifdef __cplusplus
}
#endif
#endif
