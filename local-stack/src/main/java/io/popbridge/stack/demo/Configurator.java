package io.popbridge.stack.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.popbridge.stack.http.ApiClient;
import io.popbridge.stack.http.ApiResponse;
import io.popbridge.stack.http.Json;
import java.io.PrintStream;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * Makes configuration calls idempotent so a second start of the stack does not create everything twice:
 * if the collection already has an item whose {@code key} field equals the body's, it is updated (PUT),
 * else created (POST). Prints each call and its HTTP status; never throws on an error status, so a service
 * whose API is not finished yet shows up as a status line instead of stopping the stack.
 */
public final class Configurator {
    private final PrintStream out;

    public Configurator(PrintStream out) {
        this.out = out;
    }

    /** Creates or updates the item of {@code collection} whose {@code key} equals the body's; returns its id if known. */
    public Optional<String> upsert(ApiClient api, String collection, String key, String body) {
        String wanted = Json.parse(body).path(key).asText();
        try {
            Optional<String> existing = find(api, collection, key, wanted);
            ApiResponse response = existing.isPresent()
                    ? api.put(collection + "/" + existing.get(), body)
                    : api.post(collection, body);
            print(api, response, key + "=" + wanted);
            if (!response.isSuccess()) {
                return existing;
            }
            return existing.isPresent() ? existing : Optional.ofNullable(response.id());
        } catch (RuntimeException e) {
            out.printf("  %-44s %s=%s -> failed: %s%n", api.baseUrl() + collection, key, wanted, e.getMessage());
            return Optional.empty();
        }
    }

    /** A plain call (e.g. "poll now") whose status is printed. */
    public ApiResponse call(ApiClient api, String method, String path, Object body) {
        ApiResponse response = api.send(method, path, body);
        print(api, response, "");
        return response;
    }

    private Optional<String> find(ApiClient api, String collection, String key, String wanted) {
        ApiResponse list = api.get(collection);
        if (list.status() != 200) {
            return Optional.empty();
        }
        JsonNode json = list.json();
        JsonNode items = json.isArray() ? json : json.path("items");
        return StreamSupport.stream(items.spliterator(), false)
                .filter(item -> wanted.equalsIgnoreCase(item.path(key).asText()))
                // an item without an id is addressed by its key (router domains: /api/v1/domains/example.com)
                .map(item -> item.hasNonNull("id") ? item.get("id").asText() : wanted)
                .findFirst();
    }

    private void print(ApiClient api, ApiResponse response, String what) {
        String detail = response.isSuccess() ? "" : " " + abbreviate(response.body());
        out.printf("  %-6s %-52s %-28s -> %d%s%n", response.method(), api.baseUrl() + response.path(), what,
                response.status(), detail);
    }

    private static String abbreviate(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        return flat.length() > 120 ? flat.substring(0, 117) + "..." : flat;
    }
}
