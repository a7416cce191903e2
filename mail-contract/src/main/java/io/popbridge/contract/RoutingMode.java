package io.popbridge.contract;

/** How the router finds recipients for an account's messages. */
public enum RoutingMode {
    /** 1:1 mailbox: every message goes to the configured target address(es), whatever the headers say. */
    SINGLE,
    /** Multidrop mailbox: recipients come from envelope headers, restricted to the account's domains. */
    CATCH_ALL
}
