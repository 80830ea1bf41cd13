package io.agentgate.api;

import java.util.List;

/** {@code GET /v1/models} in OpenAI list shape. */
public record ModelList(String object, List<Model> data) {

    public record Model(String id, String object, long created, String ownedBy) {}

    public static ModelList of(List<String> ids, long created) {
        return new ModelList("list", ids.stream().map(id -> new Model(id, "model", created, "agentgate")).toList());
    }
}
