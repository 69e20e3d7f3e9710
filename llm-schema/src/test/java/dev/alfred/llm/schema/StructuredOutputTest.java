package dev.alfred.llm.schema;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.kimi.KimiProvider;
import dev.alfred.llm.schema.Fixtures.Stop;
import dev.alfred.llm.schema.Fixtures.StrictTrip;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.RecordedRequest;
import dev.alfred.llm.testkit.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Structured answers from the real Kimi provider over real HTTP to the fake server. */
class StructuredOutputTest {

    private FakeServer server;
    private KimiProvider kimi;

    @BeforeEach
    void start() {
        server = FakeServer.start();
        kimi = KimiProvider.builder().apiKey("sk-schema-test-0123456789abcdef").baseUrl(server.baseUri()).build();
    }

    @AfterEach
    void stop() {
        kimi.close();
        server.close();
    }

    /** The provider with fewer capabilities than Kimi has: what a server without JSON Schema looks like. */
    private LlmProvider without(Capabilities.Feature... missing) {
        Set<Capabilities.Feature> features = EnumSet.copyOf(kimi.capabilities().features());
        List.of(missing).forEach(features::remove);
        Capabilities fewer = new Capabilities(features);
        return new LlmProvider() {
            @Override
            public String id() {
                return kimi.id();
            }

            @Override
            public Capabilities capabilities() {
                return fewer;
            }

            @Override
            public ChatResponse chat(ChatRequest request) {
                return kimi.chat(request);
            }

            @Override
            public ChatStream stream(ChatRequest request) {
                return kimi.stream(request);
            }
        };
    }

    @Test
    void theRequestCarriesTheRecordsSchemaInTheProvidersDialectAndTheAnswerBinds() {
        server.enqueue(Reply.chat("{\"city\":\"Paris\",\"nights\":3}"));
        Stop stop = StructuredOutput.of(Stop.class).ask(kimi, ChatRequest.of("Where?"));
        assertEquals(new Stop("Paris", 3), stop);
        JsonNode format = server.takeRequest().json().path("response_format");
        assertEquals("json_schema", format.path("type").asString());
        assertEquals("stop", format.path("json_schema").path("name").asString());
        assertEquals(true, format.path("json_schema").path("strict").asBoolean());
        assertEquals(RecordSchema.of(Stop.class).jsonSchema(SchemaDialect.MOONSHOT).json(),
                format.path("json_schema").path("schema").toString(), "the schema goes out byte for byte");
    }

    @Test
    void withoutJsonSchemaTheSchemaGoesInASystemMessageAndJsonModeHoldsTheAnswer() {
        server.enqueue(Reply.chat("```json\n{\"city\":\"Rome\",\"nights\":1}\n```"));
        Stop stop = StructuredOutput.of(Stop.class).ask(without(Capabilities.Feature.JSON_SCHEMA),
                ChatRequest.builder().system("Be brief.").user("Where?").build());
        assertEquals(new Stop("Rome", 1), stop);
        JsonNode body = server.takeRequest().json();
        assertEquals("json_object", body.path("response_format").path("type").asString());
        JsonNode messages = body.path("messages");
        assertEquals("Be brief.", messages.get(0).path("content").asString());
        assertEquals("system", messages.get(1).path("role").asString());
        assertTrue(messages.get(1).path("content").asString().endsWith(
                RecordSchema.of(Stop.class).jsonSchema(SchemaDialect.STANDARD).json()), messages.get(1).toString());
        assertEquals("Where?", messages.get(2).path("content").asString());

        server.enqueue(Reply.chat("{\"city\":\"Oslo\",\"nights\":2}"));
        StructuredOutput.of(Stop.class).ask(without(Capabilities.Feature.JSON_SCHEMA, Capabilities.Feature.JSON_OBJECT),
                ChatRequest.of("Where?"));
        assertTrue(server.takeRequest().json().path("response_format").isMissingNode(), "no JSON mode to ask for");
    }

    @Test
    void anAnswerThatDoesNotFitFailsWithItsTextAndViolationsUnlessARepairRoundFixesIt() {
        server.enqueue(Reply.chat("{\"city\":\"Paris\",\"nights\":\"three\"}"));
        StructuredOutputException e = assertThrows(StructuredOutputException.class,
                () -> StructuredOutput.of(Stop.class).ask(kimi, ChatRequest.of("Where?")));
        assertEquals("{\"city\":\"Paris\",\"nights\":\"three\"}", e.rawText());
        assertEquals(1, server.requestCount(), "no repair round unless asked");

        server.enqueue(Reply.chat("{\"city\":\"Paris\",\"nights\":\"three\"}")).enqueue(Reply.chat("{\"city\":\"Paris\",\"nights\":3}"));
        assertEquals(new Stop("Paris", 3), StructuredOutput.of(Stop.class).repairOnce(true).ask(kimi, ChatRequest.of("Where?")));
        List<RecordedRequest> requests = server.takeRequests();
        JsonNode again = requests.get(requests.size() - 1).json().path("messages");
        assertEquals("{\"city\":\"Paris\",\"nights\":\"three\"}", again.get(again.size() - 2).path("content").asString(),
                "the first answer goes back as the assistant's");
        assertEquals("Your answer does not match the JSON Schema:\n- /nights: expected an integer, got \"three\"\n"
                + "Answer again with the corrected JSON object only.", again.get(again.size() - 1).path("content").asString());
    }

    @Test
    void aRepairThatFailsAgainThrowsTheSecondFailureWithTheFirstAttached() {
        server.enqueue(Reply.chat("nope")).enqueue(Reply.chat("{\"city\":1,\"nights\":1}"));
        StructuredOutputException e = assertThrows(StructuredOutputException.class,
                () -> StructuredOutput.of(Stop.class).repairOnce(true).ask(kimi, ChatRequest.of("Where?")));
        assertEquals("{\"city\":1,\"nights\":1}", e.rawText());
        assertEquals("nope", ((StructuredOutputException) e.getSuppressed()[0]).rawText());
    }

    @Test
    void nestedRecordsEnumsOptionalsAndASealedTypeComeBackWhole() {
        server.enqueue(Reply.chat("{\"name\":\"spring\",\"stops\":[{\"city\":\"Paris\",\"nights\":2}],\"unit\":\"CELSIUS\","
                + "\"note\":null,\"payment\":{\"type\":\"Cash\",\"currency\":\"EUR\",\"amount\":10}}"));
        StrictTrip trip = StructuredOutput.of(StrictTrip.class).ask(kimi, ChatRequest.of("Plan"));
        assertEquals(new StrictTrip("spring", List.of(new Stop("Paris", 2)), Fixtures.Unit.CELSIUS,
                java.util.Optional.empty(), new Fixtures.Cash("EUR", 10)), trip);
    }

    @Test
    void oneCodeFenceIsTakenOffAndNothingElse() {
        assertEquals("{}", StructuredOutput.unfenced("```json\n{}\n```"));
        assertEquals("{}", StructuredOutput.unfenced("  ```\n{}\n```  "));
        assertEquals("```", StructuredOutput.unfenced("```"));
        assertEquals("{\"a\":\"```\"}", StructuredOutput.unfenced("{\"a\":\"```\"}"));
    }
}
