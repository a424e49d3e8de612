package io.bolmo.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.bolmo.generate.constraint.ConstraintException;
import io.bolmo.generate.constraint.ToolChoice;
import io.bolmo.spring.autoconfigure.BolmoChatAutoConfiguration;
import io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadAutoConfiguration;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot.timelimiter.autoconfigure.TimeLimiterAutoConfiguration;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientBuilderCustomizer;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.ai.tool.method.MethodToolCallbackProvider;
import io.bolmo.spring.TestModels;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Structured output and tool calls through ChatClient, on the starter's default model (the shipped small model):
 * a plain {@code entity(Record.class)} is decoded under the record's schema (the auto-configured customizer turns
 * native structured output on) and parses on every call; a {@code @Tool} method is called with arguments valid
 * under its schema and its result goes back to the model; streaming with tools yields the calls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StructuredOutputAndToolsTests {

    enum Mood { CALM, TENSE, FESTIVE }

    record Minutes(String speaker, int year, Mood mood, List<String> topics) {}

    /** Every chat model request the model saw, with its response. */
    static final List<ChatModelObservationContext> SEEN = new CopyOnWriteArrayList<>();

    static final class Weather {
        final List<String> cities = new CopyOnWriteArrayList<>();

        @Tool(description = "The current temperature in a city, in degrees Celsius")
        String currentTemperature(@ToolParam(description = "the city's name") String city) {
            cities.add(city);
            return "{\"city\": \"" + city.replace("\"", "") + "\", \"celsius\": 21}";
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({BolmoChatAutoConfiguration.class, BulkheadAutoConfiguration.class,
            CircuitBreakerAutoConfiguration.class, TimeLimiterAutoConfiguration.class,
            ToolCallingAutoConfiguration.class, ChatClientAutoConfiguration.class})
    static class App {
        @Bean
        ObservationRegistry observationRegistry() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new ObservationHandler<ChatModelObservationContext>() {
                @Override
                public void onStop(ChatModelObservationContext context) {
                    SEEN.add(context);
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return context instanceof ChatModelObservationContext;
                }
            });
            return registry;
        }
    }

    private ConfigurableApplicationContext context;
    private ChatClient client;

    @BeforeAll
    void start() {
        // no model directory: the starter serves the bundled small model
        context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("spring.ai.bolmo.chat.device=cpu", "spring.ai.bolmo.chat.generation-timeout=120s").run();
        client = context.getBean(ChatClient.Builder.class).build();
    }

    @AfterAll
    void stop() {
        context.close();
    }

    @BeforeEach
    void forget() {
        SEEN.clear();
    }

    @Test
    void aPlainEntityCallIsDecodedUnderTheRecordsSchemaAndParses() {
        assertThat(context.getBeansOfType(ChatClientBuilderCustomizer.class)).containsKey("bolmoNativeStructuredOutput");
        List<Minutes> parsed = new ArrayList<>();
        for (Long seed : new Long[] {null, 1L, 2L, 3L}) {
            BolmoChatOptions.Builder options = BolmoChatOptions.builder().maxTokens(200);
            if (seed != null) {
                options.temperature(0.8).topK(40).seed(seed);
            }
            Minutes m = client.prompt().system("You write the minutes of the European Parliament.")
                    .user("Summarise the sitting of Tuesday.").options(options).call().entity(Minutes.class);
            assertThat(m).as("seed %s", seed).isNotNull();
            assertThat(m.speaker()).isNotNull();
            assertThat(m.mood()).isNotNull();
            assertThat(m.topics()).isNotNull().doesNotContainNull();
            parsed.add(m);
        }
        assertThat(SEEN).hasSize(4);
        for (ChatModelObservationContext seen : SEEN) {
            Prompt request = seen.getRequest();
            // the schema went to the decoder, not into the prompt
            assertThat(((BolmoChatOptions) request.getOptions()).getOutputSchema()).contains("\"topics\"");
            assertThat(request.getUserMessage().getText()).isEqualTo("Summarise the sitting of Tuesday.");
        }
        assertThat(parsed).as("sampling with different seeds").hasSizeGreaterThan(1);
    }

    @Test
    void nativeStructuredOutputCanBeTurnedOffPerRequestAndByProperty() {
        assertThatThrownBy(() -> client.prompt().user("Summarise the sitting of Tuesday.")
                .advisors(a -> a.param("spring.ai.chat.client.structured.output.native", false))
                .options(BolmoChatOptions.builder().maxTokens(8)).call().entity(Minutes.class))
                .as("8 free bytes are no Minutes").isNotNull();
        Prompt request = SEEN.get(0).getRequest();
        assertThat(((BolmoChatOptions) request.getOptions()).getOutputSchema()).isNull();
        assertThat(request.getUserMessage().getText()).contains("Summarise the sitting of Tuesday.", "\"topics\"");

        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BolmoChatAutoConfiguration.class,
                        ToolCallingAutoConfiguration.class, ChatClientAutoConfiguration.class))
                .withPropertyValues("spring.ai.bolmo.chat.device=cpu",
                        "spring.ai.bolmo.chat.model-directory=" + TestModels.tinyModel())
                .run(on -> {
                    assertThat(on).hasBean("bolmoNativeStructuredOutput");
                    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
                            BolmoChatAutoConfiguration.class, ToolCallingAutoConfiguration.class,
                            ChatClientAutoConfiguration.class)).withPropertyValues("spring.ai.bolmo.chat.device=cpu",
                            "spring.ai.bolmo.chat.model-directory=" + TestModels.tinyModel(),
                            "spring.ai.bolmo.chat.native-structured-output=false")
                            .run(off -> assertThat(off).hasNotFailed().doesNotHaveBean("bolmoNativeStructuredOutput"));
                });
    }

    @Test
    void schemaAndToolsAreCopiedByMutateAndMergedLikeTheOtherOptions() {
        List<org.springframework.ai.tool.ToolCallback> tools = List.of(MethodToolCallbackProvider.builder()
                .toolObjects(new Weather()).build().getToolCallbacks());
        BolmoChatOptions o = BolmoChatOptions.builder().maxTokens(50).outputSchema("{\"type\":\"object\"}")
                .toolCallbacks(tools).toolContext(java.util.Map.of("user", "ann")).toolChoice(ToolChoice.none())
                .parallelToolCalls(false).build();
        assertThat(o.mutate().build()).isEqualTo(o).hasSameHashCodeAs(o);
        assertThat(o.getToolCallbacks()).isEqualTo(tools);
        assertThat(o.getToolContext()).containsEntry("user", "ann");
        BolmoChatOptions merged = BolmoChatOptions.builder().temperature(0.5).toolChoice(ToolChoice.auto())
                .combineWith(o.mutate()).build();
        assertThat(merged.getTemperature()).isEqualTo(0.5);
        assertThat(merged.getToolChoice()).isEqualTo(ToolChoice.none());
        assertThat(merged.getOutputSchema()).isEqualTo("{\"type\":\"object\"}");
        assertThat(merged.getParallelToolCalls()).isFalse();
        assertThat(merged.getToolCallbacks()).isEqualTo(tools);
        BolmoChatOptions generic = BolmoChatOptions.from(org.springframework.ai.model.tool.ToolCallingChatOptions
                .builder().maxTokens(7).toolCallbacks(tools).build());
        assertThat(generic.getMaxTokens()).isEqualTo(7);
        assertThat(generic.getToolCallbacks()).isEqualTo(tools);
        assertThat(BolmoChatOptions.builder().build()).isEqualTo(BolmoChatOptions.builder().build())
                .isNotEqualTo(BolmoChatOptions.builder().toolChoice(ToolChoice.required()).build());
    }

    @Test
    void aBadOutputSchemaIsAnErrorNamingItsPart() {
        assertThatThrownBy(() -> BolmoChatOptions.builder()
                .outputSchema("{\"type\":\"object\",\"properties\":{\"tags\":{\"type\":\"array\",\"uniqueItems\":true}}}")
                .build()).isInstanceOf(ConstraintException.class).hasMessageContaining("#/properties/tags/uniqueItems");
    }

    @Test
    void aToolCallRoundTripRunsTheJavaToolAndFeedsItsResultBack() {
        Weather weather = new Weather();
        String answer = client.prompt().user("What is the temperature in Oslo right now?").tools(weather)
                .options(BolmoChatOptions.builder().maxTokens(120).toolChoice(ToolChoice.required())
                        .parallelToolCalls(false))
                .call().content();
        assertThat(weather.cities).hasSize(1);
        assertThat(SEEN).hasSizeGreaterThanOrEqualTo(2);
        // round 1: the model called the tool with arguments valid under its schema
        AssistantMessage call = SEEN.get(0).getResponse().getResult().getOutput();
        assertThat(call.getToolCalls()).hasSize(1);
        AssistantMessage.ToolCall toolCall = call.getToolCalls().get(0);
        assertThat(toolCall.name()).isEqualTo("currentTemperature");
        String schema = MethodToolCallbackProvider.builder().toolObjects(weather).build().getToolCallbacks()[0]
                .getToolDefinition().inputSchema();
        assertThat(SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema)
                .validate(JsonMapper.builder().build().readTree(toolCall.arguments()))).isEmpty();
        assertThat(JsonMapper.builder().build().readTree(toolCall.arguments()).get("city").asString())
                .isEqualTo(weather.cities.get(0));
        assertThat(SEEN.get(0).getResponse().getResult().getMetadata().getFinishReason()).isEqualTo("TOOL_CALLS");
        // round 2: the request carried the call and the tool's result, and the answer is text
        List<Message> second = SEEN.get(1).getRequest().getInstructions();
        assertThat(second.get(second.size() - 2).getMessageType()).isEqualTo(MessageType.ASSISTANT);
        ToolResponseMessage result = (ToolResponseMessage) second.get(second.size() - 1);
        assertThat(result.getResponses()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(toolCall.id());
            assertThat(r.responseData()).contains("\"celsius\": 21");
        });
        assertThat(answer).isNotNull().doesNotContain("<function_calls>");
    }

    @Test
    void aStreamWithToolsShowsTextOnlyAndEndsWithTheCalls() {
        BolmoChatModel model = context.getBean(BolmoChatModel.class);
        Weather weather = new Weather();
        BolmoChatOptions options = BolmoChatOptions.builder().maxTokens(120).toolChoice(ToolChoice.required())
                .toolCallbacks(List.of(MethodToolCallbackProvider.builder().toolObjects(weather).build()
                        .getToolCallbacks())).build();
        Prompt prompt = new Prompt("Is it warm in Lisbon?", options);
        List<ChatResponse> chunks = model.stream(prompt).collectList().block(Duration.ofSeconds(120));
        ChatResponse called = model.call(prompt);
        assertThat(chunks).isNotEmpty();
        StringBuilder text = new StringBuilder();
        List<AssistantMessage.ToolCall> calls = new ArrayList<>();
        chunks.forEach(c -> {
            text.append(c.getResult().getOutput().getText());
            calls.addAll(c.getResult().getOutput().getToolCalls());
        });
        assertThat(text.toString()).isEmpty();
        assertThat(calls).isNotEmpty().allSatisfy(c -> assertThat(c.name()).isEqualTo("currentTemperature"));
        assertThat(chunks.get(chunks.size() - 1).getResult().getMetadata().getFinishReason()).isEqualTo("TOOL_CALLS");
        // greedy: the stream's calls are the call's calls
        assertThat(calls.stream().map(AssistantMessage.ToolCall::arguments).toList()).isEqualTo(called.getResult()
                .getOutput().getToolCalls().stream().map(AssistantMessage.ToolCall::arguments).toList());
        assertThat(weather.cities).as("the model never runs tools itself").isEmpty();

        // through ChatClient the tool loop runs on the stream too: the call, the result, then the streamed answer
        List<String> pieces = client.prompt().user("Is it warm in Lisbon?").tools(weather)
                .options(BolmoChatOptions.builder().maxTokens(120).toolChoice(ToolChoice.required())).stream()
                .content().collectList().block(Duration.ofSeconds(120));
        assertThat(weather.cities).hasSize(1);
        assertThat(String.join("", pieces)).doesNotContain("<function_calls>");
        List<Message> last = SEEN.get(SEEN.size() - 1).getRequest().getInstructions();
        assertThat(last.get(last.size() - 1)).isInstanceOf(ToolResponseMessage.class);
    }
}
