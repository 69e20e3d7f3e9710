package dev.alfred.llm;

import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.config.ProviderRegistry;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProviderConfigTest {

    private static final String KEY = "sk-test-0123456789abcdef";

    @Test
    void environmentVariablesAndPropertiesNameTheSameSettingsAndPropertiesWin() {
        Properties props = new Properties();
        props.setProperty("kimi.model", "kimi-k3");
        ProviderConfig c = ProviderConfig.from(
                Map.of("KIMI_API_KEY", KEY, "KIMI_MODEL", "kimi-k2.6", "RETRY_MAX_ATTEMPTS", "5"), props);
        assertEquals(Optional.of(KEY), c.get("kimi.api-key"));
        assertEquals(Optional.of(KEY), c.get("KIMI_API_KEY"));
        assertEquals(Optional.of("kimi-k3"), c.get("kimi.model"));
        assertEquals(Optional.of(5), c.getInt("retry.max-attempts"));
    }

    @Test
    void fromEnvironmentReadsSystemProperties() {
        System.setProperty("alfred.test.setting", "on");
        try {
            assertEquals(Optional.of(true), ProviderConfig.fromEnvironment().getBoolean("ALFRED_TEST_SETTING"));
        } finally {
            System.clearProperty("alfred.test.setting");
        }
    }

    @Test
    void toStringRedactsSecretsByNameByMarkAndByLook() {
        ProviderConfig c = ProviderConfig.builder()
                .set("KIMI_API_KEY", KEY)
                .set("other.token", "t0ken-value")
                .secret("kimi.org", "org-private")
                .set("proxy.header", "Bearer abc.def")
                .set("kimi.base-url", "https://api.moonshot.ai/v1")
                .set("llm.max-tokens", "100")
                .build();
        String s = c.toString();
        assertFalse(s.contains(KEY) || s.contains("t0ken-value") || s.contains("org-private") || s.contains("abc.def"), s);
        assertTrue(s.contains("kimi.api.key=****"), s);
        assertTrue(s.contains("kimi.base.url=https://api.moonshot.ai/v1"), s);
        assertTrue(s.contains("llm.max.tokens=100"), "max tokens is not a secret: " + s);
    }

    @Test
    void aKeyInsideAUrlIsMaskedWhereverTheConfigurationPrintsIt() {
        ProviderConfig c = ProviderConfig.builder()
                .set("KIMI_API_KEY", KEY)
                .set("kimi.base.url", "https://gw.example/v1?api_key=" + KEY)
                .set("kimi.proxy.url", "https://gw.example/v1?Token=abc123def&x=1")
                .set("kimi.mirror.url", "https://user:hunter2@gw.example/v1?sig=s1gn4tur3")
                .set("llm.max-tokens", "https://h/?key=" + KEY.substring(2, 12))
                .build();
        String s = c.toString();
        for (int i = 0; i + 8 <= KEY.length(); i++) {
            assertFalse(s.contains(KEY.substring(i, i + 8)), "a run of the key leaked: " + s);
        }
        assertFalse(s.contains("abc123def") || s.contains("hunter2") || s.contains("s1gn4tur3"), s);
        assertTrue(s.contains("kimi.base.url=https://gw.example/v1?api_key=****"), s);
        assertTrue(s.contains("kimi.proxy.url=https://gw.example/v1?Token=****&x=1"), s);
        assertTrue(s.contains("kimi.mirror.url=https://user:****@gw.example/v1?sig=****"), s);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.getInt("llm.max-tokens"));
        assertFalse(e.getMessage().contains(KEY.substring(2, 10)), e.getMessage());
    }

    @Test
    void toStringShowsOnlyTheSettingsTheLibraryReadsAndCountsTheRest() {
        Properties props = new Properties();
        props.setProperty("db.password", "props-secret-1");
        ProviderConfig c = ProviderConfig.from(Map.of(
                "DATABASE_URL", "postgres://app:hunter2@db/prod",
                "GITHUB_PAT", "ghp_abcdefghijklmnopqrstuvwxyz012345",
                "PGPASSWORD", "pg-secret-2",
                "SENTRY_DSN", "https://token123@sentry.example/1",
                "JAVA_TOOL_OPTIONS", "-Dspring.datasource.password=jvm-secret-3",
                "KIMI_API_KEY", KEY,
                "KIMI_MODEL", "kimi-k3",
                "KIMI_BASE_URL", "https://user:url-secret-4@gateway.example/v1",
                "RETRY_BUDGET", "50",
                "ACMEX_REGION", "eu"), props);
        String s = c.toString();
        for (String secret : new String[] {"hunter2", "ghp_", "pg-secret-2", "token123", "jvm-secret-3", KEY,
                "url-secret-4", "props-secret-1", "DATABASE", "database"}) {
            assertFalse(s.contains(secret), () -> secret + " shown: " + s);
        }
        assertTrue(s.contains("kimi.model=kimi-k3") && s.contains("retry.budget=50") && s.contains("kimi.api.key=****"), s);
        assertTrue(s.contains("kimi.base.url=https://user:****@gateway.example/v1"), s);
        assertTrue(s.contains("(7 other settings not shown)"), s);

        ProviderRegistry.of(new dev.alfred.llm.spi.LlmProviderFactory() {
            @Override
            public String id() {
                return "acmex";
            }

            @Override
            public LlmProvider create(ProviderConfig config) {
                throw new UnsupportedOperationException();
            }
        });
        String declared = c.toString();
        assertTrue(declared.contains("acmex.region=eu") && declared.contains("(6 other settings not shown)"),
                "a registered factory's settings are shown: " + declared);
    }

    @Test
    void typedGettersNameTheKeyAndNeverShowASecretValue() {
        ProviderConfig c = ProviderConfig.builder().set("retry.max-attempts", "three").set("kimi.api.key", KEY).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.getInt("RETRY_MAX_ATTEMPTS"));
        assertEquals("setting 'retry.max.attempts' must be an integer, was 'three'", e.getMessage());
        IllegalArgumentException secret = assertThrows(IllegalArgumentException.class, () -> c.getInt("kimi.api.key"));
        assertFalse(secret.getMessage().contains(KEY), secret.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> c.require("kimi.model"));
        assertEquals("missing required setting 'kimi.model' (environment variable KIMI_MODEL)", missing.getMessage());
    }

    @Test
    void durationsBooleansNumbersAndUris() {
        ProviderConfig c = ProviderConfig.builder()
                .set("a", "250ms").set("b", "30s").set("c", "5m").set("d", "1h").set("e", "PT2S")
                .set("t", "YES").set("f", "off").set("x", "0.5").set("u", "https://h.example/v1").set("blank", "  ")
                .build();
        assertEquals(Optional.of(Duration.ofMillis(250)), c.getDuration("a"));
        assertEquals(Optional.of(Duration.ofSeconds(30)), c.getDuration("b"));
        assertEquals(Optional.of(Duration.ofMinutes(5)), c.getDuration("c"));
        assertEquals(Optional.of(Duration.ofHours(1)), c.getDuration("d"));
        assertEquals(Optional.of(Duration.ofSeconds(2)), c.getDuration("e"));
        assertEquals(Optional.of(true), c.getBoolean("t"));
        assertEquals(Optional.of(false), c.getBoolean("f"));
        assertEquals(Optional.of(0.5), c.getDouble("x"));
        assertEquals(Optional.of(URI.create("https://h.example/v1")), c.getUri("u"));
        assertEquals(Optional.empty(), c.get("blank"), "blank counts as unset");
        for (String bad : new String[] {"30", "-1s", "soon", "P-1D"}) {
            ProviderConfig b = ProviderConfig.builder().set("d", bad).build();
            assertThrows(IllegalArgumentException.class, () -> b.getDuration("d"), bad);
        }
        for (String bad : new String[] {"ftp://h/x", "not a uri", "/relative"}) {
            ProviderConfig b = ProviderConfig.builder().set("u", bad).build();
            assertThrows(IllegalArgumentException.class, () -> b.getUri("u"), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> ProviderConfig.builder().set("x", "NaN").build().getDouble("x"));
        assertThrows(IllegalArgumentException.class, () -> ProviderConfig.builder().set("x", "maybe").build().getBoolean("x"));
    }

    @Test
    void immutableWithOverridesAndEquality() {
        ProviderConfig base = ProviderConfig.of(Map.of("kimi.model", "a", "kimi.base.url", "https://x.example"));
        ProviderConfig over = base.withOverrides(ProviderConfig.of(Map.of("KIMI_MODEL", "b")));
        assertEquals(Optional.of("a"), base.get("kimi.model"));
        assertEquals(Optional.of("b"), over.get("kimi.model"));
        assertEquals(Optional.of("https://x.example"), over.get("kimi.base.url"));
        assertEquals(base, ProviderConfig.of(Map.of("KIMI_MODEL", "a", "KIMI_BASE_URL", "https://x.example")));
        assertEquals(Optional.of("b"), base.toBuilder().set("kimi.model", "b").build().get("kimi.model"));
        assertEquals(Optional.of("a"), base.getFirst("nope", "kimi.model"));
        assertThrows(UnsupportedOperationException.class, () -> base.keys().add("x"));
        assertThrows(IllegalArgumentException.class, () -> ProviderConfig.builder().set(" ", "x"));
        assertThrows(IllegalArgumentException.class, () -> ProviderConfig.builder().set("k", null));
    }
}
