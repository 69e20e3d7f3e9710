package dev.alfred.llm.kimi;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.LlmProviders;
import dev.alfred.llm.ProviderEndpoint;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.testkit.CapturedLogs;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the Kimi preset says of itself, how discovery configures it, and its options' small surface. */
class KimiSurfaceTest {

    private static final String KEY = "sk-kimi-surface-0123456789abcdef";

    @Test
    void thePresetNamesItsServerModelAndCapabilitiesWithoutItsKey() {
        try (KimiProvider k = KimiProvider.builder().apiKey(KEY).build()) {
            assertEquals("kimi", k.id());
            assertEquals(KimiProvider.DEFAULT_MODEL, k.model());
            assertEquals(KimiProvider.OPEN_PLATFORM_URL, k.baseUrl());
            assertEquals(new ProviderEndpoint(KimiProvider.OPEN_PLATFORM_URL, KimiProvider.DEFAULT_MODEL, "kimi"), k.endpoint());
            assertEquals(KimiDialect.CAPABILITIES, k.capabilities());
            assertTrue(k.capabilities().supports(Capabilities.Feature.BUILTIN_TOOLS));
            assertEquals("KimiProvider{baseUrl=https://api.moonshot.ai/v1, model=kimi-k3, apiKey=****}", k.toString());
        }
    }

    @Test
    void theCodingPlanEndpointIsWarnedAboutAndNoOtherIs() {
        CapturedLogs.clear();
        KimiProvider.builder().apiKey(KEY).baseUrl(KimiProvider.OPEN_PLATFORM_CHINA_URL).build().close();
        assertFalse(warned(), "the Open Platform is no Coding Plan");
        KimiProvider.builder().apiKey(KEY).baseUrl(URI.create("https://API.KIMI.COM/coding/v1")).build().close();
        assertTrue(warned(), "the Coding Plan host, in any case");
    }

    private static boolean warned() {
        return CapturedLogs.lines().stream().anyMatch(l -> l.level().equals("WARN")
                && l.message().contains("is the Kimi Coding Plan endpoint"));
    }

    @Test
    void discoveryReadsTheSharedSettingsUnderKimiAndTheKeyUnderEitherName() {
        KimiProviderFactory f = new KimiProviderFactory();
        assertEquals(Set.of("kimi.", "moonshot."), f.settingPrefixes());
        ProviderConfig config = ProviderConfig.builder().secret("moonshot.api.key", KEY)
                .set("kimi.base.url", "https://api.moonshot.cn/v1").set("kimi.model", "kimi-k2.6").build();
        try (LlmProvider p = LlmProviders.create("kimi", config)) {
            assertEquals(URI.create("https://api.moonshot.cn/v1"), p.endpoint().baseUrl());
            assertEquals("kimi-k2.6", p.endpoint().defaultModel());
        }
    }

    @Test
    void optionsNameTheirProviderAndChangeOneSettingAtATime() {
        KimiOptions o = KimiOptions.partialMode().withThinking(false);
        assertEquals(new KimiOptions(false, true), o);
        assertNull(o.withThinking(null).thinking());
        assertEquals("kimi", o.providerId());
        assertEquals(new KimiOptions(true, false), KimiOptions.thinking(true).withPartial(false));
    }
}
