package io.bolmo.cli;

import io.bolmo.Bolmo;
import io.bolmo.tokenize.ChatMessage;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bolmo chat}: a conversation with the chat template. Each line of standard input is a user turn; the
 * answer is streamed and the history kept. {@code /exit} or end of input quits. The {@code > } prompt is only
 * printed when standard input is a terminal, so piped input gives clean output.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, description = "Interactive chat (one user turn per line).")
final class ChatCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The conversation's input: standard input, or what {@link BolmoCli#run} was given. */
    private final BufferedReader in;

    ChatCommand(BufferedReader in) {
        this.in = in;
    }

    @Mixin
    ModelOptions model;

    @Mixin
    Sampling sampling;

    @Option(names = "--system", paramLabel = "TEXT", description = "A system message before the conversation.")
    String system;

    @Override
    public Integer call() throws IOException {
        GenerationOptions options = sampling.options();
        model.check();
        PrintWriter out = spec.commandLine().getOut();
        boolean interactive = System.console() != null;
        List<ChatMessage> history = new ArrayList<>();
        if (system != null) {
            history.add(ChatMessage.system(system));
        }
        try (Bolmo bolmo = model.load()) {
            while (true) {
                if (interactive) {
                    out.print("> ");
                    out.flush();
                }
                String line = in.readLine();
                if (line == null || line.strip().equals("/exit")) {
                    break;
                }
                if (line.isBlank()) {
                    continue;
                }
                history.add(ChatMessage.user(line));
                GenerationResult r = bolmo.chat(history, options, new GenerationListener() {
                    @Override
                    public void onText(String piece) {
                        out.print(piece);
                        out.flush();
                    }
                });
                out.println();
                out.flush();
                history.add(ChatMessage.assistant(r.text()));
            }
        }
        return 0;
    }
}
