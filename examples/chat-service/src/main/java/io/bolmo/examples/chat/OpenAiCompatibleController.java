package io.bolmo.examples.chat;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.bolmo.spring.ai.BolmoChatOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * The subset of OpenAI's Chat Completions API that chat clients use: {@code POST /v1/chat/completions}, plain and
 * with {@code stream: true} (SSE chunks ending in {@code [DONE]}), {@code GET /v1/models} and
 * {@code GET /v1/models/{id}}. Token counts in
 * {@code usage} are bytes, because Bolmo is byte-level.
 */
@RestController
public class OpenAiCompatibleController {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CompletionRequest(String model, List<RequestMessage> messages, Boolean stream,
            @JsonProperty("max_tokens") Integer maxTokens,
            @JsonProperty("max_completion_tokens") Integer maxCompletionTokens, Double temperature,
            @JsonProperty("top_p") Double topP, JsonNode stop, Long seed, Integer n,
            @JsonProperty("stream_options") StreamOptions streamOptions) {}

    /** {@code tool_calls} is only looked at to accept an assistant turn without content, as OpenAI does. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RequestMessage(String role, JsonNode content, @JsonProperty("tool_calls") JsonNode toolCalls) {}

    /** OpenAI allows up to 4 stop sequences. */
    static final int MAX_STOP_SEQUENCES = 4;

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {}

    private final ChatClient chatClient;
    private final ChatModel chatModel;
    private final ChatLimits limits;

    public OpenAiCompatibleController(ChatClient chatClient, ChatModel chatModel, ChatLimits limits) {
        this.chatClient = chatClient;
        this.chatModel = chatModel;
        this.limits = limits;
    }

    @GetMapping(path = "/v1/models", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> models() {
        return Map.of("object", "list", "data", List.of(model()));
    }

    @GetMapping(path = "/v1/models/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> model(@PathVariable String id) {
        if (!id.equals(modelName())) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ErrorMapping.error("The model '" + id
                    + "' does not exist; this service serves '" + modelName() + "'", "invalid_request_error",
                    "model_not_found"));
        }
        return ResponseEntity.ok(model());
    }

    private Map<String, Object> model() {
        return Map.of("id", modelName(), "object", "model", "created", 0, "owned_by", "bolmo");
    }

    @PostMapping(path = "/v1/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<Object>> completions(@RequestBody CompletionRequest request) {
        Prompt prompt = prompt(request);
        String id = "chatcmpl-" + UUID.randomUUID();
        long created = System.currentTimeMillis() / 1000;
        String model = request.model() != null ? request.model() : modelName();
        if (Boolean.TRUE.equals(request.stream())) {
            boolean includeUsage = request.streamOptions() != null
                    && Boolean.TRUE.equals(request.streamOptions().includeUsage());
            // the same URL answers JSON or SSE depending on the body, so the content type is chosen here
            return Mono.just(ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM)
                    .body(stream(prompt, id, created, model, includeUsage)));
        }
        return Mono.fromCallable(() -> chatClient.prompt(prompt).call().chatResponse())
                .subscribeOn(Schedulers.boundedElastic())
                .map(r -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                        .body(completion(r, id, created, model)));
    }

    private Flux<ServerSentEvent<Object>> stream(Prompt prompt, String id, long created, String model,
            boolean includeUsage) {
        AtomicBoolean started = new AtomicBoolean();
        AtomicReference<ChatResponse> last = new AtomicReference<>();
        Flux<ServerSentEvent<Object>> deltas = chatClient.prompt(prompt).stream().chatResponse()
                .doOnNext(r -> last.set(r))
                .filter(r -> r.getResult() != null && !r.getResult().getOutput().getText().isEmpty())
                .index()
                .map(t -> {
                    started.set(true);
                    Map<String, Object> delta = new LinkedHashMap<>();
                    if (t.getT1() == 0) {
                        delta.put("role", "assistant");
                    }
                    delta.put("content", t.getT2().getResult().getOutput().getText());
                    return data(chunk(id, created, model, delta, null, null));
                });
        Flux<ServerSentEvent<Object>> tail = Flux.defer(() -> {
            ChatResponse end = last.get();
            List<ServerSentEvent<Object>> events = new ArrayList<>();
            String finish = end == null ? "stop" : finishReason(end.getResult().getMetadata().getFinishReason());
            events.add(data(chunk(id, created, model, Map.of(), finish, null)));
            if (includeUsage && end != null) {
                events.add(data(chunk(id, created, model, null, null, usage(end.getMetadata().getUsage()))));
            }
            events.add(ServerSentEvent.builder((Object) "[DONE]").build());
            return Flux.fromIterable(events);
        });
        return deltas.concatWith(tail)
                .onErrorResume(e -> started.get()
                        ? Flux.just(data(ErrorMapping.error(ErrorMapping.publicMessage(e), "server_error", null)),
                                ServerSentEvent.builder((Object) "[DONE]").build())
                        : Flux.error(e));
    }

    private static ServerSentEvent<Object> data(Object payload) {
        return ServerSentEvent.builder(payload).build();
    }

    private static Map<String, Object> chunk(String id, long created, String model, Map<String, Object> delta,
            String finishReason, Map<String, Object> usage) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("object", "chat.completion.chunk");
        c.put("created", created);
        c.put("model", model);
        if (delta != null) {
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", 0);
            choice.put("delta", delta);
            choice.put("finish_reason", finishReason);
            c.put("choices", List.of(choice));
        } else {
            c.put("choices", List.of());
        }
        if (usage != null) {
            c.put("usage", usage);
        }
        return c;
    }

    private Map<String, Object> completion(ChatResponse r, String id, long created, String model) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", r.getResult().getOutput().getText());
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("message", message);
        choice.put("finish_reason", finishReason(r.getResult().getMetadata().getFinishReason()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("object", "chat.completion");
        body.put("created", created);
        body.put("model", model);
        body.put("choices", List.of(choice));
        body.put("usage", usage(r.getMetadata().getUsage()));
        return body;
    }

    private static Map<String, Object> usage(Usage u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prompt_tokens", u.getPromptTokens());
        m.put("completion_tokens", u.getCompletionTokens());
        m.put("total_tokens", u.getTotalTokens());
        return m;
    }

    private static String finishReason(String bolmo) {
        return "LENGTH".equals(bolmo) ? "length" : "stop";
    }

    private String modelName() {
        String name = chatModel.getOptions().getModel();
        return name != null ? name : "bolmo";
    }

    private Prompt prompt(CompletionRequest request) {
        if (request.messages() == null || request.messages().isEmpty()) {
            throw new BadRequestException("messages must be a non-empty array");
        }
        if (request.n() != null && request.n() != 1) {
            throw new BadRequestException("n = " + request.n() + " is not supported; only 1 choice is generated");
        }
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < request.messages().size(); i++) {
            RequestMessage m = request.messages().get(i);
            if (m == null) {
                throw new BadRequestException("messages[" + i + "] must be an object with a role and a content");
            }
            String role = m.role() == null ? "" : m.role().toLowerCase(Locale.ROOT);
            String field = "messages[" + i + "].content";
            String text = text(field, m.content());
            // an assistant turn that called tools may have no content (Bolmo itself calls no tools yet)
            boolean toolTurn = role.equals("assistant") && text == null && m.toolCalls() != null
                    && !m.toolCalls().isNull();
            text = toolTurn ? "" : limits.message(field, text);
            messages.add(switch (role) {
                case "system", "developer" -> new SystemMessage(text);
                case "user" -> new UserMessage(text);
                case "assistant" -> new AssistantMessage(text);
                default -> throw new BadRequestException("messages[" + i + "].role = '" + m.role()
                        + "' is not supported; use system, developer, user or assistant");
            });
        }
        Integer maxTokens = request.maxCompletionTokens() != null ? request.maxCompletionTokens()
                : request.maxTokens();
        limits.maxTokens(request.maxCompletionTokens() != null ? "max_completion_tokens" : "max_tokens", maxTokens);
        limits.temperature("temperature", request.temperature());
        try {
            BolmoChatOptions options = BolmoChatOptions.builder().maxTokens(maxTokens)
                    .temperature(request.temperature()).topP(request.topP()).stopSequences(stops(request.stop()))
                    .seed(request.seed()).build();
            return new Prompt(messages, options);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    /** OpenAI content is a string or an array of parts; only text parts make sense for a text model. */
    private static String text(String field, JsonNode content) {
        if (content == null || content.isNull()) {
            return null;
        }
        if (content.isString()) {
            return content.asString();
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asString()) || !part.path("text").isString()) {
                    throw new BadRequestException(field + " has a part of type '" + part.path("type").asString()
                            + "'; only text parts ({\"type\": \"text\", \"text\": \"...\"}) are supported");
                }
                sb.append(part.path("text").asString());
            }
            return sb.toString();
        }
        throw new BadRequestException(field + " must be a string or an array of text parts");
    }

    private static List<String> stops(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return null;
        }
        if (stop.isString()) {
            return stops(List.of(stop));
        }
        if (stop.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            stop.forEach(items::add);
            return stops(items);
        }
        throw new BadRequestException("stop must be a string or an array of up to " + MAX_STOP_SEQUENCES
                + " strings");
    }

    private static List<String> stops(List<JsonNode> items) {
        if (items.size() > MAX_STOP_SEQUENCES) {
            throw new BadRequestException("stop has " + items.size() + " sequences; at most " + MAX_STOP_SEQUENCES
                    + " are allowed");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode s = items.get(i);
            if (!s.isString() || s.asString().isEmpty()) {
                throw new BadRequestException("stop[" + i + "] = " + s + " is invalid: each stop sequence must be a "
                        + "non-empty string");
            }
            out.add(s.asString());
        }
        return out;
    }
}
