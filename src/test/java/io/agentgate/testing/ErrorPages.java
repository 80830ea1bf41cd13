package io.agentgate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;

/** Errors the servlet container raises itself, as a client sees them: OpenAI's JSON error shape, never HTML. */
public final class ErrorPages {

    private ErrorPages() {}

    /** The status, a JSON content type, and {@code {"error":{"message":…,"type":…}}} without markup. */
    public static JsonObject assertJsonError(RawHttp.Response response, int status, String what) {
        assertEquals(status, response.status(), what + ": " + response.body());
        assertTrue(response.contentType().startsWith("application/json"),
                what + ": content type " + response.contentType() + ", body " + response.body());
        assertFalse(response.body().contains("<"), what + ": markup in " + response.body());
        JsonObject error = Json.createReader(new StringReader(response.body())).readObject().getJsonObject("error");
        assertFalse(error.getString("message").isBlank(), what);
        assertFalse(error.getString("type").isBlank(), what);
        assertTrue(error.containsKey("param") && error.containsKey("code"), what + ": " + error);
        return error;
    }

    /** 404 for an unknown path and 405 for a method an endpoint does not take, under {@code contextRoot}. */
    public static void assertApplicationErrorsAreJson(URI contextRoot) throws Exception {
        String root = contextRoot.getPath();
        assertJsonError(RawHttp.exchange(contextRoot, "GET " + root + "no/such/path HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n"), 404, "unknown path");
        assertJsonError(RawHttp.exchange(contextRoot, "GET " + root + "v1/nothing-here HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n"), 404, "unknown /v1 path");
        JsonObject error = assertJsonError(RawHttp.exchange(contextRoot, "DELETE " + root + "v1/chat/completions"
                + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 405, "wrong method");
        assertEquals("method_not_allowed", error.getString("code"));
        assertJsonError(RawHttp.exchange(contextRoot, "PUT " + root + "health HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\n"), 405, "PUT /health");
    }

    /**
     * What the HTTP layer refuses before any servlet runs: a URI or headers too long, a bad
     * {@code %} escape, control characters in a header name or value.
     */
    public static void assertProtocolErrorsAreJson(URI contextRoot) throws Exception {
        protocolErrors(contextRoot, (response, status, what) -> assertJsonError(response, status, what));
    }

    /**
     * In a WAR these are the container's, answered before any application runs: JSON without markup
     * once the container is set up as the README says (Tomcat's JsonErrorReportValve, Jetty's error
     * handler answering JSON), though not in OpenAI's shape. Tomcat says 400 for a URI that is too long.
     */
    public static void assertProtocolErrorsAreHtmlFree(URI contextRoot) throws Exception {
        protocolErrors(contextRoot, (response, status, what) -> {
            assertTrue(response.status() == status || response.status() == 400, what + ": " + response.status());
            assertTrue(response.contentType().startsWith("application/json"),
                    what + ": content type " + response.contentType() + ", body " + response.body());
            assertFalse(response.body().contains("<"), what + ": markup in " + response.body());
        });
    }

    private interface Check {
        void check(RawHttp.Response response, int status, String what);
    }

    private static void protocolErrors(URI contextRoot, Check check) throws Exception {
        String root = contextRoot.getPath();
        check.check(RawHttp.exchange(contextRoot, "GET " + root + "v1/models?q=" + "a".repeat(70_000)
                + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 414, "URI too long");
        check.check(RawHttp.exchange(contextRoot, "GET " + root + "v1/models HTTP/1.1\r\nHost: x\r\n"
                + "X-Big: " + "b".repeat(70_000) + "\r\nConnection: close\r\n\r\n"), 431, "header too large");
        check.check(RawHttp.exchange(contextRoot, "GET " + root + "v1/mo%zzdels HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n"), 400, "bad % escape");
        String[] badHeaders = {"X-A: a\u0001b", "X-A: a\u0000b", "X-A: a\u007fb", "X-\u0001A: b", "X A: b",
                "X-A: a\rb", ": no-name"};
        for (String header : badHeaders) {
            check.check(RawHttp.exchange(contextRoot, "GET " + root + "health HTTP/1.1\r\nHost: x\r\n" + header
                    + "\r\nConnection: close\r\n\r\n"), 400, "header " + header.replaceAll("\\p{Cntrl}", "?"));
        }
    }
}
