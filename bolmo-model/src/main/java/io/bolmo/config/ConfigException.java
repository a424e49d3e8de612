package io.bolmo.config;

/** A configuration value is missing, malformed or inconsistent. The message names the field. */
public class ConfigException extends IllegalArgumentException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
