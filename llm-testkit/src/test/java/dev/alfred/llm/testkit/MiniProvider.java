package dev.alfred.llm.testkit;

import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.Usage;
import dev.alfred.llm.spi.AbstractChatStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A deliberately small OpenAI-compatible provider, independent of llm-kimi, used to test the contract
 * kit itself: it keeps the rules the self-test selects, and its broken variants break them.
 */
class MiniProvider implements LlmProvider {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI endpoint;
    private final String key;

    MiniProvider(ProviderTarget target) {
        this.endpoint = URI.create(target.baseUri() + "/chat/completions");
        this.key = target.apiKey();
    }

    @Override
    public String id() {
        return "mini";
    }

    private HttpResponse<InputStream> send(ChatRequest request, boolean stream) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", request.model() == null ? "mini-model" : request.model());
        for (ChatMessage m : request.messages()) {
            body.withArray("messages").addObject().put("role", m.role().name().toLowerCase(Locale.ROOT)).put("content", m.content());
        }
        if (stream) {
            body.put("stream", true);
        }
        HttpRequest http = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        try {
            HttpResponse<InputStream> response = client.send(http, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                try (InputStream in = response.body()) {
                    throw error(response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8),
                            response.headers().firstValue("Retry-After").orElse(null));
                }
            }
            return response;
        } catch (IOException e) {
            throw new ProviderUnavailableException("mini: " + e, "mini", -1, null, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException("mini: interrupted", e);
        }
    }

    private LlmException error(int status, String body, String retryAfter) {
        String message;
        try {
            message = JSON.readTree(body).path("error").path("message").asString();
        } catch (RuntimeException notJson) {
            message = body;
        }
        message = "mini: HTTP " + status + ": " + message.replace(key, "****");
        if (status == 401 || status == 403) {
            return new AuthenticationException(message, "mini", status, null, null);
        }
        if (status == 429) {
            return new RateLimitException(message, "mini", status, null,
                    retryAfter == null ? null : Duration.ofSeconds(Long.parseLong(retryAfter)), null);
        }
        if (status >= 500) {
            return new ProviderUnavailableException(message, "mini", status, null, null, null);
        }
        return new InvalidRequestException(message, "mini", status, null, null);
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        try (InputStream in = send(request, false).body()) {
            JsonNode root = JSON.readTree(in);
            JsonNode choice = root.path("choices").path(0);
            return new ChatResponse(choice.path("message").path("content").asString(""),
                    choice.path("message").path("reasoning_content").asString(""), root.path("model").asString(null),
                    usage(root.get("usage")), FinishReason.STOP);
        } catch (IOException e) {
            throw new ProviderUnavailableException("mini: " + e, "mini", -1, null, null, null);
        }
    }

    private static Usage usage(JsonNode u) {
        return u == null || u.isNull() ? null : new Usage(u.path("prompt_tokens").asLong(), u.path("completion_tokens").asLong(),
                u.path("total_tokens").asLong(), u.path("cached_tokens").asLong(),
                u.path("completion_tokens_details").path("reasoning_tokens").asLong());
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        return new AbstractChatStream("mini") {
            private BufferedReader lines;

            @Override
            protected ChatDelta fetch() {
                if (lines == null) {
                    // The port wants failures, HTTP errors included, while reading, not from stream().
                    lines = new BufferedReader(new InputStreamReader(send(request, true).body(), StandardCharsets.UTF_8));
                }
                try {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (!line.startsWith("data:")) {
                            continue;
                        }
                        String data = line.substring(5).strip();
                        if (data.equals("[DONE]")) {
                            return null;
                        }
                        JsonNode chunk = JSON.readTree(data);
                        if (chunk.has("error")) {
                            throw new ProviderUnavailableException("mini: " + chunk.path("error").path("message").asString()
                                    .replace(key, "****"), "mini", -1, null, null, null);
                        }
                        reportModel(chunk.path("model").asString(null));
                        JsonNode choice = chunk.path("choices").path(0);
                        reportUsage(usage(chunk.has("usage") ? chunk.get("usage") : choice.get("usage")));
                        if (choice.path("finish_reason").isString()) {
                            reportFinishReason(FinishReason.STOP);
                        }
                        String reasoning = choice.path("delta").path("reasoning_content").asString("");
                        if (!reasoning.isEmpty()) {
                            return ChatDelta.reasoning(reasoning);
                        }
                        String content = choice.path("delta").path("content").asString("");
                        if (!content.isEmpty()) {
                            return ChatDelta.text(content);
                        }
                    }
                    throw new ProviderUnavailableException("mini: stream ended before [DONE]", "mini", -1, null, null, null);
                } catch (IOException e) {
                    throw new ProviderUnavailableException("mini: " + e, "mini", -1, null, null, null);
                }
            }

            @Override
            protected void abort() {
                try {
                    if (lines != null) {
                        lines.close();
                    }
                } catch (IOException ignored) {
                    // closing is best effort
                }
            }
        };
    }

    @Override
    public String toString() {
        return "MiniProvider{" + endpoint + "}";
    }
}
