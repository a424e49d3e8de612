package io.bolmo.train.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bolmo.train.data.ChatConversations;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusException;
import io.bolmo.train.data.CorpusOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad chat lines fail with the file, the line and what is allowed. */
class ChatConversationsTest {

    @TempDir
    Path dir;

    private String validate(String... lines) throws Exception {
        Path f = dir.resolve("chat.jsonl");
        Files.writeString(f, String.join("\n", lines) + "\n");
        try (Corpus c = Corpus.open(f, CorpusOptions.JSON_OBJECTS)) {
            ChatConversations.validate(c);
            return "ok";
        } catch (CorpusException e) {
            return e.getMessage();
        }
    }

    static final String OK = "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}]}";

    @Test
    void errorsNameFileLineAndWhatIsAllowed() throws Exception {
        assertThat(validate(OK, OK)).isEqualTo("ok");
        assertThat(validate(OK, OK.replace("\"user\"", "\"robot\"")))
                .contains("chat.jsonl:2").contains("role \"robot\" is unknown; allowed: system, user, assistant");
        assertThat(validate(OK.replace("\"a\"", "\"  \""))).contains("chat.jsonl:1")
                .contains("assistant content is empty");
        assertThat(validate(OK, "", "{\"messages\": [")).contains("chat.jsonl:3").contains("malformed JSON");
        assertThat(validate("{\"text\":\"hi\"}")).contains("chat.jsonl:1").contains("missing \"messages\" array")
                .contains("expected {\"messages\":[{\"role\":\"system|user|assistant\"");
        assertThat(validate("{\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}")).contains("no assistant turn");
        assertThat(validate("{\"messages\":[{\"role\":\"user\",\"content\":3}, 1]}"))
                .contains("messages[0]: \"content\" must be a string");
    }

    @Test
    void plainTextFilesAreRefusedInChatMode() throws Exception {
        Path f = dir.resolve("notes.txt");
        Files.writeString(f, "hello\n");
        try (Corpus c = Corpus.open(f, CorpusOptions.JSON_OBJECTS)) {
            assertThatThrownBy(() -> ChatConversations.validate(c)).hasMessageContaining("notes.txt")
                    .hasMessageContaining("chat data must be JSON lines");
        }
    }
}
