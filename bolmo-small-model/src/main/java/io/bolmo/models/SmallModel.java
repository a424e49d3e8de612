package io.bolmo.models;

import io.bolmo.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The small models this project trains itself and ships (docs/evaluation.md): a Bolmo byteified by the
 * {@code byteify} job from a d=128 Olmo 3 style teacher pretrained on Lucene's Europarl sample. Both are Hugging Face
 * directories on the class path; loaders memory-map files, so from a jar they are first copied to a cache directory
 * ({@code bolmo.models.cache}, default {@code java.io.tmpdir/bolmo-models}) keyed by their content.
 */
public final class SmallModel {

    /** The byteified model: {@code Bolmo.load(SmallModel.bolmo())}. */
    public static final String BOLMO = "bolmo";
    /** Its subword teacher: {@code Olmo.load(SmallModel.teacher())}. */
    public static final String TEACHER = "teacher";

    static final String ROOT = "io/bolmo/models/small/";
    static final List<String> FILES = List.of("config.json", "model.safetensors", "tokenizer.json");

    private SmallModel() {}

    public static Path bolmo() {
        return directory(BOLMO);
    }

    public static Path teacher() {
        return directory(TEACHER);
    }

    static Path directory(String name) {
        return directory(SmallModel.class.getClassLoader(), name);
    }

    /** A file-system directory holding model {@code name}'s files as {@code loader} sees them. */
    static synchronized Path directory(ClassLoader loader, String name) {
        URL config = resource(loader, name, "config.json");
        if ("file".equals(config.getProtocol())) {
            try {
                return Path.of(config.toURI()).getParent();
            } catch (URISyntaxException e) {
                throw new IllegalStateException("bad class-path URL " + config, e);
            }
        }
        Path cache = Path.of(System.getProperty("bolmo.models.cache",
                Path.of(System.getProperty("java.io.tmpdir"), "bolmo-models").toString()));
        Path target = cache.resolve(name + "-" + contentKey(loader, name));
        if (!Files.isRegularFile(target.resolve("model.safetensors"))) {
            AtomicFiles.replaceDirectory(target, tmp -> {
                for (String f : FILES) {
                    try (InputStream in = resource(loader, name, f).openStream()) {
                        Files.copy(in, tmp.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            });
        }
        return target;
    }

    private static URL resource(ClassLoader loader, String name, String file) {
        URL url = loader.getResource(ROOT + name + "/" + file);
        if (url == null) {
            throw new IllegalStateException("class-path resource " + ROOT + name + "/" + file
                    + " is missing; allowed model names: " + BOLMO + ", " + TEACHER);
        }
        return url;
    }

    /** CRC-32 of the config and the weights: a new release never reuses an older extraction. */
    private static String contentKey(ClassLoader loader, String name) {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[1 << 16];
        for (String f : List.of("config.json", "model.safetensors")) {
            try (InputStream in = resource(loader, name, f).openStream()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    crc.update(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + ROOT + name + "/" + f + ": " + e.getMessage(), e);
            }
        }
        return Long.toHexString(crc.getValue());
    }
}
