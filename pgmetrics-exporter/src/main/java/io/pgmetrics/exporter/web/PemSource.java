package io.pgmetrics.exporter.web;

import io.pgmetrics.core.yaml.Location;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where PEM text comes from: a file (re-read when it changes) or text written inline in the web config.
 * {@link #toString()} names the setting and file, never the content.
 *
 * @param setting the key that set it, e.g. {@code tls_server_config.cert_file}
 * @param where {@code file:line:column} of that key
 */
record PemSource(String setting, Location where, Optional<Path> file, Optional<String> inline) {

    static PemSource ofFile(String setting, Location where, Path file) {
        return new PemSource(setting, where, Optional.of(file), Optional.empty());
    }

    static PemSource ofText(String setting, Location where, String text) {
        return new PemSource(setting, where, Optional.empty(), Optional.of(text));
    }

    /** The PEM text. */
    String read() throws WebConfigException {
        if (inline.isPresent()) {
            return inline.get();
        }
        Path path = file.orElseThrow();
        try {
            return Files.readString(path, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw problem(
                    "file does not exist; check the path (a relative path is relative to the web config file's directory)");
        } catch (IOException e) {
            throw problem("cannot read the file (" + e.getClass().getSimpleName() + "); check its permissions");
        }
    }

    /** The current change stamp of the file; inline text never changes. */
    FileStamp stamp() {
        return file.map(FileStamp::of).orElse(FileStamp.NONE);
    }

    WebConfigException problem(String what) {
        return new WebConfigException(this + ": " + what);
    }

    @Override
    public String toString() {
        return where + ": " + setting + file.map(f -> " " + f).orElse(" (inline PEM)");
    }
}
