package io.popbridge.router.address;

import static org.assertj.core.api.Assertions.assertThat;

import io.popbridge.router.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Property tests with a seeded generator (reproducible: the seed is in the failure message).
 * 1. Whatever the input, nothing throws and every address is envelope-safe (printable ASCII, LDH domain).
 * 2. A well-formed list built from known mailboxes (display names with commas and quotes, comments, groups,
 *    encoded words, folding) yields exactly those mailboxes, in order.
 */
class AddressParserPropertyTest {
    static final long SEED = 20261122L;
    static final int RUNS = 3000;
    static final Pattern SAFE_LOCAL = Pattern.compile("[\\x21-\\x7e]+|\"[\\x20-\\x7e]*\"");
    static final Pattern SAFE_DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    static final String[] NASTY = {"\r", "\n", "\r\n", "\u0000", "\u0007", "\u007f", "\u0085", "\t", "<", ">", "\"", "\\",
            "(", ")", ",", ";", ":", "@", "@@", ".", "..", " ", "=?UTF-8?B?", "?=", "\u00e4", "\u202e", "\ud83d\ude00",
            "[1.2.3.4]", "RCPT TO:<x@evil.org>", "%0d%0a", "undisclosed-recipients:;"};

    @Test
    void no_input_throws_and_every_address_found_is_envelope_safe() {
        Random random = new Random(SEED);
        for (int run = 0; run < RUNS; run++) {
            String value = noise(random);
            ParsedAddresses parsed = AddressParser.parseList(value);
            for (EnvelopeAddress a : parsed.addresses()) {
                String why = "seed " + SEED + " run " + run + " input " + escape(value) + " gave " + escape(a.address());
                assertThat(SAFE_LOCAL.matcher(a.localPart()).matches()).as(why).isTrue();
                assertThat(SAFE_DOMAIN.matcher(a.domain()).matches()).as(why).isTrue();
                assertThat(a.address()).as(why).doesNotContain("\r", "\n", "\u0000");
                assertThat(AddressParser.parseOne(a.address())).as("round trip: " + why).contains(a);
            }
        }
    }

    @Test
    void well_formed_lists_yield_exactly_their_mailboxes_in_order() {
        Random random = new Random(SEED + 1);
        for (int run = 0; run < RUNS; run++) {
            int n = 1 + random.nextInt(6);
            Map<String, String> expected = new LinkedHashMap<>();
            List<String> parts = new ArrayList<>();
            List<String> group = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String local = random.nextInt(5) == 0 ? "\"" + word(random) + " " + word(random) + "\"" : word(random) + "." + word(random);
                String domain = word(random) + "." + (random.nextBoolean() ? "example" : "EXAMPLE.com");
                String address = local + "@" + domain;
                expected.putIfAbsent(address.toLowerCase(), local + "@" + domain.toLowerCase());
                String mailbox = switch (random.nextInt(5)) {
                    case 0 -> address;
                    case 1 -> "\"" + word(random) + ", " + word(random) + " \\\"x\\\"\" <" + address + ">";
                    case 2 -> "=?UTF-8?B?" + Base64.getEncoder().encodeToString(("Ä" + word(random)).getBytes(StandardCharsets.UTF_8))
                            + "?= <" + address + ">";
                    case 3 -> address + " (" + word(random) + " (nested) comment)";
                    default -> word(random) + " <" + address + ">";
                };
                if (random.nextInt(4) == 0) {
                    group.add(mailbox);
                } else {
                    parts.add(mailbox);
                }
            }
            if (!group.isEmpty()) {
                parts.add(random.nextInt(parts.size() + 1), "Team " + word(random) + ": " + String.join(", ", group) + ";");
            }
            if (random.nextBoolean()) {
                parts.add("undisclosed-recipients:;");
            }
            String header = String.join(random.nextBoolean() ? ", " : ",\r\n\t", parts);
            // the parser sees the unfolded value, as RawMessage hands it over
            String unfolded = new String(RawMessage.parse(("To: " + header + "\r\n\r\n").getBytes(StandardCharsets.UTF_8))
                    .fields().get(0).value());
            ParsedAddresses parsed = AddressParser.parseList(unfolded);
            // group members come where the group is, so compare as sets plus size
            assertThat(parsed.addresses()).as("seed %d run %d: %s", SEED + 1, run, header)
                    .extracting(EnvelopeAddress::address).containsExactlyInAnyOrderElementsOf(expected.values());
            assertThat(parsed.rejected()).as("seed %d run %d: %s", SEED + 1, run, header).isEmpty();
        }
    }

    @Test
    void the_fast_path_for_bare_addresses_agrees_with_mime4j() {
        Random random = new Random(SEED + 3);
        String[] pieces = {"a", "Z", "0", "-", ".", "..", "+", "'", "_", "~", "@", "<", ">", " ", "xn--bcher-kva", "-x", "x-"};
        int fast = 0;
        for (int run = 0; run < RUNS; run++) {
            StringBuilder value = new StringBuilder(random.nextBoolean() ? "<" : "");
            for (int i = 1 + random.nextInt(4); i > 0; i--) {
                value.append(pieces[random.nextInt(pieces.length)]);
            }
            value.append(random.nextInt(4) == 0 ? "" : "@");
            for (int i = 1 + random.nextInt(4); i > 0; i--) {
                value.append(pieces[random.nextInt(pieces.length)]);
            }
            value.append(random.nextBoolean() ? ">" : "").append(random.nextInt(5) == 0 ? " " : "");
            String v = value.toString();
            ParsedAddresses general = AddressParser.parseWithMime4j(v);
            ParsedAddresses parsed = AddressParser.parseList(v);
            fast += general.addresses().size() == 1 ? 1 : 0;
            assertThat(parsed.addresses()).as("seed %d run %d: %s", SEED + 3, run, v).isEqualTo(general.addresses());
            assertThat(parsed.rejected().isEmpty()).as("seed %d run %d: %s", SEED + 3, run, v).isEqualTo(general.rejected().isEmpty());
        }
        assertThat(fast).as("inputs that are one valid address").isGreaterThan(RUNS / 20);
    }

    @Test
    void raw_message_parsing_survives_random_bytes() {
        Random random = new Random(SEED + 2);
        for (int run = 0; run < RUNS; run++) {
            byte[] bytes = new byte[random.nextInt(400)];
            random.nextBytes(bytes);
            if (random.nextBoolean()) {
                byte[] head = "Delivered-To: a@example.com\r\nTo: ".getBytes(StandardCharsets.US_ASCII);
                byte[] joined = new byte[head.length + bytes.length];
                System.arraycopy(head, 0, joined, 0, head.length);
                System.arraycopy(bytes, 0, joined, head.length, bytes.length);
                bytes = joined;
            }
            RawMessage message = RawMessage.parse(bytes);
            int previousEnd = 0;
            for (var field : message.fields()) {
                assertThat(field.start()).isEqualTo(previousEnd);
                assertThat(field.end()).isGreaterThan(field.start());
                previousEnd = field.end();
                AddressParser.parseList(field.value()).addresses().forEach(a ->
                        assertThat(a.address()).doesNotContain("\r", "\n", "\u0000"));
            }
            assertThat(message.without(List.of("X-Not-There"))).isEqualTo(bytes);
        }
    }

    private static String noise(Random random) {
        StringBuilder out = new StringBuilder();
        int tokens = random.nextInt(12);
        for (int i = 0; i < tokens; i++) {
            switch (random.nextInt(4)) {
                case 0 -> out.append(NASTY[random.nextInt(NASTY.length)]);
                case 1 -> out.append(word(random)).append('@').append(word(random)).append(".example");
                case 2 -> out.append(word(random));
                default -> out.append((char) random.nextInt(0x250));
            }
        }
        return out.toString();
    }

    private static String word(Random random) {
        String letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder out = new StringBuilder();
        int length = 1 + random.nextInt(8);
        for (int i = 0; i < length; i++) {
            out.append(letters.charAt(random.nextInt(letters.length())));
        }
        return out.toString();
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", c) : new String(Character.toChars(c))));
        return out.toString();
    }
}
