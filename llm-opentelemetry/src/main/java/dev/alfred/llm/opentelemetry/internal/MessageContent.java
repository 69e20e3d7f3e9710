package dev.alfred.llm.opentelemetry.internal;

import dev.alfred.llm.AssistantMessage;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ContentPart;
import dev.alfred.llm.SystemMessage;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.ToolMessage;
import dev.alfred.llm.UserMessage;

import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Message content as the GenAI conventions' opt-in attributes hold it: JSON after
 * {@code gen-ai-input-messages.json}, {@code gen-ai-output-messages.json} and
 * {@code gen-ai-system-instructions.json} and {@code gen-ai-tool-definitions.json} (text, reasoning, tool
 * call, tool call response, blob, uri and file parts). Recorded only when the user opts in to content.
 * Written by hand, as this module depends on {@code opentelemetry-api} alone. Stateless.
 */
public final class MessageContent {

    private MessageContent() {
    }

    /**
     * The system messages' text as a list of text parts, or null when there are none.
     *
     * @param messages the request's messages
     * @return the JSON, or null
     */
    public static String systemInstructions(List<ChatMessage> messages) {
        StringBuilder json = new StringBuilder("[");
        boolean any = false;
        for (ChatMessage m : messages) {
            if (m instanceof SystemMessage) {
                if (any) {
                    json.append(',');
                }
                text(json, "text", ((SystemMessage) m).content());
                any = true;
            }
        }
        return any ? json.append(']').toString() : null;
    }

    /**
     * The messages in the order they were sent, as the input messages: the system ones among them with the
     * role {@code system}, or left out when the provider takes them apart ({@link #systemInstructions}).
     *
     * @param messages    the request's messages
     * @param systemApart whether the system messages go to the system instructions instead
     * @return the JSON array
     */
    public static String inputMessages(List<ChatMessage> messages, boolean systemApart) {
        StringBuilder json = new StringBuilder("[");
        boolean first = true;
        for (ChatMessage m : messages) {
            if (systemApart && m instanceof SystemMessage) {
                continue;
            }
            if (!first) {
                json.append(',');
            }
            first = false;
            message(json, m);
        }
        return json.append(']').toString();
    }

    /**
     * The tools the request declares, after {@code gen-ai-tool-definitions.json}: type and name only (their
     * descriptions and parameters are, the schema says, not recommended by default, being large).
     *
     * @param tools the request's tools
     * @return the JSON array, or null when there are none
     */
    public static String toolDefinitions(List<ToolDefinition> tools) {
        if (tools.isEmpty()) {
            return null;
        }
        StringBuilder json = new StringBuilder("[");
        for (ToolDefinition t : tools) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append("{\"type\":");
            string(json, t.type() == ToolDefinition.Type.FUNCTION ? "function" : "builtin");
            json.append(",\"name\":");
            string(json, t.name());
            json.append('}');
        }
        return json.append(']').toString();
    }

    /**
     * The answer as the one output message, with its finish reason.
     *
     * @param response the answer
     * @return the JSON array
     */
    public static String outputMessages(ChatResponse response) {
        StringBuilder json = new StringBuilder("[{\"role\":\"assistant\",\"parts\":[");
        assistantParts(json, response.reasoning(), response.content(), response.toolCalls());
        json.append("],\"finish_reason\":");
        string(json, finishReason(response));
        return json.append("}]").toString();
    }

    /**
     * The finish reason as the provider sent it, else the port's name of it in lower case, else null.
     *
     * @param response the answer
     * @return the reason, or null
     */
    public static String finishReason(ChatResponse response) {
        if (response.rawFinishReason() != null) {
            return response.rawFinishReason();
        }
        return response.finishReason() == null ? null : response.finishReason().name().toLowerCase(Locale.ROOT);
    }

    private static void message(StringBuilder json, ChatMessage m) {
        if (m instanceof SystemMessage) {
            json.append("{\"role\":\"system\",\"parts\":[");
            text(json, "text", ((SystemMessage) m).content());
            json.append("]}");
        } else if (m instanceof UserMessage) {
            json.append("{\"role\":\"user\",\"parts\":[");
            boolean first = true;
            for (ContentPart p : ((UserMessage) m).parts()) {
                if (!first) {
                    json.append(',');
                }
                first = false;
                part(json, p);
            }
            json.append("]}");
        } else if (m instanceof AssistantMessage) {
            AssistantMessage a = (AssistantMessage) m;
            json.append("{\"role\":\"assistant\",\"parts\":[");
            assistantParts(json, a.reasoning(), a.content(), a.toolCalls());
            json.append("]}");
        } else {
            ToolMessage t = (ToolMessage) m;
            json.append("{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":");
            string(json, t.toolCallId());
            json.append(",\"response\":");
            string(json, t.content());
            json.append("}]}");
        }
    }

    private static void assistantParts(StringBuilder json, String reasoning, String content, List<ToolCall> calls) {
        int start = json.length();
        if (!reasoning.isEmpty()) {
            text(json, "reasoning", reasoning);
        }
        if (!content.isEmpty()) {
            comma(json, start);
            text(json, "text", content);
        }
        for (ToolCall c : calls) {
            comma(json, start);
            json.append("{\"type\":\"tool_call\",\"id\":");
            string(json, c.id());
            json.append(",\"name\":");
            string(json, c.name());
            json.append(",\"arguments\":");
            if (c.status() == ToolCall.Status.COMPLETE) {
                json.append(c.arguments()); // a JSON object, checked when the call was finished
            } else {
                string(json, c.arguments());
            }
            json.append('}');
        }
    }

    private static void part(StringBuilder json, ContentPart p) {
        if (p instanceof ContentPart.Text) {
            text(json, "text", ((ContentPart.Text) p).text());
        } else if (p instanceof ContentPart.ImageBytes) {
            ContentPart.ImageBytes image = (ContentPart.ImageBytes) p;
            json.append("{\"type\":\"blob\",\"modality\":\"image\",\"mime_type\":");
            string(json, image.mediaType());
            // the schema's required content: the bytes in base64, recorded with the rest of the content (opt-in)
            json.append(",\"content\":\"").append(Base64.getEncoder().encodeToString(image.data())).append("\"}");
        } else if (p instanceof ContentPart.ImageUrl) {
            json.append("{\"type\":\"uri\",\"modality\":\"image\",\"uri\":");
            // an image URL may carry a signature or a key in its query: masked as every URL the library prints
            string(json, dev.alfred.llm.spi.SecretScrubber.NONE.scrub(((ContentPart.ImageUrl) p).url().toString()));
            json.append('}');
        } else {
            json.append("{\"type\":\"file\",\"modality\":\"image\",\"file_id\":");
            string(json, ((ContentPart.ImageFile) p).fileId());
            json.append('}');
        }
    }

    private static void comma(StringBuilder json, int start) {
        if (json.length() > start) {
            json.append(',');
        }
    }

    private static void text(StringBuilder json, String type, String content) {
        json.append("{\"type\":\"").append(type).append("\",\"content\":");
        string(json, content);
        json.append('}');
    }

    /** A JSON string, or null. */
    static void string(StringBuilder json, String s) {
        if (s == null) {
            json.append("null");
            return;
        }
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    json.append("\\\"");
                    break;
                case '\\':
                    json.append("\\\\");
                    break;
                case '\n':
                    json.append("\\n");
                    break;
                case '\r':
                    json.append("\\r");
                    break;
                case '\t':
                    json.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
            }
        }
        json.append('"');
    }
}
