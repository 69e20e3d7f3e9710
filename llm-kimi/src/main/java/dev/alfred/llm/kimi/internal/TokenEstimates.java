package dev.alfred.llm.kimi.internal;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ProviderOptions;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.Usage;
import dev.alfred.llm.http.EventStreamChatStream;
import dev.alfred.llm.http.ExchangeSettings;
import dev.alfred.llm.http.HttpChatProvider;
import dev.alfred.llm.http.HttpExchange;
import dev.alfred.llm.http.HttpProviderBuilder;
import dev.alfred.llm.http.HttpTransport;
import dev.alfred.llm.http.error.ErrorBody;
import dev.alfred.llm.openai.dialect.Dialect;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Set;

/**
 * Moonshot's token estimate as a call on llm-http's skeleton, so that it goes out as a Kimi chat call does
 * (same key, headers, deadlines, error table and request-id header, typed exceptions with the key left
 * out): {@code POST {base}/tokenizers/estimate-token-count} with {@link CountBody}, its
 * {@code data.total_tokens} returned as the answer's prompt tokens. Made from the Kimi provider's own
 * builder; never streams. Thread-safe.
 */
public final class TokenEstimates extends HttpChatProvider {

    private final Capabilities capabilities;
    private final CountBody body;
    private final URI endpoint;

    private TokenEstimates(Builder b) {
        super(b.id, b, b.dialect.requestIdHeader(), b.dialect.errorRules());
        this.capabilities = b.dialect.capabilities();
        this.body = new CountBody(b.dialect);
        this.endpoint = HttpTransport.resolve(baseUrl(), "tokenizers/estimate-token-count");
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
     * Counts a request's messages on the server.
     *
     * @param request the request
     * @return {@code data.total_tokens}
     * @throws dev.alfred.llm.LlmException as a chat call fails
     */
    public long count(ChatRequest request) {
        return chat(request).usage().promptTokens();
    }

    /**
     * The deadlines and error mapping of this provider's calls, for its other requests.
     *
     * @return the settings
     */
    public ExchangeSettings exchangeSettings() {
        return settings();
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
    protected URI endpoint(ChatRequest request, boolean stream) {
        return endpoint;
    }

    @Override
    protected boolean accepts(ProviderOptions options) {
        return true; // options change the answer, not the input counted
    }

    @Override
    protected byte[] encode(ChatRequest request, boolean stream, List<String> warnings) {
        return body.encode(request, model());
    }

    @Override
    protected void authenticate(HttpRequest.Builder request, String apiKey, boolean stream) {
        request.header("Authorization", "Bearer " + apiKey);
    }

    @Override
    protected void decode(byte[] body, ResponseAccumulator answer, String requestId) {
        ErrorBody error = ErrorBody.parse(body, 0, body.length);
        if (error != null) {
            throw settings().errors().fromStreamError(error, requestId);
        }
        long tokens = CountBody.totalTokens(body);
        answer.usage(new Usage(tokens, 0, tokens, 0, 0, 0));
    }

    @Override
    protected EventStreamChatStream newStream(HttpExchange exchange, ResponseAccumulator accumulator,
                                              List<String> warnings) {
        throw new UnsupportedOperationException("the token estimate never streams");
    }

    /** Builds {@link TokenEstimates}; filled from the Kimi provider's builder. Not thread-safe. */
    public static final class Builder extends HttpProviderBuilder<Builder> {
        private final String id;
        private final Dialect dialect;

        private Builder(String id, Dialect dialect) {
            super(URI.create("https://api.moonshot.ai/v1"), null, Set.of("authorization"));
            this.id = id;
            this.dialect = dialect;
        }

        /**
         * Builds the endpoint.
         *
         * @param keyHint     what a message about a missing key says
         * @param urlSettings what a message about an insecure URL names
         * @param model       the default model
         * @return the endpoint
         * @throws IllegalArgumentException as the provider's own builder does
         */
        public TokenEstimates build(String keyHint, String urlSettings, String model) {
            checkSettings(keyHint, urlSettings, model, "no model");
            return new TokenEstimates(this);
        }
    }
}
