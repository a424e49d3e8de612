package io.bolmo.generate.constraint;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of Unicode scalar values as sorted, disjoint, non-adjacent inclusive ranges (a regex character class).
 * Surrogates (U+D800..U+DFFF) are never members: they have no UTF-8 encoding.
 */
final class CodePoints {

    static final int MAX = 0x10FFFF;
    static final CodePoints NONE = new CodePoints(new int[0]);
    static final CodePoints ALL = range(0, MAX);

    private final int[] ranges; // lo0, hi0, lo1, hi1, ...

    private CodePoints(int[] ranges) {
        this.ranges = ranges;
    }

    static CodePoints range(int lo, int hi) {
        return of(new int[] {lo, hi});
    }

    static CodePoints single(int cp) {
        return range(cp, cp);
    }

    /** From ranges in any order, overlapping or not; surrogates removed. */
    static CodePoints of(int[] loHi) {
        List<int[]> list = new ArrayList<>();
        for (int i = 0; i < loHi.length; i += 2) {
            int lo = Math.max(0, loHi[i]);
            int hi = Math.min(MAX, loHi[i + 1]);
            if (lo <= hi) {
                list.add(new int[] {lo, hi});
            }
        }
        list.sort((a, b) -> Integer.compare(a[0], b[0]));
        List<int[]> merged = new ArrayList<>();
        for (int[] r : list) {
            int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                merged.add(r.clone());
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int[] r : merged) { // cut the surrogates out
            if (r[1] < 0xD800 || r[0] > 0xDFFF) {
                out.add(r[0]);
                out.add(r[1]);
                continue;
            }
            if (r[0] < 0xD800) {
                out.add(r[0]);
                out.add(0xD7FF);
            }
            if (r[1] > 0xDFFF) {
                out.add(0xE000);
                out.add(r[1]);
            }
        }
        return new CodePoints(out.stream().mapToInt(Integer::intValue).toArray());
    }

    CodePoints union(CodePoints o) {
        int[] both = new int[ranges.length + o.ranges.length];
        System.arraycopy(ranges, 0, both, 0, ranges.length);
        System.arraycopy(o.ranges, 0, both, ranges.length, o.ranges.length);
        return of(both);
    }

    CodePoints complement() {
        List<Integer> out = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            if (ranges[i] > next) {
                out.add(next);
                out.add(ranges[i] - 1);
            }
            next = ranges[i + 1] + 1;
        }
        if (next <= MAX) {
            out.add(next);
            out.add(MAX);
        }
        return of(out.stream().mapToInt(Integer::intValue).toArray());
    }

    CodePoints intersect(CodePoints o) {
        return complement().union(o.complement()).complement();
    }

    CodePoints minus(CodePoints o) {
        return intersect(o.complement());
    }

    boolean isEmpty() {
        return ranges.length == 0;
    }

    int rangeCount() {
        return ranges.length / 2;
    }

    int lo(int i) {
        return ranges[2 * i];
    }

    int hi(int i) {
        return ranges[2 * i + 1];
    }
}
