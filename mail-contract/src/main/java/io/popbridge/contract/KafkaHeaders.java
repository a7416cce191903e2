package io.popbridge.contract;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Names of the Kafka record headers that carry message metadata, and typed access to them. */
public final class KafkaHeaders {
    public static final String ACCOUNT_ID = "pb-account-id";
    public static final String ACCOUNT_NAME = "pb-account-name";
    public static final String UIDL = "pb-uidl";
    public static final String FETCHED_AT = "pb-fetched-at";
    public static final String SIZE = "pb-size";
    /** The POP3 server the message came from ({@code host:port}), named in our Received trace header. */
    public static final String SOURCE = "pb-source";
    /** JSON {@link RoutingSettings}. */
    public static final String ROUTING = "pb-routing";
    /** Envelope sender for MAIL FROM; empty means the null sender {@code <>}. */
    public static final String ENVELOPE_FROM = "pb-envelope-from";
    /** JSON array of {@link RoutedRecipient}. */
    public static final String RECIPIENTS = "pb-recipients";
    public static final String FALLBACK = "pb-fallback";
    public static final String ROUTED_AT = "pb-routed-at";

    private KafkaHeaders() {
    }

    public static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    public static String required(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            throw new ContractException("missing Kafka header " + name);
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    public static String optional(Headers headers, String name, String otherwise) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? otherwise : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static Instant requiredInstant(Headers headers, String name) {
        String value = required(headers, name);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ContractException("header " + name + " is not an ISO-8601 instant: " + value, e);
        }
    }

    public static long requiredLong(Headers headers, String name) {
        String value = required(headers, name);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ContractException("header " + name + " is not a number: " + value, e);
        }
    }
}
