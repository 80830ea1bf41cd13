package io.agentgate.http;

import io.agentgate.agent.Message;
import java.util.List;

/** A validated {@code POST /v1/chat/completions} body: only what the gateway acts on. */
record ChatRequest(String model, List<Message> messages, boolean stream) {}
