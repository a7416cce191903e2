package io.popbridge.fetcher.account;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.popbridge.common.crypto.SecretCipher;
import io.popbridge.contract.RoutingSettings;
import io.popbridge.fetcher.oauth.OAuth2Settings;
import io.popbridge.fetcher.pop3.Pop3Auth;
import io.popbridge.fetcher.pop3.Pop3Security;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Accounts in {@code fetcher.account} (plain JDBC: the scheduler needs row locks and batches anyway). */
@ApplicationScoped
public class AccountRepository {
    public static final String COLUMNS = "a.id, a.name, a.host, a.port, a.security, a.verify_certificate, a.custom_ca, a.auth, "
            + "a.username, a.password_secret, a.oauth2_token_url, a.oauth2_client_id, a.oauth2_scope, a.oauth2_client_secret, "
            + "a.oauth2_refresh_token, a.poll_interval_seconds, a.enabled, a.max_message_bytes, "
            + "a.retention_policy, a.retention_days, a.routing, a.created_at, a.updated_at";

    @Inject
    AgroalDataSource db;

    @Inject
    ObjectMapper json;

    public List<Account> list() {
        return query("select " + COLUMNS + " from account a order by a.name", null);
    }

    public Optional<Account> find(UUID id) {
        return query("select " + COLUMNS + " from account a where a.id = ?", id).stream().findFirst();
    }

    /** Inserts the account and its empty state row; due for its first poll at once. */
    public void insert(Account a) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("insert into account (id, name, host, port, security, "
                    + "verify_certificate, custom_ca, auth, username, password_secret, password_key_id, oauth2_token_url, "
                    + "oauth2_client_id, oauth2_scope, oauth2_client_secret, oauth2_refresh_token, poll_interval_seconds, "
                    + "enabled, max_message_bytes, retention_policy, retention_days, routing, created_at, updated_at) "
                    + "values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                int i = bind(ps, a);
                ps.setTimestamp(i++, Timestamp.from(a.createdAt()));
                ps.setTimestamp(i, Timestamp.from(a.updatedAt()));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("insert into account_state (account_id) values (?)")) {
                ps.setObject(1, a.id());
                ps.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** A shorter interval takes effect now: the next poll is brought forward to at most one new interval away. */
    public boolean update(Account a) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("update account set id = ?, name = ?, host = ?, port = ?, "
                     + "security = ?, verify_certificate = ?, custom_ca = ?, auth = ?, username = ?, password_secret = ?, "
                     + "password_key_id = ?, oauth2_token_url = ?, oauth2_client_id = ?, oauth2_scope = ?, "
                     + "oauth2_client_secret = ?, oauth2_refresh_token = ?, poll_interval_seconds = ?, enabled = ?, max_message_bytes = ?, "
                     + "retention_policy = ?, retention_days = ?, routing = ?, updated_at = ?, "
                     + "next_poll_at = least(next_poll_at, now() + ? * interval '1 second') where id = ?")) {
            int i = bind(ps, a);
            ps.setTimestamp(i++, Timestamp.from(a.updatedAt()));
            ps.setInt(i++, a.pollIntervalSeconds());
            ps.setObject(i, a.id());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    public boolean delete(UUID id) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from account where id = ?")) {
            ps.setObject(1, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private int bind(PreparedStatement ps, Account a) throws SQLException {
        int i = 1;
        ps.setObject(i++, a.id());
        ps.setString(i++, a.name());
        ps.setString(i++, a.host());
        ps.setInt(i++, a.port());
        ps.setString(i++, a.security().name());
        ps.setBoolean(i++, a.verifyCertificate());
        ps.setString(i++, a.customCa());
        ps.setString(i++, a.auth().name());
        ps.setString(i++, a.username());
        ps.setString(i++, a.passwordSecret());
        ps.setString(i++, a.passwordSecret() == null ? null : SecretCipher.keyIdOf(a.passwordSecret()));
        OAuth2Settings oauth2 = a.oauth2();
        ps.setString(i++, oauth2 == null ? null : oauth2.tokenUrl());
        ps.setString(i++, oauth2 == null ? null : oauth2.clientId());
        ps.setString(i++, oauth2 == null ? null : oauth2.scope());
        ps.setString(i++, oauth2 == null ? null : oauth2.encryptedClientSecret());
        ps.setString(i++, oauth2 == null ? null : oauth2.encryptedRefreshToken());
        ps.setInt(i++, a.pollIntervalSeconds());
        ps.setBoolean(i++, a.enabled());
        ps.setLong(i++, a.maxMessageBytes());
        ps.setString(i++, a.retention().policy().name());
        if (a.retention().days() == null) {
            ps.setNull(i++, Types.INTEGER);
        } else {
            ps.setInt(i++, a.retention().days());
        }
        ps.setString(i++, writeRouting(a.routing()));
        return i;
    }

    private List<Account> query(String sql, UUID id) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (id != null) {
                ps.setObject(1, id);
            }
            return io.popbridge.fetcher.Jdbc.list(ps, this::map);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** Maps a row selected with {@link #COLUMNS}. */
    Account map(ResultSet rs) throws SQLException {
        int days = rs.getInt("retention_days");
        Integer retentionDays = rs.wasNull() ? null : days;
        return new Account(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("host"), rs.getInt("port"),
                Pop3Security.valueOf(rs.getString("security")), rs.getBoolean("verify_certificate"), rs.getString("custom_ca"),
                Pop3Auth.valueOf(rs.getString("auth")), rs.getString("username"), rs.getString("password_secret"), oauth2(rs),
                rs.getInt("poll_interval_seconds"), rs.getBoolean("enabled"), rs.getLong("max_message_bytes"),
                new Retention(RetentionPolicy.valueOf(rs.getString("retention_policy")), retentionDays),
                readRouting(rs.getString("routing")), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static OAuth2Settings oauth2(ResultSet rs) throws SQLException {
        String tokenUrl = rs.getString("oauth2_token_url");
        return tokenUrl == null ? null : new OAuth2Settings(tokenUrl, rs.getString("oauth2_client_id"),
                rs.getString("oauth2_scope"), rs.getString("oauth2_client_secret"), rs.getString("oauth2_refresh_token"));
    }

    /**
     * Stores a refresh token the provider rotated, only if the account still has {@code expected} (an admin may
     * have set another one through the API meanwhile, which wins).
     */
    public boolean replaceRefreshToken(UUID id, String expected, String replacement) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "update account set oauth2_refresh_token = ? where id = ? and oauth2_refresh_token = ?")) {
            ps.setString(1, replacement);
            ps.setObject(2, id);
            ps.setString(3, expected);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    public static Account mapRow(AccountRepository repo, ResultSet rs) throws SQLException {
        return repo.map(rs);
    }

    private String writeRouting(RoutingSettings routing) {
        try {
            return json.writeValueAsString(routing);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private RoutingSettings readRouting(String text) {
        try {
            return json.readValue(text, RoutingSettings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored routing settings are not valid JSON", e);
        }
    }

    private static RuntimeException translate(SQLException e) {
        if ("23505".equals(e.getSQLState())) {
            return io.popbridge.common.api.ApiException.conflict("name", "an account with this name exists");
        }
        return new IllegalStateException("database error: " + e.getMessage(), e);
    }
}
