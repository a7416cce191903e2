package io.popbridge.router.routing;

import io.popbridge.contract.RouteReason;
import io.popbridge.contract.RoutedRecipient;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The router's answer for one message.
 *
 * @param recipients     every recipient decision, in the order they were found
 * @param fallback       the fallback mailbox of the account's domain ("" if none is known)
 * @param envelopeFrom   MAIL FROM (topmost Return-Path), "" for the null sender
 * @param removeHeaders  header names cut out before delivery (privacy option), empty if none
 * @param notes          message-level observations (malformed input, loop cause, rejected header values)
 * @param unroutable     set when nothing can be delivered and there is no fallback mailbox: why
 * @param malformed      the input broke the contract or had no usable header section
 */
public record RoutingDecision(List<RecipientDecision> recipients, String fallback, String envelopeFrom,
                              List<String> removeHeaders, List<String> notes, Optional<String> unroutable,
                              boolean malformed, MessageSummary summary) {
    public RoutingDecision {
        recipients = List.copyOf(recipients);
        removeHeaders = List.copyOf(removeHeaders);
        notes = List.copyOf(notes);
    }

    public List<RoutedRecipient> all() {
        return recipients.stream().map(RecipientDecision::recipient).toList();
    }

    /** Recipients for the routed record: delivered reasons only, one entry per final address (first wins). */
    public List<RoutedRecipient> delivered() {
        Set<String> seen = new LinkedHashSet<>();
        List<RoutedRecipient> out = new ArrayList<>();
        for (RoutedRecipient r : all()) {
            if (r.reason().delivered() && seen.add(r.address().toLowerCase(java.util.Locale.ROOT))) {
                out.add(r);
            }
        }
        return out;
    }

    public boolean allDuplicates() {
        return delivered().isEmpty() && recipients.stream().anyMatch(r -> r.reason() == RouteReason.DUPLICATE);
    }

    public RoutingDecision withRecipients(List<RecipientDecision> replaced) {
        return new RoutingDecision(replaced, fallback, envelopeFrom, removeHeaders, notes, unroutable, malformed, summary);
    }
}
