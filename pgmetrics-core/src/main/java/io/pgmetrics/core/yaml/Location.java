package io.pgmetrics.core.yaml;

/**
 * A position in a source file, 1-based, printed the way editors and compilers do: {@code file:line:column}.
 * Line 0 stands for the file as a whole (it cannot be read, say) and prints as the file's name alone.
 */
public record Location(String source, int line, int column) implements Comparable<Location> {

    /** The file as a whole, for a problem that has no line. */
    public static Location of(String source) {
        return new Location(source, 0, 0);
    }

    @Override
    public int compareTo(Location other) {
        int byLine = Integer.compare(line, other.line);
        return byLine != 0 ? byLine : Integer.compare(column, other.column);
    }

    @Override
    public String toString() {
        return line == 0 ? source : source + ":" + line + ":" + column;
    }
}
