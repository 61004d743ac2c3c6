package io.pgmetrics.core.yaml;

/** A position in a source file, 1-based, printed the way editors and compilers do: {@code file:line:column}. */
record Location(String source, int line, int column) implements Comparable<Location> {

    @Override
    public int compareTo(Location other) {
        int byLine = Integer.compare(line, other.line);
        return byLine != 0 ? byLine : Integer.compare(column, other.column);
    }

    @Override
    public String toString() {
        return source + ":" + line + ":" + column;
    }
}
