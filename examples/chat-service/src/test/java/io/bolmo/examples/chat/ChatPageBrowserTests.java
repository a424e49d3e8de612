package io.bolmo.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.util.FileSystemUtils;

/**
 * The chat page in a real headless browser (Debian's chromium and chromium-driver, installed by .ci/run): type a
 * message, see the answer stream in.
 */
class ChatPageBrowserTests extends ServiceTestBase {

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
        // an explicit driver executable keeps Selenium Manager from trying to download one
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
    void typeAMessageAndSeeAStreamedAnswer() {
        driver.get("http://127.0.0.1:" + port + "/");
        assertThat(driver.getTitle()).isEqualTo("Bolmo chat");
        WebElement input = driver.findElement(By.id("message"));
        input.sendKeys("Hello, Bolmo!");
        driver.findElement(By.id("send")).click();

        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        wait.until(d -> "done".equals(d.findElement(By.id("status")).getText()));
        assertThat(driver.findElement(By.cssSelector("#log .user")).getText()).isEqualTo("You: Hello, Bolmo!");
        WebElement answer = driver.findElement(By.cssSelector("#log .answer"));
        assertThat(Integer.parseInt(answer.getDomAttribute("data-pieces"))).as("pieces streamed").isPositive();
        Object text = ((JavascriptExecutor) driver).executeScript("return arguments[0].textContent", answer);
        assertThat((String) text).isNotEmpty();
        assertThat(driver.findElements(By.cssSelector("#log .error"))).isEmpty();
    }
}
