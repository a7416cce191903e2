package io.popbridge.stack.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Optional;

/** A REST answer: status, body and the Location header of a create. */
public record ApiResponse(String method, String path, int status, String body, Optional<String> location) {

    public JsonNode json() {
        return Json.parse(body);
    }

    /** The created resource's id: the last segment of Location, else the body's "id". */
    public String id() {
        return location.map(url -> url.substring(url.lastIndexOf('/') + 1))
                .orElseGet(() -> json().path("id").asText(null));
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** Fails with the whole answer unless the status is one of {@code expected}. */
    public ApiResponse expect(int... expected) {
        if (Arrays.stream(expected).noneMatch(code -> code == status)) {
            throw new AssertionError("%s %s answered %d, expected %s: %s".formatted(method, path, status,
                    Arrays.toString(expected), body));
        }
        return this;
    }

    @Override
    public String toString() {
        return "%s %s -> %d".formatted(method, path, status);
    }
}
