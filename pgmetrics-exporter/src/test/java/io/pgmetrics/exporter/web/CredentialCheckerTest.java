package io.pgmetrics.exporter.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialCheckerTest {

    static final String HELLO = WebServerTest.HELLO;

    @Test
    void aSuccessfulCheckIsRememberedForAWhileThenBcryptRunsAgain() {
        AtomicLong clock = new AtomicLong();
        // not timing-sensitive: a bcrypt of cost 10 can never take less than tens of ms, and the cached
        // check (microseconds) is the fastest of three, so only three stalls in a row could fail it
        BcryptHash hash =
                BcryptHash.parse(Bcrypt.hash("s3cret".getBytes(StandardCharsets.UTF_8), 10, new byte[16], "2b"));
        CredentialChecker checker = new CredentialChecker(() -> Map.of("u", hash), clock::get);

        long first = timed(() -> assertThat(checker.check("u", "s3cret")).isTrue());
        long cached =
                fastestOfThree(() -> assertThat(checker.check("u", "s3cret")).isTrue());
        assertThat(cached).as("cached check (ns) vs bcrypt cost 10 (ns)").isLessThan(first / 5);

        clock.addAndGet(CredentialChecker.CACHE_TTL.toNanos());
        long expired = timed(() -> assertThat(checker.check("u", "s3cret")).isTrue());
        assertThat(expired).as("after the TTL bcrypt runs again").isGreaterThan(cached * 5);
    }

    @Test
    void wrongPasswordsAndUnknownUsersAreRefusedAndNeverCached() {
        AtomicLong clock = new AtomicLong();
        CredentialChecker checker = new CredentialChecker(() -> Map.of("u", BcryptHash.parse(HELLO)), clock::get);
        assertThat(checker.check("u", "hello")).isTrue();
        assertThat(checker.check("u", "Hello")).isFalse();
        assertThat(checker.check("u", "")).isFalse();
        assertThat(checker.check("someone", "hello")).isFalse();
        assertThat(checker.check("U", "hello")).isFalse();
        assertThat(checker.enabled()).isTrue();
        assertThat(new CredentialChecker(Map::of, clock::get).enabled()).isFalse();
    }

    @Test
    void anUnknownUserCostsAboutAsMuchAsAKnownOne() {
        BcryptHash hash = BcryptHash.parse(Bcrypt.hash("pw".getBytes(StandardCharsets.UTF_8), 9, new byte[16], "2y"));
        CredentialChecker checker = new CredentialChecker(() -> Map.of("u", hash), System::nanoTime);
        checker.check("ghost", "x"); // makes the decoy
        checker.check("u", "wrong"); // warms up
        long known = fastestOfThree(() -> checker.check("u", "wrong"));
        long unknown = fastestOfThree(() -> checker.check("ghost", "x"));
        // generous bounds: the property is "a bcrypt is paid either way" (no decoy would be ~1000x faster)
        assertThat((double) unknown).isBetween(known / 20.0, known * 20.0);
    }

    @Test
    void usersFollowTheConfigFileAndABrokenFileKeepsThePreviousOnes(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  u: " + HELLO + "\n");
        WebConfig web = WebConfig.load(file);
        CredentialChecker checker = credentialsOf(web);
        assertThat(checker.check("u", "hello")).isTrue();
        assertThat(checker.check("v", "hello")).isFalse();

        Files.writeString(file, "basic_auth_users:\n  v: " + HELLO + "\n");
        touch(file, 1);
        assertThat(checker.check("v", "hello")).isTrue();
        assertThat(checker.check("u", "hello")).isFalse();

        Files.writeString(file, "basic_auth_users:\n  v: not-a-hash\n");
        touch(file, 2);
        assertThat(checker.check("v", "hello")).as("the broken file is ignored").isTrue();
    }

    private static void touch(Path file, int seconds) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(seconds)));
    }

    private static CredentialChecker credentialsOf(WebConfig web) {
        return web.credentials();
    }

    private static long fastestOfThree(Runnable r) {
        return Math.min(timed(r), Math.min(timed(r), timed(r)));
    }

    private static long timed(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return System.nanoTime() - start;
    }
}
