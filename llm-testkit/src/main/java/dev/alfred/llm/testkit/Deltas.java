package dev.alfred.llm.testkit;

import dev.alfred.llm.ChatDelta;

import java.util.List;

/** Joins deltas of one kind, for the scripts and recordings that need the text they add up to. */
final class Deltas {

    private Deltas() {
    }

    static String join(List<ChatDelta> deltas, ChatDelta.Kind kind) {
        StringBuilder sb = new StringBuilder();
        for (ChatDelta d : deltas) {
            if (kind == ChatDelta.Kind.TEXT && d instanceof ChatDelta.Text t) {
                sb.append(t.text());
            } else if (kind == ChatDelta.Kind.REASONING && d instanceof ChatDelta.Reasoning r) {
                sb.append(r.text());
            } else if (kind == ChatDelta.Kind.REFUSAL && d instanceof ChatDelta.Refusal r) {
                sb.append(r.text());
            }
        }
        return sb.toString();
    }
}
