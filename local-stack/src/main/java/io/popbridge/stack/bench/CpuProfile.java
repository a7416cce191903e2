package io.popbridge.stack.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the CPU goes during a scenario: CPU seconds per group of processes (the three services, Kafka, PostgreSQL,
 * the lab's Dovecot and Postfix) between two snapshots of /proc, and the machine's busy and idle time. Children's
 * time (cutime) counts to the parent that reaped them, so short-lived Postfix and Dovecot workers are not lost.
 * {@code services-jit} is the part of the services' time their JIT compiler threads used (a JVM still warming up).
 */
final class CpuProfile {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
    private static final Path PROC = Path.of("/proc");
    static final String JIT = "services-jit";

    private static final List<String> SERVICES = List.of("fetcher", "router", "delivery");

    private final Map<String, Long> ticks;

    private CpuProfile(Map<String, Long> ticks) {
        this.ticks = ticks;
    }

    static CpuProfile snapshot() {
        Map<String, Long> ticks = new TreeMap<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path pid : pids) {
                try {
                    String group = group(pid);
                    if (group != null) {
                        ticks.merge(group, processTicks(pid), Long::sum);
                    }
                    if (SERVICES.contains(group)) {
                        ticks.merge(JIT, compilerTicks(pid), Long::sum);
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended meanwhile
                }
            }
            String[] cpu = Files.readAllLines(PROC.resolve("stat")).get(0).trim().split("\\s+");
            long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
            long all = 0;
            for (int i = 1; i < Math.min(cpu.length, 9); i++) {
                all += Long.parseLong(cpu[i]);
            }
            ticks.put("~machine busy", all - idle);
            ticks.put("~machine idle", idle);
        } catch (IOException e) {
            // no /proc: an empty profile
        }
        return new CpuProfile(ticks);
    }

    /** CPU seconds of one group since {@code before} ("machine busy" for the whole machine). */
    double seconds(String group, CpuProfile before) {
        String key = ticks.containsKey(group) ? group : "~" + group;
        return (ticks.getOrDefault(key, 0L) - before.ticks.getOrDefault(key, 0L)) / TICKS_PER_SECOND;
    }

    /** One line: CPU seconds per group since {@code before}. */
    String since(CpuProfile before) {
        StringBuilder line = new StringBuilder("cpu s:");
        ticks.forEach((group, now) -> line.append(String.format(Locale.ROOT, " %s=%.1f", group.replace("~", ""),
                (now - before.ticks.getOrDefault(group, 0L)) / TICKS_PER_SECOND)));
        return line.toString();
    }

    private static String group(Path pid) throws IOException {
        String cmdline = new String(Files.readAllBytes(pid.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        String comm = Files.readString(pid.resolve("comm")).trim();
        for (String service : SERVICES) {
            if (cmdline.contains(service + "-service") && comm.equals("java")) {
                return service;
            }
        }
        if (cmdline.contains("kafka.Kafka") || cmdline.contains("KafkaRaftServer") || cmdline.contains("kafka_2.13")) {
            return "kafka";
        }
        if (comm.equals("postgres")) {
            return "postgres";
        }
        if (comm.matches("dovecot|pop3|pop3-login|auth|config|log")) {
            return "dovecot";
        }
        if (comm.matches("master|smtpd|cleanup|local|qmgr|trivial-rewrite|proxymap|anvil|pickup|tlsmgr|smtp-sink")) {
            return "postfix";
        }
        return null;
    }

    /** The JIT compiler threads' time (C1/C2 "CompilerThread" tasks of a HotSpot JVM). */
    private static long compilerTicks(Path pid) throws IOException {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(pid.resolve("task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm"));
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        sum += taskTicks(task);
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return sum;
    }

    private static long taskTicks(Path task) throws IOException {
        String stat = Files.readString(task.resolve("stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long processTicks(Path pid) throws IOException {
        String stat = Files.readString(pid.resolve("stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": state is f[0]; utime, stime, cutime, cstime are fields 14-17 of stat, f[11..14]
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }
}
