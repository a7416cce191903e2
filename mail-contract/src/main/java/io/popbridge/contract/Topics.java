package io.popbridge.contract;

/** Kafka topic names. Channel names in each service differ; these are the wire names. */
public final class Topics {
    /** Raw messages as RETR returned them; key pbid; metadata in headers ({@link FetchedMail}). */
    public static final String FETCHED = "popbridge.fetched.v1";
    /** Raw messages with their routing decision; key pbid; metadata in headers ({@link RoutedMail}). */
    public static final String ROUTED = "popbridge.routed.v1";
    /** Small JSON events ({@link OutcomeEvent}); key pbid. */
    public static final String OUTCOMES = "popbridge.outcomes.v1";

    /** Largest message the pipeline carries by default (broker, topic, producer and consumer must agree). */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 50 * 1024 * 1024;

    private Topics() {
    }
}
