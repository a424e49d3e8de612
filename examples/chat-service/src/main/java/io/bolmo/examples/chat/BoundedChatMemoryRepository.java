package io.bolmo.examples.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.messages.Message;

/**
 * Conversations in memory, at most {@code maxConversations}: past that the least recently used one is forgotten,
 * so clients that invent conversation ids cannot grow the heap without bound (each conversation is further bounded
 * by the window of {@code MessageWindowChatMemory}). Spring AI's {@code InMemoryChatMemoryRepository} has no bound.
 */
final class BoundedChatMemoryRepository implements ChatMemoryRepository {

    private final Map<String, List<Message>> conversations;

    BoundedChatMemoryRepository(int maxConversations) {
        if (maxConversations < 1) {
            throw new IllegalArgumentException("chat.memory.max-conversations = " + maxConversations
                    + " is invalid: it must be at least 1");
        }
        this.conversations = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<Message>> eldest) {
                return size() > maxConversations;
            }
        };
    }

    @Override
    public synchronized List<String> findConversationIds() {
        return new ArrayList<>(conversations.keySet());
    }

    @Override
    public synchronized List<Message> findByConversationId(String conversationId) {
        List<Message> messages = conversations.get(conversationId);
        return messages == null ? List.of() : List.copyOf(messages);
    }

    @Override
    public synchronized void saveAll(String conversationId, List<Message> messages) {
        conversations.put(conversationId, List.copyOf(messages));
    }

    @Override
    public synchronized void deleteByConversationId(String conversationId) {
        conversations.remove(conversationId);
    }
}
