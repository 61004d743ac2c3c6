package io.pgmetrics.core.internal.engine;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Tells when the server has loaded its configuration again (a reload or a restart) since the last
 * look, from {@code pg_conf_load_time()} and {@code pg_backend_pid()} of whichever kept connection
 * answered: settings change only then, so rows cached under the old ones must be read again.
 *
 * <p>{@code pg_conf_load_time()} is per session: a session alive at a reload reports when it
 * applied it (just before its next statement), a newer one when the postmaster did. So one session's
 * time that moved means a reload; a session not seen before means one only when its time is later
 * than any seen, since it may be just another kept connection, opened after a reload already seen.
 */
final class ConfigReloads {

    /** Sessions remembered; more are forgotten (a new connection then counts as a reload at worst). */
    private static final int MOST_SESSIONS = 16;

    private final Map<Integer, Instant> bySession = new HashMap<>();
    private Instant latest;

    /** True when the configuration was loaded again since the last call (and at the first one). */
    synchronized boolean reloaded(int backendPid, Instant configLoaded) {
        Instant before = bySession.get(backendPid);
        boolean reloaded =
                before != null ? !before.equals(configLoaded) : latest == null || configLoaded.isAfter(latest);
        if (bySession.size() >= MOST_SESSIONS && before == null) {
            bySession.clear();
        }
        bySession.put(backendPid, configLoaded);
        if (latest == null || configLoaded.isAfter(latest)) {
            latest = configLoaded;
        }
        return reloaded;
    }
}
