package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.agentgate.api.ApiError;
import io.agentgate.api.Json;
import io.agentgate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Refusals a client sees at the HTTP surface: 401, 413 and 400, each with an OpenAI error body. */
class RequestValidationTest {

    private static final String KEY = "gateway-key-123";
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(Map.of("AGENTGATE_API_KEY", KEY, "AGENTGATE_MAX_REQUEST_BYTES", "2000"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void missingOrWrongKeyIsRefusedAndTheRightKeyIsServed() throws Exception {
        HttpResponse<String> none = gateway.postJson("/v1/chat/completions", valid());
        assertEquals(401, none.statusCode());
        assertEquals("invalid_api_key", error(none).code());

        HttpResponse<String> wrong = gateway.postJson("/v1/chat/completions", valid(),
                "Authorization", "Bearer gateway-key-124");
        assertEquals(401, wrong.statusCode());
        assertTrue(!wrong.body().contains(KEY), "the real key is never echoed");

        assertThrows(UnauthorizedException.class, () -> gateway.openAi("nope").models().list());
        assertEquals("demo", gateway.openAi(KEY).chat().completions()
                .create(ChatCompletionCreateParams.builder().model("demo").addUserMessage("ok").build())
                .model());

        assertEquals(200, gateway.get("/health").statusCode(), "health stays open");
        assertEquals(200, gateway.get("/health/ready").statusCode());
    }

    @Test
    void oversizedBodyIsRefusedBeforeParsing() throws Exception {
        String big = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(5000) + "\"}]}";
        HttpResponse<String> response = gateway.postJson("/v1/chat/completions", big, "Authorization", "Bearer " + KEY);
        assertEquals(413, response.statusCode());
        assertEquals("request_too_large", error(response).code());

        // Not even a valid JSON document: the size is what gets refused, not the syntax.
        HttpResponse<String> bigGarbage = gateway.postJson("/v1/chat/completions", "{" + "x".repeat(5000),
                "Authorization", "Bearer " + KEY);
        assertEquals(413, bigGarbage.statusCode());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed JSON         | {\"messages\": [                                                    | ",
            "missing messages       | {\"model\":\"demo\"}                                                 | messages",
            "messages wrong type    | {\"messages\":\"hi\"}                                                | messages",
            "empty messages         | {\"messages\":[]}                                                    | messages",
            "unknown role           | {\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}           | messages[0].role",
            "empty content          | {\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}               | messages[0].content",
            "content wrong type     | {\"messages\":[{\"role\":\"user\",\"content\":42}]}                 | messages[0].content",
            "stream wrong type      | {\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | stream",
            "n greater than one     | {\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}     | n",
    })
    void invalidRequestsAreRefusedNamingTheField(String name, String body, String param) throws Exception {
        HttpResponse<String> response = gateway.postJson("/v1/chat/completions", body, "Authorization", "Bearer " + KEY);
        assertEquals(400, response.statusCode(), response.body());
        ApiError.Detail detail = error(response);
        assertEquals("invalid_request_error", detail.type());
        assertEquals(param, detail.param(), response.body());
        assertTrue(!detail.message().isBlank());
    }

    private static String valid() {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    private static ApiError.Detail error(HttpResponse<String> response) {
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return Json.read(response.body(), ApiError.class).error();
    }
}
