package io.pgmetrics.exporter.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The probe allow-list and how /probe reads its target. */
class ProbePartsTest {

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
    void aTargetWithoutSchemeIsAUrl() {
        assertThat(ProbeEndpoint.normalize("db:5432/x")).isEqualTo("postgresql://db:5432/x");
        assertThat(ProbeEndpoint.normalize("host=db dbname=x")).isEqualTo("host=db dbname=x");
    }
}
