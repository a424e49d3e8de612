package io.bolmo.eval;

/**
 * The CUTE-style character-manipulation tasks (model.md §10.2: CUTE, Edman et al. 2024), each with its prompt wording.
 * Prompts end in an opening quote; the scored continuation is the answer and the closing quote, so a candidate that
 * is a prefix of another cannot win by stopping early.
 */
public enum CharTask {
    SPELL("spell"),
    REVERSE("reverse"),
    COUNT("count"),
    INSERT("insert"),
    DELETE("delete"),
    SUBSTITUTE("substitute");

    private final String label;

    CharTask(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The prompt for {@code word}; {@code letter} is the letter the task is about, {@code other} a second one. */
    String prompt(String word, String letter, String other) {
        String q = switch (this) {
            case SPELL -> "Spell out the word \"" + word + "\" with a space between the letters.";
            case REVERSE -> "Write the word \"" + word + "\" backwards.";
            case COUNT -> "How many times does the letter \"" + letter + "\" appear in \"" + word + "\"?";
            case INSERT -> "Add the letter \"" + other + "\" after every \"" + letter + "\" in \"" + word + "\".";
            case DELETE -> "Delete every letter \"" + letter + "\" from \"" + word + "\".";
            case SUBSTITUTE -> "Replace every letter \"" + letter + "\" with \"" + other + "\" in \"" + word + "\".";
        };
        return q + "\nAnswer: \"";
    }
}
