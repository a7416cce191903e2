package io.popbridge.contract;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * One recipient decision.
 *
 * @param address  the final envelope address (after rules; the fallback mailbox for fallback reasons)
 * @param original the address as found in the message or configuration, before rules
 * @param source   where it came from: a header name ({@code Delivered-To}, {@code To}), {@code Received-for},
 *                 {@code account} for SINGLE targets, or {@code rule:<id>} appended by a rewrite
 * @param reason   the decision
 */
@JsonPropertyOrder({"address", "original", "source", "reason"})
public record RoutedRecipient(String address, String original, String source, RouteReason reason) {
    public RoutedRecipient {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(reason, "reason");
        original = original == null ? address : original;
        source = source == null ? "" : source;
    }
}
