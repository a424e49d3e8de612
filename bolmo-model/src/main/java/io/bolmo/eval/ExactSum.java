package io.bolmo.eval;

import java.math.BigDecimal;

/**
 * A sum of doubles kept exactly (every double is a finite binary fraction, so {@link BigDecimal} holds it and
 * adds without rounding). Sums of disjoint parts therefore add up to the same value in any grouping and order:
 * an evaluation split over partitions, machines or restarts totals bit for bit what one pass computes. Rounded
 * once, by {@link #doubleValue}. Immutable.
 */
public final class ExactSum {

    public static final ExactSum ZERO = new ExactSum(BigDecimal.ZERO);

    private final BigDecimal value;

    private ExactSum(BigDecimal value) {
        this.value = value;
    }

    public ExactSum plus(double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("cannot add " + x + " to an exact sum");
        }
        return new ExactSum(value.add(new BigDecimal(x)));
    }

    public ExactSum plus(ExactSum o) {
        return new ExactSum(value.add(o.value));
    }

    public double doubleValue() {
        return value.doubleValue();
    }

    /** Parses {@link #toString()}'s exact decimal. */
    public static ExactSum parse(String exact) {
        try {
            return new ExactSum(new BigDecimal(exact));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + exact + "' is not an exact decimal sum", e);
        }
    }

    /** The exact decimal value (no rounding). */
    @Override
    public String toString() {
        return value.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExactSum e && value.compareTo(e.value) == 0;
    }

    @Override
    public int hashCode() {
        return value.stripTrailingZeros().hashCode();
    }
}
