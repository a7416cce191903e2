package io.popbridge.stack.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.popbridge.stack.demo.DemoConfiguration;
import io.popbridge.stack.http.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherConfigurationTest {

    @Test
    void flags_for_a_real_isp_and_exchange_become_one_account_and_one_target_with_escaped_secrets() {
        LauncherOptions options = LauncherOptions.parse("--isp-host", "pop.isp.example", "--isp-user", "office",
                "--isp-password", "p\"w\\1", "--exchange-host=exchange.example.local", "--domain", "corp.example");

        DemoConfiguration config = Launcher.configuration(options, "corp.example", null, null);

        JsonNode account = Json.parse(config.accountBody(config.accounts().get(0)));
        assertThat(account.path("host").asText()).isEqualTo("pop.isp.example");
        assertThat(account.path("port").asInt()).isEqualTo(995);
        assertThat(account.path("security").asText()).isEqualTo("TLS");
        assertThat(account.path("verifyCertificate").asBoolean()).isTrue();
        assertThat(account.path("auth").asText()).isEqualTo("USER_PASS");
        assertThat(account.path("password").asText()).isEqualTo("p\"w\\1");
        assertThat(account.path("oauth2").isNull()).isTrue();
        assertThat(account.path("routing").path("mode").asText()).isEqualTo("CATCH_ALL");
        assertThat(account.path("routing").path("domains").get(0).asText()).isEqualTo("corp.example");
        JsonNode target = Json.parse(config.targetBody());
        assertThat(target.path("host").asText()).isEqualTo("exchange.example.local");
        assertThat(target.path("port").asInt()).isEqualTo(25);
        assertThat(Json.parse(config.domainBody()).path("fallback").asText()).isEqualTo("postmaster@corp.example");
        assertThat(Json.parse(config.aliasRuleBody()).path("targets").get(0).asText()).isEqualTo("bob@corp.example");
    }

    @Test
    void oauth2_flags_make_an_xoauth2_account_without_a_password() {
        LauncherOptions options = LauncherOptions.parse("--isp-host", "outlook.office365.com", "--isp-user", "office@corp.example",
                "--isp-oauth2-token-url", "https://login.microsoftonline.com/t/oauth2/v2.0/token", "--isp-oauth2-client-id", "app",
                "--isp-oauth2-refresh-token", "0.AX-refresh", "--isp-oauth2-scope", "https://outlook.office.com/POP.AccessAsUser.All",
                "--exchange-host", "exchange.example.local");

        DemoConfiguration config = Launcher.configuration(options, "corp.example", null, null);

        JsonNode account = Json.parse(config.accountBody(config.accounts().get(0)));
        assertThat(account.path("auth").asText()).isEqualTo("XOAUTH2");
        assertThat(account.path("password").isNull()).isTrue();
        assertThat(account.path("oauth2").path("tokenUrl").asText()).isEqualTo("https://login.microsoftonline.com/t/oauth2/v2.0/token");
        assertThat(account.path("oauth2").path("clientId").asText()).isEqualTo("app");
        assertThat(account.path("oauth2").path("clientSecret").isNull()).isTrue();
        assertThat(account.path("oauth2").path("refreshToken").asText()).isEqualTo("0.AX-refresh");
        assertThat(account.path("oauth2").path("scope").asText()).isEqualTo("https://outlook.office.com/POP.AccessAsUser.All");
        assertThatThrownBy(() -> Launcher.configuration(LauncherOptions.parse("--isp-host", "h", "--isp-user", "u",
                "--isp-oauth2-token-url", "https://idp.example/token", "--isp-oauth2-client-id", "app",
                "--exchange-host", "x"), "corp.example", null, null))
                .hasMessageContaining("--isp-oauth2-refresh-token is required");
    }

    @Test
    void a_config_file_is_read_and_flags_win_over_it(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("site.properties");
        Files.writeString(file, "isp-host=pop.file.example\nisp-user=u\nisp-password=p\nisp-mode=SINGLE\n"
                + "isp-target=alice@example.com\nisp-security=NONE\nexchange-host=ex.file.example\n");

        LauncherOptions options = LauncherOptions.parse("--config", file.toString(), "--isp-host", "pop.flag.example");
        DemoConfiguration config = Launcher.configuration(options, "example.com", null, null);

        JsonNode account = Json.parse(config.accountBody(config.accounts().get(0)));
        assertThat(account.path("host").asText()).isEqualTo("pop.flag.example");
        assertThat(account.path("port").asInt()).isEqualTo(110);
        assertThat(account.path("routing").path("mode").asText()).isEqualTo("SINGLE");
        assertThat(account.path("routing").path("targets").get(0).asText()).isEqualTo("alice@example.com");
    }

    @Test
    void an_unknown_option_is_refused_with_the_help_text() {
        assertThatThrownBy(() -> LauncherOptions.parse("--isp-hots", "x"))
                .hasMessageContaining("unknown option isp-hots").hasMessageContaining("--exchange-host");
    }
}
