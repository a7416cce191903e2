package io.popbridge.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dashboards and alert rules only query metrics docs/metrics.md promises, and their queries parse. */
class MonitoringContentTest {

    private static final Path DASHBOARD = Chart.dir().resolve("dashboards/popbridge-overview.json");
    private static final Path DEPLOY_DASHBOARD = Chart.repoRoot().resolve("deploy/grafana/popbridge-overview.json");
    private static final Path DEPLOY_RULES = Chart.repoRoot().resolve("deploy/prometheus/popbridge-rules.yaml");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*[a-zA-Z_]+\\s*\\)");

    private static MetricsCatalogue catalogue;
    private static List<Rule> rules;
    private static PrometheusRule prometheusRule;

    @BeforeAll
    static void load() {
        catalogue = MetricsCatalogue.read(Chart.repoRoot().resolve("docs/metrics.md"));
        prometheusRule = Chart.ofKind(Chart.render(null, Map.of("prometheusRule.enabled", "true")), PrometheusRule.class).get(0);
        rules = prometheusRule.getSpec().getGroups().stream().flatMap(g -> g.getRules().stream()).toList();
    }

    @Test
    void the_catalogue_lists_service_and_platform_metrics_with_their_exported_suffixes() {
        assertThat(catalogue.names()).contains("popbridge_fetcher_polls_total", "popbridge_delivery_latency_seconds_bucket",
                "popbridge_fetcher_poll_duration_seconds_count", "kafka_consumer_fetch_manager_records_lag_max",
                "jvm_memory_used_bytes", "up").doesNotContain("popbridge_delivery_latency_seconds", "client_id", "topic");
        assertThat(catalogue.contains("http_server_requests_seconds_count")).isTrue();
        assertThat(catalogue.contains("popbridge_fetcher_polls")).isFalse();
    }

    @Test
    void dashboard_queries_parse_and_use_only_catalogued_metrics() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.get("title").asText()).isEqualTo("popbridge overview");
        List<String> expressions = new ArrayList<>();
        dashboard.findValues("expr").forEach(node -> expressions.add(node.asText()));
        assertThat(expressions).hasSizeGreaterThan(20);

        Set<String> used = new TreeSet<>();
        expressions.forEach(expression -> used.addAll(PromQl.metricNames(expression)));
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher m = LABEL_VALUES.matcher(variable.path("definition").asText());
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        assertThat(used).filteredOn(metric -> !catalogue.contains(metric)).as("metrics not in docs/metrics.md").isEmpty();
        assertThat(used).contains("popbridge_fetcher_messages_fetched_total", "popbridge_delivery_latency_seconds_bucket",
                "popbridge_fetcher_accounts", "popbridge_delivery_deferred", "kafka_consumer_fetch_manager_records_lag_max",
                "jvm_memory_used_bytes", "agroal_active_count");
    }

    @Test
    void the_dashboard_shows_what_an_operator_needs() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> titles = dashboard.findValues("title").stream().map(JsonNode::asText).toList();
        assertThat(titles).contains("Mail flow per stage", "End-to-end latency (fetched → 250)", "Accounts by status",
                "Failing accounts", "Deferred queue", "Consumer lag", "JVM heap used", "Database connections in use");
        List<String> legends = dashboard.findValues("legendFormat").stream().map(JsonNode::asText).toList();
        assertThat(legends).contains("fetched", "routed", "delivered", "fallback", "parked", "p50", "p95", "p99");
    }

    /**
     * Not a scrape of running services (their own tests scrape /q/metrics against docs/metrics.md), but a check
     * that each popbridge_* series queried here comes from a Micrometer name some service registers: the dotted
     * name in Prometheus form plus only the suffixes the Prometheus registry adds.
     */
    @Test
    void every_popbridge_metric_queried_is_registered_by_a_service() throws Exception {
        Set<String> registered = new TreeSet<>();
        Pattern literal = Pattern.compile("\"(popbridge\\.[a-z0-9_.]+)\"");
        for (String service : List.of("fetcher-service", "router-service", "delivery-service")) {
            Path sources = Chart.repoRoot().resolve(service + "/src/main/java");
            try (var files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = literal.matcher(Files.readString(file));
                    while (m.find()) {
                        registered.add(m.group(1).replace('.', '_'));
                    }
                }
            }
        }
        Set<String> queried = new TreeSet<>();
        new ObjectMapper().readTree(DASHBOARD.toFile()).findValues("expr")
                .forEach(node -> queried.addAll(PromQl.metricNames(node.asText())));
        rules.forEach(rule -> queried.addAll(PromQl.metricNames(rule.getExpr().getStrVal())));
        Pattern suffixes = Pattern.compile("(_seconds)?(_total|_count|_sum|_max|_bucket)?");
        assertThat(queried).filteredOn(metric -> metric.startsWith("popbridge_"))
                .filteredOn(metric -> registered.stream().noneMatch(name -> metric.startsWith(name)
                        && suffixes.matcher(metric.substring(name.length())).matches()))
                .as("queried but registered by no service").isEmpty();
    }

    @Test
    void deploy_grafana_ships_the_same_dashboard_as_the_chart() throws Exception {
        assertThat(Files.readString(DEPLOY_DASHBOARD)).isEqualTo(Files.readString(DASHBOARD));
    }

    @Test
    void alert_expressions_parse_and_use_only_catalogued_metrics() {
        assertThat(rules).hasSizeGreaterThanOrEqualTo(10);
        for (Rule rule : rules) {
            Set<String> used = PromQl.metricNames(rule.getExpr().getStrVal());
            assertThat(used).as(rule.getAlert()).isNotEmpty()
                    .filteredOn(metric -> !catalogue.contains(metric)).as(rule.getAlert() + ": metrics not in docs/metrics.md").isEmpty();
        }
    }

    @Test
    void every_alert_the_issue_asks_for_exists_with_a_severity_and_a_runbook_in_operations_md() throws Exception {
        assertThat(rules).extracting(Rule::getAlert).contains(
                "PopbridgeAccountNotPolled", "PopbridgeAccountAuthFailing", "PopbridgeAccountTlsFailing",
                "PopbridgeAccountPollsFailing", "PopbridgeMailWaitingOnServer", "PopbridgeDeliveriesDeferred",
                "PopbridgeMessagesParked", "PopbridgeLoopOrForeignDomain", "PopbridgeConsumerLagGrowing",
                "PopbridgeServiceDown");
        String operations = Files.readString(Chart.repoRoot().resolve("docs/operations.md"));
        Set<String> anchors = new TreeSet<>();
        operations.lines().filter(line -> line.startsWith("#"))
                .forEach(line -> anchors.add(line.replaceFirst("^#+\\s*", "").trim().toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9 _-]", "").replace(' ', '-')));
        for (Rule rule : rules) {
            assertThat(rule.getLabels()).as(rule.getAlert()).containsKey("severity");
            assertThat(rule.getAnnotations()).as(rule.getAlert()).containsKey("summary");
            String runbook = rule.getAnnotations().get("runbook");
            assertThat(runbook).as(rule.getAlert()).startsWith("docs/operations.md#");
            assertThat(anchors).as(rule.getAlert() + " runbook section").contains(runbook.substring(runbook.indexOf('#') + 1));
        }
    }

    @Test
    void deploy_prometheus_holds_the_charts_rules_rendered_with_default_values() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode file = yaml.readTree(DEPLOY_RULES.toFile());
        JsonNode chart = Serialization.jsonMapper().valueToTree(prometheusRule.getSpec());
        assertThat(file).as("deploy/prometheus/popbridge-rules.yaml = spec of the chart's PrometheusRule").isEqualTo(chart);
    }

    @Test
    void the_promql_checker_rejects_broken_expressions() {
        Map<String, String> broken = new LinkedHashMap<>();
        broken.put("sum(rate(popbridge_fetcher_polls_total[5m])", "expected )");
        broken.put("rate(popbridge_fetcher_polls_total)", "must be MATRIX");
        broken.put("popbridge_fetcher_polls_total[5m]", "instant vector or scalar");
        broken.put("sum(rate(popbridge_fetcher_polls_total[5m]))[5m]", "range");
        broken.put("popbridge_delivery_parked >", "unexpected end");
        broken.put("ratez(popbridge_fetcher_polls_total[5m])", "unknown function");
        broken.put("popbridge_delivery_parked{result=delivered}", "string");
        broken.put("popbridge_delivery_parked[5x]", "bad duration");
        broken.put("1 and popbridge_delivery_parked", "set operator");
        broken.forEach((expression, reason) -> assertThatThrownBy(() -> PromQl.metricNames(expression))
                .as(expression).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason));
    }

    @Test
    void the_promql_checker_accepts_real_queries_and_names_their_metrics() {
        assertThat(PromQl.metricNames("histogram_quantile(0.95, sum by (le) (rate(popbridge_delivery_latency_seconds_bucket{namespace=\"$namespace\"}[$__rate_interval])))"))
                .containsExactly("popbridge_delivery_latency_seconds_bucket");
        assertThat(PromQl.metricNames("max by (namespace) (a{job=\"x\"}) >= 3 and on (namespace) sum without (pod) (increase(b[6h])) > bool 0"))
                .containsExactly("a", "b");
        assertThat(PromQl.metricNames("time() - max(c) > 3 * max(d) offset 5m")).containsExactly("c", "d");
        assertThat(PromQl.metricNames("deriv(sum(e)[10m:1m]) > 0 unless {__name__=\"f\"}")).containsExactly("e", "f");
    }
}
