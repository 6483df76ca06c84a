package dev.exifq.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This replica's place in a deployment: its {@link Role} ({@code exifq.role}, EXIFQ_ROLE) and how many replicas share
 * its database ({@code exifq.cluster.replicas}, EXIFQ_REPLICAS, set by the manifests; 1 when running alone).
 */
@ApplicationScoped
public class Node {
    private final Role role;
    private final int replicas;

    public Node(@ConfigProperty(name = "exifq.role", defaultValue = "all") Role role,
                @ConfigProperty(name = "exifq.cluster.replicas", defaultValue = "1") int replicas) {
        this.role = role;
        this.replicas = replicas;
    }

    public Role role() {
        return role;
    }

    /**
     * Whether other processes share this one's database: then anything a node would make up for itself on first
     * start (a session signing key) would differ between replicas. A split role implies another replica.
     */
    public boolean oneOfSeveral() {
        return role != Role.ALL || replicas > 1;
    }

    @Override
    public String toString() {
        return "exifq.role=" + role.name().toLowerCase() + ", exifq.cluster.replicas=" + replicas;
    }
}
