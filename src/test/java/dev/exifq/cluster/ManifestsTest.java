package dev.exifq.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The k8s/ manifests, parsed into fabric8's Kubernetes model, against issue 16's list: pinned image, hardened
 * containers, probes on the management port that no Service exposes, the shared JWT key pair and trusted proxies
 * referenced, a NetworkPolicy that keeps pods out of the cluster's ranges and the metadata endpoint, queue-depth
 * scaling, and kustomizations whose files all exist. (kubectl is not installed here to build them.)
 */
class ManifestsTest {
    private static final Path K8S = Path.of(System.getProperty("exifq.project-dir", ".")).resolve("k8s");
    private static final Path BASE = K8S.resolve("base");
    private static final Path OVERLAY = K8S.resolve("overlays/example");
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final String METADATA_ENDPOINT = "169.254.169.254";
    private static final int MANAGEMENT_PORT = 9000;

    @Test
    void kustomizationsListOnlyFilesThatExistAndPatchWhatTheBaseHas() throws IOException {
        List<KubernetesResource> base = baseResources();
        assertFalse(base.isEmpty());
        JsonNode overlay = YAML.readTree(OVERLAY.resolve("kustomization.yaml").toFile());
        List<String> overlayResources = strings(overlay.path("resources"));
        assertEquals(List.of("../../base"), overlayResources);
        assertTrue(Files.isRegularFile(OVERLAY.resolve("../../base/kustomization.yaml").normalize()));
        for (JsonNode patch : overlay.path("patches")) {
            Path file = OVERLAY.resolve(patch.path("path").asString());
            assertTrue(Files.isRegularFile(file), "overlay patch " + file);
            JsonNode target = baseDocument(patch.path("target").path("kind").asString(), patch.path("target").path("name").asString());
            for (JsonNode op : YAML.readTree(file.toFile())) {
                assertFalse(target.at(op.path("path").asString()).isMissingNode(),
                        file + ": " + op.path("path").asString() + " is not in the base");
            }
        }
        for (JsonNode kustomization : List.of(YAML.readTree(BASE.resolve("kustomization.yaml").toFile()), overlay)) {
            for (JsonNode image : kustomization.path("images")) {
                assertPinned(image.path("name").asString() + ":" + image.path("newTag").asString());
            }
        }
        // every manifest in the base directory is listed (none forgotten), and only those
        try (Stream<Path> files = Files.list(BASE)) {
            assertEquals(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("kustomization.yaml"))
                    .sorted().toList(), strings(YAML.readTree(BASE.resolve("kustomization.yaml").toFile())
                    .path("resources")).stream().sorted().toList());
        }
    }

    @Test
    void deploymentsAreHardenedPinnedAndProbedOnTheManagementPort() throws IOException {
        List<KubernetesResource> all = baseResources();
        Map<String, String> roles = Map.of("exifq-api", "api", "exifq-worker", "worker");
        for (Map.Entry<String, String> e : roles.entrySet()) {
            Deployment d = named(all, Deployment.class, e.getKey());
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), e.getKey());
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), e.getKey());
            assertEquals(1, pod.getContainers().size());
            Container c = pod.getContainers().get(0);
            assertPinned(c.getImage());
            SecurityContext sc = c.getSecurityContext();
            assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), e.getKey());
            assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), e.getKey());
            assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), e.getKey());
            assertTrue(sc.getPrivileged() == null || !sc.getPrivileged());
            // a writable /tmp (and data dir) on emptyDir, since the root file system is read-only
            for (String path : List.of("/tmp", "/data")) {
                VolumeMount mount = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                        .orElseThrow(() -> new AssertionError(e.getKey() + " mounts nothing on " + path));
                Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(mount.getName())).findFirst().orElseThrow();
                assertNotNull(v.getEmptyDir(), path + " is an emptyDir");
            }
            assertNotNull(c.getResources().getRequests().get("cpu"), e.getKey() + " cpu request");
            assertNotNull(c.getResources().getRequests().get("memory"), e.getKey() + " memory request");
            assertNotNull(c.getResources().getLimits().get("memory"), e.getKey() + " memory limit");
            // requests are what the scheduler reserves: a limit below them could never be met
            assertTrue(c.getResources().getLimits().get("memory").getNumericalAmount()
                    .compareTo(c.getResources().getRequests().get("memory").getNumericalAmount()) >= 0, e.getKey()
                    + " memory limit at least its request");

            ContainerPort management = c.getPorts().stream().filter(p -> "management".equals(p.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError(e.getKey() + " has no management port"));
            assertEquals(MANAGEMENT_PORT, management.getContainerPort());
            for (Probe probe : new Probe[] {c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe()}) {
                assertNotNull(probe, e.getKey() + " lacks a probe");
                assertEquals("management", probe.getHttpGet().getPort().getStrVal(), e.getKey());
                assertTrue(probe.getHttpGet().getPath().startsWith("/q/health/"), probe.getHttpGet().getPath());
            }
            assertEquals(roles.get(e.getKey()), env(c, "EXIFQ_ROLE").getValue());
            // the one key pair of every replica, from the Secret
            for (String[] ref : new String[][] {{"EXIFQ_AUTH_JWT_PRIVATE_KEY", "private-key"},
                    {"EXIFQ_AUTH_JWT_PUBLIC_KEY", "public-key"}, {"EXIFQ_AUTH_JWT_PREVIOUS_PUBLIC_KEYS", "previous-public-keys"}}) {
                var key = env(c, ref[0]).getValueFrom().getSecretKeyRef();
                Secret secret = named(all, Secret.class, key.getName());
                assertEquals(ref[1], key.getKey());
                assertTrue(secret.getStringData().containsKey(ref[1]), key.getName() + " has " + ref[1]);
            }
            // trusted proxies and the management port from the ConfigMap the container reads
            String configMap = c.getEnvFrom().stream().filter(f -> f.getConfigMapRef() != null).findFirst()
                    .orElseThrow().getConfigMapRef().getName();
            Map<String, String> config = named(all, ConfigMap.class, configMap).getData();
            assertFalse(config.getOrDefault("EXIFQ_TRUSTED_PROXIES", "").isBlank(), "EXIFQ_TRUSTED_PROXIES is set");
            assertEquals(String.valueOf(MANAGEMENT_PORT), config.get("EXIFQ_MANAGEMENT_PORT"));
        }
        // a worker serves no API: no public port on it
        assertTrue(named(all, Deployment.class, "exifq-worker").getSpec().getTemplate().getSpec().getContainers().get(0)
                .getPorts().stream().noneMatch(p -> p.getContainerPort() == 8080));
    }

    @Test
    void onlyThePublicPortOfApiReplicasIsExposed() throws IOException {
        List<KubernetesResource> all = baseResources();
        Service service = named(all, Service.class, "exifq-api");
        assertEquals("api", service.getSpec().getSelector().get("exifq.dev/role"));
        for (ServicePort p : service.getSpec().getPorts()) {
            assertEquals("http", p.getTargetPort().getStrVal());
            assertTrue(p.getPort() != MANAGEMENT_PORT);
        }
        assertEquals(1, all.stream().filter(Service.class::isInstance).count(), "no Service for the management port");
        Ingress ingress = named(all, Ingress.class, "exifq");
        ingress.getSpec().getRules().forEach(r -> r.getHttp().getPaths().forEach(p ->
                assertEquals("exifq-api", p.getBackend().getService().getName())));
    }

    @Test
    void egressReachesDatabaseAndInternetButNotClusterRangesNorTheMetadataEndpoint() throws IOException {
        List<KubernetesResource> all = baseResources();
        NetworkPolicy policy = named(all, NetworkPolicy.class, "exifq");
        assertTrue(policy.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress")));
        assertEquals("exifq", policy.getSpec().getPodSelector().getMatchLabels().get("app"));
        for (String deployment : List.of("exifq-api", "exifq-worker")) {
            assertEquals("exifq", named(all, Deployment.class, deployment).getSpec().getTemplate().getMetadata()
                    .getLabels().get("app"), deployment + " is selected by the policy");
        }
        boolean database = false;
        boolean internet = false;
        for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
            assertFalse(rule.getTo() == null || rule.getTo().isEmpty(), "an egress rule to anywhere");
            for (NetworkPolicyPeer peer : rule.getTo()) {
                IPBlock block = peer.getIpBlock();
                if (block == null) {
                    assertNotNull(peer.getNamespaceSelector(), "peers are namespaces (DNS) or address blocks");
                    continue;
                }
                List<String> excepts = block.getExcept() == null ? List.of() : block.getExcept();
                for (String address : List.of(METADATA_ENDPOINT, "10.1.2.3", "172.20.0.1", "192.168.0.1", "127.0.0.1",
                        "100.64.0.1", "fd00:ec2::254", "fe80::1")) {
                    if (contains(block.getCidr(), address)) {
                        assertTrue(excepts.stream().anyMatch(x -> contains(x, address)),
                                block.getCidr() + " lets pods reach " + address);
                    }
                }
                if (rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 5432)) {
                    database = true;
                }
                if (block.getCidr().equals("0.0.0.0/0")
                        && rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 443)) {
                    internet = true;
                }
            }
        }
        assertTrue(database, "PostgreSQL is reachable");
        assertTrue(internet, "S3 and the internet are reachable over HTTPS");
    }

    @Test
    void workersScaleOnQueueDepth() throws IOException {
        GenericKubernetesResource scaled = named(baseResources(), GenericKubernetesResource.class, "exifq-worker");
        assertEquals("ScaledObject", scaled.getKind());
        JsonNode spec = YAML.valueToTree(scaled.getAdditionalProperties().get("spec"));
        assertEquals("exifq-worker", spec.path("scaleTargetRef").path("name").asString());
        JsonNode trigger = spec.path("triggers").get(0);
        assertEquals("postgresql", trigger.path("type").asString());
        assertTrue(trigger.path("metadata").path("query").asString().contains("from jobrunr_jobs where state = 'ENQUEUED'"));
        assertTrue(spec.path("minReplicaCount").asInt() >= 1, "a worker stays for the scheduled backstop jobs");
    }

    private static List<KubernetesResource> baseResources() throws IOException {
        List<KubernetesResource> out = new ArrayList<>();
        for (String file : strings(YAML.readTree(BASE.resolve("kustomization.yaml").toFile()).path("resources"))) {
            Path path = BASE.resolve(file);
            assertTrue(Files.isRegularFile(path), "kustomization lists " + file + ", which does not exist");
            try (var docs = YAML.readerFor(KubernetesResource.class).<KubernetesResource>readValues(path.toFile())) {
                while (docs.hasNext()) {
                    KubernetesResource r = docs.next();
                    if (r instanceof GenericKubernetesResource g && !g.getApiVersion().startsWith("keda.sh/")) {
                        fail(file + ": " + g.getApiVersion() + " " + g.getKind() + " is not a Kubernetes kind");
                    }
                    out.add(r);
                }
            }
        }
        return out;
    }

    private static JsonNode baseDocument(String kind, String name) throws IOException {
        for (String file : strings(YAML.readTree(BASE.resolve("kustomization.yaml").toFile()).path("resources"))) {
            try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(BASE.resolve(file).toFile())) {
                while (docs.hasNext()) {
                    JsonNode doc = docs.next();
                    if (doc.path("kind").asString().equals(kind) && doc.path("metadata").path("name").asString().equals(name)) {
                        return doc;
                    }
                }
            }
        }
        throw new AssertionError("no " + kind + " " + name + " in the base");
    }

    private static <T extends HasMetadata> T named(List<KubernetesResource> all, Class<T> type, String name) {
        Optional<T> found = all.stream().filter(type::isInstance).map(type::cast)
                .filter(r -> name.equals(r.getMetadata().getName())).findFirst();
        return found.orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no " + name));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static void assertPinned(String image) {
        int slash = image.lastIndexOf('/');
        int colon = image.indexOf(':', Math.max(slash, 0));
        assertTrue(colon > 0 || image.contains("@sha256:"), image + " has no tag");
        String tag = image.substring(colon + 1);
        assertFalse(tag.isBlank() || tag.equals("latest"), image + " is not pinned");
    }

    /** Whether the CIDR block contains the address (IPv4 or IPv6; different families never). */
    static boolean contains(String cidr, String address) {
        try {
            String[] parts = cidr.split("/");
            byte[] net = InetAddress.getByName(parts[0]).getAddress();
            byte[] addr = InetAddress.getByName(address).getAddress();
            if (net.length != addr.length) {
                return false;
            }
            int bits = Integer.parseInt(parts[1]);
            int shift = net.length * 8 - bits;
            return new BigInteger(1, net).shiftRight(shift).equals(new BigInteger(1, addr).shiftRight(shift));
        } catch (IOException e) {
            throw new AssertionError("not an address block: " + cidr, e);
        }
    }
}
