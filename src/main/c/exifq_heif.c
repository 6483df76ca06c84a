/*
 * HEIC/HEIF decode + Pillow luminance + the horizontal pass of Pillow's Lanczos, for dev.exifq.hashing.NativeHeif.
 *
 * The decode mirrors what pillow-heif (the opener Python users register for HEIC) does for Image.open(f):
 * the primary image, heif_decode_image with libheif's default decoding options except convert_hdr_to_8bit = 1,
 * into interleaved 8-bit RGB, RGBA when the image has alpha, or grey when libheif prefers monochrome and there
 * is no alpha. So the clap/irot/imir transformations are applied and the ICC profile is not; YCbCr to RGB is
 * libheif's own conversion. The decoded rows are then turned into luminance as Pillow's convert("L") does for
 * RGB/RGBA/L (L24, alpha ignored) and fed to the resamplers as exifq_jpeg.c does.
 *
 * Bounds on hostile files: libheif's security limits, with the image size limit lowered to the caller's pixel
 * cap; the caller's deadline through cancel_decoding (libheif checks it between the tiles of a grid image,
 * which is what a big HEIC is); one tile decoded at a time.
 */
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libheif/heif.h>

#include "exifq_resample.h"

/* Results; keep in step with NativeHeif.java. */
#define R_OK 0
#define R_ERROR 1       /* libheif refused the file; the message says why */
#define R_CANCELLED 2   /* the deadline passed */
#define R_UNSUPPORTED 3 /* a kind of image pillow-heif opens in a mode we do not hash; the message says which */

/* Image modes, as the number of interleaved 8-bit channels pillow-heif asks for */
#define MODE_L 1
#define MODE_RGB 3
#define MODE_RGBA 4

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) vm;
    (void) reserved;
    /* loads the decoder plugins (Debian ships libde265's as libheif-plugin-libde265) */
    heif_init(NULL);
    return JNI_VERSION_1_8;
}

static void set_message(JNIEnv *env, jobjectArray message, const char *text) {
    jstring s = (*env)->NewStringUTF(env, text && *text ? text : "unknown error");
    if (s) {
        (*env)->SetObjectArrayElement(env, message, 0, s);
    }
}

static int64_t now_nanos(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int past_deadline(void *deadline) {
    return now_nanos() - *(const int64_t *) deadline >= 0;
}

/* The primary image's handle, with the security limits lowered to max_pixels; 0 on success, else R_ERROR */
static int open_primary(JNIEnv *env, const unsigned char *data, size_t length, jlong max_pixels,
                        jobjectArray message, struct heif_context **ctx, struct heif_image_handle **handle) {
    *ctx = heif_context_alloc();
    *handle = NULL;
    if (!*ctx) {
        set_message(env, message, "out of memory");
        return R_ERROR;
    }
    struct heif_security_limits *limits = heif_context_get_security_limits(*ctx);
    if (limits && max_pixels > 0 && (limits->max_image_size_pixels == 0
                                      || (uint64_t) max_pixels < limits->max_image_size_pixels)) {
        limits->max_image_size_pixels = (uint64_t) max_pixels;
    }
    /* 1, not 0: with 0 libheif 1.19 decodes every tile of a grid even after cancel_decoding said stop */
    heif_context_set_max_decoding_threads(*ctx, 1);
    struct heif_error err = heif_context_read_from_memory_without_copy(*ctx, data, length, NULL);
    if (err.code == heif_error_Ok) {
        err = heif_context_get_primary_image_handle(*ctx, handle);
    }
    if (err.code != heif_error_Ok) {
        set_message(env, message, err.message);
        return R_ERROR;
    }
    return R_OK;
}

static void close_primary(struct heif_context *ctx, struct heif_image_handle *handle) {
    if (handle) {
        heif_image_handle_release(handle);
    }
    if (ctx) {
        heif_context_free(ctx);
    }
}

/* The mode pillow-heif opens the image in (its _CtxImage), or R_UNSUPPORTED-worthy 0 with the message set */
static int pillow_mode(JNIEnv *env, const struct heif_image_handle *handle, jobjectArray message) {
    enum heif_colorspace colorspace;
    enum heif_chroma chroma;
    struct heif_error err = heif_image_handle_get_preferred_decoding_colorspace(handle, &colorspace, &chroma);
    if (err.code != heif_error_Ok) {
        set_message(env, message, err.message);
        return 0;
    }
    int alpha = heif_image_handle_has_alpha_channel(handle);
    if (chroma == heif_chroma_monochrome && colorspace == heif_colorspace_monochrome && !alpha) {
        if (heif_image_handle_get_luma_bits_per_pixel(handle) > 8) {
            /* pillow-heif opens these as I;16 (no conversion to 8 bits for grey); not hashed here */
            set_message(env, message, "grey images of more than 8 bits per pixel are not supported");
            return 0;
        }
        return MODE_L;
    }
    if (alpha && heif_image_handle_is_premultiplied_alpha(handle)) {
        /* pillow-heif opens these as RGBa, which Pillow converts to L differently; not hashed here */
        set_message(env, message, "images with premultiplied alpha are not supported");
        return 0;
    }
    return alpha ? MODE_RGBA : MODE_RGB;
}

static jbyte *copy_bytes(JNIEnv *env, jbyteArray data, jsize *length) {
    *length = (*env)->GetArrayLength(env, data);
    if (*length <= 0) {
        return NULL;
    }
    jbyte *copy = malloc((size_t) *length);
    if (copy) {
        (*env)->GetByteArrayRegion(env, data, 0, *length, copy);
    }
    return copy;
}

/* info receives {width, height, mode} of the image as pillow-heif opens it (after transformations) */
JNIEXPORT jint JNICALL Java_dev_exifq_hashing_NativeHeif_probe(
        JNIEnv *env, jclass cls, jbyteArray data, jlong max_pixels, jintArray info, jobjectArray message) {
    (void) cls;
    jsize length;
    jbyte *copy = copy_bytes(env, data, &length);
    if (!copy) {
        set_message(env, message, length <= 0 ? "empty file" : "out of memory");
        return R_ERROR;
    }
    struct heif_context *ctx;
    struct heif_image_handle *handle;
    int result = open_primary(env, (const unsigned char *) copy, (size_t) length, max_pixels, message, &ctx, &handle);
    if (result == R_OK) {
        int mode = pillow_mode(env, handle, message);
        if (mode == 0) {
            result = R_UNSUPPORTED;
        } else {
            jint v[3] = {heif_image_handle_get_width(handle), heif_image_handle_get_height(handle), mode};
            (*env)->SetIntArrayRegion(env, info, 0, 3, v);
        }
    }
    close_primary(ctx, handle);
    free(copy);
    return result;
}

/* Pillow's L24 (rgb2l, also for RGBA: alpha ignored) */
static void to_luma(const uint8_t *src, int width, int channels, int16_t *line) {
    if (channels == 1) {
        for (int x = 0; x < width; x++) {
            line[x] = src[x];
        }
        return;
    }
    rgb_to_luma(src, width, channels, line);
}

static int decode(JNIEnv *env, const unsigned char *data, size_t length, int width, int height, int mode,
                  jlong max_pixels, jlong timeout_nanos, jobjectArray message, pass *a, pass *b, pass *c) {
    struct heif_context *ctx;
    struct heif_image_handle *handle;
    struct heif_image *image = NULL;
    int16_t *line = NULL;
    int result = open_primary(env, data, length, max_pixels, message, &ctx, &handle);
    if (result != R_OK) {
        goto done;
    }
    if (heif_image_handle_get_width(handle) != width || heif_image_handle_get_height(handle) != height
        || pillow_mode(env, handle, message) != mode) {
        set_message(env, message, "the file changed between probe and decode");
        result = R_ERROR;
        goto done;
    }
    /* no deadline (0 or less) and Long.MAX_VALUE alike: far enough, without overflowing */
    int64_t deadline = now_nanos()
            + (timeout_nanos > 0 && timeout_nanos < INT64_MAX / 4 ? timeout_nanos : INT64_MAX / 4);
    struct heif_decoding_options *options = heif_decoding_options_alloc();
    if (!options) {
        set_message(env, message, "out of memory");
        result = R_ERROR;
        goto done;
    }
    options->convert_hdr_to_8bit = 1;
    options->progress_user_data = &deadline;
    options->cancel_decoding = past_deadline;
    enum heif_colorspace colorspace = mode == MODE_L ? heif_colorspace_monochrome : heif_colorspace_RGB;
    enum heif_chroma chroma = mode == MODE_L ? heif_chroma_monochrome
            : mode == MODE_RGBA ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB;
    struct heif_error err = heif_decode_image(handle, &image, colorspace, chroma, options);
    heif_decoding_options_free(options);
    if (past_deadline(&deadline)) {
        result = R_CANCELLED;
        goto done;
    }
    if (err.code != heif_error_Ok) {
        set_message(env, message, err.message);
        result = R_ERROR;
        goto done;
    }
    enum heif_channel channel = mode == MODE_L ? heif_channel_Y : heif_channel_interleaved;
    int stride = 0;
    const uint8_t *plane = heif_image_get_plane_readonly(image, channel, &stride);
    /* pillow-heif takes the decoded image's size; after the transformations it is the handle's */
    if (!plane || heif_image_get_primary_width(image) != width || heif_image_get_primary_height(image) != height
        || heif_image_get_bits_per_pixel_range(image, channel) != 8 || stride < width * mode) {
        set_message(env, message, "libheif returned an image of another size or layout than the file declares");
        result = R_ERROR;
        goto done;
    }
    line = malloc((size_t) width * sizeof(int16_t));
    if (!line) {
        set_message(env, message, "out of memory");
        result = R_ERROR;
        goto done;
    }
    for (int y = 0; y < height; y++) {
        to_luma(plane + (size_t) y * stride, width, mode, line);
        accept_row(a, y, line, width);
        accept_row(b, y, line, width);
        accept_row(c, y, line, width);
    }
    result = R_OK;
done:
    free(line);
    if (image) {
        heif_image_release(image);
    }
    close_primary(ctx, handle);
    return result;
}

JNIEXPORT jint JNICALL Java_dev_exifq_hashing_NativeHeif_decodeRows(
        JNIEnv *env, jclass cls, jbyteArray data, jint width, jint height, jint mode, jlong max_pixels,
        jlong timeout_nanos, jobjectArray message,
        jintArray params1, jintArray bounds1, jintArray fixed1, jbyteArray temp1,
        jintArray params2, jintArray bounds2, jintArray fixed2, jbyteArray temp2,
        jintArray params3, jintArray bounds3, jintArray fixed3, jbyteArray temp3) {
    (void) cls;
    if (width <= 0 || height <= 0 || (mode != MODE_L && mode != MODE_RGB && mode != MODE_RGBA)) {
        set_message(env, message, "invalid arguments");
        return R_ERROR;
    }
    jsize length;
    jbyte *copy = copy_bytes(env, data, &length);
    if (!copy) {
        set_message(env, message, length <= 0 ? "empty file" : "out of memory");
        return R_ERROR;
    }
    passes ps;
    int result = R_ERROR;
    if (open_passes(env, &ps, width, params1, bounds1, fixed1, temp1, params2, bounds2, fixed2, temp2,
                    params3, bounds3, fixed3, temp3)) {
        result = decode(env, (const unsigned char *) copy, (size_t) length, width, height, mode, max_pixels,
                        timeout_nanos, message, &ps.p[0], &ps.p[1], &ps.p[2]);
    } else {
        set_message(env, message, "invalid resampler arguments");
    }
    close_passes(env, &ps, result == R_OK);
    free(copy);
    return result;
}

JNIEXPORT jstring JNICALL Java_dev_exifq_hashing_NativeHeif_libheifVersion(JNIEnv *env, jclass cls) {
    (void) cls;
    return (*env)->NewStringUTF(env, heif_get_version());
}

JNIEXPORT jint JNICALL Java_dev_exifq_hashing_NativeHeif_libheifVersionNumber(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    return (jint) heif_get_version_number();
}

JNIEXPORT jboolean JNICALL Java_dev_exifq_hashing_NativeHeif_canDecodeHevc(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    return heif_have_decoder_for_format(heif_compression_HEVC) ? JNI_TRUE : JNI_FALSE;
}
