package dev.exifq.platform;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** The service's entry point: Quarkus, with Vert.x's own URL check left to {@link MalformedUrlGuard}. */
@QuarkusMain
public final class Main {
    static final String DISABLE_URI_VALIDATION = "vertx.disableURIValidation";

    private Main() {}

    public static void main(String... args) {
        // read once when Quarkus's HTTP recorder class initialises, so it must be set before Quarkus starts
        System.setProperty(DISABLE_URI_VALIDATION, "true");
        Quarkus.run(args);
    }
}
