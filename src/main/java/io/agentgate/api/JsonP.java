package io.agentgate.api;

import jakarta.json.spi.JsonProvider;

/**
 * The one JSON-P provider, looked up once. {@code jakarta.json.Json}'s static factories
 * ({@code Json.createReader}, {@code Json.createObjectBuilder}, ...) look the provider up with a
 * {@code ServiceLoader} scan of the classpath on every call; when relaying an upstream stream (one
 * parse per token) that scan was a third of the gateway's CPU time (JFR, bench/run). Use this instead.
 */
public final class JsonP {

    public static final JsonProvider PROVIDER = JsonProvider.provider();

    private JsonP() {}
}
