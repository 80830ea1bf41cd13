package io.agentgate.chat;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a streamed turn shows its tool steps ({@code AGENTGATE_TOOL_PROGRESS}). Never in the stored
 * transcript, whatever the setting: that holds the real tool calls and results.
 */
public enum ToolProgress {
    /**
     * {@code delta.reasoning_content}, one line per step: chat UIs that show reasoning (Open WebUI,
     * LibreChat, the console) show the steps apart from the answer, and SDK users reading
     * {@code content} never see them.
     */
    REASONING_CONTENT,
    /** A {@code [tool] name arguments} paragraph inside {@code content} (the behaviour before issue 11). */
    CONTENT,
    /** Not shown at all. */
    OFF;

    public String setting() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ToolProgress> of(String setting) {
        return Arrays.stream(values()).filter(v -> v.setting().equals(setting.strip().toLowerCase(Locale.ROOT)))
                .findFirst();
    }
}
