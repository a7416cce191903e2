package io.popbridge.fetcher;

import static io.restassured.RestAssured.given;

import io.popbridge.testsupport.SharedPostgres;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** REST and SQL helpers shared by the fetcher's tests. */
public final class FetcherTestSupport {
    private FetcherTestSupport() {
    }

    /** An account JSON body; {@code extra} is spliced in as additional/overriding top-level fields. */
    public static String account(String name, int port, String security, String password, String retention, String extra) {
        return """
                {"name":"%s","host":"127.0.0.1","port":%d,"security":"%s","verifyCertificate":true,
                 "auth":"USER_PASS","username":"user","password":"%s","pollIntervalSeconds":60,
                 "retention":{"policy":"%s"%s},
                 "routing":{"mode":"SINGLE","targets":["alice@example.com"],"domains":["example.com"]}%s}
                """.formatted(name, port, security, password, retention.startsWith("KEEP_DAYS") ? "KEEP_DAYS" : retention,
                retention.startsWith("KEEP_DAYS") ? ",\"days\":" + retention.substring("KEEP_DAYS".length()) : "",
                extra == null || extra.isEmpty() ? "" : "," + extra);
    }

    public static String create(String body) {
        String location = given().auth().preemptive().basic("admin", "admin").contentType(ContentType.JSON).body(body)
                .post("/api/v1/accounts").then().statusCode(201).extract().header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    public static JsonPath poll(String id) {
        return given().auth().preemptive().basic("admin", "admin").post("/api/v1/accounts/" + id + "/poll")
                .then().statusCode(200).extract().jsonPath();
    }

    public static JsonPath status(String id) {
        return given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/accounts/" + id + "/status")
                .then().statusCode(200).extract().jsonPath();
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static Connection db() throws SQLException {
        Connection c = DriverManager.getConnection(SharedPostgres.jdbcUrl(), SharedPostgres.username(), SharedPostgres.password());
        c.createStatement().execute("set search_path to fetcher");
        return c;
    }

    public static int update(String sql, Object... args) {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<String> column(String sql, Object... args) {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
