package io.popbridge.stack.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.popbridge.stack.http.ApiClient;
import io.popbridge.stack.http.ApiResponse;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** One status line, printed whenever it changes: what waits at the ISP, what the fetcher knows, what Exchange stored. */
public final class LiveLine {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private final List<Supplier<String>> parts = new ArrayList<>();
    private final PrintStream out;
    private String last = "";

    public LiveLine(PrintStream out) {
        this.out = out;
    }

    public LiveLine isp(DemoIsp isp) {
        parts.add(() -> "ISP mailboxes " + isp.counts());
        return this;
    }

    /** The fetcher's message list by status, once its messages API answers. */
    public LiveLine fetcher(ApiClient fetcher) {
        parts.add(() -> {
            try {
                ApiResponse response = fetcher.get("/api/v1/messages");
                if (response.status() != 200) {
                    return "fetcher messages API: " + response.status();
                }
                JsonNode json = response.json();
                JsonNode items = json.isArray() ? json : json.path("items");
                Map<String, Integer> byStatus = new TreeMap<>();
                items.forEach(item -> byStatus.merge(item.path("status").asText("?"), 1, Integer::sum));
                return "fetcher " + byStatus;
            } catch (RuntimeException e) {
                return "fetcher unreachable";
            }
        });
        return this;
    }

    public LiveLine exchange(ExchangeStandIn exchange) {
        parts.add(() -> "Exchange stored " + exchange.countStoredFiles() + " in " + exchange.folder());
        return this;
    }

    /** Prints the line if it changed since the last call. */
    public void tick() {
        StringBuilder line = new StringBuilder();
        for (Supplier<String> part : parts) {
            line.append(line.isEmpty() ? "" : " | ").append(part.get());
        }
        String text = line.toString();
        if (!text.equals(last)) {
            out.println("[" + LocalTime.now().format(TIME) + "] " + text);
            last = text;
        }
    }
}
