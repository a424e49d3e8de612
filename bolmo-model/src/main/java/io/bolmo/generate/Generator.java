package io.bolmo.generate;

/**
 * Generates after a prompt of ids: {@link BolmoGenerator} (one sequence per call), {@link BolmoScheduler} (calls
 * decoded together) and {@link OlmoGenerator} (subword ids).
 */
@FunctionalInterface
public interface Generator {

    GenerationResult generate(int[] promptIds, GenerationOptions options, GenerationListener listener);
}
