package io.bolmo.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** What {@code bin/chat-demo} runs: the service on the bundled small model answers twice, then closes. */
@ExtendWith(OutputCaptureExtension.class)
class ChatDemoTests {

    @Test
    void theDemoAnswersThroughChatClientAndHttpWithTheBundledModelAndCloses(CapturedOutput output) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ChatServiceApplication.class).run(
                "--server.port=0", "--spring.ai.bolmo.chat.model-directory=", "--spring.ai.bolmo.chat.options.max-tokens=40",
                "--chat.demo.prompt=Madam President,");
        assertThat(context.isActive()).isFalse();
        assertThat(output).contains("prompt: Madam President,").containsPattern("ChatClient answer \\(\\d+ ms\\): \\S")
                .containsPattern("POST /chat answer \\(\\d+ ms\\): \\S").contains("done");
    }
}
