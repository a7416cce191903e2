package io.popbridge.fetcher.account;

import java.util.List;

/** {@code POST /api/v1/accounts/{id}/test}: each step's result and the server's reply; nothing is stored. */
public record ConnectionTestView(boolean ok, List<Step> steps, List<String> capabilities, Long messages, Long octets) {
    public record Step(String step, boolean ok, String detail, String reply) {
    }
}
