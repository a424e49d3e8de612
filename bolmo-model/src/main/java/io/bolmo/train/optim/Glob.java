package io.bolmo.train.optim;

import java.util.regex.Pattern;

/**
 * A parameter-name pattern with Python {@code fnmatch} semantics, which olmo-core uses for {@code freeze_params}
 * and optimizer group overrides: anchored at both ends, {@code *} matches any run of characters (dots included),
 * {@code ?} one character, {@code [seq]}/{@code [!seq]} a character class.
 */
record Glob(String pattern, Pattern regex) {

    static Glob of(String pattern) {
        return new Glob(pattern, Pattern.compile(toRegex(pattern), Pattern.DOTALL));
    }

    boolean matches(String name) {
        return regex.matcher(name).matches();
    }

    private static String toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i++);
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[' && glob.indexOf(']', i + 1) > 0) {
                int end = glob.indexOf(']', i + 1); // fnmatch: a ']' right after '[' is literal
                re.append(charClass(glob.substring(i, end)));
                i = end + 1;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    private static String charClass(String body) {
        boolean negate = body.startsWith("!");
        String chars = negate ? body.substring(1) : body;
        return "[" + (negate ? "^" : "") + chars.replace("\\", "\\\\").replace("[", "\\[").replace("&&", "&\\&") + "]";
    }

    @Override
    public String toString() {
        return pattern;
    }
}
