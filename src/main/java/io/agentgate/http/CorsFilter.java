package io.agentgate.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * CORS for browser clients. Headers are decided here, before any servlet runs, because a streaming
 * response is committed at its first flush and nothing can be added to it afterwards.
 */
final class CorsFilter extends HttpFilter {

    private static final String EXPOSED = "X-Session-Key, X-Session-Id, X-Session-Reset";

    private final List<String> allowedOrigins;

    CorsFilter(List<String> allowedOrigins) {
        this.allowedOrigins = List.copyOf(allowedOrigins);
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        String origin = req.getHeader("Origin");
        boolean allowed = origin != null && (allowedOrigins.contains("*") || allowedOrigins.contains(origin));
        if (allowed) {
            resp.setHeader("Access-Control-Allow-Origin", allowedOrigins.contains("*") ? "*" : origin);
            resp.addHeader("Vary", "Origin");
            resp.setHeader("Access-Control-Expose-Headers", EXPOSED);
        }
        if ("OPTIONS".equals(req.getMethod()) && req.getHeader("Access-Control-Request-Method") != null) {
            if (allowed) {
                resp.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
                String requested = req.getHeader("Access-Control-Request-Headers");
                resp.setHeader("Access-Control-Allow-Headers",
                        requested != null ? requested : "Authorization, Content-Type, X-Session-Key");
                resp.setHeader("Access-Control-Max-Age", "600");
            }
            resp.setStatus(allowed ? HttpServletResponse.SC_NO_CONTENT : HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        chain.doFilter(req, resp);
    }
}
