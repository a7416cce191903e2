package io.popbridge.stack.bench;

import io.popbridge.stack.LocalStack;
import io.popbridge.stack.ReactorRoot;
import io.popbridge.stack.StackPorts;
import io.popbridge.stack.http.ApiClient;
import io.popbridge.stack.service.PopbridgeService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The race against fetchmail on ../shared/lab (Dovecot POP3 → Postfix "Exchange"): popbridge as processes
 * (Kafka, PostgreSQL, three services) configured through its REST APIs, the lab's load generator and verifier,
 * then the lab's fetchmail benchmark on the same scenarios, in one run. Prints one table. Run by bench/race.sh.
 */
public final class LabRace {
    private static final String POP_HOST = "127.0.0.1";
    private static final int POP_PORT = 11110;
    private static final double JIT_SETTLED = 0.05;

    private final Path labSrc;
    private final Path labDir;
    private final int sizeKb;
    private final LocalStack stack;
    private final Map<String, String> accountIds = new LinkedHashMap<>();
    private final List<String> table = new ArrayList<>();
    /** The fetchmail scenarios that match the popbridge scenarios run, in order. */
    private final List<String[]> pendingFetchmail = new ArrayList<>();
    private double lastJitShare;
    private final java.net.http.HttpClient metrics = java.net.http.HttpClient.newHttpClient(); // one, not one per scrape

    private LabRace(Path root, Path labSrc, Path labDir, int sizeKb) {
        this.labSrc = labSrc;
        this.labDir = labDir;
        this.sizeKb = sizeKb;
        LocalStack.Builder builder = LocalStack.builder();
        for (String option : System.getProperty("bench.jvm.options", "").split("\\s+")) {
            if (!option.isBlank()) { // e.g. a profiler or another GC for an experiment
                builder.serviceJvmOption(option);
            }
        }
        this.stack = builder
                .reactorRoot(root)
                .home(root.resolve(".local/bench"))
                .ports(StackPorts.free())
                .adminPassword("bench")
                .durable(false)
                // all ten lab mailboxes live on one host: allow them to be polled at once
                .serviceProperty(PopbridgeService.FETCHER, "fetcher.poll.max-per-host", "12")
                .serviceProperty(PopbridgeService.FETCHER, "fetcher.poll.max-concurrent", "12")
                .build();
    }

    public static void main(String[] args) throws Exception {
        Path root = ReactorRoot.find();
        Path labSrc = Path.of(System.getProperty("lab.src", root.resolve("../shared/lab").toString())).normalize();
        Path labDir = Path.of(System.getenv().getOrDefault("MAILLAB_DIR", "/var/tmp/maillab"));
        int n10 = Integer.getInteger("n10", 500);
        int n1 = Integer.getInteger("n1", 5000);
        int nmd = Integer.getInteger("nmd", 5000);
        int kb = Integer.getInteger("size.kb", 20);
        boolean fetchmail = !Boolean.getBoolean("skip.fetchmail");
        LabRace race = new LabRace(root, labSrc, labDir, kb);
        race.stack.home().wipe();
        try {
            race.stack.start();
            race.configure();
            race.warmUp(Integer.getInteger("warmup", 1000), Integer.getInteger("warmup.rounds", 8));
            double peak = race.run("10x" + n10, 10, n10, 0, "fm-10x500-par");
            race.run("1x" + n1, 1, n1, 0, "fm-1x5000");
            race.run("catch-all " + nmd, 0, 0, nmd, "fm-multidrop");
            if (!Boolean.getBoolean("skip.latency")) {
                new SteadyLoad(race.stack, race.labDir, race.accountIds, race.table)
                        .run(peak / 2, Integer.getInteger("steady.seconds", 45));
            }
            race.peakMemory();
        } finally {
            race.stack.stop();
        }
        if (fetchmail) {
            race.fetchmail(n10, n1, nmd);
        }
        race.print();
    }

    private void configure() {
        ApiClient router = stack.api(PopbridgeService.ROUTER);
        ApiClient delivery = stack.api(PopbridgeService.DELIVERY);
        ApiClient fetcher = stack.api(PopbridgeService.FETCHER);
        for (String domain : List.of("example.com", "example.org")) {
            router.post("/api/v1/domains", Map.of("name", domain, "fallback", "postmaster@example.com")).expect(201);
        }
        delivery.post("/api/v1/targets", Map.of("name", "lab-postfix", "host", "127.0.0.1", "port", 2525,
                "security", "NONE", "heloName", "popbridge.bench", "domains", List.of(), "priority", 10,
                "maxConnections", 10, "maxMessagesPerConnection", 1000)).expect(201);
        shell(labSrc.resolve("load.sh").toString(), "10", "0", "1", "0"); // empty every lab mailbox first
        for (int i = 1; i <= 10; i++) {
            String box = String.format(Locale.ROOT, "pop%03d", i);
            accountIds.put(box, createAccount(fetcher, box, Map.of("mode", "SINGLE",
                    "targets", List.of(String.format(Locale.ROOT, "user%03d@example.com", i)), "domains", List.of("example.com"))));
        }
        accountIds.put("catchall", createAccount(fetcher, "catchall", Map.of("mode", "CATCH_ALL",
                "domains", List.of("example.com", "example.org"), "envelopeSources", List.of("Delivered-To"),
                "headerFallback", false)));
    }

    private static String createAccount(ApiClient fetcher, String box, Map<String, Object> routing) {
        return fetcher.post("/api/v1/accounts", account(box, routing, 3600)).expect(201).id();
    }

    /** The lab account body; the race triggers polls itself, the steady phase polls every minute. */
    static Map<String, Object> account(String box, Map<String, Object> routing, int intervalSeconds) {
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("name", "lab-" + box);
        account.put("host", POP_HOST);
        account.put("port", POP_PORT);
        account.put("security", "NONE");
        account.put("auth", "USER_PASS");
        account.put("username", box);
        account.put("password", "pw-" + box);
        account.put("pollIntervalSeconds", intervalSeconds);
        account.put("retention", Map.of("policy", "DELETE_AFTER_DELIVERY"));
        account.put("routing", routing);
        return account;
    }

    /**
     * The services are long-running JVMs: they are timed warm, as they run in production. Untimed rounds of
     * 10 × {@code perBox} messages until the services' JIT compilers use less than {@link #JIT_SETTLED} of the
     * machine's CPU in a round (their steady state), or {@code maxRounds}. {@code perBox} 0 times cold JVMs.
     */
    private void warmUp(int perBox, int maxRounds) throws Exception {
        for (int round = 1; perBox > 0 && round <= maxRounds; round++) {
            run("warm-up " + round + ": 10x" + perBox, 10, perBox, 0);
            System.out.printf(Locale.ROOT, "[race] warm-up round %d: the services' JIT compilers used %.1f %% of the machine%n",
                    round, 100 * lastJitShare);
            if (lastJitShare < JIT_SETTLED) {
                break;
            }
        }
        table.clear();
        pendingFetchmail.clear();
    }

    /** Returns popbridge's end-to-end messages per second. */
    private double run(String scenario, int boxes, int perBox, int catchAll, String... fetchmailScenarios) throws Exception {
        shell(labSrc.resolve("load.sh").toString(), Integer.toString(boxes), Integer.toString(perBox),
                Integer.toString(sizeKb), Integer.toString(catchAll));
        int messages = Math.max(0, lines(labDir.resolve("manifest.tsv")) - 1);
        int expected = expectedDeliveries();
        List<String> involved = new ArrayList<>();
        for (int i = 1; i <= boxes; i++) {
            involved.add(accountIds.get(String.format(Locale.ROOT, "pop%03d", i)));
        }
        if (catchAll > 0) {
            involved.add(accountIds.get("catchall"));
        }
        CpuProfile cpuBefore = CpuProfile.snapshot();
        long t0 = System.nanoTime();
        pollAll(involved);
        int delivered = 0;
        long deadline = t0 + 900_000_000_000L;
        long nextSample = t0;
        while ((delivered = deliveredFiles()) < expected && System.nanoTime() < deadline) {
            if (System.nanoTime() >= nextSample) { // where the time goes: each stage's running total
                System.out.printf("  t=%5.1fs fetched=%s routed=%s delivered=%s stored=%d%n", (System.nanoTime() - t0) / 1e9,
                        metric(PopbridgeService.FETCHER, "popbridge_fetcher_messages_fetched_total"),
                        metric(PopbridgeService.ROUTER, "popbridge_router_messages_total"),
                        metric(PopbridgeService.DELIVERY, "popbridge_delivery_results_total{result=\"delivered\""), delivered);
                nextSample += 2_000_000_000L;
            }
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        CpuProfile cpuAfter = CpuProfile.snapshot();
        String cpu = cpuAfter.since(cpuBefore);
        lastJitShare = cpuAfter.seconds(CpuProfile.JIT, cpuBefore) / Math.max(0.01, cpuAfter.seconds("machine busy", cpuBefore));
        for (int cleanup = 0; cleanup < 3; cleanup++) { // deletes what is final (DELETE_AFTER_DELIVERY), ≤ 2,000 per poll
            pollAll(involved);
            Thread.sleep(2000);
        }
        String verify = shell(labSrc.resolve("verify.sh").toString()).trim();
        table.add(String.format(Locale.ROOT, "%-22s %-10s %6d %9.2f %9.1f  %s", scenario, "popbridge", messages, seconds,
                messages / seconds, lastLine(verify)));
        table.add(String.format(Locale.ROOT, "%-22s %-10s %s", "", "", cpu));
        System.out.printf("[race] %s: popbridge %d messages (%d deliveries, %d seen) in %.2f s = %.1f msg/s%n  %s%n  %s%n",
                scenario, messages, expected, delivered, seconds, messages / seconds, lastLine(verify), cpu);
        pendingFetchmail.add(fetchmailScenarios);
        return messages / seconds;
    }

    /** The sum of a counter's series (lines starting with {@code prefix}) on a service's /q/metrics. */
    private long metric(PopbridgeService service, String prefix) {
        try {
            java.net.http.HttpResponse<String> response = metrics.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.service(service).managementUrl() + "/q/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return (long) response.body().lines().filter(l -> l.startsWith(prefix))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void pollAll(List<String> accounts) throws InterruptedException {
        ApiClient fetcher = stack.api(PopbridgeService.FETCHER);
        ExecutorService pool = Executors.newFixedThreadPool(accounts.size());
        for (String id : accounts) {
            pool.submit(() -> {
                try {
                    fetcher.post("/api/v1/accounts/" + id + "/poll", "{}");
                } catch (RuntimeException e) {
                    // a long poll outlives the client's timeout; it goes on in the fetcher
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS);
    }

    private void peakMemory() {
        for (PopbridgeService service : PopbridgeService.values()) {
            stack.service(service).pid().ifPresent(pid -> {
                try {
                    String status = Files.readString(Path.of("/proc", pid.toString(), "status"));
                    String hwm = status.lines().filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM: ?");
                    table.add(String.format("peak RSS %-10s %s", service.name().toLowerCase(Locale.ROOT), hwm.replace("VmHWM:", "").trim()));
                } catch (IOException e) {
                    table.add("peak RSS " + service + ": unreadable");
                }
            });
        }
    }

    private void fetchmail(int n10, int n1, int nmd) throws Exception {
        List<String> scenarios = new ArrayList<>();
        pendingFetchmail.forEach(s -> scenarios.addAll(List.of(s)));
        List<String> command = new ArrayList<>(List.of(labSrc.resolve("bench-fetchmail.sh").toString()));
        command.addAll(scenarios);
        Path results = labDir.resolve("bench/results.tsv");
        int before = Files.exists(results) ? lines(results) : 0;
        shellEnv(Map.of("BENCH_RUNS", "1", "N10", Integer.toString(n10), "N1", Integer.toString(n1),
                "NMD", Integer.toString(nmd), "SIZE_KB", Integer.toString(sizeKb)), command.toArray(String[]::new));
        List<String> rows = Files.readAllLines(results);
        for (String row : rows.subList(Math.max(1, before), rows.size())) {
            String[] f = row.split("\t");
            table.add(String.format(Locale.ROOT, "%-22s %-10s %6s %9s %9s  %s", f[0], "fetchmail", f[2], f[7],
                    String.format(Locale.ROOT, "%.1f", Double.parseDouble(f[2]) / Double.parseDouble(f[7])), f[8]));
        }
    }

    private void print() {
        System.out.println();
        System.out.println("== popbridge vs fetchmail on ../shared/lab, " + Instant.now() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores ==");
        System.out.printf("%-22s %-10s %6s %9s %9s  %s%n", "scenario", "tool", "msgs", "e2e_s", "msg/s", "verify");
        table.forEach(System.out::println);
    }

    private int expectedDeliveries() throws IOException {
        List<String> rows = Files.readAllLines(labDir.resolve("manifest.tsv"));
        List<String> header = List.of(rows.get(0).split("\t"));
        int column = header.indexOf("expected");
        return rows.stream().skip(1).mapToInt(r -> r.split("\t")[column].split(",").length).sum();
    }

    /** Messages Postfix stored: entries of exch/<domain>/<user>/{new,cur}; plain listings, Postfix moves files meanwhile. */
    private int deliveredFiles() {
        int count = 0;
        for (java.io.File domain : listFiles(labDir.resolve("exch").toFile())) {
            for (java.io.File user : listFiles(domain)) {
                for (String sub : List.of("new", "cur")) {
                    String[] names = new java.io.File(user, sub).list();
                    count += names == null ? 0 : names.length;
                }
            }
        }
        return count;
    }

    private static java.io.File[] listFiles(java.io.File dir) {
        java.io.File[] files = dir.listFiles(java.io.File::isDirectory);
        return files == null ? new java.io.File[0] : files;
    }

    private static int lines(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            return (int) lines.count();
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.split("\n");
        return lines[lines.length - 1];
    }

    private static String shell(String... command) {
        return shellEnv(Map.of(), command);
    }

    private static String shellEnv(Map<String, String> env, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes());
            process.waitFor();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
