package dev.alfred.llm.kimi.internal;

import dev.alfred.llm.ResponseAccumulator;

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
 * @param maxToolCalls   the most tool calls in one answer
 * @param maxToolArgumentChars the most characters of one call's arguments
 */
public record KimiSettings(String providerId, Duration connectTimeout, Duration headersTimeout,
                           Duration idleTimeout, Duration totalTimeout, int maxLineBytes, ErrorMapper errors,
                           Watchdog watchdog, int maxToolCalls, int maxToolArgumentChars) {

    /**
     * A fresh accumulator for one answer, with this provider's bounds.
     *
     * @return the accumulator
     */
    public ResponseAccumulator accumulator() {
        return new ResponseAccumulator(providerId, maxToolCalls, maxToolArgumentChars);
    }
}
