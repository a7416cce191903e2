package io.popbridge.fetcher.poll;

import io.popbridge.fetcher.pop3.Pop3Exception;

/** How a poll ended (the {@code outcome} tag of popbridge_fetcher_polls_total). */
public enum PollOutcome {
    OK,
    AUTH_FAILED,
    TLS_FAILED,
    CONNECT_FAILED,
    TIMEOUT,
    PROTOCOL_ERROR;

    public static PollOutcome of(Pop3Exception.Kind kind) {
        return switch (kind) {
            case CONNECT -> CONNECT_FAILED;
            case TLS -> TLS_FAILED;
            case AUTH -> AUTH_FAILED;
            case TIMEOUT -> TIMEOUT;
            case PROTOCOL -> PROTOCOL_ERROR;
        };
    }
}
