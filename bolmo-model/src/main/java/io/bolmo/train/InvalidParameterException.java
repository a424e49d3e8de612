package io.bolmo.train;

/**
 * A run parameter outside what is allowed, named as the user wrote it ({@code seq-len}), with the value and the
 * rule, so the command line ({@code --seq-len}) and the batch jobs ({@code job parameter 'seq-len'}) can each say it
 * in their own terms. The message reads {@code NAME = VALUE is invalid: RULE}.
 */
public class InvalidParameterException extends IllegalArgumentException {

    private final String name;
    private final String value;
    private final String rule;

    public InvalidParameterException(String name, Object value, String rule) {
        super(name + (value == null ? "" : " = " + value) + " is invalid: " + rule);
        this.name = name;
        this.value = value == null ? null : String.valueOf(value);
        this.rule = rule;
    }

    /** Throws an {@link InvalidParameterException} unless {@code ok}. */
    public static void check(boolean ok, String name, Object value, String rule) {
        if (!ok) {
            throw new InvalidParameterException(name, value, rule);
        }
    }

    /** Checks {@code min <= value <= max}. */
    public static void checkRange(long value, long min, long max, String name) {
        check(value >= min && value <= max, name, value, max == Long.MAX_VALUE ? "must be >= " + min
                : "must be in [" + min + ", " + max + "]");
    }

    public String name() {
        return name;
    }

    /** The value as given, or null when none was. */
    public String value() {
        return value;
    }

    public String rule() {
        return rule;
    }
}
