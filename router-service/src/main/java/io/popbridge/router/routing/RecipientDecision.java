package io.popbridge.router.routing;

import io.popbridge.contract.RouteReason;
import io.popbridge.contract.RoutedRecipient;

/** One recipient decision with a sentence that explains it (shown by route-preview, logged). */
public record RecipientDecision(RoutedRecipient recipient, String explanation) {
    public static RecipientDecision of(String address, String original, String source, RouteReason reason, String explanation) {
        return new RecipientDecision(new RoutedRecipient(address, original, source, reason), explanation);
    }

    public RouteReason reason() {
        return recipient.reason();
    }

    public RecipientDecision as(RouteReason reason, String explanation) {
        return new RecipientDecision(new RoutedRecipient(recipient.address(), recipient.original(), recipient.source(), reason),
                explanation);
    }
}
