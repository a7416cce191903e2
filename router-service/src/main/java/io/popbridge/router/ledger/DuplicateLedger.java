package io.popbridge.router.ledger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * (Message-ID, final recipient) → the pbid that first routed it. A different pbid claiming the same pair within
 * the retention window is a duplicate copy; the same pbid (a replay) is not. Runs in the caller's transaction.
 */
@ApplicationScoped
public class DuplicateLedger {
    // rows in key order: concurrent batches lock them in the same order
    private static final String CLAIM = """
            insert into recipient_ledger (message_id, recipient, pbid, first_seen)
            select c.message_id, c.recipient, c.pbid, ? from unnest(?::text[], ?::text[], ?::text[])
                as c(message_id, recipient, pbid) order by c.message_id, c.recipient
            on conflict (message_id, recipient) do update set pbid = excluded.pbid, first_seen = excluded.first_seen
                where recipient_ledger.first_seen < ?
            returning message_id, recipient, pbid""";
    private static final String OWNERS = """
            select l.message_id, l.recipient, l.pbid from recipient_ledger l
            join unnest(?::text[], ?::text[]) as c(message_id, recipient)
                on l.message_id = c.message_id and l.recipient = c.recipient""";

    /** A pbid's claim on a (Message-ID, recipient key) pair. */
    public record Claim(String messageId, String recipient, String pbid) {
        Pair pair() {
            return new Pair(messageId, recipient);
        }
    }

    /** A (Message-ID, recipient key) pair of the ledger. */
    public record Pair(String messageId, String recipient) {
    }

    @Inject
    DataSource dataSource;

    /**
     * Claims every pair with one statement, as if the claims were made one after the other in list order (the
     * first claimant of a pair in the list claims it; later ones find its owner). Returns each pair's owner: a claim
     * whose owner is another pbid is a duplicate copy.
     */
    public Map<Pair, String> claimAll(List<Claim> claims, Instant now, Duration retention) throws SQLException {
        Map<Pair, String> firstClaimant = new LinkedHashMap<>();
        for (Claim c : claims) {
            firstClaimant.putIfAbsent(c.pair(), c.pbid());
        }
        Map<Pair, String> owners = new HashMap<>();
        if (firstClaimant.isEmpty()) {
            return owners;
        }
        List<String> messageIds = new ArrayList<>();
        List<String> recipients = new ArrayList<>();
        firstClaimant.keySet().forEach(p -> {
            messageIds.add(p.messageId());
            recipients.add(p.recipient());
        });
        try (Connection db = dataSource.getConnection()) {
            try (PreparedStatement claim = db.prepareStatement(CLAIM)) {
                claim.setTimestamp(1, Timestamp.from(now));
                claim.setArray(2, db.createArrayOf("text", messageIds.toArray()));
                claim.setArray(3, db.createArrayOf("text", recipients.toArray()));
                claim.setArray(4, db.createArrayOf("text", firstClaimant.values().toArray()));
                claim.setTimestamp(5, Timestamp.from(now.minus(retention)));
                readOwners(claim, owners);
            }
            if (owners.size() < firstClaimant.size()) { // the rest were claimed earlier, within the window
                try (PreparedStatement select = db.prepareStatement(OWNERS)) {
                    select.setArray(1, db.createArrayOf("text", messageIds.toArray()));
                    select.setArray(2, db.createArrayOf("text", recipients.toArray()));
                    readOwners(select, owners);
                }
            }
        }
        firstClaimant.forEach(owners::putIfAbsent); // deleted meanwhile by the retention cleanup: nobody else owns it
        return owners;
    }

    private static void readOwners(PreparedStatement statement, Map<Pair, String> owners) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                owners.putIfAbsent(new Pair(rs.getString(1), rs.getString(2)), rs.getString(3));
            }
        }
    }

    public int deleteOlderThan(Instant cutoff) throws SQLException {
        try (Connection db = dataSource.getConnection();
             PreparedStatement delete = db.prepareStatement("delete from recipient_ledger where first_seen < ?")) {
            delete.setTimestamp(1, Timestamp.from(cutoff));
            return delete.executeUpdate();
        }
    }
}
