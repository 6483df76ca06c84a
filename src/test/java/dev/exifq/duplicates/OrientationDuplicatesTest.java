package dev.exifq.duplicates;

import dev.exifq.hashing.Orientation;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.InParallel;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21's "done means": corpus JPEGs and the corpus PNG, each turned by the seven other orientations and written
 * as PNG (lossless) and as JPEG q90, uploaded beside the original. With orientation=any every copy finds its original
 * within the default distance, with the turn that maps one onto the other; orientation=same answers as before;
 * unrelated images are not reported. The corpus's orientation series (one picture stored eight ways, each with the
 * EXIF Orientation that displays it upright) checks display_orientation.
 */
@QuarkusTest
class OrientationDuplicatesTest {
    private static final List<Path> SOURCES = List.of(
            Corpus.image("exifsamples__jpg__gps__DSCN0010.jpg"),
            Corpus.image("exifsamples__jpg__exif-org__canon-ixus.jpg"),
            Corpus.image("exifsamples__jpg__Fujifilm_FinePix_E500.jpg"),
            // 16x16 and blank: all its turns are the same image, so its copies are found as identity (ties go to it)
            Corpus.image("exiftool__PNG.png"));
    private static final List<Path> UNRELATED = List.of(
            Corpus.image("exifsamples__jpg__gps__DSCN0025.jpg"),
            Corpus.image("exifsamples__jpg__Canon_40D.jpg"));

    record Copy(String id, int source, Orientation turn, boolean jpeg) {}

    record Library(String key, List<String> originals, List<Copy> copies, List<String> unrelated,
                   Map<Integer, String> series) {}

    private static Library library;

    /** Built once, its uploads four at a time where their order matters to no test (the service is concurrent anyway). */
    static synchronized Library library() {
        if (library == null) {
            try {
                library = build();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return library;
    }

    private static Library build() throws Exception {
        String key = TestUsers.create("pro").apiKey();
        List<String> originals = InParallel.map(SOURCES, 4, source -> DuplicatesApiTest.upload(key, source.toFile(), null).id());
        List<Copy> planned = new ArrayList<>();
        for (int s = 0; s < SOURCES.size(); s++) {
            for (Orientation o : Orientation.values()) {
                if (o == Orientation.IDENTITY) continue;
                for (boolean jpeg : new boolean[]{false, true}) {
                    planned.add(new Copy(null, s, o, jpeg));
                }
            }
        }
        List<Copy> copies = InParallel.map(planned, 4, c -> {
            String name = "turn-" + c.source() + "-" + c.turn().apiName() + (c.jpeg() ? ".jpg" : ".png");
            File turned = Transforms.turned(SOURCES.get(c.source()), c.turn(), c.jpeg(), name);
            return new Copy(DuplicatesApiTest.upload(key, turned, null).id(), c.source(), c.turn(), c.jpeg());
        });
        List<String> unrelated = InParallel.map(UNRELATED, 4, p -> DuplicatesApiTest.upload(key, p.toFile(), null).id());
        // in order: the series' cluster is measured from its first image
        Map<Integer, String> series = new HashMap<>();
        for (int n = 1; n <= 8; n++) {
            series.put(n, DuplicatesApiTest.upload(key,
                    Corpus.image("exifsamples__jpg__orientation__landscape_" + n + ".jpg").toFile(), null).id());
        }
        return new Library(key, originals, copies, unrelated, series);
    }

    private static JsonPath duplicates(String key, String id, String query) {
        return Api.as(key).get("/v1/images/" + id + "/duplicates" + query).then().statusCode(200).extract().jsonPath();
    }

    /** id -> the similar entry. */
    private static Map<String, Map<String, Object>> similar(JsonPath body) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        List<Map<String, Object>> items = body.getList("similar");
        for (Map<String, Object> m : items) out.put((String) m.get("id"), m);
        return out;
    }

    @Test
    void everyTurnedCopyFindsItsOriginalWithTheTurn() {
        Library lib = library();
        for (Copy copy : lib.copies()) {
            String what = "source " + copy.source() + " " + copy.turn().apiName() + (copy.jpeg() ? " jpeg" : " png");
            JsonPath body = duplicates(lib.key(), copy.id(), "?orientation=any");
            assertEquals("any", body.getString("orientation"));
            Map<String, Object> original = similar(body).get(lib.originals().get(copy.source()));
            assertNotNull(original, what + ": " + body.prettify());
            assertTrue((Integer) original.get("distance") <= 6, what + ": " + original);
            // the original is the copy turned back: the turn that maps it onto the copy is the copy's turn
            Orientation expected = copy.source() == 3 ? Orientation.IDENTITY : copy.turn();
            assertEquals(expected.apiName(), original.get("orientation"), what + ": " + original);
            assertFalse(original.containsKey("display_orientation"), "no EXIF orientation on either: " + original);
            for (String other : otherImages(lib, copy.source())) {
                assertFalse(similar(body).containsKey(other), what + " found an unrelated image " + other);
            }
        }
    }

    @Test
    void theOriginalFindsEveryCopyTurnedBack() {
        Library lib = library();
        for (int s = 0; s < SOURCES.size(); s++) {
            JsonPath body = duplicates(lib.key(), lib.originals().get(s), "?orientation=any");
            Map<String, Map<String, Object>> similar = similar(body);
            for (Copy copy : lib.copies()) {
                if (copy.source() != s) {
                    assertFalse(similar.containsKey(copy.id()), "source " + s + " found a copy of " + copy.source());
                    continue;
                }
                Map<String, Object> found = similar.get(copy.id());
                assertNotNull(found, copy + " in " + body.prettify());
                Orientation expected = s == 3 ? Orientation.IDENTITY : copy.turn().inverse();
                assertEquals(expected.apiName(), found.get("orientation"), copy + ": " + found);
            }
            for (String u : lib.unrelated()) assertFalse(similar.containsKey(u));
        }
    }

    @Test
    void orientationSameIsTheDefaultAndUnchanged() {
        Library lib = library();
        List<String> ids = new ArrayList<>(lib.originals());
        lib.copies().stream().filter(c -> c.source() == 0).forEach(c -> ids.add(c.id()));
        for (String id : ids) {
            String before = Api.as(lib.key()).get("/v1/images/" + id + "/duplicates").then().statusCode(200)
                    .extract().asString();
            String same = Api.as(lib.key()).get("/v1/images/" + id + "/duplicates?orientation=same").then()
                    .statusCode(200).extract().asString();
            assertEquals(before, same);
            assertFalse(before.contains("orientation"), before);
        }
        // a quarter turn of a photo is not found as it is: that is what orientation=any is for
        Copy quarter = lib.copies().stream().filter(c -> c.source() == 0 && c.turn() == Orientation.ROTATE90 && !c.jpeg())
                .findFirst().orElseThrow();
        assertFalse(similar(duplicates(lib.key(), quarter.id(), "")).containsKey(lib.originals().get(0)));
    }

    @Test
    void displayOrientationIsRelativeToTheUprightImages() {
        Library lib = library();
        // landscape_n is one picture stored turned so that EXIF Orientation n displays it upright
        JsonPath body = duplicates(lib.key(), lib.series().get(1), "?orientation=any");
        Map<String, Map<String, Object>> similar = similar(body);
        for (int n = 2; n <= 8; n++) {
            Map<String, Object> found = similar.get(lib.series().get(n));
            assertNotNull(found, "landscape_" + n + " in " + body.prettify());
            // landscape_1's pixels are landscape_n's pixels displayed, i.e. turned by EXIF n
            assertEquals(Orientation.ofExif(n).apiName(), found.get("orientation"), "landscape_" + n);
            assertEquals("identity", found.get("display_orientation"), "landscape_" + n);
        }
        // and from a turned one: the pixels differ by n's turn undone, the displayed images not at all
        Map<String, Object> found = similar(duplicates(lib.key(), lib.series().get(6), "?orientation=any"))
                .get(lib.series().get(1));
        assertEquals("rotate270", found.get("orientation"));
        assertEquals("identity", found.get("display_orientation"));
    }

    @Test
    void searchWithTheCallersEightHashes() {
        Library lib = library();
        // the eight hashes of a copy as the caller would compute them: here, the hashes of its uploaded turns
        Map<String, String> phashes = new LinkedHashMap<>();
        String original = lib.originals().get(0);
        JsonPath originalImage = Api.as(lib.key()).get("/v1/images/" + original).then().extract().jsonPath();
        phashes.put("identity", originalImage.getString("phash"));
        for (Copy c : lib.copies()) {
            if (c.source() == 0 && !c.jpeg()) {
                phashes.put(c.turn().apiName(), Api.as(lib.key()).get("/v1/images/" + c.id()).then().extract().path("phash"));
            }
        }
        JsonPath body = Api.as(lib.key()).contentType("application/json")
                .body(Map.of("orientation", "any", "phash", phashes)).post("/v1/duplicates/search")
                .then().statusCode(200).extract().jsonPath();
        assertEquals("any", body.getString("orientation"));
        Map<String, Map<String, Object>> similar = similar(body);
        assertEquals(0, similar.get(original).get("distance"));
        assertEquals("identity", similar.get(original).get("orientation"));
        for (Copy c : lib.copies()) {
            if (c.source() == 0) {
                assertEquals(c.turn().inverse().apiName(), similar.get(c.id()).get("orientation"), c.toString());
            }
        }
        for (String u : lib.unrelated()) assertFalse(similar.containsKey(u));
        // without orientation, the same request body is refused as before (a hash is 16 hex digits)
        Api.as(lib.key()).contentType("application/json").body(Map.of("phash", phashes)).post("/v1/duplicates/search")
                .then().statusCode(400).body("error", equalTo("invalid_phash"));
    }

    @Test
    void clustersJoinTurnedCopies() {
        Library lib = library();
        JsonPath same = Api.as(lib.key()).get("/v1/duplicates").then().statusCode(200).extract().jsonPath();
        assertNull(same.get("orientation"));
        JsonPath any = Api.as(lib.key()).get("/v1/duplicates?orientation=any&limit=500").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("any", any.getString("orientation"));
        List<Map<String, Object>> clusters = any.getList("clusters");
        Map<String, Integer> clusterOf = new HashMap<>();
        for (int i = 0; i < clusters.size(); i++) {
            for (String id : any.<String>getList("clusters[" + i + "].images.id")) clusterOf.put(id, i);
        }
        for (int s = 0; s < SOURCES.size(); s++) {
            Integer cluster = clusterOf.get(lib.originals().get(s));
            assertNotNull(cluster, "source " + s);
            for (Copy c : lib.copies()) {
                if (c.source() == s) assertEquals(cluster, clusterOf.get(c.id()), c.toString());
                else assertFalse(cluster.equals(clusterOf.get(c.id())), c.toString());
            }
            for (String u : lib.unrelated()) assertFalse(cluster.equals(clusterOf.get(u)));
        }
        // the orientation series is one cluster too, its members within the default distance of its first image
        Integer series = clusterOf.get(lib.series().get(1));
        for (String id : lib.series().values()) assertEquals(series, clusterOf.get(id));
        for (Integer d : any.<Integer>getList("clusters[" + series + "].images.distance")) assertTrue(d <= 6, "" + d);
        // the cursor carries the orientation
        Api.as(lib.key()).get("/v1/duplicates?orientation=any&limit=1").then().statusCode(200)
                .body("next_cursor", org.hamcrest.Matchers.notNullValue());
        String cursor = Api.as(lib.key()).get("/v1/duplicates?orientation=any&limit=1").then().extract().path("next_cursor");
        Api.as(lib.key()).get("/v1/duplicates?orientation=any&cursor=" + cursor).then().statusCode(200)
                .body("orientation", equalTo("any"));
        Api.as(lib.key()).get("/v1/duplicates?orientation=same&cursor=" + cursor).then().statusCode(400)
                .body("error", equalTo("invalid_cursor"));
    }

    @Test
    void validation() {
        Library lib = library();
        Api.as(lib.key()).get("/v1/images/" + lib.originals().get(0) + "/duplicates?orientation=sideways")
                .then().statusCode(400).body("ok", equalTo(false)).body("error", equalTo("invalid_orientation"));
        String[][] cases = {
                {"{\"orientation\": \"any\", \"phash\": \"d25725691b24c4bf\"}", "orientations_needed"},
                {"{\"orientation\": \"any\", \"phash\": {\"identity\": \"d25725691b24c4bf\"}}", "invalid_phash"},
                {"{\"orientation\": \"any\", \"phash\": {\"sideways\": \"d25725691b24c4bf\"}}", "invalid_phash"},
                {"{\"orientation\": \"any\"}", "missing_hash"},
                {"{\"orientation\": 1, \"phash\": \"d25725691b24c4bf\"}", "invalid_orientation"},
                {"{\"orientation\": \"upside\", \"phash\": \"d25725691b24c4bf\"}", "invalid_orientation"},
        };
        for (String[] c : cases) {
            Api.as(lib.key()).contentType("application/json").body(c[0]).post("/v1/duplicates/search")
                    .then().statusCode(400).body("ok", equalTo(false)).body("error", equalTo(c[1]));
        }
    }

    private static List<String> otherImages(Library lib, int source) {
        List<String> out = new ArrayList<>(lib.unrelated());
        for (int s = 0; s < lib.originals().size(); s++) if (s != source) out.add(lib.originals().get(s));
        lib.copies().stream().filter(c -> c.source() != source).forEach(c -> out.add(c.id()));
        out.addAll(lib.series().values());
        return out;
    }
}
