package dev.alfred.llm;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapabilitiesTest {

    private static final JsonSchema OBJECT = JsonSchema.of("{\"type\":\"object\"}");

    private static void refused(Capabilities caps, Capabilities.Feature feature, String what, ChatRequest request) {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class, () -> caps.check(request, "p"));
        assertEquals(feature, e.feature());
        assertTrue(e.getMessage().startsWith("p does not support " + feature + ": " + what), e.getMessage());
        assertEquals("p", e.providerId().orElseThrow());
    }

    @Test
    void eachFeatureIsRefusedWhenMissingAndAcceptedWhenPresent() {
        Capabilities none = Capabilities.TEXT_ONLY;
        ChatRequest tools = ChatRequest.builder().user("u").tools(ToolDefinition.function("f", "", OBJECT)).build();
        ChatRequest builtin = ChatRequest.builder().user("u").tools(ToolDefinition.builtin("$web_search")).build();
        ChatRequest parallel = ChatRequest.builder().user("u").parallelToolCalls(true).build();
        ChatRequest json = ChatRequest.builder().user("u").responseFormat(ResponseFormat.JSON_OBJECT).build();
        ChatRequest schema = ChatRequest.builder().user("u").responseFormat(ResponseFormat.jsonSchema("s", OBJECT, true)).build();
        ChatRequest image = ChatRequest.builder().user(ContentPart.text("what"), ContentPart.image(new byte[] {1}, "image/png")).build();
        ChatRequest url = ChatRequest.builder().user(ContentPart.imageUrl(URI.create("https://x.test/a.png"))).build();
        ChatRequest dataUrl = ChatRequest.builder().user(ContentPart.imageUrl(URI.create("data:image/png;base64,AQ=="))).build();
        refused(none, Capabilities.Feature.TOOLS, "the request has function tools", tools);
        refused(none, Capabilities.Feature.BUILTIN_TOOLS, "the request has a builtin tool", builtin);
        refused(none, Capabilities.Feature.PARALLEL_TOOL_CALLS, "the request asks for parallel", parallel);
        refused(none, Capabilities.Feature.JSON_OBJECT, "the request asks for a JSON object", json);
        refused(none, Capabilities.Feature.JSON_SCHEMA, "the request asks for an answer following", schema);
        refused(none, Capabilities.Feature.IMAGES, "the request has an image", image);
        refused(Capabilities.of(Capabilities.Feature.IMAGES), Capabilities.Feature.IMAGE_URLS,
                "the request has an image by URL, which p does not fetch", url);
        refused(none, Capabilities.Feature.IMAGES, "the request has an image", dataUrl);
        none.check(ChatRequest.builder().user("u").parallelToolCalls(false).responseFormat(ResponseFormat.TEXT).build(), "p");
        Capabilities all = new Capabilities(java.util.EnumSet.allOf(Capabilities.Feature.class));
        for (ChatRequest r : new ChatRequest[] {tools, builtin, parallel, json, schema, image, url, dataUrl}) {
            all.check(r, "p");
        }
        Capabilities.of(Capabilities.Feature.IMAGES).check(dataUrl, "p");
    }

    @org.junit.jupiter.api.Test
    void withoutLeavesOutOnlyTheNamedFeatures() {
        Capabilities three = Capabilities.of(Capabilities.Feature.TOOLS, Capabilities.Feature.IMAGES,
                Capabilities.Feature.REASONING);
        org.junit.jupiter.api.Assertions.assertEquals(Capabilities.of(Capabilities.Feature.REASONING),
                three.without(Capabilities.Feature.TOOLS, Capabilities.Feature.IMAGES, Capabilities.Feature.JSON_OBJECT));
        org.junit.jupiter.api.Assertions.assertEquals(three, three.without());
        org.junit.jupiter.api.Assertions.assertEquals(Capabilities.TEXT_ONLY, Capabilities.TEXT_ONLY.without(Capabilities.Feature.TOOLS));
    }
}
