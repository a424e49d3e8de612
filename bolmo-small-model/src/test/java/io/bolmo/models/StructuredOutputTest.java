package io.bolmo.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.Bolmo;
import io.bolmo.generate.BolmoScheduler;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.generate.constraint.ByteConstraint;
import io.bolmo.generate.constraint.SchemaCheck;
import io.bolmo.generate.constraint.Schemas;
import io.bolmo.generate.constraint.ToolCallConstraint;
import io.bolmo.generate.constraint.ToolChoice;
import io.bolmo.generate.constraint.Tools;
import io.bolmo.tokenize.ChatMessage;
import io.bolmo.tokenize.ChatTemplate;
import io.bolmo.tokenize.ToolCall;
import io.bolmo.tokenize.ToolCallFormat;
import io.bolmo.tokenize.ToolDefinition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Structured output and tool calls with the shipped model, through the chat template as a service uses it: every
 * reply under a JSON schema validates (greedy and sampled, alone and batched by the scheduler), and the tool-call
 * constraint yields parseable calls with valid arguments for every tool choice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StructuredOutputTest {

    /** A decode step costs milliseconds here: the many-schema, many-seed sweeps are bolmo-model's (random walks, golden models). */
    private static final List<String> SCHEMAS = List.of("person", "enums", "unions", "springAi");
    private static final List<ToolDefinition> TOOLS = List.of(Tools.WEATHER, Tools.NOW);
    private Bolmo bolmo;

    @BeforeAll
    void load() {
        bolmo = Bolmo.load(SmallModel.bolmo());
    }

    @AfterAll
    void close() {
        bolmo.close();
    }

    private static GenerationOptions options(ByteConstraint c, int maxBytes, Long seed) {
        GenerationOptions.Builder b = GenerationOptions.builder().maxNewBytes(maxBytes).constraint(c);
        return seed == null ? b.build() : b.temperature(0.8).topK(40).seed(seed).build();
    }

    private static List<ChatMessage> ask(String question) {
        return List.of(ChatMessage.system("Answer in JSON."), ChatMessage.user(question));
    }

    @Test
    void chatRepliesValidateUnderTheirSchemaAloneAndBatched() throws Exception {
        List<List<ChatMessage>> conversations = new ArrayList<>();
        List<GenerationOptions> jobs = new ArrayList<>();
        List<String> schemas = new ArrayList<>();
        for (String name : SCHEMAS) {
            String schema = Schemas.get(name);
            ByteConstraint c = ByteConstraint.jsonSchema(schema, 4);
            for (Long seed : name.equals("person") || name.equals("unions") ? new Long[] {null, 7L} : new Long[] {null}) {
                conversations.add(ask("Madam President, describe the " + name + " in the minutes."));
                jobs.add(options(c, Math.max(90, c.shortestOutput() + 20), seed));
                schemas.add(schema);
            }
        }
        List<String> alone = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            GenerationResult r = bolmo.chat(conversations.get(i), jobs.get(i), GenerationListener.NONE);
            assertThat(new SchemaCheck(schemas.get(i)).problem(r.text().getBytes(StandardCharsets.UTF_8)))
                    .as("%s: %s", schemas.get(i), r.text()).isNull();
            alone.add(r.text());
        }
        try (BolmoScheduler scheduler = bolmo.scheduler(new BolmoScheduler.Options(4, jobs.size()))) {
            List<CompletableFuture<GenerationResult>> futures = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i++) {
                int[] prompt = bolmo.tokenizer().encode(bolmo.template().render(conversations.get(i)));
                GenerationOptions o = jobs.get(i).mutate().stop(List.of(bolmo.template().stopSequence())).build();
                futures.add(scheduler.submit(prompt, o, GenerationListener.NONE));
            }
            for (int i = 0; i < jobs.size(); i++) {
                String text = futures.get(i).get().text();
                assertThat(new SchemaCheck(schemas.get(i)).problem(text.getBytes(StandardCharsets.UTF_8)))
                        .as("batched %s: %s", schemas.get(i), text).isNull();
                assertThat(text).as("batched equals alone").isEqualTo(alone.get(i));
            }
        }
    }

    @Test
    void aRegexConstrainedReplyMatches() {
        ByteConstraint c = ByteConstraint.regex("(Yes|No), the (Commission|Council) [a-z ]{5,30}\\.");
        for (Long seed : new Long[] {null, 3L}) {
            GenerationResult r = bolmo.chat(List.of(ChatMessage.user("Will the Commission act?")), options(c, 50, seed),
                    GenerationListener.NONE);
            assertThat(r.text()).matches("(Yes|No), the (Commission|Council) [a-z ]{5,30}\\.");
        }
    }

    @Test
    void toolCallsParseAndValidateForEveryToolChoice() {
        ChatTemplate template = bolmo.template();
        ToolCallFormat format = template.tools();
        Map<String, SchemaCheck> checks = TOOLS.stream()
                .collect(Collectors.toMap(ToolDefinition::name, t -> new SchemaCheck(t.parameters())));
        List<ChatMessage> conversation = List.of(ChatMessage.user("What is the weather in Strasbourg this week?"));
        for (ToolChoice choice : List.of(ToolChoice.required(), ToolChoice.function("get_weather"), ToolChoice.auto(),
                ToolChoice.none())) {
            ByteConstraint c = ToolCallConstraint.of(format, TOOLS, choice, true, 4);
            GenerationResult r = bolmo.chat(bolmo.generator(), conversation, TOOLS, options(c, 90, 5L),
                    GenerationListener.NONE);
            ToolCallFormat.Reply reply = format.parse(r.text());
            for (ToolCall call : reply.calls()) {
                assertThat(checks.get(call.name()).problem(call.arguments().getBytes(StandardCharsets.UTF_8)))
                        .as("%s %s", choice, r.text()).isNull();
            }
            switch (choice.mode()) {
                case REQUIRED -> assertThat(reply.calls()).as(r.text()).isNotEmpty();
                case FUNCTION -> assertThat(reply.calls()).as(r.text()).isNotEmpty()
                        .allMatch(call -> call.name().equals("get_weather"));
                case NONE -> assertThat(reply.calls()).isEmpty();
                case AUTO -> assertThat(reply.hasCalls() || r.text().equals(reply.content())).as(r.text()).isTrue();
            }
        }
    }

    @Test
    void aToolResultGoesBackThroughTheTemplateForTheNextTurn() {
        ChatTemplate template = bolmo.template();
        ByteConstraint c = ToolCallConstraint.of(template.tools(), List.of(Tools.WEATHER), ToolChoice.required(), false, 4);
        List<ChatMessage> conversation = new ArrayList<>(List.of(ChatMessage.user("Weather in Strasbourg?")));
        GenerationResult first = bolmo.chat(bolmo.generator(), conversation, List.of(Tools.WEATHER), options(c, 80, null),
                GenerationListener.NONE);
        ToolCallFormat.Reply reply = template.tools().parse(first.text());
        assertThat(reply.calls()).hasSize(1);
        conversation.add(ChatMessage.assistant(reply.content(), reply.calls()));
        conversation.add(ChatMessage.tool("{\"temperature\": 14, \"sky\": \"cloudy\"}"));
        String next = template.render(conversation, List.of(Tools.WEATHER));
        assertThat(next).contains(template.tools().renderCalls(reply.calls()) + "<|im_end|>\n<|im_start|>environment\n"
                + "{\"temperature\": 14, \"sky\": \"cloudy\"}<|im_end|>\n<|im_start|>assistant\n");
        GenerationResult answer = bolmo.generate(next, GenerationOptions.builder().maxNewBytes(20)
                .stop(List.of(template.stopSequence())).build(), GenerationListener.NONE);
        assertThat(answer.generatedUnits()).isPositive();
    }
}
