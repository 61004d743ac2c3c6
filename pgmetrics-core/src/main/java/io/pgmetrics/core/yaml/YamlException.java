package io.pgmetrics.core.yaml;

import io.pgmetrics.core.internal.yaml.YamlNode;

/**
 * A YAML text that cannot be read into {@link YamlNode}s, or a value that is not what a typed getter
 * expects. The message is one line, {@code file:line:column: what is wrong; how to fix it}; it names the
 * kind of value found, never the value itself (which may be a secret), so it can be shown as it is.
 */
public final class YamlException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient Location location;
    private final String problem;

    public YamlException(Location location, String problem) {
        super(location + ": " + problem);
        this.location = location;
        this.problem = problem;
    }

    /** Where the problem is; line 0 for the file as a whole. */
    public Location location() {
        return location;
    }

    /** What is wrong and how to fix it, without the location. */
    public String problem() {
        return problem;
    }
}
