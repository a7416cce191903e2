package io.popbridge.common.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Makes the configured {@link SecretCipher} injectable; bad keys fail the start, not the first request. */
@ApplicationScoped
public class SecretCipherProducer {
    @Produces
    @ApplicationScoped
    SecretCipher secretCipher(CryptoConfig config) {
        return new SecretCipher(config.currentKeyId(), config.keys());
    }
}
