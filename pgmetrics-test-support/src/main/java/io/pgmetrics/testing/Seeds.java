package io.pgmetrics.testing;

/**
 * Seeds of the randomised tests. The build's seed is fixed, so that CI runs the same inputs every
 * time; a system property replays one seed ({@code -D<name>=<seed>}) or explores ({@code -D<name>=random}).
 */
public final class Seeds {

    /** The seed every randomised test of the build starts from. */
    public static final long BUILD_SEED = 20261122L;

    private Seeds() {}

    /** The seed the system property {@code name} asks for, else {@link #BUILD_SEED}. */
    public static long fromProperty(String name) {
        String given = System.getProperty(name, "");
        return given.isEmpty() ? BUILD_SEED : given.equals("random") ? System.nanoTime() : Long.parseLong(given);
    }
}
