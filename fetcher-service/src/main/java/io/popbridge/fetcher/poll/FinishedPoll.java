package io.popbridge.fetcher.poll;

/** What recording a poll changed: the failure streak and whether the admin was already told. */
public record FinishedPoll(long pollId, int consecutiveFailures, boolean failingNotified) {
}
