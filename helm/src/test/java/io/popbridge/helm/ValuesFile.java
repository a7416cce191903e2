package io.popbridge.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The keys of values.yaml as dotted paths, each with the comment lines right above it. */
record ValuesFile(List<Key> keys) {

    record Key(String path, int line, List<String> comment) {
    }

    private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z][A-Za-z0-9_-]*):(.*)$");

    static ValuesFile read(Path file) {
        try {
            return parse(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ValuesFile parse(List<String> lines) {
        List<Key> keys = new ArrayList<>();
        Deque<int[]> indents = new ArrayDeque<>();
        Deque<String> names = new ArrayDeque<>();
        List<String> comment = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.trim();
            if (trimmed.startsWith("#")) {
                comment.add(trimmed.replaceFirst("^#\\s?(--\\s)?", ""));
                continue;
            }
            Matcher m = KEY.matcher(line);
            if (m.matches()) {
                int indent = m.group(1).length();
                while (!indents.isEmpty() && indents.peek()[0] >= indent) {
                    indents.pop();
                    names.pop();
                }
                indents.push(new int[] {indent});
                names.push(m.group(2));
                List<String> path = new ArrayList<>(names);
                java.util.Collections.reverse(path);
                keys.add(new Key(String.join(".", path), i + 1, List.copyOf(comment)));
            }
            comment.clear();
        }
        return new ValuesFile(keys);
    }
}
