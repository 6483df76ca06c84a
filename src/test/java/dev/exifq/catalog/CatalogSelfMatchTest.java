package dev.exifq.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every catalogue entry, written into EXIF the way lensfun says cameras write it, must find itself. */
class CatalogSelfMatchTest {

    private final CatalogService service = TestCatalog.service();
    private final Catalog catalog = TestCatalog.catalog();

    @Test
    void everyCameraMatchesItsOwnExifMakeAndModel() {
        List<String> wrong = new ArrayList<>();
        for (Catalog.Camera c : catalog.cameras()) {
            if (c.secondary) continue; // below
            JsonNode meta = TestCatalog.metadata("EXIF:Make", c.lensfunMaker, "EXIF:Model", c.model);
            CameraView v = service.matchCamera(meta).orElseThrow();
            // cameras lensfun lists twice under one EXIF model (Cybershot variants) find the first of them
            if (!v.matched() || !catalog.camera(v.makeSlug(), v.slug()).orElseThrow().model.equals(c.model)) {
                wrong.add(c.lensfunMaker + " | " + c.model + " -> " + v);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyInterchangeableLensMatchesItsOwnExifName() {
        List<String> wrong = new ArrayList<>();
        for (Catalog.Lens l : catalog.lenses()) {
            if (l.fixed) continue;
            JsonNode meta = TestCatalog.metadata("EXIF:LensMake", l.make, "EXIF:LensModel", l.model);
            LensView v = service.matchLens(meta, null).orElseThrow();
            Catalog.Lens got = v.matched() ? catalog.lens(v.slug()).orElseThrow() : null;
            // lensfun has a few lenses twice under one EXIF name ("Canon FDn 100mm f/2.8" and "... 1:2.8"):
            // either will do
            if (got == null || !got.names.get(0).key().equals(l.names.get(0).key())) {
                wrong.add(l.make + " | " + l.model + " -> " + (got == null ? "unmatched" : got.make + " | " + got.model));
            }
        }
        System.out.println(wrong.size() + " lenses do not find themselves:\n" + String.join("\n", wrong));
        assertEquals(List.of(), wrong);
    }
}
