package io.bolmo.examples.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.util.FileSystemUtils;

/**
 * The status page in headless Chromium (Debian's chromium and chromium-driver, as for the chat example), signed in
 * through the login form: a running fine-tune's row shows its progress advancing and its loss curve growing; its
 * stop button works (the page sends the session's CSRF token); another origin's form post to stop it is refused.
 */
class StatusPageBrowserTests extends ServiceTestBase {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private WebDriver driver;
    private Path profile;

    @BeforeEach
    void startBrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "skipped: /usr/bin/chromium or /usr/bin/chromedriver is missing "
                        + "(apt-get install -y chromium chromium-driver; CI installs them)");
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run",
                        "--disable-dev-shm-usage", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            FileSystemUtils.deleteRecursively(profile.toFile());
        }
    }

    @Test
    void aRunningJobsProgressAdvancesOnThePage() throws Exception {
        HttpResponse<String> started = post("/api/jobs/finetune/executions", finetuneBody("browser-run", 400));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        long id = JsonParser.parseString(started.body()).getAsJsonObject().get("id").getAsLong();
        try {
            login();
            assertThat(driver.getTitle()).isEqualTo("Bolmo training");
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(120));
            String row = "#executions tr[data-id='" + id + "']";
            // the table is redrawn every second: read it through one script call rather than element handles
            wait.until(d -> "STARTED".equals(js(row, "data-status")) && num(js(row, "data-step")) >= 1);
            long first = num(js(row, "data-step"));
            String firstText = js(row + " .progress", null);
            assertThat(firstText).endsWith("/400");
            wait.until(d -> num(js(row, "data-step")) >= first + 2);
            assertThat(js(row + " .progress", null)).isNotEqualTo(firstText);
            // the selected execution's curve gains points as steps finish
            wait.until(d -> num(js("#loss-chart", "data-points")) >= 2);
            long points = num(js("#loss-chart", "data-points"));
            wait.until(d -> num(js("#loss-chart", "data-points")) > points);
            assertThat(js("#detail-id", null)).startsWith(id + " (finetune)");
        } finally {
            stopAndWait(id);
        }
    }

    @Test
    void thePagesStopButtonSendsTheSessionsCsrfToken() throws Exception {
        long id = startLongRun("browser-stop");
        try {
            login();
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(120));
            String row = "#executions tr[data-id='" + id + "']";
            wait.until(d -> "STARTED".equals(js(row, "data-status")) && num(js(row, "data-step")) >= 1);
            ((JavascriptExecutor) driver).executeScript("document.querySelector(arguments[0]).click();",
                    row + " button");
            JsonObject stopped = await(id, ServiceTestBase::ended, 120);
            assertThat(stopped.get("status").getAsString()).isEqualTo("STOPPED");
            wait.until(d -> "stop requested".equals(js("#message", null)));
        } finally {
            stopAndWait(id);
        }
    }

    /**
     * A page of another origin (here: another port of the same host, so the session cookie is even sent) posts a
     * form to the stop endpoint while the user is logged in: refused, and the run goes on.
     */
    @Test
    void aCrossSiteFormPostIsRefusedAndTheRunGoesOn() throws Exception {
        long id = startLongRun("browser-csrf");
        HttpServer attacker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] page = ("<html><body><form id='f' method='POST' action='http://localhost:" + port + "/api/executions/"
                + id + "/stop'></form><script>document.getElementById('f').submit();</script></body></html>")
                .getBytes(StandardCharsets.UTF_8);
        attacker.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        attacker.start();
        try {
            login();
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            wait.until(d -> num(js("#executions tr[data-id='" + id + "']", "data-step")) >= 1);
            long before = step(execution(id));
            driver.get("http://localhost:" + attacker.getAddress().getPort() + "/");
            wait.until(d -> d.getCurrentUrl().contains("/api/executions/" + id + "/stop"));
            assertThat(driver.getPageSource()).contains("cross-origin request from");
            JsonObject after = await(id, e -> step(e) > before + 1, 120);
            assertThat(after.get("status").getAsString()).isEqualTo("STARTED");
        } finally {
            attacker.stop(0);
            stopAndWait(id);
        }
    }

    /** Signs in through the login form the service shows to a browser, then lands on the status page. */
    private void login() {
        driver.get("http://localhost:" + port + "/");
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        wait.until(d -> d.getCurrentUrl().contains("/login"));
        driver.findElement(By.id("username")).sendKeys(USER);
        driver.findElement(By.id("password")).sendKeys(PASSWORD);
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        wait.withMessage(() -> "after signing in: " + driver.getCurrentUrl() + " " + driver.getTitle())
                .until(d -> "Bolmo training".equals(d.getTitle()));
    }

    private long startLongRun(String output) throws Exception {
        HttpResponse<String> started = post("/api/jobs/finetune/executions", finetuneBody(output, 400));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        return JsonParser.parseString(started.body()).getAsJsonObject().get("id").getAsLong();
    }

    /** An attribute of the first element matching {@code selector} (its text when {@code attribute} is null). */
    private String js(String selector, String attribute) {
        Object v = ((JavascriptExecutor) driver).executeScript("var e = document.querySelector(arguments[0]);"
                + " return e == null ? null : (arguments[1] == null ? e.textContent : e.getAttribute(arguments[1]));",
                selector, attribute);
        return v == null ? null : v.toString();
    }

    private static long num(String s) {
        return s == null || s.isEmpty() ? -1 : Long.parseLong(s);
    }
}
