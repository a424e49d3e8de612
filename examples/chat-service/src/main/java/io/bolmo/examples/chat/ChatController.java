package io.bolmo.examples.chat;

import io.bolmo.generate.ByteBoundaries;
import io.bolmo.spring.ai.BolmoChatModel;
import io.bolmo.spring.ai.BolmoChatOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /chat} (JSON) and {@code POST|GET /chat/stream} (server-sent events), both through {@link ChatClient};
 * a request with a {@code conversationId} goes through the {@link MessageChatMemoryAdvisor}, so it sees that
 * conversation's earlier turns. Closing a stream (the page's stop button) cancels the generation on the server.
 */
@RestController
public class ChatController {

    /**
     * One chat turn and its settings; unset fields take the service's defaults ({@code spring.ai.bolmo.chat.options.*}).
     * {@code boundaries}: stream the model's patches with the text.
     */
    public record ChatRequest(String message, String system, Integer maxTokens, Double temperature, Long seed,
            Double topP, Double boundaryBias, List<String> stop, Double repetitionPenalty, String conversationId,
            Boolean boundaries) {

        static ChatRequest of(String message, String system, Integer maxTokens, Double temperature, Long seed) {
            return new ChatRequest(message, system, maxTokens, temperature, seed, null, null, null, null, null, null);
        }
    }

    public record ChatAnswer(String answer, String finishReason, Map<String, Object> usage) {}

    private final ChatClient chatClient;
    private final ChatModel chatModel;
    private final ChatLimits limits;
    private final ChatMemory memory;
    private final MessageChatMemoryAdvisor memoryAdvisor;

    public ChatController(ChatClient chatClient, ChatModel chatModel, ChatLimits limits, ChatMemory memory,
            MessageChatMemoryAdvisor memoryAdvisor) {
        this.chatClient = chatClient;
        this.chatModel = chatModel;
        this.limits = limits;
        this.memory = memory;
        this.memoryAdvisor = memoryAdvisor;
    }

    @PostMapping(path = "/chat", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ChatAnswer> chat(@RequestBody ChatRequest request) {
        ChatClient.ChatClientRequestSpec spec = spec(request);
        // call() waits for the whole answer; keep that wait off the event loop
        return Mono.fromCallable(() -> spec.call().chatResponse()).subscribeOn(Schedulers.boundedElastic())
                .map(ChatController::answer);
    }

    /**
     * The page's stream: settings and conversation in a JSON body; see {@link #events}. No {@code produces}: the
     * events are SSE by their type, and a refusal (400, 413, 429) can still be written as JSON.
     */
    @PostMapping(path = "/chat/stream", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Flux<ServerSentEvent<Map<String, Object>>> stream(@RequestBody ChatRequest request) {
        return events(spec(request));
    }

    @GetMapping(path = "/chat/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<Map<String, Object>>> stream(@RequestParam(required = false) String message,
            @RequestParam(required = false) String system, @RequestParam(required = false) Integer maxTokens,
            @RequestParam(required = false) Double temperature, @RequestParam(required = false) Long seed) {
        return events(spec(ChatRequest.of(message, system, maxTokens, temperature, seed)));
    }

    /** Forgets a conversation (the page's "new conversation"). */
    @DeleteMapping("/chat/conversations/{id}")
    public ResponseEntity<Void> forget(@PathVariable String id) {
        memory.clear(limits.conversationId("id", id));
        return ResponseEntity.noContent().build();
    }

    /** The service's default options, for the page's settings panel. */
    @GetMapping(path = "/chat/defaults", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> defaults() {
        BolmoChatOptions o = BolmoChatOptions.from(chatModel.getOptions());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("temperature", o.getTemperature() == null ? 0.0 : o.getTemperature());
        m.put("topP", o.getTopP() == null ? 1.0 : o.getTopP());
        m.put("maxTokens", o.getMaxTokens());
        m.put("boundaryBias", o.getBoundaryBias() == null ? 0.0 : o.getBoundaryBias());
        m.put("repetitionPenalty", o.getRepetitionPenalty() == null ? 0.0 : o.getRepetitionPenalty());
        m.put("maxTokensLimit", limits.maxTokensLimit());
        return m;
    }

    /**
     * {@code piece} events ({@code text}, and with boundaries {@code boundaries}: the {@link PatchJson} of exactly
     * the piece's bytes), then {@code done} ({@code finishReason}, {@code usage}, with boundaries {@code prompt}: the
     * prompt's patches), or {@code error}.
     */
    private Flux<ServerSentEvent<Map<String, Object>>> events(ChatClient.ChatClientRequestSpec spec) {
        AtomicBoolean started = new AtomicBoolean();
        Flux<ServerSentEvent<Map<String, Object>>> events = spec.stream().chatResponse().concatMap(r -> {
            String text = r.getResult() == null ? "" : r.getResult().getOutput().getText();
            if (text != null && !text.isEmpty()) {
                started.set(true);
                Map<String, Object> piece = new LinkedHashMap<>();
                piece.put("text", text);
                ByteBoundaries b = r.getResult().getMetadata().get(BolmoChatModel.BOUNDARIES);
                if (b != null) {
                    piece.put("boundaries", PatchJson.of(b));
                }
                return Mono.just(ServerSentEvent.builder(piece).event("piece").build());
            }
            if (r.getResult() != null && r.getResult().getMetadata().getFinishReason() != null) {
                return Mono.just(ServerSentEvent.builder(done(r)).event("done").build());
            }
            return Mono.empty();
        });
        // before the first event the status can still say what went wrong (429, 503); after it, only an event
        return events.onErrorResume(e -> started.get() ? Mono.just(ServerSentEvent
                .<Map<String, Object>>builder(Map.of("message", ErrorMapping.publicMessage(e))).event("error").build())
                : Mono.error(e));
    }

    private static Map<String, Object> done(ChatResponse r) {
        Map<String, Object> done = new LinkedHashMap<>();
        done.put("text", "");
        done.put("finishReason", r.getResult().getMetadata().getFinishReason());
        done.put("usage", usage(r));
        ByteBoundaries prompt = r.getMetadata().get(BolmoChatModel.PROMPT_BOUNDARIES);
        if (prompt != null) {
            done.put("prompt", PatchJson.of(prompt));
        }
        return done;
    }

    private ChatClient.ChatClientRequestSpec spec(ChatRequest r) {
        limits.message("message", r.message());
        limits.maxTokens("maxTokens", r.maxTokens());
        limits.temperature("temperature", r.temperature());
        limits.topP("topP", r.topP());
        limits.boundaryBias("boundaryBias", r.boundaryBias());
        limits.repetitionPenalty("repetitionPenalty", r.repetitionPenalty());
        limits.stop("stop", r.stop());
        String conversation = limits.conversationId("conversationId", r.conversationId());
        BolmoChatOptions.Builder options = BolmoChatOptions.builder().maxTokens(r.maxTokens())
                .temperature(r.temperature()).seed(r.seed()).topP(r.topP()).boundaryBias(r.boundaryBias())
                .stopSequences(r.stop()).repetitionPenalty(r.repetitionPenalty()).boundaries(r.boundaries());
        try {
            options.build();
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        ChatClient.ChatClientRequestSpec spec = chatClient.prompt().user(r.message()).options(options);
        if (r.system() != null && !r.system().isBlank()) {
            spec = spec.system(limits.message("system", r.system()));
        }
        if (conversation != null) {
            spec = spec.advisors(a -> a.advisors(memoryAdvisor).param(ChatMemory.CONVERSATION_ID, conversation));
        }
        return spec;
    }

    private static Map<String, Object> usage(ChatResponse r) {
        var usage = r.getMetadata().getUsage();
        return Map.of("promptBytes", usage.getPromptTokens(), "generatedBytes", usage.getCompletionTokens(),
                "patches", r.getMetadata().getOrDefault("patches", 0));
    }

    private static ChatAnswer answer(ChatResponse r) {
        return new ChatAnswer(r.getResult().getOutput().getText(), r.getResult().getMetadata().getFinishReason(),
                usage(r));
    }
}
