package dev.alfred.llm;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tests run on the class path; this one resolves the real module-info on the module path. */
class ModulePathTest {

    private static Path locationOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void moduleResolvesExportsItsPortsAndUsesTheSpi() throws Exception {
        ModuleFinder finder = ModuleFinder.of(locationOf(LlmProvider.class), locationOf(Logger.class));
        Configuration cf = ModuleLayer.boot().configuration()
                .resolveAndBind(finder, ModuleFinder.of(), Set.of("dev.alfred.llm"));
        ModuleDescriptor d = cf.findModule("dev.alfred.llm").orElseThrow().reference().descriptor();
        assertEquals(Set.of("dev.alfred.llm", "dev.alfred.llm.spi", "dev.alfred.llm.observe", "dev.alfred.llm.config"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(java.util.stream.Collectors.toSet()));
        assertTrue(d.packages().contains("dev.alfred.llm.internal"), "internal exists but is not exported");
        assertEquals(Set.of("dev.alfred.llm.spi.LlmProviderFactory", "dev.alfred.llm.spi.LlmProviderDecorator",
                "dev.alfred.llm.observe.LlmListener"), d.uses());
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        Class<?> registry = layer.findLoader("dev.alfred.llm").loadClass("dev.alfred.llm.LlmProviders");
        assertEquals("dev.alfred.llm", registry.getModule().getName());
    }
}
