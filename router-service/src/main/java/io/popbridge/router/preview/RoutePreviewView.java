package io.popbridge.router.preview;

import java.util.List;

/**
 * The route-preview answer, meant to be read by an admin.
 *
 * @param summary        one sentence: what would happen
 * @param recipients     every recipient decision, in the order found
 * @param envelopeFrom   the MAIL FROM that would be used ("<>" for the null sender)
 * @param fallback       the account's fallback mailbox ("" if none)
 * @param removedHeaders headers the privacy option would remove
 * @param notes          observations (malformed input, rejected header values, loop cause)
 */
public record RoutePreviewView(String summary, String messageId, String from, String subject, String envelopeFrom,
                               String fallback, List<Recipient> recipients, List<String> removedHeaders,
                               List<String> notes) {

    /**
     * @param address     where the message would go (the fallback mailbox for fallback reasons)
     * @param original    the address as found, before rules
     * @param source      the header (or account, rule) it came from
     * @param reason      the RouteReason
     * @param delivered   true if a routed record would carry it
     * @param explanation why, in words
     */
    public record Recipient(String address, String original, String source, String reason, boolean delivered,
                            String explanation) {
    }
}
