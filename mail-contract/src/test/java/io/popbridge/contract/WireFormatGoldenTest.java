package io.popbridge.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

/**
 * Pins the wire format: every service reads what another wrote, possibly an older version of it.
 * A change here must be deliberate (a new topic version), so these compare against files byte by byte.
 */
class WireFormatGoldenTest {
    private static final String ACCOUNT = "0b7e1c2a-5d4f-4e8a-9c3b-1f2e3d4c5b6a";
    private static final Instant FETCHED_AT = Instant.parse("2026-11-22T06:30:00Z");

    @Test
    void pbid_is_a_stable_function_of_account_and_uidl() {
        assertThat(Pbid.of(ACCOUNT, "UID-0001")).isEqualTo(golden("pbid.txt").trim());
        assertThat(Pbid.of(ACCOUNT, "UID-0001")).isEqualTo(Pbid.of(ACCOUNT, "UID-0001"));
        assertThat(Pbid.of(ACCOUNT, "UID-0002")).isNotEqualTo(Pbid.of(ACCOUNT, "UID-0001"));
        assertThat(Pbid.of(ACCOUNT + "x", "UID-0001")).isNotEqualTo(Pbid.of(ACCOUNT, "UID-0001"));
        // the separator keeps ("ab","c") and ("a","bc") apart
        assertThat(Pbid.of("ab", "c")).isNotEqualTo(Pbid.of("a", "bc"));
        assertThat(Pbid.isValid(Pbid.of(ACCOUNT, "x"))).isTrue();
        assertThat(Pbid.syntheticMessageId(Pbid.of(ACCOUNT, "UID-0001")))
                .isEqualTo("<" + Pbid.of(ACCOUNT, "UID-0001") + "@popbridge.invalid>");
    }

    @Test
    void fetched_headers_match_the_golden_file_and_read_back() {
        FetchedMail fetched = fetched();
        assertThat(render(fetched.toHeaders())).isEqualTo(golden("fetched-headers.txt"));
        assertThat(FetchedMail.fromHeaders(fetched.pbid(), fetched.toHeaders())).isEqualTo(fetched);
    }

    @Test
    void routed_headers_match_the_golden_file_and_read_back() {
        RoutedMail routed = RoutedMail.of(fetched(), "", List.of(
                        new RoutedRecipient("bob@example.com", "Bob@Example.COM", "Delivered-To", RouteReason.ROUTED),
                        new RoutedRecipient("postmaster@example.com", "eve@foreign.test", "Delivered-To", RouteReason.FALLBACK_FOREIGN_DOMAIN)),
                "postmaster@example.com", Instant.parse("2026-11-22T06:30:01Z"));
        assertThat(render(routed.toHeaders())).isEqualTo(golden("routed-headers.txt"));
        assertThat(RoutedMail.fromHeaders(routed.pbid(), routed.toHeaders())).isEqualTo(routed);
    }

    @Test
    void outcome_event_json_matches_the_golden_file_and_reads_back() {
        OutcomeEvent event = new OutcomeEvent(Pbid.of(ACCOUNT, "UID-0001"), OutcomeType.DELIVERED, ACCOUNT, "UID-0001",
                "bob@example.com", null, null, "250 2.0.0 Ok: queued as 4XyZ", 1, Instant.parse("2026-11-22T06:30:02.5Z"),
                "delivery", "<abc@sender.test>", "Alice <alice@sender.test>", "Quarterly report");
        String json = new String(new OutcomeEventSerializer().serialize(Topics.OUTCOMES, event), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo(golden("outcome-delivered.json").trim());
        assertThat(new OutcomeEventDeserializer().deserialize(Topics.OUTCOMES, json.getBytes(StandardCharsets.UTF_8))).isEqualTo(event);
    }

    @Test
    void routed_outcome_lists_decisions_and_the_recipients_delivery_will_report_on() {
        OutcomeEvent routed = OutcomeEvent.fromJson(golden("outcome-routed.json").getBytes(StandardCharsets.UTF_8));
        assertThat(routed.type()).isEqualTo(OutcomeType.ROUTED);
        assertThat(routed.type().isFinal()).isFalse();
        assertThat(routed.deliveredRecipients()).containsExactly("bob@example.com", "postmaster@example.com");
        assertThat(new String(routed.toJson(), StandardCharsets.UTF_8)).isEqualTo(golden("outcome-routed.json").trim());
    }

    @Test
    void final_outcomes_are_the_ones_that_allow_deletion() {
        assertThat(List.of(OutcomeType.values()).stream().filter(OutcomeType::isFinal))
                .containsExactly(OutcomeType.DUPLICATE, OutcomeType.DELIVERED, OutcomeType.FALLBACK, OutcomeType.PARKED);
    }

    @Test
    void records_that_break_the_contract_are_rejected_with_a_clear_message() {
        Headers headers = fetched().toHeaders();
        headers.remove(KafkaHeaders.UIDL);
        assertThatThrownBy(() -> FetchedMail.fromHeaders(fetched().pbid(), headers))
                .isInstanceOf(ContractException.class).hasMessageContaining(KafkaHeaders.UIDL);
        assertThatThrownBy(() -> FetchedMail.fromHeaders("not-a-pbid", fetched().toHeaders()))
                .isInstanceOf(ContractException.class).hasMessageContaining("pbid");
        assertThatThrownBy(() -> OutcomeEvent.fromJson("{\"pbid\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ContractException.class);
    }

    @Test
    void loop_marker_names_the_installation() {
        String value = TraceHeaders.loopMarkerValue("acme-prod", Pbid.of(ACCOUNT, "UID-0001"));
        assertThat(value).isEqualTo("installation=acme-prod; pbid=" + Pbid.of(ACCOUNT, "UID-0001"));
        assertThat(TraceHeaders.installationOf(value)).contains("acme-prod");
        assertThat(TraceHeaders.installationOf("garbage")).isEmpty();
    }

    private static FetchedMail fetched() {
        return new FetchedMail(Pbid.of(ACCOUNT, "UID-0001"), ACCOUNT, "catchall@isp", "UID-0001", FETCHED_AT, 20480,
                "pop.isp.test:995", RoutingSettings.catchAll(List.of("example.com", "example.org"),
                RoutingSettings.DEFAULT_ENVELOPE_SOURCES, true));
    }

    private static String render(Headers headers) {
        return StreamSupport.stream(headers.spliterator(), false)
                .map(h -> h.key() + ": " + new String(h.value(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static String golden(String name) {
        try (InputStream in = WireFormatGoldenTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing golden file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
