package io.popbridge.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The chart under test: lint and render it with the embedded Helm, parse what it renders. */
final class Chart {

    static final String RELEASE = "pb";
    static final String NAMESPACE = "mail";
    /** helm template assumes Kubernetes 1.20 without a cluster; the chart requires 1.25+. */
    static final String KUBE_VERSION = "v1.31.0";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Chart() {
    }

    static Path repoRoot() {
        String root = System.getProperty("popbridge.root");
        Path path = root != null ? Path.of(root) : Path.of("..");
        return path.toAbsolutePath().normalize();
    }

    static Path dir() {
        return repoRoot().resolve("helm/popbridge");
    }

    /** ci/*-values.yaml: the scenarios CI renders besides the defaults. */
    static List<Path> scenarios() {
        try (Stream<Path> files = Files.list(dir().resolve("ci"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-values.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Renders the chart; valuesFile may be null (defaults), sets are --set pairs. */
    static String template(Path chartDir, Path valuesFile, Map<String, Object> sets) {
        TemplateCommand command = new Helm(chartDir).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        return command.call();
    }

    static String template(Path valuesFile, Map<String, Object> sets) {
        return template(dir(), valuesFile, sets);
    }

    static List<HasMetadata> render(Path valuesFile, Map<String, Object> sets) {
        return parse(template(valuesFile, sets));
    }

    static List<HasMetadata> render(Path valuesFile) {
        return render(valuesFile, Map.of());
    }

    /** Every YAML document of a helm template output as a typed fabric8 object. */
    static List<HasMetadata> parse(String manifests) {
        List<HasMetadata> resources = new ArrayList<>();
        for (String document : manifests.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(line -> line.isBlank() || line.trim().startsWith("#"))) {
                continue;
            }
            resources.add(Serialization.unmarshal(document));
        }
        return resources;
    }

    /**
     * `helm lint --strict` with a scenario: helm-java's lint takes no values file, so the scenario is merged into
     * values.yaml of a copy of the chart (exactly what Helm would do with -f).
     */
    static LintResult lintStrict(Path valuesFile) {
        Path chart = valuesFile == null ? dir() : copyWithValues(valuesFile);
        return new Helm(chart).lint().strict().call();
    }

    static Path copyWithValues(Path valuesFile) {
        Path copy = copy();
        try {
            Map<String, Object> values = readYaml(copy.resolve("values.yaml"));
            deepMerge(values, readYaml(valuesFile));
            YAML.writeValue(copy.resolve("values.yaml").toFile(), values);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * helm-java's template returns the release manifest without hooks (manusa/helm-java#416), so test pods and the
     * generated-credentials Secret would never be seen: this copy renames the hook annotation to render them too.
     */
    static Path copyWithHooksAsManifests() {
        Path copy = copy();
        try (Stream<Path> files = Files.walk(copy.resolve("templates"))) {
            for (Path template : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(template);
                Files.writeString(template, text.replace("helm.sh/hook:", "test.popbridge.io/hook:"));
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A throw-away copy of the chart directory (for edits such as a different chart version). */
    static Path copy() {
        try {
            Path target = Files.createTempDirectory("popbridge-chart").resolve("popbridge");
            try (Stream<Path> files = Files.walk(dir())) {
                for (Path source : files.toList()) {
                    Path destination = target.resolve(dir().relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(destination);
                    } else {
                        Files.copy(source, destination);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readYaml(Path file) throws IOException {
        Map<String, Object> map = YAML.readValue(file.toFile(), LinkedHashMap.class);
        return map == null ? new LinkedHashMap<>() : map;
    }

    @SuppressWarnings("unchecked")
    private static void deepMerge(Map<String, Object> base, Map<String, Object> override) {
        override.forEach((key, value) -> {
            if (value instanceof Map<?, ?> map && base.get(key) instanceof Map<?, ?> existing) {
                deepMerge((Map<String, Object>) existing, (Map<String, Object>) map);
            } else {
                base.put(key, value);
            }
        });
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(r -> (T) r).toList();
    }

    static <T extends HasMetadata> T named(List<HasMetadata> resources, Class<T> type, String name) {
        return ofKind(resources, type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
    }
}
