package lifeboat.activities.failover;

import java.net.URI;
import java.util.function.Function;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.failover.RepointResult;
import lifeboat.workflows.runbook.RepointSpec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeBatch;
import software.amazon.awssdk.services.route53.model.ChangeResourceRecordSetsRequest;
import software.amazon.awssdk.services.route53.model.ChangeResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * UPSERTs the record the application connects to (CNAME to the new primary's host name, or A to its IPv4
 * address). UPSERT is idempotent, so a retry sends the same change. Credentials come from the SDK's default
 * chain (environment, profile, instance role): none travel in the runbook. The port cannot move with DNS: the
 * new primary must listen on the port the application uses. Clients keep the old answer for up to the TTL.
 */
final class Route53Target implements RepointTarget {
  static final long DEFAULT_TTL = 30;
  private final Function<RepointSpec, Route53Client> clients;

  Route53Target() {
    this(Route53Target::defaultClient);
  }

  /** @param clients builds the client for a spec (tests give one with fixed credentials) */
  Route53Target(Function<RepointSpec, Route53Client> clients) {
    this.clients = clients;
  }

  static Route53Client defaultClient(RepointSpec spec) {
    var builder = Route53Client.builder().region(spec.region() == null ? Region.AWS_GLOBAL : Region.of(spec.region()));
    if (spec.endpoint() != null) {
      builder.endpointOverride(URI.create(spec.endpoint()));
    }
    return builder.build();
  }

  static ChangeResourceRecordSetsRequest request(RepointSpec spec, String host) {
    String type = spec.recordType() == null ? "CNAME" : spec.recordType().toUpperCase();
    if (!type.equals("CNAME") && !type.equals("A") && !type.equals("AAAA")) {
      throw new LifeboatException(ErrorCode.FAILOVER_INVALID, "repoint.recordType " + spec.recordType()
          + " is not supported", "use CNAME (the new primary's host name), A (its IPv4 address) or AAAA (IPv6)");
    }
    boolean v4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean v6 = host.contains(":");
    String needs = switch (type) {
      case "A" -> v4 ? null : "an A record needs an IPv4 address";
      case "AAAA" -> v6 ? null : "an AAAA record needs an IPv6 address";
      default -> v4 || v6 ? "a CNAME record needs a host name, not an address" : null;
    };
    if (needs != null) {
      throw new LifeboatException(ErrorCode.FAILOVER_INVALID, needs + ", and the new primary's host is " + host,
          "set recordType to suit the standby's URL: CNAME for a host name, A for IPv4, AAAA for IPv6");
    }
    ResourceRecordSet set = ResourceRecordSet.builder().name(spec.recordName()).type(RRType.fromValue(type))
        .ttl(spec.ttl() == null ? DEFAULT_TTL : spec.ttl())
        .resourceRecords(ResourceRecord.builder().value(host).build()).build();
    return ChangeResourceRecordSetsRequest.builder().hostedZoneId(spec.hostedZoneId())
        .changeBatch(ChangeBatch.builder().comment("lifeboat failover")
            .changes(Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(set).build()).build())
        .build();
  }

  @Override
  public RepointResult repoint(RepointSpec spec, Endpoints.HostPort to) {
    if (spec.hostedZoneId() == null || spec.recordName() == null) {
      throw new LifeboatException(ErrorCode.FAILOVER_INVALID, "repoint type route53 needs hostedZoneId and"
          + " recordName", "write repoint: { type: route53, hostedZoneId: Z123, recordName: db.example.com }");
    }
    ChangeResourceRecordSetsRequest request = request(spec, to.host());
    try (Route53Client client = clients.apply(spec)) {
      ChangeResourceRecordSetsResponse response = client.changeResourceRecordSets(request);
      return new RepointResult(RepointSpec.ROUTE53, spec.hostedZoneId() + " " + spec.recordName(), null,
          request.changeBatch().changes().get(0).resourceRecordSet().typeAsString() + " " + to.host(), true,
          "change " + response.changeInfo().id() + " " + response.changeInfo().statusAsString());
    } catch (SdkException e) {
      throw new LifeboatException(ErrorCode.FAILOVER_REPOINT_FAILED, "Route 53 UPSERT of " + spec.recordName()
          + " failed: " + e.getMessage(), "check the worker's AWS credentials (route53:ChangeResourceRecordSets on"
          + " the zone) and the zone id; the step is retried");
    }
  }
}
