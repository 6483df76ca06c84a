package dev.exifq.catalog;

import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: catalogue search puts first what a photographer means, over real HTTP. A fresh user (no images, so no
 * gear of their own to rank first) asks each query; the first hit must be the camera or lens in the table.
 */
@QuarkusTest
class CatalogSearchRankingTest {

    private static String apiKey;

    @BeforeAll
    static void newUser() {
        apiKey = TestUsers.create("pro").apiKey();
    }

    @ParameterizedTest(name = "cameras?q={0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            a7            | sony/alpha-7
            ILCE-7        | sony/alpha-7
            alpha 7       | sony/alpha-7
            sony a7       | sony/alpha-7
            a7 iii        | sony/alpha-7-iii
            5d mark iv    | canon/eos-5d-mark-iv
            r5            | canon/eos-r5
            z6            | nikon/z-6
            d850          | nikon/d850
            x-t3          | fujifilm/x-t3
            x100v         | fujifilm/x100v
            em1           | olympus/e-m1
            e-m1          | olympus/e-m1
            om-d e-m1     | olympus/e-m1
            om-1          | om-system/om-1
            gh5           | panasonic/dc-gh5
            iphone 13 pro | apple/iphone-13-pro
            pixel 7       | google/pixel-7
            galaxy s23    | samsung/galaxy-s23
            s23 ultra     | samsung/galaxy-s23-ultra
            """)
    void cameraQueryFindsWhatAPhotographerMeansFirst(String q, String expected) {
        Response r = Api.as(apiKey).queryParam("q", q).queryParam("size", 3).get("/v1/cameras");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(expected, r.path("cameras[0].make_slug") + "/" + r.path("cameras[0].slug"), r.asString());
    }

    @ParameterizedTest(name = "lenses?q={0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            24-70 2.8 gm    | fe-24-70mm-f2-8-gm
            ef 50mm 1.8     | canon-ef-50mm-f1-8
            rf 24-105       | canon-rf-24-105mm-f4l-is-usm
            xf 35 1.4       | xf-35mm-f1-4-r
            nikkor z 50 1.8 | nikkor-z-50mm-f1-8-s
            fe 85 1.8       | fe-85mm-f1-8
            m.zuiko 12-40   | olympus-m-zuiko-digital-ed-12-40mm-f2-8-pro
            """)
    void lensQueryFindsWhatAPhotographerMeansFirst(String q, String expected) {
        Response r = Api.as(apiKey).queryParam("q", q).queryParam("size", 3).get("/v1/lenses");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(expected, r.path("lenses[0].slug"), r.asString());
    }

    @Test
    void phonesWithTheSameNameComeAfterTheCameraButStillCome() {
        Response r = Api.as(apiKey).queryParam("q", "a7").queryParam("size", 100).get("/v1/cameras");
        assertEquals("sony", r.path("cameras[0].make_slug"));
        assertTrue(r.<java.util.List<String>>path("cameras.make_slug").contains("admiral-overseas-corporation"),
                "the Admiral A7 phone is still a hit: " + r.asString());
    }

    /** The caller's own gear (image_count > 0) comes before every other hit; another user's order is unchanged. */
    @Test
    void gearInTheCallersImagesComesFirst() {
        TestUsers.Created owner = TestUsers.create("pro");
        Response image = Api.as(owner.apiKey()).multiPart("file", Corpus.image("exiftool__NikonD2Hs.jpg").toFile())
                .post("/v1/images");
        assertEquals("processed", image.path("status"), image.asString());
        assertEquals("d2hs", image.path("camera.slug"), image.asString());
        assertEquals("nikkor-af-50mm-f1-8d", image.path("lens.slug"), image.asString());

        // "nikon d" would otherwise start with the shortest Nikon D names, not the D2Hs
        Response stranger = Api.as(apiKey).queryParam("q", "nikon d").get("/v1/cameras");
        assertNotEquals("d2hs", stranger.path("cameras[0].slug"), stranger.asString());
        assertEquals(0, (int) stranger.path("cameras[0].image_count"));
        Response own = Api.as(owner.apiKey()).queryParam("q", "nikon d").get("/v1/cameras");
        assertEquals("d2hs", own.path("cameras[0].slug"), own.asString());
        assertEquals(1, (int) own.path("cameras[0].image_count"));
        assertEquals((int) stranger.path("total"), (int) own.path("total"), "ranking changes the order, not the hits");

        Response strangerLens = Api.as(apiKey).queryParam("q", "50mm 1.8").get("/v1/lenses");
        assertNotEquals("nikkor-af-50mm-f1-8d", strangerLens.path("lenses[0].slug"), strangerLens.asString());
        Response ownLens = Api.as(owner.apiKey()).queryParam("q", "50mm 1.8").get("/v1/lenses");
        assertEquals("nikkor-af-50mm-f1-8d", ownLens.path("lenses[0].slug"), ownLens.asString());
        assertEquals(1, (int) ownLens.path("lenses[0].image_count"));

        // own gear the query does not find is not added
        Api.as(owner.apiKey()).queryParam("q", "gh5").get("/v1/cameras").then().statusCode(200)
                .body("cameras[0].slug", org.hamcrest.Matchers.equalTo("dc-gh5"));
    }
}
