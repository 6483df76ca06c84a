package dev.exifq.writes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exifq.images.BlobDeletions;
import dev.exifq.metadata.ExifToolPool;
import dev.exifq.storage.BlobStore;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestDb;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.builder.MultiPartSpecBuilder;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** POST /v1/images with an edit: processed_file, metadata of the processed file, checksum of the original. */
@QuarkusTest
class V1EditTest {
    @Inject
    ExifToolPool pool;
    @Inject
    BlobStore blobs;
    @Inject
    BlobDeletions blobDeletions;
    @TempDir
    Path dir;

    /** README: an image whose edit ExifTool refuses ends failed with the write's code, as the write endpoints answer. */
    @Test
    void anEditExifToolRefusesFailsTheImageWithItsCode() throws Exception {
        TestUsers.Created u = TestUsers.create("pro");
        String edit = "{\"fields\":{\"Artist\":\"x\"}}";
        Api.as(u.apiKey()).multiPart("file", Corpus.image("exiftool__BMP.bmp").toFile()).multiPart("edit", edit)
                .post("/v1/images").then().statusCode(200)
                .body("status", equalTo("failed")).body("error_code", equalTo("format_not_writable"));

        byte[] jpeg = Files.readAllBytes(Corpus.image(HistoryTest.JPEG));
        Path truncated = dir.resolve("truncated.jpg");
        Files.write(truncated, java.util.Arrays.copyOf(jpeg, 3000));
        Api.as(u.apiKey()).multiPart("file", truncated.toFile()).multiPart("edit", edit)
                .post("/v1/images").then().statusCode(200)
                .body("status", equalTo("failed")).body("error_code", equalTo("write_failed"));
        Api.as(u.apiKey()).multiPart("file", truncated.toFile()).multiPart("title", "x")
                .post("/api/images/edit-exif").then().statusCode(422).body("error", equalTo("write_failed"));
    }

    @Test
    void uploadWithEditHasAProcessedFile() throws Exception {
        TestUsers.Created u = TestUsers.create("pro");
        Path jpeg = Corpus.image(HistoryTest.JPEG);
        JsonNode image = WriteSupport.JSON.readTree(Api.as(u.apiKey()).multiPart("file", jpeg.toFile())
                .multiPart(new MultiPartSpecBuilder("{\"mode\":\"append\",\"fields\":{\"Artist\":\"V1 ü\"},\"gps\":{\"lat\":-1.5,\"lng\":2}}")
                        .controlName("edit").mimeType("text/plain").charset(StandardCharsets.UTF_8).build())
                .post("/v1/images").then().statusCode(200).body("status", equalTo("processed")).extract().asString());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jpeg)));
        assertEquals(sha, image.path("checksum").asText(), "checksum stays the original's");
        assertEquals("V1 ü", image.at("/metadata/EXIF/Artist").asText(), "metadata of the processed file");
        JsonNode pf = image.get("processed_file");
        assertEquals("/v1/images/" + image.path("id").asText() + "/file", pf.path("url").asText());
        byte[] file = Api.as(u.apiKey()).get(pf.path("url").asText()).then().statusCode(200).extract().asByteArray();
        assertEquals(file.length, pf.path("bytesize").asLong());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)), pf.path("checksum").asText());
        JsonNode read = WriteSupport.readBack(pool, dir, file, true);
        assertEquals("V1 ü", read.path("IFD0:Artist").asText());
        assertEquals("S", read.path("GPS:GPSLatitudeRef").asText());

        String id = image.path("id").asText();
        String export = Api.as(u.apiKey()).get("/api/account/export").then().statusCode(200).extract().asString();
        JsonNode exported = export.lines().map(V1EditTest::json).filter(l -> id.equals(l.at("/image/id").asText()))
                .findFirst().orElseThrow();
        assertEquals(pf, exported.at("/image/processed_file"), "the export shows the processed file as GET does");

        // deleting the image takes the processed file along: row and blob
        String processedKey = TestDb.string("select blob_key from processed_files where image_id = ?", id);
        Api.as(u.apiKey()).delete("/v1/images/" + id).then().statusCode(204);
        assertEquals(0, TestDb.count("select count(*) from processed_files where image_id = ?", id));
        blobDeletions.drain();
        assertFalse(blobs.exists(processedKey), "the processed file's blob is deleted with the image");
        Api.as(u.apiKey()).get(pf.path("url").asText()).then().statusCode(404);

        JsonNode plain = WriteSupport.JSON.readTree(Api.as(u.apiKey()).multiPart("file", jpeg.toFile())
                .post("/v1/images").then().statusCode(200).extract().asString());
        assertFalse(plain.has("processed_file"), "images without an edit keep their JSON");
        Api.as(u.apiKey()).multiPart("file", jpeg.toFile()).multiPart("edit", "{\"fields\":{\"FileName\":\"x\"}}")
                .post("/v1/images").then().statusCode(400).body("error", equalTo("invalid_field"));
        Api.as(u.apiKey()).multiPart("file", jpeg.toFile()).multiPart("edit", "[1]")
                .post("/v1/images").then().statusCode(400);
    }

    private static JsonNode json(String line) {
        try {
            return WriteSupport.JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
