package io.bolmo.generate.constraint;

/**
 * Whether and which tool the reply must call (OpenAI's {@code tool_choice}).
 *
 * @param mode     {@link Mode#AUTO}: text, tool calls, or text then calls, as the model decides; {@link Mode#NONE}:
 *                 text only; {@link Mode#REQUIRED}: calls only; {@link Mode#FUNCTION}: calls of {@code function} only
 * @param function the tool {@link Mode#FUNCTION} names; null otherwise
 */
public record ToolChoice(Mode mode, String function) {

    public enum Mode { AUTO, NONE, REQUIRED, FUNCTION }

    public ToolChoice {
        if (mode == null) {
            throw new IllegalArgumentException("tool choice mode = null is invalid: use auto, none, required or a function");
        }
        if ((mode == Mode.FUNCTION) != (function != null && !function.isBlank())) {
            throw new IllegalArgumentException("tool choice " + mode + " with function = '" + function
                    + "' is invalid: exactly the FUNCTION mode names a function");
        }
    }

    public static ToolChoice auto() {
        return new ToolChoice(Mode.AUTO, null);
    }

    public static ToolChoice none() {
        return new ToolChoice(Mode.NONE, null);
    }

    public static ToolChoice required() {
        return new ToolChoice(Mode.REQUIRED, null);
    }

    public static ToolChoice function(String name) {
        return new ToolChoice(Mode.FUNCTION, name);
    }
}
