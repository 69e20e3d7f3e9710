package dev.alfred.llm.docs;

import org.junit.jupiter.api.Test;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every {@code ```java} block of {@code README.md} and of every Markdown file under {@code docs/} (a page
 * added later is read too) is compiled with {@code javax.tools} against the class path of every library
 * module, so the docs cannot show code that does not compile.
 *
 * <p>The convention a snippet follows, so that a reader can copy it whole:
 * <ul>
 *   <li>It starts with the {@code import} lines of every type it names (nothing is imported for it but
 *       {@code java.lang}).</li>
 *   <li>When the first line after the imports declares a class, interface or enum (with modifiers or
 *       annotations or not), the snippet is a compilation unit and is compiled as it stands.</li>
 *   <li>Otherwise it is the body of a method — statements, local records and classes — and is compiled
 *       inside {@code class Snippet { void snippet(...) throws Exception { … } }}. What it uses without
 *       declaring it is named in a comment among the imports, {@code // given: LlmProvider llm, String mail},
 *       which becomes the method's parameters: the reader sees what the snippet takes from the code
 *       around it.</li>
 * </ul>
 * Each snippet is compiled in a package of its own, so two snippets may declare the same names. A
 * failure names the Markdown file and line of each error.
 */
class DocSnippetsTest {

    private static final Pattern FENCE_OPEN = Pattern.compile("^\\s*```java\\s*$");
    private static final Pattern FENCE_CLOSE = Pattern.compile("^\\s*```\\s*$");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?[\\w.]+(\\.\\*)?\\s*;\\s*(//.*)?$");
    private static final Pattern GIVEN = Pattern.compile("^//\\s*given:\\s*(.+)$");
    private static final Pattern TYPE_DECLARATION = Pattern.compile(
            "^(@[\\w.]+(\\([^)]*\\))?\\s+)*((public|protected|private|abstract|final|sealed|non-sealed|static|strictfp)\\s+)*"
                    + "(class|interface|enum|@interface)\\s+\\w+.*");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^(?:@[\\w.]+(?:\\([^)]*\\))?\\s+)*public\\s+(?:(?:abstract|final|sealed|non-sealed|static|strictfp)\\s+)*"
                    + "(?:class|interface|enum|record|@interface)\\s+(\\w+)");

    /** One {@code ```java} block: where it is, and its lines. */
    record Snippet(String file, int firstLine, List<String> lines) {
    }

    /** A snippet turned into Java source, with the Markdown line of each of its lines (0 for added ones). */
    record Unit(Snippet snippet, String typeName, String source, List<Integer> origins) {
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("llm-docs")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no README.md with an llm-docs module above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** README.md and every Markdown file under docs/, in a stable order. */
    static List<Path> markdownFiles(Path root) {
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        Path docs = root.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> all = Files.walk(docs)) {
                all.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".md")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    /** The {@code ```java} blocks of a Markdown text. */
    static List<Snippet> snippets(String file, String markdown) {
        List<Snippet> found = new ArrayList<>();
        String[] lines = markdown.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (FENCE_OPEN.matcher(lines[i]).matches()) {
                int start = i + 1;
                int end = start;
                while (end < lines.length && !FENCE_CLOSE.matcher(lines[end]).matches()) {
                    end++;
                }
                if (end == lines.length) {
                    throw new AssertionError(file + ":" + (start) + ": a ```java block that is never closed");
                }
                found.add(new Snippet(file, start + 1, List.of(lines).subList(start, end)));
                i = end;
            }
        }
        return found;
    }

    /** The snippet as Java source in package {@code snippets.s<n>} (see the class comment for the convention). */
    static Unit unit(Snippet s, int n) {
        List<String> head = new ArrayList<>();
        List<Integer> headOrigins = new ArrayList<>();
        List<String> givens = new ArrayList<>();
        int i = 0;
        for (; i < s.lines().size(); i++) {
            String line = s.lines().get(i).strip();
            Matcher given = GIVEN.matcher(line);
            if (given.matches()) {
                givens.add(given.group(1).strip());
            } else if (!(line.isEmpty() || IMPORT.matcher(line).matches() || line.startsWith("//"))) {
                break;
            }
            head.add(s.lines().get(i));
            headOrigins.add(s.firstLine() + i);
        }
        List<String> body = s.lines().subList(i, s.lines().size());
        String first = body.isEmpty() ? "" : body.get(0).strip();
        boolean compilationUnit = TYPE_DECLARATION.matcher(first).matches();
        if (compilationUnit && !givens.isEmpty()) {
            throw new AssertionError(s.file() + ":" + s.firstLine() + ": a snippet that declares a type takes nothing"
                    + " given; '// given:' is for statements");
        }
        StringBuilder src = new StringBuilder();
        List<Integer> origins = new ArrayList<>();
        src.append("package snippets.s").append(n).append(";\n");
        origins.add(0);
        for (int k = 0; k < head.size(); k++) {
            src.append(head.get(k)).append('\n');
            origins.add(headOrigins.get(k));
        }
        String typeName = "Snippet";
        if (compilationUnit) {
            for (String line : body) {
                Matcher m = PUBLIC_TYPE.matcher(line.strip());
                if (m.find() && !line.startsWith(" ") && !line.startsWith("\t")) {
                    typeName = m.group(1);
                    break;
                }
            }
        } else {
            src.append("class Snippet { void snippet(").append(String.join(", ", givens)).append(") throws Exception {\n");
            origins.add(0);
        }
        for (int k = 0; k < body.size(); k++) {
            src.append(body.get(k)).append('\n');
            origins.add(s.firstLine() + i + k);
        }
        if (!compilationUnit) {
            src.append("}}\n");
            origins.add(0);
        }
        return new Unit(s, typeName, src.toString(), origins);
    }

    /**
     * Compiles the snippets together, each in its own package.
     *
     * @return one line per error, {@code file:line: message}; empty when all compile
     */
    static List<String> compile(List<Snippet> snippets) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: run the tests on a JDK");
        }
        List<Unit> units = new ArrayList<>();
        List<JavaFileObject> sources = new ArrayList<>();
        for (int n = 0; n < snippets.size(); n++) {
            Unit u = unit(snippets.get(n), n);
            units.add(u);
            sources.add(new Source(URI.create("string:///snippets/s" + n + "/" + u.typeName() + ".java"), u.source()));
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out;
        try {
            out = Files.createTempDirectory("doc-snippets");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "17", "-proc:none", "-implicit:none", "-Xlint:none",
                    "-classpath", System.getProperty("java.class.path"), "-d", out.toString());
            javac.getTask(null, files, diagnostics, options, null, sources).call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(out);
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            String where = "(no source)";
            if (d.getSource() != null) {
                int index = sources.indexOf(d.getSource());
                Unit u = units.get(index);
                long line = d.getLineNumber();
                int origin = line >= 1 && line <= u.origins().size() ? u.origins().get((int) line - 1) : 0;
                where = u.snippet().file() + ":" + (origin > 0 ? origin : u.snippet().firstLine() + " (snippet)");
            }
            errors.add(where + ": " + d.getMessage(Locale.ROOT).replaceAll("\\s*\\R\\s*", " "));
        }
        return errors;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(URI uri, String code) {
            super(uri, Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }

    static List<Snippet> allSnippets() {
        Path root = root();
        List<Snippet> all = new ArrayList<>();
        for (Path file : markdownFiles(root)) {
            try {
                all.addAll(snippets(root.relativize(file).toString(), Files.readString(file)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all;
    }

    @Test
    void everyJavaSnippetOfTheReadmeAndTheDocsCompiles() {
        List<Snippet> all = allSnippets();
        assertFalse(all.isEmpty(), "no ```java block found: is the README where this test looks?");
        System.out.println("DocSnippetsTest: compiling " + all.size() + " snippets of "
                + all.stream().map(Snippet::file).distinct().count() + " files");
        List<String> errors = compile(all);
        if (!errors.isEmpty()) {
            fail(errors.size() + " compilation errors in the docs' Java snippets (see DocSnippetsTest for the"
                    + " convention):\n" + String.join("\n", errors));
        }
    }

    @Test
    void theReadmeAndEveryPageUnderDocsAreRead() {
        Path root = root();
        List<String> names = markdownFiles(root).stream().map(p -> root.relativize(p).toString().replace('\\', '/'))
                .collect(Collectors.toList());
        assertEquals("README.md", names.get(0));
        assertTrue(names.contains("docs/tools.md"), names.toString());
        assertTrue(names.stream().filter(n -> n.startsWith("docs/")).count() >= 9, names.toString());
    }

    @Test
    void aSnippetThatDoesNotCompileFailsNamingItsFileAndLine() {
        String markdown = "# A page\n\nSome text.\n\n```java\nimport dev.alfred.llm.ChatRequest;\n"
                + "// given: dev.alfred.llm.LlmProvider llm\n\nChatRequest r = ChatRequest.of(\"hi\");\n"
                + "llm.chatt(r);\n```\n";
        List<String> errors = compile(snippets("docs/broken.md", markdown));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("docs/broken.md:10: "), errors.get(0));
        assertTrue(errors.get(0).contains("chatt"), errors.get(0));
    }

    @Test
    void aSnippetMustImportWhatItNames() {
        String markdown = "```java\nChatRequest r = ChatRequest.of(\"hi\");\n```\n";
        List<String> errors = compile(snippets("README.md", markdown));
        assertFalse(errors.isEmpty(), "a snippet without its imports compiled");
        assertTrue(errors.get(0).startsWith("README.md:2: "), errors.get(0));
    }

    @Test
    void aCompilationUnitCompilesAsItStandsAndTwoSnippetsMayDeclareTheSameNames() {
        String markdown = "```java\nimport java.util.List;\n\npublic final class Shelf {\n    List<String> books = List.of();\n}\n```\n"
                + "text\n```java\nrecord Book(String title) { }\nBook b = new Book(\"x\");\n```\n"
                + "```java\nrecord Book(int pages) { }\n```\n";
        List<Snippet> s = snippets("docs/x.md", markdown);
        assertEquals(3, s.size());
        assertEquals("Shelf", unit(s.get(0), 0).typeName());
        assertTrue(unit(s.get(1), 1).source().contains("void snippet()"), "statements are wrapped");
        assertEquals(List.of(), compile(s));
    }

    @Test
    void anUnclosedBlockIsAnError() {
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> snippets("docs/x.md", "```java\nint a = 1;\n"));
        assertTrue(e.getMessage().contains("docs/x.md:1"), e.getMessage());
    }
}
