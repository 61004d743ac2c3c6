package io.pgmetrics.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.yaml.Durations;
import io.pgmetrics.exporter.http.Budgets;
import io.pgmetrics.exporter.http.Exposition;
import io.pgmetrics.exporter.logging.Redaction;
import io.pgmetrics.exporter.probe.ProbeAllowList;
import io.pgmetrics.exporter.probe.ProbeEndpoint;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Budgets, redaction, the probe allow-list, durations and content negotiation. */
class SmallPartsTest {

    @Test
    void budgetFollowsTheScrapeTimeoutHeaderCappedByTheCollectionTimeout() {
        Duration cap = Duration.ofMinutes(1);
        Duration none = Duration.ofMillis(9500);
        assertThat(Budgets.of("10", cap, none)).isEqualTo(Duration.ofMillis(9500));
        assertThat(Budgets.of("2.5", cap, none)).isEqualTo(Duration.ofSeconds(2));
        assertThat(Budgets.of("0.5", cap, none)).isEqualTo(Duration.ofMillis(250));
        assertThat(Budgets.of("120", cap, none)).isEqualTo(cap);
        assertThat(Budgets.of(null, cap, none)).isEqualTo(none);
        assertThat(Budgets.of("junk", cap, none)).isEqualTo(none);
        assertThat(Budgets.of(null, Duration.ofSeconds(3), none)).isEqualTo(Duration.ofSeconds(3));
    }

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

    @Test
    void probeAllowListTakesNamesGlobsAndRanges() {
        ProbeAllowList l =
                new ProbeAllowList(List.of("db1.example.com", "*.prod.example.com", "10.0.0.0/8", "fd00::/8"));
        assertThat(l.allows("db1.example.com")).isTrue();
        assertThat(l.allows("DB1.example.com")).isTrue();
        assertThat(l.allows("x.prod.example.com")).isTrue();
        assertThat(l.allows("prod.example.com.evil.net")).isFalse();
        assertThat(l.allows("10.1.2.3")).isTrue();
        assertThat(l.allows("11.1.2.3")).isFalse();
        assertThat(l.allows("[fd00::1]")).isTrue();
        assertThat(new ProbeAllowList(List.of()).allows("anything")).isTrue();
        assertThat(ProbeAllowList.valid("10.0.0.0/33")).isFalse();
        assertThat(ProbeAllowList.valid("db/8")).isFalse();
    }

    @Test
    void goDurations() {
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("300ms")).isEqualTo(Duration.ofMillis(300));
        assertThat(Durations.format(Duration.ofMinutes(1))).isEqualTo("1m");
    }

    @Test
    void contentNegotiation() {
        assertThat(Exposition.wantsOpenMetrics("application/openmetrics-text;version=1.0.0,text/plain;q=0.5"))
                .isTrue();
        assertThat(Exposition.wantsOpenMetrics("text/plain")).isFalse();
        assertThat(Exposition.acceptsGzip("deflate, gzip;q=1.0")).isTrue();
        assertThat(Exposition.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(Exposition.nameFilter("name%5B%5D=pg_up&name[]=a&x=1")).containsExactly("pg_up", "a");
        assertThat(ProbeEndpoint.normalize("db:5432/x")).isEqualTo("postgresql://db:5432/x");
        assertThat(ProbeEndpoint.normalize("host=db dbname=x")).isEqualTo("host=db dbname=x");
    }
}
