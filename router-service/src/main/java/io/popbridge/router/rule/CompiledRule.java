package io.popbridge.router.rule;

import io.popbridge.router.address.AddressParser;
import io.popbridge.router.address.EnvelopeAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** A rule ready to match: its pattern compiled once. {@link #apply} yields the rewritten addresses, or empty. */
public record CompiledRule(UUID id, RuleType type, String pattern, List<String> targets, int position, Pattern regex) {

    /** Compiles a rule; throws {@link IllegalArgumentException} with a readable message if the pattern is unusable. */
    public static CompiledRule of(UUID id, RuleType type, String pattern, List<String> targets, int position) {
        Pattern regex = switch (type) {
            case EXACT -> Pattern.compile(Pattern.quote(pattern), Pattern.CASE_INSENSITIVE);
            case WILDCARD -> wildcard(pattern);
            case REGEX -> {
                try {
                    yield Pattern.compile(pattern, Pattern.CASE_INSENSITIVE);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("not a valid regular expression: " + e.getDescription());
                }
            }
        };
        return new CompiledRule(id, type, pattern, List.copyOf(targets), position, regex);
    }

    /** The source tag a rewrite appends to a recipient: {@code rule:<id>}. */
    public String tag() {
        return "rule:" + id;
    }

    /** Empty if the rule does not match; otherwise each target with its captures filled in (unvalidated). */
    public Optional<List<String>> apply(EnvelopeAddress address) {
        String subject = address.localPart() + "@" + address.domain();
        Matcher m = regex.matcher(subject);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>(targets.size());
        for (String target : targets) {
            out.add(switch (type) {
                case EXACT -> target;
                case WILDCARD -> fillStars(target, m);
                case REGEX -> fillGroups(target, m);
            });
        }
        return Optional.of(out);
    }

    /** Applies the rule and parses each result strictly; a result that is not an address is reported, not routed. */
    public RuleResult rewrite(EnvelopeAddress address) {
        Optional<List<String>> raw;
        try {
            raw = apply(address);
        } catch (RuntimeException e) { // e.g. a $3 that the regex has no group for
            return new RuleResult.Broken(this, "rule " + id + " cannot fill its target for " + address + ": " + e.getMessage());
        }
        if (raw.isEmpty()) {
            return new RuleResult.NoMatch();
        }
        List<EnvelopeAddress> rewritten = new ArrayList<>();
        for (String candidate : raw.get()) {
            Optional<EnvelopeAddress> parsed = AddressParser.parseOne(candidate);
            if (parsed.isEmpty()) {
                return new RuleResult.Broken(this, "rule " + id + " produced '" + candidate + "' for " + address
                        + ", which is not an address: " + AddressParser.whyNot(candidate));
            }
            if (!rewritten.contains(parsed.get())) {
                rewritten.add(parsed.get());
            }
        }
        return new RuleResult.Rewritten(this, rewritten);
    }

    private static Pattern wildcard(String pattern) {
        StringBuilder re = new StringBuilder();
        int from = 0;
        for (int star = pattern.indexOf('*'); star >= 0; star = pattern.indexOf('*', from)) {
            re.append(Pattern.quote(pattern.substring(from, star))).append("([^@]*)");
            from = star + 1;
        }
        re.append(Pattern.quote(pattern.substring(from)));
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
    }

    /** The n-th {@code *} of the target takes the n-th match (the last match if the target has more stars). */
    private static String fillStars(String target, Matcher m) {
        StringBuilder out = new StringBuilder();
        int group = 0;
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '*' && m.groupCount() > 0) {
                group = Math.min(group + 1, m.groupCount());
                out.append(m.group(group));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String fillGroups(String target, Matcher m) {
        StringBuilder out = new StringBuilder();
        m.appendReplacement(out, target); // the whole input matched, so only the filled target is appended
        return out.toString();
    }
}
