package io.agentgate.api;

import jakarta.json.bind.annotation.JsonbNillable;
import java.util.List;

/**
 * One page of a listing endpoint ({@code GET /v1/runs}, {@code /v1/sessions}, a session's
 * transcript and memory) in OpenAI list shape. {@code next} is the opaque cursor of the following
 * page, null on the last one.
 */
public record Page<T>(String object, List<T> data, boolean hasMore, @JsonbNillable String next) {

    public static <T> Page<T> of(List<T> data, String next) {
        return new Page<>("list", data, next != null, next);
    }
}
