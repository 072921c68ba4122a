package lifeboat.activities.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.runbook.RepointSpec;
import org.junit.jupiter.api.Test;

/** The new primary's host as each repoint target needs it: bare for tools and DNS, bracketed in URLs. */
class EndpointsTest {
  @Test
  void anIpv6HostIsBareWithItsPortAndBracketedInItsUrlForm() {
    Endpoints.HostPort v6 = Endpoints.hostPort("postgresql://app@[fd00::2]:5433/app");
    assertEquals("fd00::2", v6.host());
    assertEquals(5433, v6.port());
    assertEquals("[fd00::2]:5433", v6.toString());
    Endpoints.HostPort v4 = Endpoints.hostPort("postgresql://app@10.0.0.2/app");
    assertEquals(new Endpoints.HostPort("10.0.0.2", 5432), v4);
    assertEquals("10.0.0.2:5432", v4.toString());
  }

  @Test
  void aMultiHostUrlCannotBeARepointTarget() {
    LifeboatException e = assertThrows(LifeboatException.class,
        () -> Endpoints.hostPort("postgresql://app@db1:5432,db2:5432/app"));
    assertEquals(ErrorCode.FAILOVER_INVALID, e.code());
  }

  @Test
  void route53RecordTypesMatchTheHostsKind() {
    assertTrue(Route53Target.request(route53("AAAA"), "fd00::2").toString().contains("AAAA"));
    assertTrue(Route53Target.request(route53("A"), "10.0.0.2").toString().contains("10.0.0.2"));
    for (String[] bad : new String[][] {{"A", "fd00::2"}, {"AAAA", "10.0.0.2"}, {null, "10.0.0.2"},
        {"CNAME", "fd00::2"}, {"TXT", "db2.internal"}}) {
      LifeboatException e = assertThrows(LifeboatException.class,
          () -> Route53Target.request(route53(bad[0]), bad[1]), bad[0] + " " + bad[1]);
      assertEquals(ErrorCode.FAILOVER_INVALID, e.code());
    }
  }

  private static RepointSpec route53(String type) {
    return RepointSpec.route53("Z0123EXAMPLE", "db.example.com", type, 30L, null, null);
  }
}
