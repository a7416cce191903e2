package io.popbridge.helm;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LintAndRenderTest {

    static List<Path> scenarios() {
        return Chart.scenarios();
    }

    @Test
    void ci_has_scenarios_besides_the_defaults() {
        assertThat(Chart.scenarios()).extracting(p -> p.getFileName().toString())
                .contains("full-values.yaml", "existing-secrets-values.yaml");
    }

    @Test
    void default_values_pass_strict_lint() {
        LintResult result = Chart.lintStrict(null);
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void every_ci_scenario_passes_strict_lint(Path scenario) {
        LintResult result = Chart.lintStrict(scenario);
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void every_ci_scenario_renders_typed_manifests_without_unknown_fields(Path scenario) {
        List<HasMetadata> resources = Chart.render(scenario);
        assertThat(resources).isNotEmpty();
        resources.forEach(UnknownFields::assertNone);
    }

    @Test
    void default_values_render_typed_manifests_without_unknown_fields() {
        List<HasMetadata> resources = Chart.render(null, Map.of());
        assertThat(resources).isNotEmpty();
        resources.forEach(UnknownFields::assertNone);
    }
}
