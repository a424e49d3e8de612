package io.bolmo.tokenize;

/**
 * A function the model may call: its name, what it does, and its parameters as a JSON Schema of an object (the
 * OpenAI / Spring AI {@code ToolDefinition} shape). The chat template lists it in the prompt; a tool-call
 * constraint decodes the arguments under {@code parameters}.
 *
 * @param name        1 to 64 letters, digits, {@code _} or {@code -} (as OpenAI requires)
 * @param description what the tool does, for the model; may be empty
 * @param parameters  JSON Schema text of the arguments object; null means no arguments
 */
public record ToolDefinition(String name, String description, String parameters) {

    public static final String NO_PARAMETERS = "{\"type\":\"object\",\"properties\":{}}";

    public ToolDefinition {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("tool name = '" + name + "' is invalid: use 1 to 64 letters, digits,"
                    + " '_' or '-'");
        }
        description = description == null ? "" : description;
        parameters = parameters == null || parameters.isBlank() ? NO_PARAMETERS : parameters;
    }
}
