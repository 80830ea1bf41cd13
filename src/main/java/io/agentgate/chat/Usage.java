package io.agentgate.chat;

/** Token counts as OpenAI reports them. */
public record Usage(int promptTokens, int completionTokens, int totalTokens) {

    public static final Usage ZERO = new Usage(0, 0, 0);

    public static Usage of(int promptTokens, int completionTokens) {
        return new Usage(promptTokens, completionTokens, promptTokens + completionTokens);
    }

    public Usage plus(Usage other) {
        return of(promptTokens + other.promptTokens, completionTokens + other.completionTokens);
    }
}
