package io.popbridge.router.routing;

import static io.popbridge.contract.RouteReason.FALLBACK_FOREIGN_DOMAIN;
import static io.popbridge.contract.RouteReason.FALLBACK_NO_LOCAL_RECIPIENT;
import static io.popbridge.contract.RouteReason.GUESSED;
import static io.popbridge.contract.RouteReason.IGNORED_FOREIGN_DOMAIN;
import static io.popbridge.contract.RouteReason.LOOP;
import static io.popbridge.contract.RouteReason.ROUTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.popbridge.contract.RoutedRecipient;
import io.popbridge.contract.RoutingSettings;
import io.popbridge.router.Eml;
import io.popbridge.router.message.RawMessage;
import io.popbridge.router.rule.CompiledRule;
import io.popbridge.router.rule.RuleSet;
import io.popbridge.router.rule.RuleType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The decision logic on raw .eml fixtures (no broker, no database: those are covered by the consumer tests). */
class RouterTest {
    static final RoutingContext CONTEXT = new RoutingContext(
            Map.of("example.com", "postmaster@example.com", "example.net", "fallback@example.net"),
            RuleSet.EMPTY, "popbridge", 50, Optional.empty());
    static final RoutingSettings CATCH_ALL = RoutingSettings.catchAll(List.of("example.com"), List.of(), false);
    static final RoutingSettings CATCH_ALL_GUESSING = RoutingSettings.catchAll(List.of("example.com"), List.of(), true);

    static RoutingDecision route(String eml, RoutingSettings routing) {
        return route(eml, routing, CONTEXT);
    }

    static RoutingDecision route(String eml, RoutingSettings routing, RoutingContext context) {
        return Router.route(RawMessage.parse(Eml.load(eml)), routing, context);
    }

    @Test
    void delivers_each_isp_copy_only_to_its_envelope_recipient() {
        assertThat(route("isp-copy-alice.eml", CATCH_ALL).delivered())
                .containsExactly(new RoutedRecipient("alice@example.com", "alice@example.com", "Delivered-To", ROUTED));
        assertThat(route("isp-copy-bob.eml", CATCH_ALL).delivered())
                .containsExactly(new RoutedRecipient("bob@example.com", "bob@example.com", "Delivered-To", ROUTED));
    }

    @Test
    void finds_a_bcc_recipient_that_only_the_envelope_header_names() {
        RoutingDecision decision = route("isp-copy-carol-bcc.eml", CATCH_ALL);
        assertThat(decision.delivered()).extracting(RoutedRecipient::address).containsExactly("carol@example.com");
    }

    @Test
    void the_topmost_delivered_to_wins_over_one_written_upstream() {
        assertThat(route("two-delivered-to.eml", CATCH_ALL).all()).extracting(RoutedRecipient::address, RoutedRecipient::reason)
                .containsExactly(tuple("mary@example.com", ROUTED));
    }

    @Test
    void domains_match_whatever_their_case_and_the_local_part_keeps_its_own() {
        RoutingSettings upper = RoutingSettings.catchAll(List.of("Example.COM"), List.of(), false);
        RoutingDecision decision = route("case-differences.eml", upper);
        assertThat(decision.delivered()).extracting(RoutedRecipient::address).containsExactly("Alice.Smith@example.com");
        assertThat(decision.envelopeFrom()).isEqualTo("Sender@partner.org");
        assertThat(decision.fallback()).isEqualTo("postmaster@example.com");
    }

    @Test
    void a_foreign_recipient_beside_a_local_one_is_ignored_and_never_routed() {
        RoutingDecision decision = route("foreign-beside-local.eml", CATCH_ALL);
        assertThat(decision.all()).extracting(RoutedRecipient::address, RoutedRecipient::source, RoutedRecipient::reason)
                .containsExactly(tuple("alice@example.com", "Envelope-To", ROUTED),
                        tuple("stranger@foreign.org", "Envelope-To", IGNORED_FOREIGN_DOMAIN));
        assertThat(decision.delivered()).extracting(RoutedRecipient::address).containsExactly("alice@example.com");
    }

    @Test
    void with_no_local_recipient_the_fallback_mailbox_gets_the_message_with_the_reason() {
        RoutingDecision decision = route("none-local.eml", CATCH_ALL);
        assertThat(decision.all()).containsExactly(
                new RoutedRecipient("postmaster@example.com", "someone@foreign.org", "Delivered-To", FALLBACK_FOREIGN_DOMAIN));
        assertThat(decision.envelopeFrom()).as("Return-Path <> is the null sender").isEmpty();
    }

    @Test
    void no_recipient_at_all_goes_to_the_fallback_as_no_local_recipient() {
        RoutingDecision decision = route("to-cc-fallback.eml", CATCH_ALL);
        assertThat(decision.all()).extracting(RoutedRecipient::address, RoutedRecipient::reason)
                .containsExactly(tuple("postmaster@example.com", FALLBACK_NO_LOCAL_RECIPIENT));
        assertThat(decision.notes()).anySatisfy(n -> assertThat(n).contains("guessing from To/Cc is off"));
    }

    @Test
    void guesses_from_to_and_cc_with_groups_comments_encoded_words_folding_and_quoted_local_parts() {
        RoutingDecision decision = route("to-cc-fallback.eml", CATCH_ALL_GUESSING);
        assertThat(decision.all()).extracting(RoutedRecipient::address, RoutedRecipient::source, RoutedRecipient::reason)
                .containsExactly(
                        tuple("John.Doe@example.com", "To", GUESSED),
                        tuple("pete@example.com", "To", GUESSED),
                        tuple("kim@example.com", "To", GUESSED),
                        tuple("\"quoted local\"@example.com", "To", GUESSED),
                        tuple("aake@example.com", "Cc", GUESSED),
                        tuple("joerg@foreign.org", "Cc", IGNORED_FOREIGN_DOMAIN));
        assertThat(decision.summary().subject()).isEqualTo("Grüße");
    }

    @Test
    void guesses_from_resent_to() {
        RoutingDecision decision = route("resent-to.eml", CATCH_ALL_GUESSING);
        assertThat(decision.all()).extracting(RoutedRecipient::address, RoutedRecipient::source, RoutedRecipient::reason)
                .containsExactly(tuple("boss@example.com", "Resent-To", GUESSED),
                        tuple("assistant@partner.org", "To", IGNORED_FOREIGN_DOMAIN))
                .isNotEmpty();
    }

    @Test
    void received_for_reads_only_the_topmost_received_and_ignores_comments() {
        RoutingSettings receivedOnly = RoutingSettings.catchAll(List.of("example.com"), List.of("Received-for"), false);
        assertThat(route("received-for.eml", receivedOnly).all())
                .containsExactly(new RoutedRecipient("ron@example.com", "ron@example.com", "Received-for", ROUTED));
    }

    @Test
    void more_than_fifty_received_headers_is_a_loop() {
        RoutingDecision decision = route("loop-hop-count.eml", CATCH_ALL);
        assertThat(decision.all()).containsExactly(
                new RoutedRecipient("postmaster@example.com", "alice@example.com", "Delivered-To", LOOP));
        assertThat(decision.notes()).anySatisfy(n -> assertThat(n).contains("51 Received headers"));
    }

    @Test
    void our_own_loop_marker_is_a_loop_but_another_installations_is_not() {
        assertThat(route("loop-own-marker.eml", CATCH_ALL).all()).extracting(RoutedRecipient::reason).containsExactly(LOOP);
        assertThat(route("other-installation-marker.eml", CATCH_ALL).all()).extracting(RoutedRecipient::reason)
                .containsExactly(ROUTED);
    }

    @Test
    void single_accounts_go_to_their_targets_whatever_the_headers_say() {
        RoutingSettings single = RoutingSettings.single(List.of("shared@example.com"), List.of("example.com"));
        assertThat(route("foreign-beside-local.eml", single).all())
                .containsExactly(new RoutedRecipient("shared@example.com", "shared@example.com", "account", ROUTED));
    }

    @Test
    void a_single_target_outside_the_accepted_domains_is_not_relayed() {
        RoutingSettings single = RoutingSettings.single(List.of("someone@gmail.com"), List.of("example.com"));
        assertThat(route("isp-copy-alice.eml", single).all())
                .containsExactly(new RoutedRecipient("postmaster@example.com", "someone@gmail.com", "account", FALLBACK_FOREIGN_DOMAIN));
    }

    @Test
    void garbage_in_to_gives_a_clear_fallback_decision() {
        RoutingDecision decision = route("garbage-to.eml", CATCH_ALL_GUESSING);
        assertThat(decision.all()).extracting(RoutedRecipient::address, RoutedRecipient::reason)
                .containsExactly(tuple("postmaster@example.com", FALLBACK_NO_LOCAL_RECIPIENT));
        assertThat(decision.notes()).anySatisfy(n -> assertThat(n).startsWith("To: not a valid RFC 5322 address list"));
    }

    @Test
    void eight_bit_headers_and_a_ten_thousand_character_line_are_routed_normally() {
        RoutingDecision eightBit = route("eight-bit.eml", CATCH_ALL);
        assertThat(eightBit.delivered()).extracting(RoutedRecipient::address).containsExactly("alice@example.com");
        assertThat(eightBit.summary().subject()).isEqualTo("Grüße aus Köln");
        assertThat(route("long-header-line.eml", CATCH_ALL).delivered()).extracting(RoutedRecipient::address)
                .containsExactly("alice@example.com");
    }

    @Test
    void without_a_blank_line_the_header_ends_at_the_first_non_header_line() {
        RoutingDecision decision = route("no-blank-line.eml", CATCH_ALL);
        assertThat(decision.delivered()).extracting(RoutedRecipient::address)
                .as("the Delivered-To inside the body is not a header").containsExactly("alice@example.com");
        assertThat(decision.malformed()).isTrue();
        assertThat(decision.notes()).anySatisfy(n -> assertThat(n).contains("no blank line"));
    }

    @Test
    void control_characters_never_reach_an_envelope_address() {
        RoutingDecision strict = route("control-chars-in-envelope.eml", CATCH_ALL);
        assertThat(strict.all()).extracting(RoutedRecipient::address, RoutedRecipient::reason)
                .containsExactly(tuple("postmaster@example.com", FALLBACK_NO_LOCAL_RECIPIENT));
        assertThat(strict.notes()).anySatisfy(n -> assertThat(n).contains("control character (U+000D)"))
                .anySatisfy(n -> assertThat(n).contains("control character (U+0000)"));
        RoutingDecision guessing = route("control-chars-in-envelope.eml", CATCH_ALL_GUESSING);
        assertThat(guessing.delivered()).extracting(RoutedRecipient::address).containsExactly("alice@example.com");
    }

    @Test
    void rules_rewrite_by_exact_wildcard_and_regex_with_captures_in_precedence_order() {
        CompiledRule exact = CompiledRule.of(UUID.fromString("00000000-0000-0000-0000-000000000001"), RuleType.EXACT,
                "alias@example.com", List.of("alice@example.com", "bob@example.com"), 10);
        CompiledRule oldDomain = CompiledRule.of(UUID.fromString("00000000-0000-0000-0000-000000000002"), RuleType.WILDCARD,
                "*@old-domain.de", List.of("*@example.com"), 20);
        CompiledRule sales = CompiledRule.of(UUID.fromString("00000000-0000-0000-0000-000000000003"), RuleType.WILDCARD,
                "sales-*@example.com", List.of("sales@example.com"), 20);
        CompiledRule tickets = CompiledRule.of(UUID.fromString("00000000-0000-0000-0000-000000000004"), RuleType.REGEX,
                "ticket-(?<num>\\d+)@example\\.com", List.of("support+${num}@example.com"), 30);
        CompiledRule shadowed = CompiledRule.of(UUID.fromString("00000000-0000-0000-0000-000000000005"), RuleType.REGEX,
                "ticket-(\\d+)@example\\.com", List.of("nobody@example.com"), 40);
        RoutingContext context = new RoutingContext(CONTEXT.acceptedDomains(),
                new RuleSet(List.of(shadowed, tickets, sales, oldDomain, exact)), "popbridge", 50, Optional.empty());
        RoutingSettings routing = RoutingSettings.catchAll(List.of("example.com", "old-domain.de"), List.of(), false);
        assertThat(route("rules.eml", routing, context).all())
                .extracting(RoutedRecipient::address, RoutedRecipient::original, RoutedRecipient::source, RoutedRecipient::reason)
                .containsExactly(
                        tuple("info@example.com", "info@old-domain.de", "Envelope-To+rule:" + oldDomain.id(), ROUTED),
                        tuple("sales@example.com", "sales-north@example.com", "Envelope-To+rule:" + sales.id(), ROUTED),
                        tuple("support+4711@example.com", "ticket-4711@example.com", "Envelope-To+rule:" + tickets.id(), ROUTED),
                        tuple("alice@example.com", "alias@example.com", "Envelope-To+rule:" + exact.id(), ROUTED),
                        tuple("bob@example.com", "alias@example.com", "Envelope-To+rule:" + exact.id(), ROUTED));
    }

    @Test
    void the_privacy_option_removes_only_the_envelope_headers() {
        RoutingSettings hide = new RoutingSettings(CATCH_ALL.mode(), List.of(), List.of("example.com"), List.of(), false, true);
        RoutingDecision decision = route("privacy.eml", hide);
        byte[] original = Eml.load("privacy.eml");
        String cut = new String(RawMessage.parse(original).without(decision.removeHeaders()), StandardCharsets.ISO_8859_1);
        String expected = new String(original, StandardCharsets.ISO_8859_1)
                .replace("Delivered-To: hidden@example.com\r\n", "")
                .replace("X-Original-To: hidden@example.com\r\n", "");
        assertThat(cut).isEqualTo(expected).contains("Received: from mx.isp.net").endsWith("body stays byte for byte\r\n");
    }

    @Test
    void the_same_input_gives_the_same_decision() {
        for (String eml : List.of("to-cc-fallback.eml", "rules.eml", "eight-bit.eml", "loop-hop-count.eml")) {
            assertThat(route(eml, CATCH_ALL_GUESSING)).isEqualTo(route(eml, CATCH_ALL_GUESSING));
        }
    }

    @Test
    void without_an_accepted_account_domain_nothing_is_delivered_and_the_decision_says_why() {
        RoutingSettings unknown = RoutingSettings.catchAll(List.of("unknown.org"), List.of(), false);
        RoutingDecision decision = route("none-local.eml", unknown);
        assertThat(decision.delivered()).isEmpty();
        assertThat(decision.unroutable()).hasValueSatisfying(why -> assertThat(why).contains("no fallback mailbox"));
    }

    @Test
    void the_accounts_source_order_decides_and_custom_headers_work() {
        byte[] message = ("Return-Path: <s@partner.org>\r\nX-Rcpt: Custom@Example.com\r\nDelivered-To: alice@example.com\r\n"
                + "X-Original-To: bob@example.com\r\nMessage-ID: <o@p>\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        RoutingSettings custom = RoutingSettings.catchAll(List.of("example.com"), List.of("X-Rcpt", "Delivered-To"), false);
        RoutingSettings originalFirst = RoutingSettings.catchAll(List.of("example.com"), List.of("X-Original-To", "Delivered-To"), false);
        assertThat(Router.route(RawMessage.parse(message), custom, CONTEXT).all())
                .containsExactly(new RoutedRecipient("Custom@example.com", "Custom@example.com", "X-Rcpt", ROUTED));
        assertThat(Router.route(RawMessage.parse(message), originalFirst, CONTEXT).all()).extracting(RoutedRecipient::address)
                .containsExactly("bob@example.com");
    }

    @Test
    void a_rule_that_produces_no_address_sends_the_recipient_to_the_fallback() {
        CompiledRule broken = CompiledRule.of(UUID.randomUUID(), RuleType.REGEX, "(.*)@example\\.com", List.of("$1"), 1);
        RoutingContext context = new RoutingContext(CONTEXT.acceptedDomains(), new RuleSet(List.of(broken)), "popbridge", 50,
                Optional.empty());
        RoutingDecision decision = route("isp-copy-alice.eml", CATCH_ALL, context);
        assertThat(decision.all()).containsExactly(new RoutedRecipient("postmaster@example.com", "alice@example.com",
                "Delivered-To+rule:" + broken.id(), FALLBACK_NO_LOCAL_RECIPIENT));
        assertThat(decision.notes()).anySatisfy(n -> assertThat(n).contains("which is not an address"));
    }

    @Test
    void bare_lf_line_endings_and_folded_envelope_headers_are_read() {
        byte[] message = "Return-Path: <s@partner.org>\nEnvelope-To: alice@example.com,\n\tbob@example.com\nSubject: x\n\nbody\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(Router.route(RawMessage.parse(message), CATCH_ALL, CONTEXT).delivered()).extracting(RoutedRecipient::address)
                .containsExactly("alice@example.com", "bob@example.com");
    }
}
