package io.agentgate.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpstreamErrorsTest {

    @Test
    void keepsTheUpstreamMessageButMasksSecretsAndAddresses() {
        String raw = "{\"error\":{\"message\":\"Incorrect API key provided: sk-proj-abcdef123456. "
                + "See https://platform.example/account?x=1 or my-own-key. Authorization: Bearer abc.def\"}}";

        String message = UpstreamErrors.clientMessage("HTTP 401", raw, Optional.of("my-own-key"));

        assertEquals("Upstream model error (HTTP 401): Incorrect API key provided: [redacted]. "
                + "See [url] or [redacted]. Authorization: [redacted]", message);
    }

    @Test
    void aBodyThatIsNotAnOpenAiErrorGivesOnlyTheStatus() {
        assertEquals("Upstream model error (HTTP 502).",
                UpstreamErrors.clientMessage("HTTP 502", "<html>Bad gateway at 10.0.0.5</html>", Optional.empty()));
        assertFalse(UpstreamErrors.clientMessage("HTTP 500", "{\"error\":\"" + "x".repeat(1000) + "\"}",
                Optional.empty()).length() > 400);
    }
}
