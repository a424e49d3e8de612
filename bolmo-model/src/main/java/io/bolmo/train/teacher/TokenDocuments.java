package io.bolmo.train.teacher;

import io.bolmo.tokenize.ChatTemplate;
import io.bolmo.tokenize.SubwordEncoder;
import io.bolmo.tokenize.SubwordVocabulary;
import io.bolmo.train.data.ChatConversations;
import io.bolmo.train.data.CorpusException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A corpus document as the teacher's training ids, each marked as a target to learn or as context only. Plain text
 * trains on every id; a chat conversation (a {@link ChatConversations} JSON line) is rendered with the same
 * {@link ChatTemplate} as Bolmo's chat fine-tune and trains only on the tokens that carry assistant bytes.
 */
@FunctionalInterface
public interface TokenDocuments {

    /**
     * @param ids     subword ids of the document, without EOS
     * @param trained per id: 1 when the model learns to predict it, 0 when it is context only
     * @param eosTrained whether the EOS that closes the document in a packed stream is learned
     */
    record Document(int[] ids, int[] trained, boolean eosTrained) {}

    Document encode(String document);

    /** Every id and the closing EOS trained (pretraining). */
    static TokenDocuments text(SubwordEncoder encoder) {
        return document -> {
            int[] ids = encoder.encode(document);
            int[] trained = new int[ids.length];
            Arrays.fill(trained, 1);
            return new Document(ids, trained, true);
        };
    }

    /**
     * The conversation's transcript tokenized as a whole; an id is trained when any of its bytes lies in an assistant
     * turn's content or closing marker ({@link ChatTemplate.Transcript#byteMask}), so the model learns to produce
     * every byte of the replies and to end them. The closing EOS is not trained: a turn ends at the template's marker.
     */
    static TokenDocuments chat(SubwordEncoder encoder, SubwordVocabulary vocab, ChatTemplate template) {
        return json -> {
            ChatTemplate.Transcript t = template.transcript(ChatConversations.parse(json, "conversation"));
            int[] ids = encoder.encode(t.text());
            int[] byteMask = t.byteMask();
            int[] trained = new int[ids.length];
            int offset = 0;
            for (int i = 0; i < ids.length; i++) {
                int[] bytes = vocab.byteIds(ids[i]);
                int end = offset + (bytes == null ? 0 : bytes.length);
                if (bytes == null || end > byteMask.length) {
                    throw mismatch(json, t, ids[i]);
                }
                for (int b = offset; b < end && trained[i] == 0; b++) {
                    trained[i] = byteMask[b];
                }
                offset = end;
            }
            if (offset != byteMask.length) {
                throw mismatch(json, t, -1);
            }
            return new Document(ids, trained, false);
        };
    }

    private static CorpusException mismatch(String json, ChatTemplate.Transcript t, int id) {
        int utf8 = t.text().getBytes(StandardCharsets.UTF_8).length;
        return new CorpusException("conversation " + ChatConversations.abbreviate(json)
                + " renders to " + utf8 + " UTF-8 bytes but its subword ids do not spell them"
                + (id >= 0 ? " (id " + id + ")" : "") + "; remove the tokenizer's special strings (such as its"
                + " end-of-text token) from the messages");
    }
}
