package dev.alfred.llm.http;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.ProviderOptions;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.UserMessage;
import dev.alfred.llm.http.error.ErrorRules;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * A provider on the skeleton whose wire format is a script, so that tests drive each of the skeleton's
 * paths from the server's side: the request body is the last user text; a whole answer is its body's
 * text (or, for {@code boom}, a body the decoder cannot read); a stream's events say what the stream
 * does by their type ({@code text}, {@code part}, {@code end}, {@code fail}, {@code fail-twice},
 * {@code throw-llm}, {@code boom}, {@code request-id}, {@code snippet}). Its id is chosen per test, so
 * that what the JVM remembers per provider (warnings logged once) starts afresh.
 */
final class ScriptedProvider extends HttpChatProvider {

    private ScriptedProvider(String id, Builder b) {
        super(id, b, "x-request-id", ErrorRules.STANDARD);
    }

    static Builder builder(String id) {
        return new Builder(id);
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.TEXT_ONLY;
    }

    @Override
    protected URI endpoint(ChatRequest request, boolean stream) {
        return HttpTransport.resolve(baseUrl(), stream ? "v1/stream" : "v1/chat");
    }

    /** Options this provider reads: those whose provider id is its own. */
    @Override
    protected boolean accepts(ProviderOptions options) {
        return options.providerId().equals(id());
    }

    @Override
    protected byte[] encode(ChatRequest request, boolean stream, List<String> warnings) {
        String text = ((UserMessage) request.messages().get(request.messages().size() - 1)).text();
        if (text.startsWith("warn:")) {
            warnings.add(text.substring(5, text.indexOf('|')));
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void authenticate(HttpRequest.Builder request, String apiKey, boolean stream) {
        if (apiKey != null) {
            request.header("x-key", apiKey);
        }
    }

    @Override
    protected void decode(byte[] body, ResponseAccumulator answer, String requestId) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.equals("boom")) {
            throw new IllegalStateException("cannot read " + HttpExchangeTest.KEY);
        }
        if (text.equals("throw-llm")) {
            throw new LlmException(id() + ": the body says no", id(), 200, "refused", false, null, requestId, null);
        }
        answer.accept(ChatDelta.text(text));
    }

    @Override
    protected String describe() {
        return "script=yes";
    }

    @Override
    protected EventStreamChatStream newStream(HttpExchange exchange, ResponseAccumulator accumulator,
                                              List<String> warnings) {
        return new EventStreamChatStream(exchange, settings(), accumulator, maxLineBytes(), warnings) {
            @Override
            protected void onEvent(String type, byte[] data, int length) {
                String text = new String(data, 0, length, StandardCharsets.UTF_8);
                switch (type) {
                    case "text" -> emit(ChatDelta.text(text));
                    case "part" -> parts().accept(ChatDelta.text(text));
                    case "end" -> end();
                    case "fail" -> fail(unavailable(text));
                    case "fail-twice" -> {
                        fail(malformed(text));
                        fail(unavailable("a second failure"));
                    }
                    case "throw-llm" -> throw new LlmException(settings().providerId() + ": " + text,
                            settings().providerId(), -1, "said-no", false, null, null);
                    case "boom" -> throw new IllegalArgumentException(text);
                    case "request-id" -> emit(ChatDelta.text(String.valueOf(requestId())));
                    case "snippet" -> emit(ChatDelta.text(snippet(text)));
                    default -> { }
                }
            }

            @Override
            protected String truncationMessage() {
                return "stream ended before its end event";
            }
        };
    }

    /** The settings of a {@link ScriptedProvider}: those every llm-http provider shares. */
    static final class Builder extends HttpProviderBuilder<Builder> {
        private final String id;

        private Builder(String id) {
            super(URI.create("https://api.example.com/"), "script-1", Set.of("x-key"));
            this.id = id;
        }

        /** Copies these settings to a fresh builder, as a preset hands its settings to its engine. */
        Builder copy(String newId) {
            return copyTo(new Builder(newId));
        }

        /** Checks the settings without making a provider. */
        void check() {
            checkSettings("call apiKey(...)", "script.base-url", null, "call model(...)");
        }

        ScriptedProvider build() {
            checkSettings("call apiKey(...)", "script.base-url", null, "call model(...)");
            return new ScriptedProvider(id, this);
        }

        /** What checkSettings left of the key, the URL and the model, for tests of the checks. */
        String checked() {
            return apiKey() + " " + baseUrl() + " " + model() + " " + maxLineBytes() + " " + extraHeaders();
        }
    }
}
