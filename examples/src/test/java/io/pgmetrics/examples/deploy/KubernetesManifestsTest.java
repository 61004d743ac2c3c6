package io.pgmetrics.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Parses every manifest under kubernetes/ and checks what the exporter depends on: image, port,
 * probe paths, environment names and flags it knows, Secrets, ConfigMaps and files that exist,
 * a locked-down pod, and Services, ServiceMonitor and scrape job that reach the exporter.
 */
class KubernetesManifestsTest {

    private static final Path KUBERNETES = DeployAssets.path("kubernetes");
    private static final String EXPORTER_LABEL = "app.kubernetes.io/name";
    /** Labels the Zalando operator puts on a cluster's pods (its defaults: cluster_labels, cluster_name_label). */
    private static final String ZALANDO_CLUSTER_NAME_LABEL = "cluster-name";

    private static final Pattern ZALANDO_SECRET =
            Pattern.compile("(?<user>[^.]+)\\.(?<cluster>[^.]+)\\.credentials\\.postgresql\\.acid\\.zalan\\.do");
    private static final Set<String> VALID_USAGES =
            Set.of("LABEL", "COUNTER", "GAUGE", "MAPPEDMETRIC", "DURATION", "HISTOGRAM", "DISCARD");

    record Doc(Path file, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }

        @Override
        public String toString() {
            return kind() + " " + name() + " (" + KUBERNETES.relativize(file) + ")";
        }
    }

    /** A pod as the exporter container sees it: its labels, volumes, and the exporter's container. */
    record ExporterPod(
            String where,
            Map<String, String> labels,
            JsonNode container,
            List<String> arguments,
            Map<String, JsonNode> volumes,
            boolean managedByOperator) {}

    private static final List<Doc> DOCS = load();

    private static List<Doc> load() {
        List<Doc> docs = new ArrayList<>();
        for (Path file : DeployAssets.filesUnder(KUBERNETES, ".yaml")) {
            DeployAssets.yamlDocuments(file).forEach(d -> docs.add(new Doc(file, d)));
        }
        return docs;
    }

    private static List<Doc> ofKind(String kind) {
        return DOCS.stream().filter(d -> d.kind().equals(kind)).toList();
    }

    private static Doc find(String kind, String name) {
        return DOCS.stream()
                .filter(d -> d.kind().equals(kind) && d.name().equals(name))
                .findFirst()
                .orElse(null);
    }

    @Test
    void everyDocumentIsANamedKubernetesObject() {
        Set<String> seen = new HashSet<>();
        for (Doc doc : DOCS) {
            if (doc.file().getFileName().toString().equals("prometheus-scrape-job.yaml")) {
                continue; // a Prometheus configuration, checked by PrometheusRulesTest
            }
            assertThat(doc.node().path("apiVersion").asText())
                    .as("apiVersion of %s", doc)
                    .isNotBlank();
            assertThat(doc.kind()).as("kind in %s", doc.file()).isNotBlank();
            assertThat(doc.name()).as("metadata.name of %s", doc).isNotBlank();
            assertThat(seen.add(doc.kind() + "/" + doc.name()))
                    .as("%s defined once", doc)
                    .isTrue();
        }
        assertThat(ofKind("Deployment")).hasSize(2);
        assertThat(ofKind("StatefulSet")).hasSize(1);
        assertThat(ofKind("postgresql")).hasSize(1);
        assertThat(ofKind("ServiceMonitor")).hasSize(1);
    }

    @Test
    void exporterContainersUseTheExportersImagePortProbesEnvironmentAndFlags() {
        List<ExporterPod> pods = exporterPods();
        assertThat(pods).as("exporter containers").hasSize(4);
        Problems soft = new Problems();
        for (ExporterPod pod : pods) {
            JsonNode c = pod.container();
            String where = pod.where();
            soft.expectEqual(c.path("image").asText(), ExporterInterface.IMAGE, "image of %s", where);
            JsonNode port = namedPort(c, "metrics");
            soft.expectEqual(port.path("containerPort").asInt(), ExporterInterface.PORT, "port 'metrics' of %s", where);
            soft.expect(!c.has("envFrom"), "%s: env names spelled out, not imported with envFrom", where);
            soft.expect(
                    !c.path("resources")
                            .path("requests")
                            .path("memory")
                            .asText()
                            .isBlank(),
                    "memory request of %s",
                    where);
            soft.expect(
                    !c.path("resources").path("limits").path("memory").asText().isBlank(), "memory limit of %s", where);
            soft.expect(
                    !c.path("resources").path("requests").path("cpu").asText().isBlank(), "cpu request of %s", where);
            if (!pod.managedByOperator()) {
                checkProbe(soft, where, c, "livenessProbe", Set.of(ExporterInterface.LIVENESS_PATH));
                checkProbe(soft, where, c, "readinessProbe", ExporterInterface.READINESS_PATHS);
            }
            checkEnvironment(soft, pod);
            checkArguments(soft, pod);
        }
        soft.assertNone();
    }

    @Test
    void exporterPodsRunAsNonRootWithAReadOnlyRootFilesystem() {
        Problems soft = new Problems();
        int checked = 0;
        for (Doc d : workloads()) {
            JsonNode pod = d.node().path("spec").path("template").path("spec");
            JsonNode podSecurity = pod.path("securityContext");
            soft.expect(!pod.path("automountServiceAccountToken").asBoolean(true), "%s mounts no API token", d);
            soft.expect(podSecurity.path("runAsNonRoot").asBoolean(), "%s runAsNonRoot", d);
            soft.expectEqual(podSecurity.path("runAsUser").asInt(0), 65534, "%s runAsUser", d);
            soft.expectEqual(
                    podSecurity.path("seccompProfile").path("type").asText(), "RuntimeDefault", "%s seccomp", d);
            for (JsonNode c : pod.path("containers")) {
                JsonNode sc = c.path("securityContext");
                String where = d + " container " + c.path("name").asText();
                soft.expect(sc.path("readOnlyRootFilesystem").asBoolean(), "%s readOnlyRootFilesystem", where);
                soft.expect(
                        !sc.path("allowPrivilegeEscalation").asBoolean(true),
                        "%s allowPrivilegeEscalation false",
                        where);
                soft.expect(sc.path("runAsNonRoot").asBoolean(), "%s runAsNonRoot", where);
                soft.expectEqual(
                        texts(sc.path("capabilities").path("drop")), List.of("ALL"), "%s drops capabilities", where);
                soft.expect(!sc.path("privileged").asBoolean(false), "%s not privileged", where);
                checked++;
            }
        }
        soft.assertNone();
        assertThat(checked).isEqualTo(3);
    }

    /** With POSTGRES_* injected by the operator (the superuser's), only DATA_SOURCE_* keeps the sidecar off them. */
    @Test
    void zalandoSidecarConnectsAsItsOwnRoleNotTheInjectedSuperuser() {
        Doc cluster = ofKind("postgresql").get(0);
        JsonNode sidecar = zalandoSidecar(cluster);
        Set<String> env = new TreeSet<>();
        sidecar.path("env").forEach(e -> env.add(e.path("name").asText()));
        assertThat(env).as("the sidecar sets its own connection").containsAnyOf("DATA_SOURCE_NAME", "DATA_SOURCE_URI");
        assertThat(env)
                .as("POSTGRES_* is the operator's (superuser) and must not be relied on")
                .noneMatch(n -> n.startsWith("POSTGRES_"));
        for (JsonNode e : sidecar.path("env")) {
            JsonNode ref = e.path("valueFrom").path("secretKeyRef");
            if (!ref.isMissingNode()) {
                var m = ZALANDO_SECRET.matcher(ref.path("name").asText());
                assertThat(m.matches())
                        .as(
                                "%s comes from a Secret the operator creates",
                                e.path("name").asText())
                        .isTrue();
                assertThat(m.group("cluster")).isEqualTo(cluster.name());
                assertThat(cluster.node().path("spec").path("users").has(m.group("user")))
                        .as("role %s declared in spec.users", m.group("user"))
                        .isTrue();
                assertThat(m.group("user")).as("not the superuser").isNotEqualTo("postgres");
                assertThat(ref.path("key").asText()).isIn("username", "password");
            }
        }
        List<String> command = texts(sidecar.path("command"));
        assertThat(command)
                .as("the sidecar's command starts with the image's entrypoint")
                .startsWith(ContainerfileTest.entrypoint().toArray(String[]::new));
    }

    @Test
    void servicesSendPort9187ToTheExporterContainer() {
        List<ExporterPod> pods = exporterPods();
        Problems soft = new Problems();
        for (Doc service : ofKind("Service")) {
            Map<String, String> selector = stringMap(service.node().path("spec").path("selector"));
            List<ExporterPod> selected = pods.stream()
                    .filter(p -> p.labels().entrySet().containsAll(selector.entrySet()))
                    .toList();
            soft.expect(!selected.isEmpty(), "%s selects exporter pods with %s", service, selector);
            JsonNode port = service.node().path("spec").path("ports").get(0);
            soft.expectEqual(port.path("port").asInt(), ExporterInterface.PORT, "%s port", service);
            soft.expectEqual(port.path("name").asText(), "metrics", "%s port name", service);
            String target = port.path("targetPort").asText();
            for (ExporterPod pod : selected) {
                JsonNode containerPort = target.matches("\\d+")
                        ? JsonNodeFactory.instance.objectNode().put("containerPort", Integer.parseInt(target))
                        : namedPort(pod.container(), target);
                soft.expectEqual(
                        containerPort.path("containerPort").asInt(),
                        ExporterInterface.PORT,
                        "%s targetPort %s in %s",
                        service,
                        target,
                        pod.where());
            }
            soft.expectEqual(
                    stringMap(service.node().path("metadata").path("labels")).get(EXPORTER_LABEL),
                    "pgmetrics-exporter",
                    "%s carries the label the ServiceMonitor and the scrape job select",
                    service);
        }
        soft.assertNone();
        assertThat(ofKind("Service")).hasSize(4);
    }

    @Test
    void serviceMonitorScrapesEveryExporterService() {
        JsonNode spec = ofKind("ServiceMonitor").get(0).node().path("spec");
        Map<String, String> selector = stringMap(spec.path("selector").path("matchLabels"));
        JsonNode endpoint = spec.path("endpoints").get(0);
        for (Doc service : ofKind("Service")) {
            assertThat(stringMap(service.node().path("metadata").path("labels")).entrySet())
                    .as("ServiceMonitor selects %s", service)
                    .containsAll(selector.entrySet());
            assertThat(texts(service.node().path("spec").path("ports"), "name"))
                    .as("port of %s", service)
                    .contains(endpoint.path("port").asText());
        }
        assertThat(endpoint.path("path").asText()).isEqualTo(ExporterInterface.METRICS_PATH);
        assertThat(endpoint.path("relabelings").get(0).path("replacement").asText())
                .as("the job name the alert rules expect")
                .matches("postgres.*");
    }

    @Test
    void scrapeJobKeepsEveryExporterService() {
        JsonNode job = DeployAssets.yamlDocuments(KUBERNETES.resolve("monitoring/prometheus-scrape-job.yaml"))
                .get(0)
                .path("scrape_configs")
                .get(0);
        assertThat(job.path("job_name").asText()).matches("postgres.*");
        Map<String, String> keep = new HashMap<>();
        for (JsonNode r : job.path("relabel_configs")) {
            if (r.path("action").asText().equals("keep")) {
                keep.put(
                        r.path("source_labels").get(0).asText(), r.path("regex").asText());
            }
        }
        String labelMeta = "__meta_kubernetes_service_label_" + EXPORTER_LABEL.replaceAll("[^a-zA-Z0-9_]", "_");
        assertThat(keep).containsKeys(labelMeta, "__meta_kubernetes_endpoint_port_name");
        for (Doc service : ofKind("Service")) {
            assertThat(stringMap(service.node().path("metadata").path("labels")).get(EXPORTER_LABEL))
                    .as("%s kept by the scrape job", service)
                    .matches(keep.get(labelMeta));
            assertThat(service.node()
                            .path("spec")
                            .path("ports")
                            .get(0)
                            .path("name")
                            .asText())
                    .matches(keep.get("__meta_kubernetes_endpoint_port_name"));
        }
    }

    /** Each key of a ConfigMap or Secret is read by something: a misspelt key would do nothing. */
    @Test
    void everyKeyOfOurConfigMapsAndSecretsIsUsed() {
        Set<String> used = new HashSet<>();
        for (ExporterPod pod : exporterPods()) {
            for (JsonNode e : pod.container().path("env")) {
                JsonNode from = e.path("valueFrom");
                from.fields()
                        .forEachRemaining(f -> used.add(
                                f.getKey() + "/" + f.getValue().path("name").asText() + "/"
                                        + f.getValue().path("key").asText()));
            }
            for (JsonNode volume : pod.volumes().values()) {
                providedFiles(volume).forEach((file, ref) -> used.add(ref));
            }
        }
        Problems soft = new Problems();
        for (Doc d : DOCS) {
            String kindRef = d.kind().equals("Secret")
                    ? "secretKeyRef"
                    : d.kind().equals("ConfigMap") ? "configMapKeyRef" : null;
            if (kindRef == null) {
                continue;
            }
            for (String key : keys(d)) {
                soft.expect(
                        used.contains(kindRef + "/" + d.name() + "/" + key),
                        "key %s of %s is read by an exporter",
                        key,
                        d);
            }
        }
        soft.assertNone();
    }

    @Test
    void customQueriesAreValidInPostgresExportersFormat() {
        Map<String, JsonNode> queries = customQueries();
        assertThat(queries).isNotEmpty();
        for (var entry : queries.entrySet()) {
            String namespace = entry.getKey();
            JsonNode q = entry.getValue();
            assertThat(q.path("query").asText()).as("query of %s", namespace).isNotBlank();
            assertThat(q.path("metrics").isArray())
                    .as("metrics of %s is a list", namespace)
                    .isTrue();
            for (JsonNode column : q.path("metrics")) {
                assertThat(column.size())
                        .as("each entry of %s.metrics names one column", namespace)
                        .isEqualTo(1);
                String name = column.fieldNames().next();
                JsonNode spec = column.path(name);
                assertThat(spec.path("usage").asText())
                        .as("usage of %s.%s (case matters)", namespace, name)
                        .isIn(VALID_USAGES);
                assertThat(spec.path("description").asText())
                        .as("description of %s.%s", namespace, name)
                        .isNotBlank();
                if (!spec.path("usage").asText().equals("LABEL")) {
                    assertThat(MetricNamesTest.CATALOG.contains(namespace + "_" + name))
                            .as("%s_%s would duplicate a built-in metric", namespace, name)
                            .isFalse();
                }
            }
        }
    }

    /** namespace -> query definition, from the custom-queries ConfigMap. */
    static Map<String, JsonNode> customQueries() {
        Doc configMap = find("ConfigMap", "pgmetrics-custom-queries");
        assertThat(configMap).as("the custom-queries ConfigMap").isNotNull();
        JsonNode file = DeployAssets.yaml(
                configMap.node().path("data").path("queries.yaml").asText());
        Map<String, JsonNode> queries = new LinkedHashMap<>();
        file.fields().forEachRemaining(f -> queries.put(f.getKey(), f.getValue()));
        return queries;
    }

    // ------------------------------------------------------------------ pods and containers

    /** Deployments and the fleet's StatefulSet: the pod templates we write. */
    private static List<Doc> workloads() {
        List<Doc> docs = new ArrayList<>(ofKind("Deployment"));
        docs.addAll(ofKind("StatefulSet"));
        return docs;
    }

    private static List<ExporterPod> exporterPods() {
        List<ExporterPod> pods = new ArrayList<>();
        for (Doc d : workloads()) {
            JsonNode template = d.node().path("spec").path("template");
            assertThat(stringMap(template.path("metadata").path("labels")).entrySet())
                    .as("%s selector matches its pods", d)
                    .containsAll(
                            stringMap(d.node().path("spec").path("selector").path("matchLabels"))
                                    .entrySet());
            Map<String, JsonNode> volumes = new HashMap<>();
            template.path("spec")
                    .path("volumes")
                    .forEach(v -> volumes.put(v.path("name").asText(), v));
            for (JsonNode c : template.path("spec").path("containers")) {
                if (c.path("image").asText().startsWith("ghcr.io/pgmetrics/")) {
                    assertThat(c.has("command"))
                            .as("%s keeps the image's entrypoint", d)
                            .isFalse();
                    Map<String, JsonNode> mounted = new HashMap<>();
                    for (JsonNode m : c.path("volumeMounts")) {
                        JsonNode volume = volumes.get(m.path("name").asText());
                        assertThat(volume)
                                .as("%s mounts a defined volume %s", d, m.path("name"))
                                .isNotNull();
                        mounted.put(m.path("mountPath").asText(), volume);
                    }
                    pods.add(new ExporterPod(
                            d.toString(),
                            stringMap(template.path("metadata").path("labels")),
                            c,
                            texts(c.path("args")),
                            mounted,
                            false));
                }
            }
        }
        for (Doc cluster : ofKind("postgresql")) {
            JsonNode sidecar = zalandoSidecar(cluster);
            List<String> command = texts(sidecar.path("command"));
            int entrypoint = ContainerfileTest.entrypoint().size();
            Map<String, JsonNode> mounted = new HashMap<>();
            for (JsonNode v : cluster.node().path("spec").path("additionalVolumes")) {
                if (texts(v.path("targetContainers"))
                        .contains(sidecar.path("name").asText())) {
                    ObjectNode volume = ((ObjectNode) v.path("volumeSource").deepCopy())
                            .put("name", v.path("name").asText());
                    mounted.put(v.path("mountPath").asText(), volume);
                }
            }
            Map<String, String> labels = Map.of("application", "spilo", ZALANDO_CLUSTER_NAME_LABEL, cluster.name());
            pods.add(new ExporterPod(
                    cluster + " sidecar",
                    labels,
                    sidecar,
                    command.subList(Math.min(entrypoint, command.size()), command.size()),
                    mounted,
                    true));
        }
        return pods;
    }

    private static JsonNode zalandoSidecar(Doc cluster) {
        for (JsonNode s : cluster.node().path("spec").path("sidecars")) {
            if (s.path("image").asText().startsWith("ghcr.io/pgmetrics/")) {
                return s;
            }
        }
        throw new AssertionError("no exporter sidecar in " + cluster);
    }

    private static void checkProbe(Problems soft, String where, JsonNode container, String probe, Set<String> paths) {
        JsonNode get = container.path(probe).path("httpGet");
        soft.expect(
                paths.contains(get.path("path").asText()),
                "%s path of %s is one of %s, not %s",
                probe,
                where,
                paths,
                get.path("path").asText());
        String port = get.path("port").asText();
        int number = port.matches("\\d+")
                ? Integer.parseInt(port)
                : namedPort(container, port).path("containerPort").asInt();
        soft.expectEqual(number, ExporterInterface.PORT, "%s port of %s", probe, where);
    }

    private static void checkEnvironment(Problems soft, ExporterPod pod) {
        for (JsonNode e : pod.container().path("env")) {
            String name = e.path("name").asText();
            soft.expect(
                    ExporterInterface.ENVIRONMENT.contains(name),
                    "%s: environment variable %s is one the exporter reads",
                    pod.where(),
                    name);
            JsonNode secretRef = e.path("valueFrom").path("secretKeyRef");
            JsonNode configMapRef = e.path("valueFrom").path("configMapKeyRef");
            if (!secretRef.isMissingNode()) {
                checkKeyRef(soft, pod, name, "Secret", secretRef);
            } else if (!configMapRef.isMissingNode()) {
                checkKeyRef(soft, pod, name, "ConfigMap", configMapRef);
            } else if (ExporterInterface.namesFile(name)) {
                checkFileExists(soft, pod, name, e.path("value").asText());
            }
        }
    }

    private static void checkKeyRef(Problems soft, ExporterPod pod, String variable, String kind, JsonNode ref) {
        String name = ref.path("name").asText();
        if (kind.equals("Secret") && ZALANDO_SECRET.matcher(name).matches() && pod.managedByOperator()) {
            return; // created by the operator; checked in zalandoSidecarConnectsAsItsOwnRoleNotTheInjectedSuperuser
        }
        Doc source = find(kind, name);
        if (source == null) {
            soft.expect(
                    ref.path("optional").asBoolean(false),
                    "%s: %s %s for %s is defined here or optional",
                    pod.where(),
                    kind,
                    name,
                    variable);
            return;
        }
        soft.expect(
                keys(source).contains(ref.path("key").asText()),
                "%s: %s has the key %s for %s",
                pod.where(),
                source,
                ref.path("key").asText(),
                variable);
    }

    private static void checkArguments(Problems soft, ExporterPod pod) {
        for (String argument : pod.arguments()) {
            ExporterInterface.problemWith(argument)
                    .ifPresent(problem -> soft.expect(false, "%s: %s", pod.where(), problem));
        }
        ExporterInterface.flagValue(pod.arguments(), "extend.query-path")
                .ifPresent(path -> checkFileExists(soft, pod, "--extend.query-path", path));
        ExporterInterface.flagValue(pod.arguments(), "pgmetrics.config")
                .ifPresent(path -> checkFileExists(soft, pod, "--pgmetrics.config", path));
        ExporterInterface.flagValue(pod.arguments(), "config.file")
                .ifPresent(path -> checkFileExists(soft, pod, "--config.file", path));
    }

    /** A file named by a flag or *_FILE variable comes from a mounted Secret or ConfigMap that holds it. */
    private static void checkFileExists(Problems soft, ExporterPod pod, String what, String path) {
        int slash = path.lastIndexOf('/');
        String dir = path.substring(0, slash);
        String file = path.substring(slash + 1);
        JsonNode volume = pod.volumes().get(dir);
        soft.expect(
                volume != null,
                "%s: %s=%s lies in a mounted volume (mounted: %s)",
                pod.where(),
                what,
                path,
                pod.volumes().keySet());
        if (volume != null) {
            soft.expect(
                    providedFiles(volume).containsKey(file),
                    "%s: the volume at %s provides %s",
                    pod.where(),
                    dir,
                    file);
        }
    }

    /** file name -> "secretKeyRef/<name>/<key>" or "configMapKeyRef/<name>/<key>" for a Secret or ConfigMap volume. */
    private static Map<String, String> providedFiles(JsonNode volume) {
        String kind;
        String ref;
        JsonNode source;
        if (volume.has("secret")) {
            source = volume.path("secret");
            kind = "Secret";
            ref = "secretKeyRef";
        } else if (volume.has("configMap")) {
            source = volume.path("configMap");
            kind = "ConfigMap";
            ref = "configMapKeyRef";
        } else {
            return Map.of();
        }
        String name = source.has("secretName")
                ? source.path("secretName").asText()
                : source.path("name").asText();
        Doc doc = find(kind, name);
        assertThat(doc).as("%s %s mounted as a volume is defined", kind, name).isNotNull();
        Map<String, String> files = new HashMap<>();
        if (source.has("items")) {
            for (JsonNode item : source.path("items")) {
                assertThat(keys(doc))
                        .as("%s has the key %s", doc, item.path("key"))
                        .contains(item.path("key").asText());
                files.put(
                        item.path("path").asText(),
                        ref + "/" + name + "/" + item.path("key").asText());
            }
        } else {
            keys(doc).forEach(k -> files.put(k, ref + "/" + name + "/" + k));
        }
        return files;
    }

    // ------------------------------------------------------------------ small JSON helpers

    private static Set<String> keys(Doc secretOrConfigMap) {
        Set<String> keys = new TreeSet<>();
        for (String section : List.of("data", "stringData", "binaryData")) {
            secretOrConfigMap.node().path(section).fieldNames().forEachRemaining(keys::add);
        }
        return keys;
    }

    private static JsonNode namedPort(JsonNode container, String name) {
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(name)) {
                return p;
            }
        }
        return JsonNodeFactory.instance.objectNode();
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(f -> map.put(f.getKey(), f.getValue().asText()));
        return map;
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }

    private static List<String> texts(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(n -> n.path(field).asText())
                .toList();
    }
}
