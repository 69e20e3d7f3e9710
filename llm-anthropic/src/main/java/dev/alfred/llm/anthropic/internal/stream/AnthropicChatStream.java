package dev.alfred.llm.anthropic.internal.stream;

import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.anthropic.internal.wire.Blocks;
import dev.alfred.llm.anthropic.internal.wire.Event;
import dev.alfred.llm.anthropic.internal.wire.EventDecoder;
import dev.alfred.llm.anthropic.internal.wire.MalformedEventException;
import dev.alfred.llm.anthropic.internal.wire.StopReasons;
import dev.alfred.llm.anthropic.internal.wire.UsageFields;
import dev.alfred.llm.http.EventStreamChatStream;
import dev.alfred.llm.http.ExchangeSettings;
import dev.alfred.llm.http.HttpExchange;
import dev.alfred.llm.http.error.ErrorBody;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A Messages API stream (anthropic-api.md §3): events dispatched on their JSON {@code type};
 * {@code ping} anywhere and unknown events ignored; content blocks kept by {@link Blocks}; usage from
 * {@code message_start}, replaced field by field by each {@code message_delta}; {@code message_stop}
 * the only successful end, so a body that ends before it is a truncated answer. An {@code error}
 * event fails the stream with the exception its type maps to ({@code overloaded_error} a retryable
 * rate limit), keeping what came before.
 */
public final class AnthropicChatStream extends EventStreamChatStream {

    private final EventDecoder.Streaming events = EventDecoder.streaming();
    private final Blocks blocks = new Blocks(parts(), this::warn);
    private final UsageFields usage = new UsageFields();

    /**
     * Wraps an exchange; its request goes out on the first read.
     *
     * @param exchange     the exchange
     * @param settings     the provider's settings
     * @param accumulator  folds the parts into the response
     * @param maxLineBytes the longest event-stream line
     * @param warnings     warnings the request already raised, for the response
     */
    public AnthropicChatStream(HttpExchange exchange, ExchangeSettings settings, ResponseAccumulator accumulator,
                               int maxLineBytes, List<String> warnings) {
        super(exchange, settings, accumulator, maxLineBytes, warnings);
    }

    @Override
    protected void onEvent(String name, byte[] data, int length) {
        Event e;
        try {
            e = events.decode(data, length);
        } catch (MalformedEventException ex) {
            String text = new String(data, 0, length, StandardCharsets.UTF_8);
            fail("error".equals(name) ? settings().errors().fromStreamError((String) null, text, requestId())
                    : malformed("malformed event '" + snippet(name) + "' (" + ex.getMessage() + "): " + snippet(text)));
            return;
        }
        String type = e.type() != null ? e.type() : name;
        try {
            dispatch(type, e);
        } catch (MalformedEventException ex) {
            fail(malformed("malformed stream: " + ex.getMessage()));
        }
    }

    private void dispatch(String type, Event e) {
        switch (type) {
            case "message_start":
                reportResponseId(e.messageId());
                reportModel(e.model());
                usage(e);
                break;
            case "content_block_start":
                blocks.start(e.index(), e.blockType(), e.blockId(), e.blockName(), e.blockText(), e.blockSignature(),
                        e.blockData());
                break;
            case "content_block_delta":
                blocks.delta(e.index(), e.deltaType(), e.deltaValue());
                break;
            case "content_block_stop":
                blocks.stop(e.index());
                break;
            case "message_delta":
                if (e.stopReason() != null) {
                    reportFinishReason(StopReasons.of(e.stopReason()), e.stopReason());
                }
                usage(e);
                break;
            case "message_stop":
                blocks.unfinishedCalls().forEach(this::emit);
                reportState(blocks.state(settings().providerId()));
                end();
                break;
            case "error":
                fail(settings().errors().fromStreamError(new ErrorBody(e.errorType(), e.errorMessage(), null,
                        e.requestId()), requestId()));
                break;
            default:
                break; // ping, and event types added later
        }
    }

    private void usage(Event e) {
        if (e.hasUsage()) {
            usage.merge(e.usage());
            reportUsage(usage.toUsage());
        }
    }

    @Override
    protected String truncationMessage() {
        return "stream ended before message_stop";
    }
}
