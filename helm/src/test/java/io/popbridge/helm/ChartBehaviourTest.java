package io.popbridge.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChartBehaviourTest {

    private static final Map<String, int[]> PORTS = Map.of(
            "fetcher", new int[] {8081, 9081}, "router", new int[] {8082, 9082}, "delivery", new int[] {8083, 9083});
    private static final Path FULL = Chart.dir().resolve("ci/full-values.yaml");

    static List<Path> scenarios() {
        List<Path> all = new ArrayList<>();
        all.add(null);
        all.addAll(Chart.scenarios());
        return all;
    }

    private static String name(String component) {
        return Chart.RELEASE + "-popbridge-" + component;
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void every_service_probes_its_health_endpoints_on_the_management_port(Path scenario) {
        List<HasMetadata> resources = Chart.render(scenario);
        PORTS.forEach((component, ports) -> {
            Container container = Chart.named(resources, Deployment.class, name(component))
                    .getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
                    .containsExactlyInAnyOrder("http:" + ports[0], "management:" + ports[1]);
            assertProbe(container.getStartupProbe(), "/q/health/started");
            assertProbe(container.getLivenessProbe(), "/q/health/live");
            assertProbe(container.getReadinessProbe(), "/q/health/ready");
            Service service = Chart.named(resources, Service.class, name(component));
            assertThat(service.getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getPort())
                    .containsExactlyInAnyOrder("http:" + ports[0], "management:" + ports[1]);
        });
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe).as(path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void every_pod_runs_non_root_with_a_read_only_root_filesystem_and_a_writable_tmp(Path scenario) {
        for (Deployment deployment : Chart.ofKind(Chart.render(scenario), Deployment.class)) {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isNotZero();
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            Container container = pod.getContainers().get(0);
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            Volume tmp = pod.getVolumes().stream().filter(v -> v.getName().equals("tmp")).findFirst().orElseThrow();
            assertThat(tmp.getEmptyDir()).isNotNull();
            assertThat(container.getVolumeMounts()).anyMatch(m -> m.getName().equals("tmp") && m.getMountPath().equals("/tmp"));
            assertThat(container.getResources().getLimits()).containsKey("memory");
        }
    }

    @Test
    void images_come_from_the_registry_with_the_app_version_unless_overridden() {
        assertThat(Chart.ofKind(Chart.render(null), Deployment.class))
                .extracting(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .containsExactlyInAnyOrder("ghcr.io/popbridge/fetcher-service:0.1.0",
                        "ghcr.io/popbridge/router-service:0.1.0", "ghcr.io/popbridge/delivery-service:0.1.0");
        assertThat(Chart.ofKind(Chart.render(null, Map.of("image.registry", "", "image.tag", "1.2.3")), Deployment.class))
                .extracting(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .contains("popbridge/router-service:1.2.3");
    }

    @Test
    void pods_spread_over_nodes_by_default() {
        for (Deployment deployment : Chart.ofKind(Chart.render(null), Deployment.class)) {
            var constraints = deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
            assertThat(constraints).hasSize(1);
            assertThat(constraints.get(0).getLabelSelector().getMatchLabels())
                    .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        }
    }

    @Test
    void selectors_carry_no_version_and_stay_equal_when_the_chart_and_app_version_change() throws Exception {
        Map<String, Map<String, String>> before = selectors(Chart.render(FULL));
        Path bumped = Chart.copy();
        Path chartYaml = bumped.resolve("Chart.yaml");
        Files.writeString(chartYaml, Files.readString(chartYaml)
                .replace("version: 0.1.0", "version: 9.8.7").replace("appVersion: \"0.1.0\"", "appVersion: \"9.9.9\""));
        String rendered = Chart.template(bumped, FULL, Map.of());
        assertThat(rendered).contains("helm.sh/chart: popbridge-9.8.7");
        Map<String, Map<String, String>> after = selectors(Chart.parse(rendered));

        assertThat(after).isEqualTo(before).hasSizeGreaterThanOrEqualTo(9);
        before.values().forEach(selector -> assertThat(selector)
                .doesNotContainKeys("helm.sh/chart", "app.kubernetes.io/version", "app.kubernetes.io/managed-by")
                .containsKeys("app.kubernetes.io/name", "app.kubernetes.io/instance"));
    }

    /** kind/name → label selector, for every resource that selects pods. */
    private static Map<String, Map<String, String>> selectors(List<HasMetadata> resources) {
        Map<String, Map<String, String>> selectors = new LinkedHashMap<>();
        for (HasMetadata r : resources) {
            String id = r.getKind() + "/" + r.getMetadata().getName();
            if (r instanceof Deployment d) {
                selectors.put(id, d.getSpec().getSelector().getMatchLabels());
                assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                        .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
            } else if (r instanceof Service s) {
                selectors.put(id, s.getSpec().getSelector());
            } else if (r instanceof PodDisruptionBudget p) {
                selectors.put(id, p.getSpec().getSelector().getMatchLabels());
            } else if (r instanceof NetworkPolicy n) {
                selectors.put(id, n.getSpec().getPodSelector().getMatchLabels());
            } else if (r instanceof ServiceMonitor m) {
                selectors.put(id, m.getSpec().getSelector().getMatchLabels());
            }
        }
        return selectors;
    }

    @Test
    void secrets_never_reach_a_config_map_and_every_service_gets_them_from_secrets() {
        List<HasMetadata> resources = Chart.render(FULL, Map.of("database.existingSecret", "", "database.password", "db-Secret-3"));
        List<String> secretValues = List.of("admin-Secret-1", "viewer-Secret-2", "db-Secret-3",
                "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        for (ConfigMap configMap : Chart.ofKind(resources, ConfigMap.class)) {
            String all = configMap.getData().toString();
            secretValues.forEach(value -> assertThat(all).doesNotContain(value));
            assertThat(configMap.getData().keySet()).noneMatch(key -> key.matches("(?i).*(PASSWORD|JAAS|ENCRYPTION_KEY)$"));
        }
        Secret secret = Chart.named(resources, Secret.class, Chart.RELEASE + "-popbridge");
        Set<String> decoded = secret.getData().values().stream()
                .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)).collect(Collectors.toSet());
        assertThat(decoded).containsAll(secretValues);

        for (Deployment deployment : Chart.ofKind(resources, Deployment.class)) {
            Map<String, EnvVar> env = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
                    .stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
            for (String name : List.of("POPBRIDGE_DB_PASSWORD", "POPBRIDGE_ENCRYPTION_KEY", "POPBRIDGE_ADMIN_PASSWORD",
                    "POPBRIDGE_VIEWER_PASSWORD", "POPBRIDGE_KAFKA_SASL_PASSWORD")) {
                assertThat(env.get(name).getValueFrom().getSecretKeyRef()).as(name).isNotNull();
            }
            assertThat(env.get("KAFKA_SASL_JAAS_CONFIG").getValue())
                    .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"popbridge\" password=\"$(POPBRIDGE_KAFKA_SASL_PASSWORD)\";");
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom())
                    .extracting(e -> e.getConfigMapRef().getName()).containsExactly(Chart.RELEASE + "-popbridge");
        }
    }

    @Test
    void the_config_map_carries_every_setting_the_services_read() {
        ConfigMap config = Chart.named(Chart.render(FULL), ConfigMap.class, Chart.RELEASE + "-popbridge");
        assertThat(config.getData()).containsEntry("POPBRIDGE_DB_URL", "jdbc:postgresql://popbridge-db-rw.db.svc:5432/popbridge")
                .containsEntry("POPBRIDGE_DB_USER", "popbridge")
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "popbridge-kafka-bootstrap.kafka.svc:9093")
                .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM")
                .containsEntry("KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/popbridge/kafka-ca/ca.crt")
                .containsEntry("POPBRIDGE_ENCRYPTION_KEY_ID", "k1")
                .containsEntry("POPBRIDGE_INSTALLATION_ID", "acme-prod")
                .containsEntry("QUARKUS_LOG_LEVEL", "INFO");
    }

    @Test
    void existing_secrets_replace_the_charts_own() {
        List<HasMetadata> resources = Chart.parse(Chart.template(Chart.copyWithHooksAsManifests(),
                Chart.dir().resolve("ci/existing-secrets-values.yaml"), Map.of()));
        assertThat(Chart.ofKind(resources, Secret.class)).isEmpty();
        Map<String, String> refs = secretRefs(Chart.named(resources, Deployment.class, name("router")));
        assertThat(refs).containsEntry("POPBRIDGE_DB_PASSWORD", "popbridge-db/pgpass")
                .containsEntry("POPBRIDGE_ENCRYPTION_KEY", "popbridge-credentials/encryption-key")
                .containsEntry("POPBRIDGE_ADMIN_PASSWORD", "popbridge-credentials/admin-password")
                .containsEntry("POPBRIDGE_VIEWER_PASSWORD", "popbridge-credentials/viewer-password");
    }

    @Test
    void unset_credentials_are_generated_once_by_an_install_hook_that_upgrades_never_touch() {
        List<HasMetadata> resources = Chart.parse(Chart.template(Chart.copyWithHooksAsManifests(), null,
                Map.of("secrets.adminPassword", "given-admin")));
        Secret generated = Chart.named(resources, Secret.class, Chart.RELEASE + "-popbridge-generated");
        assertThat(generated.getMetadata().getAnnotations()).containsEntry("test.popbridge.io/hook", "pre-install")
                .containsEntry("helm.sh/resource-policy", "keep");
        assertThat(generated.getData()).containsOnlyKeys("encryption-key", "viewer-password");
        byte[] key = Base64.getDecoder().decode(Base64.getDecoder().decode(generated.getData().get("encryption-key")));
        assertThat(key).as("AES-256 key").hasSize(32);

        Map<String, String> refs = secretRefs(Chart.named(resources, Deployment.class, name("fetcher")));
        assertThat(refs).containsEntry("POPBRIDGE_ENCRYPTION_KEY", Chart.RELEASE + "-popbridge-generated/encryption-key")
                .containsEntry("POPBRIDGE_VIEWER_PASSWORD", Chart.RELEASE + "-popbridge-generated/viewer-password")
                .containsEntry("POPBRIDGE_ADMIN_PASSWORD", Chart.RELEASE + "-popbridge/admin-password");
        assertThat(Chart.named(resources, Secret.class, Chart.RELEASE + "-popbridge").getData())
                .containsOnlyKeys("admin-password", "db-password");
    }

    private static Map<String, String> env(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    private static Map<String, String> secretRefs(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .collect(Collectors.toMap(EnvVar::getName,
                        e -> e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey()));
    }

    @Test
    void optional_features_are_off_by_default() {
        List<HasMetadata> resources = Chart.render(null);
        assertThat(resources).extracting(HasMetadata::getKind).containsOnly(
                "ServiceAccount", "Secret", "ConfigMap", "Service", "Deployment");
        assertThat(Chart.ofKind(resources, Deployment.class)).allMatch(d -> d.getSpec().getReplicas() == 1);
    }

    @Test
    void network_policies_allow_each_service_only_what_it_needs() {
        List<HasMetadata> resources = Chart.render(FULL);
        assertThat(Chart.ofKind(resources, NetworkPolicy.class)).hasSize(3);
        Map<String, Set<String>> egress = new LinkedHashMap<>();
        for (String component : PORTS.keySet()) {
            NetworkPolicy policy = Chart.named(resources, NetworkPolicy.class, name(component));
            assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
            egress.put(component, egressPorts(policy.getSpec().getEgress()));
            assertThat(egress.get(component)).as(component).contains("UDP/53", "TCP/53", "TCP/9093", "TCP/5432");
        }
        assertThat(egress.get("fetcher")).contains("TCP/110", "TCP/995", "TCP/443").doesNotContain("TCP/25");
        assertThat(egress.get("delivery")).contains("TCP/25", "TCP/587").doesNotContain("TCP/110", "TCP/995", "TCP/443");
        assertThat(egress.get("router")).containsExactlyInAnyOrder("UDP/53", "TCP/53", "TCP/9093", "TCP/5432");

        NetworkPolicy delivery = Chart.named(resources, NetworkPolicy.class, name("delivery"));
        assertThat(delivery.getSpec().getEgress()).filteredOn(rule -> egressPorts(List.of(rule)).contains("TCP/25"))
                .singleElement().satisfies(rule -> assertThat(rule.getTo()).extracting(p -> p.getIpBlock().getCidr())
                        .containsExactly("10.20.0.15/32"));
        assertThat(Chart.ofKind(Chart.render(null), NetworkPolicy.class)).isEmpty();
    }

    private static Set<String> egressPorts(List<NetworkPolicyEgressRule> rules) {
        return rules.stream().flatMap(r -> r.getPorts().stream())
                .map((NetworkPolicyPort p) -> p.getProtocol() + "/" + p.getPort().getIntVal())
                .collect(Collectors.toSet());
    }

    @Test
    void the_ingress_joins_each_api_part_to_the_service_that_owns_it() {
        Ingress ingress = Chart.ofKind(Chart.render(FULL), Ingress.class).get(0);
        Map<String, String> routes = ingress.getSpec().getRules().get(0).getHttp().getPaths().stream()
                .collect(Collectors.toMap(p -> p.getPath(), p -> p.getBackend().getService().getName()
                        + ":" + p.getBackend().getService().getPort().getName()));
        assertThat(routes).containsExactlyInAnyOrderEntriesOf(Map.of(
                "/api/v1/accounts", name("fetcher") + ":http", "/api/v1/messages", name("fetcher") + ":http",
                "/api/v1/domains", name("router") + ":http", "/api/v1/rules", name("router") + ":http",
                "/api/v1/route-preview", name("router") + ":http",
                "/api/v1/targets", name("delivery") + ":http", "/api/v1/deliveries", name("delivery") + ":http"));
        assertThat(ingress.getSpec().getTls().get(0).getSecretName()).isEqualTo("popbridge-tls");
    }

    @Test
    void scaling_is_left_to_the_hpa_or_keda_when_they_are_enabled() {
        List<HasMetadata> resources = Chart.render(FULL);
        HorizontalPodAutoscaler hpa = Chart.named(resources, HorizontalPodAutoscaler.class, name("router"));
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(name("router"));
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(6);
        GenericKubernetesResource scaledObject = Chart.ofKind(resources, GenericKubernetesResource.class).stream()
                .filter(r -> r.getKind().equals("ScaledObject")).findFirst().orElseThrow();
        assertThat(scaledObject.getMetadata().getName()).isEqualTo(name("delivery"));
        Map<String, Object> trigger = scaledObject.<List<Map<String, Object>>>get("spec", "triggers").get(0);
        assertThat(trigger).containsEntry("type", "kafka");
        assertThat((Map<String, Object>) trigger.get("metadata")).containsEntry("topic", "popbridge.routed.v1")
                .containsEntry("consumerGroup", "popbridge-delivery");
        assertThat(env(Chart.named(resources, Deployment.class, name("router"))))
                .containsEntry("MP_MESSAGING_INCOMING_FETCHED_GROUP_ID", "popbridge-router");
        assertThat(env(Chart.named(resources, Deployment.class, name("delivery"))))
                .containsEntry("DELIVERY_CONSUMER_GROUP_ID", "popbridge-delivery");
        assertThat(Chart.named(resources, Deployment.class, name("router")).getSpec().getReplicas()).isNull();
        assertThat(Chart.named(resources, Deployment.class, name("delivery")).getSpec().getReplicas()).isNull();
        assertThat(Chart.named(resources, Deployment.class, name("fetcher")).getSpec().getReplicas()).isEqualTo(2);
        assertThat(Chart.ofKind(resources, PodDisruptionBudget.class)).hasSize(3);
    }

    @Test
    void hpa_and_keda_together_are_refused_with_a_reason() {
        assertThatThrownBy(() -> Chart.template(null, Map.of("router.autoscaling.enabled", "true", "router.keda.enabled", "true")))
                .hasMessageContaining("router: enable either autoscaling or keda");
    }

    @Test
    void monitoring_resources_scrape_the_management_port_and_ship_rules_and_dashboards() {
        List<HasMetadata> resources = Chart.render(FULL);
        ServiceMonitor monitor = Chart.ofKind(resources, ServiceMonitor.class).get(0);
        assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(e -> {
            assertThat(e.getPort()).isEqualTo("management");
            assertThat(e.getPath()).isEqualTo("/q/metrics");
        });
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        assertThat(Chart.ofKind(resources, PrometheusRule.class)).hasSize(1);
        ConfigMap dashboard = Chart.ofKind(resources, ConfigMap.class).stream()
                .filter(c -> "1".equals(c.getMetadata().getLabels().get("grafana_dashboard"))).findFirst().orElseThrow();
        assertThat(dashboard.getData()).containsKey("popbridge-overview.json");
    }

    @Test
    void helm_test_pods_call_each_services_readiness_endpoint() {
        List<HasMetadata> resources = Chart.parse(Chart.template(Chart.copyWithHooksAsManifests(), null, Map.of()));
        List<Pod> tests = Chart.ofKind(resources, Pod.class);
        assertThat(tests).hasSize(3).allSatisfy(pod ->
                assertThat(pod.getMetadata().getAnnotations()).containsEntry("test.popbridge.io/hook", "test"));
        PORTS.forEach((component, ports) -> assertThat(tests).anySatisfy(pod ->
                assertThat(String.join(" ", pod.getSpec().getContainers().get(0).getCommand()))
                        .contains("http://" + name(component) + ":" + ports[1] + "/q/health/ready")));
        resources.forEach(UnknownFields::assertNone);
    }
}
