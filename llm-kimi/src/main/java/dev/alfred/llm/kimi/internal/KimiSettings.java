package dev.alfred.llm.kimi.internal;

import java.time.Duration;

/**
 * The settings one provider's exchanges share.
 *
 * @param providerId     the id for exceptions
 * @param connectTimeout the connect timeout (reported in messages)
 * @param headersTimeout how long a stream's response head may take
 * @param idleTimeout    the longest gap between body bytes
 * @param totalTimeout   the deadline of a whole exchange
 * @param maxLineBytes   the longest event-stream line
 * @param errors         the error mapper (which also scrubs the key)
 * @param watchdog       enforces the deadlines, on its ticker
 */
public record KimiSettings(String providerId, Duration connectTimeout, Duration headersTimeout,
                           Duration idleTimeout, Duration totalTimeout, int maxLineBytes, ErrorMapper errors,
                           Watchdog watchdog) {
}
