package lifeboat.activities.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import lifeboat.workflows.failover.RepointResult;
import lifeboat.workflows.runbook.RepointSpec;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * Route 53 can only be checked for the request's shape here (no Route 53 to talk to): the real SDK client sends
 * its signed request to a local HTTP server, which records it and answers as Route 53 does.
 */
class Route53TargetTest {

  @Test
  void upsertsTheRecordToTheNewPrimarysHost() throws Exception {
    List<String> requests = new ArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + "\n"
          + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ChangeResourceRecordSetsResponse xmlns="
          + "\"https://route53.amazonaws.com/doc/2013-04-01/\"><ChangeInfo><Id>/change/C0123</Id><Status>PENDING"
          + "</Status><SubmittedAt>2026-11-26T09:00:00Z</SubmittedAt></ChangeInfo></ChangeResourceRecordSetsResponse>")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/xml");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
      Route53Target target = new Route53Target(spec -> Route53Client.builder().region(Region.AWS_GLOBAL)
          .endpointOverride(URI.create(endpoint))
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
          .build());
      RepointSpec spec = RepointSpec.route53("Z0123EXAMPLE", "db.example.com", null, 30L, null, endpoint);
      RepointResult r = target.repoint(spec, new Endpoints.HostPort("standby.internal", 5432));
      assertEquals("CNAME standby.internal", r.current());
      assertEquals("change C0123 PENDING", r.verified()); // the SDK strips "/change/"
      assertEquals(1, requests.size());
      String req = requests.get(0);
      assertTrue(req.startsWith("POST /2013-04-01/hostedzone/Z0123EXAMPLE/rrset"), req);
      for (String part : List.of("<Action>UPSERT</Action>", "<Name>db.example.com</Name>", "<Type>CNAME</Type>",
          "<TTL>30</TTL>", "<Value>standby.internal</Value>")) {
        assertTrue(req.contains(part), part + " in " + req);
      }
    } finally {
      server.stop(0);
    }
  }
}
