package io.popbridge.fetcher.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.popbridge.contract.OutcomeEvent;
import io.popbridge.contract.OutcomeType;
import io.popbridge.contract.RouteReason;
import io.popbridge.contract.RoutedRecipient;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageLifecycleTest {
    private static final Instant T0 = Instant.parse("2026-11-22T07:00:00Z");

    @Test
    void a_routed_message_without_any_delivered_recipient_is_never_final() {
        OutcomeEvent routed = event(OutcomeType.ROUTED, null,
                List.of(new RoutedRecipient("eve@foreign.test", null, "Delivered-To", RouteReason.IGNORED_FOREIGN_DOMAIN)));
        assertThat(MessageLifecycle.fold(List.of(routed)).status()).isEqualTo(MessageStatus.ROUTED);
    }

    @Test
    void final_only_when_every_delivered_recipient_has_a_final_outcome() {
        OutcomeEvent routed = event(OutcomeType.ROUTED, null, List.of(
                new RoutedRecipient("a@example.com", null, "Delivered-To", RouteReason.ROUTED),
                new RoutedRecipient("b@example.com", null, "Delivered-To", RouteReason.ROUTED)));
        OutcomeEvent a = event(OutcomeType.DELIVERED, "a@example.com", null);
        OutcomeEvent bDeferred = event(OutcomeType.DEFERRED, "b@example.com", null);
        OutcomeEvent b = event(OutcomeType.FALLBACK, "b@example.com", null);
        assertThat(MessageLifecycle.fold(List.of(routed, a, bDeferred)).status()).isEqualTo(MessageStatus.DEFERRED);
        assertThat(MessageLifecycle.fold(List.of(a, routed, b)).status()).isEqualTo(MessageStatus.FINAL);
    }

    private static OutcomeEvent event(OutcomeType type, String recipient, List<RoutedRecipient> recipients) {
        return new OutcomeEvent("pb1-00000000000000000000000000000000", type, "acc", "u1", recipient, recipients,
                null, null, null, T0, "test", null, null, null);
    }
}
