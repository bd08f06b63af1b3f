package io.statusdesk.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusdesk.Client;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrustedProxiesTest {
  @ParameterizedTest(name = "trusting [{0}], {1} (tls {2}) forwarding [{3}] [{4}]: {5} secure {6}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          '' | 203.0.113.9 | false | 198.51.100.1 | https | 203.0.113.9 | false
          '' | 203.0.113.9 | true | - | http | 203.0.113.9 | true
          127.0.0.1 | 127.0.0.1 | false | 198.51.100.1 | https | 198.51.100.1 | true
          127.0.0.1 | 127.0.0.1 | false | - | - | 127.0.0.1 | false
          10.0.0.0/8 | 10.1.2.3 | false | 198.51.100.1, 10.9.9.9 | http | 198.51.100.1 | false
          10.0.0.0/8 | 10.1.2.3 | false | 6.6.6.6, 198.51.100.1 | - | 198.51.100.1 | false
          10.0.0.0/8 | 10.1.2.3 | false | 10.0.0.7 | - | 10.0.0.7 | false
          10.0.0.0/8 | 10.1.2.3 | true | - | - | 10.1.2.3 | true
          10.0.0.0/8 | 10.1.2.3 | false | not-an-ip | https | 10.1.2.3 | true
          10.0.0.0/8 | 10.1.2.3 | false | 999.1.1.1 | - | 10.1.2.3 | false
          10.0.0.0/8 | 11.0.0.1 | false | 198.51.100.1 | https | 11.0.0.1 | false
          10.0.0.0/8, ::1 | ::1 | false | 198.51.100.7:5555 | http, https | 198.51.100.7 | true
          192.0.2.128/25 | 192.0.2.127 | false | 198.51.100.1 | https | 192.0.2.127 | false
          192.0.2.128/25 | 192.0.2.200 | false | 198.51.100.1 | https | 198.51.100.1 | true
          2001:db8::/32 | 2001:db8::5 | false | [fd00::1]:443 | https | fd00:0:0:0:0:0:0:1 | true
          0.0.0.0/0 | 192.0.2.1 | false | 198.51.100.1 | - | 198.51.100.1 | false
          """)
  void forwardingHeadersAreBelievedOnlyFromTrustedPeers(
      String trusted,
      String peer,
      boolean tls,
      String forwardedFor,
      String forwardedProto,
      String address,
      boolean secure) {
    assertThat(TrustedProxies.parse(trusted).resolve(peer, tls, forwardedFor, forwardedProto))
        .isEqualTo(new Client(address, secure));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          10.0.0.0/33         | '10.0.0.0/33' needs a prefix length from 0 to 32
          ::1/129             | '::1/129' needs a prefix length from 0 to 128
          10.0.0.0/x          | '10.0.0.0/x' needs a prefix length
          proxy.example.com   | 'proxy.example.com' is not an IP address or CIDR
          10.0.0.300          | '10.0.0.300' is not an IP address or CIDR
          """)
  void anythingButIpsAndCidrsIsRefused(String value, String message) {
    assertThatThrownBy(() -> TrustedProxies.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }
}
