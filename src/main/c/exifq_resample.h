/*
 * The horizontal pass of Pillow's fixed-point Lanczos (Resample.c), shared by the native decoders
 * (exifq_jpeg.c, exifq_heif.c): each decoded row of luminance is resampled horizontally for the three resamplers
 * of dev.exifq.hashing.LanczosResampler while it is in cache; Java does the vertical pass on the rows filled here.
 * Everything is static: each library compiles its own copy.
 */
#ifndef EXIFQ_RESAMPLE_H
#define EXIFQ_RESAMPLE_H

#include <jni.h>
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
    unsigned char *temp;
} pass;

static inline unsigned char clip8(int in) {
    int v = in >> PRECISION_BITS;
    return v < 0 ? 0 : v > 255 ? 255 : (unsigned char) v;
}

/* Most of the resampling time is this multiply-add; pick AVX2/AVX-512 at load time where the CPU has them. */
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
static void accept_row(const pass *p, int y, const int *line, int width) {
    if (y < p->y_first || y >= p->y_last) {
        return;
    }
    unsigned char *dst = p->temp + (size_t) (y - p->y_first) * p->temp_width;
    if (!p->need_horizontal) {
        for (int x = 0; x < width; x++) {
            dst[x] = (unsigned char) line[x];
        }
        return;
    }
    for (int xx = 0; xx < p->out_width; xx++) {
        int xmin = p->bounds[xx * 2];
        int xmax = p->bounds[xx * 2 + 1];
        const jint *k = p->fixed + (size_t) xx * p->ksize;
        const int *src = line + xmin;
        int ss = 1 << (PRECISION_BITS - 1);
        for (int x = 0; x < xmax; x++) {
            ss += src[x] * k[x];
        }
        dst[xx] = clip8(ss);
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
