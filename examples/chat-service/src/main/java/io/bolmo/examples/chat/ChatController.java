package io.bolmo.examples.chat;

import io.bolmo.spring.ai.BolmoChatOptions;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** {@code POST /chat} (JSON) and {@code GET /chat/stream} (server-sent events), both through {@link ChatClient}. */
@RestController
public class ChatController {

    public record ChatRequest(String message, String system, Integer maxTokens, Double temperature, Long seed) {}

    public record ChatAnswer(String answer, String finishReason, Map<String, Object> usage) {}

    private final ChatClient chatClient;
    private final ChatLimits limits;

    public ChatController(ChatClient chatClient, ChatLimits limits) {
        this.chatClient = chatClient;
        this.limits = limits;
    }

    @PostMapping(path = "/chat", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ChatAnswer> chat(@RequestBody ChatRequest request) {
        ChatClient.ChatClientRequestSpec spec = spec(request.message(), request.system(), request.maxTokens(),
                request.temperature(), request.seed());
        // call() waits for the whole answer; keep that wait off the event loop
        return Mono.fromCallable(() -> spec.call().chatResponse()).subscribeOn(Schedulers.boundedElastic())
                .map(ChatController::answer);
    }

    @GetMapping(path = "/chat/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<Map<String, String>>> stream(@RequestParam(required = false) String message,
            @RequestParam(required = false) String system, @RequestParam(required = false) Integer maxTokens,
            @RequestParam(required = false) Double temperature, @RequestParam(required = false) Long seed) {
        ChatClient.ChatClientRequestSpec spec = spec(message, system, maxTokens, temperature, seed);
        AtomicBoolean started = new AtomicBoolean();
        Flux<ServerSentEvent<Map<String, String>>> pieces = spec.stream().content()
                .doOnNext(p -> started.set(true))
                .map(p -> ServerSentEvent.builder(Map.of("text", p)).event("piece").build());
        return pieces.concatWith(Mono.just(ServerSentEvent.builder(Map.of("text", "")).event("done").build()))
                // before the first event the status can still say what went wrong (429, 503); after it, only an event
                .onErrorResume(e -> started.get() ? Mono.just(ServerSentEvent
                        .builder(Map.of("message", ErrorMapping.publicMessage(e))).event("error").build())
                        : Mono.error(e));
    }

    private ChatClient.ChatClientRequestSpec spec(String message, String system, Integer maxTokens,
            Double temperature, Long seed) {
        limits.message("message", message);
        limits.maxTokens("maxTokens", maxTokens);
        limits.temperature("temperature", temperature);
        BolmoChatOptions.Builder options = BolmoChatOptions.builder().maxTokens(maxTokens).temperature(temperature)
                .seed(seed);
        try {
            options.build();
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        ChatClient.ChatClientRequestSpec spec = chatClient.prompt().user(message).options(options);
        if (system != null && !system.isBlank()) {
            spec = spec.system(limits.message("system", system));
        }
        return spec;
    }

    private static ChatAnswer answer(ChatResponse r) {
        var usage = r.getMetadata().getUsage();
        return new ChatAnswer(r.getResult().getOutput().getText(), r.getResult().getMetadata().getFinishReason(),
                Map.of("promptBytes", usage.getPromptTokens(), "generatedBytes", usage.getCompletionTokens(),
                        "patches", r.getMetadata().getOrDefault("patches", 0)));
    }
}
