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
 * request has been in flight for {@value #GRACE_MILLIS} ms or more, and calls its {@code onGone}
 * once its connection is in CLOSE_WAIT, or, seen established before, is closing or gone. Where
 * there is no {@code /proc}, nothing is watched.
 *
 * <p>The grace: reading the tables costs the kernel and this thread time in proportion to every
 * socket on the host (thousands under load, TIME_WAIT included), and most non-streaming turns end
 * in milliseconds. Read whenever any request was in flight (always, under load), the sweeps and
 * their regex split of every line were a large part of the gateway's CPU (bench/run --only upstream:
 * this and never aborting finished upstream bodies took it from 1,667 to 719 us per request, and the
 * highest rate with an added p99 under 5 ms from 177 to 911 requests/s). A client that leaves within the
 * grace still leaves its socket in CLOSE_WAIT (the container does not read it), so it is noticed at
 * the first look after the grace.
 */
final class ClosedConnectionWatch {

    private static final Logger log = LoggerFactory.getLogger(ClosedConnectionWatch.class);
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final Duration EVERY = Duration.ofMillis(250);
    private static final int ESTABLISHED = 0x01;
    private static final int CLOSE_WAIT = 0x08;
    static final long GRACE_MILLIS = 500;

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
        watched.put(id, new Watched(ports(request.getLocalPort(), request.getRemotePort()), onGone,
                System.nanoTime()));
        return () -> watched.remove(id);
    }

    private void sweep() {
        long oldEnough = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
        if (watched.values().stream().noneMatch(w -> w.since() - oldEnough <= 0)) {
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
            if (w.since() - oldEnough > 0) {
                return;
            }
            Integer state = states.get(w.ports());
            if (state != null && state == ESTABLISHED) {
                w.seen = true;
            } else if ((w.seen || state != null && state == CLOSE_WAIT) && watched.remove(id) != null) {
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
                    int localEnd = line.indexOf(' ', line.indexOf(':', line.indexOf(':') + 1));
                    int remoteEnd = line.indexOf(' ', localEnd + 1);
                    int local = Integer.parseInt(line, line.lastIndexOf(':', localEnd) + 1, localEnd, 16);
                    int remote = Integer.parseInt(line, line.lastIndexOf(':', remoteEnd) + 1, remoteEnd, 16);
                    int state = Integer.parseInt(line, remoteEnd + 1, remoteEnd + 3, 16);
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
        private final long since;
        private volatile boolean seen;

        Watched(long ports, Runnable onGone, long since) {
            this.ports = ports;
            this.onGone = onGone;
            this.since = since;
        }

        long since() {
            return since;
        }

        long ports() {
            return ports;
        }

        Runnable onGone() {
            return onGone;
        }
    }
}
