package io.popbridge.stack.kafka;

import io.popbridge.contract.Topics;
import io.popbridge.stack.process.ManagedProcess;
import io.popbridge.stack.process.Ports;
import io.popbridge.stack.process.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker as its own process: KRaft, one combined broker+controller node on 127.0.0.1, run from
 * the {@code kafka_2.13} jars Maven copied into {@code local-stack/target/kafka-lib}. The data directory
 * is formatted once ({@code StorageTool format --standalone}) and reused by every later start.
 */
public final class KafkaBroker {
    public static final int PARTITIONS = 4;
    /** Largest record batch: the 50 MiB message plus headroom for headers (DESIGN: broker, topic, producer agree). */
    public static final int MAX_MESSAGE_BYTES = Topics.DEFAULT_MAX_MESSAGE_BYTES + 1024 * 1024;
    public static final List<String> TOPICS = List.of(Topics.FETCHED, Topics.ROUTED, Topics.OUTCOMES);

    private final Path stackHome;
    private final Path kafkaLib;
    private final Path dataDirectory;
    private final Path logDirectory;
    private final Path runDirectory;
    private final int port;
    private final int controllerPort;
    private ManagedProcess process;

    public KafkaBroker(Path stackHome, Path kafkaLib, Path dataDirectory, Path logDirectory, Path runDirectory,
                       int port, int controllerPort) {
        this.stackHome = stackHome;
        this.kafkaLib = kafkaLib;
        this.dataDirectory = dataDirectory;
        this.logDirectory = logDirectory;
        this.runDirectory = runDirectory;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public void start() {
        if (!Files.isDirectory(kafkaLib)) {
            throw new IllegalStateException("no broker jars at " + kafkaLib + ": run ./mvnw -B install -DskipTests -pl local-stack -am");
        }
        long begin = System.nanoTime();
        Path config = dataDirectory.resolve("server.properties");
        Path log4j = dataDirectory.resolve("log4j2.properties");
        process = new ManagedProcess("kafka", java(log4j, "kafka.Kafka", config.toString()), Map.of(),
                logDirectory.resolve("kafka.log"), runDirectory);
        process.endLeftover();
        Ports.requireFree("Kafka", port);
        Ports.requireFree("Kafka controller", controllerPort);
        try {
            Files.createDirectories(dataDirectory);
            writeServerProperties(config);
            writeLog4jConfig(log4j);
            if (!Files.exists(dataDirectory.resolve("logs").resolve("meta.properties"))) {
                new ManagedProcess("kafka-format", java(log4j, "kafka.tools.StorageTool", "format", "--standalone",
                        "-t", Uuid.randomUuid().toString(), "-c", config.toString()),
                        Map.of(), logDirectory.resolve("kafka.log"), runDirectory).runToCompletion(Duration.ofSeconds(60));
            }
            process.start();
            Waits.until("the Kafka broker at " + bootstrapServers(), Duration.ofSeconds(90), process,
                    () -> Ports.isOpen("127.0.0.1", port));
            createTopics();
            System.out.printf("[stack] Kafka broker up at %s in %d ms (pid %d, log %s)%n", bootstrapServers(),
                    (System.nanoTime() - begin) / 1_000_000, process.pid().orElse(-1L), process.logFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka broker", e);
        }
    }

    public void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(30));
            process = null;
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    private List<String> java(Path log4j, String... mainAndArgs) {
        List<String> command = new java.util.ArrayList<>(ManagedProcess.java(stackHome,
                "-Xms256m", "-Xmx768m", "-XX:+UseG1GC",
                "-Dlog4j2.configurationFile=" + log4j.toUri(),
                "-cp", kafkaLib.toAbsolutePath() + "/*"));
        command.addAll(List.of(mainAndArgs));
        return command;
    }

    private void writeServerProperties(Path file) throws IOException {
        String max = Integer.toString(MAX_MESSAGE_BYTES);
        String properties = String.join("\n",
                "# written by io.popbridge.stack.kafka.KafkaBroker on every start",
                "process.roles=broker,controller",
                "node.id=1",
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "log.dirs=" + dataDirectory.resolve("logs").toAbsolutePath(),
                "num.partitions=" + PARTITIONS,
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=" + PARTITIONS,
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "message.max.bytes=" + max,
                "replica.fetch.max.bytes=" + max,
                "socket.request.max.bytes=" + 200 * 1024 * 1024,
                "");
        Files.writeString(file, properties);
    }

    private void writeLog4jConfig(Path file) throws IOException {
        // stdout goes to .local/logs/kafka.log; the per-partition INFO chatter stays out
        String config = String.join("\n",
                "status = warn",
                "appender.out.type = Console",
                "appender.out.name = out",
                "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = %d{ISO8601} %-5p [%c{1}] %m%n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.out.ref = out",
                "logger.state.name = state.change.logger",
                "logger.state.level = WARN",
                "logger.log.name = kafka.log",
                "logger.log.level = WARN",
                "logger.storage.name = org.apache.kafka.storage",
                "logger.storage.level = WARN",
                "");
        Files.writeString(file, config);
    }

    /** Creates the popbridge topics that do not exist yet (a second start finds them all). */
    private void createTopics() {
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = TOPICS.stream().filter(topic -> !existing.contains(topic))
                    .map(topic -> new NewTopic(topic, PARTITIONS, (short) 1)
                            .configs(Map.of("max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES))))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the popbridge topics on " + bootstrapServers(), e);
        }
    }
}
