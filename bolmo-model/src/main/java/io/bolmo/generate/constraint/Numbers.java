package io.bolmo.generate.constraint;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.BasicOperations;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON numbers as byte automata: the full grammar ({@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}), integers
 * ({@code -?(0|[1-9][0-9]*)}), and both within decimal bounds. A bounded number is written without an exponent
 * (every value has such a form), which makes "x ≥ bound" a comparison of digit strings: the integer parts by length
 * and digits, then the fraction digits one by one.
 */
final class Numbers {

    private Numbers() {}

    // Built afresh on every use: brics renumbers the states of an operation's inputs, so a shared automaton would be
    // written by concurrent compilations.
    private static Automaton digit() {
        return ByteAutomata.range('0', '9');
    }

    private static Automaton digits() {
        return digit().repeat();
    }

    private static Automaton integerPart() {
        return ByteAutomata.literal("0").union(ByteAutomata.range('1', '9').concatenate(digits()));
    }

    private static Automaton fraction() {
        return ByteAutomata.literal(".").concatenate(digit().repeat(1));
    }

    private static Automaton exponent() {
        return ByteAutomata.range('E', 'E').union(ByteAutomata.range('e', 'e'))
                .concatenate(ByteAutomata.range('+', '+').union(ByteAutomata.range('-', '-')).optional())
                .concatenate(digit().repeat(1));
    }

    private static Automaton minus() {
        return ByteAutomata.literal("-");
    }

    /** Any JSON number ({@code integer}: no fraction, no exponent). */
    static Automaton any(boolean integer) {
        return integer ? minus().optional().concatenate(integerPart())
                : minus().optional().concatenate(integerPart()).concatenate(fraction().optional()).concatenate(exponent().optional());
    }

    /**
     * The numbers x with {@code lo ≤ x} ({@code lo < x} if {@code loStrict}) and {@code x ≤ hi} ({@code x < hi});
     * a null bound is open. Empty if no such number exists.
     */
    static Automaton range(BigDecimal lo, boolean loStrict, BigDecimal hi, boolean hiStrict, boolean integer) {
        if (lo == null && hi == null) {
            return any(integer);
        }
        Automaton magnitude = integer ? integerPart() : integerPart().concatenate(fraction().optional());
        List<Automaton> parts = new ArrayList<>();
        if (hi == null || hi.signum() > 0 || (hi.signum() == 0 && !hiStrict)) {
            Automaton nonNegative = magnitude;
            if (lo != null && lo.signum() >= 0) {
                nonNegative = nonNegative.intersection(atLeast(lo, loStrict));
            }
            if (hi != null) {
                nonNegative = nonNegative.intersection(atMost(hi, hiStrict));
            }
            parts.add(nonNegative);
        }
        if (lo == null || lo.signum() < 0) {
            Automaton m = magnitude.intersection(atLeast(BigDecimal.ZERO, true)); // -x with x > 0
            if (lo != null) {
                m = m.intersection(atMost(lo.negate(), loStrict));
            }
            if (hi != null && hi.signum() < 0) {
                m = m.intersection(atLeast(hi.negate(), hiStrict));
            }
            parts.add(minus().concatenate(m));
        }
        return BasicOperations.union(parts);
    }

    /** Plain decimals (integer part, optional fraction) whose value is ≥ {@code v} (> if strict); {@code v ≥ 0}. */
    private static Automaton atLeast(BigDecimal v, boolean strict) {
        BigInteger whole = v.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
        String f = fractionDigits(v);
        Automaton above = intAtLeast(whole.add(BigInteger.ONE)).concatenate(fraction().optional());
        Automaton frac;
        if (f.isEmpty()) {
            frac = strict ? ByteAutomata.literal(".").concatenate(nonZeroDigits()) : fraction().optional();
        } else {
            List<Automaton> ds = new ArrayList<>();
            for (int i = 0; i < f.length(); i++) {
                int d = f.charAt(i) - '0';
                if (d < 9) {
                    ds.add(ByteAutomata.literal(f.substring(0, i)).concatenate(ByteAutomata.range('0' + d + 1, '9'))
                            .concatenate(digits()));
                }
            }
            ds.add(ByteAutomata.literal(f).concatenate(strict ? nonZeroDigits() : digits()));
            frac = ByteAutomata.literal(".").concatenate(BasicOperations.union(ds));
        }
        return above.union(ByteAutomata.literal(whole.toString()).concatenate(frac));
    }

    /** Plain decimals whose value is ≤ {@code v} (< if strict); {@code v ≥ 0}. */
    private static Automaton atMost(BigDecimal v, boolean strict) {
        BigInteger whole = v.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
        String g = fractionDigits(v);
        List<Automaton> parts = new ArrayList<>();
        if (whole.signum() > 0) {
            parts.add(intAtMost(whole.subtract(BigInteger.ONE)).concatenate(fraction().optional()));
        }
        Automaton frac;
        if (g.isEmpty()) {
            frac = strict ? BasicAutomata.makeEmpty()
                    : ByteAutomata.literal(".").concatenate(ByteAutomata.literal("0").repeat(1)).optional();
        } else {
            List<Automaton> ds = new ArrayList<>();
            for (int i = 0; i < g.length(); i++) {
                int d = g.charAt(i) - '0';
                if (d > 0) {
                    ds.add(ByteAutomata.literal(g.substring(0, i)).concatenate(ByteAutomata.range('0', '0' + d - 1))
                            .concatenate(digits()));
                }
                if (i > 0) {
                    ds.add(ByteAutomata.literal(g.substring(0, i))); // a proper prefix: smaller
                }
            }
            if (!strict) {
                ds.add(ByteAutomata.literal(g).concatenate(ByteAutomata.literal("0").repeat()));
            }
            frac = ByteAutomata.literal(".").concatenate(BasicOperations.union(ds)).optional();
        }
        parts.add(ByteAutomata.literal(whole.toString()).concatenate(frac));
        return BasicOperations.union(parts);
    }

    /** Digit strings with at least one non-zero digit. */
    private static Automaton nonZeroDigits() {
        return digits().concatenate(ByteAutomata.range('1', '9')).concatenate(digits());
    }

    /** The fraction digits of {@code v ≥ 0} without trailing zeros ("" for an integer). */
    private static String fractionDigits(BigDecimal v) {
        BigDecimal frac = v.subtract(new BigDecimal(v.setScale(0, RoundingMode.FLOOR).toBigIntegerExact()))
                .stripTrailingZeros();
        if (frac.signum() == 0) {
            return "";
        }
        String s = frac.toPlainString(); // "0.xyz"
        return s.substring(s.indexOf('.') + 1);
    }

    /** Integers written without leading zeros, ≥ {@code n ≥ 0}. */
    static Automaton intAtLeast(BigInteger n) {
        if (n.signum() <= 0) {
            return integerPart();
        }
        String d = n.toString();
        int k = d.length();
        List<Automaton> parts = new ArrayList<>();
        parts.add(ByteAutomata.range('1', '9').concatenate(digit().repeat(k))); // longer
        for (int i = 0; i < k; i++) {
            int di = d.charAt(i) - '0';
            if (di < 9) {
                parts.add(ByteAutomata.literal(d.substring(0, i)).concatenate(ByteAutomata.range('0' + di + 1, '9'))
                        .concatenate(digit().repeat(k - i - 1, k - i - 1)));
            }
        }
        parts.add(ByteAutomata.literal(d));
        return BasicOperations.union(parts);
    }

    /** Integers written without leading zeros, ≤ {@code n ≥ 0}. */
    static Automaton intAtMost(BigInteger n) {
        String d = n.toString();
        int k = d.length();
        List<Automaton> parts = new ArrayList<>();
        parts.add(ByteAutomata.literal("0"));
        if (k > 1) {
            parts.add(ByteAutomata.range('1', '9').concatenate(digit().repeat(0, k - 2))); // shorter
        }
        for (int i = 0; i < k; i++) {
            int di = d.charAt(i) - '0';
            int low = i == 0 ? 1 : 0;
            if (di > low) {
                parts.add(ByteAutomata.literal(d.substring(0, i)).concatenate(ByteAutomata.range('0' + low, '0' + di - 1))
                        .concatenate(digit().repeat(k - i - 1, k - i - 1)));
            }
        }
        parts.add(ByteAutomata.literal(d));
        return BasicOperations.union(parts);
    }
}
