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
            if (d.kind() == kind) {
                sb.append(d.text());
            }
        }
        return sb.toString();
    }
}
