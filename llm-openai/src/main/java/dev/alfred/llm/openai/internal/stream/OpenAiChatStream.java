package dev.alfred.llm.openai.internal.stream;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.Citation;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.http.EventStreamChatStream;
import dev.alfred.llm.http.ExchangeSettings;
import dev.alfred.llm.http.HttpExchange;
import dev.alfred.llm.http.error.ErrorBody;
import dev.alfred.llm.openai.internal.wire.ChoiceParts;
import dev.alfred.llm.openai.internal.wire.Chunk;
import dev.alfred.llm.openai.internal.wire.ChunkDecoder;
import dev.alfred.llm.openai.internal.wire.FinishReasons;
import dev.alfred.llm.openai.internal.wire.MalformedChunkException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * A chat-completions stream: each event decoded by {@link ChunkDecoder} and turned into parts by
 * {@link ChoiceParts}. {@code data: [DONE]} is the only successful end, and it proves nothing by
 * itself: an error met before it still fails the stream (OpenRouter and vLLM send {@code [DONE]}
 * after an error).
 *
 * <p>An event named {@code error} (Groq), or any event whose data has a top-level {@code error}
 * (OpenAI's SDK rule; OpenRouter, vLLM), ends the stream with the exception its type maps to,
 * before or after output; events of other names are ignored. Chunks with empty {@code choices}
 * (Azure's first chunk, usage chunks) carry no parts.
 */
public final class OpenAiChatStream extends EventStreamChatStream {

    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    private final ChunkDecoder.Streaming events = ChunkDecoder.streaming();
    private final ChoiceParts parts = new ChoiceParts(false);
    private final boolean completionIncludesReasoning;
    private final ChoiceParts.Sink sink = new ChoiceParts.Sink() {
        private final Consumer<ChatDelta> out = parts();

        @Override
        public void part(ChatDelta part) {
            out.accept(part);
        }

        @Override
        public void warn(String warning) {
            OpenAiChatStream.this.warn(warning);
        }

        @Override
        public void citation(Citation citation) {
            reportCitation(citation);
        }

        @Override
        public void field(String path, String json) {
            reportProviderField(path, json);
        }
    };

    /**
     * Wraps an exchange; its request goes out on the first read.
     *
     * @param exchange     the exchange
     * @param settings     the provider's settings
     * @param accumulator  folds the parts into the response
     * @param maxLineBytes the longest event-stream line
     * @param warnings     warnings the request already raised, for the response
     * @param completionIncludesReasoning whether the server's completion count includes reasoning (its dialect says)
     */
    public OpenAiChatStream(HttpExchange exchange, ExchangeSettings settings, ResponseAccumulator accumulator,
                            int maxLineBytes, List<String> warnings, boolean completionIncludesReasoning) {
        super(exchange, settings, accumulator, maxLineBytes, warnings);
        this.completionIncludesReasoning = completionIncludesReasoning;
    }

    @Override
    protected void onEvent(String type, byte[] data, int length) {
        boolean errorEvent = "error".equals(type);
        if (!errorEvent && !"message".equals(type)) {
            return;
        }
        if (!errorEvent && isDone(data, length)) {
            reportState(parts.state(settings().providerId()));
            end();
            return;
        }
        Chunk chunk;
        try {
            chunk = events.decode(data, length);
        } catch (MalformedChunkException e) {
            String text = new String(data, 0, length, StandardCharsets.UTF_8);
            fail(errorEvent ? settings().errors().fromStreamError((String) null, text, requestId())
                    : malformed("malformed stream chunk (" + e.getMessage() + "): " + snippet(text)));
            return;
        }
        reportResponseId(chunk.id());
        reportModel(chunk.model());
        reportUsage(ChoiceParts.usage(chunk.usage(), completionIncludesReasoning));
        if (chunk.isError() || errorEvent) {
            // what the failing chunk still carries (OpenRouter bills usage on it) goes to the partial answer
            parts.accept(chunk, sink);
            reportState(parts.state(settings().providerId()));
            ErrorBody body = ErrorBody.parse(data, 0, length);
            fail(body != null ? settings().errors().fromStreamError(body, requestId())
                    : settings().errors().fromStreamError((String) null,
                            new String(data, 0, length, StandardCharsets.UTF_8), requestId()));
            return;
        }
        reportFinishReason(FinishReasons.of(chunk.finishReason()), chunk.finishReason());
        parts.accept(chunk, sink);
    }

    /**
     * The error a chunk carries, as the error mapper reads it.
     *
     * @param chunk a chunk with an error
     * @return the error
     */
    public static ErrorBody error(Chunk chunk) {
        return new ErrorBody(chunk.errorType(), chunk.errorMessage(), chunk.errorCode(), null);
    }

    /** Whether event data is exactly {@code [DONE]}, the chat-completions end of a stream. */
    static boolean isDone(byte[] data, int length) {
        return length == DONE.length && java.util.Arrays.equals(data, 0, length, DONE, 0, length);
    }

    @Override
    protected String truncationMessage() {
        return "stream ended before data: [DONE]";
    }
}
