package io.pgmetrics.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The fastest gzip level still makes a standard gzip stream and still shrinks an exposition several times. */
class FastGzipTest {

    @Test
    void decodesToTheSameBytesAndShrinksAnExpositionFivefoldOrMore() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append("pg_stat_user_tables_seq_scan{datname=\"postgres\",schemaname=\"public\",relname=\"table_")
                    .append(i)
                    .append("\"} ")
                    .append(i * 37L % 1000)
                    .append('\n');
        }
        byte[] plain = text.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (Exposition.FastGzip out = new Exposition.FastGzip(zipped)) {
            out.write(plain);
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.toByteArray()))) {
            assertThat(in.readAllBytes()).isEqualTo(plain);
        }
        assertThat(zipped.size()).isLessThan(plain.length / 5);
    }
}
