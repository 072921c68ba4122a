package lifeboat.activities.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.model.Alarm;
import lifeboat.workflows.model.CheckResult;
import lifeboat.workflows.model.DatabaseCheck;

/** Posts alarms as Slack-compatible JSON, {@code {"text": "..."}}, to an incoming-webhook URL. */
public final class Webhook {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private Webhook() {}

  /** The message: one headline, then a line per alarm. */
  public static String text(CheckResult result) {
    StringBuilder text = new StringBuilder("Lifeboat: ").append(result.alarmCount())
        .append(result.alarmCount() == 1 ? " database needs" : " databases need")
        .append(" attention (checked ").append(result.checkedAt()).append(')');
    for (DatabaseCheck check : result.databases()) {
      for (Alarm alarm : check.alarms()) {
        text.append("\n• ").append(check.database()).append(": ").append(alarm.kind()).append(": ")
            .append(alarm.message());
      }
    }
    return text.toString();
  }

  /**
   * @param url  the resolved webhook URL; it carries a credential, so it never appears in an error message
   */
  public static void post(String url, String text) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
      throw invalid();
    }
    String where = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(Map.of("text", text))))
          .build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new LifeboatException(ErrorCode.ALERT_FAILED,
            "webhook at " + where + " answered HTTP " + response.statusCode(),
            "check alerts.webhook in lifeboat.yaml: the URL may be revoked");
      }
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.ALERT_FAILED,
          "webhook at " + where + " unreachable: " + e.getClass().getSimpleName(),
          "check the worker's network path to the webhook");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LifeboatException(ErrorCode.ALERT_FAILED, "interrupted while posting to " + where, "retried");
    }
  }

  private static LifeboatException invalid() {
    return new LifeboatException(ErrorCode.CONFIG_INVALID, "alerts.webhook does not resolve to an http(s) URL",
        "point it at a variable or file holding https://...");
  }
}
