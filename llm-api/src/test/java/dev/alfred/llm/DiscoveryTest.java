package dev.alfred.llm;

import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.config.ProviderRegistry;

import dev.alfred.llm.fixtures.CountingListener;
import dev.alfred.llm.fixtures.EchoProvider;
import dev.alfred.llm.fixtures.EchoProviderFactory;
import dev.alfred.llm.fixtures.ParrotProviderFactory;
import dev.alfred.llm.fixtures.TaggingDecorator;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discovery through the real ServiceLoader: registrations live under src/test/resources. */
class DiscoveryTest {

    /** A class loader that adds one registration folder under src/test/resources/discovery. */
    private static ClassLoader withRegistrations(String folder) {
        URL url = DiscoveryTest.class.getClassLoader().getResource("discovery/" + folder + "/");
        return new URLClassLoader(new URL[] {url}, DiscoveryTest.class.getClassLoader());
    }

    @Test
    void discoveryStopsAfterAHundredFailures() {
        ProviderRegistry registry = LlmProviders.registry(withRegistrations("hostile"));
        assertEquals(100, registry.loadFailures().size(), "a class path that fails without end is not read to its end");
    }

    @Test
    void withoutAContextClassLoaderTheLibrarysOwnIsScanned() {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(null);
        try {
            assertTrue(LlmProviders.registry().ids().contains("echo"));
        } finally {
            t.setContextClassLoader(before);
        }
    }

    @Test
    void zeroFactoriesGiveNotFoundSayingNoneWasFound() {
        ClassLoader empty = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader());
        ProviderRegistry registry = LlmProviders.registry(empty);
        assertEquals(Set.of(), registry.ids());
        ProviderNotFoundException e = assertThrows(ProviderNotFoundException.class,
                () -> registry.create("kimi", ProviderConfig.empty()));
        assertTrue(e.getMessage().contains("'kimi'") && e.getMessage().contains("found: none"), e.getMessage());
        assertEquals(List.of(), e.availableIds());
        assertEquals("kimi", e.requestedId());
    }

    @Test
    void oneFactoryOnTheClassPathIsFoundAndCreatesItsProvider() {
        ProviderConfig config = ProviderConfig.builder().set("echo.greeting", "hi").build();
        try (LlmProvider provider = LlmProviders.create("echo", config)) {
            EchoProvider echo = assertInstanceOf(EchoProvider.class, provider);
            assertSame(config, echo.config);
            assertEquals("a b", provider.chat(ChatRequest.of("a b")).content());
        }
        assertEquals(Set.of("echo"), LlmProviders.ids());
    }

    @Test
    void providerIdCanComeFromConfiguration() {
        ProviderConfig config = ProviderConfig.of(java.util.Map.of("LLM_PROVIDER", "echo"));
        assertInstanceOf(EchoProvider.class, LlmProviders.create(config));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LlmProviders.create(ProviderConfig.empty()));
        assertTrue(e.getMessage().contains("LLM_PROVIDER"), e.getMessage());
    }

    @Test
    void twoFactoriesAreChosenByIdNotByOrder() {
        ProviderRegistry registry = LlmProviders.registry(withRegistrations("two"));
        assertEquals(List.of("echo", "parrot"), List.copyOf(registry.ids()));
        assertInstanceOf(ParrotProviderFactory.class, registry.factory("parrot"));
        assertInstanceOf(EchoProviderFactory.class, registry.factory("echo"));
        ProviderNotFoundException e = assertThrows(ProviderNotFoundException.class,
                () -> registry.create("kimi", ProviderConfig.empty()));
        assertTrue(e.getMessage().endsWith("found: echo, parrot"), e.getMessage());
    }

    @Test
    void twoFactoriesWithOneIdFailFastNamingBoth() {
        LlmException e = assertThrows(LlmException.class, () -> LlmProviders.registry(withRegistrations("duplicate")));
        assertTrue(e.getMessage().contains("'echo'") && e.getMessage().contains("EchoProviderFactory")
                && e.getMessage().contains("OtherEchoProviderFactory"), e.getMessage());
    }

    @Test
    void brokenFactoriesAreSkippedAndAttachedToALaterNotFound() {
        ProviderRegistry registry = LlmProviders.registry(withRegistrations("broken"));
        assertEquals(Set.of("echo", "parrot"), registry.ids(), "the healthy factories still load");
        assertEquals(2, registry.loadFailures().size(), registry.loadFailures().toString());
        String failures = registry.loadFailures().toString();
        assertTrue(failures.contains("BrokenProviderFactory") && failures.contains("NoSuchProviderFactory"), failures);
        ProviderNotFoundException e = assertThrows(ProviderNotFoundException.class,
                () -> registry.create("broken", ProviderConfig.empty()));
        assertEquals(2, e.getSuppressed().length);
        assertInstanceOf(ServiceConfigurationError.class, e.getSuppressed()[0]);
    }

    @Test
    void explicitListNeedsNoClassPathScanning() {
        ProviderRegistry registry = ProviderRegistry.of(new ParrotProviderFactory());
        assertEquals(Set.of("parrot"), registry.ids());
        assertThrows(LlmException.class, () -> ProviderRegistry.of(new EchoProviderFactory(), new EchoProviderFactory()));
    }

    @Test
    void discoveredDecoratorsWrapCreatedProvidersAndCanBeTurnedOff() {
        ProviderRegistry registry = LlmProviders.registry(withRegistrations("decorated"));
        assertEquals(List.of("tag"), registry.decorators().stream().map(d -> d.id()).toList());
        LlmProvider decorated = registry.create("echo", ProviderConfig.empty());
        assertEquals("echo+tag", decorated.id());
        LlmProvider plain = registry.create("echo", ProviderConfig.builder().set("TAG_ENABLED", "false").build());
        assertEquals("echo", plain.id());
        assertEquals("echo", registry.withoutDecorators().create("echo", ProviderConfig.empty()).id());
    }

    @Test
    void discoveredListenersHearEveryCreatedProviderOutsideItsDecorators() {
        CountingListener.HEARD.clear();
        ProviderRegistry registry = LlmProviders.registry(withRegistrations("listened"));
        assertEquals(List.of(CountingListener.class), registry.listeners().stream().map(Object::getClass).toList());
        LlmProvider p = registry.create("echo", ProviderConfig.empty());
        assertEquals("hi", p.chat(ChatRequest.of("hi")).content());
        assertEquals(List.of("start echo+tag", "end echo+tag Completed"), CountingListener.HEARD,
                "one start and one end, outside the decorator");
        CountingListener.HEARD.clear();
        registry.withoutDecorators().create("echo", ProviderConfig.empty()).chat(ChatRequest.of("hi"));
        assertEquals(List.of(), CountingListener.HEARD, "withoutDecorators drops the listeners too");
        ProviderRegistry explicit = ProviderRegistry.of(List.of(new EchoProviderFactory()), List.of(),
                List.of(new CountingListener()));
        explicit.create("echo", ProviderConfig.empty()).chat(ChatRequest.of("hi"));
        assertEquals(List.of("start echo", "end echo Completed"), CountingListener.HEARD);
    }

    @Test
    void decoratorsApplyInAStableOrderWhateverTheListOrder() {
        List<TaggingDecorator> decorators = Arrays.asList(
                new TaggingDecorator("metrics", 10), new TaggingDecorator("b-retry", 0), new TaggingDecorator("a-log", 0));
        for (int i = 0; i < 3; i++) {
            java.util.Collections.rotate(decorators, 1);
            ProviderRegistry registry = ProviderRegistry.of(List.of(new EchoProviderFactory()), decorators);
            assertEquals("echo+a-log+b-retry+metrics", registry.create("echo", ProviderConfig.empty()).id());
        }
    }

    @Test
    void originNamesTheFactoryClassAndWhereItCameFrom() {
        String origin = LlmProviders.registry().origin("echo");
        assertTrue(origin.startsWith(EchoProviderFactory.class.getName() + " (file:"), origin);
    }
}
