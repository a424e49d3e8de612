package io.bolmo.train.data;

import static io.bolmo.train.data.DataFixtures.CL_EOS;
import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.tokenize.HfSubwordEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ByteDocumentEncoderTest {

    static HfSubwordEncoder hf;
    static ByteDocumentEncoder encoder;

    @BeforeAll
    static void open() {
        hf = HfSubwordEncoder.open(DataFixtures.CL100K);
        encoder = new ByteDocumentEncoder(hf, DataFixtures.CL100K_VOCAB);
    }

    @AfterAll
    static void close() {
        hf.close();
    }

    @Test
    void layoutOfAHandMadeDocument() {
        // cl100k-8192: "The cat." = The | Ġc | at | .  (791, 272, 266, 13)
        ByteExample ex = encoder.encode("The cat.");
        assertThat(ex.byteIds()).containsExactly(1, 88, 108, 105, 36, 103, 101, 120, 50, 1);
        assertThat(ex.patchLens()).containsExactly(1, 3, 2, 2, 1, 1);
        assertThat(ex.teacherIds()).containsExactly(CL_EOS, 791, 272, 266, 13, CL_EOS);
        assertThat(ex.tokens()).isEqualTo(5);
    }

    @Test
    void bytesAreUtf8PlusFourForNonAscii() {
        String s = "naïve café — 日本語 🙂";
        ByteExample ex = encoder.encode(s);
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        assertThat(ex.byteIds()).hasSize(utf8.length + 2);
        for (int i = 0; i < utf8.length; i++) {
            assertThat(ex.byteIds()[i + 1]).isEqualTo((utf8[i] & 0xFF) + 4);
        }
        assertThat(java.util.Arrays.stream(ex.patchLens()).sum()).isEqualTo(ex.byteIds().length);
    }

    @Test
    void longDocumentsAreNotTruncatedByTheTokenizer() {
        // DJL defaults to modelMaxLength 512 when truncation is on; the encoder must switch it off.
        String s = "word ".repeat(3000);
        ByteExample ex = encoder.encode(s);
        assertThat(ex.byteIds()).hasSize(s.length() + 2);
        assertThat(ex.tokens()).isGreaterThan(512);
    }
}
