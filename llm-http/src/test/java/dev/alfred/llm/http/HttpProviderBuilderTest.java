package dev.alfred.llm.http;

import dev.alfred.llm.ResponseLimits;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.http.error.ErrorRules;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The settings every provider on llm-http shares are checked all at once, each wrong one named. */
class HttpProviderBuilderTest {

    private static final URI LOCAL = URI.create("http://localhost:8080/");
    private static final URI REMOTE = URI.create("https://api.example.com/");

    private static ScriptedProvider.Builder builder() {
        return ScriptedProvider.builder("builder-test").baseUrl(LOCAL);
    }

    /**
     * The message of the check that refuses the builder after the given change: checkSettings itself
     * refuses it (the provider made afterwards would refuse some settings again, with the same words).
     */
    private static String refused(UnaryOperator<ScriptedProvider.Builder> change) {
        return assertThrows(IllegalArgumentException.class, () -> change.apply(builder()).check()).getMessage();
    }

    @Test
    void everySetterReturnsTheBuilderAndACheckedBuilderKeepsItsSettings() {
        Executor direct = Runnable::run;
        ScriptedProvider.Builder b = builder().apiKey("  sk-builder-0123456789  ").baseUrl(REMOTE).model("m-2")
                .connectTimeout(Duration.ofSeconds(1)).headersTimeout(Duration.ofSeconds(2)).idleTimeout(Duration.ofSeconds(3))
                .totalTimeout(Duration.ofSeconds(4)).maxLineBytes(100).httpClient(null).executor(direct)
                .clock(Clock.systemUTC()).watchdog(Watchdog.manual(new AtomicLong()::get)).allowInsecureHttp(false)
                .maxTextChars(10).maxBodyBytes(20).maxToolCalls(30).maxToolArgumentChars(40).header("X-Org", "o-1");
        try (ScriptedProvider p = b.build()) {
            assertEquals("builder-test", p.id());
        }
        assertEquals("sk-builder-0123456789 " + REMOTE + " m-2 100 {X-Org=o-1}", b.checked(), "the key is stripped");
        assertEquals(new ResponseLimits(10, 30, 40, 20), b.limits());
        ExchangeSettings s = b.exchangeSettings("builder-test", "x-request-id", dev.alfred.llm.http.error.ErrorRules.STANDARD);
        assertEquals(Duration.ofSeconds(1), s.connectTimeout());
        assertEquals(Duration.ofSeconds(2), s.headersTimeout());
        assertEquals(Duration.ofSeconds(3), s.idleTimeout());
        assertEquals(Duration.ofSeconds(4), s.totalTimeout());
    }

    @Test
    void copyToHandsEverySettingOn() {
        ScriptedProvider.Builder b = builder().apiKey("sk-copied-0123456789").model("m-3").maxLineBytes(77)
                .totalTimeout(Duration.ofSeconds(9)).maxBodyBytes(99).header("X-Org", "o-2")
                .bodyField("service_tier", "\"flex\"").bodyField("n", "2");
        ScriptedProvider.Builder copy = b.copy("copy");
        copy.build().close();
        b.build().close();
        assertEquals(b.checked(), copy.checked());
        assertEquals(b.limits(), copy.limits());
        assertEquals(Duration.ofSeconds(9), copy.exchangeSettings("copy", "x", dev.alfred.llm.http.error.ErrorRules.STANDARD).totalTimeout());
        assertEquals(Map.of("service_tier", "\"flex\"", "n", "2"), copy.bodyFields());
    }

    @Test
    void aConfigurationSetsEachSharedSettingUnderItsOwnName() {
        ProviderConfig config = ProviderConfig.builder()
                .set("s.base.url", " https://gw.example.com/v2 ")
                .set("s.connect.timeout", "3s")
                .set("s.headers.timeout", "4s")
                .set("s.idle.timeout", "5s")
                .set("s.total.timeout", "6s")
                .set("s.max.text.chars", "7")
                .set("s.max.tool.calls", "8")
                .set("s.max.tool.argument.chars", "9")
                .set("s.max.body.bytes", "10")
                .secret("s.api.key", "sk-configured-0123456789")
                .build();
        ScriptedProvider.Builder b = builder().configure(config, "s.");
        b.check();
        ExchangeSettings s = b.exchangeSettings("s", "x-request-id", ErrorRules.STANDARD);
        assertEquals(Duration.ofSeconds(3), s.connectTimeout());
        assertEquals(Duration.ofSeconds(4), s.headersTimeout());
        assertEquals(Duration.ofSeconds(5), s.idleTimeout());
        assertEquals(Duration.ofSeconds(6), s.totalTimeout());
        assertEquals(new ResponseLimits(7, 8, 9, 10), b.limits());
        assertEquals("sk-configured-0123456789 https://gw.example.com/v2 script-1 1048576 {}", b.checked());
        ScriptedProvider.Builder untouched = builder().configure(ProviderConfig.builder().build(), "s.");
        assertEquals(ResponseLimits.DEFAULT, untouched.limits(), "settings left out keep their values");
    }

    @Test
    void aBaseUrlGivenAsTextIsStrippedAndMustBeThere() {
        assertEquals("sk-x https://api.example.com/v3 script-1 1048576 {}",
                checked(builder().apiKey("sk-x").baseUrl("\thttps://api.example.com/v3 ")));
        assertEquals("baseUrl", assertThrows(NullPointerException.class, () -> builder().baseUrl((String) null)).getMessage());
    }

    @Test
    void onlyALoopbackServerOrAllowedPlainHttpMayGoWithoutAKey() {
        String missing = "apiKey is missing: call apiKey(...) (only a server on this machine, or one on plain http you allowed,"
                + " may go without one)";
        assertEquals(missing, refused(b -> b.baseUrl(REMOTE).allowInsecureHttp(true)),
                "allowing plain http does not make an https server local");
        assertEquals("null http://10.0.0.5:8000/ script-1 1048576 {}",
                checked(builder().baseUrl(URI.create("http://10.0.0.5:8000/")).allowInsecureHttp(true)));
        assertEquals("null https://127.0.0.1:8443/ script-1 1048576 {}", checked(builder().baseUrl(URI.create("https://127.0.0.1:8443/"))));
    }

    private static String checked(ScriptedProvider.Builder b) {
        b.check();
        return b.checked();
    }

    @Test
    void theKeyIsRequiredOffLoopbackAndMustBePrintableAscii() {
        assertEquals("apiKey is missing: call apiKey(...) (only a server on this machine, or one on plain http you allowed, may go without one)",
                refused(b -> b.baseUrl(REMOTE)));
        assertEquals("apiKey is missing: call apiKey(...) (only a server on this machine, or one on plain http you allowed, may go without one)",
                refused(b -> b.baseUrl(REMOTE).apiKey(" \t ")), "a blank key is no key");
        ScriptedProvider.Builder local = builder().apiKey("   ");
        local.build().close();
        assertEquals("null " + LOCAL + " script-1 1048576 {}", local.checked(), "a loopback server may go without one");
        for (String bad : new String[] {"sk-a b", "sk-\u007f", "sk-é", "sk-\u0000"}) {
            assertEquals("apiKey contains whitespace or non-ASCII characters", refused(b -> b.apiKey(bad)), bad);
        }
        ScriptedProvider.Builder edges = builder().apiKey("!sk-key~");
        edges.build().close();
        assertEquals("!sk-key~", edges.checked().split(" ")[0], "'!' and '~' are the first and last printable characters");
    }

    @Test
    void plainHttpToARemoteHostNeedsConsent() {
        URI lan = URI.create("http://10.0.0.5:8000/");
        assertEquals("baseUrl (script.base-url) is plain http to 10.0.0.5, not this machine: requests (and an API key, if one"
                + " is set) would cross the network in clear; use https, or allow insecure http to accept that", refused(b -> b.baseUrl(lan).apiKey("sk-x")));
        builder().baseUrl(lan).apiKey("sk-x").allowInsecureHttp(true).build().close();
    }

    @Test
    void theModelMustBeNamed() {
        assertEquals("model is missing: call model(...)", refused(b -> b.model(null)));
        assertEquals("model must not be blank", refused(b -> b.model(" ")));
    }

    @Test
    void everyDurationAndBoundMustBePositive() {
        assertEquals("connectTimeout must be a positive duration, was PT0S", refused(b -> b.connectTimeout(Duration.ZERO)));
        assertEquals("headersTimeout must be a positive duration, was PT0S", refused(b -> b.headersTimeout(Duration.ZERO)));
        assertEquals("idleTimeout must be a positive duration, was PT0S", refused(b -> b.idleTimeout(Duration.ZERO)));
        assertEquals("totalTimeout must be a positive duration, was PT0S", refused(b -> b.totalTimeout(Duration.ZERO)));
        assertEquals("maxTextChars must be positive, was 0", refused(b -> b.maxTextChars(0)));
        assertEquals("maxToolCalls must be positive, was 0", refused(b -> b.maxToolCalls(0)));
        assertEquals("maxToolArgumentChars must be positive, was 0", refused(b -> b.maxToolArgumentChars(0)));
        assertEquals("maxBodyBytes must be positive, was 0", refused(b -> b.maxBodyBytes(0)));
        assertEquals("maxLineBytes must be positive, was 0", refused(b -> b.maxLineBytes(0)));
        builder().maxTextChars(1).maxToolCalls(1).maxToolArgumentChars(1).maxBodyBytes(1).maxLineBytes(1).build().close();
    }

    @Test
    void headersCannotReplaceTheProvidersOwn() {
        assertEquals("header 'X-Key' is set by the provider and cannot be replaced",
                assertThrows(IllegalArgumentException.class, () -> builder().header("X-Key", "v")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder().header(" ", "v"));
        assertThrows(IllegalArgumentException.class, () -> builder().header(null, "v"));
        assertThrows(IllegalArgumentException.class, () -> builder().header("X-Org", null));
    }

    @Test
    void aCallersClientIsUsedAsItIs() {
        HttpClient theirs = HttpClient.newHttpClient();
        try (ScriptedProvider p = builder().httpClient(theirs).build()) {
            assertEquals(0, p.liveExchanges());
        }
    }
}
