package io.bolmo.cli;

import io.bolmo.Bolmo;
import io.bolmo.engine.LoadOptions;
import io.bolmo.tokenize.ChatTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --model}, {@code --tokenizer} and the {@link EngineOptions}: which model to load, where and how. */
final class ModelOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Hugging Face Bolmo directory (config.json + safetensors).")
    Path model;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "Subword vocabulary (tokenizer.json or vocabulary JSON); default: found from the model.")
    Path tokenizer;

    @Mixin
    EngineOptions engine;

    /** Checks the arguments (exit 2), then loads (failures there exit 1 with the loader's message). */
    Bolmo load() {
        return Bolmo.load(model, new Bolmo.Options(check(), tokenizer, ChatTemplate.OLMO));
    }

    /**
     * Checks the option values and returns how to load; a bad model directory is left to the loader, whose message
     * names the problem.
     */
    LoadOptions check() {
        LoadOptions options = engine.loadOptions();
        if (tokenizer != null && !Files.exists(tokenizer)) {
            throw new ParameterException(spec.commandLine(), "--tokenizer = '" + tokenizer + "' does not exist");
        }
        return options;
    }
}
