package io.popbridge.contract;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mail headers popbridge itself writes. Delivery prepends {@link #LOOP_MARKER} (with this installation's id);
 * the router treats a message that already carries it for the same installation as a loop.
 */
public final class TraceHeaders {
    /** {@code X-Popbridge-Loop: installation=<id>; pbid=<pbid>} */
    public static final String LOOP_MARKER = "X-Popbridge-Loop";
    /** Why a message reached the fallback mailbox. */
    public static final String FALLBACK_REASON = "X-Popbridge-Fallback-Reason";
    /** The original envelope recipient of a fallback delivery. */
    public static final String ORIGINAL_RECIPIENT = "X-Popbridge-Original-Recipient";

    private static final Pattern INSTALLATION = Pattern.compile("installation=([A-Za-z0-9._-]+)");

    private TraceHeaders() {
    }

    public static String loopMarkerValue(String installationId, String pbid) {
        return "installation=" + installationId + "; pbid=" + pbid;
    }

    /** The installation id a loop-marker header value names, if any. */
    public static Optional<String> installationOf(String loopMarkerValue) {
        Matcher m = INSTALLATION.matcher(loopMarkerValue == null ? "" : loopMarkerValue);
        return m.find() ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
    }
}
