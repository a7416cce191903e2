package io.popbridge.contract;

/** A Kafka record that does not follow the contract (missing or malformed header, bad JSON). */
public class ContractException extends RuntimeException {
    public ContractException(String message) {
        super(message);
    }

    public ContractException(String message, Throwable cause) {
        super(message, cause);
    }
}
