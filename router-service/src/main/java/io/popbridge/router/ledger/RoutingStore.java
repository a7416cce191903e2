package io.popbridge.router.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.popbridge.contract.OutcomeEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Published decisions by pbid (table routed_message). Runs in the caller's transaction. */
@ApplicationScoped
public class RoutingStore {
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() { };
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;

    public Optional<StoredRouting> find(String pbid) throws SQLException {
        try (Connection db = dataSource.getConnection();
             PreparedStatement select = db.prepareStatement(
                     "select outcome, routed_headers, removed_headers from routed_message where pbid = ?")) {
            select.setString(1, pbid);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                OutcomeEvent outcome = OutcomeEvent.fromJson(rs.getString(1).getBytes(StandardCharsets.UTF_8));
                String headers = rs.getString(2);
                List<String> removed = Arrays.stream(rs.getString(3).split("\n")).filter(s -> !s.isEmpty()).toList();
                return Optional.of(new StoredRouting(outcome,
                        headers == null ? Optional.empty() : Optional.of(JSON.readValue(headers, HEADERS)), removed));
            } catch (JsonProcessingException e) {
                throw new SQLException("unreadable routed_message row for " + pbid, e);
            }
        }
    }

    /** Saves the decision unless one exists for the pbid (another replica won); returns false in that case. */
    public boolean insert(String pbid, Instant routedAt, StoredRouting routing) throws SQLException {
        try (Connection db = dataSource.getConnection();
             PreparedStatement insert = db.prepareStatement("""
                     insert into routed_message (pbid, routed_at, outcome, routed_headers, removed_headers)
                     values (?, ?, ?, ?, ?) on conflict (pbid) do nothing""")) {
            insert.setString(1, pbid);
            insert.setTimestamp(2, Timestamp.from(routedAt));
            insert.setString(3, new String(routing.outcome().toJson(), StandardCharsets.UTF_8));
            insert.setString(4, routing.routedHeaders().isEmpty() ? null : JSON.writeValueAsString(routing.routedHeaders().get()));
            insert.setString(5, String.join("\n", routing.removedHeaders()));
            return insert.executeUpdate() == 1;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise routed headers", e);
        }
    }

    public int deleteOlderThan(Instant cutoff) throws SQLException {
        try (Connection db = dataSource.getConnection();
             PreparedStatement delete = db.prepareStatement("delete from routed_message where routed_at < ?")) {
            delete.setTimestamp(1, Timestamp.from(cutoff));
            return delete.executeUpdate();
        }
    }
}
