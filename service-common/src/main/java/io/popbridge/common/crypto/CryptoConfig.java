package io.popbridge.common.crypto;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;

/** {@code popbridge.crypto.*}: the at-rest encryption keys (from a Kubernetes Secret or the environment). */
@ConfigMapping(prefix = "popbridge.crypto")
public interface CryptoConfig {
    /** Key id used for new secrets. */
    @WithDefault("k1")
    String currentKeyId();

    /** Key id → base64 of 32 random bytes ({@code openssl rand -base64 32}). */
    Map<String, String> keys();
}
