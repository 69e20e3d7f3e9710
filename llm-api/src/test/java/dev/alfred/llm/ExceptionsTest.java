package dev.alfred.llm;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExceptionsTest {

    @Test
    void retryableFlagsFollowTheKind() {
        assertTrue(new RateLimitException("m", "kimi", 429, "rate_limit_reached_error", null, null).isRetryable());
        assertTrue(new ProviderUnavailableException("m", "kimi", 503, null, null, null).isRetryable());
        assertFalse(new AuthenticationException("m", "kimi", 401, null, null).isRetryable());
        assertFalse(new InvalidRequestException("m", "kimi", 400, null, null).isRetryable());
        assertFalse(new QuotaExceededException("m", "kimi", 429, null, null).isRetryable());
        assertFalse(new ProviderNotFoundException("x", Set.of()).isRetryable());
    }

    @Test
    void detailsAreExposedWhenKnownAndEmptyWhenNot() {
        RateLimitException e = new RateLimitException("slow down", "kimi", 429, "engine_overloaded_error",
                Duration.ofSeconds(2), null);
        assertEquals(Optional.of("kimi"), e.providerId());
        assertEquals(OptionalInt.of(429), e.httpStatus());
        assertEquals(Optional.of("engine_overloaded_error"), e.errorType());
        assertEquals(Optional.of(Duration.ofSeconds(2)), e.retryAfter());
        LlmException bare = new LlmException("x", null);
        assertEquals(OptionalInt.empty(), bare.httpStatus());
        assertEquals(Optional.empty(), bare.errorType());
        assertEquals(Optional.empty(), bare.retryAfter());
        assertEquals(Optional.empty(), new RateLimitException("m", null, 0, null, Duration.ofSeconds(-1), null).retryAfter());
    }

    @Test
    void streamInterruptedKeepsThePartialOutputAndTheCause() {
        ProviderUnavailableException cause = new ProviderUnavailableException("stream ended before [DONE]", "kimi", 200,
                null, null, null);
        StreamInterruptedException e = new StreamInterruptedException(new ChatResponse("Hello, wor", "thinking", "",
                List.of(new ToolCall("c1", "f", "{\"a\":", ToolCall.Status.TRUNCATED)), List.of(), List.of(), null, null,
                null, null, null, ProviderState.NONE, java.util.Map.of(), List.of()), cause);
        assertEquals(ToolCall.Status.TRUNCATED, e.partialResponse().toolCalls().get(0).status());
        assertTrue(e.getMessage().contains("1 tool calls"), e.getMessage());
        assertEquals("Hello, wor", e.partialContent());
        assertEquals("thinking", e.partialReasoning());
        assertSame(cause, e.getCause());
        assertFalse(e.isRetryable(), "cannot be resumed in place");
        assertEquals(Optional.of("kimi"), e.providerId());
        assertTrue(e.getMessage().contains("stream ended before [DONE]"), e.getMessage());
    }
}
