package dev.exifq.writes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.metadata.ExifToolPool;
import dev.exifq.metadata.ExifToolTask;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import io.restassured.builder.MultiPartSpecBuilder;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Uploads to the write endpoints and reads the written files back with the pinned ExifTool. */
final class WriteSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    private WriteSupport() {}

    static Response post(String apiKey, String endpoint, String corpusName, Map<String, String> fields) {
        RequestSpecification r = Api.as(apiKey).multiPart("file", Corpus.image(corpusName).toFile(), "application/octet-stream");
        fields.forEach((name, value) -> r.multiPart(new MultiPartSpecBuilder(value).controlName(name)
                .mimeType("text/plain").charset(StandardCharsets.UTF_8).build()));
        return r.post("/api/images/" + endpoint);
    }

    /** {@code exiftool -json -G1 -a} (or with {@code -n}) of the bytes, as one object. */
    static JsonNode readBack(ExifToolPool pool, Path dir, byte[] bytes, boolean numeric) throws IOException {
        Path f = Files.createTempFile(dir, "written", "");
        Files.write(f, bytes);
        ExifToolTask.Builder t = ExifToolTask.builder().option("-json").option("-G1").option("-a");
        if (numeric) {
            t.option("-n");
        }
        return JSON.readTree(pool.execute(t.file(f).build()).stdout()).get(0);
    }

    /** ExifTool's ImageDataHash of the bytes: a hash of the image data alone, the same when only metadata changed. */
    static String imageDataHash(ExifToolPool pool, Path dir, byte[] bytes) throws IOException {
        Path f = Files.createTempFile(dir, "hash", "");
        Files.write(f, bytes);
        JsonNode n = JSON.readTree(pool.execute(ExifToolTask.builder().option("-json")
                .option("-api", "requesttags=imagedatahash").option("-ImageDataHash").file(f).build()).stdout()).get(0);
        if (!n.hasNonNull("ImageDataHash")) {
            throw new AssertionError("ExifTool hashes no image data: " + n);
        }
        return n.get("ImageDataHash").asText();
    }

    /**
     * The main image's scan (from its start-of-scan marker to the end), found by walking the marker segments,
     * so an embedded thumbnail's scan inside APP1 is skipped: the pixels of a JPEG, as stored.
     */
    static byte[] jpegScan(byte[] jpeg) {
        int i = 2;
        while (i + 4 <= jpeg.length) {
            if ((jpeg[i] & 0xff) != 0xff) throw new AssertionError("not a marker at " + i);
            int marker = jpeg[i + 1] & 0xff;
            if (marker == 0xda) {
                return java.util.Arrays.copyOfRange(jpeg, i, jpeg.length);
            }
            int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            i += 2 + length;
        }
        throw new AssertionError("no start of scan");
    }
}
