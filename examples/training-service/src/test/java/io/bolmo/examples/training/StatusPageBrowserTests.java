package io.bolmo.examples.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonParser;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.util.FileSystemUtils;

/**
 * The status page in headless Chromium (Debian's chromium and chromium-driver, as for the chat example): a running
 * fine-tune's row shows its progress advancing and its loss curve growing.
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
            driver.get("http://localhost:" + port + "/");
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
