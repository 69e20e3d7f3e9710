package dev.alfred.llm.testkit;

import dev.alfred.llm.ChatMessage;

import java.util.List;
import java.util.Map;

/**
 * How a provider's API writes answers and errors on the wire, so that {@link FakeServer} can speak it.
 * {@link #openAiCompatible()} speaks the OpenAI chat-completions dialect that Kimi uses; a provider with
 * another wire format supplies its own.
 */
public interface WireDialect {

    /**
     * The OpenAI-compatible chat-completions dialect (Kimi, and many others).
     *
     * @return the dialect
     */
    static WireDialect openAiCompatible() {
        return new OpenAiCompatibleDialect();
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
     * The error type the dialect uses for a status, such as {@code rate_limit_reached_error} for 429.
     *
     * @param status an HTTP status
     * @return the type, or null when the dialect has none
     */
    String errorTypeFor(int status);
}
