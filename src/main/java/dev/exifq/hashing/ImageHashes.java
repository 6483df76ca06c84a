package dev.exifq.hashing;

/**
 * Perceptual hashes of one image, as Python {@code str(imagehash.dhash(img))} and
 * {@code str(imagehash.phash(img))} (imagehash 4.3.2, hash_size 8) print them: 16 lowercase hex digits.
 *
 * @param dhash  difference hash, 64 bits as 16 lowercase hex digits
 * @param phash  perceptual (DCT) hash, 64 bits as 16 lowercase hex digits
 * @param width  width of the decoded image in pixels, as Pillow reports it
 * @param height height of the decoded image in pixels, as Pillow reports it
 * @param oriented the hashes of the image's eight orientations, from the same decode
 */
public record ImageHashes(String dhash, String phash, int width, int height, OrientedHashes oriented) {
}
