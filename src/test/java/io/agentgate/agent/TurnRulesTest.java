package io.agentgate.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.chat.ToolCall;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The text rules of a turn, case by case: reasoning tags and tool-argument verdicts. */
class TurnRulesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "<think>still going                          | true",
            "<THINKING>done</THINKING>                   | true",
            "<reasoning effort='high'>a</reasoning>      | true",
            "<REASONING_SCRATCHPAD>x                     | true",
            "<think>done</think> The answer is           | false",
            "Intro. <think>hmm                           | false",
            "Plain text cut off                          | false",
            "''                                          | false",
            "<thinker>not a reasoning tag                | false",
    })
    void thinkingExhaustedOnlyWhenAllIsReasoning(String text, boolean exhausted) {
        assertEquals(exhausted, ReasoningTags.thinkingExhausted(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\": 1}                  | VALID",
            "''                          | VALID",
            "{\"a\": \"cut mid-str       | TRUNCATED",
            "{\"a\": [1, 2               | TRUNCATED",
            "{\"a\": oops}               | INVALID",
            "[1, 2]                      | INVALID",
            "42                          | INVALID",
            "{'a': 1}                    | INVALID",
    })
    void toolArgumentVerdicts(String arguments, ToolArguments.Verdict verdict) {
        assertEquals(verdict, ToolArguments.check(List.of(ToolCall.complete("c", "t", arguments))).verdict());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{\"a\": oops}", "{\"a\": 1}"})
    void oneTruncatedCallMakesTheWholeResponseTruncated(String other) {
        ToolArguments checked = ToolArguments.check(List.of(
                ToolCall.complete("c1", "t", other), ToolCall.complete("c2", "t", "{\"b\": \"cut")));
        assertEquals(ToolArguments.Verdict.TRUNCATED, checked.verdict());
    }

    @Test
    void stepLineNamesTheToolAndShortensLongArgumentsOnOneLine() {
        String line = AgentLoop.stepLine(ToolCall.complete("c", "calculate", "{\"expression\": \"" + "9".repeat(500) + "\"}"));
        assertTrue(line.startsWith("calculate {\"expression\": \"999"), line);
        assertTrue(line.endsWith("…") && line.length() < 230, "long arguments are shortened: " + line.length());
        assertEquals("current_time", AgentLoop.stepLine(ToolCall.complete("c", "current_time", "")));
        assertEquals("calculate {\"expression\": \"1 + 1\" }",
                AgentLoop.stepLine(ToolCall.complete("c", "calculate", "{\"expression\": \"1 + 1\"\n }")));
    }
}
