package io.bolmo.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8StreamDecoderTest {

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    @Test
    void emojiSplitAcrossPushesAppearsOnlyWhenComplete() {
        Utf8StreamDecoder d = new Utf8StreamDecoder();
        byte[] smile = "🙂".getBytes(StandardCharsets.UTF_8);
        assertThat(d.push(smile[0])).isEmpty();
        assertThat(d.push(smile[1])).isEmpty();
        assertThat(d.hasPending()).isTrue();
        assertThat(d.push(smile[2])).isEmpty();
        assertThat(d.push(smile[3])).isEqualTo("🙂");
        assertThat(d.hasPending()).isFalse();
        assertThat(d.flush()).isEmpty();
    }

    @Test
    void cjkSplitAcrossArrayPushes() {
        Utf8StreamDecoder d = new Utf8StreamDecoder();
        byte[] b = "日本語".getBytes(StandardCharsets.UTF_8);
        assertThat(d.push(b, 0, 4)).isEqualTo("日");
        assertThat(d.push(b, 4, 4)).isEqualTo("本");
        assertThat(d.push(b, 8, 1)).isEqualTo("語");
    }

    @Test
    void invalidSequencesBecomeReplacementCharacters() {
        Utf8StreamDecoder d = new Utf8StreamDecoder();
        assertThat(d.push(0xFF)).isEqualTo("\uFFFD");
        assertThat(d.push(hex("c0af"))).isEqualTo("\uFFFD\uFFFD"); // overlong '/'
        // The JDK replaces an encoded surrogate as one malformed 3-byte unit (Python would emit three U+FFFD).
        assertThat(d.push(hex("eda080"))).isEqualTo("\uFFFD"); // surrogate D800
        assertThat(d.push(hex("e282"))).isEmpty();
        assertThat(d.push('A')).isEqualTo("\uFFFDA"); // truncated euro sign, then A
        assertThat(d.push(0xF0)).isEmpty();
        assertThat(d.flush()).isEqualTo("\uFFFD");
        assertThat(d.push('z')).isEqualTo("z");
    }

    @Test
    void matchesWholeStringDecodingOnRandomBytes() {
        Random rnd = new Random(42);
        int[] interesting = {0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4,
            0xF5, 0xFF, 0xA0, 0x9F, 0x90, 0x8F};
        for (int trial = 0; trial < 5000; trial++) {
            byte[] bytes = new byte[rnd.nextInt(24)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (rnd.nextBoolean() ? interesting[rnd.nextInt(interesting.length)] : rnd.nextInt(256));
            }
            Utf8StreamDecoder d = new Utf8StreamDecoder();
            StringBuilder sb = new StringBuilder();
            int i = 0;
            while (i < bytes.length) {
                int n = Math.min(bytes.length - i, rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(6) : 1);
                sb.append(n == 1 ? d.push(bytes[i]) : d.push(bytes, i, n));
                i += n;
            }
            sb.append(d.flush());
            assertThat(sb.toString()).as(HexFormat.of().formatHex(bytes))
                    .isEqualTo(new String(bytes, StandardCharsets.UTF_8));
        }
    }
}
