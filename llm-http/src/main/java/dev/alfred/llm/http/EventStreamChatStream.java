package dev.alfred.llm.http;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.MalformedResponseException;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.http.error.ErrorBody;
import dev.alfred.llm.http.internal.WireLog;
import dev.alfred.llm.http.sse.SseFormatException;
import dev.alfred.llm.http.sse.SseParser;
import dev.alfred.llm.spi.AbstractChatStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.ref.Cleaner;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A chat stream over Server-Sent Events, for providers: event-stream bytes pulled from the exchange on
 * the reading thread, cut into events by {@link SseParser}, handed to {@link #onEvent}, and the parts
 * it {@linkplain #emit emits} handed out as soon as each event is complete. A subclass decodes its
 * wire format and says when the answer {@linkplain #end() ended} or {@linkplain #fail failed}; this
 * class does the rest: a non-200 status mapped by the provider's error mapper, a body that is not an
 * event stream, a malformed stream, a body that ends before the subclass said the answer ended (a
 * truncated answer, never a success), the drain that lets the connection be reused, cancellation
 * from any thread, and the wire log of each event.
 *
 * <p>A stream that becomes unreachable while neither read to its end nor closed is abandoned: a
 * {@link Cleaner} then cancels its exchange, which frees the connection and leaves the watchdog, and logs
 * one warning (with where the stream was opened, when DEBUG is on for this class). Not thread-safe, like
 * every stream: one reader; {@link #close()} from any thread.
 */
public abstract class EventStreamChatStream extends AbstractChatStream implements SseParser.Listener {

    /** After the end, how long to wait for the body's end so the connection can be reused, and how much to read. */
    private static final long DRAIN_NANOS = 50_000_000;
    private static final int DRAIN_BYTES = 64 * 1024;
    /** The most characters of a malformed event quoted in a message. */
    private static final int SNIPPET = 120;
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamChatStream.class);
    /** One daemon thread for the whole library, which cancels the exchanges of abandoned streams. */
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "alfred-llm-cleaner");
        t.setDaemon(true);
        return t;
    });

    private final HttpExchange exchange;
    private final ExchangeSettings settings;
    private final SseParser parser;
    private final boolean wireLog = WireLog.enabled();
    private final ArrayDeque<ChatDelta> ready = new ArrayDeque<>();
    private final Consumer<ChatDelta> toReady = ready::add;
    private String requestId;
    private boolean opened;
    private boolean done;
    /** A failure met after parts that the same read completed: those are handed out first. */
    private LlmException pendingFailure;

    /**
     * Wraps an exchange; its request goes out on the first read.
     *
     * @param exchange     the exchange
     * @param settings     the provider's settings
     * @param accumulator  folds the parts into the response
     * @param maxLineBytes the longest event-stream line accepted
     * @param warnings     warnings the request already raised (options ignored), for the response
     */
    protected EventStreamChatStream(HttpExchange exchange, ExchangeSettings settings, ResponseAccumulator accumulator,
                                    int maxLineBytes, List<String> warnings) {
        super(settings.providerId(), accumulator);
        warnings.forEach(this::warn);
        this.exchange = exchange;
        this.settings = settings;
        this.parser = new SseParser(maxLineBytes, Math.max(maxLineBytes, SseParser.DEFAULT_MAX_EVENT_BYTES));
        // Nothing deregisters it: a stream read to its end or closed has ended its exchange, which the
        // cleaner's action checks first when the stream is collected.
        CLEANER.register(this, new Abandoned(exchange, settings.providerId(),
                LOG.isDebugEnabled() ? new OpenedHere() : null));
    }

    /**
     * Handles one event. Called on the reading thread; {@link #emit}, {@link #end()} and {@link #fail}
     * say what it meant (an {@link LlmException} it throws counts as {@link #fail}; any other runtime
     * exception, such as a JSON parser's, as an event that is not the API's shape: a
     * {@link MalformedResponseException}). Events after the end or a failure are not passed on.
     *
     * @param type   the event's type ({@code message} when the stream named none)
     * @param data   the data bytes (valid during the call only)
     * @param length how many are valid
     */
    protected abstract void onEvent(String type, byte[] data, int length);

    /**
     * What the message says when the body ends before {@link #end()}, such as
     * {@code "stream ended before data: [DONE]"}.
     *
     * @return the description
     */
    protected abstract String truncationMessage();

    /**
     * A body that is not an event stream: by default an error object in any shape {@link ErrorBody}
     * reads is mapped as an error, and anything else is reported by its content type; a subclass may
     * read its own format.
     *
     * @param body the body, up to 64 KiB
     * @return the exception, or null to report the content type
     */
    protected LlmException unexpectedBody(byte[] body) {
        ErrorBody error = ErrorBody.parse(body, 0, body.length);
        return error == null ? null : settings.errors().fromStreamError(error, requestId);
    }

    /**
     * Hands out a part, after those emitted before it.
     *
     * @param part the part
     */
    protected final void emit(ChatDelta part) {
        ready.add(part);
    }

    /**
     * Where parts go, as a consumer, for decoders that emit through one.
     *
     * @return the consumer
     */
    protected final Consumer<ChatDelta> parts() {
        return toReady;
    }

    /** Says the answer ended successfully; the rest of the body is drained. */
    protected final void end() {
        done = true;
    }

    /**
     * Says the answer failed; the parts emitted before are handed out first.
     *
     * @param failure the exception
     */
    protected final void fail(LlmException failure) {
        if (pendingFailure == null) {
            pendingFailure = failure;
        }
    }

    /**
     * The response's request id, scrubbed; null before the head or when there is none.
     *
     * @return the request id
     */
    protected final String requestId() {
        return requestId;
    }

    /**
     * The provider's settings.
     *
     * @return the settings
     */
    protected final ExchangeSettings settings() {
        return settings;
    }

    /**
     * A retryable {@link ProviderUnavailableException} for a broken stream, its message scrubbed and
     * with the request id.
     *
     * @param message what went wrong
     * @return the exception
     */
    protected final LlmException unavailable(String message) {
        return new ProviderUnavailableException(settings.errors().describe(-1, null, message, requestId),
                settings.providerId(), -1, null, null, requestId, null);
    }

    /**
     * A {@link MalformedResponseException} for an event that is not the API's shape: not retryable, as the
     * server answered (and billed) the request; its message scrubbed and with the request id.
     *
     * @param message what was wrong
     * @return the exception
     */
    protected final LlmException malformed(String message) {
        return new MalformedResponseException(settings.errors().describe(-1, null, message, requestId),
                settings.providerId(), -1, requestId, null);
    }

    /**
     * Server text for a message: scrubbed of the key first, then cut to 120 characters.
     *
     * @param text the text
     * @return the snippet
     */
    protected final String snippet(String text) {
        return settings.errors().scrubber().scrubAndBound(text, SNIPPET);
    }

    @Override
    protected final ChatDelta fetch() {
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
                // an unterminated line or event is dropped, as the standard says: no byte comes after it
                if (pendingFailure == null && !done) {
                    throw unavailable(truncationMessage() + "; the answer is incomplete");
                }
                continue;
            }
            try {
                parser.feed(bytes, this);
            } catch (SseFormatException e) {
                fail(malformed("malformed event stream: " + e.getMessage()));
            }
        }
        return ready.poll();
    }

    private void open() {
        HttpResponse.ResponseInfo response = exchange.successfulHeaders();
        opened = true;
        requestId = exchange.requestId();
        String contentType = response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
        if (!contentType.startsWith("text/event-stream")) {
            LlmException known = unexpectedBody(exchange.readUnexpectedBody());
            if (known != null) {
                throw known;
            }
            throw unavailable("expected an event stream but got content type '" + contentType + "'");
        }
    }

    @Override
    public final void onEvent(String type, byte[] data, int length, String lastEventId) {
        if (wireLog) {
            WireLog.event(exchange.id(), type, data, length, settings.errors().scrubber());
        }
        if (done || pendingFailure != null) {
            return;
        }
        try {
            onEvent(type, data, length);
        } catch (LlmException e) {
            fail(e); // thrown rather than failed: the parts of the same read still go out first
        } catch (RuntimeException e) {
            fail(malformed("malformed event '" + snippet(type) + "' (" + snippet(String.valueOf(e.getMessage())) + ")"));
        }
    }

    @Override
    protected final void abort() {
        exchange.cancel();
    }

    /** Where a stream was opened, kept (with DEBUG on) to name it when the stream is abandoned. */
    private static final class OpenedHere extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OpenedHere() {
            super("the abandoned stream was opened here");
        }
    }

    /**
     * What the cleaner does for a stream that became unreachable: cancels its exchange, and warns when
     * that was still needed (a stream read to its end or closed has ended its exchange already). It holds
     * no reference to the stream, or the stream would never become unreachable.
     */
    private static final class Abandoned implements Runnable {
        private final HttpExchange exchange;
        private final String providerId;
        private final Throwable openedAt;

        Abandoned(HttpExchange exchange, String providerId, Throwable openedAt) {
            this.exchange = exchange;
            this.providerId = providerId;
            this.openedAt = openedAt;
        }

        @Override
        public void run() {
            if (exchange.isEnded()) {
                return;
            }
            // Warned before the cancel, so that whoever sees the exchange end also finds the warning.
            if (openedAt != null) {
                LOG.warn("{}: a stream was abandoned (neither read to its end nor closed); its exchange #{} was"
                        + " cancelled. Close every stream, with try-with-resources.", providerId, exchange.id(), openedAt);
            } else {
                LOG.warn("{}: a stream was abandoned (neither read to its end nor closed); its exchange #{} was"
                        + " cancelled. Close every stream, with try-with-resources; DEBUG on {} shows where it was"
                        + " opened.", providerId, exchange.id(), EventStreamChatStream.class.getName());
            }
            exchange.cancel();
        }
    }
}
