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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** Published decisions by pbid (table routed_message). Runs in the caller's transaction. */
@ApplicationScoped
public class RoutingStore {
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() { };
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;

    /** The stored decisions of those pbids that have one. */
    public Map<String, StoredRouting> findAll(Collection<String> pbids) throws SQLException {
        Map<String, StoredRouting> found = new HashMap<>();
        if (pbids.isEmpty()) {
            return found;
        }
        try (Connection db = dataSource.getConnection();
             PreparedStatement select = db.prepareStatement(
                     "select pbid, outcome, routed_headers, removed_headers from routed_message where pbid = any(?)")) {
            select.setArray(1, db.createArrayOf("text", pbids.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String pbid = rs.getString(1);
                    OutcomeEvent outcome = OutcomeEvent.fromJson(rs.getString(2).getBytes(StandardCharsets.UTF_8));
                    String headers = rs.getString(3);
                    List<String> removed = Arrays.stream(rs.getString(4).split("\n")).filter(s -> !s.isEmpty()).toList();
                    found.put(pbid, new StoredRouting(outcome,
                            headers == null ? Optional.empty() : Optional.of(JSON.readValue(headers, HEADERS)), removed));
                }
            } catch (JsonProcessingException e) {
                throw new SQLException("unreadable routed_message row", e);
            }
        }
        return found;
    }

    /** Saves the decisions in one batch, except where one exists already (another replica won): returns those pbids. */
    public Set<String> insertAll(Instant routedAt, Map<String, StoredRouting> decisions) throws SQLException {
        Set<String> lost = new HashSet<>();
        if (decisions.isEmpty()) {
            return lost;
        }
        List<String> order = new ArrayList<>(decisions.keySet());
        try (Connection db = dataSource.getConnection();
             PreparedStatement insert = db.prepareStatement("""
                     insert into routed_message (pbid, routed_at, outcome, routed_headers, removed_headers)
                     values (?, ?, ?, ?, ?) on conflict (pbid) do nothing""")) {
            for (String pbid : order) {
                StoredRouting routing = decisions.get(pbid);
                insert.setString(1, pbid);
                insert.setTimestamp(2, Timestamp.from(routedAt));
                insert.setString(3, new String(routing.outcome().toJson(), StandardCharsets.UTF_8));
                insert.setString(4, routing.routedHeaders().isEmpty() ? null : JSON.writeValueAsString(routing.routedHeaders().get()));
                insert.setString(5, String.join("\n", routing.removedHeaders()));
                insert.addBatch();
            }
            int[] inserted = insert.executeBatch();
            for (int i = 0; i < inserted.length; i++) {
                if (inserted[i] == 0) {
                    lost.add(order.get(i));
                }
            }
            return lost;
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
