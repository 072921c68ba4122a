package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DefaultDataConverter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lifeboat.cli.testing.CliProcess;
import lifeboat.cli.testing.CliResult;
import lifeboat.cli.testing.InProcessCli;
import lifeboat.cli.testing.Ports;
import lifeboat.cli.testing.RealTemporal;
import lifeboat.worker.history.AesGcmPayloadCodec;
import lifeboat.worker.history.HistoryEncryption;
import lifeboat.worker.history.HistoryKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `lifeboat codec-server` as its own process, spoken to over HTTP as the Temporal Web UI does: CORS preflight,
 * encode and decode in protobuf JSON, interoperating with the workers' codec, and clear refusals; and `lifeboat dev`
 * giving the real server's Web UI a codec endpoint of its own.
 */
class CodecServerCommandTest {
  private static final String ORIGIN = "http://localhost:18233";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir static Path dir;
  private static Path config;
  private static CliProcess server;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    assertEquals(ExitCodes.OK,
        InProcessCli.run("keys", "history-key", "--out", dir.resolve("history.key").toString()).exit());
    config = Files.writeString(dir.resolve("lifeboat.yaml"), "history: { encryptionKey: file:history.key }\n");
    int port = Ports.free();
    server = CliProcess.start("codec-server", "--port", String.valueOf(port), "--origin", ORIGIN,
        "--config", config.toString());
    server.awaitOutput("codec server on http://127.0.0.1:" + port, Duration.ofMinutes(1));
    base = "http://127.0.0.1:" + port;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .header("X-Namespace", "default").header("Origin", ORIGIN).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String json(Payload... payloads) throws Exception {
    return JsonFormat.printer().print(Payloads.newBuilder().addAllPayloads(List.of(payloads)));
  }

  private static List<Payload> payloads(String json) throws Exception {
    Payloads.Builder out = Payloads.newBuilder();
    JsonFormat.parser().merge(json, out);
    return out.getPayloadsList();
  }

  @Test
  void aPreflightFromTheUiOriginIsAllowed() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/decode"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", ORIGIN)
        .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals(ORIGIN, r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    assertEquals("Content-Type,X-Namespace", r.headers().firstValue("Access-Control-Allow-Headers").orElse(null));
    assertEquals("POST,OPTIONS", r.headers().firstValue("Access-Control-Allow-Methods").orElse(null));
  }

  @Test
  void anotherOriginGetsNoCorsHeadersSoItsBrowserRefusesTheAnswer() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/decode"))
        .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(r.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), r.headers().toString());
  }

  @Test
  void devPointsTheRealServersWebUiAtItsOwnCodecEndpoint() throws Exception {
    RealTemporal.cli();
    int port = Ports.free();
    int ui = Ports.free();
    try (CliProcess dev = CliProcess.start("dev", "--port", "" + port, "--ui-port", "" + ui, "--state",
        dir.resolve("state").toString(), "--config", config.toString())) {
      dev.awaitOutput("ready", Duration.ofMinutes(3));
      Matcher m = Pattern.compile("Web UI decodes payloads with the history key through (http://\\S+)")
          .matcher(dev.output());
      assertTrue(m.find(), dev.output());
      HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(URI.create(m.group(1) + "/decode"))
          .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://localhost:" + ui).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, preflight.statusCode());
      assertEquals("http://localhost:" + ui, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    }
  }

  @Test
  void aPayloadRoundTripsOverHttpAndTheWorkersCodecReadsWhatTheServerEncoded() throws Exception {
    Payload plain = DefaultDataConverter.STANDARD_INSTANCE.toPayload("db.internal:5432/payroll").orElseThrow();
    HttpResponse<String> encoded = post("/encode", json(plain));
    assertEquals(200, encoded.statusCode(), encoded.body());
    assertEquals(ORIGIN, encoded.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    Payload sealed = payloads(encoded.body()).get(0);
    assertTrue(AesGcmPayloadCodec.isEncrypted(sealed), encoded.body());
    assertFalse(encoded.body().contains("payroll"), encoded.body());

    AesGcmPayloadCodec workers = HistoryEncryption.codec(config).orElseThrow();
    assertEquals(plain, workers.decode(List.of(sealed)).get(0));
    Payload fromWorker = workers.encode(List.of(plain)).get(0);
    HttpResponse<String> decoded = post("/default/decode", json(fromWorker, plain));
    assertEquals(200, decoded.statusCode(), decoded.body());
    assertEquals(List.of(plain, plain), payloads(decoded.body()), "encrypted decoded, plain passed through");
  }

  @Test
  void anotherKeysPayloadAlteredDataAndGarbageAreRefusedWithA400SayingWhy() throws Exception {
    Payload plain = DefaultDataConverter.STANDARD_INSTANCE.toPayload("x").orElseThrow();
    Payload foreign = new AesGcmPayloadCodec(HistoryKey.parse(HistoryKey.generate(), "test")).encode(List.of(plain))
        .get(0);
    HttpResponse<String> mismatch = post("/decode", json(foreign));
    assertEquals(400, mismatch.statusCode());
    assertTrue(mismatch.body().contains("[HISTORY_KEY_MISMATCH] HINT: "), mismatch.body());

    Payload ours = HistoryEncryption.codec(config).orElseThrow().encode(List.of(plain)).get(0);
    byte[] data = ours.getData().toByteArray();
    data[data.length - 1] ^= 1;
    HttpResponse<String> altered = post("/decode",
        json(ours.toBuilder().setData(com.google.protobuf.ByteString.copyFrom(data)).build()));
    assertEquals(400, altered.statusCode());
    assertTrue(altered.body().contains("GCM tag check failed"), altered.body());

    HttpResponse<String> garbage = post("/decode", "{\"payloads\": \"nope\"");
    assertEquals(400, garbage.statusCode());
    assertTrue(garbage.body().startsWith("the body is not Payloads in protobuf JSON"), garbage.body());
    assertEquals(404, post("/metrics", "{}").statusCode());
  }

  @Test
  void aConfigurationWithoutAKeyIsExit2BeforeListening() throws Exception {
    Path none = Files.writeString(dir.resolve("no-key.yaml"), "databases: {}\n");
    CliResult r = InProcessCli.run("codec-server", "--port", "0", "--config", none.toString());
    assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
    assertTrue(r.err().contains("sets no history.encryptionKey") && r.err().contains("[HISTORY_KEY_MISSING] HINT:"),
        r.toString());
  }
}
