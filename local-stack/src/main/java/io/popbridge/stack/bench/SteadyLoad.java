package io.popbridge.stack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.popbridge.stack.LocalStack;
import io.popbridge.stack.http.ApiClient;
import io.popbridge.stack.http.Json;
import io.popbridge.stack.service.PopbridgeService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Latency at a steady load: messages appear in the ten lab mailboxes (written into Dovecot's Maildir, as the
 * ISP's MTA would) at a fixed rate while the accounts poll every minute; then, per message, the time from its
 * RETR (fetched-at, i.e. the poll that picked it up) to the delivery service's 250 from Postfix (final-at),
 * read from the fetcher's messages API. Postfix stores within ≤ 20 ms of its 250 (lab README).
 */
final class SteadyLoad {
    private static final int BOXES = 10;
    private final LocalStack stack;
    private final Path labDir;
    private final Map<String, String> accountIds;
    private final List<String> table;

    SteadyLoad(LocalStack stack, Path labDir, Map<String, String> accountIds, List<String> table) {
        this.stack = stack;
        this.labDir = labDir;
        this.accountIds = accountIds;
        this.table = table;
    }

    void run(double ratePerSecond, int seconds) throws Exception {
        ApiClient fetcher = stack.api(PopbridgeService.FETCHER);
        for (int i = 1; i <= BOXES; i++) {
            String box = String.format(Locale.ROOT, "pop%03d", i);
            fetcher.put("/api/v1/accounts/" + accountIds.get(box), LabRace.account(box, Map.of("mode", "SINGLE",
                    "targets", List.of(String.format(Locale.ROOT, "user%03d@example.com", i)),
                    "domains", List.of("example.com")), 60)).expect(200);
        }
        Instant start = Instant.now();
        UserPrincipal owner = labDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("maillab");
        long intervalNanos = (long) (1e9 / ratePerSecond);
        long begin = System.nanoTime();
        int written = 0;
        while (System.nanoTime() - begin < seconds * 1_000_000_000L) {
            long due = begin + written * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            write(written % BOXES + 1, written, owner);
            written++;
        }
        System.out.printf("[race] steady load: %d messages written at %.0f msg/s over %d s; waiting for delivery%n",
                written, ratePerSecond, seconds);
        // the messages API answers the newest 1,000 per account: the sample is capped there
        int sample = BOXES * Math.min(1000, (written + BOXES - 1) / BOXES);
        List<Double> fromPollStart = new ArrayList<>();
        List<Double> latencies = awaitLatencies(fetcher, start, Math.min(written, sample), Duration.ofSeconds(240), fromPollStart);
        table.add(line(String.format(Locale.ROOT, "steady %.0f msg/s, 1-min polls: %d written, %d/%d of the sample "
                        + "(the API's newest 1,000 per mailbox) delivered; RETR→250",
                ratePerSecond, written, latencies.size(), Math.min(written, sample)), latencies));
        table.add(line("  the same messages from the start of the poll that fetched them →250", fromPollStart));
    }

    private static String line(String what, List<Double> latencies) {
        Collections.sort(latencies);
        return String.format(Locale.ROOT, "%s latency p50 %.2f s, p90 %.2f s, p99 %.2f s, max %.2f s", what,
                pct(latencies, 50), pct(latencies, 90), pct(latencies, 99),
                latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() - 1));
    }

    private void write(int box, int n, UserPrincipal owner) throws IOException {
        String user = String.format(Locale.ROOT, "user%03d@example.com", box);
        StringBuilder message = new StringBuilder()
                .append("Return-Path: <steady@sender.test>\r\n")
                .append("Delivered-To: ").append(user).append("\r\n")
                .append("Message-ID: <steady.").append(n).append('.').append(System.nanoTime()).append("@bench.test>\r\n")
                .append("From: Steady <steady@sender.test>\r\nTo: ").append(user).append("\r\n")
                .append("Subject: steady ").append(n).append("\r\n\r\n");
        while (message.length() < 20 * 1024) {
            message.append("steady load line, seventy-odd characters of filler for the latency run\r\n");
        }
        byte[] bytes = message.toString().getBytes(StandardCharsets.US_ASCII);
        Path dir = labDir.resolve(String.format(Locale.ROOT, "pop/pop%03d/Maildir", box));
        Path tmp = dir.resolve("tmp/steady." + n + ".bench");
        if (!Files.isDirectory(dir.resolve("new"))) { // load.sh removed the mailbox: make the Maildir as Dovecot would
            for (String sub : List.of("tmp", "new", "cur")) {
                Files.createDirectories(dir.resolve(sub));
            }
            for (Path p = dir.resolve("tmp"); !p.equals(labDir.resolve("pop")); p = p.getParent()) {
                Files.setOwner(p, owner);
            }
            Files.setOwner(dir.resolve("new"), owner);
            Files.setOwner(dir.resolve("cur"), owner);
        }
        Files.write(tmp, bytes);
        Files.setOwner(tmp, owner);
        Files.move(tmp, dir.resolve("new/" + System.currentTimeMillis() + ".steady" + n + ".bench,S=" + bytes.length));
    }

    /** RETR→250 per message; {@code fromPollStart} gets the same messages' time from their poll's start. */
    private List<Double> awaitLatencies(ApiClient fetcher, Instant start, int expected, Duration timeout,
                                        List<Double> fromPollStart) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Double> latencies = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            latencies.clear();
            fromPollStart.clear();
            for (int i = 1; i <= BOXES; i++) {
                String id = accountIds.get(String.format(Locale.ROOT, "pop%03d", i));
                // a poll is recorded when it ends: only finished polls, each as start → end
                TreeMap<Instant, Instant> polls = new TreeMap<>();
                Json.parse(fetcher.get("/api/v1/accounts/" + id + "/polls?limit=1000").body())
                        .forEach(p -> polls.put(Instant.parse(p.get("startedAt").asText()),
                                Instant.parse(p.get("finishedAt").asText())));
                JsonNode list = Json.parse(fetcher.get("/api/v1/messages?account=" + id + "&limit=1000").body());
                for (JsonNode m : list) {
                    if (m.path("fetchedAt").isTextual() && m.path("finalAt").isTextual()
                            && Instant.parse(m.get("fetchedAt").asText()).isAfter(start)) {
                        Instant fetchedAt = Instant.parse(m.get("fetchedAt").asText());
                        Instant finalAt = Instant.parse(m.get("finalAt").asText());
                        latencies.add(Duration.between(fetchedAt, finalAt).toMillis() / 1000.0);
                        Map.Entry<Instant, Instant> poll = polls.floorEntry(fetchedAt);
                        if (poll != null && !poll.getValue().isBefore(fetchedAt)) { // the poll that fetched it
                            fromPollStart.add(Duration.between(poll.getKey(), finalAt).toMillis() / 1000.0);
                        }
                    }
                }
            }
            if (latencies.size() >= expected && fromPollStart.size() >= expected) {
                break;
            }
            Thread.sleep(2000);
        }
        return latencies;
    }

    private static double pct(List<Double> sorted, int p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
