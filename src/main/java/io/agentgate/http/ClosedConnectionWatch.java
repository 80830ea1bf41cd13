package io.agentgate.http;

import jakarta.servlet.http.HttpServletRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a client that closed its connection while its non-streaming turn runs, so the turn is
 * cancelled instead of running the upstream to the end for nobody. The containers cannot tell: with
 * nothing written, neither Jetty 12.1 nor Tomcat 10.1 reports the client's FIN on an idle
 * asynchronous request (measured: no {@code AsyncListener.onError}, no {@code ReadListener} event
 * after the body's end). The kernel knows: the server's socket goes to CLOSE_WAIT when the FIN
 * arrives. On Linux this reads {@code /proc/net/tcp} and {@code tcp6} every 250 ms while a watched
 * request is in flight and calls its {@code onGone} once its connection, seen established, is
 * closing or gone. Where there is no {@code /proc}, nothing is watched.
 */
final class ClosedConnectionWatch {

    private static final Logger log = LoggerFactory.getLogger(ClosedConnectionWatch.class);
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final Duration EVERY = Duration.ofMillis(250);
    private static final int ESTABLISHED = 0x01;

    private final Map<Long, Watched> watched = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final boolean available = Files.isReadable(TABLES.getFirst());

    ClosedConnectionWatch(ScheduledExecutorService scheduler) {
        if (available) {
            scheduler.scheduleWithFixedDelay(this::sweep, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Watches the request's connection until the returned action runs (when the response ends). */
    Runnable watch(HttpServletRequest request, Runnable onGone) {
        if (!available) {
            return () -> {};
        }
        long id = ids.incrementAndGet();
        watched.put(id, new Watched(ports(request.getLocalPort(), request.getRemotePort()), onGone));
        return () -> watched.remove(id);
    }

    private void sweep() {
        if (watched.isEmpty()) {
            return;
        }
        Map<Long, Integer> states;
        try {
            states = connectionStates();
        } catch (IOException | RuntimeException e) {
            log.debug("Could not read the connection table", e);
            return;
        }
        watched.forEach((id, w) -> {
            Integer state = states.get(w.ports());
            if (state != null && state == ESTABLISHED) {
                w.seen = true;
            } else if (w.seen && watched.remove(id) != null) {
                w.onGone().run();
            }
        });
    }

    /** TCP state by (local port, remote port), from both tables. */
    private static Map<Long, Integer> connectionStates() throws IOException {
        Map<Long, Integer> states = new HashMap<>();
        for (Path table : TABLES) {
            if (!Files.isReadable(table)) {
                continue;
            }
            try (BufferedReader lines = Files.newBufferedReader(table, StandardCharsets.US_ASCII)) {
                lines.readLine(); // header
                String line;
                while ((line = lines.readLine()) != null) {
                    // "  sl  local_address rem_address   st ...", addresses as HEXIP:HEXPORT
                    String[] f = line.trim().split("\\s+", 5);
                    int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                    int remote = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
                    int state = Integer.parseInt(f[3], 16);
                    // An established socket wins over a closing one reusing the same ports.
                    states.merge(ports(local, remote), state, (a, b) -> a == ESTABLISHED ? a : b);
                }
            }
        }
        return states;
    }

    private static long ports(int local, int remote) {
        return ((long) local << 16) | (remote & 0xFFFF);
    }

    private static final class Watched {
        private final long ports;
        private final Runnable onGone;
        private volatile boolean seen;

        Watched(long ports, Runnable onGone) {
            this.ports = ports;
            this.onGone = onGone;
        }

        long ports() {
            return ports;
        }

        Runnable onGone() {
            return onGone;
        }
    }
}
