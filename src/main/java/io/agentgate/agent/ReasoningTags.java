package io.agentgate.agent;

import java.util.regex.Pattern;

/**
 * Reasoning some models write inline: {@code <think>}, {@code <thinking>}, {@code <reasoning>} or
 * {@code <REASONING_SCRATCHPAD>}, any case, possibly with attributes. Used to tell "the model spent
 * its whole output budget thinking" from an ordinary cut-off answer.
 */
final class ReasoningTags {

    private static final String NAMES = "think|thinking|reasoning|REASONING_SCRATCHPAD";
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.DOTALL;
    private static final Pattern OPENING = Pattern.compile("<(?:" + NAMES + ")(?:\\s[^>]*)?>", FLAGS);
    private static final Pattern CLOSED_BLOCK =
            Pattern.compile("<(" + NAMES + ")(?:\\s[^>]*)?>.*?</\\1\\s*>", FLAGS);
    private static final Pattern UNCLOSED_TO_END = Pattern.compile("<(?:" + NAMES + ")(?:\\s[^>]*)?>.*", FLAGS);

    private ReasoningTags() {}

    static boolean present(String text) {
        return OPENING.matcher(text).find();
    }

    /** Whether anything but reasoning blocks (closed, or cut off while still open) is left. */
    static boolean visibleTextOutside(String text) {
        String outside = CLOSED_BLOCK.matcher(text).replaceAll("");
        outside = UNCLOSED_TO_END.matcher(outside).replaceAll("");
        return !outside.isBlank();
    }

    /**
     * A length-cut answer that is all reasoning: tags with nothing visible outside them. Only tags
     * count: models without them (or with a separate reasoning channel) often return empty content
     * when merely cut off, and those deserve a continuation, not an "exhausted" verdict.
     */
    static boolean thinkingExhausted(String text) {
        return present(text) && !visibleTextOutside(text);
    }
}
