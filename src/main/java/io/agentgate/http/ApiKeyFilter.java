package io.agentgate.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Bearer-key authentication for {@code /v1/*}. With no key configured the gateway serves loopback
 * clients only, so an unconfigured instance exposed on a public interface is not an open relay.
 */
final class ApiKeyFilter extends HttpFilter {

    private final byte[] expected;
    private final transient ErrorMapper errors;

    ApiKeyFilter(Optional<String> apiKey, ErrorMapper errors) {
        this.expected = apiKey.map(k -> k.getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.errors = errors;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        if ("OPTIONS".equals(req.getMethod())) {
            chain.doFilter(req, resp);
            return;
        }
        if (expected == null) {
            if (isLoopback(req.getRemoteAddr())) {
                chain.doFilter(req, resp);
            } else {
                reject(resp, "No API key is configured on this gateway (AGENTGATE_API_KEY), so it only serves"
                        + " loopback clients.");
            }
            return;
        }
        String header = req.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            reject(resp, "Missing bearer token. Send 'Authorization: Bearer <your API key>'.");
            return;
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        // Constant-time: the comparison must not reveal how much of a guessed key was right.
        if (!MessageDigest.isEqual(expected, given)) {
            reject(resp, "Incorrect API key provided.");
            return;
        }
        chain.doFilter(req, resp);
    }

    private void reject(HttpServletResponse resp, String message) throws IOException {
        resp.setHeader("WWW-Authenticate", "Bearer");
        Responses.error(resp, errors.unauthorized(message));
    }

    private static boolean isLoopback(String address) {
        try {
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
