// SIMD bodies of the K-quant × Q8_K kernels, included once per instruction-set variant by
// kernels.c with LK_TARGET (the function attribute), LK_SUFFIX (name suffix) and
// LK_DPWSSD(acc, a, b) (acc + Σ pairs of 16-bit a·b into 32-bit lanes) defined.
//
// Shapes: per 32 weights one `vpmaddubsw` (unsigned 4/6-bit weights × signed activations, pair
// sums ≤ 2·63·128 so never saturating) and one `vpmaddwd`/`vpdpwssd` that applies the
// sub-block scale while widening to 32 bits. The 4-token kernels decode each 32-byte chunk of
// weights once and multiply it with four tokens' activations, which is what lets a prompt batch
// run above the rate the weights stream in from memory.

#define LK_CAT2(a, b) a##_##b
#define LK_CAT(a, b) LK_CAT2(a, b)
#define LK_FN(name) LK_CAT(name, LK_SUFFIX)

LK_TARGET static inline float LK_FN(half)(const uint8_t *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return _cvtsh_ss(h);
}

/// Sums of the 8 lanes of each of four vectors: lane t of the result is Σ v_t.
LK_TARGET static inline __m128i LK_FN(hsum4x8)(__m256i a, __m256i b, __m256i c, __m256i d) {
    __m256i abcd = _mm256_hadd_epi32(_mm256_hadd_epi32(a, b), _mm256_hadd_epi32(c, d));
    return _mm_add_epi32(_mm256_castsi256_si128(abcd), _mm256_extracti128_si256(abcd, 1));
}

/// Sum of the 8 lanes of one vector.
LK_TARGET static inline int32_t LK_FN(hsum8)(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_unpackhi_epi64(s, s));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 1));
    return _mm_cvtsi128_si32(s);
}

/// Decodes the scales, mins and f16 factors of `supers` Q4_K super-blocks of one row.
LK_TARGET static void LK_FN(q4k_decode)(const uint8_t *w, size_t supers, q4k_meta *meta) {
    for (size_t s = 0; s < supers; s++) {
        const uint8_t *blk = w + 144 * s;
        uint8_t sc[8], mn[8];
        q4k_scales_mins(blk + 4, sc, mn);
        for (int j = 0; j < 8; j++) {
            meta[s].scales[j] = sc[j];
            meta[s].mins[2 * j] = meta[s].mins[2 * j + 1] = mn[j];
        }
        meta[s].d = LK_FN(half)(blk);
        meta[s].dmin = LK_FN(half)(blk + 2);
    }
}

// Float steps per super-block, shared by the one- and four-token kernels so a batch gives the
// same floats as decoding token by token: the integer totals S (scaled sums) and M (mins ·
// group sums) are exact; then acc = fma(d·dy, S, acc) and acc = fma(−dmin·dy, M, acc).

/// One Q4_K row · one token, decoding each super-block's header inline (decoding: the weights
/// stream from memory once, so nothing is worth keeping).
LK_TARGET static float LK_FN(q4k_1)(const uint8_t *w, const int8_t *q, const float *qd, const int16_t *qs, size_t supers) {
    const __m256i low = _mm256_set1_epi8(0x0F);
    float acc = 0;
    for (size_t s = 0; s < supers; s++) {
        const uint8_t *blk = w + 144 * s;
        uint8_t sc[8], mn[8];
        q4k_scales_mins(blk + 4, sc, mn);
        const uint8_t *bits = blk + 16;
        const int8_t *y = q + 256 * s;
        __m256i sum0 = _mm256_setzero_si256(), sum1 = _mm256_setzero_si256();
        for (int j = 0; j < 4; j++) {
            __m256i b = _mm256_loadu_si256((const __m256i *)(bits + 32 * j));
            __m256i lo = _mm256_and_si256(b, low);
            __m256i hi = _mm256_and_si256(_mm256_srli_epi16(b, 4), low);
            sum0 = LK_DPWSSD(sum0, _mm256_maddubs_epi16(lo, _mm256_loadu_si256((const __m256i *)(y + 64 * j))), _mm256_set1_epi16(sc[2 * j]));
            sum1 = LK_DPWSSD(sum1, _mm256_maddubs_epi16(hi, _mm256_loadu_si256((const __m256i *)(y + 64 * j + 32))), _mm256_set1_epi16(sc[2 * j + 1]));
        }
        __m128i m8 = _mm_loadl_epi64((const __m128i *)mn);
        __m256i mins = _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(m8, m8));
        __m256i msum = _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(qs + 16 * s)), mins);
        float dy = qd[s];
        acc = fmaf(dy * LK_FN(half)(blk), (float)LK_FN(hsum8)(_mm256_add_epi32(sum0, sum1)), acc);
        acc = fmaf(-(dy * LK_FN(half)(blk + 2)), (float)LK_FN(hsum8)(msum), acc);
    }
    return acc;
}

/// One Q4_K row · four tokens: activation rows `256·supers` bytes apart; `dy4[4s + t]` is
/// token t's scale of super-block s. Each 32-byte chunk of weights is unpacked once for all four.
LK_TARGET static void LK_FN(q4k_4)(const uint8_t *w, const q4k_meta *meta, const int8_t *q, const float *dy4,
                                   const int16_t *qs, size_t supers, float *out, size_t out_stride) {
    const __m256i low = _mm256_set1_epi8(0x0F);
    const size_t qstride = 256 * supers, sstride = 16 * supers;
    __m128 acc = _mm_setzero_ps();
    for (size_t s = 0; s < supers; s++) {
        const q4k_meta *m = meta + s;
        const uint8_t *bits = w + 144 * s + 16;
        const int8_t *y = q + 256 * s;
        __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256(), s2 = _mm256_setzero_si256(), s3 = _mm256_setzero_si256();
        for (int j = 0; j < 4; j++) {
            __m256i b = _mm256_loadu_si256((const __m256i *)(bits + 32 * j));
            __m256i lo = _mm256_and_si256(b, low);
            __m256i hi = _mm256_and_si256(_mm256_srli_epi16(b, 4), low);
            __m256i slo = _mm256_set1_epi16(m->scales[2 * j]), shi = _mm256_set1_epi16(m->scales[2 * j + 1]);
            const int8_t *yj = y + 64 * j;
#if LK_PACKED_VNNI
            // `vpdpbusd` sums 4 products per lane (≤ 4·15·127, so 16 bits hold it); the two
            // sub-blocks' lanes are packed into one vector and scaled by one `vpdpwssd`:
            // 3 multiplies per 64 weights instead of 4.
            __m256i spair = _mm256_blend_epi32(slo, shi, 0xCC);
#define LK_Q4K_TOKEN(sum, t) { \
            __m256i dl = _mm256_dpbusd_epi32(_mm256_setzero_si256(), lo, _mm256_loadu_si256((const __m256i *)(yj + (t) * qstride))); \
            __m256i dh = _mm256_dpbusd_epi32(_mm256_setzero_si256(), hi, _mm256_loadu_si256((const __m256i *)(yj + (t) * qstride + 32))); \
            sum = LK_DPWSSD(sum, _mm256_packs_epi32(dl, dh), spair); }
#else
#define LK_Q4K_TOKEN(sum, t) \
            sum = LK_DPWSSD(sum, _mm256_maddubs_epi16(lo, _mm256_loadu_si256((const __m256i *)(yj + (t) * qstride))), slo); \
            sum = LK_DPWSSD(sum, _mm256_maddubs_epi16(hi, _mm256_loadu_si256((const __m256i *)(yj + (t) * qstride + 32))), shi);
#endif
            LK_Q4K_TOKEN(s0, 0) LK_Q4K_TOKEN(s1, 1) LK_Q4K_TOKEN(s2, 2) LK_Q4K_TOKEN(s3, 3)
#undef LK_Q4K_TOKEN
        }
        const __m256i mins = _mm256_loadu_si256((const __m256i *)m->mins);
        const int16_t *g = qs + 16 * s;
        __m128i msum = LK_FN(hsum4x8)(
            _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)g), mins),
            _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(g + sstride)), mins),
            _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(g + 2 * sstride)), mins),
            _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(g + 3 * sstride)), mins));
        __m128 dy = _mm_loadu_ps(dy4 + 4 * s);
        acc = _mm_fmadd_ps(_mm_mul_ps(dy, _mm_set1_ps(m->d)), _mm_cvtepi32_ps(LK_FN(hsum4x8)(s0, s1, s2, s3)), acc);
        acc = _mm_fnmadd_ps(_mm_mul_ps(dy, _mm_set1_ps(m->dmin)), _mm_cvtepi32_ps(msum), acc);
    }
    float lanes[4];
    _mm_storeu_ps(lanes, acc);
    for (int t = 0; t < 4; t++) out[t * out_stride] = lanes[t];
}

/// Q6_K: the scales of the 16-value groups 2p and 2p+1 spread over 16 int16 lanes (8 each),
/// matching the pair sums of one 32-value quarter.
LK_TARGET static inline __m256i LK_FN(q6k_scale_pair)(__m128i scales8, int p) {
    return _mm256_cvtepi8_epi16(_mm_shuffle_epi8(scales8, _mm_loadu_si128((const __m128i *)q6k_pair_masks[p])));
}

/// The 64 six-bit values (0…63) of quarters k of one 128-value half: a nibble of `l0`/`l1`
/// plus two bits of `h`.
#define LK_Q6K_QUARTERS(l0, l1, h, q0, q1, q2, q3) \
    __m256i q0 = _mm256_or_si256(_mm256_and_si256(l0, low), _mm256_slli_epi16(_mm256_and_si256(h, three), 4)); \
    __m256i q1 = _mm256_or_si256(_mm256_and_si256(l1, low), _mm256_slli_epi16(_mm256_and_si256(h, twelve), 2)); \
    __m256i q2 = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), low), _mm256_and_si256(h, high2)); \
    __m256i q3 = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), low), _mm256_and_si256(_mm256_srli_epi16(h, 2), high2));

/// One Q6_K row · one token. The stored values are q+32: the offset comes out once per
/// super-block as 32·Σ scale·(group sum).
LK_TARGET static float LK_FN(q6k_1)(const uint8_t *w, const int8_t *q, const float *qd, const int16_t *qs, size_t supers) {
    const __m256i low = _mm256_set1_epi8(0x0F), three = _mm256_set1_epi8(3), twelve = _mm256_set1_epi8(12), high2 = _mm256_set1_epi8(0x30);
    float acc = 0;
    for (size_t s = 0; s < supers; s++) {
        const uint8_t *blk = w + 210 * s;
        const __m128i scales8 = _mm_loadu_si128((const __m128i *)(blk + 192));
        const int8_t *y = q + 256 * s;
        __m256i sum0 = _mm256_setzero_si256(), sum1 = _mm256_setzero_si256();
        for (int h = 0; h < 2; h++) {
            __m256i l0 = _mm256_loadu_si256((const __m256i *)(blk + 64 * h));
            __m256i l1 = _mm256_loadu_si256((const __m256i *)(blk + 64 * h + 32));
            __m256i hb = _mm256_loadu_si256((const __m256i *)(blk + 128 + 32 * h));
            LK_Q6K_QUARTERS(l0, l1, hb, v0, v1, v2, v3)
            const int8_t *yh = y + 128 * h;
            sum0 = LK_DPWSSD(sum0, _mm256_maddubs_epi16(v0, _mm256_loadu_si256((const __m256i *)yh)), LK_FN(q6k_scale_pair)(scales8, 4 * h));
            sum1 = LK_DPWSSD(sum1, _mm256_maddubs_epi16(v1, _mm256_loadu_si256((const __m256i *)(yh + 32))), LK_FN(q6k_scale_pair)(scales8, 4 * h + 1));
            sum0 = LK_DPWSSD(sum0, _mm256_maddubs_epi16(v2, _mm256_loadu_si256((const __m256i *)(yh + 64))), LK_FN(q6k_scale_pair)(scales8, 4 * h + 2));
            sum1 = LK_DPWSSD(sum1, _mm256_maddubs_epi16(v3, _mm256_loadu_si256((const __m256i *)(yh + 96))), LK_FN(q6k_scale_pair)(scales8, 4 * h + 3));
        }
        __m256i offset = _mm256_madd_epi16(_mm256_cvtepi8_epi16(scales8), _mm256_loadu_si256((const __m256i *)(qs + 16 * s)));
        __m256i sum = _mm256_sub_epi32(_mm256_add_epi32(sum0, sum1), _mm256_slli_epi32(offset, 5));
        acc = fmaf(qd[s] * LK_FN(half)(blk + 208), (float)LK_FN(hsum8)(sum), acc);
    }
    return acc;
}

/// One Q6_K row · four tokens.
LK_TARGET static void LK_FN(q6k_4)(const uint8_t *w, const int8_t *q, const float *dy4, const int16_t *qs,
                                   size_t supers, float *out, size_t out_stride) {
    const __m256i low = _mm256_set1_epi8(0x0F), three = _mm256_set1_epi8(3), twelve = _mm256_set1_epi8(12), high2 = _mm256_set1_epi8(0x30);
    const size_t qstride = 256 * supers, sstride = 16 * supers;
    __m128 acc = _mm_setzero_ps();
    for (size_t s = 0; s < supers; s++) {
        const uint8_t *blk = w + 210 * s;
        const __m128i scales8 = _mm_loadu_si128((const __m128i *)(blk + 192));
        const int8_t *y = q + 256 * s;
        __m256i sums[4] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256()};
        for (int h = 0; h < 2; h++) {
            __m256i l0 = _mm256_loadu_si256((const __m256i *)(blk + 64 * h));
            __m256i l1 = _mm256_loadu_si256((const __m256i *)(blk + 64 * h + 32));
            __m256i hb = _mm256_loadu_si256((const __m256i *)(blk + 128 + 32 * h));
            LK_Q6K_QUARTERS(l0, l1, hb, v0, v1, v2, v3)
            const int8_t *yh = y + 128 * h;
#if LK_PACKED_VNNI
            // As in q4k_4: 4-product lanes (≤ 4·63·127 fits 16 bits) of two quarters packed,
            // then one `vpdpwssd` with the four matching group scales.
#define LK_Q6K_PAIR(va, vb, k, p) { \
            __m256i scale = _mm256_cvtepi8_epi16(_mm_shuffle_epi8(scales8, _mm_loadu_si128((const __m128i *)q6k_packed_masks[2 * h + (p)]))); \
            for (int t = 0; t < 4; t++) { \
                const int8_t *yt = yh + t * qstride + 32 * (k); \
                __m256i da = _mm256_dpbusd_epi32(_mm256_setzero_si256(), va, _mm256_loadu_si256((const __m256i *)yt)); \
                __m256i db = _mm256_dpbusd_epi32(_mm256_setzero_si256(), vb, _mm256_loadu_si256((const __m256i *)(yt + 32))); \
                sums[t] = LK_DPWSSD(sums[t], _mm256_packs_epi32(da, db), scale); } }
            LK_Q6K_PAIR(v0, v1, 0, 0) LK_Q6K_PAIR(v2, v3, 2, 1)
#undef LK_Q6K_PAIR
#else
#define LK_Q6K_QUARTER(v, k) { \
            __m256i scale = LK_FN(q6k_scale_pair)(scales8, 4 * h + (k)); \
            for (int t = 0; t < 4; t++) \
                sums[t] = LK_DPWSSD(sums[t], _mm256_maddubs_epi16(v, _mm256_loadu_si256((const __m256i *)(yh + t * qstride + 32 * (k)))), scale); }
            LK_Q6K_QUARTER(v0, 0) LK_Q6K_QUARTER(v1, 1) LK_Q6K_QUARTER(v2, 2) LK_Q6K_QUARTER(v3, 3)
#undef LK_Q6K_QUARTER
#endif
        }
        const __m256i scales16 = _mm256_cvtepi8_epi16(scales8);
        const int16_t *g = qs + 16 * s;
#define LK_Q6K_TOTAL(sum, t) \
        _mm256_sub_epi32(sum, _mm256_slli_epi32(_mm256_madd_epi16(scales16, _mm256_loadu_si256((const __m256i *)(g + (t) * sstride))), 5))
        __m128i total = LK_FN(hsum4x8)(LK_Q6K_TOTAL(sums[0], 0), LK_Q6K_TOTAL(sums[1], 1), LK_Q6K_TOTAL(sums[2], 2), LK_Q6K_TOTAL(sums[3], 3));
#undef LK_Q6K_TOTAL
        acc = _mm_fmadd_ps(_mm_mul_ps(_mm_loadu_ps(dy4 + 4 * s), _mm_set1_ps(LK_FN(half)(blk + 208))), _mm_cvtepi32_ps(total), acc);
    }
    float lanes[4];
    _mm_storeu_ps(lanes, acc);
    for (int t = 0; t < 4; t++) out[t * out_stride] = lanes[t];
}

#undef LK_Q6K_QUARTERS

/// Token t's scale of super-block s at `dy4[4s + t]`, for four tokens from `qd`.
static inline void LK_FN(transpose_scales)(const float *qd, size_t supers, float *dy4) {
    for (size_t s = 0; s < supers; s++)
        for (int t = 0; t < 4; t++) dy4[4 * s + t] = qd[t * supers + s];
}

LK_TARGET static void LK_FN(q4k_q8k)(const void *w, size_t row_bytes, size_t rows, const int8_t *q, const float *qd,
                                     const int16_t *qs, size_t supers, size_t tokens, float *out, size_t out_stride) {
    if (supers > LK_MAX_SUPERS) {
        q4k_q8k_portable(w, row_bytes, rows, q, qd, qs, supers, tokens, out, out_stride);
        return;
    }
    const uint8_t *base = (const uint8_t *)w;
    if (tokens < 4) {
        for (size_t t = 0; t < tokens; t++)
            for (size_t r = 0; r < rows; r++)
                out[t * out_stride + r] = LK_FN(q4k_1)(base + r * row_bytes, q + t * 256 * supers, qd + t * supers,
                                                       qs + t * 16 * supers, supers);
        return;
    }
    q4k_meta meta[LK_META_ENTRIES];
    float dy4[4 * LK_MAX_SUPERS];
    size_t tile = LK_META_ENTRIES / supers < LK_ROW_TILE ? LK_META_ENTRIES / supers : LK_ROW_TILE;
    for (size_t r0 = 0; r0 < rows; r0 += tile) {
        size_t r1 = r0 + tile < rows ? r0 + tile : rows;
        for (size_t r = r0; r < r1; r++) LK_FN(q4k_decode)(base + r * row_bytes, supers, meta + (r - r0) * supers);
        size_t t = 0;
        for (; t + 4 <= tokens; t += 4) {
            LK_FN(transpose_scales)(qd + t * supers, supers, dy4);
            for (size_t r = r0; r < r1; r++)
                LK_FN(q4k_4)(base + r * row_bytes, meta + (r - r0) * supers, q + t * 256 * supers, dy4,
                             qs + t * 16 * supers, supers, out + t * out_stride + r, out_stride);
        }
        for (; t < tokens; t++)
            for (size_t r = r0; r < r1; r++)
                out[t * out_stride + r] = LK_FN(q4k_1)(base + r * row_bytes, q + t * 256 * supers, qd + t * supers,
                                                       qs + t * 16 * supers, supers);
    }
}

LK_TARGET static void LK_FN(q6k_q8k)(const void *w, size_t row_bytes, size_t rows, const int8_t *q, const float *qd,
                                     const int16_t *qs, size_t supers, size_t tokens, float *out, size_t out_stride) {
    if (supers > LK_MAX_SUPERS) {
        q6k_q8k_portable(w, row_bytes, rows, q, qd, qs, supers, tokens, out, out_stride);
        return;
    }
    const uint8_t *base = (const uint8_t *)w;
    float dy4[4 * LK_MAX_SUPERS];
    for (size_t r0 = 0; r0 < rows; r0 += LK_ROW_TILE) {
        size_t r1 = r0 + LK_ROW_TILE < rows ? r0 + LK_ROW_TILE : rows;
        size_t t = 0;
        for (; t + 4 <= tokens; t += 4) {
            LK_FN(transpose_scales)(qd + t * supers, supers, dy4);
            for (size_t r = r0; r < r1; r++)
                LK_FN(q6k_4)(base + r * row_bytes, q + t * 256 * supers, dy4, qs + t * 16 * supers, supers,
                             out + t * out_stride + r, out_stride);
        }
        for (; t < tokens; t++)
            for (size_t r = r0; r < r1; r++)
                out[t * out_stride + r] = LK_FN(q6k_1)(base + r * row_bytes, q + t * 256 * supers, qd + t * supers, qs + t * 16 * supers, supers);
    }
}

#undef LK_FN
#undef LK_CAT
#undef LK_CAT2
