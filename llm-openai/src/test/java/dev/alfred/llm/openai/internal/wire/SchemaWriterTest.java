package dev.alfred.llm.openai.internal.wire;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The schema bytes a request carries: Moonshot's validator wants a {@code type} on every nested schema, so one is
 * inferred where it is missing and can be inferred; everything else is copied byte for byte, in its order.
 */
class SchemaWriterTest {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private static String write(String schema, boolean rootObject) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            new SchemaWriter().write(schema, g, rootObject);
        }
        return out.toString();
    }

    /** A schema that needs nothing added comes out as it went in (the writer writes compact JSON). */
    private static void same(String schema, boolean rootObject) {
        assertEquals(schema, write(schema, rootObject));
    }

    @Test
    void aNestedSchemaWithPropertiesBecomesAnObjectAtItsEnd() {
        assertEquals("{\"type\":\"object\",\"properties\":{\"a\":{\"properties\":{\"b\":{\"type\":\"string\"}},"
                        + "\"required\":[\"b\"],\"type\":\"object\"}}}",
                write("{\"type\":\"object\",\"properties\":{\"a\":{\"properties\":{\"b\":{\"type\":\"string\"}},"
                        + "\"required\":[\"b\"]}}}", false));
    }

    @Test
    void aToolsRootWithoutTypeIsAnObjectEvenWithoutProperties() {
        assertEquals("{\"required\":[],\"type\":\"object\"}", write("{\"required\":[]}", true));
        assertEquals("{\"properties\":{},\"type\":\"object\"}", write("{\"properties\":{}}", true));
        // a response-format root is not forced to be an object: with nothing to go by it stays untyped
        same("{\"description\":\"anything\"}", false);
    }

    @Test
    void aSchemaWithItemsBecomesAnArray() {
        assertEquals("{\"items\":{\"type\":\"string\"},\"type\":\"array\"}", write("{\"items\":{\"type\":\"string\"}}",
                false));
        // the old tuple form: items as a list of schemas, each normalised
        assertEquals("{\"items\":[{\"enum\":[1,2],\"type\":\"integer\"},{\"const\":true,\"type\":\"boolean\"}],"
                        + "\"type\":\"array\"}",
                write("{\"items\":[{\"enum\":[1,2]},{\"const\":true}]}", false));
        // prefixItems' schemas are normalised, but only an items schema makes the array (items:false is no schema)
        assertEquals("{\"prefixItems\":[{\"const\":\"a\",\"type\":\"string\"}],\"items\":false}",
                write("{\"prefixItems\":[{\"const\":\"a\"}],\"items\":false}", false));
    }

    @Test
    void aToolsRootWithItemsIsAnArrayAndSoRefused() {
        SchemaWriter.SchemaException e = assertThrows(SchemaWriter.SchemaException.class,
                () -> write("{\"items\":{\"type\":\"string\"}}", true));
        assertEquals("the root of a tool's parameters schema must be of type object, was array", e.getMessage());
        SchemaWriter.SchemaException string = assertThrows(SchemaWriter.SchemaException.class,
                () -> write("{\"type\":\"string\"}", true));
        assertEquals("the root of a tool's parameters schema must be of type object, was string", string.getMessage());
        // the same schema is fine where the root may be anything
        same("{\"type\":\"string\"}", false);
    }

    @Test
    void anEnumOrConstOfOneJsonTypeGivesThatType() {
        assertEquals("{\"enum\":[\"a\",\"b\"],\"type\":\"string\"}", write("{\"enum\":[\"a\",\"b\"]}", false));
        assertEquals("{\"enum\":[1,2,3],\"type\":\"integer\"}", write("{\"enum\":[1,2,3]}", false));
        assertEquals("{\"enum\":[1.5,2.5],\"type\":\"number\"}", write("{\"enum\":[1.5,2.5]}", false));
        assertEquals("{\"enum\":[true,false],\"type\":\"boolean\"}", write("{\"enum\":[true,false]}", false));
        assertEquals("{\"const\":\"x\",\"type\":\"string\"}", write("{\"const\":\"x\"}", false));
        assertEquals("{\"const\":7,\"type\":\"integer\"}", write("{\"const\":7}", false));
        assertEquals("{\"const\":0.5,\"type\":\"number\"}", write("{\"const\":0.5}", false));
        assertEquals("{\"const\":false,\"type\":\"boolean\"}", write("{\"const\":false}", false));
    }

    @Test
    void valuesOfMixedOrUntypeableKindsGiveNoType() {
        same("{\"enum\":[\"a\",1]}", false);
        same("{\"enum\":[1,\"a\"]}", false);
        same("{\"enum\":[1,1.5]}", false);
        same("{\"enum\":[\"a\",null]}", false);
        same("{\"enum\":[null,\"a\"]}", false);
        same("{\"enum\":[{\"k\":1},[2]]}", false);
        same("{\"enum\":[]}", false);
        same("{\"const\":null}", false);
        same("{\"const\":{\"k\":\"v\"}}", false);
        // an enum that is not a list is not a list of values: copied, nothing inferred from it
        same("{\"enum\":\"a\"}", false);
    }

    @Test
    void aCombinedSchemaIsLeftAlone() {
        same("{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}", false);
        same("{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}", false);
        same("{\"allOf\":[{\"type\":\"string\"}]}", false);
        same("{\"$ref\":\"#/$defs/a\"}", false);
        // even where it has properties or values that would give a type
        same("{\"properties\":{\"a\":{\"type\":\"string\"}},\"$ref\":\"#/$defs/b\"}", false);
        same("{\"enum\":[\"a\"],\"anyOf\":[{\"const\":\"a\",\"type\":\"string\"}]}", false);
        // but the schemas inside a combinator are normalised
        assertEquals("{\"anyOf\":[{\"enum\":[\"a\"],\"type\":\"string\"},{\"properties\":{},\"type\":\"object\"}]}",
                write("{\"anyOf\":[{\"enum\":[\"a\"]},{\"properties\":{}}]}", false));
    }

    @Test
    void anExplicitTypeIsNeverReplacedNorAddedTwice() {
        same("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":[\"string\",\"null\"],\"enum\":[\"x\",null]}}}", true);
        same("{\"properties\":{\"a\":{\"enum\":[1],\"type\":\"number\"}},\"type\":\"object\"}", true);
        same("{\"items\":{\"const\":1,\"type\":\"integer\"},\"type\":\"array\"}", false);
    }

    @Test
    void everySchemaPlaceIsNormalisedAndEveryOtherValueCopied() {
        assertEquals("{\"type\":\"object\","
                        + "\"$defs\":{\"d\":{\"enum\":[\"a\"],\"type\":\"string\"}},"
                        + "\"definitions\":{\"e\":{\"const\":1,\"type\":\"integer\"}},"
                        + "\"patternProperties\":{\"^x\":{\"items\":{},\"type\":\"array\"}},"
                        + "\"additionalProperties\":{\"properties\":{},\"type\":\"object\"},"
                        + "\"not\":{\"const\":true,\"type\":\"boolean\"},"
                        + "\"contains\":{\"const\":0.5,\"type\":\"number\"},"
                        + "\"properties\":{\"t\":true,\"f\":false},"
                        + "\"description\":\"keeps {\\\"enum\\\":[1]} and order\",\"default\":{\"enum\":[1]},"
                        + "\"examples\":[{\"properties\":{}}],\"x-extra\":[1,{\"a\":null}]}",
                write("{\"type\":\"object\","
                        + "\"$defs\":{\"d\":{\"enum\":[\"a\"]}},"
                        + "\"definitions\":{\"e\":{\"const\":1}},"
                        + "\"patternProperties\":{\"^x\":{\"items\":{}}},"
                        + "\"additionalProperties\":{\"properties\":{}},"
                        + "\"not\":{\"const\":true},"
                        + "\"contains\":{\"const\":0.5},"
                        + "\"properties\":{\"t\":true,\"f\":false},"
                        + "\"description\":\"keeps {\\\"enum\\\":[1]} and order\",\"default\":{\"enum\":[1]},"
                        + "\"examples\":[{\"properties\":{}}],\"x-extra\":[1,{\"a\":null}]}", true));
        // schema keywords holding something that is not a schema are copied as they are
        same("{\"type\":\"object\",\"properties\":true,\"anyOf\":{\"a\":1},\"items\":\"x\",\"additionalProperties\":false}",
                true);
    }

    @Test
    void aBooleanSchemaAtTheRootIsCopiedAndIsNoObject() {
        same("true", false);
        SchemaWriter.SchemaException e = assertThrows(SchemaWriter.SchemaException.class, () -> write("false", true));
        assertEquals("the root of a tool's parameters schema must be of type object, was null", e.getMessage());
    }

    @Test
    void sixtyFourLevelsOfNestingAreWrittenSixtyFiveAreRefused() {
        String ok = "{\"type\":\"object\",\"properties\":{\"a\":".repeat(64) + "{}" + "}}".repeat(64);
        same(ok, true);
        String deep = "{\"type\":\"object\",\"properties\":{\"a\":".repeat(65) + "{}" + "}}".repeat(65);
        SchemaWriter.SchemaException e = assertThrows(SchemaWriter.SchemaException.class, () -> write(deep, true));
        assertEquals("schema nests deeper than 64 levels", e.getMessage());
    }

    @Test
    void theDepthCountsThroughListsItemsAndTuplesAlike() {
        for (String[] level : new String[][] {{"{\"anyOf\":[", "]}"}, {"{\"type\":\"array\",\"items\":", "}"},
                {"{\"type\":\"array\",\"items\":[", "]}"}}) {
            same(level[0].repeat(64) + "{}" + level[1].repeat(64), false);
            String deep = level[0].repeat(65) + "{}" + level[1].repeat(65);
            SchemaWriter.SchemaException e = assertThrows(SchemaWriter.SchemaException.class, () -> write(deep, false),
                    level[0]);
            assertEquals("schema nests deeper than 64 levels", e.getMessage());
        }
    }

    @Test
    void aConstDoesNotMakeUpForAnEnumOfMixedValues() {
        same("{\"enum\":[\"a\",1],\"const\":\"a\"}", false);
        same("{\"enum\":[null],\"const\":\"a\"}", false);
    }

    @Test
    void textThatIsNotJsonIsRefusedWithTheParsersReason() {
        SchemaWriter.SchemaException e = assertThrows(SchemaWriter.SchemaException.class,
                () -> write("{\"type\":\"object\",", true));
        assertTrue(e.getMessage().startsWith("schema is not valid JSON: "), e.getMessage());
        assertTrue(e.getMessage().length() > "schema is not valid JSON: ".length(), e.getMessage());
    }
}
