package dev.alfred.llm.kimi.internal;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.spi.AbstractChatStream;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A Kimi stream: event-stream bytes pulled from the exchange on the reading thread, cut into events by
 * {@link SseParser}, decoded by {@link ChunkDecoder}, and handed out as deltas as soon as each event is
 * complete. {@code data: [DONE]} is the only successful end.
 *
 * <p>An event named {@code error}, or any event whose data is an {@code error} object, ends the stream
 * with the exception its type maps to (retryable as that type says), before or after output; events
 * of other names (pings) are ignored.
 */
public final class KimiChatStream extends AbstractChatStream implements SseParser.Listener {

    /** After [DONE], how long to wait for the body's end so the connection can be reused, and how much to read. */
    private static final long DRAIN_NANOS = 50_000_000;
    private static final int DRAIN_BYTES = 64 * 1024;
    /** The most characters of a malformed chunk quoted in a message. */
    private static final int SNIPPET = 120;

    private final KimiExchange exchange;
    private final KimiSettings settings;
    private final ChunkDecoder decoder;
    private final ChunkDecoder.Streaming events = ChunkDecoder.streaming();
    private final SseParser parser;
    private final ArrayDeque<ChatDelta> ready = new ArrayDeque<>();
    private final ChoiceParts parts = new ChoiceParts();
    private final Consumer<ChatDelta> toReady = ready::add;
    private final Consumer<String> toWarnings = this::warn;
    private String traceId;
    private boolean opened;
    private boolean done;
    /** A failure met after deltas that the same read completed: those are handed out first. */
    private LlmException pendingFailure;

    /**
     * Wraps an exchange; its request goes out on the first read.
     *
     * @param exchange the exchange
     * @param settings the provider's settings
     * @param decoder  the chunk decoder
     * @param warnings warnings the request already raised (options ignored), for the response
     */
    public KimiChatStream(KimiExchange exchange, KimiSettings settings, ChunkDecoder decoder, List<String> warnings) {
        super(settings.providerId(), settings.accumulator());
        warnings.forEach(this::warn);
        this.exchange = exchange;
        this.settings = settings;
        this.decoder = decoder;
        this.parser = new SseParser(settings.maxLineBytes(), Math.max(settings.maxLineBytes(), SseParser.DEFAULT_MAX_EVENT_BYTES));
    }

    @Override
    protected ChatDelta fetch() {
        if (!opened) {
            open();
        }
        while (ready.isEmpty()) {
            if (pendingFailure != null) {
                throw pendingFailure;
            }
            if (done) {
                exchange.drain(DRAIN_NANOS, DRAIN_BYTES);
                return null;
            }
            ByteBuffer bytes = exchange.read();
            if (bytes == null) {
                parser.finish();
                throw unavailable("stream ended before data: [DONE]; the answer is incomplete");
            }
            try {
                parser.feed(bytes, this);
            } catch (SseFormatException e) {
                pendingFailure = unavailable("malformed event stream: " + e.getMessage());
            }
        }
        return ready.poll();
    }

    private void open() {
        HttpResponse.ResponseInfo response = exchange.successfulHeaders();
        opened = true;
        traceId = exchange.traceId();
        String contentType = response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
        if (!contentType.startsWith("text/event-stream")) {
            byte[] body = exchange.readUnexpectedBody();
            try {
                Chunk c = decoder.decode(body, 0, body.length);
                if (c.isError()) {
                    throw settings.errors().fromStreamError(c, traceId);
                }
            } catch (MalformedChunkException notJson) {
                // fall through: the content type is what is wrong
            }
            throw unavailable("expected an event stream but got content type '" + contentType + "'");
        }
    }

    @Override
    public void onEvent(String type, byte[] data, int length, String lastEventId) {
        if (done || pendingFailure != null) {
            return;
        }
        boolean errorEvent = "error".equals(type);
        if (!errorEvent && !"message".equals(type)) {
            return;
        }
        if (!errorEvent && SseEvent.isDone(data, length)) {
            done = true;
            return;
        }
        Chunk chunk;
        try {
            chunk = events.decode(data, length);
        } catch (MalformedChunkException e) {
            String text = new String(data, 0, length, StandardCharsets.UTF_8);
            pendingFailure = errorEvent ? settings.errors().fromStreamError((String) null, text, traceId)
                    : unavailable("malformed stream chunk (" + e.getMessage() + "): " + snippet(text));
            return;
        }
        if (errorEvent && !chunk.isError()) {
            pendingFailure = settings.errors().fromStreamError((String) null,
                    new String(data, 0, length, StandardCharsets.UTF_8), traceId);
            return;
        }
        if (chunk.isError()) {
            pendingFailure = settings.errors().fromStreamError(chunk, traceId);
            return;
        }
        reportResponseId(chunk.id());
        reportModel(chunk.model());
        reportUsage(chunk.usage());
        reportFinishReason(FinishReasons.of(chunk.finishReason()), chunk.finishReason());
        parts.accept(chunk, toReady, toWarnings);
    }

    @Override
    protected void abort() {
        exchange.cancel();
    }

    private LlmException unavailable(String message) {
        return new ProviderUnavailableException(settings.errors().describe(-1, null, message, traceId),
                settings.providerId(), -1, null, null, traceId, null);
    }

    /** A malformed chunk for a message: scrubbed of the key first, then cut. */
    private String snippet(String s) {
        return SecretScrubber.bound(settings.errors().scrub(s), SNIPPET);
    }
}
