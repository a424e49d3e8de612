package io.bolmo.generate.constraint;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deterministic automaton over bytes as a table ({@code next[s * 256 + b]}, −1: no transition), made from a
 * brics automaton by subset construction and reduced to its minimal, trimmed form by partition refinement. brics
 * builds the automata (union, concatenation, intersection); these two steps are done here because brics' own
 * determinisation and minimisation take seconds over a 256-symbol alphabet where a table takes milliseconds.
 */
final class ByteDfa {

    final int[] next;
    final boolean[] accept;

    private ByteDfa(int[] next, boolean[] accept) {
        this.next = next;
        this.accept = accept;
    }

    int states() {
        return accept.length;
    }

    /** The minimal DFA of {@code a}'s language; state 0 is the start. An empty language gives one dead state. */
    static ByteDfa of(Automaton a) {
        return determinize(a).minimal();
    }

    /** Subset construction from any brics automaton (chars above 255 are ignored). */
    private static ByteDfa determinize(Automaton a) {
        List<State> states = new ArrayList<>(a.getStates());
        Map<State, Integer> number = new IdentityHashMap<>();
        for (State st : states) {
            number.put(st, number.size());
        }
        int[][] trans = new int[states.size()][]; // per NFA state: lo, hi, dest, ...
        for (State st : states) {
            Grammar.IntList t = new Grammar.IntList();
            for (Transition tr : st.getTransitions()) {
                if (tr.getMin() <= 255) {
                    t.add(tr.getMin());
                    t.add(Math.min(tr.getMax(), 255));
                    t.add(number.get(tr.getDest()));
                }
            }
            trans[number.get(st)] = t.toArray();
        }
        Map<BitSet, Integer> ids = new HashMap<>();
        List<BitSet> sets = new ArrayList<>();
        Grammar.IntList table = new Grammar.IntList();
        BitSet first = new BitSet();
        first.set(number.get(a.getInitialState()));
        ids.put(first, 0);
        sets.add(first);
        List<Boolean> accepting = new ArrayList<>();
        BitSet[] targets = new BitSet[256];
        for (int q = 0; q < sets.size(); q++) {
            BitSet set = sets.get(q);
            Arrays.fill(targets, null);
            boolean acc = false;
            for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
                acc |= states.get(i).isAccept();
                int[] t = trans[i];
                for (int k = 0; k < t.length; k += 3) {
                    for (int b = t[k]; b <= t[k + 1]; b++) {
                        if (targets[b] == null) {
                            targets[b] = new BitSet();
                        }
                        targets[b].set(t[k + 2]);
                    }
                }
            }
            accepting.add(acc);
            for (int b = 0; b < 256; b++) {
                int to = -1;
                if (targets[b] != null) {
                    Integer id = ids.get(targets[b]);
                    if (id == null) {
                        id = sets.size();
                        ids.put(targets[b], id);
                        sets.add(targets[b]);
                    }
                    to = id;
                }
                table.add(to);
            }
        }
        boolean[] acc = new boolean[accepting.size()];
        for (int i = 0; i < acc.length; i++) {
            acc[i] = accepting.get(i);
        }
        return new ByteDfa(table.toArray(), acc);
    }

    /**
     * The minimal equivalent: states that cannot reach an accepting one are dropped (their transitions become −1),
     * then Moore's refinement merges states no byte string tells apart.
     */
    private ByteDfa minimal() {
        int n = accept.length;
        boolean[] live = new boolean[n];
        for (int s = 0; s < n; s++) {
            live[s] = accept[s];
        }
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int s = 0; s < n; s++) {
                if (!live[s]) {
                    for (int b = 0; b < 256; b++) {
                        int t = next[s * 256 + b];
                        if (t >= 0 && live[t]) {
                            live[s] = true;
                            changed = true;
                            break;
                        }
                    }
                }
            }
        }
        int[] cls = new int[n];
        int classes = 0;
        for (int s = 0; s < n; s++) {
            cls[s] = live[s] ? (accept[s] ? 1 : 0) : -1;
        }
        classes = refineCount(cls);
        int[] columns = distinctColumns(); // bytes that move every state alike count once
        while (true) {
            Map<IntArrayKey, Integer> sig = new HashMap<>();
            int[] refined = new int[n];
            for (int s = 0; s < n; s++) {
                if (cls[s] < 0) {
                    refined[s] = -1;
                    continue;
                }
                int[] key = new int[columns.length + 1];
                key[columns.length] = cls[s];
                for (int j = 0; j < columns.length; j++) {
                    int t = next[s * 256 + columns[j]];
                    key[j] = t < 0 ? -1 : cls[t];
                }
                refined[s] = sig.computeIfAbsent(new IntArrayKey(key), k -> sig.size());
            }
            int count = sig.size();
            cls = refined;
            if (count == classes) {
                break;
            }
            classes = count;
        }
        if (cls[0] < 0) { // empty language
            int[] none = new int[256];
            Arrays.fill(none, -1);
            return new ByteDfa(none, new boolean[1]);
        }
        int[] order = new int[classes]; // class → new number, the start's class first
        Arrays.fill(order, -1);
        order[cls[0]] = 0;
        int numbered = 1;
        for (int s = 0; s < n; s++) {
            if (cls[s] >= 0 && order[cls[s]] < 0) {
                order[cls[s]] = numbered++;
            }
        }
        int[] out = new int[classes * 256];
        boolean[] acc = new boolean[classes];
        for (int s = 0; s < n; s++) {
            if (cls[s] < 0) {
                continue;
            }
            int c = order[cls[s]];
            acc[c] = accept[s];
            for (int b = 0; b < 256; b++) {
                int t = next[s * 256 + b];
                out[c * 256 + b] = t < 0 || cls[t] < 0 ? -1 : order[cls[t]];
            }
        }
        return new ByteDfa(out, acc);
    }

    /** One byte of each group of bytes whose transitions agree in every state. */
    private int[] distinctColumns() {
        int n = accept.length;
        Map<IntArrayKey, Integer> seen = new HashMap<>();
        Grammar.IntList out = new Grammar.IntList();
        for (int b = 0; b < 256; b++) {
            int[] col = new int[n];
            for (int s = 0; s < n; s++) {
                col[s] = next[s * 256 + b];
            }
            if (seen.putIfAbsent(new IntArrayKey(col), b) == null) {
                out.add(b);
            }
        }
        return out.toArray();
    }

    private static int refineCount(int[] cls) {
        boolean zero = false;
        boolean one = false;
        for (int c : cls) {
            zero |= c == 0;
            one |= c == 1;
        }
        return (zero ? 1 : 0) + (one ? 1 : 0);
    }

    /** Back to a brics automaton, for further brics operations. */
    Automaton toAutomaton() {
        State[] st = new State[states()];
        for (int s = 0; s < st.length; s++) {
            st[s] = new State();
            st[s].setAccept(accept[s]);
        }
        for (int s = 0; s < st.length; s++) {
            for (int b = 0; b < 256; ) {
                int t = next[s * 256 + b];
                int e = b;
                while (e + 1 < 256 && next[s * 256 + e + 1] == t) {
                    e++;
                }
                if (t >= 0) {
                    st[s].addTransition(new Transition((char) b, (char) e, st[t]));
                }
                b = e + 1;
            }
        }
        Automaton a = new Automaton();
        a.setInitialState(st[0]);
        a.setDeterministic(true);
        return a;
    }

    /** An int[] as a hash key. */
    private record IntArrayKey(int[] a) {
        @Override
        public boolean equals(Object o) {
            return o instanceof IntArrayKey k && Arrays.equals(a, k.a);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(a);
        }
    }
}
