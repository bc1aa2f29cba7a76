// SIMD bodies of the K-quant × Q8_K kernels, included once per instruction-set variant by
// kernels.c with LK_TARGET (the function attribute), LK_SUFFIX (name suffix) and
// LK_DPWSSD(acc, a, b) (acc + Σ pairs of 16-bit a·b into 32-bit lanes) defined.
//
// Shapes (AVX2): per 32 weights one `vpmaddubsw` (unsigned 4/6-bit weights × signed
// activations, pair sums ≤ 2·63·128 so never saturating) and one `vpmaddwd` that applies the
// sub-block scale while widening to 32 bits; the VNNI level (LK_PACKED_VNNI) replaces the
// group kernels and the Q4_K one-token kernel with 512-bit `vpdpbusd`/`vpdpwssd` forms. The
// group kernels decode each chunk of weights once and multiply it with LK_GROUP tokens'
// activations, which is what lets a prompt batch run above the rate the weights stream in.

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

#if LK_PACKED_VNNI
/// The two 256-bit halves of a 512-bit integer vector added.
LK_TARGET static inline __m256i LK_FN(fold)(__m512i v) {
    return _mm256_add_epi32(_mm512_castsi512_si256(v), _mm512_extracti64x4_epi64(v, 1));
}
#endif

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

// Float steps per super-block, shared by the one-token and group kernels so a batch gives the
// same floats as decoding token by token: the integer totals S (scaled sums) and M (mins ·
// group sums) are exact; then acc = fma(d·dy, S, acc) and acc = fma(−dmin·dy, M, acc).

#if LK_PACKED_VNNI
/// One Q4_K row · one token on 512-bit vectors (the products of `q4k_g` below for a single
/// token, so the integer totals and float steps are the same), decoding each super-block's
/// header inline: decoding streams the weights from memory once.
LK_TARGET static float LK_FN(q4k_1)(const uint8_t *w, const int8_t *q, const float *qd, const int16_t *qs, size_t supers) {
    const __m512i low = _mm512_set1_epi8(0x0F);
    const __m512i shifts = _mm512_inserti64x4(_mm512_setzero_si512(), _mm256_set1_epi16(4), 1);
    const __m512i pair0 = _mm512_loadu_si512((const void *)q4k_packed_scale_index[0]);
    const __m512i pair1 = _mm512_loadu_si512((const void *)q4k_packed_scale_index[1]);
    float acc = 0;
    for (size_t s = 0; s < supers; s++) {
        const uint8_t *blk = w + 144 * s;
        uint8_t sc[8], mn[8];
        q4k_scales_mins(blk + 4, sc, mn);
        const __m512i scales = _mm512_castsi128_si512(_mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)sc)));
        const uint8_t *bits = blk + 16;
        const int8_t *y = q + 256 * s;
        __m512i sum = _mm512_setzero_si512();
        for (int p = 0; p < 2; p++) {
            __m512i wa = _mm512_and_si512(_mm512_srlv_epi16(_mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(bits + 64 * p))), shifts), low);
            __m512i wb = _mm512_and_si512(_mm512_srlv_epi16(_mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(bits + 64 * p + 32))), shifts), low);
            __m512i da = _mm512_dpbusd_epi32(_mm512_setzero_si512(), wa, _mm512_loadu_si512((const void *)(y + 128 * p)));
            __m512i db = _mm512_dpbusd_epi32(_mm512_setzero_si512(), wb, _mm512_loadu_si512((const void *)(y + 128 * p + 64)));
            sum = _mm512_dpwssd_epi32(sum, _mm512_packs_epi32(da, db), _mm512_permutexvar_epi16(p ? pair1 : pair0, scales));
        }
        __m128i m8 = _mm_loadl_epi64((const __m128i *)mn);
        __m256i msum = _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(qs + 16 * s)), _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(m8, m8)));
        float dy = qd[s];
        acc = fmaf(dy * LK_FN(half)(blk), (float)LK_FN(hsum8)(LK_FN(fold)(sum)), acc);
        acc = fmaf(-(dy * LK_FN(half)(blk + 2)), (float)LK_FN(hsum8)(msum), acc);
    }
    return acc;
}
#else
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
#endif

#if LK_PACKED_VNNI
/// One Q4_K row · LK_GROUP tokens on 512-bit vectors (VNNI level; this CPU issues `vpdpbusd`
/// on zmm as fast as on ymm, so each instruction does twice the work). A 32-byte chunk of
/// packed nibbles, broadcast to both halves and shifted by 0 / 4 bits, is its 64 weights in
/// value order, lined up with 64 contiguous activation bytes. `vpdpbusd` sums 4 products per
/// lane (≤ 4·15·127, so 16 bits hold it); two chunks' lanes are packed and scaled by one
/// `vpdpwssd` with the four sub-block scales spread to match: 3 multiplies per 128 weights.
LK_TARGET static void LK_FN(q4k_g)(const uint8_t *w, const q4k_meta *meta, const int8_t *q, const float *dyg,
                                   const int16_t *qs, size_t supers, float *out, size_t out_stride) {
    const __m512i low = _mm512_set1_epi8(0x0F);
    const __m512i shifts = _mm512_inserti64x4(_mm512_setzero_si512(), _mm256_set1_epi16(4), 1);
    const __m512i pair0 = _mm512_loadu_si512((const void *)q4k_packed_scale_index[0]);
    const __m512i pair1 = _mm512_loadu_si512((const void *)q4k_packed_scale_index[1]);
    const size_t qstride = 256 * supers, sstride = 16 * supers;
    __m128 acc[LK_GROUP / 4];
    for (int k = 0; k < LK_GROUP / 4; k++) acc[k] = _mm_setzero_ps();
    for (size_t s = 0; s < supers; s++) {
        const q4k_meta *m = meta + s;
        const uint8_t *bits = w + 144 * s + 16;
        const int8_t *y = q + 256 * s;
        const __m512i scales = _mm512_castsi128_si512(_mm_loadu_si128((const __m128i *)m->scales));
        __m512i sums[LK_GROUP];
        for (int t = 0; t < LK_GROUP; t++) sums[t] = _mm512_setzero_si512();
        for (int p = 0; p < 2; p++) {
            __m512i scale = _mm512_permutexvar_epi16(p ? pair1 : pair0, scales);
            __m512i wa = _mm512_and_si512(_mm512_srlv_epi16(_mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(bits + 64 * p))), shifts), low);
            __m512i wb = _mm512_and_si512(_mm512_srlv_epi16(_mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(bits + 64 * p + 32))), shifts), low);
            for (int t = 0; t < LK_GROUP; t++) {
                const int8_t *yt = y + t * qstride + 128 * p;
                __m512i da = _mm512_dpbusd_epi32(_mm512_setzero_si512(), wa, _mm512_loadu_si512((const void *)yt));
                __m512i db = _mm512_dpbusd_epi32(_mm512_setzero_si512(), wb, _mm512_loadu_si512((const void *)(yt + 64)));
                sums[t] = _mm512_dpwssd_epi32(sums[t], _mm512_packs_epi32(da, db), scale);
            }
        }
        const __m256i mins = _mm256_loadu_si256((const __m256i *)m->mins);
        const int16_t *g = qs + 16 * s;
        for (int k = 0; k < LK_GROUP / 4; k++) {
            const int16_t *gk = g + 4 * k * sstride;
            __m128i msum = LK_FN(hsum4x8)(
                _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)gk), mins),
                _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(gk + sstride)), mins),
                _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(gk + 2 * sstride)), mins),
                _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(gk + 3 * sstride)), mins));
            __m128 dy = _mm_loadu_ps(dyg + LK_GROUP * s + 4 * k);
            __m128i total = LK_FN(hsum4x8)(LK_FN(fold)(sums[4 * k]), LK_FN(fold)(sums[4 * k + 1]),
                                           LK_FN(fold)(sums[4 * k + 2]), LK_FN(fold)(sums[4 * k + 3]));
            acc[k] = _mm_fmadd_ps(_mm_mul_ps(dy, _mm_set1_ps(m->d)), _mm_cvtepi32_ps(total), acc[k]);
            acc[k] = _mm_fnmadd_ps(_mm_mul_ps(dy, _mm_set1_ps(m->dmin)), _mm_cvtepi32_ps(msum), acc[k]);
        }
    }
    float lanes[LK_GROUP];
    for (int k = 0; k < LK_GROUP / 4; k++) _mm_storeu_ps(lanes + 4 * k, acc[k]);
    for (int t = 0; t < LK_GROUP; t++) out[t * out_stride] = lanes[t];
}
#else
/// One Q4_K row · LK_GROUP tokens (4, or 8 where 32 vector registers hold the sums):
/// activation rows `256·supers` bytes apart; `dyg[LK_GROUP·s + t]` is token t's scale of
/// super-block s. Each 32-byte chunk of weights is unpacked once for the whole group.
LK_TARGET static void LK_FN(q4k_g)(const uint8_t *w, const q4k_meta *meta, const int8_t *q, const float *dyg,
                                   const int16_t *qs, size_t supers, float *out, size_t out_stride) {
    const __m256i low = _mm256_set1_epi8(0x0F);
    const size_t qstride = 256 * supers, sstride = 16 * supers;
    __m128 acc[LK_GROUP / 4];
    for (int k = 0; k < LK_GROUP / 4; k++) acc[k] = _mm_setzero_ps();
    for (size_t s = 0; s < supers; s++) {
        const q4k_meta *m = meta + s;
        const uint8_t *bits = w + 144 * s + 16;
        const int8_t *y = q + 256 * s;
        __m256i sums[LK_GROUP];
        for (int t = 0; t < LK_GROUP; t++) sums[t] = _mm256_setzero_si256();
        for (int j = 0; j < 4; j++) {
            __m256i b = _mm256_loadu_si256((const __m256i *)(bits + 32 * j));
            __m256i lo = _mm256_and_si256(b, low);
            __m256i hi = _mm256_and_si256(_mm256_srli_epi16(b, 4), low);
            __m256i slo = _mm256_set1_epi16(m->scales[2 * j]), shi = _mm256_set1_epi16(m->scales[2 * j + 1]);
            const int8_t *yj = y + 64 * j;
            for (int t = 0; t < LK_GROUP; t++) {
                sums[t] = LK_DPWSSD(sums[t], _mm256_maddubs_epi16(lo, _mm256_loadu_si256((const __m256i *)(yj + t * qstride))), slo);
                sums[t] = LK_DPWSSD(sums[t], _mm256_maddubs_epi16(hi, _mm256_loadu_si256((const __m256i *)(yj + t * qstride + 32))), shi);
            }
        }
        const __m256i mins = _mm256_loadu_si256((const __m256i *)m->mins);
        const int16_t *g = qs + 16 * s;
        for (int k = 0; k < LK_GROUP / 4; k++) {
            const int16_t *gk = g + 4 * k * sstride;
            __m128i msum = LK_FN(hsum4x8)(
                _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)gk), mins),
                _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(gk + sstride)), mins),
                _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(gk + 2 * sstride)), mins),
                _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(gk + 3 * sstride)), mins));
            __m128 dy = _mm_loadu_ps(dyg + LK_GROUP * s + 4 * k);
            __m128i total = LK_FN(hsum4x8)(sums[4 * k], sums[4 * k + 1], sums[4 * k + 2], sums[4 * k + 3]);
            acc[k] = _mm_fmadd_ps(_mm_mul_ps(dy, _mm_set1_ps(m->d)), _mm_cvtepi32_ps(total), acc[k]);
            acc[k] = _mm_fnmadd_ps(_mm_mul_ps(dy, _mm_set1_ps(m->dmin)), _mm_cvtepi32_ps(msum), acc[k]);
        }
    }
    float lanes[LK_GROUP];
    for (int k = 0; k < LK_GROUP / 4; k++) _mm_storeu_ps(lanes + 4 * k, acc[k]);
    for (int t = 0; t < LK_GROUP; t++) out[t * out_stride] = lanes[t];
}

#endif

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

#if LK_PACKED_VNNI
/// One Q6_K row · LK_GROUP tokens on 512-bit vectors (as `q4k_g` above): the 64 low-nibble
/// bytes of a half and its 32 high-bit bytes (broadcast, shifted by 0/2 or 4/6 bits) give the
/// 64 six-bit values of quarters 0–1 or 2–3 in value order; 4-product lanes (≤ 4·63·127 fits
/// 16 bits) of both are packed and scaled by one `vpdpwssd` with the eight group scales.
LK_TARGET static void LK_FN(q6k_g)(const uint8_t *w, const int8_t *q, const float *dyg, const int16_t *qs,
                                   size_t supers, float *out, size_t out_stride) {
    const __m512i low = _mm512_set1_epi8(0x0F), three = _mm512_set1_epi8(3);
    const __m512i shift02 = _mm512_inserti64x4(_mm512_setzero_si512(), _mm256_set1_epi16(2), 1);
    const __m512i shift46 = _mm512_inserti64x4(_mm512_set1_epi16(4), _mm256_set1_epi16(6), 1);
    const __m256i mask0 = _mm256_loadu_si256((const __m256i *)q6k_packed_scale_masks[0]);
    const __m256i mask1 = _mm256_loadu_si256((const __m256i *)q6k_packed_scale_masks[1]);
    const size_t qstride = 256 * supers, sstride = 16 * supers;
    __m128 acc[LK_GROUP / 4];
    for (int k = 0; k < LK_GROUP / 4; k++) acc[k] = _mm_setzero_ps();
    for (size_t s = 0; s < supers; s++) {
        const uint8_t *blk = w + 210 * s;
        const __m128i scales8 = _mm_loadu_si128((const __m128i *)(blk + 192));
        const __m256i scales8x2 = _mm256_broadcastsi128_si256(scales8);
        const int8_t *y = q + 256 * s;
        __m512i sums[LK_GROUP];
        for (int t = 0; t < LK_GROUP; t++) sums[t] = _mm512_setzero_si512();
        for (int h = 0; h < 2; h++) {
            __m512i lows = _mm512_loadu_si512((const void *)(blk + 64 * h));
            __m512i highs = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(blk + 128 + 32 * h)));
            __m512i v01 = _mm512_or_si512(_mm512_and_si512(lows, low),
                                          _mm512_slli_epi16(_mm512_and_si512(_mm512_srlv_epi16(highs, shift02), three), 4));
            __m512i v23 = _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(lows, 4), low),
                                          _mm512_slli_epi16(_mm512_and_si512(_mm512_srlv_epi16(highs, shift46), three), 4));
            __m512i scale = _mm512_cvtepi8_epi16(_mm256_shuffle_epi8(scales8x2, h ? mask1 : mask0));
            for (int t = 0; t < LK_GROUP; t++) {
                const int8_t *yt = y + t * qstride + 128 * h;
                __m512i da = _mm512_dpbusd_epi32(_mm512_setzero_si512(), v01, _mm512_loadu_si512((const void *)yt));
                __m512i db = _mm512_dpbusd_epi32(_mm512_setzero_si512(), v23, _mm512_loadu_si512((const void *)(yt + 64)));
                sums[t] = _mm512_dpwssd_epi32(sums[t], _mm512_packs_epi32(da, db), scale);
            }
        }
        const __m256i scales16 = _mm256_cvtepi8_epi16(scales8);
        const float d = LK_FN(half)(blk + 208);
        for (int k = 0; k < LK_GROUP / 4; k++) {
            const int16_t *g = qs + 16 * s + 4 * k * sstride;
#define LK_Q6K_TOTAL(t) \
            _mm256_sub_epi32(LK_FN(fold)(sums[4 * k + (t)]), \
                             _mm256_slli_epi32(_mm256_madd_epi16(scales16, _mm256_loadu_si256((const __m256i *)(g + (t) * sstride))), 5))
            __m128i total = LK_FN(hsum4x8)(LK_Q6K_TOTAL(0), LK_Q6K_TOTAL(1), LK_Q6K_TOTAL(2), LK_Q6K_TOTAL(3));
#undef LK_Q6K_TOTAL
            acc[k] = _mm_fmadd_ps(_mm_mul_ps(_mm_loadu_ps(dyg + LK_GROUP * s + 4 * k), _mm_set1_ps(d)), _mm_cvtepi32_ps(total), acc[k]);
        }
    }
    float lanes[LK_GROUP];
    for (int k = 0; k < LK_GROUP / 4; k++) _mm_storeu_ps(lanes + 4 * k, acc[k]);
    for (int t = 0; t < LK_GROUP; t++) out[t * out_stride] = lanes[t];
}
#else
/// One Q6_K row · LK_GROUP tokens (as `q4k_g`).
LK_TARGET static void LK_FN(q6k_g)(const uint8_t *w, const int8_t *q, const float *dyg, const int16_t *qs,
                                   size_t supers, float *out, size_t out_stride) {
    const __m256i low = _mm256_set1_epi8(0x0F), three = _mm256_set1_epi8(3), twelve = _mm256_set1_epi8(12), high2 = _mm256_set1_epi8(0x30);
    const size_t qstride = 256 * supers, sstride = 16 * supers;
    __m128 acc[LK_GROUP / 4];
    for (int k = 0; k < LK_GROUP / 4; k++) acc[k] = _mm_setzero_ps();
    for (size_t s = 0; s < supers; s++) {
        const uint8_t *blk = w + 210 * s;
        const __m128i scales8 = _mm_loadu_si128((const __m128i *)(blk + 192));
        const int8_t *y = q + 256 * s;
        __m256i sums[LK_GROUP];
        for (int t = 0; t < LK_GROUP; t++) sums[t] = _mm256_setzero_si256();
        for (int h = 0; h < 2; h++) {
            __m256i l0 = _mm256_loadu_si256((const __m256i *)(blk + 64 * h));
            __m256i l1 = _mm256_loadu_si256((const __m256i *)(blk + 64 * h + 32));
            __m256i hb = _mm256_loadu_si256((const __m256i *)(blk + 128 + 32 * h));
            LK_Q6K_QUARTERS(l0, l1, hb, v0, v1, v2, v3)
            const int8_t *yh = y + 128 * h;
#define LK_Q6K_QUARTER(v, k) { \
            __m256i scale = LK_FN(q6k_scale_pair)(scales8, 4 * h + (k)); \
            for (int t = 0; t < LK_GROUP; t++) \
                sums[t] = LK_DPWSSD(sums[t], _mm256_maddubs_epi16(v, _mm256_loadu_si256((const __m256i *)(yh + t * qstride + 32 * (k)))), scale); }
            LK_Q6K_QUARTER(v0, 0) LK_Q6K_QUARTER(v1, 1) LK_Q6K_QUARTER(v2, 2) LK_Q6K_QUARTER(v3, 3)
#undef LK_Q6K_QUARTER
        }
        const __m256i scales16 = _mm256_cvtepi8_epi16(scales8);
        const float d = LK_FN(half)(blk + 208);
        for (int k = 0; k < LK_GROUP / 4; k++) {
            const int16_t *g = qs + 16 * s + 4 * k * sstride;
#define LK_Q6K_TOTAL(t) \
            _mm256_sub_epi32(sums[4 * k + (t)], _mm256_slli_epi32(_mm256_madd_epi16(scales16, _mm256_loadu_si256((const __m256i *)(g + (t) * sstride))), 5))
            __m128i total = LK_FN(hsum4x8)(LK_Q6K_TOTAL(0), LK_Q6K_TOTAL(1), LK_Q6K_TOTAL(2), LK_Q6K_TOTAL(3));
#undef LK_Q6K_TOTAL
            acc[k] = _mm_fmadd_ps(_mm_mul_ps(_mm_loadu_ps(dyg + LK_GROUP * s + 4 * k), _mm_set1_ps(d)), _mm_cvtepi32_ps(total), acc[k]);
        }
    }
    float lanes[LK_GROUP];
    for (int k = 0; k < LK_GROUP / 4; k++) _mm_storeu_ps(lanes + 4 * k, acc[k]);
    for (int t = 0; t < LK_GROUP; t++) out[t * out_stride] = lanes[t];
}

#endif

#undef LK_Q6K_QUARTERS

/// Token t's scale of super-block s at `dyg[LK_GROUP·s + t]`, for a group of tokens from `qd`.
static inline void LK_FN(transpose_scales)(const float *qd, size_t supers, float *dyg) {
    for (size_t s = 0; s < supers; s++)
        for (int t = 0; t < LK_GROUP; t++) dyg[LK_GROUP * s + t] = qd[t * supers + s];
}

LK_TARGET static void LK_FN(q4k_q8k)(const void *w, size_t row_bytes, size_t rows, const int8_t *q, const float *qd,
                                     const int16_t *qs, size_t supers, size_t tokens, float *out, size_t out_stride) {
    if (supers > LK_MAX_SUPERS) {
        q4k_q8k_portable(w, row_bytes, rows, q, qd, qs, supers, tokens, out, out_stride);
        return;
    }
    const uint8_t *base = (const uint8_t *)w;
    if (tokens < LK_GROUP) {
        for (size_t t = 0; t < tokens; t++)
            for (size_t r = 0; r < rows; r++)
                out[t * out_stride + r] = LK_FN(q4k_1)(base + r * row_bytes, q + t * 256 * supers, qd + t * supers,
                                                       qs + t * 16 * supers, supers);
        return;
    }
    q4k_meta meta[LK_META_ENTRIES];
    float dyg[LK_GROUP * LK_MAX_SUPERS];
    size_t tile = LK_META_ENTRIES / supers < LK_ROW_TILE ? LK_META_ENTRIES / supers : LK_ROW_TILE;
    for (size_t r0 = 0; r0 < rows; r0 += tile) {
        size_t r1 = r0 + tile < rows ? r0 + tile : rows;
        for (size_t r = r0; r < r1; r++) LK_FN(q4k_decode)(base + r * row_bytes, supers, meta + (r - r0) * supers);
        size_t t = 0;
        for (; t + LK_GROUP <= tokens; t += LK_GROUP) {
            LK_FN(transpose_scales)(qd + t * supers, supers, dyg);
            for (size_t r = r0; r < r1; r++)
                LK_FN(q4k_g)(base + r * row_bytes, meta + (r - r0) * supers, q + t * 256 * supers, dyg,
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
    float dyg[LK_GROUP * LK_MAX_SUPERS];
    for (size_t r0 = 0; r0 < rows; r0 += LK_ROW_TILE) {
        size_t r1 = r0 + LK_ROW_TILE < rows ? r0 + LK_ROW_TILE : rows;
        size_t t = 0;
        for (; t + LK_GROUP <= tokens; t += LK_GROUP) {
            LK_FN(transpose_scales)(qd + t * supers, supers, dyg);
            for (size_t r = r0; r < r1; r++)
                LK_FN(q6k_g)(base + r * row_bytes, q + t * 256 * supers, dyg, qs + t * 16 * supers, supers,
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
