package dev.alfred.llm.kimi.internal;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ProviderOptions;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.http.EventStreamChatStream;
import dev.alfred.llm.http.HttpChatProvider;
import dev.alfred.llm.http.HttpExchange;
import dev.alfred.llm.http.HttpProviderBuilder;
import dev.alfred.llm.http.HttpTransport;
import dev.alfred.llm.http.error.ErrorBody;
import dev.alfred.llm.openai.dialect.Dialect;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Moonshot's token estimate, {@code POST {base}/tokenizers/estimate-token-count} with {@link CountBody}, on
 * llm-http's skeleton so that it goes out as a Kimi chat call does (same key, headers, deadlines, error
 * table and request-id header, typed exceptions with the key left out, body bounded by
 * {@code maxBodyBytes}, cancelled by {@link #close()}). The Kimi provider's chat and catalogue run on
 * llm-openai's provider, whose calls beside chat this cannot reach, hence a skeleton of its own; it never
 * chats. Made from the Kimi provider's own builder and closed with it. Thread-safe.
 */
public final class Estimates extends HttpChatProvider {

    private final Capabilities capabilities;
    private final URI estimateUrl;

    private Estimates(Builder b) {
        super(b.id, b, b.dialect.requestIdHeader(), b.dialect.errorRules());
        this.capabilities = b.dialect.capabilities();
        this.estimateUrl = HttpTransport.resolve(baseUrl(), "tokenizers/estimate-token-count");
    }

    /**
     * A builder, to be filled from the provider's ({@code copyTo}).
     *
     * @param id      the provider id
     * @param dialect the provider's dialect: its capabilities (checked as for chat), request-id header, error
     *                table and message format
     * @return the builder
     */
    public static Builder builder(String id, Dialect dialect) {
        return new Builder(id, dialect);
    }

    /**
     * Counts a request's messages on the server, with the request's own headers, body fields and deadline.
     *
     * @param request  the request, for its own settings
     * @param chatBody the body chat would send for it, whose {@code model} and {@code messages} are counted
     * @return {@code data.total_tokens}
     * @throws dev.alfred.llm.LlmException as a chat call fails (after {@link #close()}, an error status or an
     *                                     error in a 200 body, typed), a
     *                                     {@link dev.alfred.llm.MalformedResponseException} for an answer
     *                                     without {@code data.total_tokens}
     * @throws NullPointerException if the request is null
     */
    public long count(ChatRequest request, byte[] chatBody) {
        Objects.requireNonNull(request, "request");
        Reply reply = call("POST", estimateUrl, CountBody.fromChatBody(chatBody), request.settings());
        ErrorBody error = ErrorBody.parse(reply.body(), 0, reply.body().length);
        if (error != null) {
            throw settings().errors().fromStreamError(error, reply.requestId());
        }
        try {
            return CountBody.totalTokens(reply.body());
        } catch (RuntimeException e) {
            throw malformed("malformed token estimate (" + e.getMessage() + ")", reply.requestId(), e);
        }
    }

    /**
     * The capabilities a request is checked against, those of the provider.
     *
     * @return the capabilities
     */
    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    protected void authenticate(HttpRequest.Builder request, String apiKey, boolean stream) {
        request.header("Authorization", "Bearer " + apiKey);
    }

    @Override
    protected URI endpoint(ChatRequest request, boolean stream) {
        throw neverChats();
    }

    @Override
    protected boolean accepts(ProviderOptions options) {
        throw neverChats();
    }

    @Override
    protected byte[] encode(ChatRequest request, boolean stream, List<String> warnings) {
        throw neverChats();
    }

    @Override
    protected void decode(byte[] body, ResponseAccumulator answer, String requestId) {
        throw neverChats();
    }

    @Override
    protected EventStreamChatStream newStream(HttpExchange exchange, ResponseAccumulator accumulator,
                                              List<String> warnings) {
        throw neverChats();
    }

    private static UnsupportedOperationException neverChats() {
        return new UnsupportedOperationException("the estimate calls never chat; chat goes to the"
                + " Kimi provider's engine");
    }

    /** Builds {@link Estimates}; filled from the Kimi provider's builder. Not thread-safe. */
    public static final class Builder extends HttpProviderBuilder<Builder> {
        private final String id;
        private final Dialect dialect;

        private Builder(String id, Dialect dialect) {
            super(URI.create("https://api.moonshot.ai/v1"), null, Set.of("authorization"));
            this.id = id;
            this.dialect = dialect;
        }

        /**
         * Builds the calls.
         *
         * @param keyHint     what a message about a missing key says
         * @param urlSettings what a message about an insecure URL names
         * @param model       the default model
         * @return the calls
         * @throws IllegalArgumentException as the provider's own builder does
         */
        public Estimates build(String keyHint, String urlSettings, String model) {
            checkSettings(keyHint, urlSettings, model, "no model");
            return new Estimates(this);
        }
    }
}
