package io.pgmetrics.core.internal.yaml;

import io.pgmetrics.core.yaml.Location;
import io.pgmetrics.core.yaml.YamlException;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A YAML file's text and the SHA-256 of its bytes; reading failures become {@link YamlException}s. */
public record SourceText(String name, String text, String sha256) {

    public static SourceText read(Path file) {
        String name = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw fail(name, "the file does not exist; check the path");
        } catch (AccessDeniedException e) {
            throw fail(name, "the file cannot be read (permission denied); let the exporter's user read it");
        } catch (IOException | RuntimeException e) {
            throw fail(
                    name,
                    "the file cannot be read (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + Messages.abbreviate(e.getMessage())) + ")");
        } catch (OutOfMemoryError e) {
            throw fail(name, "the file is too large to load");
        }
        return new SourceText(name, decode(bytes, name), sha256(bytes));
    }

    public static SourceText read(Reader reader, String name) {
        StringBuilder sb = new StringBuilder();
        char[] buffer = new char[8192];
        try (reader) {
            int n;
            while ((n = reader.read(buffer)) != -1) {
                sb.append(buffer, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            throw fail(
                    name,
                    "the YAML cannot be read (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + Messages.abbreviate(e.getMessage())) + ")");
        }
        return of(sb.toString(), name);
    }

    public static SourceText of(String text, String name) {
        return new SourceText(name, text, sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Lower-case hex SHA-256, as postgres_exporter prints it in pg_exporter_user_queries_load_error{hashsum}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Strict UTF-8: a malformed byte is reported with its line and column rather than replaced. */
    private static String decode(byte[] bytes, String name) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            out.flip();
            int line = 1;
            int column = 1;
            while (out.hasRemaining()) {
                if (out.get() == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            int offset = in.position();
            throw new YamlException(
                    new Location(name, line, column),
                    String.format(
                            "the file is not UTF-8 text (byte 0x%02X at offset %d); save it as UTF-8",
                            bytes[offset] & 0xff, offset));
        }
        decoder.flush(out);
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static YamlException fail(String name, String message) {
        return new YamlException(Location.of(name), message);
    }
}
