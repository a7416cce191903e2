package io.popbridge.fetcher.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.popbridge.fetcher.FetcherConfig;
import io.popbridge.fetcher.metrics.FetcherMetrics;
import io.popbridge.fetcher.pop3.Pop3Exception;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The refresh-token grant (RFC 6749 section 6) against a provider's token endpoint, client credentials in the
 * form body as Google and Microsoft accept them. Failures are login failures of the poll: a refused client or
 * refresh token is {@code AUTH} (someone must act), an unreachable or failing endpoint {@code CONNECT} or
 * {@code TIMEOUT} (it passes). Neither tokens nor secrets appear in messages.
 */
@ApplicationScoped
public class TokenEndpoint {
    /** A fresh access token, and the refresh token to use from now on when the provider rotated it. */
    public record AccessToken(String value, Instant expiresAt, String rotatedRefreshToken) {
        @Override
        public String toString() {
            return "AccessToken[expires " + expiresAt + (rotatedRefreshToken != null ? ", rotated" : "") + "]";
        }
    }

    private static final long DEFAULT_LIFETIME_SECONDS = 3600;

    @Inject
    FetcherConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    FetcherMetrics metrics;

    private HttpClient http;

    public AccessToken refresh(String tokenUrl, String clientId, String clientSecret, String scope, String refreshToken)
            throws Pop3Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("client_id", clientId);
        if (clientSecret != null) {
            form.put("client_secret", clientSecret);
        }
        if (scope != null) {
            form.put("scope", scope);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl))
                .timeout(config.poll().readTimeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
                        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"))))
                .build();
        Instant asked = Instant.now(); // the token's lifetime counts from before the request
        try {
            AccessToken token = parse(tokenUrl, send(tokenUrl, request), asked);
            metrics.tokenRequest(FetcherMetrics.TokenOutcome.ok);
            return token;
        } catch (Pop3Exception e) {
            metrics.tokenRequest(e.kind() == Pop3Exception.Kind.AUTH
                    ? FetcherMetrics.TokenOutcome.refused : FetcherMetrics.TokenOutcome.unavailable);
            throw e;
        }
    }

    private HttpResponse<String> send(String tokenUrl, HttpRequest request) throws Pop3Exception {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new Pop3Exception(Pop3Exception.Kind.TIMEOUT, "token endpoint " + tokenUrl + " did not answer in time", null, e);
        } catch (IOException e) {
            throw new Pop3Exception(Pop3Exception.Kind.CONNECT, "cannot reach token endpoint " + tokenUrl + ": " + e, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Pop3Exception(Pop3Exception.Kind.TIMEOUT, "interrupted while asking " + tokenUrl + " for a token", null, e);
        }
    }

    private AccessToken parse(String tokenUrl, HttpResponse<String> response, Instant asked) throws Pop3Exception {
        JsonNode body = readJson(response.body());
        int status = response.statusCode();
        if (status == 200 && body != null && body.path("access_token").isTextual() && !body.path("access_token").asText().isEmpty()) {
            long lifetime = body.path("expires_in").asLong(DEFAULT_LIFETIME_SECONDS); // a number, or a string of one
            String rotated = body.path("refresh_token").isTextual() ? body.path("refresh_token").asText() : null;
            return new AccessToken(body.get("access_token").asText(), asked.plusSeconds(lifetime), rotated);
        }
        String error = body == null ? "" : (body.path("error").asText("") + " " + body.path("error_description").asText("")).trim();
        String what = "token endpoint " + tokenUrl + " answered " + status + (error.isEmpty() ? "" : ": " + error);
        if (status == 400 || status == 401 || status == 403) {
            // invalid_grant (refresh token expired or revoked), invalid_client, unauthorized_client, invalid_scope
            throw new Pop3Exception(Pop3Exception.Kind.AUTH, what + " (update the account's refresh token or client)", null);
        }
        if (status == 200) {
            throw new Pop3Exception(Pop3Exception.Kind.PROTOCOL, "token endpoint " + tokenUrl + " answered 200 without an access token", null);
        }
        throw new Pop3Exception(Pop3Exception.Kind.CONNECT, what, null);
    }

    private JsonNode readJson(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    @PostConstruct
    void createClient() {
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.poll().connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER) // a redirect must not carry the refresh token elsewhere
                .build();
    }
}
