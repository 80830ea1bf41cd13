package io.agentgate.http;

import io.agentgate.api.Page;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Query parameters of the listing endpoints: {@code limit} and the opaque {@code cursor} a previous
 * page returned as {@code next}. A cursor is the position of the last row shown (e.g. its start time
 * and id), so the next page continues after it however many rows were added meanwhile.
 */
final class Paging {

    static final String LIMIT = "limit";
    static final String CURSOR = "cursor";

    private static final String SEPARATOR = "\n";

    private Paging() {}

    /** {@code limit}: 1 to {@code max}, {@code defaultLimit} when absent. */
    static int limit(HttpServletRequest req, int defaultLimit, int max) throws ApiException {
        Optional<String> given = parameter(req, LIMIT);
        if (given.isEmpty()) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(given.get());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalid("limit must be a whole number from 1 to " + max + ".", LIMIT);
    }

    /** The cursor's {@code parts} values, read by {@code reader}; a cursor that does not read is a 400. */
    static <T> Optional<T> cursor(HttpServletRequest req, int parts, Function<List<String>, T> reader)
            throws ApiException {
        Optional<String> given = parameter(req, CURSOR);
        if (given.isEmpty()) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(given.get()), StandardCharsets.UTF_8);
            // The last part may contain the separator (a session key can hold any character).
            List<String> values = Arrays.asList(decoded.split(SEPARATOR, parts));
            if (values.size() == parts) {
                return Optional.of(reader.apply(values));
            }
        } catch (RuntimeException e) {
            // answered below: whatever was wrong, the client sent something we did not issue
        }
        throw ApiException.invalid("cursor is not a cursor this endpoint returned as 'next'.", CURSOR);
    }

    /**
     * The page of {@code rows}, which the caller fetched with {@code limit + 1}: a row beyond the
     * limit means there is a next page, which starts after the last row shown.
     */
    static <T> Page<T> page(List<T> rows, int limit, Function<T, List<String>> positionOf) {
        if (rows.size() <= limit) {
            return Page.of(rows, null);
        }
        List<T> shown = rows.subList(0, limit);
        String position = String.join(SEPARATOR, positionOf.apply(shown.get(limit - 1)));
        return Page.of(List.copyOf(shown),
                Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8)));
    }

    /** A query parameter; empty when absent or blank (the console sends empty filters as absent). */
    static Optional<String> parameter(HttpServletRequest req, String name) {
        String value = req.getParameter(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
