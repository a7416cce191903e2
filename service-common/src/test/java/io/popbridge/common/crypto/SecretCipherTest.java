package io.popbridge.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretCipherTest {
    private static final String K1 = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void round_trips_and_never_stores_the_plaintext() {
        SecretCipher cipher = new SecretCipher("k1", Map.of("k1", K1));
        String stored = cipher.encrypt("pw-pop001");
        assertThat(stored).startsWith("v1:k1:").doesNotContain("pw-pop001");
        assertThat(cipher.decrypt(stored)).isEqualTo("pw-pop001");
        assertThat(cipher.encrypt("pw-pop001")).as("random IV").isNotEqualTo(stored);
    }

    @Test
    void decrypts_secrets_of_a_previous_key_after_rotation() {
        String old = new SecretCipher("k1", Map.of("k1", K1)).encrypt("secret");
        SecretCipher rotated = new SecretCipher("k2", Map.of("k1", K1, "k2", K2));
        assertThat(rotated.decrypt(old)).isEqualTo("secret");
        assertThat(SecretCipher.keyIdOf(rotated.encrypt("secret"))).isEqualTo("k2");
    }

    @Test
    void rejects_tampering_and_unknown_keys() {
        SecretCipher cipher = new SecretCipher("k1", Map.of("k1", K1));
        String stored = cipher.encrypt("secret");
        String tampered = stored.substring(0, stored.length() - 4) + (stored.endsWith("AAA=") ? "BBB=" : "AAA=");
        assertThatThrownBy(() -> cipher.decrypt(tampered)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cipher.decrypt(stored.replace("v1:k1:", "v1:k9:"))).hasMessageContaining("k9");
        assertThatThrownBy(() -> new SecretCipher("k1", Map.of("k1", "c2hvcnQ="))).hasMessageContaining("32 bytes");
    }
}
