package dev.alfred.llm.anthropic.internal.wire;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;

/**
 * The answer of {@code POST /v1/messages/count_tokens} (the SDK's {@code MessageTokensCount}):
 * {@code {"input_tokens": N}}; other fields (a beta's {@code context_management}) are skipped. Stateless.
 */
public final class TokenCountBody {

    private TokenCountBody() {
    }

    /**
     * Reads the count.
     *
     * @param body the response body
     * @return {@code input_tokens}
     * @throws IllegalArgumentException when the body is not an object with a non-negative integer
     *                                  {@code input_tokens}
     * @throws tools.jackson.core.JacksonException when it is not JSON
     */
    public static long inputTokens(byte[] body) {
        long tokens = -1;
        try (JsonParser p = RawJson.JSON.createParser(ObjectReadContext.empty(), body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a token count is a JSON object");
            }
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                if (name.equals("input_tokens") && t == JsonToken.VALUE_NUMBER_INT) {
                    tokens = p.getLongValue();
                } else {
                    p.skipChildren();
                }
            }
        }
        if (tokens < 0) {
            throw new IllegalArgumentException("no input_tokens in the token count");
        }
        return tokens;
    }
}
