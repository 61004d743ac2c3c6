package io.pgmetrics.exporter.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Checks user name and password against the configured bcrypt hashes.
 *
 * <p>bcrypt is slow on purpose, so a successful check is remembered for a short while, keyed by a SHA-256
 * of user, password and hash (the password itself is not kept, and a changed hash invalidates the entry).
 * Checks run one at a time, as in the toolkit, so that a flood of wrong passwords costs one core at most,
 * and failed checks are rate-limited: once {@link #FAILURE_BURST} have failed in quick succession, a check
 * that is not cached is answered {@link Verdict#THROTTLED} (429) without running bcrypt, until the budget
 * refills (one failure per {@link #FAILURE_INTERVAL}): a flood of wrong passwords then costs a bcrypt a
 * second, while a password that was accepted recently is still accepted from the cache. The HTTP threads
 * that answer health checks never wait for any of this: they pass no gate. An unknown user is checked
 * against a decoy hash of the highest configured cost, so response times do not reveal which users exist.
 * Digests are compared in constant time.
 */
final class CredentialChecker {

    static final Duration CACHE_TTL = Duration.ofMinutes(2);
    static final int FAILURE_BURST = 10;
    static final Duration FAILURE_INTERVAL = Duration.ofSeconds(1);

    /** What a check found. */
    enum Verdict {
        ACCEPTED,
        REFUSED,
        THROTTLED
    }

    private static final int CACHE_SIZE = 256;

    private final Supplier<Map<String, BcryptHash>> users;
    private final LongSupplier clock;
    private final ReentrantLock bcryptLock = new ReentrantLock();
    private final RateLimit failures;
    private final Map<String, Long> recentSuccesses = new LinkedHashMap<>();
    private final Map<Integer, BcryptHash> decoys = new HashMap<>();

    /**
     * @param users the current users (the supplier may re-read the config file); empty means no auth
     * @param clock nanoseconds, for the cache's expiry
     */
    CredentialChecker(Supplier<Map<String, BcryptHash>> users, LongSupplier clock) {
        this(users, clock, new RateLimit(FAILURE_INTERVAL, FAILURE_BURST));
    }

    /** @param failures the budget of failed bcrypt checks */
    CredentialChecker(Supplier<Map<String, BcryptHash>> users, LongSupplier clock, RateLimit failures) {
        this.users = users;
        this.clock = clock;
        this.failures = failures;
    }

    /** Whether any user is configured, i.e. whether credentials are needed at all. */
    boolean enabled() {
        return !users.get().isEmpty();
    }

    boolean check(String user, String password) {
        return verdict(user, password) == Verdict.ACCEPTED;
    }

    Verdict verdict(String user, String password) {
        Map<String, BcryptHash> table = users.get();
        BcryptHash hash = table.get(user);
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        if (hash == null) {
            return verify(decoy(table), secret) == Verdict.THROTTLED ? Verdict.THROTTLED : Verdict.REFUSED;
        }
        String key = cacheKey(user, secret, hash);
        if (recentlyAccepted(key)) {
            return Verdict.ACCEPTED;
        }
        Verdict v = verify(hash, secret);
        if (v == Verdict.ACCEPTED) {
            remember(key);
        }
        return v;
    }

    private Verdict verify(BcryptHash hash, byte[] password) {
        if (!failures.available()) {
            return Verdict.THROTTLED; // without queueing for the lock behind the hashes already running
        }
        bcryptLock.lock();
        try {
            // again under the lock: requests that queued behind a slow hash learn that the budget is spent
            if (!failures.available()) {
                return Verdict.THROTTLED;
            }
            if (hash.matches(password)) {
                return Verdict.ACCEPTED;
            }
            failures.tryAcquire();
            return Verdict.REFUSED;
        } finally {
            bcryptLock.unlock();
        }
    }

    /** A hash of a random password at the highest cost in use; made once per cost. */
    private BcryptHash decoy(Map<String, BcryptHash> table) {
        int cost = table.values().stream().mapToInt(BcryptHash::cost).max().orElse(10);
        synchronized (decoys) {
            return decoys.computeIfAbsent(cost, c -> {
                SecureRandom random = new SecureRandom();
                byte[] salt = new byte[BcryptHash.SALT_BYTES];
                byte[] password = new byte[16];
                random.nextBytes(salt);
                random.nextBytes(password);
                return BcryptHash.parse(Bcrypt.hash(password, c, salt, "2y"));
            });
        }
    }

    private static String cacheKey(String user, byte[] password, BcryptHash hash) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(user.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(password);
            sha.update((byte) 0);
            sha.update(hash.encoded().getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private boolean recentlyAccepted(String key) {
        long now = clock.getAsLong();
        synchronized (recentSuccesses) {
            Long expires = recentSuccesses.get(key);
            if (expires == null) {
                return false;
            }
            if (now - expires >= 0) {
                recentSuccesses.remove(key);
                return false;
            }
            return true;
        }
    }

    private void remember(String key) {
        long now = clock.getAsLong();
        synchronized (recentSuccesses) {
            recentSuccesses.remove(key);
            recentSuccesses.put(key, now + CACHE_TTL.toNanos());
            Iterator<Map.Entry<String, Long>> oldestFirst =
                    recentSuccesses.entrySet().iterator();
            while (recentSuccesses.size() > CACHE_SIZE && oldestFirst.hasNext()) {
                oldestFirst.next();
                oldestFirst.remove();
            }
        }
    }
}
