package io.popbridge.contract;

import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Metadata of a record on {@link Topics#FETCHED}. The record key is {@link #pbid()}, the value the raw
 * RFC 5322 bytes exactly as RETR returned them (dot-unstuffed); this record travels in the headers.
 */
public record FetchedMail(
        String pbid,
        String accountId,
        String accountName,
        String uidl,
        Instant fetchedAt,
        long size,
        String source,
        RoutingSettings routing) {

    public FetchedMail {
        Objects.requireNonNull(pbid, "pbid");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(uidl, "uidl");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        Objects.requireNonNull(routing, "routing");
        accountName = accountName == null ? "" : accountName;
        source = source == null ? "" : source;
    }

    public Headers toHeaders() {
        RecordHeaders headers = new RecordHeaders();
        KafkaHeaders.put(headers, KafkaHeaders.ACCOUNT_ID, accountId);
        KafkaHeaders.put(headers, KafkaHeaders.ACCOUNT_NAME, accountName);
        KafkaHeaders.put(headers, KafkaHeaders.UIDL, uidl);
        KafkaHeaders.put(headers, KafkaHeaders.FETCHED_AT, fetchedAt.toString());
        KafkaHeaders.put(headers, KafkaHeaders.SIZE, Long.toString(size));
        KafkaHeaders.put(headers, KafkaHeaders.SOURCE, source);
        KafkaHeaders.put(headers, KafkaHeaders.ROUTING, Json.writeString(routing));
        return headers;
    }

    /** Reads the metadata of a fetched record; throws {@link ContractException} if it breaks the contract. */
    public static FetchedMail fromHeaders(String key, Headers headers) {
        if (!Pbid.isValid(key)) {
            throw new ContractException("record key is not a pbid: " + key);
        }
        return new FetchedMail(
                key,
                KafkaHeaders.required(headers, KafkaHeaders.ACCOUNT_ID),
                KafkaHeaders.optional(headers, KafkaHeaders.ACCOUNT_NAME, ""),
                KafkaHeaders.required(headers, KafkaHeaders.UIDL),
                KafkaHeaders.requiredInstant(headers, KafkaHeaders.FETCHED_AT),
                KafkaHeaders.requiredLong(headers, KafkaHeaders.SIZE),
                KafkaHeaders.optional(headers, KafkaHeaders.SOURCE, ""),
                Json.read(KafkaHeaders.required(headers, KafkaHeaders.ROUTING).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        RoutingSettings.class));
    }
}
