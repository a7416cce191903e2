package io.popbridge.router.address;

import java.net.IDN;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.DefaultAddressParser;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.apache.james.mime4j.field.address.ParseException;

/**
 * RFC 5322 address lists (display names, comments, groups, encoded words, quoted local parts) parsed with
 * mime4j, then held to what an SMTP envelope accepts. The strict parser reads the list; only if it rejects the
 * whole list does the lenient one split it, and each mailbox it finds must still pass the strict checks below.
 * Nothing here throws on input.
 */
public final class AddressParser {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern DOT_ATOM = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final int MAX_HEADER_VALUE = 64 * 1024;
    /** A bare addr-spec, optionally in angle brackets: what most envelope headers hold (no mime4j parser needed). */
    private static final Pattern SIMPLE = Pattern.compile("(<)?(" + DOT_ATOM.pattern() + ")@([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*)(>)?");

    private AddressParser() {
    }

    /** Every usable address of a header value such as {@code To} or {@code Delivered-To}. */
    public static ParsedAddresses parseList(String value) {
        if (value == null || value.isBlank()) {
            return ParsedAddresses.none("empty value");
        }
        if (value.length() > MAX_HEADER_VALUE) {
            return ParsedAddresses.none("value longer than " + MAX_HEADER_VALUE + " characters");
        }
        Optional<String> control = controlCharacter(value);
        if (control.isPresent()) {
            return ParsedAddresses.none("contains a control character (" + control.get() + ")");
        }
        java.util.regex.Matcher simple = SIMPLE.matcher(value.strip());
        if (simple.matches() && (simple.group(1) == null) == (simple.group(4) == null)) {
            Verdict verdict = check(simple.group(2), simple.group(3));
            return verdict instanceof Verdict.Valid valid ? new ParsedAddresses(List.of(valid.address()), List.of())
                    : new ParsedAddresses(List.of(), List.of(((Verdict.Invalid) verdict).why()));
        }
        return parseWithMime4j(value);
    }

    /** The general path (display names, comments, groups, encoded words, quoted local parts). */
    static ParsedAddresses parseWithMime4j(String value) {
        List<Mailbox> mailboxes;
        List<String> rejected = new ArrayList<>();
        try {
            AddressList list = DefaultAddressParser.DEFAULT.parseAddressList(value, DecodeMonitor.SILENT);
            mailboxes = list.flatten();
        } catch (ParseException | RuntimeException strictFailure) {
            rejected.add("not a valid RFC 5322 address list: " + abbreviate(value));
            try {
                mailboxes = LenientAddressParser.DEFAULT.parseAddressList(value).flatten();
            } catch (RuntimeException lenientFailure) {
                return new ParsedAddresses(List.of(), rejected);
            }
        }
        Map<String, EnvelopeAddress> found = new LinkedHashMap<>();
        for (Mailbox mailbox : mailboxes) {
            Verdict verdict = check(mailbox.getLocalPart(), mailbox.getDomain());
            if (verdict instanceof Verdict.Valid valid) {
                found.putIfAbsent(valid.address().key(), valid.address());
            } else if (verdict instanceof Verdict.Invalid invalid) {
                rejected.add(invalid.why());
            }
        }
        return new ParsedAddresses(List.copyOf(found.values()), rejected);
    }

    /** One address (an addr-spec or {@code <addr-spec>}, a rule target, a configured target or fallback). */
    public static Optional<EnvelopeAddress> parseOne(String value) {
        ParsedAddresses parsed = parseList(value);
        return parsed.addresses().size() == 1 && parsed.rejected().isEmpty()
                ? Optional.of(parsed.addresses().get(0)) : Optional.empty();
    }

    /** Why {@link #parseOne} refuses a value, for API error messages. */
    public static String whyNot(String value) {
        ParsedAddresses parsed = parseList(value);
        if (!parsed.rejected().isEmpty()) {
            return parsed.rejected().get(parsed.rejected().size() - 1);
        }
        return parsed.addresses().isEmpty() ? "no address" : "more than one address";
    }

    /** A domain name as we store and compare it: IDNA ASCII form, lower case, no trailing dot. */
    public static Optional<String> normaliseDomain(String domain) {
        if (domain == null || domain.isBlank() || controlCharacter(domain).isPresent()) {
            return Optional.empty();
        }
        String d = domain.strip();
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        try {
            d = IDN.toASCII(d, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (d.isEmpty() || d.length() > 253) {
            return Optional.empty();
        }
        for (String label : d.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.empty();
            }
        }
        return Optional.of(d);
    }

    /** The domain of an address-like string, lower case, or empty. */
    public static String domainOf(String address) {
        int at = address == null ? -1 : address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    private sealed interface Verdict {
        record Valid(EnvelopeAddress address) implements Verdict {
        }

        record Invalid(String why) implements Verdict {
        }
    }

    private static Verdict check(String localPart, String domain) {
        String shown = abbreviate((localPart == null ? "" : localPart) + (domain == null ? "" : "@" + domain));
        if (localPart == null || localPart.isEmpty()) {
            return new Verdict.Invalid("'" + shown + "': no local part");
        }
        if (domain == null || domain.isEmpty()) {
            return new Verdict.Invalid("'" + shown + "': no domain");
        }
        if (domain.startsWith("[")) {
            return new Verdict.Invalid("'" + shown + "': address literals are not routed");
        }
        Optional<String> normalDomain = normaliseDomain(domain);
        if (normalDomain.isEmpty()) {
            return new Verdict.Invalid("'" + shown + "': invalid domain");
        }
        Optional<String> local = envelopeLocalPart(localPart);
        if (local.isEmpty()) {
            return new Verdict.Invalid("'" + shown + "': local part is not printable ASCII");
        }
        if (local.get().length() > 64 + 2 || local.get().length() + 1 + normalDomain.get().length() > 254) {
            return new Verdict.Invalid("'" + shown + "': too long");
        }
        return new Verdict.Valid(new EnvelopeAddress(local.get(), normalDomain.get()));
    }

    /** A dot-atom stays as it is; any other printable-ASCII local part is written as a quoted string. */
    private static Optional<String> envelopeLocalPart(String localPart) {
        if (DOT_ATOM.matcher(localPart).matches()) {
            return Optional.of(localPart);
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < localPart.length(); i++) {
            char c = localPart.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return Optional.empty();
            }
            if (c == '"' || c == '\\') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return Optional.of(quoted.append('"').toString());
    }

    /** Any C0 control but HT (folding leaves it between words), DEL or C1; addresses themselves allow none. */
    private static Optional<String> controlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f)) {
                return Optional.of(String.format("U+%04X", (int) c));
            }
        }
        return Optional.empty();
    }

    static String abbreviate(String value) {
        String printable = value.codePoints()
                .map(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() <= 80 ? printable : printable.substring(0, 77) + "...";
    }
}
