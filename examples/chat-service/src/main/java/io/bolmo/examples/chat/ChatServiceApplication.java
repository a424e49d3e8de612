package io.bolmo.examples.chat;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** A chat microservice over the Bolmo starter: JSON and SSE endpoints, an OpenAI-compatible API and a chat page. */
@SpringBootApplication
public class ChatServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(ChatServiceApplication.class, args);
    }

    /** Stateless: the OpenAI endpoint and requests without a conversation id carry their whole history. */
    @Bean
    ChatClient chatClient(ChatClient.Builder builder) {
        return builder.build();
    }

    /**
     * The page's conversations (one id per browser tab): the last {@code chat.memory.max-messages} messages of each,
     * at most {@code chat.memory.max-conversations} conversations, the least recently used forgotten first.
     */
    @Bean
    ChatMemory chatMemory(@Value("${chat.memory.max-messages:20}") int maxMessages,
            @Value("${chat.memory.max-conversations:1000}") int maxConversations) {
        return MessageWindowChatMemory.builder().maxMessages(maxMessages)
                .chatMemoryRepository(new BoundedChatMemoryRepository(maxConversations)).build();
    }

    /** Adds a conversation's earlier turns to a request that names it, and stores the new turn after it. */
    @Bean
    MessageChatMemoryAdvisor chatMemoryAdvisor(ChatMemory chatMemory) {
        return MessageChatMemoryAdvisor.builder(chatMemory).build();
    }
}
