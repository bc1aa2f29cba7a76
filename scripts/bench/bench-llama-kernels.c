// Single-thread speed of the K-quant × Q8_K kernels (CLlamaKernels) on Qwen2.5-1.5B shapes,
// against OpenBLAS sgemm on f32 (without the cost of dequantising tiles for it), measured in
// thread CPU time so that other processes on a shared machine distort it less:
//
//   clang -O3 -ISources/CLlamaKernels/include -I/usr/include/x86_64-linux-gnu/openblas-pthread \
//       scripts/bench/bench-llama-kernels.c -lopenblas -lm -o /tmp/bench-llama-kernels
//   /tmp/bench-llama-kernels [LEVEL]      (0 portable, 1 AVX2, 2 AVX-512 VNNI; default: best)
//
// Decoding (1 token) figures are for a matrix that stays in L3 (compute rate, not DRAM rate);
// prompt figures are integer operations (2 per multiply-add) per second for 128 tokens. Each
// format runs on the file's rows and on the row-interleaved copy (lk_q4k/q6k_interleave, the
// layout models use on AVX-512 VNNI CPUs), and decoding once more over 8 matrices' worth of
// rows (~60–90 MB, beyond L3: the memory-bound case decoding really is).
#include "../Sources/CLlamaKernels/kernels.c"
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/// One product: plain rows (`il` = 0) or the interleaved copy.
static void product(int q6, int il, const uint8_t *w, size_t rb, size_t rows, const int8_t *q, const float *d,
                    const int16_t *sums, size_t supers, size_t tokens, float *out) {
    if (il) (q6 ? lk_q6k_q8k_interleaved : lk_q4k_q8k_interleaved)(w, rows, q, d, sums, supers, tokens, out, rows);
    else (q6 ? lk_q6k_q8k : lk_q4k_q8k)(w, rb, rows, q, d, sums, supers, tokens, out, rows);
}

static void run(const char *name, int q6, int il, const uint8_t *w, size_t rb, size_t rows, size_t cols,
                const int8_t *q, const float *d, const int16_t *sums, float *out) {
    size_t supers = cols / 256, tokens = 128;
    const char *layout = il ? "interleaved" : "rows";
    double t0 = cpu_seconds();
    for (int k = 0; k < 20; k++) product(q6, il, w, rb, rows, q, d, sums, supers, 1, out);
    double t1 = cpu_seconds();
    printf("%s %s %zux%zu decode: %.3f ms (%.1f GB/s of weights)\n", name, layout, rows, cols, (t1 - t0) / 20 * 1e3,
           rows * rb * 20 / (t1 - t0) / 1e9);
    t0 = cpu_seconds();
    for (int k = 0; k < 4; k++) product(q6, il, w + (size_t)k * rows * rb, rb, rows, q, d, sums, supers, 1, out);
    t0 = cpu_seconds();
    for (int k = 0; k < 8; k++) product(q6, il, w + (size_t)k * rows * rb, rb, rows, q, d, sums, supers, 1, out);
    t1 = cpu_seconds();
    printf("%s %s %zux%zu decode from memory (8 matrices): %.3f ms each (%.1f GB/s of weights)\n", name, layout, rows,
           cols, (t1 - t0) / 8 * 1e3, rows * rb * 8 / (t1 - t0) / 1e9);
    t0 = cpu_seconds();
    product(q6, il, w, rb, rows, q, d, sums, supers, tokens, out);
    t1 = cpu_seconds();
    printf("%s %s %zux%zu prompt (128 tokens): %.1f ms, %.0f GOP/s\n", name, layout, rows, cols, (t1 - t0) * 1e3,
           2.0 * rows * cols * tokens / (t1 - t0) / 1e9);
}

int main(int argc, char **argv) {
    if (argc > 1) lk_set_level(atoi(argv[1]));
    printf("kernel level %d (supported %d)\n", lk_active_level(), lk_supported_level());
    const size_t rows = 8960, cols = 1536, supers = cols / 256, tokens = 128;
    const size_t rb4 = 144 * supers, rb6 = 210 * supers;
    // Eight matrices' worth of rows (the decode-from-memory case); the others use the first.
    uint8_t *w4 = malloc(8 * rows * rb4), *w6 = malloc(8 * rows * rb6);
    uint8_t *i4 = malloc(8 * rows * rb4), *i6 = malloc(8 * rows * rb6);
    srand(1);
    for (size_t i = 0; i < 8 * rows * rb4; i++) w4[i] = (uint8_t)rand();
    for (size_t i = 0; i < 8 * rows * rb6; i++) w6[i] = (uint8_t)rand();
    const uint16_t half = 0x1400;  // 2^-10: finite scales
    for (size_t r = 0; r < 8 * rows; r++)
        for (size_t s = 0; s < supers; s++) {
            memcpy(w4 + r * rb4 + 144 * s, &half, 2);
            memcpy(w4 + r * rb4 + 144 * s + 2, &half, 2);
            memcpy(w6 + r * rb6 + 210 * s + 208, &half, 2);
        }
    lk_q4k_interleave(w4, 8 * rows, supers, i4);
    lk_q6k_interleave(w6, 8 * rows, supers, i6);
    float *x = malloc(tokens * cols * sizeof(float));
    for (size_t i = 0; i < tokens * cols; i++) x[i] = (float)(rand() % 20001) / 5000.0f - 2;
    int8_t *q = malloc(tokens * cols);
    float *d = malloc(tokens * supers * sizeof(float));
    int16_t *sums = malloc(tokens * supers * 16 * sizeof(int16_t));
    lk_quantise_q8k(x, tokens, cols, q, d, sums);
    float *out = malloc(tokens * rows * sizeof(float));
    for (int rep = 0; rep < 2; rep++) {
        run("Q4_K", 0, 0, w4, rb4, rows, cols, q, d, sums, out);
        run("Q4_K", 0, 1, i4, rb4, rows, cols, q, d, sums, out);
        run("Q6_K", 1, 0, w6, rb6, rows, cols, q, d, sums, out);
        run("Q6_K", 1, 1, i6, rb6, rows, cols, q, d, sums, out);
    }
    float *wf = malloc(rows * cols * sizeof(float));
    for (size_t i = 0; i < rows * cols; i++) wf[i] = 0.001f * (float)(i % 31);
    openblas_set_num_threads(1);
    for (int rep = 0; rep < 2; rep++) {
        double t0 = cpu_seconds();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)tokens, (int)rows, (int)cols, 1, x, (int)cols, wf,
                    (int)cols, 0, out, (int)rows);
        double t1 = cpu_seconds();
        printf("sgemm f32 %zux%zu prompt (128 tokens, tiles already f32): %.1f ms, %.0f GFLOP/s\n", rows, cols,
               (t1 - t0) * 1e3, 2.0 * rows * cols * tokens / (t1 - t0) / 1e9);
    }
    return 0;
}
