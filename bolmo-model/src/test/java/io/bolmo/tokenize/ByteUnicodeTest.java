package io.bolmo.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteUnicodeTest {

    @Test
    void knownGpt2Characters() {
        assertThat(ByteUnicode.toChar(' ')).isEqualTo('Ġ');
        assertThat(ByteUnicode.toChar('\n')).isEqualTo('Ċ');
        assertThat(ByteUnicode.toChar('A')).isEqualTo('A');
        assertThat(ByteUnicode.toChar(0)).isEqualTo('Ā');
        assertThat(ByteUnicode.toChar(0xAD)).isEqualTo('Ń');
        assertThat(ByteUnicode.toChar(0xFF)).isEqualTo('ÿ');
        assertThat(ByteUnicode.toByte('Ġ')).isEqualTo(0x20);
        assertThat(ByteUnicode.toByte(' ')).isEqualTo(-1);
        assertThat(ByteUnicode.toByte('日')).isEqualTo(-1);
    }

    @Test
    void bijectionOverAllBytes() {
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) {
            all[b] = (byte) b;
            assertThat(ByteUnicode.toByte(ByteUnicode.toChar(b))).isEqualTo(b);
        }
        assertThat(ByteUnicode.encode(all).chars().distinct().count()).isEqualTo(256);
        assertThat(ByteUnicode.decode(ByteUnicode.encode(all))).containsExactly(all);
        assertThatThrownBy(() -> ByteUnicode.decode("a b")).hasMessageContaining("\"a b\"").hasMessageContaining("U+0020");
    }
}
