package dev.alfred.llm.anthropic.internal.wire;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.Citation;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.ServerToolUse;
import dev.alfred.llm.Usage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A sink that records everything a fold says, in order, for assertions. */
final class Recorder implements AnswerSink {
    final List<ChatDelta> parts = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final List<Citation> citations = new ArrayList<>();
    final Map<String, ServerToolUse> tools = new LinkedHashMap<>();
    final Map<String, String> fields = new LinkedHashMap<>();
    final List<String> fieldPaths = new ArrayList<>();
    final List<String> ids = new ArrayList<>();
    final List<String> models = new ArrayList<>();
    final List<Usage> usages = new ArrayList<>();
    final List<FinishReason> reasons = new ArrayList<>();
    final List<String> rawReasons = new ArrayList<>();
    ProviderState state;

    @Override
    public void part(ChatDelta part) {
        parts.add(part);
    }

    @Override
    public void warn(String warning) {
        warnings.add(warning);
    }

    @Override
    public void citation(Citation citation) {
        citations.add(citation);
    }

    @Override
    public void serverTool(ServerToolUse use) {
        tools.put(use.id(), use);
    }

    @Override
    public ServerToolUse serverTool(String id) {
        return tools.get(id);
    }

    @Override
    public void providerField(String path, String json) {
        fields.put(path, json);
        fieldPaths.add(path);
    }

    @Override
    public void id(String id) {
        ids.add(id);
    }

    @Override
    public void model(String model) {
        models.add(model);
    }

    @Override
    public void usage(Usage usage) {
        usages.add(usage);
    }

    @Override
    public void finishReason(FinishReason reason, String raw) {
        reasons.add(reason);
        rawReasons.add(raw);
    }

    @Override
    public void state(ProviderState state) {
        this.state = state;
    }

    String content() {
        return state == null ? null : state.values().get(RequestEncoder.CONTENT_KEY);
    }
}
