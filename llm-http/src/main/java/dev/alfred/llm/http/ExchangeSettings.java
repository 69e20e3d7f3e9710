package dev.alfred.llm.http;

import dev.alfred.llm.http.error.ErrorMapper;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings every exchange of one provider shares: its deadlines, its error mapping and the
 * watchdog that enforces the deadlines. Immutable.
 *
 * @param providerId     the id named in exceptions
 * @param connectTimeout the connect timeout (reported in messages; the client applies it)
 * @param headersTimeout how long a stream's response head may take
 * @param idleTimeout    the longest gap between body bytes
 * @param totalTimeout   the deadline of a whole exchange, head and body
 * @param errors         the error mapper, which also scrubs the key
 * @param watchdog       enforces the deadlines, on its ticker
 */
public record ExchangeSettings(String providerId, Duration connectTimeout, Duration headersTimeout,
                               Duration idleTimeout, Duration totalTimeout, ErrorMapper errors, Watchdog watchdog) {

    /**
     * Validates the settings.
     *
     * @param providerId the id
     * @param connectTimeout a positive duration
     * @param headersTimeout a positive duration
     * @param idleTimeout a positive duration
     * @param totalTimeout a positive duration
     * @param errors the mapper
     * @param watchdog the watchdog
     * @throws IllegalArgumentException naming a duration that is missing, zero or negative
     * @throws NullPointerException if the id, mapper or watchdog is null
     */
    public ExchangeSettings {
        Objects.requireNonNull(providerId, "providerId");
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("headersTimeout", headersTimeout);
        requirePositive("idleTimeout", idleTimeout);
        requirePositive("totalTimeout", totalTimeout);
        Objects.requireNonNull(errors, "errors");
        Objects.requireNonNull(watchdog, "watchdog");
    }

    /**
     * Checks a timeout setting.
     *
     * @param name the setting's name, for the message
     * @param d    the value
     * @throws IllegalArgumentException if it is null, zero or negative
     */
    public static void requirePositive(String name, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
        }
    }

    /**
     * These settings with another total deadline, such as a request's own.
     *
     * @param total the deadline of the whole exchange
     * @return the settings, this when the deadline is the same
     * @throws IllegalArgumentException if total is not positive
     */
    public ExchangeSettings withTotalTimeout(Duration total) {
        requirePositive("totalTimeout", total);
        return total.equals(totalTimeout) ? this
                : new ExchangeSettings(providerId, connectTimeout, headersTimeout, idleTimeout, total, errors, watchdog);
    }
}
