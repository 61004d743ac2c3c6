package io.pgmetrics.queries;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.PgVersion;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Scope;
import io.pgmetrics.core.catalog.ServerRole;
import io.pgmetrics.core.catalog.UndeclaredColumns;
import io.pgmetrics.core.catalog.Usage;
import io.pgmetrics.core.catalog.Variant;
import io.pgmetrics.core.catalog.VersionRange;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in catalog as a compact binary resource, written at build time from the YAML resources.
 *
 * <p>Why: parsing YAML at start loads SnakeYAML, Jackson's streaming parser and our YAML readers
 * (about 200 classes, a few MiB of metaspace and heap in every exporter and in every host of the
 * agent) only to build the same immutable catalog each time. Reading this format needs
 * nothing beyond {@link DataInputStream}; YAML is then loaded only when the user gives YAML.
 *
 * <p>The resource starts with the checksum of the YAML it was made from; {@link #read} returns
 * nothing when that differs from the YAML beside it (a stale build), and the caller reads the YAML.
 * Enum values are written by name, so a reordered enum in core cannot change their meaning.
 */
final class CompactCatalog {

    /** "PGMC" then the format version: a reader refuses any other. */
    private static final int MAGIC = 0x50474d43;

    private static final int FORMAT = 2;

    private CompactCatalog() {}

    /** Writes {@code catalog}, made from YAML whose checksum is {@code sourceChecksum}. */
    static void write(Catalog catalog, long sourceChecksum, OutputStream target) throws IOException {
        DataOutputStream out = new DataOutputStream(target);
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeLong(sourceChecksum);
        out.writeInt(catalog.queries().size());
        for (QueryDef q : catalog.queries()) {
            writeQuery(out, q);
        }
        out.flush();
    }

    /**
     * The catalog, or empty when the resource was made from other YAML than {@code sourceChecksum}
     * names or is of another format.
     *
     * @throws IOException when the stream breaks off or holds what no writer wrote
     */
    static Optional<Catalog> read(InputStream source, long sourceChecksum) throws IOException {
        DataInputStream in = new DataInputStream(source);
        if (in.readInt() != MAGIC || in.readInt() != FORMAT || in.readLong() != sourceChecksum) {
            return Optional.empty();
        }
        int count = in.readInt();
        List<QueryDef> queries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            queries.add(readQuery(in));
        }
        return Optional.of(new Catalog(queries));
    }

    private static void writeQuery(DataOutputStream out, QueryDef q) throws IOException {
        writeString(out, q.name());
        writeString(out, q.collector());
        writeString(out, q.help());
        writeString(out, q.scope().name());
        writeString(out, q.role().name());
        writeStrings(out, q.extensions());
        writeOptional(out, q.predicate());
        writeDuration(out, q.ttl());
        out.writeBoolean(q.refreshInBackground());
        out.writeBoolean(q.timeout().isPresent());
        if (q.timeout().isPresent()) {
            writeDuration(out, q.timeout().get());
        }
        out.writeInt(q.maxRows());
        out.writeBoolean(q.enabledByDefault());
        writeStrings(out, q.databases());
        writeString(out, q.undeclaredColumns().name());
        out.writeInt(q.parameters().size());
        for (Map.Entry<String, String> p : q.parameters().entrySet()) {
            writeString(out, p.getKey());
            writeString(out, p.getValue());
        }
        out.writeInt(q.variants().size());
        for (Variant v : q.variants()) {
            writeVersion(out, v.versions().min());
            writeVersion(out, v.versions().max());
            writeString(out, v.sql());
        }
        out.writeInt(q.columns().size());
        for (ColumnDef c : q.columns()) {
            writeColumn(out, c);
        }
    }

    private static QueryDef readQuery(DataInputStream in) throws IOException {
        QueryDef.Builder b = QueryDef.builder(readString(in))
                .collector(readString(in))
                .help(readString(in))
                .scope(Scope.valueOf(readString(in)))
                .role(ServerRole.valueOf(readString(in)))
                .extensions(readStrings(in));
        readOptional(in).ifPresent(b::predicate);
        b.ttl(readDuration(in)).refreshInBackground(in.readBoolean());
        if (in.readBoolean()) {
            b.timeout(readDuration(in));
        }
        b.maxRows(in.readInt())
                .enabledByDefault(in.readBoolean())
                .databases(readStrings(in))
                .undeclaredColumns(UndeclaredColumns.valueOf(readString(in)));
        int parameters = in.readInt();
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < parameters; i++) {
            values.put(readString(in), readString(in));
        }
        b.parameters(values);
        int variants = in.readInt();
        for (int i = 0; i < variants; i++) {
            VersionRange versions = new VersionRange(readVersion(in), readVersion(in));
            b.variant(versions, readString(in));
        }
        int columns = in.readInt();
        for (int i = 0; i < columns; i++) {
            b.column(readColumn(in));
        }
        return b.buildUnchecked(); // the Catalog validates the whole set once
    }

    private static void writeColumn(DataOutputStream out, ColumnDef c) throws IOException {
        writeString(out, c.name());
        writeString(out, c.usage().name());
        writeOptional(out, c.rename());
        writeOptional(out, c.metric());
        writeString(out, c.help());
        out.writeDouble(c.scale());
        out.writeBoolean(c.nullValue().isPresent());
        if (c.nullValue().isPresent()) {
            out.writeDouble(c.nullValue().get());
        }
        writeOptional(out, c.unit());
        out.writeInt(c.mapping().size());
        for (Map.Entry<String, Double> m : c.mapping().entrySet()) {
            writeString(out, m.getKey());
            out.writeDouble(m.getValue());
        }
        out.writeBoolean(c.strict().isPresent());
        if (c.strict().isPresent()) {
            writeOptional(out, c.strict().get().metric());
            writeOptional(out, c.strict().get().usage().map(Usage::name));
        }
        writeOptional(out, c.nameFrom());
        writeOptional(out, c.helpFrom());
    }

    private static ColumnDef readColumn(DataInputStream in) throws IOException {
        ColumnDef.Builder b = ColumnDef.builder(readString(in), Usage.valueOf(readString(in)));
        readOptional(in).ifPresent(b::rename);
        readOptional(in).ifPresent(b::metric);
        b.help(readString(in)).scale(in.readDouble());
        if (in.readBoolean()) {
            b.nullValue(in.readDouble());
        }
        readOptional(in).ifPresent(b::unit);
        int mappings = in.readInt();
        Map<String, Double> mapping = new LinkedHashMap<>();
        for (int i = 0; i < mappings; i++) {
            mapping.put(readString(in), in.readDouble());
        }
        b.mapping(mapping);
        if (in.readBoolean()) {
            String metric = readOptional(in).orElse(null);
            Usage usage = readOptional(in).map(Usage::valueOf).orElse(null);
            b.strict(metric, usage);
        }
        readOptional(in).ifPresent(b::nameFrom);
        readOptional(in).ifPresent(b::helpFrom);
        return b.build();
    }

    private static void writeVersion(DataOutputStream out, Optional<PgVersion> version) throws IOException {
        out.writeInt(version.map(PgVersion::num).orElse(-1));
    }

    private static Optional<PgVersion> readVersion(DataInputStream in) throws IOException {
        int num = in.readInt();
        return num < 0 ? Optional.empty() : Optional.of(new PgVersion(num));
    }

    private static void writeDuration(DataOutputStream out, Duration d) throws IOException {
        out.writeLong(d.getSeconds());
        out.writeInt(d.getNano());
    }

    private static Duration readDuration(DataInputStream in) throws IOException {
        return Duration.ofSeconds(in.readLong(), in.readInt());
    }

    private static void writeStrings(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String v : values) {
            writeString(out, v);
        }
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(readString(in));
        }
        return values;
    }

    /** Absent as length -1; {@link DataOutputStream#writeUTF} would stop at 64 KB of SQL. */
    private static void writeOptional(DataOutputStream out, Optional<String> value) throws IOException {
        if (value.isEmpty()) {
            out.writeInt(-1);
        } else {
            writeString(out, value.get());
        }
    }

    private static Optional<String> readOptional(DataInputStream in) throws IOException {
        int length = in.readInt();
        return length < 0 ? Optional.empty() : Optional.of(readBytes(in, length));
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("a required text is absent in the compact catalog");
        }
        return readBytes(in, length);
    }

    private static String readBytes(DataInputStream in, int length) throws IOException {
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
