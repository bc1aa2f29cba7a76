#ifndef CVECTORKERNELS_H
#define CVECTORKERNELS_H

// Distance kernels for the VectorIndex module's HNSW graph.
//
// Why C: Swift cannot emit prefetches, and the package builds for baseline x86-64, so Swift
// SIMD types compile to SSE2 without FMA. These kernels pick AVX-512, AVX2+FMA+F16C or a portable
// path at run time (CPUID), so one binary is both fast here and safe on older CPUs. The plain
// Swift reference distances in VectorIndex/ReferenceDistance.swift are the oracle the tests
// compare every variant against.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Which instruction-set variant the dispatching kernels use: 0 portable, 1 AVX2+FMA+F16C, 2 AVX-512F.
int vk_active_level(void);
/// The best variant this CPU supports (same scale as `vk_active_level`).
int vk_supported_level(void);
/// Forces a variant (clamped to what the CPU supports); for tests and benchmarks.
void vk_set_level(int level);

/// Inner product of two f32 vectors of `n` elements.
float vk_dot_f32(const float *a, const float *b, size_t n);
/// Squared Euclidean distance of two f32 vectors.
float vk_l2sq_f32(const float *a, const float *b, size_t n);
/// Inner product of an f32 query with an IEEE binary16 stored vector.
float vk_dot_f16(const float *a, const uint16_t *b, size_t n);
/// Squared Euclidean distance between an f32 query and an IEEE binary16 stored vector.
float vk_l2sq_f16(const float *a, const uint16_t *b, size_t n);

/// Variant-specific entry points so tests can compare each one with the reference.
float vk_dot_f32_level(int level, const float *a, const float *b, size_t n);
float vk_l2sq_f32_level(int level, const float *a, const float *b, size_t n);
float vk_dot_f16_level(int level, const float *a, const uint16_t *b, size_t n);
float vk_l2sq_f16_level(int level, const float *a, const uint16_t *b, size_t n);

/// Hints the CPU to fetch `bytes` starting at `p` into cache (no effect on results).
static inline void vk_prefetch(const void *p, size_t bytes) {
    const char *c = (const char *)p;
    for (size_t off = 0; off < bytes; off += 64) {
        __builtin_prefetch(c + off, 0, 3);
    }
}

/// CRC-32C (Castagnoli) update; `crc` is the running value (start with 0).
uint32_t vk_crc32c(uint32_t crc, const void *data, size_t length);
/// Portable CRC-32C, the reference for tests of the hardware path.
uint32_t vk_crc32c_portable(uint32_t crc, const void *data, size_t length);

#ifdef __cplusplus
}
#endif
#endif
