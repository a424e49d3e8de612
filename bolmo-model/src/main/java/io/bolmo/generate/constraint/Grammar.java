package io.bolmo.generate.constraint;

import dk.brics.automaton.Automaton;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A compiled byte grammar: a recursive transition network. Each rule is a finite automaton over bytes whose states
 * may also <em>call</em> another rule (push a return state, run the callee from its start, pop when it may end). A
 * JSON object rule calls its property values' rules, a value union calls its alternatives. The compilers keep the
 * call graph acyclic (recursion is unrolled to the depth limit), so every stack is bounded and {@link #finish},
 * the fewest bytes from a state to the end of its rule, is finite wherever a completion exists.
 *
 * <p>Immutable once built; states are ints, a rule is named by its start state. Arrays per state: byte edges
 * (inclusive ranges), calls (callee, return state), whether the rule may end there, the 256-bit mask of its edges,
 * and the costs the budget check needs.
 */
final class Grammar {

    /** Unreachable: no completion. */
    static final int NEVER = Integer.MAX_VALUE / 4;

    private final int[] edgeStart; // per state: its edges are edgeStart[s] .. edgeStart[s + 1] - 1
    private final int[] edgeLo;
    private final int[] edgeHi;
    private final int[] edgeTo;
    private final int[] callStart;
    private final int[] callRule;
    private final int[] callReturn;
    private final boolean[] accepting;
    private final int[] finish;
    private final long[] masks; // 4 words per state
    private final int[] maxEdgeCost; // largest 1 + finish[to] over the state's edges
    private final int start;

    private Grammar(Builder b, int start) {
        int n = b.states;
        this.start = start;
        this.accepting = Arrays.copyOf(b.accepting, n);
        this.edgeStart = new int[n + 1];
        this.callStart = new int[n + 1];
        int edges = 0;
        int calls = 0;
        for (int s = 0; s < n; s++) {
            edges += b.edges.get(s).size() / 3;
            calls += b.calls.get(s).size() / 2;
        }
        edgeLo = new int[edges];
        edgeHi = new int[edges];
        edgeTo = new int[edges];
        callRule = new int[calls];
        callReturn = new int[calls];
        int e = 0;
        int c = 0;
        for (int s = 0; s < n; s++) {
            edgeStart[s] = e;
            IntList es = b.edges.get(s);
            for (int i = 0; i < es.size(); i += 3) {
                edgeLo[e] = es.get(i);
                edgeHi[e] = es.get(i + 1);
                edgeTo[e++] = es.get(i + 2);
            }
            callStart[s] = c;
            IntList cs = b.calls.get(s);
            for (int i = 0; i < cs.size(); i += 2) {
                callRule[c] = cs.get(i);
                callReturn[c++] = cs.get(i + 1);
            }
        }
        edgeStart[n] = e;
        callStart[n] = c;
        this.finish = shortestCompletions(n);
        this.masks = new long[4 * n];
        this.maxEdgeCost = new int[n];
        for (int s = 0; s < n; s++) {
            for (int k = edgeStart[s]; k < edgeStart[s + 1]; k++) {
                if (finish[edgeTo[k]] < NEVER) {
                    setRange(masks, 4 * s, edgeLo[k], edgeHi[k]);
                    maxEdgeCost[s] = Math.max(maxEdgeCost[s], 1 + finish[edgeTo[k]]);
                }
            }
        }
    }

    int start() {
        return start;
    }

    int states() {
        return accepting.length;
    }

    boolean accepting(int s) {
        return accepting[s];
    }

    /** Fewest bytes from {@code s} to a state where its rule may end ({@link #NEVER}: none). */
    int finish(int s) {
        return finish[s];
    }

    boolean hasEdges(int s) {
        return edgeStart[s] < edgeStart[s + 1];
    }

    int firstCall(int s) {
        return callStart[s];
    }

    int endCall(int s) {
        return callStart[s + 1];
    }

    int callRule(int k) {
        return callRule[k];
    }

    int callReturn(int k) {
        return callReturn[k];
    }

    /** The target of {@code s}'s edge on byte {@code b}, or −1. Edges of a state are disjoint by construction. */
    int next(int s, int b) {
        for (int k = edgeStart[s]; k < edgeStart[s + 1]; k++) {
            if (b >= edgeLo[k] && b <= edgeHi[k]) {
                return edgeTo[k];
            }
        }
        return -1;
    }

    /**
     * ORs into {@code mask} the bytes of {@code s}'s edges whose target can still end its rule within
     * {@code avail - 1} bytes (the byte itself costs one).
     */
    void allowed(int s, int avail, long[] mask) {
        if (avail >= maxEdgeCost[s]) {
            int o = 4 * s;
            mask[0] |= masks[o];
            mask[1] |= masks[o + 1];
            mask[2] |= masks[o + 2];
            mask[3] |= masks[o + 3];
            return;
        }
        for (int k = edgeStart[s]; k < edgeStart[s + 1]; k++) {
            if (1 + finish[edgeTo[k]] <= avail) {
                setRange(mask, 0, edgeLo[k], edgeHi[k]);
            }
        }
    }

    static void setRange(long[] mask, int offset, int lo, int hi) {
        for (int b = lo; b <= hi; b++) {
            mask[offset + (b >>> 6)] |= 1L << (b & 63);
        }
    }

    /**
     * {@link #finish} for every state: a shortest-path computation where a byte edge costs 1 and a call costs its
     * callee's shortest completion plus the return state's (Knuth's generalisation of Dijkstra: a call is relaxed
     * once both its callee's start and its return state are settled).
     */
    private int[] shortestCompletions(int n) {
        int[] d = new int[n];
        Arrays.fill(d, NEVER);
        boolean[] settled = new boolean[n];
        List<IntList> bytePreds = new ArrayList<>(n);
        List<IntList> callsOn = new ArrayList<>(n); // per state: calls (by index) whose callee or return it is
        int[] callOwner = new int[callRule.length];
        for (int s = 0; s < n; s++) {
            bytePreds.add(new IntList());
            callsOn.add(new IntList());
        }
        for (int s = 0; s < n; s++) {
            for (int k = edgeStart[s]; k < edgeStart[s + 1]; k++) {
                bytePreds.get(edgeTo[k]).add(s);
            }
            for (int k = callStart[s]; k < callStart[s + 1]; k++) {
                callOwner[k] = s;
                callsOn.get(callRule[k]).add(k);
                if (callReturn[k] != callRule[k]) {
                    callsOn.get(callReturn[k]).add(k);
                }
            }
        }
        PriorityQueue<long[]> queue = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        for (int s = 0; s < n; s++) {
            if (accepting[s]) {
                d[s] = 0;
                queue.add(new long[] {0, s});
            }
        }
        while (!queue.isEmpty()) {
            long[] top = queue.poll();
            int x = (int) top[1];
            if (settled[x] || top[0] > d[x]) {
                continue;
            }
            settled[x] = true;
            IntList preds = bytePreds.get(x);
            for (int i = 0; i < preds.size(); i++) {
                relax(d, queue, preds.get(i), d[x] + 1);
            }
            IntList on = callsOn.get(x);
            for (int i = 0; i < on.size(); i++) {
                int k = on.get(i);
                if (settled[callRule[k]] && settled[callReturn[k]]) {
                    relax(d, queue, callOwner[k], d[callRule[k]] + d[callReturn[k]]);
                }
            }
        }
        return d;
    }

    private static void relax(int[] d, PriorityQueue<long[]> queue, int s, int cost) {
        if (cost < d[s]) {
            d[s] = cost;
            queue.add(new long[] {cost, s});
        }
    }

    /** Growable int array. */
    static final class IntList {
        private int[] a = new int[4];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, 2 * n);
            }
            a[n++] = v;
        }

        int get(int i) {
            return a[i];
        }

        int size() {
            return n;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    /**
     * Builds a grammar state by state. Edges added from one state must not overlap (every rule is deterministic on
     * its byte edges; alternatives that share first bytes are separate rules called from one state, which the
     * {@link ConstraintMatcher} follows side by side).
     */
    static final class Builder {
        private final int maxStates;
        private int states;
        private final List<IntList> edges = new ArrayList<>();
        private final List<IntList> calls = new ArrayList<>();
        private boolean[] accepting = new boolean[64];
        private boolean[] chain = new boolean[64]; // inner state of a literal, reusable by literals sharing a prefix
        private final Map<Automaton, Integer> imported = new IdentityHashMap<>();

        Builder(int maxStates) {
            this.maxStates = maxStates;
        }

        int newState() {
            if (states == maxStates) {
                throw new ConstraintException("the constraint needs more than " + maxStates + " automaton states;"
                        + " simplify it (fewer or shorter alternatives, smaller length or item bounds)", "");
            }
            if (states == accepting.length) {
                accepting = Arrays.copyOf(accepting, 2 * states);
                chain = Arrays.copyOf(chain, 2 * states);
            }
            edges.add(new IntList());
            calls.add(new IntList());
            return states++;
        }

        int states() {
            return states;
        }

        void edge(int from, int lo, int hi, int to) {
            IntList es = edges.get(from);
            for (int i = 0; i < es.size(); i += 3) {
                if (lo <= es.get(i + 1) && hi >= es.get(i)) {
                    throw new IllegalStateException("overlapping edges from state " + from);
                }
            }
            es.add(lo);
            es.add(hi);
            es.add(to);
        }

        boolean hasEdges(int s) {
            return edges.get(s).size() > 0;
        }

        void call(int from, int rule, int to) {
            calls.get(from).add(rule);
            calls.get(from).add(to);
        }

        void accept(int s) {
            accepting[s] = true;
        }

        /**
         * Adds the bytes of {@code text} from {@code from}, reusing the inner states of literals added before from
         * the same state (a trie), and returns the state after the last byte, or {@code end} if it is ≥ 0.
         */
        int literal(int from, byte[] text, int end) {
            int s = from;
            for (int i = 0; i < text.length; i++) {
                int b = text[i] & 0xFF;
                boolean last = i == text.length - 1;
                int t = target(s, b);
                if (t >= 0 && chain[t] && !last) {
                    s = t;
                    continue;
                }
                if (t >= 0) {
                    throw new IllegalStateException("literal clashes with an edge of state " + s);
                }
                int next = last && end >= 0 ? end : newState();
                if (!last) {
                    chain[next] = true;
                }
                edge(s, b, b, next);
                s = next;
            }
            return s;
        }

        private int target(int s, int b) {
            IntList es = edges.get(s);
            for (int i = 0; i < es.size(); i += 3) {
                if (b >= es.get(i) && b <= es.get(i + 1)) {
                    return es.get(i + 2);
                }
            }
            return -1;
        }

        /** Makes {@code to} behave as {@code from} does (its edges, calls and ending): an optional prefix without ε-edges. */
        void copyOutgoing(int from, int to) {
            IntList es = edges.get(from);
            for (int i = 0; i < es.size(); i += 3) {
                edge(to, es.get(i), es.get(i + 1), es.get(i + 2));
            }
            IntList cs = calls.get(from);
            for (int i = 0; i < cs.size(); i += 2) {
                call(to, cs.get(i), cs.get(i + 1));
            }
            if (accepting[from]) {
                accept(to);
            }
        }

        /**
         * A rule from an automaton over bytes (chars 0..255; deterministic or not): its start state. It is made
         * deterministic and minimal first ({@link ByteDfa}); the same automaton object is imported once.
         */
        int rule(Automaton a) {
            Integer known = imported.get(a);
            if (known != null) {
                return known;
            }
            ByteDfa dfa = ByteDfa.of(a);
            int base = states;
            for (int s = 0; s < dfa.states(); s++) {
                newState();
            }
            for (int s = 0; s < dfa.states(); s++) {
                if (dfa.accept[s]) {
                    accept(base + s);
                }
                for (int b = 0; b < 256; ) {
                    int t = dfa.next[s * 256 + b];
                    int e = b;
                    while (e + 1 < 256 && dfa.next[s * 256 + e + 1] == t) {
                        e++;
                    }
                    if (t >= 0) {
                        edge(base + s, b, e, base + t);
                    }
                    b = e + 1;
                }
            }
            imported.put(a, base);
            return base;
        }

        Grammar build(int start) {
            return new Grammar(this, start);
        }
    }
}
