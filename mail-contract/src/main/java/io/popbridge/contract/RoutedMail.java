package io.popbridge.contract;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;

/**
 * Metadata of a record on {@link Topics#ROUTED}. Key: pbid; value: the raw message bytes (unchanged but for
 * the headers the design allows the router to remove). Only recipients whose reason is
 * {@link RouteReason#delivered()} are carried here.
 *
 * @param envelopeFrom MAIL FROM address from Return-Path; empty string for the null sender
 * @param fallback     the fallback mailbox of the account's domain, for permanent delivery failures
 */
public record RoutedMail(
        String pbid,
        String accountId,
        String accountName,
        String uidl,
        Instant fetchedAt,
        String source,
        String envelopeFrom,
        List<RoutedRecipient> recipients,
        String fallback,
        Instant routedAt) {

    private static final TypeReference<List<RoutedRecipient>> RECIPIENT_LIST = new TypeReference<>() { };

    public RoutedMail {
        Objects.requireNonNull(pbid, "pbid");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        Objects.requireNonNull(routedAt, "routedAt");
        accountName = accountName == null ? "" : accountName;
        uidl = uidl == null ? "" : uidl;
        source = source == null ? "" : source;
        envelopeFrom = envelopeFrom == null ? "" : envelopeFrom;
        recipients = List.copyOf(recipients);
        fallback = fallback == null ? "" : fallback;
    }

    /** Routed metadata for a fetched message: carries over the fetch metadata. */
    public static RoutedMail of(FetchedMail fetched, String envelopeFrom, List<RoutedRecipient> recipients,
                                String fallback, Instant routedAt) {
        return new RoutedMail(fetched.pbid(), fetched.accountId(), fetched.accountName(), fetched.uidl(),
                fetched.fetchedAt(), fetched.source(), envelopeFrom, recipients, fallback, routedAt);
    }

    public Headers toHeaders() {
        Headers headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        KafkaHeaders.put(headers, KafkaHeaders.ACCOUNT_ID, accountId);
        KafkaHeaders.put(headers, KafkaHeaders.ACCOUNT_NAME, accountName);
        KafkaHeaders.put(headers, KafkaHeaders.UIDL, uidl);
        KafkaHeaders.put(headers, KafkaHeaders.FETCHED_AT, fetchedAt.toString());
        KafkaHeaders.put(headers, KafkaHeaders.SOURCE, source);
        KafkaHeaders.put(headers, KafkaHeaders.ENVELOPE_FROM, envelopeFrom);
        KafkaHeaders.put(headers, KafkaHeaders.RECIPIENTS, Json.writeString(recipients));
        KafkaHeaders.put(headers, KafkaHeaders.FALLBACK, fallback);
        KafkaHeaders.put(headers, KafkaHeaders.ROUTED_AT, routedAt.toString());
        return headers;
    }

    public static RoutedMail fromHeaders(String key, Headers headers) {
        if (!Pbid.isValid(key)) {
            throw new ContractException("record key is not a pbid: " + key);
        }
        return new RoutedMail(
                key,
                KafkaHeaders.required(headers, KafkaHeaders.ACCOUNT_ID),
                KafkaHeaders.optional(headers, KafkaHeaders.ACCOUNT_NAME, ""),
                KafkaHeaders.optional(headers, KafkaHeaders.UIDL, ""),
                KafkaHeaders.requiredInstant(headers, KafkaHeaders.FETCHED_AT),
                KafkaHeaders.optional(headers, KafkaHeaders.SOURCE, ""),
                KafkaHeaders.optional(headers, KafkaHeaders.ENVELOPE_FROM, ""),
                Json.read(KafkaHeaders.required(headers, KafkaHeaders.RECIPIENTS).getBytes(StandardCharsets.UTF_8),
                        RECIPIENT_LIST),
                KafkaHeaders.optional(headers, KafkaHeaders.FALLBACK, ""),
                KafkaHeaders.requiredInstant(headers, KafkaHeaders.ROUTED_AT));
    }
}
