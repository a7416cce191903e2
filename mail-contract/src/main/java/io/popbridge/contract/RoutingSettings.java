package io.popbridge.contract;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * The routing part of an account, carried with every fetched message so the router needs no call back
 * to the fetcher.
 *
 * @param mode             SINGLE or CATCH_ALL
 * @param targets          SINGLE: the mailbox address(es) every message goes to
 * @param domains          the account's domains (CATCH_ALL: recipients must be in them; also picks the fallback)
 * @param envelopeSources  CATCH_ALL: ordered header names to read the envelope recipient from; the token
 *                         {@link #RECEIVED_FOR} means the {@code for} clause of the topmost Received header
 * @param headerFallback   CATCH_ALL: if no envelope source matched, guess from To/Cc/Resent-To/Resent-Cc
 * @param hideEnvelopeHeaders remove the envelope headers (which reveal BCC recipients) before delivery
 */
@JsonPropertyOrder({"mode", "targets", "domains", "envelopeSources", "headerFallback", "hideEnvelopeHeaders"})
public record RoutingSettings(
        RoutingMode mode,
        List<String> targets,
        List<String> domains,
        List<String> envelopeSources,
        boolean headerFallback,
        boolean hideEnvelopeHeaders) {

    public static final String RECEIVED_FOR = "Received-for";
    public static final List<String> DEFAULT_ENVELOPE_SOURCES =
            List.of("Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", RECEIVED_FOR);

    public RoutingSettings {
        Objects.requireNonNull(mode, "mode");
        targets = targets == null ? List.of() : List.copyOf(targets);
        domains = domains == null ? List.of() : List.copyOf(domains);
        envelopeSources = envelopeSources == null ? List.of() : List.copyOf(envelopeSources);
    }

    public static RoutingSettings single(List<String> targets, List<String> domains) {
        return new RoutingSettings(RoutingMode.SINGLE, targets, domains, List.of(), false, false);
    }

    public static RoutingSettings catchAll(List<String> domains, List<String> envelopeSources, boolean headerFallback) {
        return new RoutingSettings(RoutingMode.CATCH_ALL, List.of(), domains, envelopeSources, headerFallback, false);
    }
}
