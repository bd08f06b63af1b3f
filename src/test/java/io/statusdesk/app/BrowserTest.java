package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statusdesk.admin.Totp;
import io.statusdesk.statuspage.StatusPageConfig;
import io.statusdesk.store.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The status page in a real browser (Debian's headless Chromium): both languages and both colour
 * schemes, hovering a day bar, following the history, and a tenant signing in. Screenshots go to
 * {@code target/screenshots/}. Without Chromium the test is skipped, unless {@code
 * STATUSDESK_REQUIRE_BROWSER=1} (set by .ci/run) makes that a failure.
 */
@ExtendWith(VertxExtension.class)
class BrowserTest {
  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File DRIVER = new File("/usr/bin/chromedriver");
  private static final Path SHOTS = Path.of("target", "screenshots");
  private static final String SECRET = "browser-test-secret-of-32-characters-or-more";

  private ServiceHarness harness;
  private ChromeDriver browser;

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (harness != null) {
      harness.close();
    }
  }

  /**
   * Skips where Chromium is missing (a developer's machine), except in CI ({@code
   * STATUSDESK_REQUIRE_BROWSER=1}, set by .ci/run, which installs it), where that fails.
   */
  private static void requireChromium() throws IOException {
    boolean present = CHROMIUM.canExecute() && DRIVER.canExecute();
    if ("1".equals(System.getenv("STATUSDESK_REQUIRE_BROWSER"))) {
      assertThat(present).as("chromium and chromium-driver are installed").isTrue();
    }
    Assumptions.assumeTrue(
        present,
        "Chromium is not installed (apt-get install chromium "
            + "chromium-driver); .ci/run installs it");
    Files.createDirectories(SHOTS);
  }

  @Test
  void aVisitorAndATenantUseThePageInARealBrowser(Vertx vertx) throws Exception {
    requireChromium();

    AtomicInteger sns = new AtomicInteger(503);
    int port = ProbeTarget.listen(vertx, path -> path.startsWith("/sns") ? sns.get() : 200);
    harness =
        ServiceHarness.start(
            vertx,
            """
            timezone: Asia/Seoul
            defaults: {interval: 200ms, timeout: 150ms, failure_threshold: 2, success_threshold: 2}
            components:
              - id: ticketing
                name: {en: Ticketing, ko: 티켓팅}
                group: Core
                impact: major
                url: "http://127.0.0.1:%1$d/t"
              - id: sns
                name: {en: SNS connectors, ko: SNS 연동}
                group: Integrations
                impact: partial
                url: "http://127.0.0.1:%1$d/sns"
            """
                .formatted(port),
            Map.of(),
            new StatusPageConfig(
                Optional.empty(), "'self'", Optional.of(SECRET), Optional.empty()));
    try (Connection c = TestDatabase.connect(harness.dbUrl);
        Statement s = c.createStatement()) {
      s.execute(
          """
          INSERT INTO tenant_versions (tenant_id, valid_from, name, plan, members, status, cells,
            recorded_by)
          VALUES ('acme', '2026-01-01T00:00:00Z', 'Acme Support', 'earth', 10, 'current', '{main}',
            't')\
          """);
    }
    String base = "http://127.0.0.1:" + harness.service.httpPort();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> harness.count("SELECT count(*) FROM incidents") > 0);

    ChromeOptions options =
        new ChromeOptions()
            .setBinary(CHROMIUM)
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--window-size=1280,1600",
                "--lang=en-US");
    browser =
        new ChromeDriver(
            new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).build(), options);
    browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(2));

    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> {
              browser.get(base + "/?lang=en");
              // the status and the incident arrive in two rebuilds of the snapshot, a tick apart
              return browser
                      .findElement(By.cssSelector("#component-sns .status"))
                      .getText()
                      .contains("Major outage")
                  && !browser.findElements(By.id("active-incidents")).isEmpty();
            });
    assertThat(browser.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("en");
    assertThat(browser.findElement(By.cssSelector(".banner")).getText())
        .isEqualTo("Major System Outage");
    assertThat(browser.findElement(By.cssSelector("#active-incidents")).getText())
        .isEqualTo("Active incidents");
    assertThat(background()).contains("255, 255, 255");
    shot("index-en-light");

    scheme("dark");
    browser.navigate().refresh();
    assertThat(background()).contains("17, 21, 28");
    shot("index-en-dark");

    browser.findElement(By.id("switch-language")).click();
    assertThat(browser.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("ko");
    assertThat(browser.findElement(By.cssSelector("#component-sns h4")).getText())
        .isEqualTo("SNS 연동");
    shot("index-ko-dark");
    scheme("light");
    browser.navigate().refresh();
    assertThat(browser.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("ko");
    shot("index-ko-light");

    // today's bar counts the outage's minutes once a snapshot has them (facts are rebuilt on
    // announced changes and at least every minute), so a loaded machine may need a refresh
    await()
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .until(
            () -> {
              browser.navigate().refresh();
              WebElement today =
                  browser.findElement(By.cssSelector("#component-sns ol.bars > li:last-child"));
              WebElement tip = today.findElement(By.cssSelector(".tip"));
              assertThat(tip.isDisplayed()).isFalse();
              new Actions(browser).moveToElement(today).perform();
              await().atMost(Duration.ofSeconds(5)).until(tip::isDisplayed);
              return tip.getText().contains("부분 장애") && tip.getText().contains("SNS 연동 일부 장애");
            });
    shot("day-bar-hover");

    // a narrow phone in Korean: the last 30 days, readable, nothing cut off
    browser.manage().window().setSize(new Dimension(390, 844));
    browser.navigate().refresh();
    assertThat(browser.findElement(By.cssSelector("#component-sns .legend .short")).getText())
        .isEqualTo("30일 전");
    assertThat(browser.findElements(By.cssSelector("#component-sns ol.bars > li.older")))
        .allMatch(li -> !li.isDisplayed());
    // Korean never breaks inside a word: each end of the bar's legend is one line
    for (WebElement end :
        browser.findElements(
            By.cssSelector(
                "#component-sns .legend > span:not(.uptime):not(:has(span))"
                    + ", #component-sns .legend .short"))) {
      Number lineHeight =
          (Number)
              browser.executeScript(
                  "return parseFloat(getComputedStyle(arguments[0]).fontSize)", end);
      assertThat(end.getSize().getHeight())
          .as("height of '%s'", end.getText())
          .isLessThan((int) Math.ceil(lineHeight.doubleValue() * 2));
    }
    assertThat(
            ((Number) browser.executeScript("return document.documentElement.scrollWidth"))
                .intValue())
        .isLessThanOrEqualTo(390);
    shot("index-ko-mobile");
    browser.manage().window().setSize(new Dimension(1280, 1600));

    // the incident's own page, from its title
    browser
        .findElement(
            By.cssSelector("section[aria-labelledby=active-incidents] article.incident h3 a"))
        .click();
    assertThat(browser.getCurrentUrl()).contains("/incidents/");
    assertThat(browser.findElement(By.cssSelector("article.incident h2")).getText())
        .contains("SNS 연동 일부 장애");
    assertThat(browser.findElement(By.cssSelector("ol.updates")).getText()).isNotBlank();
    shot("incident-ko");
    browser.navigate().back();

    browser.findElement(By.linkText("장애 이력")).click();
    assertThat(browser.getCurrentUrl()).contains("/history");
    assertThat(browser.findElement(By.cssSelector("article.incident h3")).getText())
        .contains("SNS 연동 일부 장애");
    shot("history-ko");
    browser.findElement(By.id("previous-month")).click();
    assertThat(browser.getCurrentUrl()).contains("/history?month=");
    assertThat(browser.findElement(By.id("next-month")).isDisplayed()).isTrue();

    String token =
        JWTAuth.create(
                vertx,
                new JWTAuthOptions()
                    .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)))
            .generateToken(
                new JsonObject().put("sub", "acme"), new JWTOptions().setExpiresInSeconds(120));
    // a page left open follows the state by itself: the connectors recover, the page says so
    browser.get(base + "/?lang=en");
    WebElement marker = browser.findElement(By.id("components"));
    sns.set(200);
    await()
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .until(
            () ->
                browser
                    .findElement(By.cssSelector("#component-sns .status"))
                    .getText()
                    .contains("Operational"));
    assertThat(ExpectedConditions.stalenessOf(marker).apply(browser))
        .as("the page reloaded itself")
        .isTrue();

    browser.get(base + "/tenant/sso?token=" + token + "&lang=en");
    assertThat(browser.getCurrentUrl()).endsWith("/tenant");
    assertThat(browser.findElement(By.id("tenant-name")).getText()).isEqualTo("Acme Support");
    assertThat(browser.findElement(By.id("balance-krw")).getText()).isEqualTo("0");
    shot("tenant");
  }

  /**
   * The console in a real browser: an account from its set-up link (the test computes the
   * authenticator's codes), sign-in, a weekly maintenance window that the public page and the
   * iCalendar feed show, an incident that turns the component's public status, an outage
   * reclassified after a preview that shows the month change; and a screenshot of every console
   * page in both languages.
   */
  @Test
  void anOperatorRunsTheServiceFromTheConsole(Vertx vertx) throws Exception {
    requireChromium();
    int port = ProbeTarget.listen(vertx, path -> 200);
    harness =
        ServiceHarness.start(
            vertx,
            """
            timezone: Asia/Seoul
            defaults: {interval: 500ms, timeout: 400ms}
            components:
              - id: ticketing
                name: {en: Ticketing, ko: 티켓팅}
                group: Core
                impact: major
                url: "http://127.0.0.1:%d/t"
            """
                .formatted(port),
            Map.of());
    try (Connection c = TestDatabase.connect(harness.dbUrl);
        Statement s = c.createStatement()) {
      s.execute(
          """
          INSERT INTO tenant_versions
            (tenant_id, valid_from, name, plan, members, status, cells, recorded_by)
          VALUES
            ('acme', '2026-01-01T00:00:00Z', 'Acme Support', 'earth', 10, 'current', '{}', 't')\
          """);
    }
    String base = "http://127.0.0.1:" + harness.service.httpPort();
    String link = ConsoleUser.invite(harness, "lead@example.com", "admin");
    browser = chrome();

    // set-up: a password and the authenticator, whose code the test computes from the page
    // the command line knows no running port: the link is the path on this service
    browser.get(base + link.substring(link.indexOf("/admin/")) + "&lang=en");
    shot("console-setup-en");
    String secret = browser.findElement(By.id("totp-secret")).getText().replace(" ", "");
    String password = "a long and memorable passphrase";
    browser.findElement(By.id("f-password")).sendKeys(password);
    browser.findElement(By.id("f-password-repeat")).sendKeys(password);
    long step = Totp.step(harness.clock.instant());
    browser.findElement(By.id("f-code")).sendKeys(codeOf(secret, step));
    browser.findElement(By.id("finish-setup")).click();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> browser.findElements(By.cssSelector("#recovery-codes li")).size() == 10);
    shot("console-setup-done-en");

    // sign in with the next step's code: the one used at set-up never works again
    browser.findElement(By.id("go-sign-in")).click();
    shot("console-sign-in-en");
    // by keyboard alone: the email field has the focus, Tab walks the form, Enter sends it
    assertThat(browser.switchTo().activeElement().getDomAttribute("id")).isEqualTo("f-email");
    browser.switchTo().activeElement().sendKeys("lead@example.com", Keys.TAB);
    assertThat(browser.switchTo().activeElement().getDomAttribute("id")).isEqualTo("f-password");
    browser.switchTo().activeElement().sendKeys(password, Keys.TAB);
    assertThat(browser.switchTo().activeElement().getDomAttribute("id")).isEqualTo("f-code");
    assertThat(browser.switchTo().activeElement().getCssValue("outline-style")).isEqualTo("solid");
    browser.switchTo().activeElement().sendKeys(codeOf(secret, step + 1), Keys.ENTER);
    awaitUrl("/admin/overview");
    assertThat(browser.findElement(By.id("signed-in-as")).getText()).contains("lead@example.com");
    // the first Tab on a page reaches the link past the navigation
    new Actions(browser).sendKeys(Keys.TAB).perform();
    assertThat(browser.switchTo().activeElement().getDomAttribute("class")).isEqualTo("skip");

    // a weekly maintenance window: previewed, saved, on the public page and in the feed
    browser.get(base + "/admin/maintenance/new");
    browser.findElement(By.id("f-title")).sendKeys("Weekly database upkeep");
    browser.findElement(By.id("c-ticketing")).click();
    new Select(browser.findElement(By.id("f-repeat"))).selectByValue("weekly");
    browser.findElement(By.id("preview-maintenance")).click();
    assertThat(browser.findElements(By.cssSelector("#occurrences li"))).hasSize(10);
    assertThat(browser.findElement(By.id("series-text")).getText()).startsWith("every ");
    shot("console-maintenance-preview-en");
    browser.findElement(By.id("save-maintenance")).click();
    awaitUrl("/admin/maintenance/1?done=");
    WebClient web = WebClient.create(vertx);
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> {
              browser.get(base + "/?lang=en");
              return browser.getPageSource().contains("Weekly database upkeep");
            });
    String ics =
        get(web.get(harness.service.httpPort(), "127.0.0.1", "/maintenance.ics").send())
            .bodyAsString();
    assertThat(ics.split("SUMMARY:Weekly database upkeep", -1).length - 1)
        .as("weekly occurrences in the feed")
        .isGreaterThan(1);

    // an incident from the console turns the component's public status
    browser.get(base + "/admin/incidents/new");
    browser.findElement(By.id("f-title")).sendKeys("Ticketing is down");
    new Select(browser.findElement(By.id("impact-ticketing"))).selectByValue("major_outage");
    setValue("f-started_at", LOCAL.format(harness.clock.instant().minusSeconds(3600)));
    browser.findElement(By.id("f-message")).sendKeys("We are looking into it.");
    browser.findElement(By.id("open-incident")).click();
    awaitUrl("?done=incident_opened");
    String incidentPage = browser.getCurrentUrl().replaceAll("\\?.*", "");
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> {
              browser.get(base + "/?lang=en");
              return browser
                  .findElement(By.cssSelector("#component-ticketing .status"))
                  .getText()
                  .contains("Major outage");
            });
    shot("console-public-page-after-incident");

    // reclassify the outage behind it: the preview shows the month's MUP move
    browser.get(incidentPage);
    browser.findElement(By.cssSelector("#incident-outages a")).click();
    new Select(browser.findElement(By.id("f-class"))).selectByValue("partial");
    browser.findElement(By.id("preview-change")).click();
    WebElement after = browser.findElement(By.cssSelector("#preview-table .mup-after"));
    WebElement before = after.findElement(By.xpath("preceding-sibling::td[1]"));
    assertThat(after.getText()).isNotEqualTo(before.getText());
    assertThat(after.getAttribute("class")).contains("changed");
    shot("console-outage-preview-en");
    browser.findElement(By.id("save-outage")).click();
    awaitUrl("?done=outage_changed");
    assertThat(browser.findElement(By.id("notice")).getText()).isNotBlank();

    // every console page, in both languages
    String month = YearMonth.now(ZoneId.of("Asia/Seoul")).toString();
    List<String> pages =
        List.of(
            "/admin/overview",
            "/admin/overview/ticketing/main",
            "/admin/incidents",
            "/admin/incidents/new",
            incidentPage.substring(base.length()),
            "/admin/outages",
            browser.getCurrentUrl().replaceAll("\\?.*", "").substring(base.length()),
            "/admin/maintenance",
            "/admin/maintenance/new",
            "/admin/maintenance/1",
            "/admin/tenants",
            "/admin/tenants/acme",
            "/admin/tenants/import",
            "/admin/months",
            "/admin/months/" + month,
            "/admin/ledger",
            "/admin/ledger/tenants/acme",
            "/admin/sla",
            "/admin/audit",
            "/admin/accounts",
            "/admin/tokens");
    for (String lang : List.of("en", "ko")) {
      for (String page : pages) {
        browser.get(base + page + "?lang=" + lang);
        assertThat(browser.findElement(By.tagName("html")).getDomAttribute("lang"))
            .as(page)
            .isEqualTo(lang);
        assertThat(browser.findElements(By.id("signed-in-as"))).as(page).hasSize(1);
        shot("console" + page.replace('/', '-').replace("-admin", "") + "-" + lang);
      }
    }
    scheme("dark");
    browser.get(base + "/admin/overview?lang=ko");
    assertThat(background()).contains("17, 21, 28");
    shot("console-overview-ko-dark");
    scheme("light");
    browser.findElement(By.id("sign-out")).click();
    awaitUrl("/admin/sign-in?done=signed_out");
    browser.get(base + "/admin/sign-in?lang=ko");
    shot("console-sign-in-ko");
  }

  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneId.of("Asia/Seoul"));

  /** Waits for a form's redirect to land where it should. */
  private void awaitUrl(String part) {
    await().atMost(Duration.ofSeconds(20)).until(() -> browser.getCurrentUrl().contains(part));
  }

  private static String codeOf(String secret, long step) {
    return Totp.code(secret, Instant.ofEpochSecond(step * 30));
  }

  /** Sets an input's value as the browser would after typing it (date pickers vary by locale). */
  private void setValue(String id, String value) {
    browser.executeScript("document.getElementById(arguments[0]).value = arguments[1];", id, value);
  }

  private ChromeDriver chrome() {
    ChromeOptions options =
        new ChromeOptions()
            .setBinary(CHROMIUM)
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--window-size=1280,1600",
                "--lang=en-US");
    ChromeDriver driver =
        new ChromeDriver(
            new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).build(), options);
    driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(2));
    return driver;
  }

  private String background() {
    return browser.findElement(By.tagName("body")).getCssValue("background-color");
  }

  private void scheme(String value) {
    browser.executeCdpCommand(
        "Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", value))));
  }

  private void shot(String name) throws Exception {
    File file = browser.getScreenshotAs(OutputType.FILE);
    Files.copy(file.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
