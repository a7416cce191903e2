package io.popbridge.helm;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValuesContractTest {

    private static final ValuesFile VALUES = ValuesFile.read(Chart.dir().resolve("values.yaml"));

    @Test
    void every_key_in_values_yaml_has_a_comment() {
        assertThat(VALUES.keys()).hasSizeGreaterThan(100);
        assertThat(VALUES.keys()).filteredOn(key -> key.comment().isEmpty())
                .extracting(key -> key.path() + " (line " + key.line() + ")").isEmpty();
    }

    @Test
    void the_readme_values_table_lists_every_key() throws Exception {
        String readme = Files.readString(Chart.dir().resolve("README.md"));
        assertThat(VALUES.keys()).extracting(ValuesFile.Key::path)
                .filteredOn(path -> !readme.contains("| `" + path + "` |")).isEmpty();
    }

    @Test
    void the_schema_rejects_an_unknown_key_anywhere() {
        for (String typo : List.of("replica", "fetcher.replica", "kafka.sasl.user", "networkPolicy.pop3Port", "router.keda.lag")) {
            assertThatThrownBy(() -> Chart.template(null, Map.of(typo, "1"))).as(typo)
                    .hasMessageContaining("additional properties")
                    .hasMessageContaining(typo.substring(typo.lastIndexOf('.') + 1));
        }
    }

    @Test
    void the_schema_rejects_wrong_types_and_values() {
        Map<String, Object> wrong = Map.of(
                "fetcher.replicas", "two",
                "networkPolicy.enabled", "maybe",
                "kafka.securityProtocol", "TLS",
                "networkPolicy.smtpPorts[0]", "70000",
                "secrets.encryptionKey", "too-short",
                "database.url", "postgresql://db/popbridge");
        wrong.forEach((key, value) -> assertThatThrownBy(() -> Chart.template(null, Map.of(key, value)))
                .as(key + "=" + value).hasMessageContaining("values don't meet the specifications of the schema"));
    }

    @Test
    void the_schema_accepts_every_ci_scenario() {
        for (Path scenario : Chart.scenarios()) {
            assertThat(Chart.template(scenario, Map.of())).as(scenario.toString()).contains("kind: Deployment");
        }
    }

    @Test
    void sasl_without_credentials_is_refused_with_a_reason() {
        assertThatThrownBy(() -> Chart.template(null, Map.of("kafka.securityProtocol", "SASL_SSL")))
                .hasMessageContaining("set kafka.sasl.username and kafka.sasl.passwordSecret");
    }
}
