package dev.alfred.llm.anthropic.internal.stream;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.Citation;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.ServerToolUse;
import dev.alfred.llm.Usage;
import dev.alfred.llm.anthropic.internal.wire.AnswerFolder;
import dev.alfred.llm.anthropic.internal.wire.AnswerSink;
import dev.alfred.llm.anthropic.internal.wire.Event;
import dev.alfred.llm.anthropic.internal.wire.EventDecoder;
import dev.alfred.llm.anthropic.internal.wire.MalformedEventException;
import dev.alfred.llm.http.EventStreamChatStream;
import dev.alfred.llm.http.ExchangeSettings;
import dev.alfred.llm.http.HttpExchange;
import dev.alfred.llm.http.error.ErrorBody;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A Messages API stream (anthropic-api.md §3): each event decoded and folded by the same
 * {@link AnswerFolder} a whole body goes through; {@code message_stop} the only successful end, so a
 * body that ends before it is a truncated answer. An {@code error} event fails the stream with the
 * exception its type maps to ({@code overloaded_error} a retryable rate limit, its {@code details}
 * named in the message), keeping what came before; an event that is not JSON of the API's shape is a
 * {@link dev.alfred.llm.MalformedResponseException}.
 */
public final class AnthropicChatStream extends EventStreamChatStream {

    private final EventDecoder.Streaming events = EventDecoder.streaming();
    private final AnswerFolder folder;

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
        this.folder = new AnswerFolder(new Reports(), settings.providerId());
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
        AnswerFolder.Step step;
        try {
            step = folder.event(name, e, data, length);
        } catch (MalformedEventException ex) {
            fail(malformed("malformed stream: " + ex.getMessage()));
            return;
        }
        if (step == AnswerFolder.Step.ENDED) {
            end();
        } else if (step == AnswerFolder.Step.FAILED) {
            String message = e.errorMessage();
            if (e.errorDetails() != null) {
                message = (message == null ? "" : message + " ") + "(details: " + e.errorDetails() + ")";
            }
            fail(settings().errors().fromStreamError(new ErrorBody(e.errorType(), message, null, e.requestId()),
                    requestId()));
        }
    }

    @Override
    protected String truncationMessage() {
        return "stream ended before message_stop";
    }

    /** The folded answer into this stream's report methods. */
    private final class Reports implements AnswerSink {
        @Override
        public void part(ChatDelta part) {
            emit(part);
        }

        @Override
        public void warn(String warning) {
            AnthropicChatStream.this.warn(warning);
        }

        @Override
        public void citation(Citation citation) {
            reportCitation(citation);
        }

        @Override
        public void serverTool(ServerToolUse use) {
            reportServerTool(use);
        }

        @Override
        public ServerToolUse serverTool(String id) {
            return reportedServerTool(id);
        }

        @Override
        public void providerField(String path, String json) {
            reportProviderField(path, json);
        }

        @Override
        public void id(String id) {
            reportResponseId(id);
        }

        @Override
        public void model(String model) {
            reportModel(model);
        }

        @Override
        public void usage(Usage usage) {
            reportUsage(usage);
        }

        @Override
        public void finishReason(FinishReason reason, String raw) {
            reportFinishReason(reason, raw);
        }

        @Override
        public void state(ProviderState state) {
            reportState(state);
        }
    }
}
