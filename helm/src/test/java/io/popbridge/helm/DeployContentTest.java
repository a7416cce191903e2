package io.popbridge.helm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** deploy/ and the Dockerfiles agree with the contract, the services' configuration and the chart. */
class DeployContentTest {

    private static final Path ROOT = Chart.repoRoot();

    private static List<HasMetadata> manifests(String file) throws IOException {
        return Chart.parse(Files.readString(ROOT.resolve(file)));
    }

    private static GenericKubernetesResource ofKind(List<HasMetadata> resources, String kind) {
        return resources.stream().filter(r -> r.getKind().equals(kind)).map(GenericKubernetesResource.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind));
    }

    private static long producerMaxRequestSize() throws IOException {
        Properties shared = new Properties();
        shared.load(new StringReader(Files.readString(
                ROOT.resolve("service-common/src/main/resources/META-INF/microprofile-config.properties"))));
        return Long.parseLong(shared.getProperty("mp.messaging.connector.smallrye-kafka.max.request.size"));
    }

    @Test
    void strimzi_topics_are_the_contracts_topics_and_take_the_largest_record_the_services_produce() throws Exception {
        Set<String> contractTopics = new TreeSet<>();
        Matcher m = Pattern.compile("\"(popbridge\\.[a-z]+\\.v[0-9]+)\"").matcher(Files.readString(
                ROOT.resolve("mail-contract/src/main/java/io/popbridge/contract/Topics.java")));
        while (m.find()) {
            contractTopics.add(m.group(1));
        }
        assertThat(contractTopics).hasSize(3);

        long maxRequest = producerMaxRequestSize();
        List<HasMetadata> topics = manifests("deploy/strimzi/topics.yaml");
        assertThat(topics).extracting(t -> t.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(contractTopics);
        for (HasMetadata topic : topics) {
            Map<String, Object> config = ((GenericKubernetesResource) topic).get("spec", "config");
            assertThat(((Number) config.get("max.message.bytes")).longValue()).as(topic.getMetadata().getName())
                    .isGreaterThanOrEqualTo(maxRequest).isEqualTo(53477376L);
        }
        Map<String, Object> broker = ofKind(manifests("deploy/strimzi/kafka.yaml"), "Kafka").get("spec", "kafka", "config");
        assertThat(((Number) broker.get("message.max.bytes")).longValue()).isGreaterThanOrEqualTo(maxRequest);
        assertThat(((Number) broker.get("replica.fetch.max.bytes")).longValue()).isGreaterThanOrEqualTo(maxRequest);
    }

    @Test
    void the_kafka_user_may_use_every_consumer_group_the_services_configure() throws Exception {
        List<Map<String, Object>> acls = ofKind(manifests("deploy/strimzi/user.yaml"), "KafkaUser").get("spec", "authorization", "acls");
        String groupPrefix = acls.stream().map(acl -> (Map<String, Object>) acl.get("resource"))
                .filter(r -> "group".equals(r.get("type"))).map(r -> (String) r.get("name")).findFirst().orElseThrow();
        Map<String, String> groups = configuredGroups();
        assertThat(groups).isNotEmpty();
        groups.forEach((service, group) -> assertThat(group).as(service).startsWith(groupPrefix));
        Map<String, Object> values = Chart.readYaml(Chart.dir().resolve("values.yaml"));
        for (String component : List.of("router", "delivery")) {
            assertThat((String) ((Map<String, Object>) values.get(component)).get("consumerGroup")).as(component)
                    .startsWith(groupPrefix);
        }
    }

    @Test
    void keda_measures_the_lag_of_the_group_each_service_really_uses() throws Exception {
        Map<String, Object> values = Chart.readYaml(Chart.dir().resolve("values.yaml"));
        Map<String, String> groups = configuredGroups();
        for (String component : List.of("router", "delivery")) {
            String configured = groups.get(component);
            if (configured != null) {
                assertThat(((Map<String, Object>) values.get(component)).get("consumerGroup")).as(component).isEqualTo(configured);
            }
        }
        assertThat(groups).containsKey("router");
    }

    /** component → group.id of its incoming channel, where the service sets one. */
    private static Map<String, String> configuredGroups() throws IOException {
        Map<String, String> groups = new java.util.TreeMap<>();
        for (String component : List.of("fetcher", "router", "delivery")) {
            Properties properties = new Properties();
            properties.load(new StringReader(Files.readString(
                    ROOT.resolve(component + "-service/src/main/resources/application.properties"))));
            properties.stringPropertyNames().stream()
                    .filter(key -> key.startsWith("mp.messaging.incoming.") && key.endsWith(".group.id"))
                    .forEach(key -> groups.put(component, properties.getProperty(key)));
        }
        return groups;
    }

    @Test
    void cloudnative_pg_creates_the_database_and_secret_the_chart_documentation_uses() throws Exception {
        GenericKubernetesResource cluster = ofKind(manifests("deploy/cloudnative-pg/cluster.yaml"), "Cluster");
        Map<String, Object> initdb = cluster.get("spec", "bootstrap", "initdb");
        assertThat(initdb).containsEntry("database", "popbridge").containsEntry("owner", "popbridge");
        String readme = Files.readString(ROOT.resolve("deploy/cloudnative-pg/README.md"));
        assertThat(readme).contains("existingSecret: " + cluster.getMetadata().getName() + "-app")
                .contains(cluster.getMetadata().getName() + "-rw.");
    }

    @Test
    void each_service_image_runs_non_root_from_the_fast_jar_and_exposes_the_charts_ports() throws Exception {
        Map<String, Object> values = Chart.readYaml(Chart.dir().resolve("values.yaml"));
        Map<String, List<Integer>> ports = Map.of("fetcher", List.of(8081, 9081), "router", List.of(8082, 9082),
                "delivery", List.of(8083, 9083));
        for (var entry : ports.entrySet()) {
            String service = entry.getKey() + "-service";
            String dockerfile = Files.readString(ROOT.resolve(service + "/src/main/docker/Dockerfile.jvm"));
            assertThat(dockerfile).containsPattern("(?m)^USER 185$")
                    .contains("COPY target/quarkus-app/lib/ /deployments/lib/")
                    .contains("quarkus-run.jar")
                    .containsPattern("(?m)^EXPOSE " + entry.getValue().get(0) + " " + entry.getValue().get(1) + "$")
                    .contains("-XX:+ExitOnOutOfMemoryError").contains("-XX:GCTimeRatio=99"); // not run-java.sh's GCTimeRatio=4
            assertThat(((Map<String, Object>) values.get(entry.getKey())).get("repository")).isEqualTo("popbridge/" + service);
            Map<String, Object> securityContext = (Map<String, Object>) values.get("podSecurityContext");
            assertThat(securityContext).containsEntry("runAsUser", 185);
        }
    }
}
