package io.bolmo.cli;

import io.bolmo.Bolmo;
import io.bolmo.Olmo;
import io.bolmo.eval.ChatFormatEval;
import io.bolmo.tokenize.ChatTemplate;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bolmo eval-chat}: answer format and exact-answer rates on a chat set's held-out prompts. */
@Command(name = "eval-chat", mixinStandardHelpOptions = true,
        description = "Greedy answers to the held-out prompts of a make-chat-data set: % in the answer format, % exact,"
                + " and bits per byte of the expected replies.")
final class EvalChatCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--data", paramLabel = "FILE", required = true, description = "The chat set (JSONL).")
    Path data;

    @Option(names = "--held-out-every", paramLabel = "N", defaultValue = "10",
            description = "The fine-tune's held-out-every: score its held-out conversations (0: all; default 10).")
    int heldOutEvery;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "At most N prompts (0: all).")
    int limit;

    @Option(names = "--max-bytes", paramLabel = "N", defaultValue = "64",
            description = "Reply budget (default 64): bytes for a Bolmo, tokens for a --subword model.")
    int maxBytes;

    @Option(names = "--show", paramLabel = "N", defaultValue = "5", description = "Print the first N replies.")
    int show;

    @Option(names = "--subword", description = "--model is a subword teacher (Olmo 2/3 directory), not a Bolmo:"
            + " score it on the same prompts, after its EOS, through the same chat template.")
    boolean subword;

    @Override
    public Integer call() {
        if (subword) {
            try (Olmo teacher = Olmo.load(model.model, model.check(), model.tokenizer)) {
                print(ChatFormatEval.run(ChatFormatEval.Subject.of(teacher, ChatTemplate.OLMO), data, heldOutEvery,
                        limit, maxBytes));
            }
        } else {
            try (Bolmo bolmo = model.load()) {
                print(ChatFormatEval.run(ChatFormatEval.Subject.of(bolmo), data, heldOutEvery, limit, maxBytes));
            }
        }
        return 0;
    }

    private void print(ChatFormatEval.Report r) {
        PrintWriter w = spec.commandLine().getOut();
        for (int i = 0; i < Math.min(show, r.items().size()); i++) {
            ChatFormatEval.Item it = r.items().get(i);
            w.printf("[%s] expected %s | got %s%n", it.task(), quote(it.expected()), quote(it.reply()));
        }
        w.print(r.describe());
        w.flush();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }
}
