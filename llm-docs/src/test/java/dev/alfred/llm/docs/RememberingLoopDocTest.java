package dev.alfred.llm.docs;

import dev.alfred.llm.BudgetedRequest;
import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.TokenCount;
import dev.alfred.llm.openai.OpenAiEmbeddings;
import dev.alfred.llm.openai.OpenAiProvider;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.RecordedRequest;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.WireDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the remembering loop of {@code docs/memory.md} as the page shows it, compiled from the Markdown,
 * offline against the fake server: notes embedded, the nearest found by cosine, the prompt budgeted, asked.
 */
class RememberingLoopDocTest {

    private static final String KEY = "sk-docs-memory-0011223344556677";
    private FakeServer embeddingsServer;
    private FakeServer chatServer;
    private LlmProvider llm;
    private EmbeddingProvider embeddings;

    @BeforeEach
    void start() {
        embeddingsServer = FakeServer.start(WireDialect.openAi());
        chatServer = FakeServer.start(WireDialect.openAi());
        llm = OpenAiProvider.builder().apiKey(KEY).baseUrl(chatServer.baseUri()).model("gpt-4o").build();
        embeddings = OpenAiEmbeddings.builder().apiKey(KEY).baseUrl(embeddingsServer.baseUri()).build();
    }

    @AfterEach
    void stop() {
        llm.close();
        embeddings.close();
        embeddingsServer.close();
        chatServer.close();
    }

    /** The page's RememberingLoop, compiled from the Markdown into a class loader of its own. */
    private static Class<?> rememberingLoop(Path out) throws Exception {
        Path page = DocSnippetsTest.root().resolve("docs/memory.md");
        List<DocSnippetsTest.Snippet> snippets = DocSnippetsTest.snippets("docs/memory.md", Files.readString(page));
        DocSnippetsTest.Unit unit = null;
        for (int n = 0; n < snippets.size(); n++) {
            DocSnippetsTest.Unit u = DocSnippetsTest.unit(snippets.get(n), n);
            if (u.typeName().equals("RememberingLoop")) {
                unit = u;
                break;
            }
        }
        assertNotNull(unit, "docs/memory.md shows a RememberingLoop");
        String pkg = unit.source().lines().findFirst().orElseThrow().replace("package ", "").replace(";", "").strip();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String src = unit.source();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///RememberingLoop.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return src;
            }
        };
        boolean ok = javac.getTask(null, null, null, List.of("--release", "17", "-proc:none", "-classpath",
                System.getProperty("java.class.path"), "-d", out.toString()), null, List.of(file)).call();
        assertTrue(ok, "the page's RememberingLoop compiles");
        URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, RememberingLoopDocTest.class.getClassLoader());
        return loader.loadClass(pkg + ".RememberingLoop");
    }

    @Test
    void theLoopFindsTheNearestNoteBudgetsThePromptAndAsks() throws Exception {
        Class<?> type = rememberingLoop(Files.createTempDirectory("remembering-loop"));
        Constructor<?> make = type.getConstructor(LlmProvider.class, EmbeddingProvider.class, long.class);
        Object loop = make.newInstance(llm, embeddings, 2_000L);
        Method remember = type.getMethod("remember", List.class);
        Method ask = type.getMethod("ask", String.class, int.class);

        List<String> notes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            notes.add("Note " + i + ": the master's umbrella was left in room " + i + ".");
        }
        String question = "Where did I park the car?";
        notes.add(question); // the fake's vectors depend on the text alone: the question's twin is the nearest note
        remember.invoke(loop, notes);

        chatServer.enqueue(Reply.chat("On level 3, sir."));
        BudgetedRequest first = (BudgetedRequest) ask.invoke(loop, question, 3);
        assertEquals(TokenCount.Kind.TOKENIZER, first.tokens().kind());
        assertEquals(3, first.keptMemory().size());
        assertEquals(question, first.keptMemory().get(0));
        JsonNode sent = chatServer.takeRequest().json();
        assertEquals("system", sent.path("messages").get(0).path("role").asString());
        assertTrue(sent.path("messages").get(1).path("content").asString().contains(question));
        assertEquals(question, sent.path("messages").get(2).path("content").asString());

        // a long conversation in a small window: the oldest whole turns go, the question stays
        BudgetedRequest last = null;
        for (int turn = 0; turn < 30; turn++) {
            chatServer.enqueue(Reply.chat("Noted, sir: " + "very well ".repeat(20) + turn));
            last = (BudgetedRequest) ask.invoke(loop, "Tell me about note " + turn + " please, at length.", 3);
        }
        assertTrue(last.droppedTurns() > 0, "the oldest turns were dropped to fit");
        assertTrue(last.tokens().tokens() <= last.budget());
        List<RecordedRequest> chats = chatServer.takeRequests();
        JsonNode lastSent = chats.get(chats.size() - 1).json();
        JsonNode messages = lastSent.path("messages");
        assertEquals("Tell me about note 29 please, at length.", messages.get(messages.size() - 1).path("content").asString());
        assertTrue(embeddingsServer.requestCount() >= 32, "the notes, then one query per question");
    }
}
