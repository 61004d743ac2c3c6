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
        try (FastGzip out = new FastGzip(zipped)) {
            out.write(plain);
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.toByteArray()))) {
            assertThat(in.readAllBytes()).isEqualTo(plain);
        }
        assertThat(zipped.size()).isLessThan(plain.length / 5);
    }

    /** The bytes GZIPOutputStream writes at the same level, for every one of many responses in turn. */
    @Test
    void reusedDeflatersWriteWhatGzipOutputStreamWrites() throws Exception {
        java.util.Random r = new java.util.Random(20261205L);
        for (int i = 0; i < 20; i++) {
            byte[] plain = new byte[r.nextInt(200_000)];
            for (int j = 0; j < plain.length; j++) {
                plain[j] = (byte) ("pg_up 1\n{}=\"".charAt(r.nextInt(12)) + (j % 97 == 0 ? r.nextInt(128) : 0));
            }
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(expected) {
                {
                    def.setLevel(java.util.zip.Deflater.BEST_SPEED);
                }
            }) {
                out.write(plain);
            }
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            FastGzip out = new FastGzip(zipped);
            out.write(plain, 0, plain.length / 3); // in pieces, as the text writer flushes its buffer
            out.write(plain, plain.length / 3, plain.length - plain.length / 3);
            out.close();
            out.close(); // a second close gives nothing back twice
            assertThat(zipped.toByteArray()).as("response %d", i).isEqualTo(expected.toByteArray());
        }
    }
}
