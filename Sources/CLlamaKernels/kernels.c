#include "CLlamaKernels.h"
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define LK_X86 1
#endif

#include <math.h>

// Rows per tile of the batch kernels: a tile's weights (≤ 16 × 7.4 KB for the widest Q6_K
// rows here) stay in L1/L2 while every group of tokens passes over them.
#define LK_ROW_TILE 16
// Decoded Q4_K super-block headers kept per tile (on the stack: 512 × 64 bytes), and the widest
// row (in super-blocks, 131072 values) the SIMD kernels take; wider rows use the portable path.
#define LK_META_ENTRIES 512
#define LK_MAX_SUPERS 512

/// A Q4_K super-block's header decoded once per row tile rather than once per token group:
/// sub-block scales as 16-bit multipliers, each min repeated for the two 16-value activation
/// sums of its sub-block, and the f16 factors widened.
typedef struct {
    int16_t scales[8];
    int16_t mins[16];
    float d, dmin;
    float pad[2];
} q4k_meta;

/// The 6-bit scales and mins of the 8 sub-blocks of a Q4_K super-block, from its 12 packed
/// bytes: sub-blocks 0–3 keep theirs in the low 6 bits of bytes 0–3 (scales) and 4–7 (mins);
/// sub-blocks 4–7 take a nibble of bytes 8–11 plus the top 2 bits of those bytes.
static inline void q4k_scales_mins(const uint8_t *packed, uint8_t scales[8], uint8_t mins[8]) {
    uint32_t a, b, c;
    memcpy(&a, packed, 4);
    memcpy(&b, packed + 4, 4);
    memcpy(&c, packed + 8, 4);
    uint32_t s0 = a & 0x3F3F3F3Fu, m0 = b & 0x3F3F3F3Fu;
    uint32_t s1 = (c & 0x0F0F0F0Fu) | ((a >> 2) & 0x30303030u);
    uint32_t m1 = ((c >> 4) & 0x0F0F0F0Fu) | ((b >> 2) & 0x30303030u);
    memcpy(scales, &s0, 4); memcpy(scales + 4, &s1, 4);
    memcpy(mins, &m0, 4); memcpy(mins + 4, &m1, 4);
}

#if LK_X86
/// Shuffle masks spreading Q6_K scales 2p and 2p+1 over 8 bytes each.
static const uint8_t q6k_pair_masks[8][16] = {
    {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1},
    {2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3},
    {4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5},
    {6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7},
    {8, 8, 8, 8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9, 9},
    {10, 10, 10, 10, 10, 10, 10, 10, 11, 11, 11, 11, 11, 11, 11, 11},
    {12, 12, 12, 12, 12, 12, 12, 12, 13, 13, 13, 13, 13, 13, 13, 13},
    {14, 14, 14, 14, 14, 14, 14, 14, 15, 15, 15, 15, 15, 15, 15, 15},
};

/// For the 512-bit Q4_K path: after packing the 4-product lanes of chunks 2p and 2p+1,
/// int16 lane 8L + k (128-bit lane L) holds sub-block 2·(2p + [k ≥ 4]) + [L ≥ 2].
static const int16_t q4k_packed_scale_index[2][32] = {
    {0, 0, 0, 0, 2, 2, 2, 2, 0, 0, 0, 0, 2, 2, 2, 2, 1, 1, 1, 1, 3, 3, 3, 3, 1, 1, 1, 1, 3, 3, 3, 3},
    {4, 4, 4, 4, 6, 6, 6, 6, 4, 4, 4, 4, 6, 6, 6, 6, 5, 5, 5, 5, 7, 7, 7, 7, 5, 5, 5, 5, 7, 7, 7, 7},
};

/// For the 512-bit Q6_K path, half h: byte 8L + k (k < 4: group 8h + L, else 8h + 4 + L) of
/// the scales, shuffled within each 128-bit lane of the scales broadcast to 256 bits.
static const uint8_t q6k_packed_scale_masks[2][32] = {
    {0, 0, 0, 0, 4, 4, 4, 4, 1, 1, 1, 1, 5, 5, 5, 5, 2, 2, 2, 2, 6, 6, 6, 6, 3, 3, 3, 3, 7, 7, 7, 7},
    {8, 8, 8, 8, 12, 12, 12, 12, 9, 9, 9, 9, 13, 13, 13, 13, 10, 10, 10, 10, 14, 14, 14, 14, 11, 11, 11, 11, 15, 15, 15, 15},
};
#endif

// ---------- portable ----------

// IEEE half → float through the compiler's `_Float16` (F16C where enabled, an exact library
// conversion otherwise), so there is no hand-written bit decoding to keep right.
static float half_to_float(const uint8_t *p) {
    _Float16 h;
    memcpy(&h, p, 2);
    return (float)h;
}

static float q4k_row_portable(const uint8_t *w, const int8_t *q, const float *qd, const int16_t *qs, size_t supers) {
    float total = 0;
    for (size_t s = 0; s < supers; s++) {
        const uint8_t *blk = w + 144 * s;
        uint8_t sc[8], mn[8];
        q4k_scales_mins(blk + 4, sc, mn);
        const uint8_t *bits = blk + 16;
        const int8_t *y = q + 256 * s;
        int32_t sum = 0, msum = 0;
        for (int j = 0; j < 4; j++) {
            int32_t lo = 0, hi = 0;
            for (int i = 0; i < 32; i++) {
                lo += (int32_t)(bits[32 * j + i] & 0x0F) * y[64 * j + i];
                hi += (int32_t)(bits[32 * j + i] >> 4) * y[64 * j + 32 + i];
            }
            sum += sc[2 * j] * lo + sc[2 * j + 1] * hi;
        }
        for (int g = 0; g < 16; g++) msum += mn[g / 2] * qs[16 * s + g];
        total += half_to_float(blk) * qd[s] * (float)sum - half_to_float(blk + 2) * qd[s] * (float)msum;
    }
    return total;
}

static float q6k_row_portable(const uint8_t *w, const int8_t *q, const float *qd, const int16_t *qs, size_t supers) {
    float total = 0;
    for (size_t s = 0; s < supers; s++) {
        const uint8_t *blk = w + 210 * s;
        const int8_t *scales = (const int8_t *)(blk + 192);
        const int8_t *y = q + 256 * s;
        int32_t group[16] = {0};
        for (int h = 0; h < 2; h++) {
            const uint8_t *low = blk + 64 * h, *high = blk + 128 + 32 * h;
            for (int l = 0; l < 32; l++) {
                int32_t v[4] = {
                    (low[l] & 0x0F) | ((high[l] & 3) << 4),
                    (low[l + 32] & 0x0F) | (((high[l] >> 2) & 3) << 4),
                    (low[l] >> 4) | (((high[l] >> 4) & 3) << 4),
                    (low[l + 32] >> 4) | (((high[l] >> 6) & 3) << 4),
                };
                for (int k = 0; k < 4; k++) {
                    int index = 128 * h + 32 * k + l;
                    group[index / 16] += (v[k] - 32) * y[index];
                }
            }
        }
        int32_t sum = 0;
        for (int g = 0; g < 16; g++) sum += scales[g] * group[g];
        (void)qs;
        total += half_to_float(blk + 208) * qd[s] * (float)sum;
    }
    return total;
}

static void q4k_q8k_portable(const void *w, size_t row_bytes, size_t rows, const int8_t *q, const float *qd,
                             const int16_t *qs, size_t supers, size_t tokens, float *out, size_t out_stride) {
    for (size_t t = 0; t < tokens; t++)
        for (size_t r = 0; r < rows; r++)
            out[t * out_stride + r] = q4k_row_portable((const uint8_t *)w + r * row_bytes, q + t * 256 * supers,
                                                       qd + t * supers, qs + t * 16 * supers, supers);
}

static void q6k_q8k_portable(const void *w, size_t row_bytes, size_t rows, const int8_t *q, const float *qd,
                             const int16_t *qs, size_t supers, size_t tokens, float *out, size_t out_stride) {
    for (size_t t = 0; t < tokens; t++)
        for (size_t r = 0; r < rows; r++)
            out[t * out_stride + r] = q6k_row_portable((const uint8_t *)w + r * row_bytes, q + t * 256 * supers,
                                                       qd + t * supers, qs + t * 16 * supers, supers);
}


// ---------- row-interleaved Q4_K (layout in CLlamaKernels.h) ----------

#define Q4KI_SUPER_BYTES 2304
#define Q4KI_SCALES 0
#define Q4KI_D 192
#define Q4KI_DMIN 224
#define Q4KI_BITS 256
#ifndef LK_Q4KI_PREFETCH
#define LK_Q4KI_PREFETCH (2 * Q4KI_SUPER_BYTES)
#endif
#ifndef LK_Q4KI_BLOCK_BYTES
#define LK_Q4KI_BLOCK_BYTES (128 * 1024)
#endif

void lk_q4k_interleave(const void *w, size_t rows, size_t supers, void *out) {
    const uint8_t *src = (const uint8_t *)w;
    uint8_t *dst = (uint8_t *)out;
    size_t row_bytes = 144 * supers;
    for (size_t tile = 0; tile < rows / 16; tile++)
        for (size_t s = 0; s < supers; s++) {
            uint8_t *o = dst + (tile * supers + s) * Q4KI_SUPER_BYTES;
            for (int i = 0; i < 16; i++) {
                const uint8_t *blk = src + (16 * tile + i) * row_bytes + 144 * s;
                const uint8_t *bits = blk + 16;
                memcpy(o + Q4KI_D + 2 * i, blk, 2);
                memcpy(o + Q4KI_DMIN + 2 * i, blk + 2, 2);
                for (int m = 0; m < 3; m++) memcpy(o + Q4KI_SCALES + 64 * m + 4 * i, blk + 4 + 4 * m, 4);
                // Sub-block j is the low (j even) or high nibbles of the row's bytes 32·(j/2)…+31.
                for (int j = 0; j < 8; j++)
                    for (int k = 0; k < 4; k++) {
                        const uint8_t *from = bits + 32 * (j / 2) + 8 * k;
                        uint8_t *cell = o + Q4KI_BITS + 256 * j + 64 * k + 4 * i;
                        for (int b = 0; b < 4; b++) {
                            uint8_t v0 = j % 2 ? from[b] >> 4 : from[b] & 0x0F;
                            uint8_t v1 = j % 2 ? from[b + 4] >> 4 : from[b + 4] & 0x0F;
                            cell[b] = (uint8_t)(v0 | (v1 << 4));
                        }
                    }
            }
        }
}

/// The portable kernel on the interleaved layout (and its plain reading, for tests): the same
/// integer totals and float steps as the SIMD kernels.
static void q4ki_q8k_portable(const void *tiles, size_t rows, const int8_t *q, const float *qd, const int16_t *qs,
                              size_t supers, size_t tokens, float *out, size_t out_stride) {
    const uint8_t *base = (const uint8_t *)tiles;
    for (size_t tile = 0; tile < rows / 16; tile++)
        for (int i = 0; i < 16; i++)
            for (size_t t = 0; t < tokens; t++) {
                float acc = 0;
                for (size_t s = 0; s < supers; s++) {
                    const uint8_t *o = base + (tile * supers + s) * Q4KI_SUPER_BYTES;
                    uint8_t packed[12], sc[8], mn[8];
                    for (int m = 0; m < 3; m++) memcpy(packed + 4 * m, o + Q4KI_SCALES + 64 * m + 4 * i, 4);
                    q4k_scales_mins(packed, sc, mn);
                    const int8_t *y = q + t * 256 * supers + 256 * s;
                    int32_t sum = 0, msum = 0;
                    for (int j = 0; j < 8; j++) {
                        int32_t part = 0;
                        for (int k = 0; k < 4; k++)
                            for (int b = 0; b < 4; b++) {
                                uint8_t cell = o[Q4KI_BITS + 256 * j + 64 * k + 4 * i + b];
                                part += (int32_t)(cell & 0x0F) * y[32 * j + 8 * k + b];
                                part += (int32_t)(cell >> 4) * y[32 * j + 8 * k + 4 + b];
                            }
                        sum += sc[j] * part;
                        msum += mn[j] * (qs[t * 16 * supers + 16 * s + 2 * j] + qs[t * 16 * supers + 16 * s + 2 * j + 1]);
                    }
                    float dy = qd[t * supers + s];
                    acc = fmaf(dy * half_to_float(o + Q4KI_D + 2 * i), (float)sum, acc);
                    acc = fmaf(-(dy * half_to_float(o + Q4KI_DMIN + 2 * i)), (float)msum, acc);
                }
                out[t * out_stride + 16 * tile + i] = acc;
            }
}


#define Q6KI_SUPER_BYTES 3360
#define Q6KI_LOW 256
#define Q6KI_HIGH 2304
#define Q6KI_D 3328

/// The 256 six-bit values (0…63, stored as q + 32) of one Q6_K super-block, in value order.
static void q6k_values(const uint8_t *blk, uint8_t v[256]) {
    for (int h = 0; h < 2; h++) {
        const uint8_t *ql = blk + 64 * h, *qh = blk + 128 + 32 * h;
        for (int l = 0; l < 32; l++) {
            v[128 * h + l] = (uint8_t)((ql[l] & 0x0F) | ((qh[l] & 3) << 4));
            v[128 * h + 32 + l] = (uint8_t)((ql[l + 32] & 0x0F) | (((qh[l] >> 2) & 3) << 4));
            v[128 * h + 64 + l] = (uint8_t)((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4));
            v[128 * h + 96 + l] = (uint8_t)((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4));
        }
    }
}

void lk_q6k_interleave(const void *w, size_t rows, size_t supers, void *out) {
    const uint8_t *src = (const uint8_t *)w;
    uint8_t *dst = (uint8_t *)out;
    size_t row_bytes = 210 * supers;
    for (size_t tile = 0; tile < rows / 16; tile++)
        for (size_t s = 0; s < supers; s++) {
            uint8_t *o = dst + (tile * supers + s) * Q6KI_SUPER_BYTES;
            for (int i = 0; i < 16; i++) {
                const uint8_t *blk = src + (16 * tile + i) * row_bytes + 210 * s;
                uint8_t v[256];
                q6k_values(blk, v);
                for (int g = 0; g < 16; g++) o[16 * g + i] = blk[192 + g];
                memcpy(o + Q6KI_D + 2 * i, blk + 208, 2);
                for (int j = 0; j < 8; j++)
                    for (int k = 0; k < 4; k++)
                        for (int b = 0; b < 4; b++) {
                            uint8_t a = v[32 * j + 8 * k + b], c = v[32 * j + 8 * k + 4 + b];
                            o[Q6KI_LOW + 256 * j + 64 * k + 4 * i + b] = (uint8_t)((a & 0x0F) | ((c & 0x0F) << 4));
                            uint8_t *high = o + Q6KI_HIGH + 128 * j + 64 * (k / 2) + 4 * i + b;
                            int shift = 4 * (k % 2);
                            *high = (uint8_t)((*high & ~(0x0F << shift)) | (((a >> 4) | ((c >> 4) << 2)) << shift));
                        }
            }
        }
}

static void q6ki_q8k_portable(const void *tiles, size_t rows, const int8_t *q, const float *qd, const int16_t *qs,
                              size_t supers, size_t tokens, float *out, size_t out_stride) {
    const uint8_t *base = (const uint8_t *)tiles;
    for (size_t tile = 0; tile < rows / 16; tile++)
        for (int i = 0; i < 16; i++)
            for (size_t t = 0; t < tokens; t++) {
                float acc = 0;
                for (size_t s = 0; s < supers; s++) {
                    const uint8_t *o = base + (tile * supers + s) * Q6KI_SUPER_BYTES;
                    const int8_t *y = q + t * 256 * supers + 256 * s;
                    int32_t sum = 0, offset = 0;
                    for (int j = 0; j < 8; j++)
                        for (int k = 0; k < 4; k++) {
                            int32_t part = 0;
                            for (int b = 0; b < 4; b++) {
                                uint8_t low = o[Q6KI_LOW + 256 * j + 64 * k + 4 * i + b];
                                uint8_t high = (uint8_t)(o[Q6KI_HIGH + 128 * j + 64 * (k / 2) + 4 * i + b] >> (4 * (k % 2)));
                                part += (int32_t)((low & 0x0F) | ((high & 3) << 4)) * y[32 * j + 8 * k + b];
                                part += (int32_t)((low >> 4) | (((high >> 2) & 3) << 4)) * y[32 * j + 8 * k + 4 + b];
                            }
                            sum += (int8_t)o[16 * (2 * j + k / 2) + i] * part;
                        }
                    for (int g = 0; g < 16; g++) offset += (int8_t)o[16 * g + i] * qs[t * 16 * supers + 16 * s + g];
                    acc = fmaf(qd[t * supers + s] * half_to_float(o + Q6KI_D + 2 * i), (float)(sum - 32 * offset), acc);
                }
                out[t * out_stride + 16 * tile + i] = acc;
            }
}


// ---------- SwiGLU with ggml's exp ----------

#define LK_EXP_SHIFTER 0x1.8p23f
#define LK_EXP_LOG2E 0x1.715476p+0f
#define LK_EXP_LN2_HI 0x1.62e4p-1f
#define LK_EXP_LN2_LO 0x1.7f7d1cp-20f
#define LK_EXP_C5 0x1.0e4020p-7f
#define LK_EXP_C4 0x1.573e2ep-5f
#define LK_EXP_C3 0x1.555e66p-3f
#define LK_EXP_C2 0x1.fffdb6p-2f
#define LK_EXP_C1 0x1.ffffecp-1f

/// One value, every step an explicit fmaf or a single operation (no contraction possible).
static float swiglu_scalar(float g, float u) {
    float x = -g;
    float n = fmaf(x, LK_EXP_LOG2E, LK_EXP_SHIFTER) - LK_EXP_SHIFTER;
    float e;
    if (fabsf(n) > 192) {
        e = n > 0 ? INFINITY : 0;
    } else {
        float b = fmaf(-n, LK_EXP_LN2_LO, fmaf(-n, LK_EXP_LN2_HI, x));
        float sq = b * b;
        float high = fmaf(LK_EXP_C5, b, LK_EXP_C4);
        float middle = fmaf(LK_EXP_C3, b, LK_EXP_C2);
        float low = fmaf(LK_EXP_C1, b, 1.0f);
        float j = fmaf(fmaf(high, sq, middle), sq, low);
        e = ldexpf(j, (int)n);   // j·2ⁿ rounded once, as `vscalefps`
    }
    float denominator = 1 + e;
    float quotient = g / denominator;
    return quotient * u;
}

static void swiglu_portable(float *gate, const float *up, size_t n) {
    for (size_t i = 0; i < n; i++) gate[i] = swiglu_scalar(gate[i], up[i]);
}

/// One super-block of `available` (≤ 256) values; the rest of the 256 are zero.
static void quantise_super_portable(const float *x, size_t available, int8_t *q, float *scale, int16_t *sums) {
    float extreme = 0;
    for (size_t i = 0; i < available; i++)
        if (fabsf(x[i]) > fabsf(extreme)) extreme = x[i];
    if (extreme == 0) {
        memset(q, 0, 256);
        memset(sums, 0, 16 * sizeof(int16_t));
        *scale = 0;
        return;
    }
    float inverse = -127.0f / extreme;
    for (size_t i = 0; i < 256; i++) {
        float v = i < available ? nearbyintf(inverse * x[i]) : 0;
        q[i] = (int8_t)(v < 127 ? v : 127);
    }
    for (int g = 0; g < 16; g++) {
        int32_t sum = 0;
        for (int i = 0; i < 16; i++) sum += q[16 * g + i];
        sums[g] = (int16_t)sum;
    }
    *scale = 1 / inverse;
}

static void quantise_q8k_portable(const float *x, size_t rows, size_t width, int8_t *q, float *scale, int16_t *sums) {
    size_t supers = (width + 255) / 256;
    for (size_t r = 0; r < rows; r++)
        for (size_t s = 0; s < supers; s++) {
            size_t index = r * supers + s, start = 256 * s;
            size_t available = width - start < 256 ? width - start : 256;
            quantise_super_portable(x + r * width + start, available, q + 256 * index, scale + index, sums + 16 * index);
        }
}

#if LK_X86
// ---------- AVX2 + FMA + F16C ----------

#define LK_TARGET __attribute__((target("avx2,fma,f16c")))
#define LK_SUFFIX avx2
#define LK_DPWSSD(acc, a, b) _mm256_add_epi32(acc, _mm256_madd_epi16(a, b))
#define LK_PACKED_VNNI 0
#define LK_GROUP 4
#include "kq_simd.h"
#undef LK_PACKED_VNNI
#undef LK_GROUP
#undef LK_TARGET
#undef LK_SUFFIX
#undef LK_DPWSSD

/// The quantiser on 8 lanes (shared by both SIMD levels): the same floats as the portable
/// path (one multiply, round-half-even through the default rounding mode of `vcvtps2dq`).
__attribute__((target("avx2,fma,f16c"))) static void quantise_q8k_avx2(const float *x, size_t rows, size_t width,
                                                                      int8_t *q, float *scale, int16_t *sums) {
    size_t supers = (width + 255) / 256;
    const __m256 sign = _mm256_set1_ps(-0.0f);
    const __m256i cap = _mm256_set1_epi32(127);
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    for (size_t r = 0; r < rows; r++)
        for (size_t s = 0; s < supers; s++) {
            size_t index = r * supers + s, start = 256 * s;
            const float *xs = x + r * width + start;
            if (width - start < 256) {
                quantise_super_portable(xs, width - start, q + 256 * index, scale + index, sums + 16 * index);
                continue;
            }
            __m256 m = _mm256_setzero_ps();
            for (int i = 0; i < 256; i += 8) m = _mm256_max_ps(m, _mm256_andnot_ps(sign, _mm256_loadu_ps(xs + i)));
            __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
            m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
            m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
            float amax = _mm_cvtss_f32(m4);
            if (!(amax > 0)) {
                // Zeros (or NaNs): the portable path decides exactly as the reference does.
                quantise_super_portable(xs, 256, q + 256 * index, scale + index, sums + 16 * index);
                continue;
            }
            // The first value of that magnitude, with its sign.
            float extreme = 0;
            for (int i = 0; i < 256; i++)
                if (fabsf(xs[i]) == amax) { extreme = xs[i]; break; }
            float inverse = -127.0f / extreme;
            const __m256 inv = _mm256_set1_ps(inverse);
            int8_t *qs = q + 256 * index;
            for (int i = 0; i < 256; i += 32) {
                __m256i v0 = _mm256_min_epi32(_mm256_cvtps_epi32(_mm256_mul_ps(inv, _mm256_loadu_ps(xs + i))), cap);
                __m256i v1 = _mm256_min_epi32(_mm256_cvtps_epi32(_mm256_mul_ps(inv, _mm256_loadu_ps(xs + i + 8))), cap);
                __m256i v2 = _mm256_min_epi32(_mm256_cvtps_epi32(_mm256_mul_ps(inv, _mm256_loadu_ps(xs + i + 16))), cap);
                __m256i v3 = _mm256_min_epi32(_mm256_cvtps_epi32(_mm256_mul_ps(inv, _mm256_loadu_ps(xs + i + 24))), cap);
                __m256i bytes = _mm256_packs_epi16(_mm256_packs_epi32(v0, v1), _mm256_packs_epi32(v2, v3));
                _mm256_storeu_si256((__m256i *)(qs + i), _mm256_permutevar8x32_epi32(bytes, order));
            }
            for (int g = 0; g < 16; g++) {
                // Σ of 16 bytes: sign-extend to 16 bits, pairwise sums via vpmaddwd with ones.
                __m256i w = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(qs + 16 * g)));
                __m256i p = _mm256_madd_epi16(w, _mm256_set1_epi16(1));
                __m128i t = _mm_add_epi32(_mm256_castsi256_si128(p), _mm256_extracti128_si256(p, 1));
                t = _mm_add_epi32(t, _mm_unpackhi_epi64(t, t));
                t = _mm_add_epi32(t, _mm_shuffle_epi32(t, 1));
                sums[16 * index + g] = (int16_t)_mm_cvtsi128_si32(t);
            }
            scale[index] = 1 / inverse;
        }
}

// ---------- AVX-512 VNNI on 256-bit vectors ----------
// `tune=znver4` only changes instruction selection/scheduling, not the instruction set: with
// generic tuning LLVM splits every `vpdpwssd` back into `vpmaddwd` + `vpaddd` (measured ~6%
// slower on the prompt kernels here).

#define LK_TARGET __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni,tune=znver4")))
#define LK_SUFFIX vnni
#define LK_DPWSSD(acc, a, b) _mm256_dpwssd_epi32(acc, a, b)
#define LK_PACKED_VNNI 1
#ifndef LK_VNNI_GROUP
#define LK_VNNI_GROUP 8
#endif
#define LK_GROUP LK_VNNI_GROUP
#include "kq_simd.h"
#undef LK_PACKED_VNNI
#undef LK_GROUP
#undef LK_TARGET
#undef LK_SUFFIX
#undef LK_DPWSSD


// ---------- row-interleaved Q4_K on AVX-512 VNNI ----------

#define LK_Q4KI_TARGET __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni,tune=znver4")))

/// One 16-row tile · NT tokens (NT a constant after inlining). Per super-block: unpack each
/// sub-block's 32 values × 16 rows once (8 vectors) and, per token, 8 `vpdpbusd` with
/// broadcast activation dwords (two chains), the sub-block scale by `vpmulld`; the mins term
/// from 4 `vpdpwssd` on (min, min) pairs × precomputed sub-block activation sums.
LK_Q4KI_TARGET static inline __attribute__((always_inline)) void q4ki_tile_vnni(
    const uint8_t *tile, const int8_t *q, const float *qd, const int32_t *pairs, size_t supers, const int NT,
    float *out, size_t out_stride) {
    const __m512i low = _mm512_set1_epi8(0x0F);
    const __m512i m3f = _mm512_set1_epi32(0x3F3F3F3F), m0f = _mm512_set1_epi32(0x0F0F0F0F);
    const __m512i m30 = _mm512_set1_epi32(0x30303030), byte = _mm512_set1_epi32(0xFF);
    const __m512i evens = _mm512_set1_epi32(0x00FF00FF);
    const size_t qstride = 256 * supers;
    __m512 acc[8];
    for (int t = 0; t < NT; t++) acc[t] = _mm512_setzero_ps();
    for (size_t s = 0; s < supers; s++) {
        const uint8_t *o = tile + s * Q4KI_SUPER_BYTES;
        const __m512i a = _mm512_loadu_si512((const void *)(o + Q4KI_SCALES));
        const __m512i b = _mm512_loadu_si512((const void *)(o + Q4KI_SCALES + 64));
        const __m512i c = _mm512_loadu_si512((const void *)(o + Q4KI_SCALES + 128));
        const __m512i s0 = _mm512_and_si512(a, m3f), m0 = _mm512_and_si512(b, m3f);
        const __m512i s1 = _mm512_or_si512(_mm512_and_si512(c, m0f), _mm512_and_si512(_mm512_srli_epi32(a, 2), m30));
        const __m512i m1 = _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi32(c, 4), m0f), _mm512_and_si512(_mm512_srli_epi32(b, 2), m30));
        __m512i S[8], M[8];
        for (int t = 0; t < NT; t++) { S[t] = _mm512_setzero_si512(); M[t] = _mm512_setzero_si512(); }
        for (int j = 0; j < 8; j++) {
            const __m512i sc = _mm512_and_si512(_mm512_srli_epi32(j < 4 ? s0 : s1, 8 * (j % 4)), byte);
            const uint8_t *bits = o + Q4KI_BITS + 256 * j;
            if (NT == 1) {
                // Decoding streams the weights from memory: fetch ahead (the hardware prefetcher
                // alone left a single core at ~17 GB/s on this layout, against ~30 on plain rows).
                const uint8_t *ahead = o + LK_Q4KI_PREFETCH + 320 * j;
                for (int l = 0; l < 5; l++) _mm_prefetch((const char *)(ahead + 64 * l), _MM_HINT_T0);
            }
            __m512i w[8];
            for (int k = 0; k < 4; k++) {
                __m512i raw = _mm512_loadu_si512((const void *)(bits + 64 * k));
                w[2 * k] = _mm512_and_si512(raw, low);
                w[2 * k + 1] = _mm512_and_si512(_mm512_srli_epi16(raw, 4), low);
            }
            for (int t = 0; t < NT; t++) {
                const int8_t *y = q + t * qstride + 256 * s + 32 * j;
                int32_t v[8];
                memcpy(v, y, 32);
                __m512i p0 = _mm512_dpbusd_epi32(_mm512_setzero_si512(), w[0], _mm512_set1_epi32(v[0]));
                __m512i p1 = _mm512_dpbusd_epi32(_mm512_setzero_si512(), w[1], _mm512_set1_epi32(v[1]));
                p0 = _mm512_dpbusd_epi32(p0, w[2], _mm512_set1_epi32(v[2]));
                p1 = _mm512_dpbusd_epi32(p1, w[3], _mm512_set1_epi32(v[3]));
                p0 = _mm512_dpbusd_epi32(p0, w[4], _mm512_set1_epi32(v[4]));
                p1 = _mm512_dpbusd_epi32(p1, w[5], _mm512_set1_epi32(v[5]));
                p0 = _mm512_dpbusd_epi32(p0, w[6], _mm512_set1_epi32(v[6]));
                p1 = _mm512_dpbusd_epi32(p1, w[7], _mm512_set1_epi32(v[7]));
                S[t] = _mm512_add_epi32(S[t], _mm512_mullo_epi32(_mm512_add_epi32(p0, p1), sc));
            }
        }
        // Mins: lanes (mn0, mn2), (mn1, mn3), (mn4, mn6), (mn5, mn7) as 16-bit pairs against the
        // token's (Σ sub-block 0, Σ 2), … pairs (see `q4ki_pairs`).
        const __m512i e0 = _mm512_and_si512(m0, evens), o0 = _mm512_and_si512(_mm512_srli_epi32(m0, 8), evens);
        const __m512i e1 = _mm512_and_si512(m1, evens), o1 = _mm512_and_si512(_mm512_srli_epi32(m1, 8), evens);
        const __m512 d = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(o + Q4KI_D)));
        const __m512 dmin = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(o + Q4KI_DMIN)));
        for (int t = 0; t < NT; t++) {
            const int32_t *pr = pairs + 4 * (t * supers + s);
            M[t] = _mm512_dpwssd_epi32(M[t], e0, _mm512_set1_epi32(pr[0]));
            M[t] = _mm512_dpwssd_epi32(M[t], o0, _mm512_set1_epi32(pr[1]));
            M[t] = _mm512_dpwssd_epi32(M[t], e1, _mm512_set1_epi32(pr[2]));
            M[t] = _mm512_dpwssd_epi32(M[t], o1, _mm512_set1_epi32(pr[3]));
            const __m512 dy = _mm512_set1_ps(qd[t * supers + s]);
            acc[t] = _mm512_fmadd_ps(_mm512_mul_ps(dy, d), _mm512_cvtepi32_ps(S[t]), acc[t]);
            acc[t] = _mm512_fnmadd_ps(_mm512_mul_ps(dy, dmin), _mm512_cvtepi32_ps(M[t]), acc[t]);
        }
    }
    for (int t = 0; t < NT; t++) _mm512_storeu_ps(out + t * out_stride, acc[t]);
}

/// Per token and super-block, the mins' activation pairs as 16-bit halves of a dword:
/// (g0, g2), (g1, g3), (g4, g6), (g5, g7), g_j being the sum of sub-block j's 32 values.
static void q4ki_pairs(const int16_t *qs, size_t supers, size_t tokens, int32_t *pairs) {
    static const int order[4][2] = {{0, 2}, {1, 3}, {4, 6}, {5, 7}};
    for (size_t t = 0; t < tokens; t++)
        for (size_t s = 0; s < supers; s++) {
            const int16_t *g = qs + 16 * (t * supers + s);
            for (int p = 0; p < 4; p++) {
                int lo = order[p][0], hi = order[p][1];
                uint16_t a = (uint16_t)(int16_t)(g[2 * lo] + g[2 * lo + 1]);
                uint16_t b = (uint16_t)(int16_t)(g[2 * hi] + g[2 * hi + 1]);
                pairs[4 * (t * supers + s) + p] = (int32_t)((uint32_t)a | ((uint32_t)b << 16));
            }
        }
}

LK_Q4KI_TARGET static void q4ki_q8k_vnni(const void *tiles, size_t rows, const int8_t *q, const float *qd,
                                          const int16_t *qs, size_t supers, size_t tokens, float *out, size_t out_stride) {
    if (supers > LK_Q4K_INTERLEAVED_MAX_SUPERS) {
        q4ki_q8k_portable(tiles, rows, q, qd, qs, supers, tokens, out, out_stride);
        return;
    }
    const uint8_t *base = (const uint8_t *)tiles;
    const size_t tile_bytes = (size_t)Q4KI_SUPER_BYTES * supers;
    int32_t pairs[8 * 4 * LK_Q4K_INTERLEAVED_MAX_SUPERS];
    if (tokens < 8) {
        // Decoding: the weights stream from memory once, tile after tile.
        for (size_t t = 0; t < tokens; t++) {
            q4ki_pairs(qs + 16 * supers * t, supers, 1, pairs);
            for (size_t r = 0; r < rows; r += 16)
                q4ki_tile_vnni(base + (r / 16) * tile_bytes, q + 256 * supers * t, qd + supers * t, pairs, supers, 1,
                               out + t * out_stride + r, out_stride);
        }
        return;
    }
    // Batches: blocks of tiles (≤ LK_Q4KI_BLOCK_BYTES, so they stay in L2) visited by every
    // group of 8 tokens before the next block.
    size_t block = LK_Q4KI_BLOCK_BYTES / tile_bytes;
    if (block < 1) block = 1;
    for (size_t r0 = 0; r0 < rows; r0 += 16 * block) {
        size_t r1 = r0 + 16 * block < rows ? r0 + 16 * block : rows;
        size_t t = 0;
        for (; t + 8 <= tokens; t += 8) {
            q4ki_pairs(qs + 16 * supers * t, supers, 8, pairs);
            for (size_t r = r0; r < r1; r += 16)
                q4ki_tile_vnni(base + (r / 16) * tile_bytes, q + 256 * supers * t, qd + supers * t, pairs, supers, 8,
                               out + t * out_stride + r, out_stride);
        }
        for (; t < tokens; t++) {
            q4ki_pairs(qs + 16 * supers * t, supers, 1, pairs);
            for (size_t r = r0; r < r1; r += 16)
                q4ki_tile_vnni(base + (r / 16) * tile_bytes, q + 256 * supers * t, qd + supers * t, pairs, supers, 1,
                               out + t * out_stride + r, out_stride);
        }
    }
}

/// One 16-row Q6_K tile · NT tokens (as `q4ki_tile_vnni`): per 32 values 8 six-bit vectors
/// (nibbles plus two high bits), per token 8 `vpdpbusd` and two `vpmulld` by the group scales;
/// the +32 storage offset as 32·Σ scale·(group sum) from 8 `vpdpwssd`.
LK_Q4KI_TARGET static inline __attribute__((always_inline)) void q6ki_tile_vnni(
    const uint8_t *tile, const int8_t *q, const float *qd, const int16_t *qs, size_t supers, const int NT,
    float *out, size_t out_stride) {
    const __m512i low = _mm512_set1_epi8(0x0F), three = _mm512_set1_epi8(3), top = _mm512_set1_epi8(0x30);
    const __m512i words = _mm512_set1_epi32(0xFFFF);
    const size_t qstride = 256 * supers, sstride = 16 * supers;
    __m512 acc[8];
    for (int t = 0; t < NT; t++) acc[t] = _mm512_setzero_ps();
    for (size_t s = 0; s < supers; s++) {
        const uint8_t *o = tile + s * Q6KI_SUPER_BYTES;
        __m512i S[8];
        for (int t = 0; t < NT; t++) S[t] = _mm512_setzero_si512();
        for (int j = 0; j < 8; j++) {
            if (NT == 1) {
                const uint8_t *ahead = o + LK_Q4KI_PREFETCH * 3 / 2 + 448 * j;
                for (int l = 0; l < 7; l++) _mm_prefetch((const char *)(ahead + 64 * l), _MM_HINT_T0);
            }
            const __m512i sc0 = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(o + 32 * j)));
            const __m512i sc1 = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(o + 32 * j + 16)));
            __m512i w[8];
            for (int p = 0; p < 2; p++) {
                __m512i hb = _mm512_loadu_si512((const void *)(o + Q6KI_HIGH + 128 * j + 64 * p));
                for (int h = 0; h < 2; h++) {
                    int k = 2 * p + h;
                    __m512i raw = _mm512_loadu_si512((const void *)(o + Q6KI_LOW + 256 * j + 64 * k));
                    __m512i hk = h ? _mm512_srli_epi16(hb, 4) : hb;
                    w[2 * k] = _mm512_or_si512(_mm512_and_si512(raw, low), _mm512_slli_epi16(_mm512_and_si512(hk, three), 4));
                    w[2 * k + 1] = _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(raw, 4), low),
                                                   _mm512_and_si512(_mm512_slli_epi16(hk, 2), top));
                }
            }
            for (int t = 0; t < NT; t++) {
                const int8_t *y = q + t * qstride + 256 * s + 32 * j;
                int32_t v[8];
                memcpy(v, y, 32);
                __m512i p0 = _mm512_dpbusd_epi32(_mm512_setzero_si512(), w[0], _mm512_set1_epi32(v[0]));
                __m512i p1 = _mm512_dpbusd_epi32(_mm512_setzero_si512(), w[4], _mm512_set1_epi32(v[4]));
                p0 = _mm512_dpbusd_epi32(p0, w[1], _mm512_set1_epi32(v[1]));
                p1 = _mm512_dpbusd_epi32(p1, w[5], _mm512_set1_epi32(v[5]));
                p0 = _mm512_dpbusd_epi32(p0, w[2], _mm512_set1_epi32(v[2]));
                p1 = _mm512_dpbusd_epi32(p1, w[6], _mm512_set1_epi32(v[6]));
                p0 = _mm512_dpbusd_epi32(p0, w[3], _mm512_set1_epi32(v[3]));
                p1 = _mm512_dpbusd_epi32(p1, w[7], _mm512_set1_epi32(v[7]));
                S[t] = _mm512_add_epi32(S[t], _mm512_add_epi32(_mm512_mullo_epi32(p0, sc0), _mm512_mullo_epi32(p1, sc1)));
            }
        }
        // Scale pairs (s_2m, s_2m+1) as 16-bit halves against the token's (Σ group 2m, Σ 2m+1).
        __m512i pairs[8];
        for (int m = 0; m < 8; m++) {
            __m512i a = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(o + 32 * m)));
            __m512i b = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(o + 32 * m + 16)));
            pairs[m] = _mm512_or_si512(_mm512_and_si512(a, words), _mm512_slli_epi32(b, 16));
        }
        const __m512 d = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(o + Q6KI_D)));
        for (int t = 0; t < NT; t++) {
            const int16_t *g = qs + t * sstride + 16 * s;
            int32_t gv[8];
            memcpy(gv, g, 32);
            __m512i off = _mm512_setzero_si512();
            for (int m = 0; m < 8; m++) off = _mm512_dpwssd_epi32(off, pairs[m], _mm512_set1_epi32(gv[m]));
            __m512i total = _mm512_sub_epi32(S[t], _mm512_slli_epi32(off, 5));
            const __m512 dy = _mm512_set1_ps(qd[t * supers + s]);
            acc[t] = _mm512_fmadd_ps(_mm512_mul_ps(dy, d), _mm512_cvtepi32_ps(total), acc[t]);
        }
    }
    for (int t = 0; t < NT; t++) _mm512_storeu_ps(out + t * out_stride, acc[t]);
}

LK_Q4KI_TARGET static void q6ki_q8k_vnni(const void *tiles, size_t rows, const int8_t *q, const float *qd,
                                          const int16_t *qs, size_t supers, size_t tokens, float *out, size_t out_stride) {
    const uint8_t *base = (const uint8_t *)tiles;
    const size_t tile_bytes = (size_t)Q6KI_SUPER_BYTES * supers;
    if (tokens < 8) {
        for (size_t t = 0; t < tokens; t++)
            for (size_t r = 0; r < rows; r += 16)
                q6ki_tile_vnni(base + (r / 16) * tile_bytes, q + 256 * supers * t, qd + supers * t, qs + 16 * supers * t,
                               supers, 1, out + t * out_stride + r, out_stride);
        return;
    }
    size_t block = LK_Q4KI_BLOCK_BYTES / tile_bytes;
    if (block < 1) block = 1;
    for (size_t r0 = 0; r0 < rows; r0 += 16 * block) {
        size_t r1 = r0 + 16 * block < rows ? r0 + 16 * block : rows;
        size_t t = 0;
        for (; t + 8 <= tokens; t += 8)
            for (size_t r = r0; r < r1; r += 16)
                q6ki_tile_vnni(base + (r / 16) * tile_bytes, q + 256 * supers * t, qd + supers * t, qs + 16 * supers * t,
                               supers, 8, out + t * out_stride + r, out_stride);
        for (; t < tokens; t++)
            for (size_t r = r0; r < r1; r += 16)
                q6ki_tile_vnni(base + (r / 16) * tile_bytes, q + 256 * supers * t, qd + supers * t, qs + 16 * supers * t,
                               supers, 1, out + t * out_stride + r, out_stride);
    }
}

/// SwiGLU on 16 lanes (AVX-512F): the scalar's operations lane for lane; a vector with any
/// lane whose 2ⁿ leaves the normal range (|g| ≳ 87) goes through the scalar path.
LK_Q4KI_TARGET static void swiglu_avx512(float *gate, const float *up, size_t n) {
    const __m512 shifter = _mm512_set1_ps(LK_EXP_SHIFTER), one = _mm512_set1_ps(1.0f);
    const __m512i bias = _mm512_set1_epi32(127);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 g = _mm512_loadu_ps(gate + i), u = _mm512_loadu_ps(up + i);
        __m512 x = _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(g), _mm512_set1_epi32((int)0x80000000u)));
        __m512 shifted = _mm512_fmadd_ps(x, _mm512_set1_ps(LK_EXP_LOG2E), shifter);
        __m512 nn = _mm512_sub_ps(shifted, shifter);
        __mmask16 ok = _mm512_cmp_ps_mask(nn, _mm512_set1_ps(-126.0f), _CMP_GE_OQ) &
                       _mm512_cmp_ps_mask(nn, _mm512_set1_ps(127.0f), _CMP_LE_OQ);
        if (ok != 0xFFFF) {
            for (int l = 0; l < 16; l++) gate[i + l] = swiglu_scalar(gate[i + l], up[i + l]);
            continue;
        }
        __m512 b = _mm512_fnmadd_ps(nn, _mm512_set1_ps(LK_EXP_LN2_HI), x);
        b = _mm512_fnmadd_ps(nn, _mm512_set1_ps(LK_EXP_LN2_LO), b);
        __m512 sq = _mm512_mul_ps(b, b);
        __m512 high = _mm512_fmadd_ps(_mm512_set1_ps(LK_EXP_C5), b, _mm512_set1_ps(LK_EXP_C4));
        __m512 middle = _mm512_fmadd_ps(_mm512_set1_ps(LK_EXP_C3), b, _mm512_set1_ps(LK_EXP_C2));
        __m512 low = _mm512_fmadd_ps(_mm512_set1_ps(LK_EXP_C1), b, one);
        __m512 j = _mm512_fmadd_ps(_mm512_fmadd_ps(high, sq, middle), sq, low);
        // 1.5·2²³ + n keeps n in the low mantissa bits: (bits + 127) << 23 is 2ⁿ.
        __m512 scale = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(_mm512_castps_si512(shifted), bias), 23));
        __m512 e = _mm512_mul_ps(j, scale);
        _mm512_storeu_ps(gate + i, _mm512_mul_ps(_mm512_div_ps(g, _mm512_add_ps(one, e)), u));
    }
    for (; i < n; i++) gate[i] = swiglu_scalar(gate[i], up[i]);
}
#endif

// ---------- dispatch ----------

typedef void (*kq_kernel)(const void *, size_t, size_t, const int8_t *, const float *, const int16_t *, size_t, size_t,
                          float *, size_t);

#if LK_X86
static const kq_kernel q4k_table[3] = {q4k_q8k_portable, q4k_q8k_avx2, q4k_q8k_vnni};
static const kq_kernel q6k_table[3] = {q6k_q8k_portable, q6k_q8k_avx2, q6k_q8k_vnni};
#else
static const kq_kernel q4k_table[3] = {q4k_q8k_portable, q4k_q8k_portable, q4k_q8k_portable};
static const kq_kernel q6k_table[3] = {q6k_q8k_portable, q6k_q8k_portable, q6k_q8k_portable};
#endif

static int supported_level = 0;
static int active_level = 0;
static kq_kernel active_q4k = q4k_q8k_portable;
static kq_kernel active_q6k = q6k_q8k_portable;

static int detect_level(void) {
#if !LK_X86
    return 0;
#else
    __builtin_cpu_init();
    int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    if (avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni")) return 2;
    return avx2 ? 1 : 0;
#endif
}

static void apply_level(int level) {
    active_level = level;
    active_q4k = q4k_table[level];
    active_q6k = q6k_table[level];
}

// Runs before main, so the function pointers never change while other threads read them
// (unless a test calls lk_set_level, which it does before starting any product).
__attribute__((constructor)) static void lk_init(void) {
    supported_level = detect_level();
    apply_level(supported_level);
}

int lk_active_level(void) { return active_level; }
int lk_supported_level(void) { return supported_level; }

static int clamp_level(int level) {
    if (level < 0) return 0;
    return level > supported_level ? supported_level : level;
}

void lk_set_level(int level) { apply_level(clamp_level(level)); }

typedef void (*quantiser)(const float *, size_t, size_t, int8_t *, float *, int16_t *);
#if LK_X86
static const quantiser quantise_table[3] = {quantise_q8k_portable, quantise_q8k_avx2, quantise_q8k_avx2};
#else
static const quantiser quantise_table[3] = {quantise_q8k_portable, quantise_q8k_portable, quantise_q8k_portable};
#endif

void lk_quantise_q8k(const float *x, size_t rows, size_t width, int8_t *q, float *scale, int16_t *sums) {
    quantise_table[active_level](x, rows, width, q, scale, sums);
}

void lk_quantise_q8k_level(int level, const float *x, size_t rows, size_t width, int8_t *q, float *scale, int16_t *sums) {
    quantise_table[clamp_level(level)](x, rows, width, q, scale, sums);
}

void lk_q4k_q8k(const void *w, size_t row_bytes, size_t rows, const int8_t *q, const float *scale,
                const int16_t *sums, size_t supers, size_t tokens, float *out, size_t out_stride) {
    active_q4k(w, row_bytes, rows, q, scale, sums, supers, tokens, out, out_stride);
}

void lk_q6k_q8k(const void *w, size_t row_bytes, size_t rows, const int8_t *q, const float *scale,
                const int16_t *sums, size_t supers, size_t tokens, float *out, size_t out_stride) {
    active_q6k(w, row_bytes, rows, q, scale, sums, supers, tokens, out, out_stride);
}

void lk_q4k_q8k_level(int level, const void *w, size_t row_bytes, size_t rows, const int8_t *q, const float *scale,
                      const int16_t *sums, size_t supers, size_t tokens, float *out, size_t out_stride) {
    q4k_table[clamp_level(level)](w, row_bytes, rows, q, scale, sums, supers, tokens, out, out_stride);
}

void lk_q6k_q8k_level(int level, const void *w, size_t row_bytes, size_t rows, const int8_t *q, const float *scale,
                      const int16_t *sums, size_t supers, size_t tokens, float *out, size_t out_stride) {
    q6k_table[clamp_level(level)](w, row_bytes, rows, q, scale, sums, supers, tokens, out, out_stride);
}

typedef void (*q4ki_kernel)(const void *, size_t, const int8_t *, const float *, const int16_t *, size_t, size_t,
                            float *, size_t);

static q4ki_kernel q4ki_for(int level) {
#if LK_X86
    if (level >= 2) return q4ki_q8k_vnni;
#endif
    (void)level;
    return q4ki_q8k_portable;
}

int lk_q4k_interleaved_fast(void) { return active_level >= 2; }

void lk_q4k_q8k_interleaved(const void *tiles, size_t rows, const int8_t *q, const float *scale, const int16_t *sums,
                            size_t supers, size_t tokens, float *out, size_t out_stride) {
    q4ki_for(active_level)(tiles, rows, q, scale, sums, supers, tokens, out, out_stride);
}

void lk_q4k_q8k_interleaved_level(int level, const void *tiles, size_t rows, const int8_t *q, const float *scale,
                                  const int16_t *sums, size_t supers, size_t tokens, float *out, size_t out_stride) {
    q4ki_for(clamp_level(level))(tiles, rows, q, scale, sums, supers, tokens, out, out_stride);
}

static q4ki_kernel q6ki_for(int level) {
#if LK_X86
    if (level >= 2) return q6ki_q8k_vnni;
#endif
    (void)level;
    return q6ki_q8k_portable;
}

void lk_q6k_q8k_interleaved(const void *tiles, size_t rows, const int8_t *q, const float *scale, const int16_t *sums,
                            size_t supers, size_t tokens, float *out, size_t out_stride) {
    q6ki_for(active_level)(tiles, rows, q, scale, sums, supers, tokens, out, out_stride);
}

void lk_q6k_q8k_interleaved_level(int level, const void *tiles, size_t rows, const int8_t *q, const float *scale,
                                  const int16_t *sums, size_t supers, size_t tokens, float *out, size_t out_stride) {
    q6ki_for(clamp_level(level))(tiles, rows, q, scale, sums, supers, tokens, out, out_stride);
}

void lk_swiglu_level(int level, float *gate, const float *up, size_t n) {
#if LK_X86
    if (clamp_level(level) >= 2) { swiglu_avx512(gate, up, n); return; }
#endif
    (void)level;
    swiglu_portable(gate, up, n);
}

void lk_swiglu(float *gate, const float *up, size_t n) { lk_swiglu_level(active_level, gate, up, n); }
