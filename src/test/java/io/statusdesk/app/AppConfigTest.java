package io.statusdesk.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AppConfigTest {
  private static AppConfig config(Map<String, String> env) throws ConfigException {
    return AppConfig.fromEnvironment(env::get);
  }

  @Test
  void noProxyIsTrustedByDefault() throws Exception {
    assertThat(config(Map.of()).trustedProxies().trusts("127.0.0.1")).isFalse();
  }

  @Test
  void trustedProxiesAreParsed() throws Exception {
    AppConfig config = config(Map.of("STATUSDESK_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7"));
    assertThat(config.trustedProxies().trusts("10.200.0.1")).isTrue();
    assertThat(config.trustedProxies().trusts("192.0.2.7")).isTrue();
    assertThat(config.trustedProxies().trusts("192.0.2.8")).isFalse();
  }

  @Test
  void badValuesNameTheirVariable() {
    assertThatThrownBy(() -> config(Map.of(
        "STATUSDESK_TRUSTED_PROXIES", "10.0.0.0/8, lb.internal")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
            "STATUSDESK_TRUSTED_PROXIES: 'lb.internal' is not an IP address or CIDR"));
  }
}
