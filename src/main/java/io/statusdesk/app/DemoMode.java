package io.statusdesk.app;

import io.statusdesk.demo.DemoData;
import io.statusdesk.demo.DemoHelpdesk;
import io.statusdesk.demo.DemoRepository;
import io.statusdesk.demo.DemoSecret;
import io.statusdesk.probe.Cell;
import io.statusdesk.store.Database;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code serve --demo} adds to a start: the simulated helpdesk the checks probe, a tenant
 * sign-in key of the data directory's own, and last month's demo facts, so a visitor, a tenant,
 * billing and an operator all find something real. Nothing here runs without {@code --demo}.
 */
final class DemoMode {
  private static final Logger log = LoggerFactory.getLogger(DemoMode.class);

  private DemoMode() {}

  /**
   * Starts the simulated helpdesk and answers the checks that probe it: {@code checksFile} if given
   * (with {@code ${DEMO_PORT}}), else the bundled demo checks.
   */
  static ChecksConfig start(
      Vertx vertx, AppConfig config, Path checksFile, Function<String, String> env, Clock clock)
      throws Exception {
    DemoHelpdesk helpdesk = new DemoHelpdesk(config.demoPort(), clock);
    vertx
        .deployVerticle(helpdesk)
        .toCompletionStage()
        .toCompletableFuture()
        .get(120, TimeUnit.SECONDS);
    String port = String.valueOf(helpdesk.actualPort());
    Function<String, String> demoEnv = name -> "DEMO_PORT".equals(name) ? port : env.apply(name);
    ChecksConfig checks =
        checksFile != null ? ChecksFile.load(checksFile, demoEnv) : bundledChecks(demoEnv);
    log.info("demo helpdesk on http://127.0.0.1:{} (outages repeat every 12 minutes)", port);
    return checks;
  }

  /**
   * {@code config} with the data directory's demo sign-in key, unless a key is configured, and a
   * line saying how to get a sign-in link.
   */
  static AppConfig signIn(AppConfig config) throws IOException {
    if (config.statusPage().signInConfigured()) {
      return config;
    }
    AppConfig demo = config.withSsoSecret(DemoSecret.ensure(config.dataDir()));
    log.info(
        "demo: tenants sign in through `{} tenant sign-in-url demo-earth` (any demo-* "
            + "tenant; key in {})",
        command(),
        DemoSecret.file(config.dataDir()));
    return demo;
  }

  /**
   * Records last month's demo facts (once per month, in one transaction) when the bundled demo
   * checks run, whose components the facts are about. Blocking; before the service starts.
   */
  static void seed(
      Vertx vertx, Database database, ChecksConfig checks, boolean bundled, Clock clock)
      throws Exception {
    if (!bundled) {
      log.info("demo: no demo data recorded: it describes the bundled demo checks only");
      return;
    }
    Instant now = clock.instant();
    YearMonth last = YearMonth.from(now.atZone(checks.timezone())).minusMonths(1);
    Pool pool = database.pool(vertx, 1);
    DemoRepository.Seeded seeded =
        new DemoRepository(pool)
            .seed(
                DemoData.of(last, checks.timezone()),
                checks.probes().cells().map(Cell::key).toList(),
                now)
            .eventually(pool::close)
            .toCompletionStage()
            .toCompletableFuture()
            .get(120, TimeUnit.SECONDS);
    if (seeded.outages() > 0) {
      log.info(
          "demo: recorded {} as demo data: {} tenants, {} outages, {} maintenance windows",
          last,
          seeded.tenants(),
          seeded.outages(),
          seeded.maintenance());
    }
    log.info(
        "demo: billing and operators get API tokens from `{} token create --role billing "
            + "--name billing` (or --role operator)",
        command());
  }

  /** How this jar is run from the working directory, for the lines that tell what to type. */
  private static String command() {
    try {
      Path jar =
          Path.of(DemoMode.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path here = Path.of("").toAbsolutePath();
      return "java -jar " + (jar.startsWith(here) ? here.relativize(jar) : jar);
    } catch (Exception e) {
      return "java -jar statusdesk.jar";
    }
  }

  static ChecksConfig bundledChecks(Function<String, String> env) throws ConfigException {
    try (InputStream in = DemoMode.class.getResourceAsStream("/demo/checks.yaml")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return ChecksFile.parse("demo/checks.yaml", text, env);
    } catch (IOException e) {
      throw new ConfigException(List.of("demo/checks.yaml:1: cannot read: " + e.getMessage()));
    }
  }
}
