package dev.alfred.llm.testkit;

import dev.alfred.llm.ChatMessage;

import java.util.List;
import java.util.Map;

/**
 * How a provider's API writes answers and errors on the wire, so that {@link FakeServer} can speak it
 * as the real server does: {@link #openAi()} like OpenAI, {@link #kimi()} like Kimi, {@link #anthropic()}
 * like Anthropic's Messages API. A provider with another wire format supplies its own.
 */
public interface WireDialect {

    /**
     * The OpenAI-compatible chat-completions dialect as Kimi writes it; the kit's default.
     *
     * @return {@link #kimi()}
     */
    static WireDialect openAiCompatible() {
        return kimi();
    }

    /**
     * OpenAI's chat completions as OpenAI writes them: usage only when asked for with
     * {@code stream_options.include_usage} (in an extra chunk with empty {@code choices}), every field
     * of a real chunk, full error bodies.
     *
     * @return the dialect
     */
    static WireDialect openAi() {
        return new OpenAiCompatibleDialect(OpenAiCompatibleDialect.Server.OPENAI);
    }

    /**
     * OpenAI's chat completions as Kimi writes them: usage in {@code choices[0].usage}, Kimi's error
     * types.
     *
     * @return the dialect
     */
    static WireDialect kimi() {
        return new OpenAiCompatibleDialect(OpenAiCompatibleDialect.Server.KIMI);
    }

    /**
     * Anthropic's Messages API: named events, {@code ping}s, cumulative usage, {@code message_stop}.
     *
     * @return the dialect
     */
    static WireDialect anthropic() {
        return new AnthropicDialect();
    }

    /**
     * Voyage AI's embeddings API (OpenAI-shaped, Anthropic's recommended embeddings): {@code input_type},
     * {@code output_dimension}, usage with only {@code total_tokens}, errors as {@code {"detail": …}}. It has
     * no chat: only its generated embeddings are meaningful.
     *
     * @return the dialect
     */
    static WireDialect voyage() {
        return new OpenAiCompatibleDialect(OpenAiCompatibleDialect.Server.VOYAGE);
    }

    /**
     * The reply the server generates for a request nothing was queued for ({@link Reply#generated()}), on
     * the paths whose answer follows from the request alone, as the real server answers them: embeddings
     * ({@code POST …/embeddings}: one deterministic vector per input, base64 or JSON numbers as asked, the
     * requested dimensions, the server's 400 beyond {@link FakeServer#embeddingInputLimit()} inputs), the
     * token-count endpoints (Anthropic's {@code POST /v1/messages/count_tokens}, Kimi's
     * {@code POST /v1/tokenizers/estimate-token-count}) and the model catalogue ({@code GET …/models},
     * listing {@link FakeServer#models}). The default generates nothing.
     *
     * @param request the request
     * @param server  the server, for its settings
     * @return the reply (an answer or a scripted error), or null when the dialect generates nothing for the path
     */
    default Reply generate(RecordedRequest request, FakeServer server) {
        return null;
    }

    /**
     * Whether the server's model list reports each model's context window (Kimi's {@code context_length},
     * Anthropic's {@code max_input_tokens}), so a provider's catalogue must carry it.
     *
     * @return false by default
     */
    default boolean modelsReportWindows() {
        return false;
    }

    /**
     * The path prefix of the API's base URL, such as {@code /v1}.
     *
     * @return the prefix, starting with {@code /}, or empty
     */
    String basePath();

    /**
     * A whole, non-streamed answer.
     *
     * @param script the answer
     * @return the response body
     */
    String chatBody(ScriptedStream script);

    /**
     * A streamed answer: the bytes of the whole event stream.
     *
     * @param script the answer and how to deliver it
     * @return the body
     */
    String streamBody(ScriptedStream script);

    /**
     * A streamed answer to a given request, for servers whose answer depends on what was asked (OpenAI
     * sends usage only when asked for); by default the same as {@link #streamBody(ScriptedStream)}.
     *
     * @param script  the answer and how to deliver it
     * @param request the request it answers
     * @return the body
     */
    default String streamBody(ScriptedStream script, RecordedRequest request) {
        return streamBody(script);
    }

    /**
     * The content type of a streamed answer.
     *
     * @return the content type
     */
    String streamContentType();

    /**
     * An error body.
     *
     * @param type    the provider's error type, or null
     * @param message the message
     * @return the body
     */
    String errorBody(String type, String message);

    /**
     * An error body for a status; by default {@link #errorBody(String, String)}.
     *
     * @param status  the HTTP status
     * @param type    the provider's error type, or null
     * @param message the message
     * @return the body
     */
    default String errorBody(int status, String type, String message) {
        return errorBody(type, message);
    }

    /**
     * An error body for a status, naming the request id the server gave the exchange, as servers that put
     * it in the body do (Anthropic's {@code request_id}); by default {@link #errorBody(int, String, String)}.
     *
     * @param status    the HTTP status
     * @param type      the provider's error type, or null
     * @param message   the message
     * @param requestId the id in the response's {@link #requestIdHeader()}, or null
     * @return the body
     */
    default String errorBody(int status, String type, String message, String requestId) {
        return errorBody(status, type, message);
    }

    /**
     * The response header in which the server names each exchange, which the {@link FakeServer} sends
     * with every scripted answer, stream and error (unless the reply sets it itself), so that "the
     * request id in every exception" can be tested: OpenAI's {@code x-request-id}, Kimi's
     * {@code x-trace-id}, Anthropic's {@code request-id}. Recorded and raw replies carry only their own
     * headers.
     *
     * @return the header's name, or null for a server that sends none (the default)
     */
    default String requestIdHeader() {
        return null;
    }

    /**
     * An error sent inside a stream, as the server sends one (see {@link ScriptedStream.RawEvent} for
     * the form).
     *
     * @param type    the error type
     * @param message the message
     * @return the event
     */
    String errorEvent(String type, String message);

    /**
     * An event whose data is cut-off JSON, for the malformed-stream rules.
     *
     * @return the event
     */
    String malformedEvent();

    /**
     * The conversation a request carried, read back in the port's terms: tool calls with their ids and
     * arguments (as {@code COMPLETE}), reasoning ({@code ""} when absent), images decoded.
     *
     * @param request the request received
     * @return the messages, in order
     */
    List<ChatMessage> messages(RecordedRequest request);

    /**
     * The settings a request carried, under the port's names: {@code model}, {@code temperature},
     * {@code topP}, {@code maxTokens}, {@code stop}, {@code stream}, {@code parallelToolCalls},
     * {@code tools} (the names, comma-separated), {@code toolChoice} ({@code auto}, {@code none},
     * {@code required} or {@code tool:<name>}) and {@code responseFormat} ({@code json_object} or
     * {@code json_schema:<name>}). A setting the request did not carry is absent from the map.
     *
     * @param request the request received
     * @return the settings, values as JSON text
     */
    Map<String, String> options(RecordedRequest request);

    /**
     * Whether the server reports reasoning tokens in its usage (Anthropic does not split them out).
     *
     * @return true by default
     */
    default boolean reportsReasoningTokens() {
        return true;
    }

    /**
     * The settings (by the names of {@link #options}) a request must always carry, so the rule that
     * unset settings are not sent leaves them out: Anthropic requires {@code maxTokens}.
     *
     * @return the names; empty by default
     */
    default java.util.Set<String> requiredOptions() {
        return java.util.Set.of();
    }

    /**
     * The error type the dialect uses for a status, such as {@code rate_limit_reached_error} for 429.
     *
     * @param status an HTTP status
     * @return the type, or null when the dialect has none
     */
    String errorTypeFor(int status);
}
