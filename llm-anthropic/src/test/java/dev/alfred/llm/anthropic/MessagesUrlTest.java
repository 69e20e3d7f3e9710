package dev.alfred.llm.anthropic;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A base URL means the API's root with or without its version, as for every other provider. */
class MessagesUrlTest {

    @Test
    void theVersionIsAddedOnlyWhenTheBaseUrlLacksIt() {
        assertEquals(URI.create("https://api.anthropic.com/v1/messages"),
                AnthropicProvider.messagesUrl(URI.create("https://api.anthropic.com")));
        assertEquals(URI.create("https://api.anthropic.com/v1/messages"),
                AnthropicProvider.messagesUrl(URI.create("https://api.anthropic.com/v1")));
        assertEquals(URI.create("https://api.anthropic.com/v1/messages"),
                AnthropicProvider.messagesUrl(URI.create("https://api.anthropic.com/v1/")));
        assertEquals(URI.create("https://api.moonshot.ai/anthropic/v1/messages"),
                AnthropicProvider.messagesUrl(AnthropicProvider.MOONSHOT_URL));
        assertEquals(URI.create("http://localhost:8080/gw/v1/messages?k=1"),
                AnthropicProvider.messagesUrl(URI.create("http://localhost:8080/gw/v1?k=1")));
    }
}
