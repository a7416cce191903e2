package io.popbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.popbridge.stack.ReactorRoot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dashboard and the alert rules an operator relies on may only query series the running services really
 * export: every metric name in deploy/grafana and deploy/prometheus is scraped from the three services'
 * /q/metrics after a message went through (so per-account and per-target series exist).
 */
@StackTest
class MonitoringNamesTest {
    /** Metric names as PromQL and Grafana use them; {@code up} comes from Prometheus itself. */
    private static final Pattern METRIC = Pattern.compile(
            "\\b((?:popbridge|kafka|jvm|agroal|http_server|process|system)_[a-z0-9_]+)\\b");

    @Test
    void every_metric_the_dashboard_and_alerts_use_is_exported_by_a_running_service() throws Exception {
        StackConfig.Mailbox mailbox = StackConfig.oneToOneMailbox("monitoring");
        Stack.isp().deliver(mailbox.login(), "Subject: metrics\r\nMessage-ID: <" + mailbox.login() + "@e2e.test>\r\n\r\nhi\r\n");
        mailbox.createSingleAccount();
        await().atMost(Duration.ofSeconds(120)).until(() -> Stack.exchange().receivedFor(mailbox.target()), l -> !l.isEmpty());

        Set<String> used = namesUsedIn(ReactorRoot.find().resolve("deploy"));
        assertThat(used).as("names found in deploy/grafana and deploy/prometheus").hasSizeGreaterThan(15).contains("popbridge_fetcher_polls_total");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String exported = scrape("fetcher") + scrape("router") + scrape("delivery");
            Set<String> missing = used.stream().filter(name -> !Pattern.compile("(?m)^" + name + "[{ ]").matcher(exported).find())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(missing).as("queried by dashboards/alerts but exported by no service").isEmpty();
        });
    }

    private static Set<String> namesUsedIn(Path deploy) throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(deploy)) {
            for (Path file : files.filter(p -> p.toString().contains("grafana") || p.toString().contains("prometheus"))
                    .filter(Files::isRegularFile).toList()) {
                Matcher m = METRIC.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    private static String scrape(String service) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(Stack.service(service).managementUrl() + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

}
