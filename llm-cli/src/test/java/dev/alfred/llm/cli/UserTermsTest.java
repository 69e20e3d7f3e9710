package dev.alfred.llm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The library's words turned into the command's: options and environment variables, never builder calls. */
class UserTermsTest {

    @Test
    void aMissingKeyNamesTheVariableAndWhenNoneIsNeeded() {
        assertEquals("no API key for anthropic: set ANTHROPIC_API_KEY; only a server on this machine, or one on plain"
                + " http allowed with --allow-insecure-http, goes without one", UserTerms.reword("apiKey is missing: set"
                + " ANTHROPIC_API_KEY, or call apiKey(...) (only a server on this machine, or one on plain http you"
                + " allowed, may go without one)", "anthropic", null));
        assertEquals("no API key for kimi: set KIMI_API_KEY (or MOONSHOT_API_KEY)", UserTerms.reword(
                "no Kimi API key: set KIMI_API_KEY (or MOONSHOT_API_KEY), or the setting kimi.api.key", "kimi", null));
    }

    @Test
    void plainHttpNamesTheOptionOrTheVariableThatGaveTheUrl() {
        String library = "baseUrl (openai.base.url, OPENAI_BASE_URL; openai.allow.insecure.http=true,"
                + " OPENAI_ALLOW_INSECURE_HTTP, accepts it) is plain http to 192.0.2.7, not this machine: requests"
                + " (and an API key, if one is set) would cross the network in clear; use https, or allow insecure"
                + " http to accept that";
        String tail = " is plain http to a host that is not this machine: requests (and the API key, if one is set)"
                + " would cross the network in clear; use https, or pass --allow-insecure-http (or set"
                + " OPENAI_ALLOW_INSECURE_HTTP=true) to accept that";
        assertEquals("--base-url http://192.0.2.7/v1" + tail, UserTerms.reword(library, "openai", "http://192.0.2.7/v1"));
        assertEquals("OPENAI_BASE_URL" + tail, UserTerms.reword(library, "openai", null));
    }

    @Test
    void settingsAreNamedAsTheUserSetsThem() {
        assertEquals("no model: the vllm dialect has no default model: set OPENAI_MODEL, or pass --model NAME",
                UserTerms.reword("model is missing: the vllm dialect has no default model: set OPENAI_MODEL, or call"
                        + " model(...)", "openai", null));
        assertEquals("RETRY_MAX_RETRY_AFTER must be a non-negative duration, was 'x'", UserTerms.reword(
                "setting 'retry.max.retry.after' must be a non-negative duration, was 'x'", "kimi", null));
        assertEquals("--base-url must be an absolute http or https URI, was 'x' and KIMI_MODEL too",
                UserTerms.reword("setting 'kimi.base.url' must be an absolute http or https URI, was 'x' and setting"
                        + " 'kimi.model' too", "kimi", "x"));
        assertEquals("", UserTerms.reword(null, "kimi", null));
        assertEquals("no prompt: give one", UserTerms.reword("no prompt: give one", "kimi", null));
    }

    @ParameterizedTest
    @CsvSource({"PT0.3S, 300 ms", "PT0.999S, 999 ms", "PT1S, 1 s", "PT119S, 119 s", "PT2M, 2 min", "PT119M, 119 min",
        "PT2H, 2 h", "PT1H, 60 min"})
    void durationsAreSaidAsAPersonReadsThem(String iso, String said) {
        assertEquals(said, AlfredChat.human(Duration.parse(iso)));
    }
}
