package dev.exifq.cluster;

import dev.exifq.platform.ErrorBody;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A worker serves no API. Its public port is not opened at all ({@link WorkerPortConfigSourceFactory}); should it be
 * switched on again (QUARKUS_HTTP_HOST_ENABLED=true), every request on it gets a JSON 404 before any other route runs.
 * Health and metrics are on the management port, a router of their own, and stay.
 */
@ApplicationScoped
public class WorkerRoutes {
    private final Node node;

    public WorkerRoutes(Node node) {
        this.node = node;
    }

    void install(@Observes Router router) {
        if (node.role().servesApi()) {
            return;
        }
        router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> ErrorBody.send(ctx.response(), 404, "not_found",
                "This replica is a worker (exifq.role=worker) and serves no API; send requests to an api replica."));
    }
}
