/*
 * The horizontal pass of Pillow's fixed-point Lanczos (Resample.c), shared by the native decoders
 * (exifq_jpeg.c, exifq_heif.c): each decoded row of luminance is resampled horizontally for the three resamplers
 * of dev.exifq.hashing.LanczosResampler while it is in cache; Java does the vertical pass on the rows filled here.
 * Everything is static: each library compiles its own copy.
 */
#ifndef EXIFQ_RESAMPLE_H
#define EXIFQ_RESAMPLE_H

#include <jni.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PRECISION_BITS (32 - 8 - 2)

/* One resampler's horizontal pass: see LanczosResampler. */
typedef struct {
    int need_horizontal;
    int out_width;
    int ksize;
    int y_first;
    int y_last;
    int temp_width;
    jint *bounds;
    jint *fixed;
    /* the coefficients as 16-bit ints when every one fits (the row's pixels are 0..255), else NULL */
    int16_t *fixed16;
    unsigned char *temp;
} pass;

static inline unsigned char clip8(int in) {
    int v = in >> PRECISION_BITS;
    return v < 0 ? 0 : v > 255 ? 255 : (unsigned char) v;
}

/*
 * Most of the resampling time is these multiply-adds; pick AVX2/AVX-512 at load time where the CPU has them.
 * Both give Pillow's sums exactly (integer products, 32-bit wrapping sums in any order). With 16-bit coefficients
 * the compiler pairs the products (vpmaddwd), about twice the speed of 32-bit multiplies: Pillow's coefficients
 * are 22-bit fixed point, so they fit 16 bits when the reduction is large (about 138:1 and more), as it is for
 * the 8- and 9-pixel-wide hashes of any photo and the 32-pixel one of the widest.
 */
#if defined(__x86_64__) && defined(__GNUC__)
#define EXIFQ_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define EXIFQ_VECTOR_CLONES
#endif

EXIFQ_VECTOR_CLONES
static void resample_row16(const pass *p, const int16_t *line, unsigned char *dst) {
    for (int xx = 0; xx < p->out_width; xx++) {
        int xmin = p->bounds[xx * 2];
        int xmax = p->bounds[xx * 2 + 1];
        const int16_t *k = p->fixed16 + (size_t) xx * p->ksize;
        const int16_t *src = line + xmin;
        int ss = 1 << (PRECISION_BITS - 1);
        for (int x = 0; x < xmax; x++) {
            ss += src[x] * k[x];
        }
        dst[xx] = clip8(ss);
    }
}

EXIFQ_VECTOR_CLONES
static void resample_row32(const pass *p, const int16_t *line, unsigned char *dst) {
    for (int xx = 0; xx < p->out_width; xx++) {
        int xmin = p->bounds[xx * 2];
        int xmax = p->bounds[xx * 2 + 1];
        const jint *k = p->fixed + (size_t) xx * p->ksize;
        const int16_t *src = line + xmin;
        int ss = 1 << (PRECISION_BITS - 1);
        for (int x = 0; x < xmax; x++) {
            ss += src[x] * k[x];
        }
        dst[xx] = clip8(ss);
    }
}

/* Takes source row y (luminance 0..255) into the pass's rows if the pass reads it */
static void accept_row(const pass *p, int y, const int16_t *line, int width) {
    if (y < p->y_first || y >= p->y_last) {
        return;
    }
    unsigned char *dst = p->temp + (size_t) (y - p->y_first) * p->temp_width;
    if (!p->need_horizontal) {
        for (int x = 0; x < width; x++) {
            dst[x] = (unsigned char) line[x];
        }
    } else if (p->fixed16) {
        resample_row16(p, line, dst);
    } else {
        resample_row32(p, line, dst);
    }
}

/* Pillow's L24 of packed 8-bit RGB with `stride` bytes per pixel (3, or 4 with the fourth ignored), as 0..255 */
EXIFQ_VECTOR_CLONES
static void rgb_to_luma(const unsigned char *src, int width, int stride, int16_t *line) {
    if (stride == 4) {
        for (int x = 0; x < width; x++) {
            const unsigned char *p = src + 4 * (size_t) x;
            line[x] = (int16_t) ((p[0] * 19595 + p[1] * 38470 + p[2] * 7471 + 0x8000) >> 16);
        }
    } else {
        for (int x = 0; x < width; x++) {
            const unsigned char *p = src + 3 * (size_t) x;
            line[x] = (int16_t) ((p[0] * 19595 + p[1] * 38470 + p[2] * 7471 + 0x8000) >> 16);
        }
    }
}

/* Reads params {needHorizontal, outWidth, ksize, yFirst, yLast} and the arrays of one resampler. */
static int open_pass(JNIEnv *env, pass *p, jintArray params, jintArray bounds, jintArray fixed, jbyteArray temp,
                     int width) {
    jint v[5];
    (*env)->GetIntArrayRegion(env, params, 0, 5, v);
    p->need_horizontal = v[0];
    p->out_width = v[1];
    p->ksize = v[2];
    p->y_first = v[3];
    p->y_last = v[4];
    p->temp_width = p->need_horizontal ? p->out_width : width;
    if ((*env)->GetArrayLength(env, temp) != (jsize) ((size_t) p->temp_width * (p->y_last - p->y_first))) {
        return 0;
    }
    p->temp = calloc((size_t) p->temp_width * (p->y_last - p->y_first) + 1, 1);
    if (!p->temp) {
        return 0;
    }
    if (p->need_horizontal) {
        if ((*env)->GetArrayLength(env, fixed) != (jsize) ((size_t) p->out_width * p->ksize)) {
            return 0;
        }
        p->bounds = (*env)->GetIntArrayElements(env, bounds, NULL);
        p->fixed = (*env)->GetIntArrayElements(env, fixed, NULL);
        if (!p->bounds || !p->fixed) {
            return 0;
        }
        for (int xx = 0; xx < p->out_width; xx++) {
            int xmin = p->bounds[xx * 2], n = p->bounds[xx * 2 + 1];
            if (xmin < 0 || n < 0 || n > p->ksize || xmin + n > width) {
                return 0;
            }
        }
        size_t count = (size_t) p->out_width * p->ksize;
        int fits = 1;
        for (size_t i = 0; i < count && fits; i++) {
            fits = p->fixed[i] >= INT16_MIN && p->fixed[i] <= INT16_MAX;
        }
        if (fits && (p->fixed16 = malloc(count * sizeof(int16_t))) != NULL) {
            for (size_t i = 0; i < count; i++) {
                p->fixed16[i] = (int16_t) p->fixed[i];
            }
        }
    }
    return 1;
}

static void close_pass(JNIEnv *env, pass *p, jintArray bounds, jintArray fixed, jbyteArray temp, int copy_out) {
    if (copy_out && p->temp) {
        (*env)->SetByteArrayRegion(env, temp, 0, (jsize) ((size_t) p->temp_width * (p->y_last - p->y_first)),
                                   (const jbyte *) p->temp);
    }
    if (p->bounds) {
        (*env)->ReleaseIntArrayElements(env, bounds, p->bounds, JNI_ABORT);
    }
    if (p->fixed) {
        (*env)->ReleaseIntArrayElements(env, fixed, p->fixed, JNI_ABORT);
    }
    free(p->temp);
    p->temp = NULL;
    free(p->fixed16);
    p->fixed16 = NULL;
}

/* The three resamplers of one decodeRows call, with the Java arrays to release */
typedef struct {
    pass p[3];
    jintArray bounds[3];
    jintArray fixed[3];
    jbyteArray temp[3];
} passes;

/* Opens the three passes (params, bounds, fixed, temp of each, as decodeRows receives them); 0 if they do not fit */
static int open_passes(JNIEnv *env, passes *ps, int width,
                       jintArray params1, jintArray bounds1, jintArray fixed1, jbyteArray temp1,
                       jintArray params2, jintArray bounds2, jintArray fixed2, jbyteArray temp2,
                       jintArray params3, jintArray bounds3, jintArray fixed3, jbyteArray temp3) {
    memset(ps, 0, sizeof(*ps));
    jintArray params[3] = {params1, params2, params3};
    ps->bounds[0] = bounds1, ps->bounds[1] = bounds2, ps->bounds[2] = bounds3;
    ps->fixed[0] = fixed1, ps->fixed[1] = fixed2, ps->fixed[2] = fixed3;
    ps->temp[0] = temp1, ps->temp[1] = temp2, ps->temp[2] = temp3;
    for (int i = 0; i < 3; i++) {
        if (!open_pass(env, &ps->p[i], params[i], ps->bounds[i], ps->fixed[i], ps->temp[i], width)) {
            return 0;
        }
    }
    return 1;
}

/* Releases what open_passes took (also after it failed); copy_out: the rows go back to Java */
static void close_passes(JNIEnv *env, passes *ps, int copy_out) {
    for (int i = 0; i < 3; i++) {
        close_pass(env, &ps->p[i], ps->bounds[i], ps->fixed[i], ps->temp[i], copy_out);
    }
}

#endif
