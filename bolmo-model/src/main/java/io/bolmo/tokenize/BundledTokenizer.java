package io.bolmo.tokenize;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The subword tokenizer that ships in this jar: cl100k's first 8,192 ranks plus {@code <|endoftext|>},
 * {@code <|im_start|>}, {@code <|im_end|>}, {@code <|pad|>} (ids 8192..8195); the project's teacher uses it.
 */
public final class BundledTokenizer {

    static final String RESOURCE = "cl100k-8192-tokenizer.json";

    private BundledTokenizer() {}

    /**
     * {@code dir/tokenizer.json}, copied there from the jar unless it exists; written atomically (temp file, rename:
     * tokenization stays independent of {@code io.bolmo.io}, so not through {@code AtomicFiles}).
     */
    public static Path copyTo(Path dir) {
        Path target = dir.resolve("tokenizer.json");
        if (Files.isRegularFile(target)) {
            return target;
        }
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".tokenizer.json.", ".tmp");
            try (InputStream in = BundledTokenizer.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("class-path resource io/bolmo/tokenize/" + RESOURCE + " is missing");
                }
                Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
