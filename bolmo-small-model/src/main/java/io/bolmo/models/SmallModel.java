package io.bolmo.models;

import io.bolmo.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;

/**
 * The small models this project trains itself and ships (docs/evaluation.md): a Bolmo byteified by the
 * {@code byteify} job from a d=128 Olmo 3 style teacher pretrained on Lucene's Europarl sample. Both are Hugging Face
 * directories on the class path. Loaders memory-map files, so from a jar they are first extracted to a per-user cache
 * ({@code bolmo.models.cache}, default {@code $XDG_CACHE_HOME/bolmo/models} or {@code ~/.cache/bolmo/models}): the
 * directory is made owner-only (0700) and must belong to this user, and every file is checked against the size and
 * CRC-32 the jar records for it before each use; a missing, modified or planted file is extracted again.
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

    /** A file-system directory holding model {@code name}'s files as {@code loader} sees them, verified. */
    static synchronized Path directory(ClassLoader loader, String name) {
        URL config = resource(loader, name, "config.json");
        if ("file".equals(config.getProtocol())) {
            try {
                return Path.of(config.toURI()).getParent();
            } catch (URISyntaxException e) {
                throw new IllegalStateException("bad class-path URL " + config, e);
            }
        }
        List<JarEntry> entries = new ArrayList<>();
        for (String f : FILES) {
            entries.add(jarEntry(resource(loader, name, f)));
        }
        Path cache = privateDirectory(cacheRoot());
        // named by the CRCs of the config and the weights: a new release never reuses an older extraction
        Path target = cache.resolve(name + "-" + Long.toHexString(entries.get(0).getCrc())
                + Long.toHexString(entries.get(1).getCrc()));
        if (!matches(target, entries)) {
            AtomicFiles.replaceDirectory(target, tmp -> {
                for (String f : FILES) {
                    try (InputStream in = resource(loader, name, f).openStream()) {
                        Files.copy(in, tmp.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            });
            if (!matches(target, entries)) {
                throw new IllegalStateException("the extracted model at " + target
                        + " does not match the jar's sizes and CRC-32s; is another process writing there?");
            }
        }
        return target;
    }

    /** {@code bolmo.models.cache}, else the user's cache directory: never a shared, predictable temp path. */
    static Path cacheRoot() {
        String configured = System.getProperty("bolmo.models.cache");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("bolmo").resolve("models");
    }

    /**
     * Creates {@code dir} if needed and makes it owner-only. A directory of another user is refused: whoever owns
     * it could replace the weights between the check and the load.
     */
    static Path privateDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                return dir;
            }
            UserPrincipal owner = Files.getOwner(dir);
            UserPrincipal me = currentUser();
            if (me != null && !owner.equals(me)) {
                throw new IllegalStateException("model cache " + dir + " belongs to " + owner.getName() + ", not to "
                        + me.getName() + "; set -Dbolmo.models.cache to a directory of your own");
            }
            // also fails for a directory of another user when this user's name could not be looked up
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the model cache " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Null when the JVM's user name has no account (some containers). */
    private static UserPrincipal currentUser() {
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
        } catch (IOException e) {
            return null;
        }
    }

    /** Every file present as a regular file (not a link) with the jar entry's size and CRC-32. */
    static boolean matches(Path dir, List<JarEntry> entries) {
        for (int i = 0; i < FILES.size(); i++) {
            Path file = dir.resolve(FILES.get(i));
            JarEntry entry = entries.get(i);
            try {
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) != entry.getSize()
                        || crc32(file) != entry.getCrc()) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static long crc32(Path file) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }

    private static URL resource(ClassLoader loader, String name, String file) {
        URL url = loader.getResource(ROOT + name + "/" + file);
        if (url == null) {
            throw new IllegalStateException("class-path resource " + ROOT + name + "/" + file
                    + " is missing; allowed model names: " + BOLMO + ", " + TEACHER);
        }
        return url;
    }

    /** The jar's own record of a file: its size and CRC-32, read from the jar's directory, not from the data. */
    private static JarEntry jarEntry(URL url) {
        try {
            JarURLConnection jar = (JarURLConnection) url.openConnection();
            jar.setUseCaches(false);
            JarEntry entry = jar.getJarEntry();
            jar.getJarFile().close();
            if (entry.getSize() < 0 || entry.getCrc() < 0) {
                throw new IllegalStateException("the jar records no size or CRC-32 for " + url);
            }
            return entry;
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("cannot read the jar entry of " + url + ": " + e.getMessage(), e);
        }
    }
}
