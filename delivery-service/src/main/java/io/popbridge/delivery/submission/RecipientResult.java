package io.popbridge.delivery.submission;

/** What one attempt did for one recipient. Unknown failures are temporary. */
public sealed interface RecipientResult {
    /** The target accepted it (2xx). */
    record Delivered(String reply, String targetName) implements RecipientResult { }

    /** 4xx, or no target configured: retry later. */
    record Temporary(String reply) implements RecipientResult { }

    /** The data went out but no reply came: the server may have it. Retried with identical bytes. */
    record Ambiguous(String detail) implements RecipientResult { }

    /** 5xx: the target will never take it; {@code contentRefused}: refused after the data, not at RCPT. */
    record Permanent(String reply, boolean contentRefused) implements RecipientResult {
        public Permanent(String reply) {
            this(reply, false);
        }
    }

    /** No target could be reached (refused, timeout, 421, TLS or AUTH failure). */
    record TargetDown(String detail) implements RecipientResult { }
}
