package io.popbridge.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackHomeTest {

    @Test
    void the_admin_password_is_exactly_what_its_file_holds(@TempDir Path dir) throws Exception {
        StackHome home = new StackHome(dir);
        String generated = home.adminPassword();
        assertThat(generated).matches("[A-Za-z0-9_-]{16}");
        assertThat(Files.readString(dir.resolve("admin-password")).trim()).isEqualTo(generated);
        assertThat(home.adminPassword()).isEqualTo(generated);

        Files.writeString(dir.resolve("admin-password"), "my+own/pass=\n"); // the README: edit the file to choose your own
        assertThat(home.adminPassword()).isEqualTo("my+own/pass=");
    }
}
