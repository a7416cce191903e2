package io.popbridge.fetcher.message;

import static io.popbridge.fetcher.Jdbc.instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.popbridge.contract.OutcomeEvent;
import io.popbridge.contract.OutcomeType;
import io.popbridge.contract.RoutedRecipient;
import io.popbridge.fetcher.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/** Outcome events and the message rows they update; the message list and trace for the API. */
@ApplicationScoped
public class MessageRepository {
    private static final TypeReference<List<RoutedRecipient>> RECIPIENTS = new TypeReference<>() {
    };
    private static final String MESSAGE_COLUMNS = "pbid, account_id, uidl, size, fetched_at, status, final_at, deleted_at, "
            + "message_id, mail_from, subject";

    @Inject
    AgroalDataSource db;

    @Inject
    ObjectMapper json;

    /**
     * Stores a batch of events (duplicates by Kafka coordinates are ignored) and re-folds the affected messages;
     * returns the pbids that are settled now: final, or waiting for a delivery retry (no longer in the pipeline).
     */
    public Set<String> store(List<StoredOutcome> outcomes) {
        Set<String> settled = new HashSet<>();
        if (outcomes.isEmpty()) {
            return settled;
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                insertEvents(c, outcomes);
                Map<String, OutcomeEvent> lastByPbid = new TreeMap<>(); // pbid order, as the ledger writes
                outcomes.forEach(o -> lastByPbid.put(o.event().pbid(), o.event()));
                Map<String, List<OutcomeEvent>> all = load(c, lastByPbid.keySet());
                try (PreparedStatement ps = c.prepareStatement("insert into message (pbid, account_id, uidl, status, final_at, "
                        + "message_id, mail_from, subject) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (pbid) do update set "
                        + "status = case when message.status = 'DELETED' then 'DELETED' else excluded.status end, "
                        + "final_at = excluded.final_at, message_id = coalesce(excluded.message_id, message.message_id), "
                        + "mail_from = coalesce(excluded.mail_from, message.mail_from), "
                        + "subject = coalesce(excluded.subject, message.subject), updated_at = now()")) {
                    for (Map.Entry<String, OutcomeEvent> e : lastByPbid.entrySet()) {
                        OutcomeEvent last = e.getValue();
                        List<OutcomeEvent> events = all.getOrDefault(e.getKey(), List.of());
                        MessageLifecycle.State state = MessageLifecycle.fold(events);
                        if (state.status() == MessageStatus.FINAL || state.status() == MessageStatus.DEFERRED) {
                            settled.add(e.getKey());
                        }
                        ps.setString(1, e.getKey());
                        ps.setObject(2, parseUuid(last.accountId()));
                        ps.setString(3, last.uidl());
                        ps.setString(4, state.status().name());
                        ps.setTimestamp(5, state.finalAt() == null ? null : Timestamp.from(state.finalAt()));
                        ps.setString(6, firstNonNull(outcomes, e.getKey(), OutcomeEvent::messageId));
                        ps.setString(7, firstNonNull(outcomes, e.getKey(), OutcomeEvent::from));
                        ps.setString(8, firstNonNull(outcomes, e.getKey(), OutcomeEvent::subject));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
                return settled;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store outcome events: " + e.getMessage(), e);
        }
    }

    private void insertEvents(Connection c, List<StoredOutcome> outcomes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into message_event (pbid, type, recipient, recipients, reason, "
                + "smtp_reply, attempt, at, service, kafka_partition, kafka_offset) values (?,?,?,?,?,?,?,?,?,?,?) "
                + "on conflict (kafka_partition, kafka_offset) do nothing")) {
            for (StoredOutcome o : outcomes) {
                OutcomeEvent e = o.event();
                ps.setString(1, e.pbid());
                ps.setString(2, e.type().name());
                ps.setString(3, e.recipient());
                ps.setString(4, e.recipients() == null ? null : write(e.recipients()));
                ps.setString(5, e.reason());
                ps.setString(6, e.smtpReply());
                if (e.attempt() == null) {
                    ps.setNull(7, Types.INTEGER);
                } else {
                    ps.setInt(7, e.attempt());
                }
                ps.setTimestamp(8, Timestamp.from(e.at()));
                ps.setString(9, e.service());
                ps.setInt(10, o.partition());
                ps.setLong(11, o.offset());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private Map<String, List<OutcomeEvent>> load(Connection c, Set<String> pbids) throws SQLException {
        Map<String, List<OutcomeEvent>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select pbid, type, recipient, recipients, reason, smtp_reply, attempt, "
                + "at, service from message_event where pbid = any(?) order by id")) {
            ps.setArray(1, c.createArrayOf("varchar", pbids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(event(rs));
                }
            }
        }
        return out;
    }

    private OutcomeEvent event(ResultSet rs) throws SQLException {
        String recipients = rs.getString(4);
        Integer attemptOrNull = io.popbridge.fetcher.Jdbc.integer(rs, 7);
        return new OutcomeEvent(rs.getString(1), OutcomeType.valueOf(rs.getString(2)), "", null, rs.getString(3),
                recipients == null ? null : read(recipients), rs.getString(5), rs.getString(6), attemptOrNull,
                rs.getTimestamp(8).toInstant(), rs.getString(9), null, null, null);
    }

    /** Those of {@code pbids} that are settled: final (or deleted since), or waiting for a delivery retry. */
    public Set<String> settled(Collection<String> pbids) {
        if (pbids.isEmpty()) {
            return Set.of();
        }
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select pbid from message where pbid = any(?) "
                     + "and status in ('FINAL', 'DELETED', 'DEFERRED')")) {
            ps.setArray(1, c.createArrayOf("varchar", pbids.toArray()));
            return new HashSet<>(Jdbc.list(ps, rs -> rs.getString(1)));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read message states: " + e.getMessage(), e);
        }
    }

    public List<MessageView> list(UUID account, MessageStatus status, int limit) {
        StringBuilder sql = new StringBuilder("select " + MESSAGE_COLUMNS + " from message where true");
        if (account != null) {
            sql.append(" and account_id = ?");
        }
        if (status != null) {
            sql.append(" and status = ?");
        }
        sql.append(" order by fetched_at desc nulls last, pbid limit ?");
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            if (account != null) {
                ps.setObject(i++, account);
            }
            if (status != null) {
                ps.setString(i++, status.name());
            }
            ps.setInt(i, limit);
            return Jdbc.list(ps, MessageRepository::view);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public Optional<MessageTraceView> trace(String pbid) {
        try (Connection c = db.getConnection()) {
            MessageView message;
            try (PreparedStatement ps = c.prepareStatement("select " + MESSAGE_COLUMNS + " from message where pbid = ?")) {
                ps.setString(1, pbid);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    message = view(rs);
                }
            }
            List<MessageTraceView.Step> steps = new ArrayList<>();
            if (message.fetchedAt() != null) {
                steps.add(new MessageTraceView.Step("FETCHED", message.fetchedAt(), null, null, null, null, null, "fetcher"));
            }
            for (OutcomeEvent e : load(c, Set.of(pbid)).getOrDefault(pbid, List.of())) {
                steps.add(new MessageTraceView.Step(e.type().name(), e.at(), e.recipient(), e.recipients(), e.reason(),
                        e.smtpReply(), e.attempt(), e.service()));
            }
            if (message.deletedAt() != null) {
                steps.add(new MessageTraceView.Step("DELETED", message.deletedAt(), null, null, null, null, null, "fetcher"));
            }
            return Optional.of(new MessageTraceView(message, steps));
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static MessageView view(ResultSet rs) throws SQLException {
        long size = rs.getLong(4);
        Long sizeOrNull = rs.wasNull() ? null : size;
        return new MessageView(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), sizeOrNull, instant(rs, 5),
                MessageStatus.valueOf(rs.getString(6)), instant(rs, 7), instant(rs, 8), rs.getString(9), rs.getString(10),
                rs.getString(11));
    }


    /** The searchable headers (Message-ID, From, Subject) as the first event of this batch that carries them. */
    private static String firstNonNull(List<StoredOutcome> outcomes, String pbid,
                                       java.util.function.Function<OutcomeEvent, String> field) {
        for (StoredOutcome o : outcomes) {
            if (o.event().pbid().equals(pbid) && field.apply(o.event()) != null) {
                return field.apply(o.event());
            }
        }
        return null;
    }

    private static UUID parseUuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return new UUID(0, 0);
        }
    }

    private String write(List<RoutedRecipient> recipients) {
        try {
            return json.writeValueAsString(recipients);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<RoutedRecipient> read(String text) {
        try {
            return json.readValue(text, RECIPIENTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
