package io.bolmo.generate.constraint;

/**
 * A constraint that cannot be compiled: an unsupported JSON Schema keyword, a malformed value, a regular expression
 * feature that has no finite automaton. {@link #where()} names the offending part: a JSON pointer into the schema
 * ({@code #/properties/name/pattern}) or a position in a regular expression; the message repeats it.
 */
public class ConstraintException extends IllegalArgumentException {

    private final String where;
    private final String reason;

    public ConstraintException(String reason, String where) {
        super(where == null || where.isEmpty() ? reason : where + ": " + reason);
        this.where = where == null ? "" : where;
        this.reason = reason;
    }

    /** What is wrong, without {@link #where()}. */
    public String reason() {
        return reason;
    }

    /** The offending part (a JSON pointer such as {@code #/properties/age/minimum}, or {@code pattern position 3}). */
    public String where() {
        return where;
    }
}
