package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.testing.ConsoleBrowser;
import io.agentgate.testing.FakeUpstream.Script;
import io.agentgate.testing.FakeUpstreamGateway;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The console on a gateway with AGENTGATE_API_KEY set: it asks for the key and keeps it in the tab only. */
class ConsoleAuthBrowserTest {

    private static final String API_KEY = "console-test-key-0123456789";

    @RegisterExtension
    static final FakeUpstreamGateway env = FakeUpstreamGateway.withSettings(Map.of("AGENTGATE_API_KEY", API_KEY));

    @RegisterExtension
    static final ConsoleBrowser browser = ConsoleBrowser.chromium();

    @Test
    void asksForTheKeyShowsAWrongKeysRefusalAndWorksOnceTheRightKeyIsEntered() {
        env.upstream().enqueue(Script.text("Authenticated answer."));
        browser.open(env.gateway().baseUri());

        WebElement dialog = browser.awaitVisible("#auth");
        assertTrue(browser.find("#auth-message").getText().startsWith("Missing bearer token"),
                browser.find("#auth-message").getText());
        assertTrue(new Select(browser.find("#model")).getOptions().isEmpty(), "nothing loaded without the key");

        browser.find("#auth-key").sendKeys("wrong-key", Keys.ENTER);
        browser.await("the wrong key is refused", d -> "Incorrect API key provided."
                .equals(browser.find("#auth-message").getText()));
        assertTrue(dialog.isDisplayed());
        browser.screenshot("auth-wrong-key");

        browser.find("#auth-key").sendKeys(API_KEY, Keys.ENTER);
        browser.await("models loaded with the key", d -> !new Select(browser.find("#model")).getOptions().isEmpty());
        assertFalse(dialog.isDisplayed());
        assertEquals(API_KEY, browser.script("return sessionStorage.getItem('agentgate.apiKey');"));
        assertEquals(0L, browser.script("return localStorage.length;"), "the key is kept in the tab only");
        assertNull(browser.script("return document.cookie || null;"));

        WebElement prompt = browser.find("#prompt");
        prompt.sendKeys("Who am I?", Keys.ENTER);
        browser.await("answered", d -> "done".equals(browser.find(".turn.assistant").getDomAttribute("data-state")));
        assertEquals("Authenticated answer.", browser.find(".turn.assistant .answer").getText());
        browser.screenshot("auth-after-key");
    }
}
