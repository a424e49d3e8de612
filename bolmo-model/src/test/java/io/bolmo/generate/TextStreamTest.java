package io.bolmo.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Streaming text: whole code points only, U+FFFD for invalid bytes, stop sequences matched on bytes. */
class TextStreamTest {

    private final List<String> pieces = new ArrayList<>();
    private final GenerationListener listener = new GenerationListener() {
        @Override
        public void onText(String piece) {
            pieces.add(piece);
        }
    };

    /** Feeds the bytes one at a time (as Bolmo generates them); returns the index of the byte that stopped, or -1. */
    private int feed(TextStream stream, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (stream.accept(bytes[i] & 0xFF)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void multibyteCharactersSplitAcrossStepsLeaveWhole() {
        String text = "añb 世界 🙂👍🏽 € 𝄞 end";
        TextStream stream = new TextStream(List.of(), listener);
        feed(stream, text.getBytes(StandardCharsets.UTF_8));
        stream.finish();
        assertThat(pieces).hasSizeGreaterThan(10);
        for (String piece : pieces) {
            assertThat(wholeCodePoints(piece)).as("piece %s", piece).isTrue();
        }
        assertThat(String.join("", pieces)).isEqualTo(text);
        assertThat(stream.text()).isEqualTo(text);
        assertThat(stream.textBytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void invalidBytesBecomeReplacementCharacters() {
        byte[] bytes = {'a', (byte) 0xFF, 'b', (byte) 0xC3, 'c', (byte) 0xE4, (byte) 0xB8};
        TextStream stream = new TextStream(List.of(), listener);
        feed(stream, bytes);
        stream.finish();
        assertThat(stream.text()).isEqualTo("a\uFFFDb\uFFFDc\uFFFD").isEqualTo(new String(bytes, StandardCharsets.UTF_8));
        assertThat(String.join("", pieces)).isEqualTo(stream.text());
    }

    @Test
    void aMultibyteStopSequenceIsMatchedOnBytesAndNeverEmitted() {
        TextStream stream = new TextStream(List.of("世界"), listener);
        byte[] bytes = "ab 世界 cd".getBytes(StandardCharsets.UTF_8);
        int stoppedAt = feed(stream, bytes);
        stream.finish();
        assertThat(stoppedAt).isEqualTo("ab 世界".getBytes(StandardCharsets.UTF_8).length - 1);
        assertThat(stream.text()).isEqualTo("ab ");
        assertThat(String.join("", pieces)).isEqualTo("ab ");
    }

    @Test
    void aPartialStopSequenceIsHeldBackThenReleased() {
        TextStream stream = new TextStream(List.of("</s>"), listener);
        feed(stream, "x</".getBytes(StandardCharsets.UTF_8));
        assertThat(String.join("", pieces)).isEqualTo("x");
        feed(stream, "p>".getBytes(StandardCharsets.UTF_8));
        assertThat(String.join("", pieces)).isEqualTo("x</p>");
        feed(stream, "<".getBytes(StandardCharsets.UTF_8));
        stream.finish();
        assertThat(String.join("", pieces)).isEqualTo("x</p><");
    }

    private static boolean wholeCodePoints(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(++i)))) {
                return false;
            }
            if (Character.isLowSurrogate(c) || c == '\uFFFD') {
                return false;
            }
        }
        return true;
    }
}
