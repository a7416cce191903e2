package io.popbridge.testsupport.oauth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OAuth 2.0 token endpoint for the refresh-token grant (RFC 6749 section 6), as Google's and Microsoft's
 * behave for mail clients: client authentication in the form body, {@code invalid_client} / {@code invalid_grant}
 * as 400 with a JSON error, and optional refresh-token rotation (the old token stops working once a new one was
 * issued). Plain HTTP on a free loopback port.
 * <pre>{@code
 * OAuth2TokenEndpoint idp = OAuth2TokenEndpoint.start().client("app", "app-secret");
 * idp.grant("refresh-1", "access-1", 3600);           // refresh-1 yields access-1
 * idp.rotate("refresh-1", "refresh-2");                // and hands out refresh-2 instead of itself
 * }</pre>
 */
public final class OAuth2TokenEndpoint implements AutoCloseable {
    public static final String PATH = "/oauth2/token";

    private final HttpServer server;
    private final Map<String, String> clients = new ConcurrentHashMap<>();
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private volatile boolean unavailable;

    private record Grant(String accessToken, int expiresInSeconds, String rotatedRefreshToken) {
    }

    private OAuth2TokenEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext(PATH, this::handle);
        server.start();
    }

    public static OAuth2TokenEndpoint start() {
        try {
            return new OAuth2TokenEndpoint();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    /** A registered client; {@code secret} null for a public client. */
    public OAuth2TokenEndpoint client(String id, String secret) {
        clients.put(id, secret == null ? "" : secret);
        return this;
    }

    /** {@code refreshToken} is valid and yields {@code accessToken}, valid for {@code expiresInSeconds}. */
    public OAuth2TokenEndpoint grant(String refreshToken, String accessToken, int expiresInSeconds) {
        grants.put(refreshToken, new Grant(accessToken, expiresInSeconds, null));
        return this;
    }

    /** The next refresh with {@code refreshToken} also issues {@code next} (same access token), and {@code refreshToken} stops working. */
    public OAuth2TokenEndpoint rotate(String refreshToken, String next) {
        grants.computeIfPresent(refreshToken, (k, g) -> new Grant(g.accessToken(), g.expiresInSeconds(), next));
        return this;
    }

    /** The user withdrew consent: the refresh token is refused with {@code invalid_grant} from now on. */
    public OAuth2TokenEndpoint revoke(String refreshToken) {
        grants.remove(refreshToken);
        return this;
    }

    /** true: every request gets 503 (the provider is down). */
    public OAuth2TokenEndpoint unavailable(boolean down) {
        this.unavailable = down;
        return this;
    }

    /** The form parameters of every request received, oldest first. */
    public List<Map<String, String>> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            requests.add(form);
            if (unavailable) {
                respond(exchange, 503, "{\"error\":\"temporarily_unavailable\"}");
            } else if (!"POST".equals(exchange.getRequestMethod())
                    || !"application/x-www-form-urlencoded".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                respond(exchange, 400, error("invalid_request", "POST application/x-www-form-urlencoded expected"));
            } else if (!"refresh_token".equals(form.get("grant_type"))) {
                respond(exchange, 400, error("unsupported_grant_type", "only refresh_token"));
            } else if (!clients.containsKey(form.getOrDefault("client_id", ""))
                    || !clients.get(form.get("client_id")).equals(form.getOrDefault("client_secret", ""))) {
                respond(exchange, 401, error("invalid_client", "unknown client or wrong secret"));
            } else {
                issue(exchange, form.getOrDefault("refresh_token", ""));
            }
        }
    }

    private void issue(HttpExchange exchange, String refreshToken) throws IOException {
        Grant grant = grants.get(refreshToken);
        if (grant == null) {
            respond(exchange, 400, error("invalid_grant", "refresh token expired or revoked"));
            return;
        }
        String rotated = "";
        if (grant.rotatedRefreshToken() != null) {
            grants.remove(refreshToken);
            grants.put(grant.rotatedRefreshToken(), new Grant(grant.accessToken(), grant.expiresInSeconds(), null));
            rotated = ",\"refresh_token\":\"" + grant.rotatedRefreshToken() + "\"";
        }
        respond(exchange, 200, "{\"access_token\":\"" + grant.accessToken() + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                + grant.expiresInSeconds() + rotated + "}");
    }

    private static String error(String code, String description) {
        return "{\"error\":\"" + code + "\",\"error_description\":\"" + description + "\"}";
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
