package io.popbridge.common.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for secrets at rest (POP3 passwords, SMTP credentials). The stored form is
 * {@code v1:<keyId>:<base64(iv|ciphertext|tag)>}; the key id selects the key, so keys can be rotated:
 * encrypt with the current key, decrypt with any configured one. The key id is authenticated data.
 */
public final class SecretCipher {
    private static final String PREFIX = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final String currentKeyId;
    private final Map<String, SecretKeySpec> keys;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param currentKeyId the key id new secrets are encrypted with
     * @param base64Keys   key id → base64 of a 32-byte key
     */
    public SecretCipher(String currentKeyId, Map<String, String> base64Keys) {
        this.currentKeyId = Objects.requireNonNull(currentKeyId, "currentKeyId");
        if (!currentKeyId.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new IllegalArgumentException("key id must be 1-32 letters, digits, '-' or '_'");
        }
        this.keys = new java.util.HashMap<>();
        base64Keys.forEach((id, key) -> this.keys.put(id, aesKey(id, key)));
        if (!keys.containsKey(currentKeyId)) {
            throw new IllegalArgumentException("no key configured for the current key id '" + currentKeyId + "'");
        }
    }

    private static SecretKeySpec aesKey(String id, String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("encryption key '" + id + "' is not base64");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException("encryption key '" + id + "' must be 32 bytes (AES-256), is " + raw.length);
        }
        return new SecretKeySpec(raw, "AES");
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    public String encrypt(String plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(currentKeyId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return PREFIX + ":" + currentKeyId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public String decrypt(String stored) {
        String[] parts = stored == null ? new String[0] : stored.split(":", 3);
        if (parts.length != 3 || !PREFIX.equals(parts[0])) {
            throw new IllegalArgumentException("not an encrypted secret");
        }
        SecretKeySpec key = keys.get(parts[1]);
        if (key == null) {
            throw new IllegalStateException("secret was encrypted with key id '" + parts[1] + "', which is not configured");
        }
        byte[] in = Base64.getDecoder().decode(parts[2]);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(parts[1].getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("secret cannot be decrypted with key id '" + parts[1] + "' (wrong key or tampered)");
        }
    }

    /** The key id a stored secret was encrypted with (for rotation reports). */
    public static String keyIdOf(String stored) {
        String[] parts = stored.split(":", 3);
        return parts.length == 3 ? parts[1] : "";
    }
}
