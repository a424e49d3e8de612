package io.bolmo.examples.training;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code bolmo.training.*}: where requests may read from and write to, and which names the service answers to.
 *
 * @param dataRoot          inputs (models, corpora, chat sets, tokenizers) must lie under this directory or under
 *                          {@code outputRoot} (a finished run's model is a valid input); relative paths resolve here
 * @param outputRoot        every job's {@code output} must lie under this directory; relative paths resolve here
 * @param recoverOnStartup  mark executions a previous process left STARTED as FAILED at start-up, so they can be
 *                          restarted (only those whose output no live process holds)
 * @param allowedHosts      host names (without port) the service answers to besides {@code localhost},
 *                          {@code 127.0.0.1} and {@code ::1}: any other {@code Host} header is refused (DNS rebinding)
 * @param allowedOrigins    origins ({@code https://host[:port]}) whose browser requests are accepted besides the
 *                          service's own, e.g. behind a TLS proxy
 */
@ConfigurationProperties("bolmo.training")
public record TrainingProperties(Path dataRoot, Path outputRoot, Boolean recoverOnStartup, List<String> allowedHosts,
        List<String> allowedOrigins) {

    public TrainingProperties {
        dataRoot = dataRoot == null ? Path.of("data") : dataRoot;
        outputRoot = outputRoot == null ? Path.of("runs") : outputRoot;
        recoverOnStartup = recoverOnStartup == null || recoverOnStartup;
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    }
}
