package io.pgmetrics.exporter.web;

/**
 * A problem with the web configuration file or the files it names: the message says what is wrong, where
 * ({@code file:line:column} when it is in the YAML) and how to fix it. It never contains a password hash or
 * key material, so it can be printed as it is.
 */
public final class WebConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public WebConfigException(String message) {
        super(message, null, false, false);
    }
}
