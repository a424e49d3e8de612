package io.bolmo.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Olmo 3's tool conventions: tools in the system turn, calls after the text, results as environment turns. */
class ToolCallFormatTest {

    private static final ToolDefinition WEATHER = new ToolDefinition("get_weather", "Weather in a city",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
    private static final ToolCallFormat F = ToolCallFormat.OLMO3;

    @Test
    void toolsAreListedAsJsonInTheSystemTurn() {
        String prompt = ChatTemplate.OLMO.render(List.of(ChatMessage.system("Be brief."), ChatMessage.user("Oslo?")),
                List.of(WEATHER));
        assertThat(prompt).isEqualTo("<|im_start|>system\nBe brief.<functions>[{\"type\": \"function\", \"function\":"
                + " {\"name\": \"get_weather\", \"description\": \"Weather in a city\", \"parameters\": {\"type\":"
                + " \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}, \"required\": [\"city\"]}}}]"
                + "</functions><|im_end|>\n<|im_start|>user\nOslo?<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void withoutASystemTurnTheFunctionCallingOneIsAdded() {
        String prompt = ChatTemplate.OLMO.render(List.of(ChatMessage.user("Oslo?")), List.of(WEATHER));
        assertThat(prompt).startsWith("<|im_start|>system\nYou are a helpful function-calling AI assistant. You are"
                + " provided with function signatures within <functions></functions> XML tags.")
                .contains("Output any function calls within <function_calls></function_calls> XML tags.")
                .contains("<functions>[{\"type\": \"function\"").endsWith("<|im_start|>user\nOslo?<|im_end|>\n"
                        + "<|im_start|>assistant\n");
    }

    @Test
    void withoutToolsTheRenderingIsUnchanged() {
        List<ChatMessage> conv = List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello"), ChatMessage.user("?"));
        assertThat(ChatTemplate.OLMO.render(conv, List.of())).isEqualTo(ChatTemplate.OLMO.render(conv))
                .isEqualTo("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello<|im_end|>\n"
                        + "<|im_start|>user\n?<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void callsAndResultsGoBackThroughTheTemplate() {
        List<ChatMessage> conv = List.of(ChatMessage.user("Weather in Oslo and Rome?"),
                ChatMessage.assistant("Checking.", List.of(new ToolCall("get_weather", "{\"city\":\"Oslo\"}"),
                        new ToolCall("get_weather", "{\"city\":\"Rome\",\"days\":2,\"opts\":{\"a\":[1,true]}}"))),
                ChatMessage.tool("{\"temp\":3}"), ChatMessage.tool("{\"temp\":19}"));
        String prompt = ChatTemplate.OLMO.render(conv, List.of(WEATHER));
        assertThat(prompt).contains("<|im_start|>assistant\nChecking.<function_calls>get_weather(city=\"Oslo\")\n"
                + "get_weather(city=\"Rome\", days=2, opts={\"a\": [1, true]})</function_calls><|im_end|>\n"
                + "<|im_start|>environment\n{\"temp\":3}<|im_end|>\n<|im_start|>environment\n{\"temp\":19}<|im_end|>\n"
                + "<|im_start|>assistant\n");
        ChatTemplate.Transcript t = ChatTemplate.OLMO.transcript(conv);
        assertThat(t.text()).contains("Checking.<function_calls>get_weather(city=\"Oslo\")");
    }

    @Test
    void parseReadsBackWhatRenderWrites() {
        List<ToolCall> calls = List.of(new ToolCall("get_weather", "{\"city\":\"Oslo, \\\"Norway\\\")\"}"),
                new ToolCall("now", "{}"), new ToolCall("search", "{\"q\":\"a=b\",\"n\":[1,{\"x\":null}],\"f\":-2.5e3}"));
        ToolCallFormat.Reply r = F.parse("Let me look." + F.renderCalls(calls));
        assertThat(r.content()).isEqualTo("Let me look.");
        assertThat(r.calls()).isEqualTo(calls);
    }

    @Test
    void parseIsLenientWhereAnUnconstrainedModelStrays() {
        ToolCallFormat.Reply r = F.parse("<function_calls>\n  f( a = True , b='x', c=None,d = {\"k\": 'v'} )\n"
                + "g()\n</function_calls>");
        assertThat(r.content()).isEmpty();
        assertThat(r.calls()).containsExactly(new ToolCall("f", "{\"a\":true,\"b\":\"x\",\"c\":null,\"d\":{\"k\":\"v\"}}"),
                new ToolCall("g", "{}"));
        assertThat(F.parse("no calls here").calls()).isEmpty();
        assertThat(F.parse("<function_calls>f(x=1)").calls()).as("unclosed at the end")
                .containsExactly(new ToolCall("f", "{\"x\":1}"));
    }

    @Test
    void malformedCallsNameTheCallAndTheProblem() {
        assertThatThrownBy(() -> F.parse("<function_calls>f(x=1) g(y 2)</function_calls>"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tool call 2 is malformed").hasMessageContaining("'=' after the argument 'y' of 'g'");
        assertThatThrownBy(() -> F.parse("<function_calls>(x=1)</function_calls>"))
                .hasMessageContaining("a tool name was expected");
        assertThatThrownBy(() -> new ToolDefinition("bad name", "", null)).hasMessageContaining("tool name = 'bad name'");
        assertThatThrownBy(() -> new ChatMessage("user", "x", List.of(new ToolCall("f", "{}"))))
                .hasMessageContaining("only assistant turns call tools");
    }

    @Test
    void aStreamShowsTheContentAndNeverTheCallsBlock() {
        String reply = "Let me <b>check</b>.<function_calls>get_weather(city=\"Oslo\")</function_calls>";
        for (int size = 1; size <= 7; size++) {
            ToolCallFormat.ContentFilter filter = F.contentFilter();
            StringBuilder shown = new StringBuilder();
            for (int i = 0; i < reply.length(); i += size) {
                shown.append(filter.push(reply.substring(i, Math.min(reply.length(), i + size))));
            }
            shown.append(filter.flush());
            assertThat(shown.toString()).as("pieces of %d", size).isEqualTo("Let me <b>check</b>.");
        }
        ToolCallFormat.ContentFilter plain = F.contentFilter();
        assertThat(plain.push("a <func")).isEqualTo("a ");
        assertThat(plain.flush()).as("never completed: content after all").isEqualTo("<func");
    }
}
