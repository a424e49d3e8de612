package io.bolmo.train.data;

import io.bolmo.tokenize.ChatTemplate;
import io.bolmo.tokenize.SubwordVocabulary;
import java.nio.charset.StandardCharsets;

/**
 * A chat conversation (one {@link ChatConversations} JSON line) to a {@link ByteExample}: the whole conversation
 * rendered with the generation engine's {@link ChatTemplate}, tokenized like plain text (so the boundary targets are
 * the subword tokenizer's), with a loss mask on the assistant turns' content and closing marker only.
 */
public final class ChatDocumentEncoder implements DocumentEncoder {

    private final ByteDocumentEncoder text;
    private final ChatTemplate template;

    public ChatDocumentEncoder(ByteDocumentEncoder text, ChatTemplate template) {
        this.text = text;
        this.template = template;
    }

    @Override
    public ByteExample encode(String json) {
        ChatTemplate.Transcript t = template.transcript(ChatConversations.parse(json, "conversation"));
        ByteExample ex = text.encode(t.text());
        int[] textMask = t.byteMask();
        int utf8 = t.text().getBytes(StandardCharsets.UTF_8).length;
        if (ex.byteIds().length != utf8 + 2) {
            // a tokenizer special (its EOS or PAD string) inside the text became one id: byte offsets no longer hold
            throw new CorpusException("conversation " + ChatConversations.abbreviate(json) + " renders to " + utf8
                    + " UTF-8 bytes but tokenizes to " + (ex.byteIds().length - 2) + " byte ids; remove the tokenizer's"
                    + " special strings (such as its end-of-text token) from the messages");
        }
        int[] mask = new int[ex.byteIds().length]; // BOS and EOS: not trained
        System.arraycopy(textMask, 0, mask, 1, utf8);
        return ex.withLossMask(mask);
    }

    @Override
    public SubwordVocabulary vocabulary() {
        return text.vocabulary();
    }
}
