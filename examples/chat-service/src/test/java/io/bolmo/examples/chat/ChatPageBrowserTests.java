package io.bolmo.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.generate.ByteBoundaries;
import io.bolmo.generate.FinishReason;
import io.bolmo.generate.GenerationResult;
import io.bolmo.spring.ai.BolmoChatModel;
import io.bolmo.tokenize.ChatMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.bolmo.testing.browser.HeadlessChromium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/**
 * The chat page in a real headless browser (Debian's chromium and chromium-driver, installed by .ci/run) against the
 * service on the shipped small model, with what the model received and reported recorded on the server
 * ({@link RecordingModelConfiguration}): conversations, streaming, stop, settings, the patch view, phone width.
 * Writes the screenshots the example's README shows: to {@code target/screenshots/}, or with
 * {@code -Dbolmo.screenshots.update=true} over the README's own in {@code docs/} (a test run leaves the checkout as
 * it was unless asked).
 */
@Import(RecordingModelConfiguration.class)
class ChatPageBrowserTests extends ServiceTestBase {

    /** Where the screenshots go (the build runs in the module): the README's docs/ only when asked. */
    private static final Path SCREENSHOTS = Boolean.getBoolean("bolmo.screenshots.update") ? Path.of("docs")
            : Path.of("target", "screenshots");

    @Autowired
    RecordingModelConfiguration.RecordingEngine engine;

    @Autowired
    BolmoChatModel chatModel;

    private HeadlessChromium browser;
    private WebDriver driver;

    @BeforeEach
    void startBrowser() {
        browser = HeadlessChromium.start();
        driver = browser.driver();
        driver.manage().window().setSize(new Dimension(1000, 1100));
        engine.stepDelayMillis = 0;
    }

    @AfterEach
    void stopBrowser() {
        engine.stepDelayMillis = 0;
        if (browser != null) {
            browser.close();
        }
    }

    private void open() {
        driver.get("http://127.0.0.1:" + port + "/");
        assertThat(driver.getTitle()).isEqualTo("Bolmo chat");
    }

    private WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds));
    }

    private String status() {
        return driver.findElement(By.id("status")).getText();
    }

    /** Types a message, presses Enter (no mouse) and waits until the reply is complete. */
    private void say(String message) {
        int before = engine.turns.size();
        driver.findElement(By.id("message")).sendKeys(message, Keys.ENTER);
        waitUpTo(60).until(d -> engine.turns.size() > before && "done".equals(status()));
    }

    private void setting(String id, String value) {
        WebElement settings = driver.findElement(By.id("settings"));
        if (settings.getDomAttribute("open") == null) {
            driver.findElement(By.cssSelector("#settings summary")).click();
        }
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    @Test
    void typeAMessageAndSeeAStreamedAnswer() {
        open();
        WebElement input = driver.findElement(By.id("message"));
        input.sendKeys("Hello, Bolmo!");
        driver.findElement(By.id("send")).click();

        waitUpTo(60).until(d -> "done".equals(status()));
        assertThat(driver.findElement(By.cssSelector("#log .user")).getText()).isEqualTo("You: Hello, Bolmo!");
        WebElement answer = driver.findElement(By.cssSelector("#log .answer"));
        assertThat(Integer.parseInt(answer.getDomAttribute("data-pieces"))).as("pieces streamed").isPositive();
        assertThat((String) js("return arguments[0].textContent", answer))
                .isEqualTo(engine.last().done.getNow(null).text());
        assertThat(driver.findElements(By.cssSelector("#log .error"))).isEmpty();
    }

    /** The third request carries the first two turns, as the model received them; a new conversation does not. */
    @Test
    void aThreeTurnConversationRemembersTheEarlierTurns() throws Exception {
        open();
        say("Madam President, the Commission");
        RecordingModelConfiguration.Turn first = engine.last();
        say("What about the Council?");
        RecordingModelConfiguration.Turn second = engine.last();
        say("And the Parliament?");
        RecordingModelConfiguration.Turn third = engine.last();

        assertThat(first.messages).extracting(ChatMessage::role, ChatMessage::content)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("user", "Madam President, the Commission"));
        String reply1 = first.done.get().text();
        String reply2 = second.done.get().text();
        assertThat(third.messages).extracting(ChatMessage::role).containsExactly("user", "assistant", "user",
                "assistant", "user");
        assertThat(third.messages).extracting(ChatMessage::content).containsExactly(
                "Madam President, the Commission", reply1, "What about the Council?", reply2, "And the Parliament?");
        assertThat(driver.findElements(By.cssSelector("#log .user"))).hasSize(3);

        driver.findElement(By.id("new-conversation")).click();
        say("Hello again");
        assertThat(engine.last().messages).extracting(ChatMessage::content).containsExactly("Hello again");
    }

    /** The reply grows on the page while the server is still generating it. */
    @Test
    void textAppearsIncrementallyWhileStreaming() {
        engine.stepDelayMillis = 15;
        open();
        setting("max-bytes", "120");
        driver.findElement(By.id("message")).sendKeys("Madam President", Keys.ENTER);
        List<Integer> lengths = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Object n = js("const a = document.querySelector('#log .answer'); return a ? a.textContent.length : 0");
            boolean streaming = "streaming".equals(status());
            if (!streaming && !lengths.isEmpty()) {
                break;
            }
            int len = ((Number) n).intValue();
            if (streaming && len > 0 && (lengths.isEmpty() || lengths.get(lengths.size() - 1) != len)) {
                lengths.add(len);
            }
            sleep(40);
        }
        assertThat(lengths).as("distinct lengths seen while streaming").hasSizeGreaterThanOrEqualTo(3);
        assertThat(lengths).isSorted();
        waitUpTo(60).until(d -> "done".equals(status()));
        assertThat(lengths.get(0)).isLessThan(engine.last().done.getNow(null).text().length());
    }

    /** Stop closes the stream; the engine stops the generation within a second of the click (measured there). */
    @Test
    void stopEndsTheGenerationOnTheServerWithinASecond() throws Exception {
        engine.stepDelayMillis = 20; // 2048 bytes would take > 40 s
        open();
        setting("max-bytes", "2048");
        driver.findElement(By.id("message")).sendKeys("Madam President, the Commission", Keys.ENTER);
        waitUpTo(60).until(d -> ((Number) js("return document.querySelector('#log .answer').textContent.length"))
                .intValue() > 0);
        RecordingModelConfiguration.Turn turn = engine.last();
        assertThat(turn.done).isNotDone();
        long clicked = System.nanoTime();
        driver.findElement(By.id("stop")).click();
        GenerationResult r = turn.done.get(10, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(turn.endNanos - clicked);
        assertThat(r.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(millis).as("ms from the click to the engine's stop").isLessThan(1000);
        assertThat(r.generatedUnits()).isLessThan(2048);
        waitUpTo(5).until(d -> chatModel.activeGenerations() == 0);
        waitUpTo(5).until(d -> "stopped".equals(status()));
        assertThat(driver.findElement(By.id("send")).isEnabled()).isTrue();
    }

    /**
     * The patch view's shaded spans are the patches the model reported for the reply (and for the prompt), byte for
     * byte; each character's title holds the model's probabilities. Writes the screenshots.
     */
    @Test
    void thePatchViewShowsThePatchesTheModelReported() throws Exception {
        open();
        driver.findElement(By.id("show-prompt")).click();
        setting("max-bytes", "160");
        say("Madam President, the Commission");
        RecordingModelConfiguration.Turn turn = engine.last();
        ByteBoundaries reply = turn.reply();
        assertThat(reply.length()).isPositive();
        assertThat(spans("#patch-view")).isEqualTo(patches(reply));
        assertThat(spans("#patch-prompt")).isEqualTo(patches(turn.prompt));
        assertThat(driver.findElements(By.cssSelector("#patch-view .patch.ended"))).hasSize(reply.patchEnds());

        WebElement firstChar = driver.findElement(By.cssSelector("#patch-view .ch"));
        assertThat(firstChar.getDomAttribute("title")).startsWith(String.format(java.util.Locale.ROOT,
                "byte 0x%02x: P(ends a patch) = %.3f", reply.bytes()[0], reply.probability()[0]));
        String stats = driver.findElement(By.cssSelector("#log .stats")).getText();
        GenerationResult r = turn.done.get();
        assertThat(stats).contains(r.generatedBytes() + " bytes", patches(reply).size() + " patches", "bytes/s",
                "first byte after");

        say("What about the Council?");
        Files.createDirectories(SCREENSHOTS);
        save(((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES), "chat-page.png");
        WebElement patches = driver.findElement(By.id("patches"));
        // an element's screenshot is cut at the viewport: bring the whole view into it first
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView(true)", patches);
        save(patches.getScreenshotAs(OutputType.BYTES), "patch-view.png");
    }

    /** Every setting reaches the model; a bad one is refused with a message that names it and the allowed range. */
    @Test
    void settingsChangeTheRequest() {
        open();
        setting("temperature", "0.7");
        setting("top-p", "0.9");
        setting("max-bytes", "40");
        setting("boundary-bias", "0.5");
        setting("repetition-penalty", "2");
        setting("seed", "7");
        setting("stop-sequences", "zzz");
        say("Madam President");
        var o = engine.last().options;
        assertThat(o.temperature()).isEqualTo(0.7);
        assertThat(o.topP()).isEqualTo(0.9);
        assertThat(o.maxNewBytes()).isEqualTo(40);
        assertThat(o.boundaryBias()).isEqualTo(0.5);
        assertThat(o.repetitionPenalty()).isEqualTo(2.0);
        assertThat(o.seed()).isEqualTo(7L);
        assertThat(o.stop()).contains("zzz");
        assertThat(o.reportBoundaries()).isTrue();

        int before = engine.turns.size();
        setting("temperature", "5");
        driver.findElement(By.id("message")).sendKeys("Hi", Keys.ENTER);
        waitUpTo(30).until(d -> "error".equals(status()));
        assertThat(driver.findElement(By.cssSelector("#log .error")).getText())
                .isEqualTo("temperature = 5.0 is invalid: it must be between 0 and 2.0 (0 = greedy)");
        assertThat(engine.turns).hasSize(before);
    }

    @Test
    void atPhoneWidthThereIsNoHorizontalScroll() throws Exception {
        driver.manage().window().setSize(new Dimension(390, 844));
        open();
        assertThat(((Number) js("return window.innerWidth")).intValue()).isLessThanOrEqualTo(390);
        driver.findElement(By.cssSelector("#settings summary")).click();
        driver.findElement(By.id("show-prompt")).click();
        say("Madam President, the Commission");
        assertNoHorizontalScroll();
        save(((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES), "chat-page-phone.png");
        // a long unbroken word must wrap too (after the screenshot, which shows the page as a user sees it)
        js("document.querySelector('#log .answer').textContent += 'x'.repeat(300)");
        assertNoHorizontalScroll();
    }

    private void assertNoHorizontalScroll() {
        assertThat(((Number) js("return document.documentElement.scrollWidth")).intValue())
                .as("page width at 390 px").isLessThanOrEqualTo(((Number) js(
                        "return document.documentElement.clientWidth")).intValue());
    }

    /** Written next to the final name, then moved, so a half-written PNG is never left in docs/. */
    private static void save(byte[] png, String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Path tmp = Files.createTempFile(SCREENSHOTS, name, ".tmp");
        Files.write(tmp, png);
        Files.move(tmp, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The byte values of each shaded span of a patch view. */
    private List<List<Integer>> spans(String view) {
        List<List<Integer>> out = new ArrayList<>();
        for (WebElement span : driver.findElements(By.cssSelector(view + " .patch"))) {
            out.add(Arrays.stream(span.getDomAttribute("data-bytes").split(" ")).map(Integer::valueOf).toList());
        }
        return out;
    }

    /** The model's patches: runs of bytes each ending at a flagged byte, and the open one after the last. */
    private static List<List<Integer>> patches(ByteBoundaries b) {
        List<List<Integer>> out = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        for (int i = 0; i < b.length(); i++) {
            current.add(b.bytes()[i]);
            if (b.endsPatch()[i]) {
                out.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
