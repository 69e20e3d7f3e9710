package dev.alfred.llm.schema;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ResponseFormat;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each dialect writes, and what it never writes. */
class DialectTest {

    record Keywords(Set<String> tags, char initial, byte level) {
    }

    sealed interface Pet permits Cat, Dog {
    }

    record Cat(String name) implements Pet {
    }

    record Dog(String name) implements Pet {
    }

    record Owner(Pet pet) {
    }

    static LlmProvider provider(String id) {
        return new LlmProvider() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Capabilities capabilities() {
                return Capabilities.of(Capabilities.Feature.JSON_SCHEMA, Capabilities.Feature.TOOLS);
            }

            @Override
            public ChatResponse chat(ChatRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ChatStream stream(ChatRequest request) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void aBytesRangeIsInItsSchema() {
        String s = RecordSchema.of(Keywords.class).jsonSchema(SchemaDialect.STANDARD).json();
        assertTrue(s.contains("\"level\":{\"type\":\"integer\",\"minimum\":-128,\"maximum\":127}"), s);
    }

    @Test
    void openAisStrictDialectWritesNoKeywordItRejects() {
        String s = RecordSchema.of(Keywords.class).jsonSchema(SchemaDialect.OPENAI_STRICT).json();
        assertFalse(s.contains("uniqueItems"), s);
        assertFalse(s.contains("minLength"), s);
        assertFalse(s.contains("maxLength"), s);
    }

    @Test
    void anthropicIsNeverSentAnOpenMap() {
        ResponseFormat f = StructuredOutput.of(Fixtures.Trip.class).request(ChatRequest.of("x"), provider("anthropic"))
                .responseFormat();
        assertTrue(f == null || !f.schema().json().contains("\"additionalProperties\":{"), String.valueOf(f));
    }

    @Test
    void aMapIsNotRefusedBehindTheOpenAiProviderItIsSentWithoutStrict() {
        ResponseFormat f = StructuredOutput.of(Fixtures.Trip.class).request(ChatRequest.of("x"), provider("openai"))
                .responseFormat();
        assertFalse(f.strict(), f.toString());
    }

    @Test
    void sealedRecordsCarryADiscriminatorAndBindToTheirOwnRecord() {
        String s = RecordSchema.of(Owner.class).jsonSchema(SchemaDialect.STANDARD).json();
        assertTrue(s.contains("\"const\":\"Dog\""), s);
        Owner o = RecordSchema.of(Owner.class).parse("{\"pet\":{\"type\":\"Dog\",\"name\":\"Rex\"}}");
        assertTrue(o.pet() instanceof Dog, o.toString());
    }

    record D12(String s) { }
    record D11(D12 d) { }
    record D10(D11 d) { }
    record D9(D10 d) { }
    record D8(D9 d) { }
    record D7(D8 d) { }
    record D6(D7 d) { }
    record D5(D6 d) { }
    record D4(D5 d) { }
    record D3(D4 d) { }
    record D2(D3 d) { }
    record D1(D2 d) { }

    @Test
    void openAisNestingLimitIsCheckedBeforeSending() {
        assertThrows(IllegalArgumentException.class, () -> RecordSchema.of(D1.class).jsonSchema(SchemaDialect.OPENAI_STRICT));
    }
}
