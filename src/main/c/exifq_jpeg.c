/*
 * JPEG decode + Pillow luminance + the horizontal pass of Pillow's Lanczos, for dev.exifq.hashing.NativeJpeg.
 *
 * Why native: the JDK hands a decoded JPEG to Java as a raster, and turning 12 Mpx of YCbCr into Pillow's
 * luminance and resampling it row by row in Java cost about 140 ms per 12 Mpx photo (decode 70, luminance 35,
 * resize 35), most of an image's server CPU. Here libjpeg-turbo (the library Pillow decodes with) writes
 * each scanline into a small buffer that is turned into luminance and resampled while it is in cache; only the
 * horizontally resampled rows (9 + 32 bytes per source row) go back to Java, which does the vertical pass.
 *
 * Every step mirrors what Pillow 9.4 does for Image.open(f).convert("L").resize(..., LANCZOS):
 * out_color_space by the number of components as JpegImagePlugin/JpegDecode.c choose it (1: grey, 3: RGB,
 * 4: CMYK read as "CMYK;I"), libjpeg's defaults otherwise (ISLOW IDCT, fancy upsampling), L24 for RGB,
 * cmyk2rgb then L24 for CMYK, and Resample.c's fixed-point horizontal pass with the coefficients Java computed.
 * The sums are exact 32-bit integers (as in Pillow), so the compiler may vectorise them freely.
 */
#include <jni.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

#include "exifq_resample.h"

/* Results; keep in step with NativeJpeg.java. R_FAILED (libjpeg refused the file, or it is truncated) hands the
   file to the JDK path, which decides the answer and the message. */
#define R_OK 0
#define R_TOO_MANY_SCANS 1
#define R_FAILED 2

/* libjpeg-turbo's advice for untrusted input: a progressive JPEG can hold thousands of tiny scans and cost
   minutes of CPU; no real encoder writes more than a few dozen. */
#define MAX_SCANS 500

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    int truncated;
    int too_many_scans;
} error_mgr;

static void on_error(j_common_ptr cinfo) {
    longjmp(((error_mgr *) cinfo->err)->jump, 1);
}

static void on_message(j_common_ptr cinfo, int level) {
    if (level < 0) {
        /* Pillow refuses a file that ends early ("image file is truncated"); corrupt-data warnings pass */
        if (cinfo->err->msg_code == JWRN_JPEG_EOF) {
            ((error_mgr *) cinfo->err)->truncated = 1;
        }
        cinfo->err->num_warnings++;
    }
}

static void on_output(j_common_ptr cinfo) {
    (void) cinfo; /* never print to the server's stderr */
}

static void on_progress(j_common_ptr cinfo) {
    j_decompress_ptr d = (j_decompress_ptr) cinfo;
    if (d->is_decompressor && d->input_scan_number > MAX_SCANS) {
        ((error_mgr *) cinfo->err)->too_many_scans = 1;
        longjmp(((error_mgr *) cinfo->err)->jump, 1);
    }
}

static inline int clip255(int v) {
    return v < 0 ? 0 : v > 255 ? 255 : v;
}

/* Pillow's MULDIV255 */
static inline int muldiv255(int a, int b) {
    int tmp = a * b + 128;
    return ((tmp >> 8) + tmp) >> 8;
}

/* Pillow's luminance of one decoded row of `pixel_bytes` per pixel (RGB may come as RGBX, see decode) */
static void to_luma(const unsigned char *src, int width, int components, int pixel_bytes, int16_t *line) {
    if (components == 1) {
        for (int x = 0; x < width; x++) {
            line[x] = src[x];
        }
    } else if (components == 3) {
        rgb_to_luma(src, width, pixel_bytes, line);
    } else {
        for (int x = 0; x < width; x++) {
            const unsigned char *p = src + 4 * x;
            /* "CMYK;I": Pillow inverts all four, then Convert.c cmyk2rgb and L24 */
            int c = 255 - p[0], m = 255 - p[1], y = 255 - p[2], k = 255 - p[3];
            int nk = 255 - k;
            int r = clip255(nk - muldiv255(c, nk));
            int g = clip255(nk - muldiv255(m, nk));
            int b = clip255(nk - muldiv255(y, nk));
            line[x] = (int16_t) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
        }
    }
}

/*
 * Decodes data[0..length) and feeds every row to the three passes. Returns R_OK with the temps filled, or why not.
 * The caller has checked width x height against its pixel limit; a file whose frame disagrees fails.
 */
static int decode(const unsigned char *data, unsigned long length, int width, int height, pass *a, pass *b,
                  pass *c) {
    struct jpeg_decompress_struct cinfo;
    error_mgr err;
    struct jpeg_progress_mgr progress;
    /* volatile: assigned after setjmp and read after longjmp (-Wclobbered) */
    unsigned char *volatile row = NULL;
    int16_t *volatile line = NULL;
    volatile int result = R_FAILED;

    memset(&cinfo, 0, sizeof(cinfo));
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = on_error;
    err.pub.emit_message = on_message;
    err.pub.output_message = on_output;
    err.truncated = 0;
    err.too_many_scans = 0;
    if (setjmp(err.jump)) {
        result = err.too_many_scans ? R_TOO_MANY_SCANS : R_FAILED;
        goto done;
    }
    jpeg_create_decompress(&cinfo);
    progress.progress_monitor = on_progress;
    cinfo.progress = &progress;
    jpeg_mem_src(&cinfo, data, length);
    jpeg_read_header(&cinfo, TRUE);

    int components = cinfo.num_components;
    J_COLOR_SPACE space = components == 1 ? JCS_GRAYSCALE
            : components == 3 ? JCS_RGB
            : components == 4 ? JCS_CMYK
            : JCS_UNKNOWN;
    if (space == JCS_UNKNOWN || (int) cinfo.image_width != width || (int) cinfo.image_height != height) {
        goto done;
    }
    /* RGBX: the same R, G, B as JCS_RGB (libjpeg-turbo's extended output spaces only pack differently), with
       4 bytes per pixel, which the luminance loop vectorises and 3 do not */
    int pixel_bytes = components;
#ifdef JCS_EXTENSIONS
    if (space == JCS_RGB) {
        space = JCS_EXT_RGBX;
        pixel_bytes = 4;
    }
#endif
    cinfo.out_color_space = space;
    jpeg_start_decompress(&cinfo);
    if ((int) cinfo.output_width != width || (int) cinfo.output_height != height
        || cinfo.output_components != pixel_bytes) {
        goto done;
    }
    /* several rows per call: libjpeg-turbo upsamples 4:2:0 two rows at a time and copies when asked for one */
    enum { ROWS = 16 };
    row = malloc((size_t) width * pixel_bytes * ROWS);
    line = malloc((size_t) width * sizeof(int16_t));
    if (!row || !line) {
        goto done;
    }
    JSAMPROW rows[ROWS];
    for (int i = 0; i < ROWS; i++) {
        rows[i] = row + (size_t) i * width * pixel_bytes;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        int y = (int) cinfo.output_scanline;
        int got = (int) jpeg_read_scanlines(&cinfo, rows, ROWS);
        if (got <= 0) {
            break;
        }
        for (int i = 0; i < got; i++) {
            to_luma(rows[i], width, components, pixel_bytes, line);
            accept_row(a, y + i, line, width);
            accept_row(b, y + i, line, width);
            accept_row(c, y + i, line, width);
        }
    }
    /* reads up to EOI, so a file missing only its end marker counts as truncated, as in Pillow */
    jpeg_finish_decompress(&cinfo);
    result = err.truncated ? R_FAILED : R_OK;
done:
    jpeg_destroy_decompress(&cinfo);
    free(row);
    free(line);
    return result;
}

JNIEXPORT jint JNICALL Java_dev_exifq_hashing_NativeJpeg_decodeRows(
        JNIEnv *env, jclass cls, jbyteArray data, jint width, jint height,
        jintArray params1, jintArray bounds1, jintArray fixed1, jbyteArray temp1,
        jintArray params2, jintArray bounds2, jintArray fixed2, jbyteArray temp2,
        jintArray params3, jintArray bounds3, jintArray fixed3, jbyteArray temp3) {
    (void) cls;
    jsize length = (*env)->GetArrayLength(env, data);
    if (length <= 0 || width <= 0 || height <= 0) {
        return R_FAILED;
    }
    unsigned char *copy = malloc((size_t) length);
    if (!copy) {
        return R_FAILED;
    }
    (*env)->GetByteArrayRegion(env, data, 0, length, (jbyte *) copy);
    passes ps;
    int result = R_FAILED;
    if (open_passes(env, &ps, width, params1, bounds1, fixed1, temp1, params2, bounds2, fixed2, temp2,
                    params3, bounds3, fixed3, temp3)) {
        result = decode(copy, (unsigned long) length, width, height, &ps.p[0], &ps.p[1], &ps.p[2]);
    }
    close_passes(env, &ps, result == R_OK);
    free(copy);
    return result;
}
