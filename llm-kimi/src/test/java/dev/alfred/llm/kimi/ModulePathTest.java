package dev.alfred.llm.kimi;

import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.spi.LlmProviderFactory;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import tools.jackson.core.JsonParser;

import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tests run on the class path; this one resolves the real module-info on the module path. */
class ModulePathTest {

    private static Path locationOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void serviceLoaderFindsKimiOnTheModulePathAndInternalsAreNotExported() throws Exception {
        ModuleFinder finder = ModuleFinder.of(locationOf(KimiProvider.class), locationOf(LlmProvider.class),
                locationOf(dev.alfred.llm.openai.OpenAiProvider.class), locationOf(dev.alfred.llm.http.HttpExchange.class),
                locationOf(JsonParser.class), locationOf(Logger.class), locationOf(com.knuddels.jtokkit.Encodings.class));
        Configuration cf = ModuleLayer.boot().configuration()
                .resolveAndBind(finder, ModuleFinder.of(), Set.of("dev.alfred.llm"));
        ModuleDescriptor kimi = cf.findModule("dev.alfred.llm.kimi").orElseThrow().reference().descriptor();
        assertEquals(Set.of("dev.alfred.llm.kimi"), kimi.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet()));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        Class<?> spi = layer.findLoader("dev.alfred.llm").loadClass(LlmProviderFactory.class.getName());
        Set<String> found = ServiceLoader.load(layer, spi).stream()
                .map(p -> p.type().getName()).collect(Collectors.toSet());
        assertEquals(Set.of(KimiProviderFactory.class.getName(), "dev.alfred.llm.openai.OpenAiProviderFactory"), found);
    }
}
