#include "CVectorKernels.h"
#include <immintrin.h>
#include <string.h>

// ---------- portable ----------

// IEEE half → float through the compiler's `_Float16` (F16C where enabled, an exact library
// conversion otherwise).
static float half_to_float(uint16_t bits) {
    _Float16 h;
    memcpy(&h, &bits, 2);
    return (float)h;
}

// Four accumulators so the portable path is not latency-bound on one add chain.
static float dot_f32_portable(const float *a, const float *b, size_t n) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i]; s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2]; s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; i++) s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

static float l2sq_f32_portable(const float *a, const float *b, size_t n) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        float d0 = a[i] - b[i], d1 = a[i + 1] - b[i + 1];
        float d2 = a[i + 2] - b[i + 2], d3 = a[i + 3] - b[i + 3];
        s0 += d0 * d0; s1 += d1 * d1; s2 += d2 * d2; s3 += d3 * d3;
    }
    for (; i < n; i++) { float d = a[i] - b[i]; s0 += d * d; }
    return (s0 + s1) + (s2 + s3);
}

static float dot_f16_portable(const float *a, const uint16_t *b, size_t n) {
    float s = 0;
    for (size_t i = 0; i < n; i++) s += a[i] * half_to_float(b[i]);
    return s;
}

static float l2sq_f16_portable(const float *a, const uint16_t *b, size_t n) {
    float s = 0;
    for (size_t i = 0; i < n; i++) { float d = a[i] - half_to_float(b[i]); s += d * d; }
    return s;
}

// ---------- AVX2 + FMA + F16C ----------

#define AVX2 __attribute__((target("avx2,fma,f16c")))

AVX2 static inline float hsum256(__m256 v) {
    __m128 lo = _mm256_castps256_ps128(v);
    __m128 hi = _mm256_extractf128_ps(v, 1);
    lo = _mm_add_ps(lo, hi);
    __m128 sh = _mm_movehdup_ps(lo);
    __m128 s = _mm_add_ps(lo, sh);
    sh = _mm_movehl_ps(sh, s);
    s = _mm_add_ss(s, sh);
    return _mm_cvtss_f32(s);
}

AVX2 static float dot_f32_avx2(const float *a, const float *b, size_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    __m256 s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
    }
    for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    float s = hsum256(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    for (; i < n; i++) s += a[i] * b[i];
    return s;
}

AVX2 static float l2sq_f32_avx2(const float *a, const float *b, size_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    __m256 s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
        __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8));
        __m256 d2 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16));
        __m256 d3 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24));
        s0 = _mm256_fmadd_ps(d0, d0, s0); s1 = _mm256_fmadd_ps(d1, d1, s1);
        s2 = _mm256_fmadd_ps(d2, d2, s2); s3 = _mm256_fmadd_ps(d3, d3, s3);
    }
    for (; i + 8 <= n; i += 8) {
        __m256 d = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
        s0 = _mm256_fmadd_ps(d, d, s0);
    }
    float s = hsum256(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    for (; i < n; i++) { float d = a[i] - b[i]; s += d * d; }
    return s;
}

AVX2 static float dot_f16_avx2(const float *a, const uint16_t *b, size_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256 b0 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(b + i)));
        __m256 b1 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(b + i + 8)));
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), b0, s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), b1, s1);
    }
    float s = hsum256(_mm256_add_ps(s0, s1));
    for (; i < n; i++) s += a[i] * half_to_float(b[i]);
    return s;
}

AVX2 static float l2sq_f16_avx2(const float *a, const uint16_t *b, size_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(b + i))));
        __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(b + i + 8))));
        s0 = _mm256_fmadd_ps(d0, d0, s0);
        s1 = _mm256_fmadd_ps(d1, d1, s1);
    }
    float s = hsum256(_mm256_add_ps(s0, s1));
    for (; i < n; i++) { float d = a[i] - half_to_float(b[i]); s += d * d; }
    return s;
}

// ---------- AVX-512F ----------

#define AVX512 __attribute__((target("avx512f,avx2,fma,f16c")))

AVX512 static float dot_f32_avx512(const float *a, const float *b, size_t n) {
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
        s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), s1);
    }
    if (i + 16 <= n) {
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
        i += 16;
    }
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
        s1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), s1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}

AVX512 static float l2sq_f32_avx512(const float *a, const float *b, size_t n) {
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m512 d0 = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
        __m512 d1 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16));
        s0 = _mm512_fmadd_ps(d0, d0, s0);
        s1 = _mm512_fmadd_ps(d1, d1, s1);
    }
    if (i + 16 <= n) {
        __m512 d = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
        s0 = _mm512_fmadd_ps(d, d, s0);
        i += 16;
    }
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
        __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i));
        s1 = _mm512_fmadd_ps(d, d, s1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}

AVX512 static float dot_f16_avx512(const float *a, const uint16_t *b, size_t n) {
    __m512 s0 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 bv = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(b + i)));
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), bv, s0);
    }
    float s = _mm512_reduce_add_ps(s0);
    for (; i < n; i++) s += a[i] * half_to_float(b[i]);
    return s;
}

AVX512 static float l2sq_f16_avx512(const float *a, const uint16_t *b, size_t n) {
    __m512 s0 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 d = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(b + i))));
        s0 = _mm512_fmadd_ps(d, d, s0);
    }
    float s = _mm512_reduce_add_ps(s0);
    for (; i < n; i++) { float d = a[i] - half_to_float(b[i]); s += d * d; }
    return s;
}

// ---------- dispatch ----------

typedef float (*f32_kernel)(const float *, const float *, size_t);
typedef float (*f16_kernel)(const float *, const uint16_t *, size_t);

static const f32_kernel dot_f32_table[3] = {dot_f32_portable, dot_f32_avx2, dot_f32_avx512};
static const f32_kernel l2sq_f32_table[3] = {l2sq_f32_portable, l2sq_f32_avx2, l2sq_f32_avx512};
static const f16_kernel dot_f16_table[3] = {dot_f16_portable, dot_f16_avx2, dot_f16_avx512};
static const f16_kernel l2sq_f16_table[3] = {l2sq_f16_portable, l2sq_f16_avx2, l2sq_f16_avx512};

static int supported_level = -1;
static int active_level = 0;
static f32_kernel active_dot_f32 = dot_f32_portable;
static f32_kernel active_l2sq_f32 = l2sq_f32_portable;
static f16_kernel active_dot_f16 = dot_f16_portable;
static f16_kernel active_l2sq_f16 = l2sq_f16_portable;

static int detect_level(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2") &&
        __builtin_cpu_supports("fma")) return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
        __builtin_cpu_supports("f16c")) return 1;
    return 0;
}

static void apply_level(int level) {
    active_level = level;
    active_dot_f32 = dot_f32_table[level];
    active_l2sq_f32 = l2sq_f32_table[level];
    active_dot_f16 = dot_f16_table[level];
    active_l2sq_f16 = l2sq_f16_table[level];
}

// Runs before main, so the function pointers never change while other threads read them
// (unless a test calls vk_set_level, which it does before starting any index work).
__attribute__((constructor)) static void vk_init(void) {
    supported_level = detect_level();
    apply_level(supported_level);
}

int vk_active_level(void) { return active_level; }
int vk_supported_level(void) { return supported_level; }

static int clamp_level(int level) {
    if (level < 0) return 0;
    return level > supported_level ? supported_level : level;
}

void vk_set_level(int level) { apply_level(clamp_level(level)); }

float vk_dot_f32(const float *a, const float *b, size_t n) { return active_dot_f32(a, b, n); }
float vk_l2sq_f32(const float *a, const float *b, size_t n) { return active_l2sq_f32(a, b, n); }
float vk_dot_f16(const float *a, const uint16_t *b, size_t n) { return active_dot_f16(a, b, n); }
float vk_l2sq_f16(const float *a, const uint16_t *b, size_t n) { return active_l2sq_f16(a, b, n); }

float vk_dot_f32_level(int level, const float *a, const float *b, size_t n) { return dot_f32_table[clamp_level(level)](a, b, n); }
float vk_l2sq_f32_level(int level, const float *a, const float *b, size_t n) { return l2sq_f32_table[clamp_level(level)](a, b, n); }
float vk_dot_f16_level(int level, const float *a, const uint16_t *b, size_t n) { return dot_f16_table[clamp_level(level)](a, b, n); }
float vk_l2sq_f16_level(int level, const float *a, const uint16_t *b, size_t n) { return l2sq_f16_table[clamp_level(level)](a, b, n); }

// ---------- CRC-32C ----------

static uint32_t crc_table[256];
static int crc_table_ready = 0;

static void build_crc_table(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        crc_table[i] = c;
    }
    crc_table_ready = 1;
}

static int has_sse42 = 0;

__attribute__((constructor)) static void vk_crc_init(void) {
    build_crc_table();
    __builtin_cpu_init();
    has_sse42 = __builtin_cpu_supports("sse4.2") ? 1 : 0;
}

uint32_t vk_crc32c_portable(uint32_t crc, const void *data, size_t length) {
    if (!crc_table_ready) build_crc_table();
    const uint8_t *p = (const uint8_t *)data;
    uint32_t c = ~crc;
    for (size_t i = 0; i < length; i++) c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return ~c;
}

__attribute__((target("sse4.2"))) static uint32_t crc32c_sse42(uint32_t crc, const void *data, size_t length) {
    const uint8_t *p = (const uint8_t *)data;
    uint64_t c = ~crc;
    size_t i = 0;
    for (; i + 8 <= length; i += 8) {
        uint64_t word;
        memcpy(&word, p + i, 8);
        c = _mm_crc32_u64(c, word);
    }
    uint32_t c32 = (uint32_t)c;
    for (; i < length; i++) c32 = _mm_crc32_u8(c32, p[i]);
    return ~c32;
}

uint32_t vk_crc32c(uint32_t crc, const void *data, size_t length) {
    return has_sse42 ? crc32c_sse42(crc, data, length) : vk_crc32c_portable(crc, data, length);
}
