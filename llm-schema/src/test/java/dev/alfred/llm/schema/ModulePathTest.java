package dev.alfred.llm.schema;

import dev.alfred.llm.LlmProvider;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;

import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tests run on the class path; this one resolves the real module-info on the module path. */
class ModulePathTest {

    private static Path locationOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void theModuleResolvesAndExportsOnlyItsApi() throws Exception {
        ModuleFinder finder = ModuleFinder.of(locationOf(RecordSchema.class), locationOf(LlmProvider.class),
                locationOf(JsonNode.class), locationOf(JsonParser.class),
                locationOf(com.fasterxml.jackson.annotation.JsonProperty.class), locationOf(org.slf4j.Logger.class));
        Configuration cf = ModuleLayer.boot().configuration()
                .resolve(finder, ModuleFinder.of(), Set.of("dev.alfred.llm.schema"));
        ModuleDescriptor d = cf.findModule("dev.alfred.llm.schema").orElseThrow().reference().descriptor();
        assertEquals(Set.of("dev.alfred.llm.schema"), d.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet()));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        assertEquals("dev.alfred.llm.schema", layer.findLoader("dev.alfred.llm.schema")
                .loadClass(RecordSchema.class.getName()).getModule().getName());
    }
}
