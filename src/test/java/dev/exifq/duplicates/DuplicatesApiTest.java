package dev.exifq.duplicates;

import dev.exifq.hashing.Hamming;
import dev.exifq.images.Image;
import dev.exifq.platform.Ulid;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The duplicate endpoints over real HTTP and the real database, on corpus photos and copies of them edited
 * here (re-encoded, resized, brightened, cropped). Each caller is a fresh user, so other tests' uploads
 * cannot show up.
 */
@QuarkusTest
class DuplicatesApiTest {
    private static final Path PHOTO = Corpus.image("exifsamples__jpg__gps__DSCN0010.jpg");
    private static final Path PHOTO2 = Corpus.image("exifsamples__jpg__exif-org__fujifilm-dx10.jpg");
    private static final List<Path> UNRELATED = List.of(
            Corpus.image("exifsamples__jpg__gps__DSCN0025.jpg"),
            Corpus.image("exifsamples__jpg__Canon_40D.jpg"));
    /** Two different 8x8 blank JPEGs: different bytes, the same hashes. */
    private static final Path BLANK1 = Corpus.image("exiftool__Canon.jpg");
    private static final Path BLANK2 = Corpus.image("exiftool__Nikon.jpg");
    /** Processed (ExifTool reads it) but nothing decodes its pixels: no hashes. */
    private static final Path NO_PIXELS = Corpus.image("exiftool__OpenEXR.exr");

    record Uploaded(String id, String phash, String dhash, String checksum, String filename) {}

    record Library(String key, long userId, Uploaded photo, Uploaded exactCopy, Uploaded q50, Uploaded half,
                   Uploaded brighter, Uploaded cropped, Uploaded photo2, Uploaded photo2Half, Uploaded photo2Cropped,
                   List<Uploaded> unrelated, Uploaded blank1, Uploaded blank2, Uploaded noPixels,
                   Uploaded noPixelsCopy) {
        List<Uploaded> photoCopies() {
            return List.of(q50, half, brighter);
        }
    }

    record Other(String key, Uploaded photo, Uploaded q50) {}

    private static Library library;
    private static Other other;

    static synchronized Library library() {
        if (library == null) {
            TestUsers.Created user = TestUsers.create("pro");
            String k = user.apiKey();
            Uploaded photo = upload(k, PHOTO.toFile(), null);
            Uploaded exact = upload(k, PHOTO.toFile(), "DSCN0010 copy.jpg");
            Uploaded q50 = upload(k, Transforms.reencoded(PHOTO, 0.5f, "photo-q50.jpg"), null);
            Uploaded half = upload(k, Transforms.halfSize(PHOTO, "photo-half.jpg"), null);
            Uploaded brighter = upload(k, Transforms.brighter(PHOTO, "photo-brighter.jpg"), null);
            Uploaded cropped = upload(k, Transforms.cropped(PHOTO, "photo-cropped.jpg"), null);
            Uploaded photo2 = upload(k, PHOTO2.toFile(), null);
            Uploaded photo2Half = upload(k, Transforms.halfSize(PHOTO2, "photo2-half.jpg"), null);
            Uploaded photo2Cropped = upload(k, Transforms.cropped(PHOTO2, "photo2-cropped.jpg"), null);
            List<Uploaded> unrelated = UNRELATED.stream().map(p -> upload(k, p.toFile(), null)).toList();
            Uploaded blank1 = upload(k, BLANK1.toFile(), null);
            Uploaded blank2 = upload(k, BLANK2.toFile(), null);
            Uploaded noPixels = upload(k, NO_PIXELS.toFile(), null);
            Uploaded noPixelsCopy = upload(k, NO_PIXELS.toFile(), "second.exr");
            assertNull(noPixels.phash(), "the fixture needs an image without hashes");
            library = new Library(k, user.userId(), photo, exact, q50, half, brighter, cropped, photo2, photo2Half,
                    photo2Cropped, unrelated, blank1, blank2, noPixels, noPixelsCopy);
        }
        return library;
    }

    /** Another user with the same photo (same bytes, same hashes) and one copy of it. */
    static synchronized Other other() {
        if (other == null) {
            library();
            TestUsers.Created user = TestUsers.create("pro");
            other = new Other(user.apiKey(), upload(user.apiKey(), PHOTO.toFile(), null),
                    upload(user.apiKey(), Transforms.reencoded(PHOTO, 0.5f, "other-q50.jpg"), null));
        }
        return other;
    }

    static Uploaded upload(String key, File file, String filename) {
        RequestSpecification request = Api.as(key).multiPart("file", file);
        if (filename != null) request = request.multiPart("filename", filename);
        Response r = request.post("/v1/images");
        assertEquals(200, r.statusCode(), file + ": " + r.asString());
        assertEquals("processed", r.path("status"), file + ": " + r.asString());
        return new Uploaded(r.path("id"), r.path("phash"), r.path("dhash"), r.path("checksum"), r.path("filename"));
    }

    // --- GET /v1/images/{id}/duplicates ---------------------------------------------------------------------

    @Test
    void editedCopiesAreWithinTheDefaultDistance() {
        Library lib = library();
        JsonPath body = duplicates(lib.key(), lib.photo().id(), "");
        assertEquals(true, body.getBoolean("ok"));
        assertEquals(lib.photo().id(), body.getString("id"));
        assertEquals("phash", body.getString("hash"));
        assertEquals(6, body.getInt("max_distance"));
        assertEquals(List.of(lib.exactCopy().id()), body.getList("exact"));
        Map<String, Integer> similar = similar(body);
        for (Uploaded copy : lib.photoCopies()) {
            int expected = Hamming.distance(lib.photo().phash(), copy.phash());
            assertTrue(expected <= 6, copy.filename() + " is " + expected + " bits away");
            assertEquals(expected, similar.get(copy.id()), copy.filename() + " in " + similar);
        }
        assertFalse(similar.containsKey(lib.photo().id()), "not the image itself");
        assertFalse(similar.containsKey(lib.exactCopy().id()), "exact copies are listed once, under exact");
        assertFalse(body.getBoolean("truncated"));
        assertNearestFirst(body);
        List<Map<String, Object>> items = body.getList("similar");
        Map<String, Object> first = items.get(0);
        assertEquals(Set.of("id", "filename", "distance"), first.keySet());
    }

    @Test
    void theCroppedCopyIsWithin12() {
        Library lib = library();
        int distance = Hamming.distance(lib.photo2().phash(), lib.photo2Cropped().phash());
        assertTrue(distance > 6 && distance <= 12, "this crop should need the wider search: " + distance);
        assertFalse(similar(duplicates(lib.key(), lib.photo2().id(), "")).containsKey(lib.photo2Cropped().id()));
        Map<String, Integer> wide = similar(duplicates(lib.key(), lib.photo2().id(), "?max_distance=12"));
        assertEquals(distance, wide.get(lib.photo2Cropped().id()));
        assertEquals(Hamming.distance(lib.photo2().phash(), lib.photo2Half().phash()), wide.get(lib.photo2Half().id()));
        // and the other photo's crop, within 12 too
        int first = Hamming.distance(lib.photo().phash(), lib.cropped().phash());
        assertTrue(first <= 12);
        assertEquals(first, similar(duplicates(lib.key(), lib.photo().id(), "?max_distance=12")).get(lib.cropped().id()));
    }

    @Test
    void unrelatedImagesAreNotFoundEvenAtTheWidestDistance() {
        Library lib = library();
        Map<String, Integer> similar = similar(duplicates(lib.key(), lib.photo().id(), "?max_distance=16"));
        List<Uploaded> mustNotAppear = new ArrayList<>(lib.unrelated());
        mustNotAppear.addAll(List.of(lib.photo2(), lib.photo2Half(), lib.photo2Cropped(), lib.blank1(), lib.blank2(),
                lib.noPixels()));
        for (Uploaded u : mustNotAppear) {
            assertFalse(similar.containsKey(u.id()), u.filename() + " is unrelated: " + similar);
        }
        for (Uploaded u : lib.unrelated()) {
            assertTrue(similar(duplicates(lib.key(), u.id(), "")).isEmpty(), u.filename() + " has no duplicates");
        }
    }

    @Test
    void aCopyFindsItsOriginalAndTheOriginalsExactCopy() {
        Library lib = library();
        for (Uploaded copy : lib.photoCopies()) {
            JsonPath body = duplicates(lib.key(), copy.id(), "");
            Map<String, Integer> similar = similar(body);
            assertEquals(Hamming.distance(lib.photo().phash(), copy.phash()), similar.get(lib.photo().id()));
            assertEquals(similar.get(lib.photo().id()), similar.get(lib.exactCopy().id()));
            assertTrue(body.getList("exact").isEmpty());
        }
    }

    @Test
    void dhashCanBeChosen() {
        Library lib = library();
        JsonPath body = duplicates(lib.key(), lib.photo().id(), "?hash=dhash");
        assertEquals("dhash", body.getString("hash"));
        Map<String, Integer> similar = similar(body);
        for (Uploaded copy : lib.photoCopies()) {
            assertEquals(Hamming.distance(lib.photo().dhash(), copy.dhash()), similar.get(copy.id()), copy.filename());
        }
        for (Uploaded u : lib.unrelated()) assertFalse(similar.containsKey(u.id()));
        assertNearestFirst(body);
    }

    @Test
    void blankImagesAreEachOthersDuplicates() {
        Library lib = library();
        JsonPath body = duplicates(lib.key(), lib.blank1().id(), "?max_distance=0");
        assertEquals(Map.of(lib.blank2().id(), 0), similar(body));
        assertTrue(body.getList("exact").isEmpty(), "different bytes");
    }

    @Test
    void limitCutsAndSaysSo() {
        Library lib = library();
        JsonPath body = duplicates(lib.key(), lib.photo().id(), "?limit=1");
        assertEquals(1, body.getList("similar").size());
        assertTrue(body.getBoolean("truncated"));
        assertEquals(similarInOrder(duplicates(lib.key(), lib.photo().id(), "")).get(0),
                similarInOrder(body).get(0));
    }

    @Test
    void anImageWithoutHashesOrNotProcessedIs409() {
        Library lib = library();
        Api.as(lib.key()).get("/v1/images/" + lib.noPixels().id() + "/duplicates")
                .then().statusCode(409).body("ok", equalTo(false)).body("error", equalTo("no_hashes"))
                .body("message", notNullValue());
        String queued = Ulid.next();
        QuarkusTransaction.requiringNew().run(() -> {
            Image image = new Image();
            image.id = queued;
            image.userId = lib.userId();
            image.status = Image.QUEUED;
            image.filename = "waiting.jpg";
            image.createdAt = Instant.now();
            image.updatedAt = image.createdAt;
            image.persist();
        });
        Api.as(lib.key()).get("/v1/images/" + queued + "/duplicates")
                .then().statusCode(409).body("ok", equalTo(false)).body("error", equalTo("not_processed"));
    }

    // --- ownership --------------------------------------------------------------------------------------------

    @Test
    void anotherUsersImagesNeverAppear() {
        Library lib = library();
        Other o = other();
        Set<String> theirs = Set.of(o.photo().id(), o.q50().id());
        JsonPath mine = duplicates(lib.key(), lib.photo().id(), "?max_distance=16");
        assertFalse(mine.getList("exact").stream().anyMatch(theirs::contains), "same bytes, other user");
        assertFalse(similar(mine).keySet().stream().anyMatch(theirs::contains));
        JsonPath theirView = duplicates(o.key(), o.photo().id(), "?max_distance=16");
        assertTrue(theirView.getList("exact").isEmpty());
        assertEquals(Set.of(o.q50().id()), similar(theirView).keySet());
        // each other's ids are unknown
        Api.as(o.key()).get("/v1/images/" + lib.photo().id() + "/duplicates")
                .then().statusCode(404).body("ok", equalTo(false)).body("error", equalTo("not_found"));
        Api.as(lib.key()).get("/v1/images/" + o.photo().id() + "/duplicates").then().statusCode(404);
        // search and clusters too
        JsonPath found = search(o.key(), Map.of("phash", lib.photo().phash(), "max_distance", 16));
        assertEquals(theirs, similar(found).keySet());
        JsonPath clusters = Api.as(o.key()).get("/v1/duplicates").then().statusCode(200).extract().jsonPath();
        assertEquals(1, clusters.getInt("total_clusters"));
        assertEquals(List.of(o.photo().id(), o.q50().id()), clusters.getList("clusters[0].images.id"));
    }

    @Test
    void unknownIdsAre404() {
        Library lib = library();
        Api.as(lib.key()).get("/v1/images/01hq3v6k2m8x9y7z5w4t3s2r1q/duplicates").then().statusCode(404)
                .body("error", equalTo("not_found"));
        Api.as(lib.key()).get("/v1/images/not-an-id/duplicates").then().statusCode(404).body("ok", equalTo(false));
        Api.as(lib.key()).get("/v1/images/" + lib.photo().id().toUpperCase() + "/duplicates").then().statusCode(200);
    }

    @Test
    void anApiKeyIsRequired() {
        io.restassured.RestAssured.given().get("/v1/duplicates").then().statusCode(401).body("error", equalTo("unauthorized"));
        io.restassured.RestAssured.given().contentType("application/json").body("{\"phash\":\"0000000000000000\"}")
                .post("/v1/duplicates/search").then().statusCode(401);
    }

    @Test
    void theEndpointsAreInTheOpenApiDocument() {
        JsonPath doc = io.restassured.RestAssured.given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("Duplicates"), doc.getList("paths.'/v1/images/{id}/duplicates'.get.tags"));
        assertEquals(List.of("Duplicates"), doc.getList("paths.'/v1/duplicates/search'.post.tags"));
        assertEquals(List.of("Duplicates"), doc.getList("paths.'/v1/duplicates'.get.tags"));
    }

    // --- POST /v1/duplicates/search -------------------------------------------------------------------------

    @Test
    void searchByAHashComputedInPython() {
        Library lib = library();
        String pythonPhash = Corpus.hashes(PHOTO.getFileName().toString()).phash();
        JsonPath body = search(lib.key(), Map.of("phash", pythonPhash));
        assertEquals(6, body.getInt("max_distance"));
        Map<String, Integer> similar = similar(body);
        assertEquals(0, similar.get(lib.photo().id()));
        assertEquals(0, similar.get(lib.exactCopy().id()));
        for (Uploaded copy : lib.photoCopies()) {
            assertEquals(Hamming.distance(pythonPhash, copy.phash()), similar.get(copy.id()));
        }
        for (Uploaded u : lib.unrelated()) assertFalse(similar.containsKey(u.id()));
        assertNearestFirst(body);
        // upper case is accepted
        assertEquals(similar, similar(search(lib.key(), Map.of("phash", pythonPhash.toUpperCase()))));
    }

    @Test
    void searchByDhashOrBoth() {
        Library lib = library();
        Map<String, Integer> byDhash = similar(search(lib.key(), Map.of("dhash", lib.photo().dhash(), "max_distance", 4)));
        assertEquals(0, byDhash.get(lib.photo().id()));
        for (Uploaded copy : lib.photoCopies()) {
            int d = Hamming.distance(lib.photo().dhash(), copy.dhash());
            assertEquals(d <= 4 ? Integer.valueOf(d) : null, byDhash.get(copy.id()));
        }
        Map<String, Integer> both = similar(search(lib.key(),
                Map.of("phash", lib.photo().phash(), "dhash", lib.photo().dhash(), "max_distance", 6)));
        for (Uploaded copy : lib.photoCopies()) {
            int d = Math.max(Hamming.distance(lib.photo().phash(), copy.phash()),
                    Hamming.distance(lib.photo().dhash(), copy.dhash()));
            assertEquals(d <= 6 ? Integer.valueOf(d) : null, both.get(copy.id()), copy.filename());
        }
        // a hash nobody has
        assertTrue(similar(search(lib.key(), Map.of("phash", "5a5a5a5a5a5a5a5a", "max_distance", 2))).isEmpty());
    }

    @Test
    void searchValidation() {
        String key = library().key();
        String[][] cases = {
                {"{}", "missing_hash"},
                {"", "missing_hash"},
                {"{\"phash\": null}", "missing_hash"},
                {"{\"phash\": \"d25725691b24c4b\"}", "invalid_phash"},
                {"{\"phash\": \"d25725691b24c4bff\"}", "invalid_phash"},
                {"{\"phash\": \"g25725691b24c4bf\"}", "invalid_phash"},
                {"{\"phash\": 1234}", "invalid_phash"},
                {"{\"dhash\": \"0x25725691b24c4b\"}", "invalid_dhash"},
                {"{\"phash\": \"d25725691b24c4bf\", \"max_distance\": 17}", "invalid_max_distance"},
                {"{\"phash\": \"d25725691b24c4bf\", \"max_distance\": -1}", "invalid_max_distance"},
                {"{\"phash\": \"d25725691b24c4bf\", \"max_distance\": \"6\"}", "invalid_max_distance"},
                {"{\"phash\": \"d25725691b24c4bf\", \"max_distance\": 2.5}", "invalid_max_distance"},
                {"{\"phash\": \"d25725691b24c4bf\", \"limit\": 0}", "invalid_limit"},
                {"{\"phash\": \"d25725691b24c4bf\", \"maxdistance\": 3}", "unknown_field"},
                {"{\"phash\": ", "invalid_json"},
                {"[\"d25725691b24c4bf\"]", "invalid_json"},
        };
        for (String[] c : cases) {
            Api.as(key).contentType("application/json").body(c[0]).post("/v1/duplicates/search")
                    .then().statusCode(400).body("ok", equalTo(false)).body("error", equalTo(c[1]))
                    .body("message", notNullValue());
        }
    }

    @Test
    void queryParameterValidation() {
        Library lib = library();
        String path = "/v1/images/" + lib.photo().id() + "/duplicates";
        String[][] cases = {
                {path + "?max_distance=17", "invalid_max_distance"},
                {path + "?max_distance=-1", "invalid_max_distance"},
                {path + "?max_distance=six", "invalid_max_distance"},
                {path + "?hash=ahash", "invalid_hash"},
                {path + "?limit=1001", "invalid_limit"},
                {"/v1/duplicates?max_distance=99", "invalid_max_distance"},
                {"/v1/duplicates?hash=whash", "invalid_hash"},
                {"/v1/duplicates?limit=0", "invalid_limit"},
                {"/v1/duplicates?cursor=nonsense", "invalid_cursor"},
        };
        for (String[] c : cases) {
            Api.as(lib.key()).get(c[0]).then().statusCode(400).body("ok", equalTo(false)).body("error", equalTo(c[1]));
        }
    }

    // --- GET /v1/duplicates ---------------------------------------------------------------------------------

    @Test
    void theLibraryIsGroupedIntoClusters() {
        Library lib = library();
        JsonPath body = Api.as(lib.key()).get("/v1/duplicates").then().statusCode(200).extract().jsonPath();
        assertEquals("phash", body.getString("hash"));
        assertEquals(6, body.getInt("max_distance"));
        List<List<String>> clusters = clusterIds(body);
        List<String> photoCluster = new ArrayList<>(List.of(lib.photo().id(), lib.exactCopy().id(), lib.q50().id(),
                lib.half().id(), lib.brighter().id()));
        if (Hamming.distance(lib.photo().phash(), lib.cropped().phash()) <= 6) photoCluster.add(lib.cropped().id());
        List<List<String>> expected = List.of(
                sorted(photoCluster),
                sorted(List.of(lib.photo2().id(), lib.photo2Half().id())),
                sorted(List.of(lib.blank1().id(), lib.blank2().id())),
                sorted(List.of(lib.noPixels().id(), lib.noPixelsCopy().id())));
        assertEquals(expected, clusters);
        assertEquals(4, body.getInt("total_clusters"));
        assertEquals(expected.stream().mapToInt(List::size).sum(), body.getInt("total_images"));
        assertNull(body.getString("next_cursor"));
        // a cluster's id is its oldest image; distances are to it; exact copies share the checksum
        assertEquals(lib.photo().id(), body.getString("clusters[0].id"));
        assertEquals(photoCluster.size(), body.getInt("clusters[0].size"));
        assertEquals(0, body.getInt("clusters[0].offset"));
        List<Map<String, Object>> members = body.getList("clusters[0].images");
        for (Map<String, Object> m : members) {
            Uploaded u = byId(lib, (String) m.get("id"));
            assertEquals(Hamming.distance(lib.photo().phash(), u.phash()), m.get("distance"));
            assertEquals(u.filename(), m.get("filename"));
            assertEquals(u.checksum(), m.get("checksum"));
        }
        assertEquals(java.util.Arrays.asList(null, null), body.getList("clusters[3].images.distance"),
                "joined by checksum only");
    }

    @Test
    void aWiderDistanceTakesTheCropAndDhashWorks() {
        Library lib = library();
        JsonPath wide = Api.as(lib.key()).get("/v1/duplicates?max_distance=12").then().statusCode(200).extract().jsonPath();
        assertTrue(clusterIds(wide).get(1).contains(lib.photo2Cropped().id()), clusterIds(wide).toString());
        for (List<String> c : clusterIds(wide)) {
            for (Uploaded u : lib.unrelated()) assertFalse(c.contains(u.id()), u.filename());
        }
        JsonPath dhash = Api.as(lib.key()).get("/v1/duplicates?hash=dhash").then().statusCode(200).extract().jsonPath();
        assertEquals("dhash", dhash.getString("hash"));
        assertTrue(clusterIds(dhash).get(0).containsAll(List.of(lib.photo().id(), lib.exactCopy().id())));
    }

    @Test
    void pagesFollowTheCursorInTheSameOrder() {
        Library lib = library();
        List<List<String>> all = clusterIds(Api.as(lib.key()).get("/v1/duplicates").then().extract().jsonPath());
        List<List<String>> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response r = Api.as(lib.key()).queryParam("limit", 1)
                    .queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor)).get("/v1/duplicates");
            assertEquals(200, r.statusCode(), r.asString());
            JsonPath page = r.jsonPath();
            assertEquals(1, page.getList("clusters").size());
            paged.addAll(clusterIds(page));
            cursor = page.getString("next_cursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(all, paged);
        assertEquals(all.size(), pages);
        // a cursor carries its hash and distance, and refuses others
        String second = Api.as(lib.key()).queryParam("limit", 1).get("/v1/duplicates").jsonPath().getString("next_cursor");
        Api.as(lib.key()).queryParam("cursor", second).queryParam("max_distance", 6).get("/v1/duplicates")
                .then().statusCode(200);
        Api.as(lib.key()).queryParam("cursor", second).queryParam("max_distance", 8).get("/v1/duplicates")
                .then().statusCode(400).body("error", equalTo("invalid_cursor"));
        Api.as(lib.key()).queryParam("cursor", second).queryParam("hash", "dhash").get("/v1/duplicates")
                .then().statusCode(400).body("error", equalTo("invalid_cursor"));
    }

    @Test
    void clustersFollowLibraryChanges() {
        TestUsers.Created user = TestUsers.create("pro");
        String k = user.apiKey();
        Uploaded noPixels = upload(k, NO_PIXELS.toFile(), null);
        Uploaded photo = upload(k, PHOTO2.toFile(), null);
        JsonPath before = Api.as(k).get("/v1/duplicates").then().statusCode(200).extract().jsonPath();
        assertEquals(0, before.getInt("total_clusters"));
        assertEquals(List.of(), before.getList("clusters"));
        Uploaded copy = upload(k, Transforms.reencoded(PHOTO2, 0.5f, "changes-q50.jpg"), null);
        JsonPath after = Api.as(k).get("/v1/duplicates").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(List.of(photo.id(), copy.id())), clusterIds(after));
        // an image without hashes, older than the others, joins through its checksum and comes first
        Uploaded noPixelsCopy = upload(k, NO_PIXELS.toFile(), "again.exr");
        JsonPath last = Api.as(k).get("/v1/duplicates").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(List.of(noPixels.id(), noPixelsCopy.id()), List.of(photo.id(), copy.id())), clusterIds(last));
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private static JsonPath duplicates(String key, String id, String query) {
        Response r = Api.as(key).get("/v1/images/" + id + "/duplicates" + query);
        assertEquals(200, r.statusCode(), r.asString());
        return r.jsonPath();
    }

    private static JsonPath search(String key, Map<String, Object> body) {
        Response r = Api.as(key).contentType("application/json").body(body).post("/v1/duplicates/search");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(true, r.jsonPath().getBoolean("ok"));
        return r.jsonPath();
    }

    private static Map<String, Integer> similar(JsonPath body) {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        List<Map<String, Object>> items = body.getList("similar");
        for (Map<String, Object> m : items) out.put((String) m.get("id"), (Integer) m.get("distance"));
        return out;
    }

    private static List<String> similarInOrder(JsonPath body) {
        return body.getList("similar.id");
    }

    private static void assertNearestFirst(JsonPath body) {
        List<Map<String, Object>> items = body.getList("similar");
        List<Map<String, Object>> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.<Map<String, Object>>comparingInt(m -> (Integer) m.get("distance"))
                .thenComparing(m -> (String) m.get("id")));
        assertEquals(sorted, items);
    }

    private static List<List<String>> clusterIds(JsonPath body) {
        List<List<String>> out = new ArrayList<>();
        List<Map<String, Object>> clusters = body.getList("clusters");
        for (int i = 0; i < clusters.size(); i++) out.add(body.getList("clusters[" + i + "].images.id"));
        return out;
    }

    private static List<String> sorted(List<String> ids) {
        return ids.stream().sorted().toList();
    }

    private static Uploaded byId(Library lib, String id) {
        List<Uploaded> all = new ArrayList<>(List.of(lib.photo(), lib.exactCopy(), lib.q50(), lib.half(),
                lib.brighter(), lib.cropped(), lib.photo2(), lib.photo2Half(), lib.photo2Cropped(), lib.blank1(),
                lib.blank2(), lib.noPixels(), lib.noPixelsCopy()));
        all.addAll(lib.unrelated());
        return all.stream().filter(u -> u.id().equals(id)).findFirst().orElseThrow();
    }
}
