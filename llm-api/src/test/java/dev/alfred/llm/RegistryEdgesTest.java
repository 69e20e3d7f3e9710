package dev.alfred.llm;

import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.config.ProviderRegistry;
import dev.alfred.llm.fixtures.EchoProvider;
import dev.alfred.llm.fixtures.TaggingDecorator;
import dev.alfred.llm.spi.LlmProviderDecorator;
import dev.alfred.llm.spi.LlmProviderFactory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry's decorators and the configuration's value semantics, at their edges. */
class RegistryEdgesTest {

    /** Fresh decorator ids per run: the prefixes a registry declares stay declared for the whole JVM. */
    private static final AtomicInteger IDS = new AtomicInteger();

    /** Makes echo providers that count how often they were closed. */
    private static final class ClosingFactory implements LlmProviderFactory {
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public String id() {
            return "echo";
        }

        @Override
        public LlmProvider create(ProviderConfig config) {
            return new EchoProvider(config) {
                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }
    }

    /** A decorator with the given id that throws, returns null, or passes the provider on. */
    private static LlmProviderDecorator decorator(String id, String behaviour) {
        return new LlmProviderDecorator() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public LlmProvider decorate(LlmProvider provider, ProviderConfig config) {
                switch (behaviour) {
                    case "throw":
                        throw new IllegalArgumentException(id + ".level is invalid");
                    case "null":
                        return null;
                    default:
                        return provider;
                }
            }
        };
    }

    @Test
    void aDecoratorsSettingsAreShownByItsIdAsPrefix() {
        String id = "deco" + IDS.incrementAndGet();
        ProviderConfig c = ProviderConfig.builder().set(id + ".level", "3").set("zzz" + id + ".other", "x").build();
        assertTrue(c.toString().contains("(2 other settings not shown)"), c.toString());
        LlmProviderDecorator d = decorator(id, "pass");
        assertEquals(Set.of(id + "."), d.settingPrefixes());
        ProviderRegistry.of(List.of(new ClosingFactory()), List.of(d));
        assertTrue(c.toString().contains(id + ".level=3"), "declared by the registry: " + c);
        assertTrue(c.toString().contains("(1 other setting not shown)"), c.toString());
    }

    @Test
    void aDecoratorThatFailsClosesWhatItWasGivenAndOneThatReturnsNullIsNamed() {
        ClosingFactory factory = new ClosingFactory();
        ProviderRegistry failing = ProviderRegistry.of(List.of(factory), List.of(decorator("bad" + IDS.incrementAndGet(),
                "throw")));
        assertThrows(IllegalArgumentException.class, () -> failing.create("echo", ProviderConfig.empty()));
        assertEquals(1, factory.closed.get(), "the provider the decorator was given is closed");
        String nullId = "null" + IDS.incrementAndGet();
        ProviderRegistry nulls = ProviderRegistry.of(List.of(factory), List.of(decorator(nullId, "null")));
        NullPointerException e = assertThrows(NullPointerException.class, () -> nulls.create("echo", ProviderConfig.empty()));
        assertEquals("decorator '" + nullId + "' returned null", e.getMessage());
        assertEquals(2, factory.closed.get());
    }

    @Test
    void aDecoratorsOriginNamesItsClassAndWhereItCameFrom() {
        ProviderRegistry r = ProviderRegistry.of(List.of(new ClosingFactory()), List.of(new TaggingDecorator("tag", 0),
                new TaggingDecorator("other", 1)));
        String origin = r.decoratorOrigin("other");
        assertTrue(origin.startsWith(TaggingDecorator.class.getName() + " ("), origin);
        assertTrue(origin.contains("test-classes") || origin.contains("module"), origin);
        assertEquals("no decorator with id 'nope'",
                assertThrows(IllegalArgumentException.class, () -> r.decoratorOrigin("nope")).getMessage());
    }

    @Test
    void configurationsAreValuesAndTheirKeysAreNormalized() {
        ProviderConfig a = ProviderConfig.builder().set("KIMI_MODEL", "k3").set("retry.budget", "50").build();
        ProviderConfig same = ProviderConfig.builder().set("kimi.model", "k3").set("RETRY_BUDGET", "50").build();
        assertEquals(a, same);
        assertEquals(a.hashCode(), same.hashCode());
        assertNotEquals(a.hashCode(), ProviderConfig.builder().set("kimi.model", "k4").build().hashCode());
        assertNotEquals(a, ProviderConfig.builder().set("kimi.model", "k4").set("retry.budget", "50").build());
        assertNotEquals(a, ProviderConfig.builder().set("kimi.model", "k3").secret("retry.budget", "50").build());
        assertNotEquals(a, "kimi.model=k3");
        assertEquals(Set.of("kimi.model", "retry.budget"), a.keys());
        assertEquals(50L, a.getLong("retry.budget").orElseThrow());
        assertEquals(Set.of("kimi.model"), a.toBuilder().remove("RETRY_BUDGET").build().keys());
    }
}
