package io.bolmo.eval;

/**
 * Settings of one evaluation run.
 *
 * @param windowBytes   at most this many bytes per scored window ({@link Chunks})
 * @param windowTokens  at most this many teacher tokens per window
 * @param tasksPerTask  character-task items per task (0: no tasks)
 * @param seed          seed of the task generation
 * @param minLetters    shortest task word, in letters
 * @param maxLetters    longest task word
 */
public record EvalOptions(int windowBytes, int windowTokens, int tasksPerTask, long seed, int minLetters,
        int maxLetters) {

    public static final EvalOptions DEFAULT = new EvalOptions(512, 128, 20, 0, 4, 10);

    public EvalOptions {
        check(windowBytes >= 1, "window-bytes", windowBytes);
        check(windowTokens >= 1, "window-tokens", windowTokens);
        check(tasksPerTask >= 0, "tasks", tasksPerTask);
        check(minLetters >= 2 && maxLetters >= minLetters, "word letters", minLetters + ".." + maxLetters);
    }

    public EvalOptions withTasks(int n) {
        return new EvalOptions(windowBytes, windowTokens, n, seed, minLetters, maxLetters);
    }

    public EvalOptions withWindows(int bytes, int tokens) {
        return new EvalOptions(bytes, tokens, tasksPerTask, seed, minLetters, maxLetters);
    }

    public EvalOptions withSeed(long s) {
        return new EvalOptions(windowBytes, windowTokens, tasksPerTask, s, minLetters, maxLetters);
    }

    private static void check(boolean ok, String name, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(name + " = " + value + " is out of range");
        }
    }
}
