package io.popbridge.stack;

import io.popbridge.stack.http.ApiClient;
import io.popbridge.stack.kafka.KafkaBroker;
import io.popbridge.stack.postgres.PostgresServer;
import io.popbridge.stack.service.PopbridgeService;
import io.popbridge.stack.service.ServiceEnvironment;
import io.popbridge.stack.service.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The whole system as processes: one Kafka broker, one PostgreSQL, the three packaged services. Used by the
 * launcher ({@code ./popbridge-local}) and by the end-to-end tests; both configure popbridge only through
 * its REST APIs ({@link #api(PopbridgeService)}).
 */
public final class LocalStack implements AutoCloseable {
    public static final String ADMIN = "admin";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final Path reactorRoot;
    private final StackHome home;
    private final StackPorts ports;
    private final String adminPassword;
    private final PostgresServer postgres;
    private final KafkaBroker kafka;
    private final Map<PopbridgeService, ServiceProcess> services = new EnumMap<>(PopbridgeService.class);
    private final Map<PopbridgeService, Map<String, String>> serviceProperties;
    private final List<String> serviceJvmOptions;
    private boolean started;

    private LocalStack(Builder builder) {
        this.reactorRoot = builder.reactorRoot;
        this.home = new StackHome(builder.home);
        this.ports = builder.ports;
        this.adminPassword = builder.adminPassword != null ? builder.adminPassword : home.adminPassword();
        this.postgres = new PostgresServer(home.postgres(), home.logs().resolve("postgres.log"), ports.postgres(), builder.durable);
        this.kafka = new KafkaBroker(home.root(), ReactorRoot.kafkaLib(reactorRoot), home.kafka(), home.logs(), home.run(),
                ports.kafka(), ports.kafkaController());
        this.serviceProperties = builder.serviceProperties;
        this.serviceJvmOptions = List.copyOf(builder.serviceJvmOptions);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts PostgreSQL and Kafka side by side, then the three services side by side; returns when all are ready. */
    public synchronized LocalStack start() {
        if (started) {
            return this;
        }
        long begin = System.nanoTime();
        started = true;
        try {
            CompletableFuture.allOf(
                    CompletableFuture.runAsync(postgres::start),
                    CompletableFuture.runAsync(kafka::start)).join();
            ServiceEnvironment environment = new ServiceEnvironment(postgres.jdbcUrl(), postgres.username(),
                    postgres.password(), kafka.bootstrapServers(), adminPassword, home.encryptionKey());
            for (PopbridgeService service : PopbridgeService.values()) {
                services.put(service, new ServiceProcess(service, reactorRoot, home.root(), environment,
                        ports.http().get(service), ports.management().get(service),
                        serviceProperties.getOrDefault(service, Map.of()), serviceJvmOptions, home.logs(), home.run()));
            }
            services.values().forEach(ServiceProcess::start);
            CompletableFuture.allOf(services.values().stream()
                    .map(process -> CompletableFuture.runAsync(() -> process.awaitReady(READY_TIMEOUT)))
                    .toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            stop();
            throw e instanceof java.util.concurrent.CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        System.out.printf("[stack] all services ready in %d ms (logs in %s)%n", (System.nanoTime() - begin) / 1_000_000, home.logs());
        return this;
    }

    /** Stops the services (gracefully, side by side), then Kafka, then PostgreSQL. Safe to call twice. */
    public synchronized void stop() {
        CompletableFuture.allOf(services.values().stream()
                .map(process -> CompletableFuture.runAsync(process::stop))
                .toArray(CompletableFuture[]::new)).join();
        kafka.stop();
        postgres.stop();
        started = false;
    }

    @Override
    public void close() {
        stop();
    }

    /** Stops one service gracefully and starts it again; returns when it is ready. */
    public void restart(PopbridgeService service) {
        ServiceProcess process = service(service);
        process.stop();
        process.start();
        process.awaitReady(READY_TIMEOUT);
    }

    /** Kills one service (SIGKILL, no shutdown) and starts it again; returns when it is ready. */
    public void crashAndRestart(PopbridgeService service) {
        ServiceProcess process = service(service);
        process.kill();
        process.start();
        process.awaitReady(READY_TIMEOUT);
    }

    public ServiceProcess service(PopbridgeService service) {
        ServiceProcess process = services.get(service);
        if (process == null) {
            throw new IllegalStateException("the stack is not started");
        }
        return process;
    }

    /** The service's REST API as {@code admin}. */
    public ApiClient api(PopbridgeService service) {
        return service(service).api(ADMIN, adminPassword);
    }

    public String adminPassword() {
        return adminPassword;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public StackHome home() {
        return home;
    }

    public Path reactorRoot() {
        return reactorRoot;
    }

    public static final class Builder {
        private Path reactorRoot;
        private Path home;
        private StackPorts ports = StackPorts.defaults();
        private String adminPassword;
        private boolean durable = true;
        private final Map<PopbridgeService, Map<String, String>> serviceProperties = new EnumMap<>(PopbridgeService.class);
        // the collector the services' container images run with (ParallelGC, chosen by run-java.sh; the images put
        // its sizing back to the JVM defaults), so the local stack, the e2e tests and the race measure what Kubernetes runs
        private final List<String> serviceJvmOptions = new ArrayList<>(List.of("-Xms64m", "-Xmx512m", "-XX:+UseParallelGC"));

        public Builder reactorRoot(Path root) {
            this.reactorRoot = root;
            return this;
        }

        /** Where data, logs and secrets live (default {@code <root>/.local}). */
        public Builder home(Path home) {
            this.home = home;
            return this;
        }

        public Builder ports(StackPorts ports) {
            this.ports = ports;
            return this;
        }

        public Builder adminPassword(String password) {
            this.adminPassword = password;
            return this;
        }

        /** false: PostgreSQL without fsync, for throwaway test data. */
        public Builder durable(boolean durable) {
            this.durable = durable;
            return this;
        }

        /** A system property for one service's JVM, e.g. a shorter poll interval in tests. */
        public Builder serviceProperty(PopbridgeService service, String key, String value) {
            serviceProperties.computeIfAbsent(service, s -> new HashMap<>()).put(key, value);
            return this;
        }

        public Builder serviceJvmOption(String option) {
            serviceJvmOptions.add(option);
            return this;
        }

        public LocalStack build() {
            if (reactorRoot == null) {
                reactorRoot = ReactorRoot.find();
            }
            if (home == null) {
                home = reactorRoot.resolve(".local");
            }
            return new LocalStack(this);
        }
    }
}
