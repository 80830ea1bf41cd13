package io.agentgate.model;

import io.agentgate.agent.Message;
import java.util.List;

/** One request to a model: the conversation to continue. */
public record ModelCall(String model, List<Message> messages) {}
