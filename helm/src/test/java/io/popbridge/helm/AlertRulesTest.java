package io.popbridge.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alert rules run by Prometheus's own rule engine: {@code promtool check rules} and the unit tests in
 * deploy/prometheus/popbridge-rules.test.yaml (each alert fires when it should and not before). The rules file is
 * kept equal to the chart's PrometheusRule by {@link MonitoringContentTest}. promtool comes from {@code PROMTOOL} or
 * the PATH; .ci/run unpacks it from Debian's prometheus package.
 */
class AlertRulesTest {
    private static final Path RULES = Chart.repoRoot().resolve("deploy/prometheus/popbridge-rules.yaml");
    private static final Path RULE_TESTS = Chart.repoRoot().resolve("deploy/prometheus/popbridge-rules.test.yaml");

    @Test
    void the_rules_are_valid_and_every_alert_fires_when_its_unit_tests_expect() throws Exception {
        Optional<Path> promtool = promtool();
        assumeTrue(promtool.isPresent(), "promtool not found: set PROMTOOL or put it on the PATH (.ci/run installs it)");

        String check = run(promtool.get(), "check", "rules", RULES.toString());
        assertThat(check).contains("SUCCESS: 13 rules found");
        String test = run(promtool.get(), "test", "rules", RULE_TESTS.toString());
        assertThat(test).contains("SUCCESS");
    }

    private static Optional<Path> promtool() {
        String configured = System.getenv("PROMTOOL");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "promtool"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Runs promtool; a non-zero exit fails the test with everything it printed. */
    private static String run(Path promtool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
        return output;
    }
}
