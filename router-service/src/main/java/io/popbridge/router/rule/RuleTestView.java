package io.popbridge.router.rule;

import java.util.List;

/**
 * The answer of {@code POST /api/v1/rules/{id}/test}.
 *
 * @param matched  the rule matches the address
 * @param results  the addresses it would be rewritten to
 * @param decidedBy the rule that actually decides for this address among all rules (precedence), null if none
 * @param message  a readable sentence
 */
public record RuleTestView(String address, boolean matched, List<String> results, String decidedBy, String message) {
}
