package io.bolmo.generate.constraint;

import dk.brics.automaton.Automaton;
import io.bolmo.tokenize.ToolCallFormat;
import io.bolmo.tokenize.ToolDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The constraint on an assistant reply when tools are offered, in a {@link ToolCallFormat}: free text that never
 * opens a calls block, and/or a calls block whose every call names one of the tools and passes arguments valid
 * under that tool's parameter schema:
 *
 * <pre>
 *   reply  = text                      (none)
 *          | text? block               (auto: the model decides in its first bytes, or after some text)
 *          | block                     (required, function)
 *   block  = callsOpen call (callSeparator call)* callsClose      (one call only unless parallel)
 *   call   = name "(" key=value ("," " "? key=value)* ")"         (properties in schema order, values JSON)
 * </pre>
 *
 * After {@code callsClose} nothing may follow, so generation ends there; text ends with EOS or the turn's stop
 * sequence. {@link ToolCallFormat#parse} turns the output into its text and calls.
 */
public final class ToolCallConstraint {

    private ToolCallConstraint() {}

    /**
     * @param parallel whether one block may hold several calls (OpenAI's {@code parallel_tool_calls})
     * @throws ConstraintException naming the tool and the JSON pointer of an unusable parameter schema, or a
     *                             {@code function} choice that names no tool
     */
    public static ByteConstraint of(ToolCallFormat format, List<ToolDefinition> tools, ToolChoice choice,
            boolean parallel, int maxDepth) {
        List<ToolDefinition> callable = callable(tools, choice);
        Grammar.Builder b = new Grammar.Builder(ByteConstraint.MAX_STATES);
        if (choice.mode() == ToolChoice.Mode.NONE || callable.isEmpty()) {
            return new ByteConstraint(b.build(b.rule(text(format))), "text without tool calls");
        }
        int block = block(b, format, callable, parallel, ByteConstraint.checkDepth(maxDepth));
        if (choice.mode() != ToolChoice.Mode.AUTO) {
            return new ByteConstraint(b.build(block), "tool calls (" + choice.mode().name().toLowerCase() + ")");
        }
        int start = b.newState();
        int afterText = b.newState();
        int end = b.newState();
        b.call(start, b.rule(text(format)), afterText);
        b.accept(afterText);
        b.call(afterText, block, end);
        b.accept(end);
        return new ByteConstraint(b.build(start), "text or tool calls");
    }

    private static List<ToolDefinition> callable(List<ToolDefinition> tools, ToolChoice choice) {
        if (choice.mode() == ToolChoice.Mode.REQUIRED && tools.isEmpty()) {
            throw new ConstraintException("tool choice 'required' needs at least one tool", "tool_choice");
        }
        if (choice.mode() != ToolChoice.Mode.FUNCTION) {
            return tools;
        }
        List<ToolDefinition> named = tools.stream().filter(t -> t.name().equals(choice.function())).toList();
        if (named.isEmpty()) {
            throw new ConstraintException("tool choice names '" + choice.function() + "', which is not among the"
                    + " tools " + tools.stream().map(ToolDefinition::name).toList(), "tool_choice");
        }
        return named;
    }

    /** Any bytes in which the calls block never opens. */
    private static Automaton text(ToolCallFormat format) {
        Automaton any = ByteAutomata.anyByte().repeat();
        Automaton opening = any.concatenate(ByteAutomata.literal(format.callsOpen())).concatenate(any);
        return any.minus(opening);
    }

    /** The rule of a calls block: its start state. */
    private static int block(Grammar.Builder b, ToolCallFormat format, List<ToolDefinition> tools, boolean parallel,
            int maxDepth) {
        Map<String, Automaton> leaves = new HashMap<>();
        List<Integer> calls = new ArrayList<>();
        for (ToolDefinition t : tools) {
            String where = "tool '" + t.name() + "' parameters";
            JsonSchemaCompiler c = new JsonSchemaCompiler(b, ByteConstraint.parse(t.parameters(), where), maxDepth, leaves);
            try {
                calls.add(c.compileObject(JsonSchemaCompiler.Syntax.call(t.name()), "#"));
            } catch (ConstraintException e) {
                throw new ConstraintException(e.reason(), where + " " + e.where());
            }
        }
        int start = b.newState();
        int call = b.newState();
        int afterCall = b.newState();
        int end = b.newState();
        b.literal(start, JsonSchemaCompiler.bytes(format.callsOpen()), call);
        for (int rule : calls) {
            b.call(call, rule, afterCall);
        }
        b.literal(afterCall, JsonSchemaCompiler.bytes(format.callsClose()), end);
        if (parallel) {
            b.literal(afterCall, JsonSchemaCompiler.bytes(format.callSeparator()), call);
        }
        b.accept(end);
        return start;
    }
}
