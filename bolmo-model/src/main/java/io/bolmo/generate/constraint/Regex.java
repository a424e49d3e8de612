package io.bolmo.generate.constraint;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.BasicOperations;
import java.util.ArrayList;
import java.util.List;

/**
 * Regular expressions in the ECMA-262 syntax JSON Schema uses for {@code pattern}, the part of it that is regular:
 * literals and escapes, {@code .}, classes ({@code [a-z]}, {@code [^"]}, {@code \d \w \s} and their negations),
 * groups ({@code (...)}, {@code (?:...)}, {@code (?<name>...)}), alternation, the quantifiers {@code * + ? {n}
 * {n,} {n,m}} (lazy forms match the same strings), and {@code ^}/{@code $} at the ends. Lookaround, backreferences,
 * word boundaries and Unicode property escapes have no finite automaton: they are rejected, naming the position.
 * Characters are code points; each is turned into bytes by an {@link ByteAutomata.Encoding}.
 */
final class Regex {

    /** Largest bound of a counted repetition ({@code {n,m}}): each count is a copy of the repeated automaton. */
    static final int MAX_REPEAT = 1000;

    private static final CodePoints DIGIT = CodePoints.range('0', '9');
    private static final CodePoints WORD = CodePoints.of(new int[] {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'});
    private static final CodePoints SPACE = CodePoints.of(new int[] {'\t', '\r', ' ', ' ', 0xA0, 0xA0, 0x1680, 0x1680,
        0x2000, 0x200A, 0x2028, 0x2029, 0x202F, 0x202F, 0x205F, 0x205F, 0x3000, 0x3000, 0xFEFF, 0xFEFF});
    private static final CodePoints LINE_TERMINATORS = CodePoints.of(new int[] {'\n', '\n', '\r', '\r', 0x2028, 0x2029});

    private final int[] cps;
    private final String source;
    private final String where;
    private final ByteAutomata.Encoding encoding;
    private int pos;

    private Regex(String source, String where, ByteAutomata.Encoding encoding) {
        this.source = source;
        this.cps = source.codePoints().toArray();
        this.where = where;
        this.encoding = encoding;
    }

    /** The strings {@code pattern} matches in full; {@code ^} and {@code $} may only stand at its ends. */
    static Automaton fullMatch(String pattern, ByteAutomata.Encoding encoding, String where) {
        Regex r = new Regex(pattern, where, encoding);
        List<Anchored> alts = r.top();
        List<Automaton> out = new ArrayList<>();
        alts.forEach(a -> out.add(a.body));
        return BasicOperations.union(out);
    }

    /**
     * The strings in which {@code pattern} matches somewhere, as JSON Schema's {@code pattern} is meant (ECMA-262
     * {@code test}): unanchored ends may be preceded or followed by anything.
     */
    static Automaton search(String pattern, ByteAutomata.Encoding encoding, String where) {
        Regex r = new Regex(pattern, where, encoding);
        Automaton any = ByteAutomata.repeat(encoding.encode(CodePoints.ALL), 0, -1);
        List<Automaton> out = new ArrayList<>();
        for (Anchored a : r.top()) {
            List<Automaton> seq = new ArrayList<>();
            if (!a.start) {
                seq.add(any);
            }
            seq.add(a.body);
            if (!a.end) {
                seq.add(any);
            }
            out.add(BasicOperations.concatenate(seq));
        }
        return BasicOperations.union(out);
    }

    private record Anchored(boolean start, Automaton body, boolean end) {}

    private List<Anchored> top() {
        List<Anchored> alts = new ArrayList<>();
        do {
            boolean start = peek('^');
            if (start) {
                pos++;
            }
            Automaton body = alternative(true);
            boolean end = peek('$');
            if (end) {
                pos++;
                if (pos < cps.length && cps[pos] != '|') {
                    throw error(pos - 1, "'$' is only supported at the end of the pattern or of a top-level alternative");
                }
            }
            alts.add(new Anchored(start, body, end));
        } while (eat('|'));
        if (pos < cps.length) {
            throw error(pos, cps[pos] == ')' ? "unbalanced ')'" : "unexpected '" + new String(Character.toChars(cps[pos])) + "'");
        }
        return alts;
    }

    private Automaton disjunction() {
        List<Automaton> alts = new ArrayList<>();
        alts.add(alternative(false));
        while (eat('|')) {
            alts.add(alternative(false));
        }
        return alts.size() == 1 ? alts.get(0) : BasicOperations.union(alts);
    }

    private Automaton alternative(boolean top) {
        List<Automaton> seq = new ArrayList<>();
        while (pos < cps.length && cps[pos] != '|' && cps[pos] != ')') {
            if (cps[pos] == '$' && top) {
                break;
            }
            if (cps[pos] == '^' || cps[pos] == '$') {
                throw error(pos, "'" + (char) cps[pos] + "' is only supported at the start ('^') or end ('$') of"
                        + " the pattern or of a top-level alternative");
            }
            seq.add(quantified(atom()));
        }
        return seq.isEmpty() ? BasicAutomata.makeEmptyString() : BasicOperations.concatenate(seq);
    }

    private Automaton quantified(Automaton atom) {
        if (pos >= cps.length) {
            return atom;
        }
        int at = pos;
        int min;
        int max; // -1: unbounded
        switch (cps[pos]) {
            case '*' -> {
                pos++;
                min = 0;
                max = -1;
            }
            case '+' -> {
                pos++;
                min = 1;
                max = -1;
            }
            case '?' -> {
                pos++;
                min = 0;
                max = 1;
            }
            case '{' -> {
                int[] b = braces();
                if (b == null) {
                    return atom;
                }
                min = b[0];
                max = b[1];
            }
            default -> {
                return atom;
            }
        }
        eat('?'); // lazy: the same strings
        if (max >= 0 && max < min) {
            throw error(at, "the repetition {" + min + "," + max + "} has its maximum below its minimum");
        }
        if (min > MAX_REPEAT || max > MAX_REPEAT) {
            throw error(at, "repetition counts above " + MAX_REPEAT + " are not supported");
        }
        if (pos < cps.length && (cps[pos] == '*' || cps[pos] == '+' || cps[pos] == '?' || cps[pos] == '{') && braceOrOp()) {
            throw error(pos, "nothing to repeat");
        }
        return ByteAutomata.repeat(atom, min, max);
    }

    private boolean braceOrOp() {
        if (cps[pos] != '{') {
            return true;
        }
        int save = pos;
        int[] b = braces();
        pos = save;
        return b != null;
    }

    /** {@code {n}}, {@code {n,}} or {@code {n,m}} at pos (consumed), or null (then '{' is a literal, as in Annex B). */
    private int[] braces() {
        int p = pos + 1;
        int n = 0;
        int start = p;
        while (p < cps.length && Character.isDigit(cps[p]) && cps[p] < 128) {
            n = (int) Math.min(Integer.MAX_VALUE / 10, (long) n * 10 + (cps[p++] - '0'));
        }
        if (p == start || p >= cps.length) {
            return null;
        }
        int m = n;
        if (cps[p] == ',') {
            p++;
            int mStart = p;
            m = 0;
            while (p < cps.length && Character.isDigit(cps[p]) && cps[p] < 128) {
                m = (int) Math.min(Integer.MAX_VALUE / 10, (long) m * 10 + (cps[p++] - '0'));
            }
            if (p == mStart) {
                m = -1;
            }
        }
        if (p >= cps.length || cps[p] != '}') {
            return null;
        }
        pos = p + 1;
        return new int[] {n, m};
    }

    private Automaton atom() {
        int c = cps[pos];
        switch (c) {
            case '(' -> {
                int open = pos++;
                if (eat('?')) {
                    if (eat(':')) {
                        // non-capturing
                    } else if (peek('<') && pos + 1 < cps.length && cps[pos + 1] != '=' && cps[pos + 1] != '!') {
                        while (pos < cps.length && cps[pos] != '>') {
                            pos++;
                        }
                        if (!eat('>')) {
                            throw error(open, "unterminated group name");
                        }
                    } else {
                        throw error(open, "lookaround ((?=, (?!, (?<=, (?<!) is not supported: it has no finite automaton");
                    }
                }
                Automaton inner = disjunction();
                if (!eat(')')) {
                    throw error(open, "unterminated group '('");
                }
                return inner;
            }
            case '[' -> {
                return encoding.encode(charClass());
            }
            case '.' -> {
                pos++;
                return encoding.encode(CodePoints.ALL.minus(LINE_TERMINATORS));
            }
            case '\\' -> {
                return encoding.encode(escape(false));
            }
            case '*', '+', '?' -> throw error(pos, "nothing to repeat before '" + (char) c + "'");
            case '{' -> {
                if (braceOrOpAt()) {
                    throw error(pos, "nothing to repeat before '{'");
                }
                pos++;
                return encoding.encode(CodePoints.single(c));
            }
            default -> {
                pos++;
                return encoding.encode(CodePoints.single(c));
            }
        }
    }

    private boolean braceOrOpAt() {
        int save = pos;
        int[] b = braces();
        pos = save;
        return b != null;
    }

    /** A class {@code [...]} at pos. */
    private CodePoints charClass() {
        int open = pos++;
        boolean negate = eat('^');
        CodePoints set = CodePoints.NONE;
        while (true) {
            if (pos >= cps.length) {
                throw error(open, "unterminated character class '['");
            }
            if (eat(']')) {
                break;
            }
            int at = pos;
            CodePoints a = classAtom();
            if (peek('-') && pos + 1 < cps.length && cps[pos + 1] != ']') {
                pos++;
                CodePoints b = classAtom();
                if (a.rangeCount() != 1 || a.lo(0) != a.hi(0) || b.rangeCount() != 1 || b.lo(0) != b.hi(0)) {
                    throw error(at, "a class escape (\\d, \\w, \\s, ...) cannot bound a range");
                }
                if (b.lo(0) < a.lo(0)) {
                    throw error(at, "range out of order in character class");
                }
                set = set.union(CodePoints.range(a.lo(0), b.lo(0)));
            } else {
                set = set.union(a);
            }
        }
        return negate ? set.complement() : set;
    }

    private CodePoints classAtom() {
        if (cps[pos] == '\\') {
            return escape(true);
        }
        return CodePoints.single(cps[pos++]);
    }

    /** An escape at pos ({@code \}...); {@code inClass}: {@code \b} is a backspace there. */
    private CodePoints escape(boolean inClass) {
        int at = pos++;
        if (pos >= cps.length) {
            throw error(at, "'\\' at the end of the pattern");
        }
        int c = cps[pos++];
        switch (c) {
            case 'd':
                return DIGIT;
            case 'D':
                return DIGIT.complement();
            case 'w':
                return WORD;
            case 'W':
                return WORD.complement();
            case 's':
                return SPACE;
            case 'S':
                return SPACE.complement();
            case 't':
                return CodePoints.single('\t');
            case 'n':
                return CodePoints.single('\n');
            case 'r':
                return CodePoints.single('\r');
            case 'f':
                return CodePoints.single('\f');
            case 'v':
                return CodePoints.single(0x0B);
            case '0':
                if (pos < cps.length && cps[pos] >= '0' && cps[pos] <= '9') {
                    throw error(at, "octal escapes are not supported");
                }
                return CodePoints.single(0);
            case 'c':
                if (pos < cps.length && Character.isLetter(cps[pos]) && cps[pos] < 128) {
                    return CodePoints.single(cps[pos++] % 32);
                }
                throw error(at, "\\c must be followed by a letter");
            case 'x':
                return CodePoints.single(hex(2, at));
            case 'u':
                if (eat('{')) {
                    int start = pos;
                    while (pos < cps.length && cps[pos] != '}') {
                        pos++;
                    }
                    if (pos == start || pos >= cps.length || pos - start > 6) {
                        throw error(at, "malformed \\u{...} escape");
                    }
                    int v = parseHex(start, pos, at);
                    pos++;
                    if (v > CodePoints.MAX) {
                        throw error(at, "\\u{...} beyond U+10FFFF");
                    }
                    return CodePoints.single(v);
                }
                int v = hex(4, at);
                if (v >= 0xD800 && v <= 0xDBFF && pos + 6 <= cps.length && cps[pos] == '\\' && cps[pos + 1] == 'u') {
                    int save = pos;
                    pos += 2;
                    int low = hex(4, at);
                    if (low >= 0xDC00 && low <= 0xDFFF) {
                        return CodePoints.single(Character.toCodePoint((char) v, (char) low));
                    }
                    pos = save;
                }
                if (v >= 0xD800 && v <= 0xDFFF) {
                    throw error(at, "a lone surrogate \\u" + Integer.toHexString(v) + " has no UTF-8 encoding");
                }
                return CodePoints.single(v);
            case 'b':
                if (inClass) {
                    return CodePoints.single('\b');
                }
                throw error(at, "word boundaries (\\b) are not supported");
            case 'B':
                throw error(at, "word boundaries (\\B) are not supported");
            case 'k':
                throw error(at, "backreferences (\\k<name>) are not supported: they have no finite automaton");
            case 'p', 'P':
                throw error(at, "Unicode property escapes (\\p{...}) are not supported");
            default:
                if (c >= '1' && c <= '9') {
                    throw error(at, "backreferences (\\" + (char) c + ") are not supported: they have no finite automaton");
                }
                if (Character.isLetterOrDigit(c) && c < 128) {
                    throw error(at, "unknown escape \\" + (char) c);
                }
                return CodePoints.single(c); // identity escape: \. \* \\ \/ ...
        }
    }

    private int hex(int digits, int at) {
        if (pos + digits > cps.length) {
            throw error(at, "malformed hexadecimal escape");
        }
        int v = parseHex(pos, pos + digits, at);
        pos += digits;
        return v;
    }

    private int parseHex(int from, int to, int at) {
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(cps[i], 16);
            if (d < 0 || cps[i] >= 128) {
                throw error(at, "malformed hexadecimal escape");
            }
            v = v * 16 + d;
        }
        return v;
    }

    private boolean peek(int c) {
        return pos < cps.length && cps[pos] == c;
    }

    private boolean eat(int c) {
        if (peek(c)) {
            pos++;
            return true;
        }
        return false;
    }

    private ConstraintException error(int at, String message) {
        return new ConstraintException(message + " (in pattern \"" + source + "\" at position " + at + ")", where);
    }
}
