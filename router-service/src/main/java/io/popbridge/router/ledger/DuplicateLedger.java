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
import javax.sql.DataSource;

/**
 * (Message-ID, final recipient) → the pbid that first routed it. A different pbid claiming the same pair within
 * the retention window is a duplicate copy; the same pbid (a replay) is not. Runs in the caller's transaction.
 */
@ApplicationScoped
public class DuplicateLedger {
    private static final String CLAIM = """
            insert into recipient_ledger (message_id, recipient, pbid, first_seen) values (?, ?, ?, ?)
            on conflict (message_id, recipient) do update set pbid = excluded.pbid, first_seen = excluded.first_seen
                where recipient_ledger.first_seen < ?
            returning pbid""";
    private static final String OWNER = "select pbid from recipient_ledger where message_id = ? and recipient = ?";

    @Inject
    DataSource dataSource;

    /** Claims the pair for {@code pbid}; returns the pbid that owns it (not {@code pbid}: a duplicate copy). */
    public String claim(String messageId, String recipientKey, String pbid, Instant now, Duration retention) throws SQLException {
        try (Connection db = dataSource.getConnection()) {
            try (PreparedStatement claim = db.prepareStatement(CLAIM)) {
                claim.setString(1, messageId);
                claim.setString(2, recipientKey);
                claim.setString(3, pbid);
                claim.setTimestamp(4, Timestamp.from(now));
                claim.setTimestamp(5, Timestamp.from(now.minus(retention)));
                try (ResultSet rs = claim.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
            }
            try (PreparedStatement owner = db.prepareStatement(OWNER)) {
                owner.setString(1, messageId);
                owner.setString(2, recipientKey);
                try (ResultSet rs = owner.executeQuery()) {
                    return rs.next() ? rs.getString(1) : pbid;
                }
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
