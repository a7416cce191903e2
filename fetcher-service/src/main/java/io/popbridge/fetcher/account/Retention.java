package io.popbridge.fetcher.account;

/** A retention policy with its day count (only for KEEP_DAYS). */
public record Retention(RetentionPolicy policy, Integer days) {
    public static final Retention DEFAULT = new Retention(RetentionPolicy.DELETE_AFTER_DELIVERY, null);
}
