package io.bolmo.train.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Stable 64-bit content hash of a document (first 8 bytes of SHA-256 of its UTF-8 text, big-endian). Content, not
 * position, so the held-out split survives reordering or renaming files and duplicates land in the same split.
 */
public final class DocumentHash {

    private DocumentHash() {}

    public static long of(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (d[i] & 0xFF);
            }
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JRE", e);
        }
    }
}
