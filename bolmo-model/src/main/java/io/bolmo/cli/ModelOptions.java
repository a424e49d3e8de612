package io.bolmo.cli;

import io.bolmo.Bolmo;
import io.bolmo.tokenize.ChatTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --model}, {@code --tokenizer} and {@code --device}: which model to load and where. */
final class ModelOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Hugging Face Bolmo directory (config.json + safetensors).")
    Path model;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "Subword vocabulary (tokenizer.json or vocabulary JSON); default: found from the model.")
    Path tokenizer;

    @Option(names = "--device", paramLabel = "D", defaultValue = "auto",
            description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    /** Checks the arguments (exit 2), then loads (failures there exit 1 with the loader's message). */
    Bolmo load() {
        check();
        return Bolmo.load(model, new Bolmo.Options(device, tokenizer, ChatTemplate.OLMO));
    }

    /** Checks the option values; a bad model directory is left to the loader, whose message names the problem. */
    void check() {
        if (!device.matches("auto|cpu|gpu|gpu:\\d+")) {
            throw new ParameterException(spec.commandLine(),
                    "--device = '" + device + "' is invalid; allowed: auto, cpu, gpu, gpu:N");
        }
        if (tokenizer != null && !Files.exists(tokenizer)) {
            throw new ParameterException(spec.commandLine(), "--tokenizer = '" + tokenizer + "' does not exist");
        }
    }
}
