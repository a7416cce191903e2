package io.popbridge.stack.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;

/**
 * Command-line flags ({@code --isp-host mail.isp.example} or {@code --isp-host=...}) and/or a properties file
 * ({@code --config local.properties}, same keys without the dashes); flags win over the file.
 */
public final class LauncherOptions {
    static final Set<String> KEYS = Set.of("config", "home", "domain", "fallback",
            "isp-host", "isp-port", "isp-security", "isp-user", "isp-password", "isp-mode", "isp-target",
            "isp-oauth2-token-url", "isp-oauth2-client-id", "isp-oauth2-client-secret", "isp-oauth2-refresh-token",
            "isp-oauth2-scope",
            "exchange-host", "exchange-port", "exchange-security",
            "demo-pop3-port", "demo-smtp-port", "demo-interval", "kafka-port", "postgres-port", "help");

    public static final String HELP = """
            ./popbridge-local [--no-build] [--config file.properties] [--key value ...]
              (no flags)            demo: a POP3 ISP and an Exchange stand-in in this JVM, sample mail flowing
              --isp-host H          a real ISP instead of the demo POP3 server (with --isp-user, --isp-password)
              --isp-port N          default 995 with --isp-security TLS, else 110
              --isp-security S      NONE | STARTTLS | TLS (default TLS)
              --isp-mode M          SINGLE (all mail to --isp-target) | CATCH_ALL (envelope headers; default)
              --isp-oauth2-token-url U  XOAUTH2 instead of --isp-password (Gmail, Microsoft 365), with
                                    --isp-oauth2-client-id, --isp-oauth2-refresh-token [, --isp-oauth2-client-secret,
                                    --isp-oauth2-scope]
              --exchange-host H     a real Exchange (SMTP) instead of the stand-in
              --exchange-port N     default 25;  --exchange-security NONE | STARTTLS_IF_OFFERED | STARTTLS_REQUIRED | TLS
              --domain D            the accepted domain (default example.com); --fallback ADDRESS (default postmaster@D)
              --demo-interval S     seconds between new demo messages (default 20, 0 = none)
              --demo-pop3-port N, --demo-smtp-port N, --kafka-port N, --postgres-port N, --home DIR (default .local)
            """;

    private final Properties values = new Properties();

    private LauncherOptions() {
    }

    public static LauncherOptions parse(String... args) {
        LauncherOptions options = new LauncherOptions();
        Properties flags = new Properties();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg + "\n" + HELP);
            }
            String key = arg.substring(2);
            String value;
            if (key.contains("=")) {
                value = key.substring(key.indexOf('=') + 1);
                key = key.substring(0, key.indexOf('='));
            } else if (key.equals("help")) {
                value = "true";
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + key + " needs a value");
            }
            requireKnown(key);
            flags.setProperty(key, value);
        }
        if (flags.containsKey("config")) {
            try (Reader reader = Files.newBufferedReader(Path.of(flags.getProperty("config")))) {
                Properties file = new Properties();
                file.load(reader);
                file.stringPropertyNames().forEach(LauncherOptions::requireKnown);
                options.values.putAll(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + flags.getProperty("config"), e);
            }
        }
        options.values.putAll(flags);
        return options;
    }

    private static void requireKnown(String key) {
        if (!KEYS.contains(key)) {
            throw new IllegalArgumentException("unknown option " + key + "\n" + HELP);
        }
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String get(String key, String fallback) {
        return values.getProperty(key, fallback);
    }

    public int getInt(String key, int fallback) {
        return Integer.parseInt(get(key, Integer.toString(fallback)));
    }

    public String require(String key) {
        String value = values.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + key + " is required here\n" + HELP);
        }
        return value;
    }
}
