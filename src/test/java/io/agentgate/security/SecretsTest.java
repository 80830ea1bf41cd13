package io.agentgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.testing.CredentialShapes;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretsTest {

    private final Secrets secrets = new Secrets(List.of("configured-key-value"));

    @Test
    void everyCredentialShapeIsMasked() {
        for (String[] shape : CredentialShapes.ALL) {
            String redacted = secrets.redact("upstream said: " + shape[0]);
            assertFalse(redacted.contains(shape[1]), shape[0] + " -> " + redacted);
            assertTrue(redacted.contains("[redacted]"), redacted);
        }
        assertEquals("uses [redacted] here", secrets.redact("uses configured-key-value here"));
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        String text = "The model 'gpt-4o-mini' has a context length of 128000 tokens; see /v1/chat/completions."
                + " Request id req_12345 at 2026-11-23T20:00:00Z.";
        assertEquals(text, secrets.redact(text));
    }

    @Test
    void clientTextAlsoLosesAddressesAndLoggedUrlsTheirCredentials() {
        assertEquals("see [url] now", secrets.redactForClient("see http://10.0.0.5:8080/internal?a=b now"));
        assertEquals("postgresql://…@db:5432/agentgate?…",
                Secrets.redactUrl("postgresql://u:p@db:5432/agentgate?password=x"));
    }
}
