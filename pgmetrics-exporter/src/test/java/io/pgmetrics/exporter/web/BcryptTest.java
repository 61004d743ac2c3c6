package io.pgmetrics.exporter.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class BcryptTest {

    /** One line of bcrypt-vectors.tsv: made by glibc crypt(3) or htpasswd, see generate-bcrypt-vectors.py. */
    record Vector(String tool, byte[] password, String hash) {
        @Override
        public String toString() {
            return tool + " " + hash.substring(0, 7) + " password of " + password.length + " bytes";
        }
    }

    static Stream<Vector> vectors() {
        return Fixtures.text("bcrypt-vectors.tsv")
                .lines()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("\t"))
                .map(f -> new Vector(f[0], HexFormat.of().parseHex(f[1]), f[2]));
    }

    @Test
    void theVectorsCoverEveryVariantCostAndBothTools() {
        List<Vector> all = vectors().toList();
        assertThat(all).extracting(v -> v.hash().substring(1, 3)).contains("2a", "2b", "2y");
        assertThat(all)
                .extracting(v -> Integer.parseInt(v.hash().substring(4, 6)))
                .contains(4, 5, 6, 7, 8, 9, 10);
        assertThat(all).extracting(Vector::tool).contains("crypt", "htpasswd");
        assertThat(all).hasSizeGreaterThan(60);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void matchesTheReferenceHashAndNothingElse(Vector v) {
        BcryptHash hash = BcryptHash.parse(v.hash());
        assertThat(hash.matches(v.password())).isTrue();
        byte[] wrong = Arrays.copyOf(v.password(), v.password().length + 1);
        wrong[wrong.length - 1] = 'x';
        if (v.password().length < 72) { // beyond 72 bytes bcrypt ignores the rest, by design
            assertThat(hash.matches(wrong)).isFalse();
        }
        if (v.password().length > 0) {
            byte[] flipped = v.password().clone();
            flipped[0] ^= 1;
            assertThat(hash.matches(flipped)).isFalse();
        }
    }

    @Test
    void recomputingFromTheSaltGivesTheSameCanonicalString() {
        // crypt(3) keeps the salt as given; the canonical form zeroes the unused low bits of its last character
        vectors().filter(v -> v.tool().equals("htpasswd")).limit(3).forEach(v -> {
            BcryptHash hash = BcryptHash.parse(v.hash());
            assertThat(Bcrypt.hash(v.password(), hash.cost(), hash.salt(), hash.variant()))
                    .isEqualTo(hash.encoded());
            assertThat(hash.encoded()).isEqualTo(v.hash());
        });
    }

    @Test
    void onlyTheFirst72BytesCount() {
        byte[] salt = new byte[16];
        byte[] seventyTwo = "y".repeat(72).getBytes(StandardCharsets.US_ASCII);
        byte[] longer = ("y".repeat(72) + "anything").getBytes(StandardCharsets.US_ASCII);
        byte[] seventyOne = "y".repeat(71).getBytes(StandardCharsets.US_ASCII);
        assertThat(Bcrypt.digest(longer, 4, salt)).isEqualTo(Bcrypt.digest(seventyTwo, 4, salt));
        assertThat(Bcrypt.digest(seventyOne, 4, salt)).isNotEqualTo(Bcrypt.digest(seventyTwo, 4, salt));
    }

    @Test
    void blowfishStartsFromTheDigitsOfPi() {
        int[] words = BlowfishPi.words();
        assertThat(words).hasSize(1042);
        assertThat(words[0]).isEqualTo(0x243F6A88); // pi = 3.243F6A8885A308D3...
        assertThat(words[1]).isEqualTo(0x85A308D3);
        assertThat(words[18]).isEqualTo(0xD1310BA6); // first S-box word
        assertThat(words[1041]).isEqualTo(0x3AC372E6); // last S-box word
    }

    @Test
    void theShippedTableIsTheComputedOne() throws Exception {
        long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        int[] computed = BlowfishPi.compute(BlowfishPi.WORDS);
        cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu;
        System.out.println("[figure] computing pi's 1042 Blowfish words: " + cpu / 1_000_000 + " ms of CPU");
        assertThat(BlowfishPi.words()).isEqualTo(computed);
        // the table is in the source, not computed when the class loads (the first login paid ~300 ms for it)
        String source = java.nio.file.Files.readString(
                java.nio.file.Path.of("src/main/java/io/pgmetrics/exporter/web/BlowfishPi.java"));
        assertThat(source)
                .contains("0x243f6a88, 0x85a308d3")
                .contains("0x3ac372e6")
                .doesNotContain("= compute(");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "plain-password",
                "$1$abc$def",
                "$2x$10$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234",
                "$2$10$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz012345",
                "$2y$03$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234",
                "$2y$32$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234",
                "$2y$1a$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234",
                "$2y$10$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz0123",
                "$2y$10$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz0123!",
            })
    void refusesWhatIsNotABcryptHashWithoutRepeatingIt(String text) {
        assertThatThrownBy(() -> BcryptHash.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> {
                    if (text.length() > 12) {
                        assertThat(e.getMessage()).doesNotContain(text.substring(7));
                    }
                });
    }

    @Test
    void toStringShowsNoSaltOrDigest() {
        String text = "$2y$04$SetdK2czBWuEdHuR2VGHc.ZtTp2MNoduOyAQYjT4zGD4fWvBqhG8W";
        assertThat(BcryptHash.parse(text).toString()).isEqualTo("bcrypt $2y$ cost 4");
    }
}
