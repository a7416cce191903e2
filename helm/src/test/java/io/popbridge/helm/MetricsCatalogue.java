package io.popbridge.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names docs/metrics.md promises: the table rows (a timer's row lists its exported suffixes) and the
 * platform metrics named after "From the platform" (a trailing * stands for any suffix).
 */
record MetricsCatalogue(Set<String> names, Set<String> prefixes) {

    private static final Pattern TICKED = Pattern.compile("`([^`]+)`");

    static MetricsCatalogue read(Path file) {
        try {
            return parse(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MetricsCatalogue parse(List<String> lines) {
        Set<String> names = new TreeSet<>();
        Set<String> prefixes = new TreeSet<>();
        boolean platform = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                platform = line.toLowerCase().contains("platform");
                continue;
            }
            if (line.startsWith("| `")) {
                String firstCell = line.substring(1, line.indexOf('|', 1));
                Matcher m = TICKED.matcher(firstCell);
                m.find();
                String base = m.group(1);
                List<String> suffixes = m.results().map(r -> r.group(1)).filter(s -> s.startsWith("_")).toList();
                if (suffixes.isEmpty()) {
                    names.add(base);
                } else {
                    suffixes.forEach(suffix -> names.add(base + suffix));
                }
            } else if (platform) {
                // tag names are given in parentheses: only ticked names outside them are metrics
                Matcher m = TICKED.matcher(line.replaceAll("\\([^)]*\\)", ""));
                while (m.find()) {
                    String name = m.group(1);
                    if (name.endsWith("*")) {
                        prefixes.add(name.substring(0, name.length() - 1));
                    } else {
                        names.add(name);
                    }
                }
            }
        }
        return new MetricsCatalogue(names, prefixes);
    }

    boolean contains(String metric) {
        return names.contains(metric) || prefixes.stream().anyMatch(metric::startsWith);
    }
}
