package io.popbridge.router.address;

import java.util.List;

/**
 * What a header value yielded: valid envelope addresses, and the parts that were rejected with why.
 *
 * @param addresses valid addresses in header order, without repeats
 * @param rejected  readable notes about what could not be used ("garbage <<<": not an address)
 */
public record ParsedAddresses(List<EnvelopeAddress> addresses, List<String> rejected) {
    public ParsedAddresses {
        addresses = List.copyOf(addresses);
        rejected = List.copyOf(rejected);
    }

    public static ParsedAddresses none(String why) {
        return new ParsedAddresses(List.of(), List.of(why));
    }
}
