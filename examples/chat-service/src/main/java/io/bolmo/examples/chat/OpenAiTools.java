package io.bolmo.examples.chat;

import io.bolmo.generate.constraint.ToolChoice;
import io.bolmo.spring.ai.BolmoChatOptions;
import io.bolmo.tokenize.ToolDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.DefaultToolDefinition;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's structured output and function calling on the Chat Completions endpoint, in Bolmo's terms:
 * {@code response_format} ({@code json_object}, {@code json_schema}) becomes the output schema, {@code tools} and
 * {@code tool_choice} the tools offered and the choice, and the reply's calls come back as {@code tool_calls}
 * (finish reason {@code tool_calls}). The client runs its tools: the service only offers their definitions, and
 * tool-role messages bring the results back. Every refusal names the request's field.
 */
final class OpenAiTools {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OpenAiTools() {}

    /** A tool the API client runs: the model sees its definition; the service never calls it. */
    record ClientTool(org.springframework.ai.tool.definition.ToolDefinition definition) implements ToolCallback {

        @Override
        public org.springframework.ai.tool.definition.ToolDefinition getToolDefinition() {
            return definition;
        }

        @Override
        public String call(String toolInput) {
            throw new IllegalStateException("tool '" + definition.name() + "' is run by the API client");
        }
    }

    /** Sets the output schema, tools, tool choice and parallel calls of the request on {@code options}. */
    static void apply(OpenAiCompatibleController.CompletionRequest request, BolmoChatOptions.Builder options) {
        options.outputSchema(outputSchema(request.responseFormat()));
        List<ToolCallback> tools = tools(request.tools());
        options.toolCallbacks(tools.isEmpty() ? null : tools);
        options.toolChoice(toolChoice(request.toolChoice(), tools));
        options.parallelToolCalls(request.parallelToolCalls());
    }

    /** {@code text} (null), {@code json_object} (any JSON object) or {@code json_schema} (strict or not: enforced). */
    static String outputSchema(JsonNode format) {
        if (format == null || format.isNull()) {
            return null;
        }
        String type = format.path("type").isString() ? format.path("type").asString() : null;
        if ("text".equals(type)) {
            return null;
        }
        if ("json_object".equals(type)) {
            return "{\"type\":\"object\"}";
        }
        if ("json_schema".equals(type)) {
            JsonNode schema = format.path("json_schema").path("schema");
            if (!schema.isObject()) {
                throw new BadRequestException("response_format.json_schema.schema must be a JSON Schema object");
            }
            return schema.toString();
        }
        throw new BadRequestException("response_format.type = " + format.path("type") + " is invalid: use text,"
                + " json_object or json_schema");
    }

    /** {@code [{"type": "function", "function": {"name", "description", "parameters"}}]}. */
    static List<ToolCallback> tools(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw new BadRequestException("tools must be an array of {\"type\": \"function\", \"function\": {...}}");
        }
        List<ToolCallback> out = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode t = tools.get(i);
            JsonNode fn = t.path("function");
            if (!"function".equals(t.path("type").asString(null)) || !fn.isObject()) {
                throw new BadRequestException("tools[" + i + "] must be {\"type\": \"function\", \"function\": "
                        + "{\"name\": ..., \"parameters\": {...}}}");
            }
            JsonNode parameters = fn.path("parameters");
            if (!parameters.isMissingNode() && !parameters.isNull() && !parameters.isObject()) {
                throw new BadRequestException("tools[" + i + "].function.parameters must be a JSON Schema object");
            }
            ToolDefinition d;
            try {
                d = new ToolDefinition(fn.path("name").asString(null), fn.path("description").asString(null),
                        parameters.isObject() ? parameters.toString() : null);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("tools[" + i + "].function.name: " + e.getMessage());
            }
            String name = d.name();
            if (out.stream().anyMatch(c -> c.getToolDefinition().name().equals(name))) {
                throw new BadRequestException("tools[" + i + "].function.name = '" + name + "' is offered twice");
            }
            out.add(new ClientTool(DefaultToolDefinition.builder().name(name).description(d.description())
                    .inputSchema(d.parameters()).build()));
        }
        return out;
    }

    /** {@code "auto"}, {@code "none"}, {@code "required"} or {@code {"type": "function", "function": {"name"}}}. */
    static ToolChoice toolChoice(JsonNode choice, List<ToolCallback> tools) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        ToolChoice c;
        if (choice.isString() && List.of("auto", "none", "required").contains(choice.asString())) {
            c = switch (choice.asString()) {
                case "none" -> ToolChoice.none();
                case "required" -> ToolChoice.required();
                default -> ToolChoice.auto();
            };
        } else if (choice.isObject() && "function".equals(choice.path("type").asString(null))
                && choice.path("function").path("name").isString()) {
            String name = choice.path("function").path("name").asString();
            List<String> names = tools.stream().map(t -> t.getToolDefinition().name()).toList();
            if (!names.contains(name)) {
                throw new BadRequestException("tool_choice.function.name = '" + name + "' names no tool in tools"
                        + " (offered: " + names + ")");
            }
            c = ToolChoice.function(name);
        } else {
            throw new BadRequestException("tool_choice = " + choice + " is invalid: use \"auto\", \"none\","
                    + " \"required\" or {\"type\": \"function\", \"function\": {\"name\": \"...\"}}");
        }
        if (c.mode() == ToolChoice.Mode.REQUIRED && tools.isEmpty()) {
            throw new BadRequestException("tool_choice = \"required\" needs tools; the request offers none");
        }
        return c;
    }

    /** An assistant turn, with the calls it made ({@code tool_calls}); their ids are remembered in {@code calls}. */
    static AssistantMessage assistant(int i, String text, JsonNode toolCalls, Map<String, String> calls) {
        if (toolCalls == null || toolCalls.isNull()) {
            return new AssistantMessage(text);
        }
        String field = "messages[" + i + "].tool_calls";
        if (!toolCalls.isArray()) {
            throw new BadRequestException(field + " must be an array");
        }
        List<AssistantMessage.ToolCall> out = new ArrayList<>();
        for (int j = 0; j < toolCalls.size(); j++) {
            JsonNode c = toolCalls.get(j);
            String at = field + "[" + j + "]";
            String id = c.path("id").asString(null);
            String name = c.path("function").path("name").asString(null);
            String arguments = c.path("function").path("arguments").asString(null);
            if (id == null || name == null || arguments == null) {
                throw new BadRequestException(at + " must be {\"id\": ..., \"type\": \"function\", \"function\":"
                        + " {\"name\": ..., \"arguments\": \"{...}\"}}");
            }
            if (!isJsonObject(arguments)) {
                throw new BadRequestException(at + ".function.arguments must be a JSON object in a string");
            }
            calls.put(id, name);
            out.add(new AssistantMessage.ToolCall(id, "function", name, arguments));
        }
        return AssistantMessage.builder().content(text).toolCalls(out).build();
    }

    /** A tool-role message: the result of the earlier call {@code tool_call_id}. */
    static ToolResponseMessage toolResult(int i, String toolCallId, String text, Map<String, String> calls) {
        if (toolCallId == null) {
            throw new BadRequestException("messages[" + i + "].tool_call_id is required on a tool message");
        }
        String name = calls.get(toolCallId);
        if (name == null) {
            throw new BadRequestException("messages[" + i + "].tool_call_id = '" + toolCallId + "' answers no"
                    + " tool call of an earlier assistant message");
        }
        return ToolResponseMessage.builder()
                .responses(List.of(new ToolResponseMessage.ToolResponse(toolCallId, name, text))).build();
    }

    /** The reply's calls as OpenAI writes them in {@code message.tool_calls}; empty when it calls none. */
    static List<Map<String, Object>> toolCalls(ChatResponse r, boolean indexed) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (r == null || r.getResult() == null) {
            return out;
        }
        List<AssistantMessage.ToolCall> calls = r.getResult().getOutput().getToolCalls();
        for (int i = 0; i < calls.size(); i++) {
            AssistantMessage.ToolCall c = calls.get(i);
            Map<String, Object> call = new LinkedHashMap<>();
            if (indexed) {
                call.put("index", i); // streamed deltas say which call they belong to
            }
            call.put("id", c.id());
            call.put("type", "function");
            call.put("function", Map.of("name", c.name(), "arguments", c.arguments()));
            out.add(call);
        }
        return out;
    }

    private static boolean isJsonObject(String text) {
        try {
            return JSON.readTree(text).isObject();
        } catch (JacksonException e) {
            return false;
        }
    }
}
