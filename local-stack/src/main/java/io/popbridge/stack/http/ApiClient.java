package io.popbridge.stack.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * A small client for a service's REST API with HTTP Basic credentials: {@code fetcher.post("/api/v1/accounts", json)}.
 * Bodies are JSON strings or objects Jackson can write. Nothing here throws on an error status: check
 * {@link ApiResponse#status()} or call {@link ApiResponse#expect(int...)}.
 */
public final class ApiClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String user;
    private final String authorization;

    public ApiClient(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.authorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The same API as another user (e.g. viewer), or anonymous with {@code null}. */
    public ApiClient as(String otherUser, String password) {
        return new ApiClient(baseUrl, otherUser, password);
    }

    public ApiResponse get(String path) {
        return send("GET", path, null);
    }

    public ApiResponse post(String path, Object body) {
        return send("POST", path, body);
    }

    public ApiResponse put(String path, Object body) {
        return send("PUT", path, body);
    }

    public ApiResponse delete(String path) {
        return send("DELETE", path, null);
    }

    public ApiResponse send(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new ApiResponse(method, path, response.statusCode(), response.body(),
                    response.headers().firstValue("Location"));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + baseUrl + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + path, e);
        }
    }

    @Override
    public String toString() {
        return baseUrl + (user == null ? " (anonymous)" : " as " + user);
    }
}
