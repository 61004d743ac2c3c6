package io.pgmetrics.exporter.config;

/**
 * A configuration mistake a user made: a bad flag value, an unreadable file, a YAML key that does
 * not exist. The message is one line that says where (flag, variable or file:line:column), what is
 * wrong and what is expected; it never carries a password, and it is printed without a stack trace.
 */
public class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message.replace('\n', ' '));
    }

    public ConfigException(String message, Throwable cause) {
        super(message.replace('\n', ' '), cause);
    }
}
