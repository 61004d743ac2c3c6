package io.pgmetrics.exporter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Passwords never reach a log line or an error message. */
class RedactionTest {

    @Test
    void passwordsNeverSurviveRedaction() {
        assertThat(Redaction.redact("cannot connect to postgresql://mon:s3cr%40t@db:5432/x?sslmode=disable"))
                .isEqualTo("cannot connect to postgresql://mon:****@db:5432/x?sslmode=disable");
        assertThat(Redaction.redact("host=db password=s3cret user=x")).isEqualTo("host=db password=**** user=x");
        assertThat(Redaction.redact("host=db password='a b\\'c' user=x")).isEqualTo("host=db password=**** user=x");
        assertThat(Redaction.redact("jdbc:postgresql://db/x?user=u&password=hunter2&ssl=true"))
                .doesNotContain("hunter2");
        assertThat(Redaction.redact("{\"password\":\"x\\\"y\"}")).isEqualTo("{\"password\":\"****\"}");
    }

    @Test
    void aRawAtOrColonInAUrlPasswordIsMaskedWhole() {
        // the parser takes the user info up to the last '@' before the path, and the user up to the first ':'
        for (String[] userAndPassword : new String[][] {
            {"mon", "p@ss"}, {"mon", "p@ss@word:x"}, {"m@n", "pw@"}, {"mon", "@lead"}, {"mon", "a b@c"}
        }) {
            String url = "postgresql://" + userAndPassword[0] + ":" + userAndPassword[1] + "@db:5432/x?sslmode=disable";
            io.pgmetrics.core.connect.Dsn parsed = io.pgmetrics.core.connect.Dsn.parse(url);
            assertThat(parsed.password().orElseThrow().reveal()).isEqualTo(userAndPassword[1]);
            String line = Redaction.redact("cannot connect to " + url + ": refused");
            assertThat(line)
                    .as(url)
                    .isEqualTo("cannot connect to postgresql://" + userAndPassword[0]
                            + ":****@db:5432/x?sslmode=disable: refused");
        }
    }
}
