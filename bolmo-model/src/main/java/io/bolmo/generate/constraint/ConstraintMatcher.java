package io.bolmo.generate.constraint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One generation's walk through a {@link ByteConstraint}: which bytes may come next, whether the output may end
 * here, and the step to the next position. Not thread-safe; every generation (every row of a batch) has its own,
 * from {@link ByteConstraint#matcher}.
 *
 * <p>The position is a set of configurations (a state and a return stack): alternatives that share a prefix (two
 * object schemas of a union, text that might become a tool call) are followed side by side until the bytes tell
 * them apart. A byte is allowed when some configuration has an edge on it <em>and</em> the output can still be
 * completed within the byte budget from there, so a generation that reaches its byte limit has always ended on a
 * complete match (the budget steers the last bytes towards the shortest completion).
 *
 * <p>Stop sequences: a byte that would complete one of them is allowed only where the text before the stop
 * sequence is a complete match; elsewhere (inside a JSON string, say) it is masked, because stopping there would
 * cut the output short.
 */
public final class ConstraintMatcher {

    /** Above this many side-by-side configurations the constraint is too ambiguous to follow cheaply. */
    static final int MAX_CONFIGS = 4096;

    private final Grammar g;
    private final byte[][] stops;
    private final int budget;
    private final byte[] recent; // the last bytes generated, for stop sequences (ring)
    private final boolean[] acceptedAt; // acceptedAt[k % length]: the first k bytes were a complete match
    private List<Config> configs;
    private int generated;
    private long[] mask; // cached until the next advance
    private boolean accepting;

    ConstraintMatcher(Grammar g, int budget, List<String> stops) {
        this.g = g;
        this.budget = budget;
        this.stops = stops.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        int longest = 1;
        for (byte[] s : this.stops) {
            longest = Math.max(longest, s.length);
        }
        this.recent = new byte[longest];
        this.acceptedAt = new boolean[longest + 1];
        List<Config> first = new ArrayList<>();
        closure(g.start(), null, budget, first, new HashSet<>());
        if (first.isEmpty()) {
            throw new IllegalArgumentException("maxNewBytes = " + budget + " is too small for the constraint: its"
                    + " shortest output is " + g.finish(g.start()) + " bytes");
        }
        configs = first;
        settle();
    }

    /** Bytes generated under this matcher so far. */
    public int generated() {
        return generated;
    }

    /** The bytes allowed next, as a 256-bit mask (4 words, bit {@code b & 63} of word {@code b >> 6}); read-only. */
    public long[] allowedBytes() {
        return mask;
    }

    public boolean allows(int b) {
        return b >= 0 && b < 256 && (mask[b >>> 6] & (1L << (b & 63))) != 0;
    }

    /** The output so far is a complete match: it may end here (EOS is allowed). */
    public boolean mayEnd() {
        return accepting;
    }

    /** A complete match that nothing may extend (or the byte budget is spent): the generation is over. */
    public boolean isComplete() {
        return accepting && (mask[0] | mask[1] | mask[2] | mask[3]) == 0;
    }

    /** Moves past byte {@code b}, which must be {@linkplain #allows allowed}. */
    public void advance(int b) {
        if (!allows(b)) {
            throw new IllegalArgumentException("byte " + b + " is not allowed by the constraint here");
        }
        int avail = budget - generated - 1;
        List<Config> next = new ArrayList<>();
        Set<Config> seen = new HashSet<>();
        for (Config c : configs) {
            int t = g.next(c.state, b);
            if (t >= 0) {
                closure(t, c.stack, avail, next, seen);
            }
        }
        if (next.isEmpty()) {
            throw new IllegalStateException("no configuration survives byte " + b + " (a constraint bug)");
        }
        if (next.size() > MAX_CONFIGS) {
            throw new IllegalStateException("the constraint follows more than " + MAX_CONFIGS + " alternatives at"
                    + " once; make the schema's anyOf alternatives differ earlier");
        }
        recent[generated % recent.length] = (byte) b;
        generated++;
        configs = next;
        settle();
    }

    /** Computes acceptance and the mask of the current position. */
    private void settle() {
        accepting = false;
        long[] m = new long[4];
        for (Config c : configs) {
            if (c.stack == null && g.accepting(c.state)) {
                accepting = true;
            }
            g.allowed(c.state, budget - generated - stackCost(c.stack), m);
        }
        acceptedAt[generated % acceptedAt.length] = accepting;
        long[] filtered = withoutEarlyStops(m);
        boolean dead = (filtered[0] | filtered[1] | filtered[2] | filtered[3]) == 0 && !accepting;
        mask = dead ? m : filtered; // a constraint that requires a stop sequence: let the stop end it
    }

    /** {@code m} without the bytes that would complete a stop sequence right after an incomplete match. */
    private long[] withoutEarlyStops(long[] m) {
        long[] out = m.clone();
        for (byte[] s : stops) {
            int len = s.length;
            if (generated + 1 < len || acceptedAt[(generated + 1 - len) % acceptedAt.length]) {
                continue;
            }
            if (endsWith(s, len - 1)) {
                int b = s[len - 1] & 0xFF;
                out[b >>> 6] &= ~(1L << (b & 63));
            }
        }
        return out;
    }

    /** The last {@code k} generated bytes equal the first {@code k} bytes of {@code s}. */
    private boolean endsWith(byte[] s, int k) {
        for (int i = 0; i < k; i++) {
            int pos = generated - k + i;
            if (recent[pos % recent.length] != s[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Adds the configurations reachable from (state, stack) without reading a byte: into called rules, and out of
     * rules that may end. Keeps only those from which the output can be completed within {@code avail} bytes, and
     * of those only the ones that read a byte next or end the whole output.
     */
    private void closure(int state, Frame stack, int avail, List<Config> out, Set<Config> seen) {
        if (g.finish(state) + stackCost(stack) > avail) {
            return;
        }
        Config c = new Config(state, stack);
        if (!seen.add(c)) {
            return;
        }
        if (g.hasEdges(state) || (stack == null && g.accepting(state))) {
            out.add(c);
        }
        for (int k = g.firstCall(state); k < g.endCall(state); k++) {
            int ret = g.callReturn(k);
            closure(g.callRule(k), new Frame(ret, stack, g.finish(ret)), avail, out, seen);
        }
        if (stack != null && g.accepting(state)) {
            closure(stack.ret, stack.next, avail, out, seen);
        }
    }

    private static int stackCost(Frame f) {
        return f == null ? 0 : f.cost;
    }

    /** (state, return stack); equal when both are. */
    private record Config(int state, Frame stack) {}

    /** An immutable return stack: shared tails, cached cost (sum of the return states' completions) and hash. */
    private static final class Frame {
        final int ret;
        final Frame next;
        final int cost;
        final int hash;

        Frame(int ret, Frame next, int finish) {
            this.ret = ret;
            this.next = next;
            this.cost = Math.min(Grammar.NEVER, finish + stackCost(next));
            this.hash = 31 * Objects.hashCode(next) + ret;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            return o instanceof Frame f && f.hash == hash && f.ret == ret && Objects.equals(f.next, next);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
