package io.pgmetrics.agent;

import io.pgmetrics.core.connect.Dsn;
import io.pgmetrics.core.connect.DsnException;
import io.pgmetrics.core.connect.PoolSettings;
import io.pgmetrics.core.connect.PooledConnectionSource;
import io.pgmetrics.core.connect.Secret;
import io.pgmetrics.exporter.config.TargetSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tells the host's log, once, when a database the agent serves cannot be reached, and once more
 * when it can again. The exporter itself needs none of this (every scrape finds out on its kept
 * connection and a periodic new login, and reports {@code pg_up 0} meanwhile); without it, though,
 * nobody would learn of a wrong
 * address before the first scrape. One connection attempt per target at start, then, for a target
 * that failed, again after 5 s, doubling up to once a minute, until it answers.
 */
final class DatabaseWatch {

    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_RETRY = Duration.ofMinutes(1);

    /** Connects once; empty when that worked, else why not (one line, no secret). */
    interface Probe {
        Optional<String> attempt(Dsn dsn);
    }

    /** Sleeps between attempts; a test passes a shorter clock. */
    interface Pause {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Probe probe;
    private final Pause pause;

    DatabaseWatch(Probe probe, Pause pause) {
        this.probe = probe;
        this.pause = pause;
    }

    /** The real thing: a fresh connection through the same pool class the exporter uses. */
    static DatabaseWatch connecting() {
        return new DatabaseWatch(DatabaseWatch::connectOnce, d -> Thread.sleep(d.toMillis()));
    }

    /** Watches until every target has answered once (returns at once when all answer at start). */
    void watch(List<TargetSpec> targets) throws InterruptedException {
        List<Dsn> pending = new ArrayList<>();
        for (TargetSpec t : targets) {
            Optional<Dsn> dsn = dsn(t);
            if (dsn.isEmpty()) {
                continue; // the exporter has already refused it with a clear message
            }
            Optional<String> failure = probe.attempt(dsn.get());
            if (failure.isPresent()) {
                AgentLog.warning("database " + dsn.get().serverLabel() + " (from " + t.origin() + ") is unreachable: "
                        + failure.get() + "; /metrics shows pg_up 0 and the agent keeps retrying");
                pending.add(dsn.get());
            }
        }
        Duration wait = FIRST_RETRY;
        while (!pending.isEmpty()) {
            pause.sleep(wait);
            wait = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
            for (Dsn dsn : List.copyOf(pending)) {
                if (probe.attempt(dsn).isEmpty()) {
                    AgentLog.info("database " + dsn.serverLabel() + " is reachable again");
                    pending.remove(dsn);
                }
            }
        }
    }

    /** The target's connection settings, by the exporter's rule: separate user and password replace the string's. */
    static Optional<Dsn> dsn(TargetSpec spec) {
        try {
            Dsn d = Dsn.parse(spec.dsn());
            if (spec.user().isPresent() || spec.password().isPresent()) {
                d = d.withCredentials(
                        spec.user().orElse(d.user().orElse(null)),
                        spec.password().map(Secret::new).orElse(d.password().orElse(null)));
            }
            return Optional.of(d);
        } catch (DsnException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> connectOnce(Dsn dsn) {
        try (PooledConnectionSource source = new PooledConnectionSource(
                dsn, PoolSettings.builder().maxConnections(1).build())) {
            source.checkFresh();
            return Optional.empty();
        } catch (java.sql.SQLException e) { // the pool's message says where and why, without the password
            return Optional.of(
                    e.getMessage() == null
                            ? AgentLog.describe(e)
                            : e.getMessage().strip().replace('\n', ' '));
        } catch (RuntimeException e) {
            return Optional.of(AgentLog.describe(e));
        }
    }
}
