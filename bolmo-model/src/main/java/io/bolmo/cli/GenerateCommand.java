package io.bolmo.cli;

import io.bolmo.Bolmo;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bolmo generate}: continues a prompt and streams the text to standard output as it is made. With
 * {@code --print-ids} it prints instead the fused output id of every step, one per line, starting with the forced
 * decision on the last prompt byte (the form of golden {@code step_ids_fused}: 33 lines for 32 new bytes).
 */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Continue a prompt, streaming the text.")
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    Sampling sampling;

    @Option(names = "--prompt", paramLabel = "TEXT", required = true, description = "The prompt (BOS is added).")
    String prompt;

    @Option(names = "--print-ids", description = "Print the fused id of every step instead of the text.")
    boolean printIds;

    @Override
    public Integer call() {
        GenerationOptions options = sampling.options();
        model.check();
        PrintWriter out = spec.commandLine().getOut();
        try (Bolmo bolmo = model.load()) {
            bolmo.generate(prompt, options, new GenerationListener() {
                @Override
                public void onText(String piece) {
                    if (!printIds) {
                        out.print(piece);
                        out.flush();
                    }
                }

                @Override
                public void onStep(int fusedId) {
                    if (printIds) {
                        out.println(fusedId);
                    }
                }
            });
            if (!printIds) {
                out.println();
            }
            out.flush();
        }
        return 0;
    }
}
