package io.agentgate.config;

import java.time.Duration;
import java.time.ZoneId;
import java.util.OptionalInt;

/**
 * How durable sessions behave (see docs/sessions.md). One component of {@link GatewayConfig} so
 * that session settings travel together; validated with it ({@link GatewayConfig#validate()}).
 *
 * @param suspendWindow   on start-up, sessions touched within this window are suspended
 * @param idleTimeout     a session untouched this long starts fresh (reason {@code idle})
 * @param dailyResetHour  hour of day (0-23, in {@code zone}) after which a session from before starts fresh
 * @param zone            time zone of the daily reset: the JVM's default zone
 * @param keyMaxLength    longest accepted {@code X-Session-Key}
 * @param lease           how long a running turn's lease lasts without a heartbeat (crash recovery)
 * @param memorySweep     how often the background sweep flushes memory of sessions due for reset
 */
public record SessionSettings(
        Duration suspendWindow,
        Duration idleTimeout,
        OptionalInt dailyResetHour,
        ZoneId zone,
        int keyMaxLength,
        Duration lease,
        Duration memorySweep) {

    /** The database's own limit on session_key (V1's CHECK constraint). */
    public static final int KEY_LENGTH_LIMIT = 256;

    @Override
    public String toString() {
        return "suspendWindow=" + suspendWindow + ", idle=" + idleTimeout
                + ", dailyHour=" + (dailyResetHour.isPresent() ? dailyResetHour.getAsInt() + " " + zone : "off")
                + ", keyMaxLength=" + keyMaxLength + ", lease=" + lease + ", memorySweep=" + memorySweep;
    }
}
