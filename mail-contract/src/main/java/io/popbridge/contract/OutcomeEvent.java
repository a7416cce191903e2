package io.popbridge.contract;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A record on {@link Topics#OUTCOMES}; key: pbid; value: this event as JSON.
 *
 * @param recipient  for delivery outcomes: the routed (final) address the outcome is about
 * @param recipients for ROUTED and DUPLICATE: every recipient decision of the router
 * @param reason     human-readable reason (fallback reason, deferral cause)
 * @param smtpReply  the SMTP server's reply, as received
 * @param attempt    delivery attempt number, starting at 1
 * @param service    the emitting service (router, delivery)
 */
@JsonPropertyOrder({"pbid", "type", "accountId", "uidl", "recipient", "recipients", "reason", "smtpReply",
        "attempt", "at", "service", "messageId", "from", "subject"})
public record OutcomeEvent(
        String pbid,
        OutcomeType type,
        String accountId,
        String uidl,
        String recipient,
        List<RoutedRecipient> recipients,
        String reason,
        String smtpReply,
        Integer attempt,
        Instant at,
        String service,
        String messageId,
        String from,
        String subject) {

    public OutcomeEvent {
        Objects.requireNonNull(pbid, "pbid");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(at, "at");
        recipients = recipients == null ? null : List.copyOf(recipients);
    }

    /** The recipients the delivery service will report on: those the routed record carries. */
    public List<String> deliveredRecipients() {
        return recipients == null ? List.of()
                : recipients.stream().filter(r -> r.reason().delivered()).map(RoutedRecipient::address).distinct().toList();
    }

    public byte[] toJson() {
        return Json.write(this);
    }

    public static OutcomeEvent fromJson(byte[] json) {
        return Json.read(json, OutcomeEvent.class);
    }
}
