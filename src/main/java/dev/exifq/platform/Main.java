package dev.exifq.platform;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import sun.misc.Signal;

/** The service's entry point: Quarkus, with Vert.x's own URL check left to {@link MalformedUrlGuard}. */
@QuarkusMain
public final class Main {
    static final String DISABLE_URI_VALIDATION = "vertx.disableURIValidation";

    private Main() {}

    public static void main(String... args) {
        // read once when Quarkus's HTTP recorder class initialises, so it must be set before Quarkus starts
        System.setProperty(DISABLE_URI_VALIDATION, "true");
        // SIGTERM (Kubernetes stopping a pod) is an orderly stop, not a failure: the JVM's own handler would exit 143
        // after the shutdown hooks; this one runs the same shutdown (GracefulShutdown drains the work) and exits 0
        Signal.handle(new Signal("TERM"), signal -> Quarkus.asyncExit(0));
        Quarkus.run(args);
    }
}
