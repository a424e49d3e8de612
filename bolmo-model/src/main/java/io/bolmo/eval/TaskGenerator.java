package io.bolmo.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Deterministic CUTE-style items from a word list (model.md §10.2): for a seed and task the same words, letters,
 * distractors and candidate order every time. Each item has the correct answer and {@value #DISTRACTORS}
 * distractors made by plausible mistakes (the operation applied at the wrong place or only once, the untouched
 * word, a slip of one letter), all distinct.
 */
public final class TaskGenerator {

    public static final int DISTRACTORS = 3;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz";

    private final List<String> words;
    private final long seed;

    public TaskGenerator(List<String> words, long seed) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("no words to build character tasks from");
        }
        for (String w : words) {
            if (w.codePointCount(0, w.length()) < 2) {
                throw new IllegalArgumentException("word \"" + w + "\" is too short for character tasks (< 2)");
            }
        }
        this.words = List.copyOf(words);
        this.seed = seed;
    }

    /** {@code n} items of {@code task}; words cycle through a seeded permutation of the list. */
    public List<TaskExample> generate(CharTask task, int n) {
        Random rnd = new Random(seed * 1_000_003L + task.ordinal());
        List<String> order = new ArrayList<>(words);
        Collections.shuffle(order, rnd);
        List<TaskExample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(item(task, order.get(i % order.size()), rnd));
        }
        return out;
    }

    private TaskExample item(CharTask task, String word, Random rnd) {
        int[] w = word.codePoints().toArray();
        String letter = str(w[rnd.nextInt(w.length)]);
        String other;
        do {
            other = String.valueOf(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
        } while (other.equals(letter));
        String answer;
        List<String> plausible = new ArrayList<>();
        String slipped = str(slip(w, rnd));
        switch (task) {
            case SPELL -> {
                answer = spell(w);
                plausible.add(spell(slip(w, rnd)));
                plausible.add(spell(slip(w, rnd)));
                plausible.add(word);
            }
            case REVERSE -> {
                answer = str(reverse(w));
                plausible.add(word);
                plausible.add(str(reverse(slip(w, rnd))));
                plausible.add(str(reverse(slip(w, rnd))));
            }
            case COUNT -> {
                int c = count(w, letter);
                answer = Integer.toString(c);
                for (int d : new int[] {1, -1, 2, -2, 3}) {
                    if (c + d >= 0) {
                        plausible.add(Integer.toString(c + d));
                    }
                }
            }
            case INSERT -> {
                answer = word.replace(letter, letter + other);
                plausible.add(word.replace(letter, other + letter));
                plausible.add(word.replaceFirst(letter, letter + other));
                plausible.add(word);
            }
            case DELETE -> {
                answer = word.replace(letter, "");
                plausible.add(word.replaceFirst(letter, ""));
                plausible.add(word);
                plausible.add(slipped.replace(letter, ""));
            }
            case SUBSTITUTE -> {
                answer = word.replace(letter, other);
                plausible.add(word.replaceFirst(letter, other));
                plausible.add(word);
                plausible.add(word.replace(other, letter));
            }
            default -> throw new IllegalStateException(task.toString());
        }
        String prompt = task.prompt(word, letter, other);
        Set<String> distractors = new LinkedHashSet<>(plausible);
        distractors.remove(answer);
        distractors.remove(""); // deleting from a one-letter word could empty it; an empty answer is no option
        List<String> picked = new ArrayList<>(distractors).subList(0, Math.min(DISTRACTORS, distractors.size()));
        Set<String> chosen = new LinkedHashSet<>(picked);
        for (int tries = 0; chosen.size() < DISTRACTORS; tries++) {
            if (tries > 1000) {
                throw new IllegalStateException("cannot find " + DISTRACTORS + " distractors for " + task.label()
                        + " of \"" + word + "\"");
            }
            String d = task == CharTask.COUNT ? Integer.toString(rnd.nextInt(10))
                    : task == CharTask.SPELL ? spell(slip(w, rnd)) : str(slip(answer.codePoints().toArray(), rnd));
            if (!d.equals(answer) && !d.isEmpty()) {
                chosen.add(d);
            }
        }
        List<String> candidates = new ArrayList<>(chosen);
        candidates.add(answer);
        Collections.shuffle(candidates, rnd);
        return new TaskExample(task, word, prompt, candidates, candidates.indexOf(answer));
    }

    /** One slip of the pen: swap two neighbours, drop, double or change one letter. */
    static int[] slip(int[] w, Random rnd) {
        int n = w.length;
        int i = n == 0 ? 0 : rnd.nextInt(n);
        List<Integer> out = new ArrayList<>();
        for (int c : w) {
            out.add(c);
        }
        switch (n < 2 ? 2 + rnd.nextInt(2) : rnd.nextInt(4)) {
            case 0 -> Collections.swap(out, i == n - 1 ? i - 1 : i, i == n - 1 ? i : i + 1);
            case 1 -> out.remove(i);
            case 2 -> out.add(i, n == 0 ? (int) 'a' : w[i]);
            default -> {
                int c = ALPHABET.charAt(rnd.nextInt(ALPHABET.length()));
                if (n == 0) {
                    out.add(c);
                } else {
                    out.set(i, c);
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    static String spell(int[] w) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.appendCodePoint(w[i]);
        }
        return b.toString();
    }

    static int[] reverse(int[] w) {
        int[] r = new int[w.length];
        for (int i = 0; i < w.length; i++) {
            r[i] = w[w.length - 1 - i];
        }
        return r;
    }

    static int count(int[] w, String letter) {
        int c = letter.codePointAt(0);
        int k = 0;
        for (int x : w) {
            k += x == c ? 1 : 0;
        }
        return k;
    }

    private static String str(int[] cps) {
        return new String(cps, 0, cps.length);
    }

    private static String str(int cp) {
        return new String(Character.toChars(cp));
    }
}
