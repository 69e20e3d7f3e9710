package dev.alfred.llm.http.sse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A Server-Sent-Events reader after the WHATWG "event stream interpretation" rules: bytes in, events
 * out, with no knowledge of HTTP or JSON. Feed it reads of any size with {@link #feed}; it calls the
 * listener as soon as an event is complete, and {@link #finish()} at end of input discards an
 * unterminated event.
 *
 * <p>Covered: LF, CR and CRLF line ends, also a CRLF split across reads; one leading UTF-8 BOM removed,
 * also when split; comment lines; {@code field:value} with at most one space stripped; multi-line data
 * joined with LF; {@code event}; {@code id} ignored when it contains NUL; {@code retry} only when all
 * ASCII digits; unknown fields ignored. UTF-8 is decoded per complete line, so multi-byte characters
 * split across reads survive. A line or an event's data longer than its bound is an
 * {@link SseFormatException}, never unbounded memory. Not thread-safe.
 */
public final class SseParser {

    /** Receives each dispatched event. */
    @FunctionalInterface
    public interface Listener {
        /**
         * Called once per dispatched event, in order. The data array is the reader's own buffer: it is
         * valid only during the call and must not be kept or changed (copy what must outlive the call),
         * which spares a copy per event on the hot path.
         *
         * @param type        the event type ({@code message} when the stream named none)
         * @param data        the data, lines joined with LF, as UTF-8 bytes in {@code data[0..length)}
         * @param length      how many bytes of data
         * @param lastEventId the last event id in force, empty when none was set
         */
        void onEvent(String type, byte[] data, int length, String lastEventId);
    }

    /** The default bound on one line: 1 MiB. */
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;
    /** The default bound on one event's data: 8 MiB. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 8 << 20;

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final int maxLineBytes;
    private final int maxEventBytes;
    private byte[] line = new byte[512];
    private int lineLength;
    private byte[] data = new byte[512];
    private int dataLength;
    private String eventType = "";
    private String lastEventId = "";
    private long retryMillis = -1;
    private boolean afterCr;
    private int bomMatched;
    private boolean bomChecked;

    /** A reader with the default bounds. */
    public SseParser() {
        this(DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_EVENT_BYTES);
    }

    /**
     * A reader with explicit bounds.
     *
     * @param maxLineBytes  the longest line accepted, in bytes
     * @param maxEventBytes the most data one event may carry, in bytes
     * @throws IllegalArgumentException if a bound is not positive
     */
    public SseParser(int maxLineBytes, int maxEventBytes) {
        if (maxLineBytes <= 0 || maxEventBytes <= 0) {
            throw new IllegalArgumentException("bounds must be positive: maxLineBytes=" + maxLineBytes
                    + ", maxEventBytes=" + maxEventBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.maxEventBytes = maxEventBytes;
    }

    /**
     * Reads the remaining bytes of a buffer, dispatching every event they complete.
     *
     * @param buffer   the bytes; its position is moved to its limit
     * @param listener receives the events
     * @throws SseFormatException if a line or an event exceeds its bound
     */
    public void feed(ByteBuffer buffer, Listener listener) {
        if (buffer.hasArray()) {
            int pos = buffer.position();
            feed(buffer.array(), buffer.arrayOffset() + pos, buffer.remaining(), listener);
            buffer.position(buffer.limit());
        } else {
            byte[] copy = new byte[buffer.remaining()];
            buffer.get(copy);
            feed(copy, 0, copy.length, listener);
        }
    }

    /**
     * Reads bytes, dispatching every event they complete.
     *
     * @param bytes    the array
     * @param offset   where the bytes start
     * @param length   how many bytes
     * @param listener receives the events
     * @throws SseFormatException if a line or an event exceeds its bound
     */
    public void feed(byte[] bytes, int offset, int length, Listener listener) {
        int i = offset;
        int end = offset + length;
        if (!bomChecked) {
            i = skipBom(bytes, i, end, listener);
        }
        if (afterCr && i < end) {
            afterCr = false;
            if (bytes[i] == '\n') {
                i++;
            }
        }
        while (true) { // a read ends inside a line, however short (an empty one at the end of the bytes)
            int j = i;
            while (j < end && bytes[j] != '\n' && bytes[j] != '\r') {
                j++;
            }
            appendToLine(bytes, i, j - i);
            if (j == end) {
                return;
            }
            if (bytes[j] == '\r') {
                if (j + 1 == end) {
                    afterCr = true;
                } else if (bytes[j + 1] == '\n') {
                    j++;
                }
            }
            endLine(listener);
            i = j + 1;
        }
    }

    /**
     * Ends the input: an unterminated line and an undispatched event are discarded, as the standard says.
     */
    public void finish() {
        lineLength = 0;
        dataLength = 0;
        eventType = "";
        afterCr = false;
    }

    /**
     * The reconnection time the stream asked for with a {@code retry} field.
     *
     * @return milliseconds, or -1 when none was given
     */
    public long retryMillis() {
        return retryMillis;
    }

    private int skipBom(byte[] bytes, int i, int end, Listener listener) {
        while (i < end && bomMatched < BOM.length) {
            if (bytes[i] != BOM[bomMatched]) {
                bomChecked = true;
                int held = bomMatched;
                bomMatched = 0;
                feed(BOM, 0, held, listener); // the start of a mark that was none is text (none held: nothing)
                return i;
            }
            bomMatched++;
            i++;
        }
        if (bomMatched == BOM.length) {
            bomChecked = true;
        }
        return i;
    }

    private void appendToLine(byte[] bytes, int from, int count) {
        if (count == 0) {
            return;
        }
        int needed = lineLength + count;
        if (needed > maxLineBytes) {
            throw new SseFormatException("event-stream line longer than " + maxLineBytes + " bytes");
        }
        line = fit(line, needed, maxLineBytes);
        System.arraycopy(bytes, from, line, lineLength, count);
        lineLength = needed;
    }

    /** The buffer, or a copy grown to hold needed bytes: doubled at least, never past the bound. */
    private static byte[] fit(byte[] buffer, int needed, int bound) {
        return needed <= buffer.length ? buffer : Arrays.copyOf(buffer, Math.min(bound, Math.max(needed, buffer.length * 2)));
    }

    private void endLine(Listener listener) {
        int length = lineLength;
        lineLength = 0;
        if (length == 0) {
            dispatch(listener);
            return;
        }
        byte[] l = line;
        if (l[0] == ':') {
            return;
        }
        int colon = 0;
        while (colon < length && l[colon] != ':') {
            colon++;
        }
        int valueStart = colon < length ? colon + 1 : length;
        if (valueStart < length && l[valueStart] == ' ') {
            valueStart++;
        }
        int valueLength = length - valueStart;
        if (is(l, colon, 'd', 'a', 't', 'a')) {
            appendData(l, valueStart, valueLength);
        } else if (is(l, colon, 'e', 'v', 'e', 'n', 't')) {
            eventType = new String(l, valueStart, valueLength, StandardCharsets.UTF_8);
        } else if (is(l, colon, 'i', 'd')) {
            if (!containsNul(l, valueStart, length)) {
                lastEventId = new String(l, valueStart, valueLength, StandardCharsets.UTF_8);
            }
        } else if (is(l, colon, 'r', 'e', 't', 'r', 'y')) {
            setRetry(l, valueStart, length);
        }
    }

    private static boolean is(byte[] l, int fieldLength, char... name) {
        if (fieldLength != name.length) {
            return false;
        }
        for (int k = 0; k < fieldLength; k++) {
            if (l[k] != name[k]) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsNul(byte[] l, int from, int to) {
        for (int k = from; k < to; k++) {
            if (l[k] == 0) {
                return true;
            }
        }
        return false;
    }

    private void setRetry(byte[] l, int from, int to) {
        if (from == to) {
            return;
        }
        long value = 0;
        for (int k = from; k < to; k++) {
            int digit = l[k] - '0';
            if (digit < 0 || digit > 9) {
                return;
            }
            value = value * 10 + digit;
            if (value > Integer.MAX_VALUE) {
                return;
            }
        }
        retryMillis = value;
    }

    private void appendData(byte[] l, int from, int count) {
        int needed = dataLength + count + 1;
        if (needed > maxEventBytes) {
            throw new SseFormatException("event-stream event data longer than " + maxEventBytes + " bytes");
        }
        data = fit(data, needed, maxEventBytes);
        System.arraycopy(l, from, data, dataLength, count);
        data[dataLength + count] = '\n';
        dataLength = needed;
    }

    private void dispatch(Listener listener) {
        if (dataLength == 0) {
            eventType = "";
            return;
        }
        int length = dataLength - 1;
        String type = eventType.isEmpty() ? "message" : eventType;
        dataLength = 0;
        eventType = "";
        listener.onEvent(type, data, length, lastEventId);
    }
}
