package dev.alfred.llm.http.internal;

import dev.alfred.llm.spi.SecretScrubber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The wire log: at DEBUG on the logger {@value #LOGGER}, each exchange's method, URL, status, headers
 * and bodies, a stream event by event, every line tagged with the exchange's number ({@code #12 →} for
 * what is sent, {@code #12 ←} for what comes back). Secret headers are masked whole, and every line goes
 * through the provider's scrubber (the key, key-shaped text, URL secrets) before it is bounded. Off by
 * default and free when off: callers ask {@link #enabled()} first, and nothing is formatted otherwise.
 * Stateless and thread-safe.
 */
public final class WireLog {

    /** The logger's name. */
    public static final String LOGGER = "dev.alfred.llm.wire";
    /** The most characters of one body or event shown; the rest is counted. */
    public static final int MAX_BODY_CHARS = 16 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private WireLog() {
    }

    /**
     * Whether the wire log is on.
     *
     * @return true when its logger logs at DEBUG
     */
    public static boolean enabled() {
        return LOG.isDebugEnabled();
    }

    /**
     * Logs a request.
     *
     * @param id       the exchange's number
     * @param method   the method
     * @param uri      the URL
     * @param headers  the headers
     * @param body     the body, or null
     * @param scrubber the provider's scrubber
     */
    public static void request(long id, String method, URI uri, Map<String, List<String>> headers, byte[] body,
                               SecretScrubber scrubber) {
        LOG.debug("#{} → {} {}{}{}", id, method, scrubber.scrub(uri.toString()), headers(headers, scrubber),
                body == null ? "" : "\n" + text(body, body.length, scrubber));
    }

    /**
     * Logs a response head.
     *
     * @param id       the exchange's number
     * @param status   the status
     * @param headers  the headers
     * @param millis   how long the head took since the request was sent
     * @param scrubber the provider's scrubber
     */
    public static void response(long id, int status, Map<String, List<String>> headers, long millis,
                                SecretScrubber scrubber) {
        LOG.debug("#{} ← {} ({} ms){}", id, status, millis, headers(headers, scrubber));
    }

    /**
     * Logs a whole body that came back.
     *
     * @param id       the exchange's number
     * @param body     the bytes
     * @param length   how many are valid
     * @param scrubber the provider's scrubber
     */
    public static void body(long id, byte[] body, int length, SecretScrubber scrubber) {
        LOG.debug("#{} ← body\n{}", id, text(body, length, scrubber));
    }

    /**
     * Logs one event of a stream.
     *
     * @param id       the exchange's number
     * @param type     the event's type
     * @param data     its data bytes
     * @param length   how many are valid
     * @param scrubber the provider's scrubber
     */
    public static void event(long id, String type, byte[] data, int length, SecretScrubber scrubber) {
        LOG.debug("#{} ← event: {} data: {}", id, type, text(data, length, scrubber));
    }

    /**
     * Logs how an exchange ended, when it did not end with its body.
     *
     * @param id  the exchange's number
     * @param how such as {@code cancelled}
     */
    public static void ended(long id, String how) {
        LOG.debug("#{} ✕ {}", id, how);
    }

    private static String headers(Map<String, List<String>> headers, SecretScrubber scrubber) {
        StringBuilder b = new StringBuilder();
        headers.forEach((name, values) -> {
            for (String v : values) {
                b.append("\n  ").append(name).append(": ").append(isSecret(name) ? SecretScrubber.MASK : scrubber.scrub(v));
            }
        });
        return b.toString();
    }

    /**
     * Whether a header's value is a secret, shown masked whole: the key headers, cookies, and any name
     * that speaks of a key, token, secret or authorization.
     *
     * @param name the header name
     * @return true for a secret header
     */
    public static boolean isSecret(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.contains("auth") || n.contains("key") || n.contains("token") || n.contains("secret")
                || n.contains("cookie") || n.contains("signature");
    }

    /**
     * The bytes as text, scrubbed, then cut to {@value #MAX_BODY_CHARS} characters. Only a prefix a little
     * longer than the cut is decoded and scrubbed (a run of a secret that the cut could split lies wholly
     * inside it), so a 32 MiB body costs no more than a 16 KiB one.
     */
    static String text(byte[] bytes, int length, SecretScrubber scrubber) {
        int keep = MAX_BODY_CHARS + 2 * SecretScrubber.RUN;
        int take = (int) Math.min(length, (long) keep * 4);
        String s = new String(bytes, 0, take, StandardCharsets.UTF_8);
        s = scrubber.scrub(s.substring(0, Math.min(keep, s.length())));
        if (s.length() <= MAX_BODY_CHARS && take == length) {
            return s;
        }
        int cut = Math.min(MAX_BODY_CHARS, s.length()); // at least 1: an empty body returned above
        if (Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--;
        }
        return s.substring(0, cut) + "… (" + length + " bytes in all)";
    }
}
