package io.bolmo.examples.chat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * {@code --chat.demo.prompt=TEXT} (what {@code bin/chat-demo} passes): once the service is up, asks the model twice, as
 * a user would, through {@link ChatClient} in-process and through the service's own {@code POST /chat}; prints both
 * answers with their latency and the time since JVM start, then closes the application.
 */
@Component
@ConditionalOnProperty(name = "chat.demo.prompt")
class ChatDemo implements ApplicationRunner {

    private final ChatClient chatClient;
    private final ConfigurableApplicationContext context;
    private final String prompt;

    ChatDemo(ChatClient chatClient, ConfigurableApplicationContext context,
            @org.springframework.beans.factory.annotation.Value("${chat.demo.prompt}") String prompt) {
        this.chatClient = chatClient;
        this.context = context;
        this.prompt = prompt;
    }

    @Override
    public void run(ApplicationArguments args) {
        System.out.printf("service up %.1f s after JVM start; prompt: %s%n", sinceStart(), prompt);
        long t0 = System.nanoTime();
        String direct = chatClient.prompt().user(prompt).call().content();
        System.out.printf("ChatClient answer (%d ms): %s%n", (System.nanoTime() - t0) / 1_000_000, direct);
        if (context instanceof WebServerApplicationContext web) {
            int port = web.getWebServer().getPort();
            long t1 = System.nanoTime();
            Map<?, ?> answer = WebClient.create("http://localhost:" + port).post().uri("/chat")
                    .bodyValue(Map.of("message", prompt)).retrieve().bodyToMono(Map.class)
                    .block(Duration.ofMinutes(2));
            System.out.printf("POST /chat answer (%d ms): %s%n", (System.nanoTime() - t1) / 1_000_000,
                    answer == null ? null : answer.get("answer"));
        }
        System.out.printf("done %.1f s after JVM start%n", sinceStart());
        SpringApplication.exit(context, () -> 0); // the JVM ends once the server's threads have stopped
    }

    private static double sinceStart() {
        return ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
    }
}
