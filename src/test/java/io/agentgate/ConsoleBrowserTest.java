package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.testing.ConsoleBrowser;
import io.agentgate.testing.FakeUpstream.Script;
import io.agentgate.testing.FakeUpstreamGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real headless Chromium against a gateway and a fake upstream: what a person
 * sees while chatting, stopping, and looking up runs and sessions. Screenshots go to
 * target/console-screenshots/.
 */
class ConsoleBrowserTest {

    @RegisterExtension
    // Keepalive comments every 0.1 s of silence, so every slow stream here interleaves them with chunks.
    static final FakeUpstreamGateway env = FakeUpstreamGateway.withSettings(Map.of("AGENTGATE_KEEPALIVE_SECONDS", "0.1"));

    @RegisterExtension
    static final ConsoleBrowser browser = ConsoleBrowser.chromium();

    @Test
    void streamedAnswerAppearsInPartsWithToolStepsThenTheUsage() {
        env.upstream().enqueue(
                Script.toolCall("call_1", "calculate", "{\"expression\":\"6*7\"}"),
                Script.text("The answer is **42**, computed as `6*7` by the calculator tool.")
                        .withDelay(Duration.ofMillis(150)));
        openConsole();
        assertEquals(List.of("fake-model"), new Select(browser.find("#model")).getOptions().stream()
                .map(WebElement::getText).toList(), "the model picker lists /v1/models");

        send("What is six times seven?");
        List<String> seen = new ArrayList<>();
        WebElement turn = browser.awaitVisible(".turn.assistant");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while ("streaming".equals(turn.getDomAttribute("data-state")) && System.nanoTime() < deadline) {
            String text = turn.findElement(By.cssSelector(".answer")).getText();
            if (!text.isEmpty() && (seen.isEmpty() || !seen.getLast().equals(text))) {
                seen.add(text);
            }
        }
        assertEquals("done", turn.getDomAttribute("data-state"));
        String answer = turn.findElement(By.cssSelector(".answer")).getText();
        assertEquals("The answer is 42, computed as 6*7 by the calculator tool.", answer);
        assertTrue(seen.size() >= 3 && seen.getFirst().length() < answer.length(),
                "the answer grew while it streamed, seen: " + seen);
        assertEquals("42", turn.findElement(By.cssSelector(".answer strong")).getText(),
                "basic Markdown is rendered");
        assertEquals(List.of("calculate {\"expression\":\"6*7\"}"), texts(".turn.assistant .step"),
                "the tool step is shown apart from the answer");
        // Two model calls: 10 + 10 prompt tokens, 5 (tool call) + 11 words completion tokens.
        assertEquals("20 prompt + 16 completion = 36 tokens", turn.findElement(
                By.cssSelector(".usage")).getText());
        assertTrue(browser.findAll(".turn.assistant .error").isEmpty(), "no error shown");
        assertEquals(List.of(), browser.consoleProblems(), "the page loads and runs without console errors");
        browser.screenshot("chat-streamed-answer");

        browser.resize(ConsoleBrowser.PHONE);
        long overflow = (Long) browser.script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertEquals(0, overflow, "nothing is wider than a phone's screen");
        assertTrue(browser.find("#send").isDisplayed() && browser.find("#stop").isDisplayed());
        browser.screenshot("chat-phone-width");
    }

    @Test
    void htmlInModelOutputIsShownAsTextAndCodeBlocksAsCode() {
        env.upstream().enqueue(Script.text("Look: <b>bold?</b> <img src=x onerror=\"window.pwned=1\">\n\n"
                + "```html\n<script>window.pwned=2</script>\n```\n\nDone."));
        openConsole();
        send("Show me some HTML");
        browser.await("answered", d -> "done".equals(browser.find(".turn.assistant").getDomAttribute("data-state")));

        WebElement answer = browser.find(".turn.assistant .answer");
        assertTrue(answer.getText().startsWith("Look: <b>bold?</b> <img src=x onerror=\"window.pwned=1\">"),
                answer.getText());
        assertTrue(answer.findElements(By.cssSelector("b, img, script")).isEmpty(), "no element from the model's text");
        assertEquals("<script>window.pwned=2</script>", answer.findElement(By.cssSelector("pre code")).getText());
        assertEquals("html", answer.findElement(By.cssSelector("pre code")).getDomAttribute("data-lang"));
        assertEquals("Done.", answer.findElements(By.cssSelector("p")).getLast().getText());
        assertEquals(null, browser.script("return window.pwned ?? null;"), "nothing from the answer ran");
        browser.screenshot("chat-html-as-text");
    }

    @Test
    void upstreamFailureShowsAnErrorAndNoFinishedAnswer() {
        env.upstream().enqueue(Script.text("This answer is cut off in the middle of a sentence").cutAfter(5));
        openConsole();
        send("Tell me something long");

        WebElement error = browser.awaitVisible(".turn.assistant .error");
        WebElement turn = browser.find(".turn.assistant");
        assertEquals("error", turn.getDomAttribute("data-state"));
        assertTrue(error.getText().contains("stream_interrupted"), error.getText());
        assertTrue(browser.find(".turn.assistant .answer").getText().startsWith("This answer is"),
                "the partial text stays visible");
        assertTrue(turn.findElement(By.cssSelector(".state")).getText().contains("incomplete"));
        assertTrue(browser.findAll("[data-state='done']").isEmpty(), "nothing is shown as a finished answer");
        browser.screenshot("chat-upstream-failure");
    }

    @Test
    void stopEndsASlowAnswerAndTheNextMessageShowsTheResetNotice() {
        env.upstream().enqueue(Script.text("one two three four five six seven eight nine ten eleven twelve")
                .withDelay(Duration.ofMillis(400)));
        openConsole();
        send("Count slowly");
        browser.await("the answer started", d -> !browser.find(".turn.assistant .answer").getText().isEmpty());
        browser.find("#stop").click();

        WebElement stopped = browser.awaitVisible(".turn.assistant .stopped");
        assertEquals("stopped", browser.find(".turn.assistant").getDomAttribute("data-state"));
        assertTrue(stopped.getText().startsWith("Stopped by /stop."), stopped.getText());
        assertFalse(browser.find(".turn.assistant .answer").getText().contains("twelve"), "the answer was cut short");
        assertTrue(browser.find("#send").isEnabled() && !browser.find("#stop").isEnabled());

        env.upstream().enqueue(Script.text("Starting over."));
        send("Are you there?");
        browser.await("second answer finished", d -> browser.findAll(".turn.assistant").size() == 2
                && "done".equals(browser.findAll(".turn.assistant").getLast().getDomAttribute("data-state")));
        WebElement second = browser.findAll(".turn.assistant").getLast();
        String notice = second.findElement(By.cssSelector(".notice")).getText();
        assertEquals("Session reset: the previous session was stopped or interrupted. This is a fresh session.",
                notice);
        assertEquals("Starting over.", second.findElement(By.cssSelector(".answer")).getText(),
                "the notice is not part of the answer");
        browser.screenshot("chat-stop-then-reset-notice");
    }

    @Test
    void escapeStopsTheAnswerAndNewSessionStartsAFreshOne() {
        env.upstream().enqueue(Script.text("a b c d e f g h i j k l m n o p").withDelay(Duration.ofMillis(300)));
        openConsole();
        send("Go on and on");
        browser.await("the answer started", d -> !browser.find(".turn.assistant .answer").getText().isEmpty());
        browser.find("#prompt").sendKeys(Keys.ESCAPE);
        browser.await("stopped", d -> "stopped".equals(browser.find(".turn.assistant").getDomAttribute("data-state")));

        browser.find("#new-session").click();
        WebElement notice = browser.awaitVisible("#log .notice");
        assertTrue(notice.getText().startsWith("Started a fresh session"), notice.getText());
        assertTrue(browser.findAll("#log .turn.assistant").isEmpty(), "the old conversation is cleared");
        browser.screenshot("chat-escape-then-new-session");
    }

    @Test
    void anErrorStatusIsShownAsAnErrorAndTheMessageIsKept() throws Exception {
        String key = "busy-" + System.nanoTime();
        env.upstream().enqueue(Script.text("one two three four five six seven eight").withDelay(Duration.ofMillis(500)));
        // Another client holds the session: a slow streamed answer on the same key.
        var other = env.gateway().http().sendAsync(java.net.http.HttpRequest.newBuilder(
                        env.gateway().uri("/v1/chat/completions"))
                .header("Content-Type", "application/json").header("X-Session-Key", key)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hold it\"}]}"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        openConsole();
        WebElement keyInput = browser.find("#session-key");
        keyInput.clear();
        keyInput.sendKeys(key, Keys.TAB);
        browser.await("the other client's turn is running", d -> env.upstream().requestCount() == 1);
        send("Me too");

        WebElement error = browser.awaitVisible(".turn.assistant .error");
        assertTrue(error.getText().contains("HTTP 409") && error.getText().contains("session_busy"), error.getText());
        assertEquals("error", browser.find(".turn.assistant").getDomAttribute("data-state"));
        assertEquals("Me too", browser.find("#prompt").getDomProperty("value"), "the unsent message can be sent again");
        browser.screenshot("chat-error-status");
        assertEquals(200, other.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode());
    }

    @Test
    void runsViewListsTheFailedRunWithItsKindAndTheSessionViewShowsTheTranscript() {
        env.upstream().enqueue(Script.text("Stored answer with `code`."),
                Script.status(500, "{\"error\":{\"message\":\"model crashed\"}}"),
                Script.status(500, "{\"error\":{\"message\":\"model crashed\"}}"),
                Script.status(500, "{\"error\":{\"message\":\"model crashed\"}}"));
        openConsole();
        String key = browser.find("#session-key").getDomProperty("value");
        send("Remember this");
        browser.await("first answer", d -> "done".equals(browser.find(".turn.assistant").getDomAttribute("data-state")));
        send("And this fails");
        browser.await("second answer failed", d -> browser.findAll(".turn.assistant[data-state='error']").size() == 1);

        browser.find("nav a[data-view='runs']").click();
        browser.await("two runs listed", d -> browser.findAll("#runs-table tbody tr").size() == 2);
        List<WebElement> rows = browser.findAll("#runs-table tbody tr");
        assertEquals(List.of("upstream_error", "completed"), rows.stream()
                .map(r -> r.getDomAttribute("data-outcome")).toList(), "newest first");
        WebElement failed = rows.getFirst();
        assertTrue(failed.getText().contains(key), failed.getText());
        assertTrue(failed.findElement(By.cssSelector(".error-text")).getText()
                .contains("HTTP 500"), failed.getText());

        new Select(browser.find("#runs-outcome")).selectByValue("failed");
        browser.find("#runs-filter button[type='submit']").click();
        browser.await("only the failed run", d -> browser.findAll("#runs-table tbody tr").size() == 1
                && "upstream_error".equals(browser.find("#runs-table tbody tr").getDomAttribute("data-outcome")));
        assertTrue(browser.driver().getCurrentUrl().endsWith("#/runs?outcome=failed"));
        browser.screenshot("runs-failed-filter");

        browser.find("#runs-table tbody tr a.key").click();
        browser.await("transcript shown", d -> browser.findAll("#session-transcript .turn").size() == 2);
        assertEquals(List.of("user", "assistant"), browser.findAll("#session-transcript .turn").stream()
                .map(m -> m.getDomAttribute("data-role")).toList());
        assertTrue(browser.find("#session-transcript .turn.assistant").getText().contains("Stored answer with code."));
        String state = browser.find("#session-state").getText();
        assertTrue(state.contains("idle") && state.contains("never reset"), state);
        assertEquals("Session " + key, browser.find("#session-title").getText());
        browser.screenshot("session-transcript");

        browser.find("#session-chat").click();
        browser.await("the stored conversation in the chat", d -> historyIn(browser).size() == 2);
        assertEquals(key, browser.find("#session-key").getDomProperty("value"));
        browser.driver().navigate().refresh();
        browser.await("kept across a reload", d -> historyIn(browser).size() == 2);
        assertEquals(key, browser.find("#session-key").getDomProperty("value"), "the key is kept in the tab");
        assertEquals(List.of("user", "assistant"), historyIn(browser).stream()
                .map(m -> m.getDomAttribute("data-role")).toList());
        browser.screenshot("chat-history-after-reload");

        browser.find("nav a[data-view='sessions']").click();
        WebElement listed = browser.await("the session listed", d -> browser.findAll("#sessions-table tbody tr").stream()
                .filter(r -> r.getText().contains(key)).findFirst().orElse(null));
        assertTrue(listed.getText().contains("idle") && listed.getText().contains("10 / 4"), listed.getText());
        browser.screenshot("sessions-list");

        browser.resize(ConsoleBrowser.PHONE);
        browser.find("nav a[data-view='runs']").click();
        browser.await("runs at phone width", d -> browser.findAll("#runs-table tbody tr").size() == 2);
        long overflow = (Long) browser.script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertEquals(0, overflow, "the runs table fits a phone's screen");
        browser.screenshot("runs-phone-width");
    }

    /**
     * The console's stream reader (console/completion-stream.js) in the browser, fed bytes split at
     * awkward places: frames cut mid-line and mid-JSON, CRLF framing, keepalive comments, a tool
     * step and the reset notice split across deltas, steps in reasoning_content, an error frame, a
     * body that ends without [DONE].
     */
    @Test
    void streamReaderSortsSplitFramesIntoAnswerStepsNoticeAndEnding() {
        openConsole();
        Map<String, Object> normal = readStream(false,
                ": keepalive\n\n",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\nda",
                "ta: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Let me check.\\n\\n[to\"}}]}\n\n",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ol] calculate {\\\"expression\\\": \\\"6*7\\\"}\"}}]}\r\n\r\n",
                ": keepalive\n\n",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\n\\nIt is 42.\\n[1] not a step\"}}]}\n\n",
                "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
                "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}\n\n",
                "data: [DONE]\n\n");
        assertEquals("done", normal.get("ending"));
        assertEquals(List.of("calculate {\"expression\": \"6*7\"}"), normal.get("steps"));
        // The step line and its own line break are taken out; the paragraph breaks around it stay.
        assertEquals("Let me check.\n\n\nIt is 42.\n[1] not a step", normal.get("answer"));
        assertEquals(2L, normal.get("keepalives"));
        assertEquals(7L, normal.get("totalTokens"));
        assertEquals("stop", normal.get("finish"));

        Map<String, Object> reset = readStream(true,
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"[Sess\"}}]}\n\n",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ion reset: the previous session was stopped. This is a fresh session.]\\n\\nHel\"}}]}\n\n",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"current_time {}\\nlook\"}}]}\n\n",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"ing it up\",\"content\":\"lo\"}}]}\n\n",
                "data: [DONE]\n\n");
        assertEquals(List.of("Session reset: the previous session was stopped. This is a fresh session."),
                reset.get("notices"));
        assertEquals("\nHello", reset.get("answer"));
        assertEquals(List.of("current_time {}", "looking it up"), reset.get("steps"));

        Map<String, Object> failed = readStream(false,
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"partial\"}}]}\n\n",
                "data: {\"error\":{\"message\":\"The upstream model's stream was interrupted.\",\"type\":\"api_error\",\"param\":null,\"code\":\"stream_interrupted\"}}\n\n");
        assertEquals("error", failed.get("ending"));
        assertEquals("stream_interrupted", failed.get("errorCode"));
        assertEquals("partial", failed.get("answer"));

        Map<String, Object> truncated = readStream(false,
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"partial\"}}]}\n\n",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" never dispatched\"}}]}");
        assertEquals("truncated", truncated.get("ending"), "no [DONE]: never a finished answer");
        assertEquals("partial", truncated.get("answer"), "an unterminated frame is not an event");
    }

    /** Runs readCompletion on a Response whose body arrives in exactly these pieces. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> readStream(boolean resetExpected, String... pieces) {
        Object result = ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeAsyncScript("""
                const [pieces, resetExpected, done] = arguments;
                import('./console/completion-stream.js').then(async ({readCompletion}) => {
                  const encoder = new TextEncoder();
                  const body = new ReadableStream({
                    start(controller) {
                      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
                      controller.close();
                    },
                  });
                  const seen = {answer: '', steps: [], notices: [], keepalives: 0};
                  const result = await readCompletion(new Response(body), {
                    answer: (text) => { seen.answer += text; },
                    step: (text) => seen.steps.push(text),
                    notice: (text) => seen.notices.push(text),
                    usage: (usage) => { seen.totalTokens = usage.total_tokens; },
                    finish: (reason) => { seen.finish = reason; },
                    keepalive: () => { seen.keepalives++; },
                  }, {resetExpected});
                  seen.ending = result.ending;
                  if (result.error) seen.errorCode = result.error.code;
                  done(seen);
                }).catch((error) => done({ending: 'threw', error: String(error)}));
                """, List.of(pieces), resetExpected);
        return (Map<String, Object>) result;
    }

    private void openConsole() {
        browser.open(env.gateway().baseUri());
        browser.await("models loaded", d -> !new Select(browser.find("#model")).getOptions().isEmpty());
    }

    /** Types a message and presses Enter, as a person would. */
    private void send(String message) {
        browser.await("ready to send", d -> browser.find("#send").isEnabled());
        WebElement prompt = browser.find("#prompt");
        prompt.sendKeys(message);
        prompt.sendKeys(Keys.ENTER);
    }

    private static List<WebElement> historyIn(ConsoleBrowser browser) {
        return browser.findAll("#log .turn[data-state='history']");
    }

    private List<String> texts(String css) {
        return browser.findAll(css).stream().map(WebElement::getText).toList();
    }
}
