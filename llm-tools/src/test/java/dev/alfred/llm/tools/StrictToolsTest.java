package dev.alfred.llm.tools;

import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.schema.RecordSchema;
import dev.alfred.llm.schema.SchemaDialect;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tools are declared strict where the server holds the model to a schema and the record fits its dialect. */
class StrictToolsTest {

    record City(String city) {
    }

    record Budget(Map<String, Integer> lines) {
    }

    record Filters(Optional<String> a, Optional<String> b, Optional<String> c, Optional<String> d, Optional<String> e,
                   Optional<String> f, Optional<String> g, Optional<String> h, Optional<String> i, Optional<String> j) {
    }

    private static Tool<City> city(String name) {
        return Tool.of(name, "x", City.class, c -> c.city());
    }

    private static List<ToolDefinition> declared(String providerId, SchemaDialect override, Tool<?>... tools) {
        ScriptedProvider p = new ScriptedProvider(providerId).then(ScriptedProvider.text("ok"));
        ToolLoop.Builder b = FakeClock.loop(p).schemaDialect(override);
        for (Tool<?> t : tools) {
            b.tool(t);
        }
        try (ToolRun run = b.build().start(ChatRequest.of("x"))) {
            run.response();
        }
        return p.request(0).tools();
    }

    @Test
    void openAiGetsStrictToolsInItsDialectAndAMapWithoutStrictInPlainJsonSchema() {
        Tool<Budget> budget = Tool.of("budget", "x", Budget.class, b -> "");
        List<ToolDefinition> d = declared("openai", null, city("a"), budget);
        assertTrue(d.get(0).strict());
        assertEquals(RecordSchema.of(City.class).jsonSchema(SchemaDialect.OPENAI_STRICT), d.get(0).parameters());
        assertFalse(d.get(1).strict());
        assertEquals(RecordSchema.of(Budget.class).jsonSchema(SchemaDialect.STANDARD), d.get(1).parameters());
        assertTrue(city("a").definition(SchemaDialect.OPENAI_STRICT).strict());
        assertFalse(budget.definition(SchemaDialect.OPENAI_STRICT).strict());
    }

    @Test
    void aServerWithoutStrictModeGetsNoStrictTools() {
        assertFalse(declared("openai", SchemaDialect.STANDARD, city("a")).get(0).strict());
        List<ToolDefinition> kimi = declared("kimi", null, city("a"), Tool.of("budget", "x", Budget.class, b -> ""));
        assertFalse(kimi.get(0).strict());
        assertEquals(RecordSchema.of(City.class).jsonSchema(SchemaDialect.MOONSHOT), kimi.get(0).parameters());
        assertEquals(RecordSchema.of(Budget.class).jsonSchema(SchemaDialect.MOONSHOT), kimi.get(1).parameters());
    }

    @Test
    void anthropicGetsAtMostTwentyStrictToolsAndTwentyFourOptionalPropertiesInOneRequest() {
        List<Tool<?>> tools = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            tools.add(city("t" + i));
        }
        List<ToolDefinition> d = declared("anthropic", null, tools.toArray(new Tool<?>[0]));
        assertEquals(20, d.stream().filter(ToolDefinition::strict).count());
        assertFalse(d.get(20).strict(), "the first twenty, in the order they were added");
        assertEquals(RecordSchema.of(City.class).jsonSchema(SchemaDialect.STANDARD), d.get(20).parameters());

        List<ToolDefinition> optional = declared("anthropic", null, Tool.of("f1", "x", Filters.class, f -> ""),
                Tool.of("f2", "x", Filters.class, f -> ""), Tool.of("f3", "x", Filters.class, f -> ""), city("c"));
        assertEquals(List.of(true, true, false, true), optional.stream().map(ToolDefinition::strict).toList(),
                "a third ten optional properties would make 30");
    }

    @Test
    void aToolTheRequestDeclaresItselfIsNotDeclaredAgain() {
        ScriptedProvider p = new ScriptedProvider("openai").then(ScriptedProvider.text("ok"));
        ToolDefinition own = ToolDefinition.function("a", "mine", RecordSchema.of(City.class).jsonSchema(SchemaDialect.STANDARD));
        try (ToolRun run = FakeClock.loop(p).tool(city("a")).tool(city("b")).build()
                .start(ChatRequest.builder().user("x").tools(own).build())) {
            run.response();
        }
        assertEquals(List.of(own.name(), "b"), p.request(0).tools().stream().map(ToolDefinition::name).toList());
        assertEquals(own, p.request(0).tools().get(0));
    }
}
