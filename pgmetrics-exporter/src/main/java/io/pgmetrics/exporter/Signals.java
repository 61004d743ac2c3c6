package io.pgmetrics.exporter;

/**
 * SIGHUP → reload, the way Prometheus components do. Uses {@code sun.misc.Signal} (module
 * jdk.unsupported, present in every OpenJDK build); where it is missing or the signal is taken,
 * the exporter runs without it and says so. Only the standalone {@link Main} installs it: inside a
 * host application (the java agent) the signals belong to the host.
 */
final class Signals {

    private static final System.Logger LOG = System.getLogger(Signals.class.getName());

    private Signals() {}

    @SuppressWarnings("removal")
    static void onHangup(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                LOG.log(System.Logger.Level.INFO, "SIGHUP received: reloading the configuration");
                Thread t = new Thread(action, "pgmetrics-reload"); // never block the signal dispatcher
                t.setDaemon(true);
                t.start();
            });
        } catch (LinkageError | IllegalArgumentException | UnsupportedOperationException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "SIGHUP reload is not available on this JVM (" + e + "); use POST /-/reload");
        }
    }
}
