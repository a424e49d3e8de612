package io.bolmo.generate.constraint;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.BasicOperations;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * dk.brics automata over bytes: chars 0..255 stand for bytes, so brics' union, concatenation, intersection,
 * determinisation and minimisation work on UTF-8 output directly. Here: bytes and literals, code point sets as
 * UTF-8 byte sequences, and the two ways a character can be written ({@link Encoding}).
 */
final class ByteAutomata {

    private ByteAutomata() {}

    /** Any one character, per encoding: built once (used by every string and every unanchored pattern). */
    private static final Map<Encoding, Automaton> ALL_CHARS = new java.util.concurrent.ConcurrentHashMap<>();

    /** How one character of a pattern is written in the output. */
    enum Encoding {
        /** Its UTF-8 bytes (a regular expression constraint over the raw output). */
        UTF8,
        /**
         * Inside a JSON string: UTF-8, except {@code "} and {@code \} as {@code \"} and {@code \\}, and the control
         * characters as {@code \b \t \n \f \r} or <code>&#92;u00XX</code>: one way per character (up to the case of
         * hex digits), so a pattern over the decoded string maps onto bytes. Non-ASCII characters are raw UTF-8, never <code>&#92;u</code> escapes.
         */
        JSON_STRING;

        Automaton encode(CodePoints set) {
            if (set == CodePoints.ALL) { // a copy: brics renumbers the states of an operation's inputs
                return ALL_CHARS.computeIfAbsent(this, e -> dfa(e.build(set))).clone();
            }
            return build(set);
        }

        private Automaton build(CodePoints set) {
            if (this == UTF8) {
                return utf8(set);
            }
            CodePoints raw = set.intersect(CodePoints.range(0x20, CodePoints.MAX))
                    .minus(CodePoints.single('"')).minus(CodePoints.single('\\'));
            List<Automaton> parts = new ArrayList<>();
            parts.add(utf8(raw));
            CodePoints escaped = set.minus(raw);
            for (int i = 0; i < escaped.rangeCount(); i++) {
                for (int c = escaped.lo(i); c <= escaped.hi(i); c++) {
                    parts.add(escape(c));
                }
            }
            return BasicOperations.union(parts);
        }
    }

    /**
     * {@code min} to {@code max} ({@code max} −1: any number of) repetitions of {@code a}, built as copies of its
     * states chained end to start: linear in the count. (brics' repeat and the determinisation it then needs take
     * seconds for counts in the tens over a byte alphabet.)
     */
    static Automaton repeat(Automaton a, int min, int max) {
        Automaton c = dfa(a);
        Set<State> states = c.getStates();
        State start = c.getInitialState();
        if (start.isAccept()) { // (L ∪ ε){min,max} = L{0,max}
            min = 0;
        }
        // every word now ends by a transition into the one end state, which has none out
        State end = new State();
        boolean nonEmpty = false;
        for (State s : states) {
            for (Transition t : new ArrayList<>(s.getTransitions())) {
                if (t.getDest().isAccept()) {
                    s.addTransition(new Transition(t.getMin(), t.getMax(), end));
                    nonEmpty = true;
                }
            }
        }
        if (!nonEmpty || max == 0) {
            return min == 0 ? BasicAutomata.makeEmptyString() : BasicAutomata.makeEmpty();
        }
        int copies = max >= 0 ? max : min + 1;
        State[] boundary = new State[copies + 1]; // boundary[i]: i words read
        for (int i = 0; i <= copies; i++) {
            boundary[i] = i == copies && max < 0 ? boundary[min] : new State();
            boundary[i].setAccept(i >= min);
        }
        for (int i = 0; i < copies; i++) {
            Map<State, State> copy = new HashMap<>();
            for (State q : states) {
                copy.put(q, new State());
            }
            copy.put(end, boundary[i + 1]);
            for (State q : states) {
                for (Transition t : q.getTransitions()) {
                    copy.get(q).addTransition(new Transition(t.getMin(), t.getMax(), copy.get(t.getDest())));
                }
            }
            for (Transition t : start.getTransitions()) { // word i starts where word i - 1 ended
                boundary[i].addTransition(new Transition(t.getMin(), t.getMax(), copy.get(t.getDest())));
            }
        }
        Automaton out = new Automaton();
        out.setInitialState(boundary[0]);
        out.setDeterministic(false);
        out.restoreInvariant();
        return out;
    }

    /** The minimal deterministic form of {@code a} (a new automaton). */
    static Automaton dfa(Automaton a) {
        return ByteDfa.of(a).toAutomaton();
    }

    /** Whether {@code a} accepts nothing (brics' own check is only exact on trimmed automata). */
    static boolean acceptsNothing(Automaton a) {
        Automaton live = a.clone();
        live.removeDeadTransitions();
        return !live.getInitialState().isAccept() && live.getInitialState().getTransitions().isEmpty();
    }

    static Automaton range(int lo, int hi) {
        return BasicAutomata.makeCharRange((char) lo, (char) hi);
    }

    static Automaton anyByte() {
        return range(0, 255);
    }

    static Automaton literal(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            sb.append((char) (b & 0xFF));
        }
        return BasicAutomata.makeString(sb.toString());
    }

    static Automaton literal(String text) {
        return literal(text.getBytes(StandardCharsets.UTF_8));
    }

    /** JSON escape of a character that is not written raw. */
    private static Automaton escape(int c) {
        String shortForm = switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\b' -> "\\b";
            case '\t' -> "\\t";
            case '\n' -> "\\n";
            case '\f' -> "\\f";
            case '\r' -> "\\r";
            default -> null;
        };
        if (shortForm != null) {
            return literal(shortForm);
        }
        List<Automaton> seq = new ArrayList<>();
        seq.add(literal("\\u00"));
        seq.add(hexDigit(c >> 4));
        seq.add(hexDigit(c & 15));
        return BasicOperations.concatenate(seq);
    }

    private static Automaton hexDigit(int v) {
        String lower = Integer.toHexString(v);
        Automaton a = literal(lower);
        return v < 10 ? a : a.union(literal(lower.toUpperCase()));
    }

    /** The UTF-8 encodings of every member of {@code set}. */
    static Automaton utf8(CodePoints set) {
        List<Automaton> seqs = new ArrayList<>();
        for (int i = 0; i < set.rangeCount(); i++) {
            sequences(set.lo(i), set.hi(i), seqs);
        }
        return seqs.isEmpty() ? BasicAutomata.makeEmpty() : BasicOperations.union(seqs);
    }

    /**
     * Splits [lo, hi] into ranges whose UTF-8 encodings have one length and differ only in a suffix of full
     * continuation bytes, so each is a sequence of byte ranges (the method of Rust's regex-syntax Utf8Sequences).
     */
    private static void sequences(int lo, int hi, List<Automaton> out) {
        if (lo > hi) {
            return;
        }
        for (int max : new int[] {0x7F, 0x7FF, 0xFFFF}) {
            if (lo <= max && hi > max) {
                sequences(lo, max, out);
                sequences(max + 1, hi, out);
                return;
            }
        }
        if (hi <= 0x7F) {
            out.add(range(lo, hi));
            return;
        }
        for (int k = 1; k < 4; k++) {
            int m = (1 << (6 * k)) - 1;
            if ((lo & ~m) != (hi & ~m)) {
                if ((lo & m) != 0) {
                    sequences(lo, lo | m, out);
                    sequences((lo | m) + 1, hi, out);
                    return;
                }
                if ((hi & m) != m) {
                    sequences(lo, (hi & ~m) - 1, out);
                    sequences(hi & ~m, hi, out);
                    return;
                }
            }
        }
        byte[] a = new String(Character.toChars(lo)).getBytes(StandardCharsets.UTF_8);
        byte[] b = new String(Character.toChars(hi)).getBytes(StandardCharsets.UTF_8);
        List<Automaton> seq = new ArrayList<>(a.length);
        for (int i = 0; i < a.length; i++) {
            seq.add(range(a[i] & 0xFF, b[i] & 0xFF));
        }
        out.add(BasicOperations.concatenate(seq));
    }
}
