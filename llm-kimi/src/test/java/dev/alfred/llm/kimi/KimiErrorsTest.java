package dev.alfred.llm.kimi;

import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.QuotaExceededException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.http.error.ErrorMapper;
import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kimi's own reading of its errors, on top of the standard table (kimi-api.md §5). */
class KimiErrorsTest {

    private final ErrorMapper mapper = new ErrorMapper("kimi", "sk-kimi-errors-0123456789", Clock.systemUTC(),
            KimiDialect.DIALECT.requestIdHeader(), KimiDialect.DIALECT.errorRules());

    private LlmException response(int status, String type, String message) {
        byte[] b = ("{\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}").getBytes(StandardCharsets.UTF_8);
        return mapper.fromResponse(status, HttpHeaders.of(Map.of("x-trace-id", java.util.List.of("tr-1")), (a, c) -> true),
                b, b.length);
    }

    @Test
    void theCodingPlanRefusalAndItsUsageLimitAreToldApart() {
        LlmException refused = response(403, "access_terminated_error", "not an approved agent");
        assertInstanceOf(AuthenticationException.class, refused);
        assertTrue(refused.getMessage().endsWith(KimiDialect.CODING_PLAN_HINT), refused.getMessage());
        assertTrue(refused.getMessage().contains("(x-trace-id tr-1)"), refused.getMessage());
        assertInstanceOf(QuotaExceededException.class, response(403, "access_terminated_error", "Usage Limit reached"));
        assertInstanceOf(AuthenticationException.class, response(403, "permission_denied_error", "no"));
    }

    @Test
    void aSuspendedAccountAndAnExceededQuotaAreQuotaNotRateLimits() {
        assertInstanceOf(QuotaExceededException.class, response(429, "rate_limit_reached_error", "account suspended"));
        assertInstanceOf(QuotaExceededException.class, response(429, "exceeded_current_quota_error", "pay"));
        LlmException limited = response(429, "rate_limit_reached_error", "slow down");
        assertInstanceOf(RateLimitException.class, limited);
        assertEquals(true, limited.isRetryable());
    }

    @Test
    void anInactiveAccountsQuotaErrorComesAs403AndIsStillAQuota() {
        // MoonshotAI/Kimi-K2#5: exceeded_current_quota_error with 403 for an inactive account
        assertInstanceOf(QuotaExceededException.class, response(403, "exceeded_current_quota_error", "inactive"));
        assertInstanceOf(QuotaExceededException.class, response(403, "permission_denied_error", "organization suspended"));
        assertInstanceOf(AuthenticationException.class, response(401, "exceeded_current_quota_error", "x"),
                "only a 403 or a 429 is read as a quota");
        LlmException quota = response(429, "exceeded_current_quota_error", "pay");
        assertEquals(false, quota.isRetryable(), "a quota is never retried");
    }
}
