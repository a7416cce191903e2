package io.popbridge.router.rule;

/** Kinds of address rule; at equal position an EXACT rule is tried before a WILDCARD, a WILDCARD before a REGEX. */
public enum RuleType {
    /** {@code alice@example.com} → the targets, literally. */
    EXACT,
    /** {@code *} matches any run of characters but {@code @}; the n-th {@code *} in a target is the n-th match. */
    WILDCARD,
    /** A Java regular expression matched against the whole address (case-insensitive); targets use {@code $1}, {@code ${name}}. */
    REGEX
}
