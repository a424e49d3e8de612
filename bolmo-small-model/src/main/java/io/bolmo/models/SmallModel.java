package io.bolmo.models;

import io.bolmo.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

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

    /**
     * The CRC-32s of the config and the weights as the jar records them (read from its directory, not by reading the
     * 12 MB again at every start): a new release never reuses an older extraction.
     */
    private static String contentKey(ClassLoader loader, String name) {
        StringBuilder key = new StringBuilder();
        for (String f : List.of("config.json", "model.safetensors")) {
            URL url = resource(loader, name, f);
            try {
                JarURLConnection jar = (JarURLConnection) url.openConnection();
                jar.setUseCaches(false);
                key.append(Long.toHexString(jar.getJarEntry().getCrc()));
                jar.getJarFile().close();
            } catch (IOException | ClassCastException e) {
                throw new IllegalStateException("cannot read the jar entry of " + url + ": " + e.getMessage(), e);
            }
        }
        return key.toString();
    }
}
