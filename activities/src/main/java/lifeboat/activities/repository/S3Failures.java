package lifeboat.activities.repository;

import java.util.concurrent.CompletionException;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 failures as Lifeboat errors: what a person must fix (no bucket, bad credentials, a policy that denies) is
 * not retried and says what to change; everything else is STORAGE_FAILED, retried.
 */
final class S3Failures {
  private S3Failures() {}

  static boolean isMissingBucket(S3Exception e) {
    return e instanceof NoSuchBucketException
        || (e.awsErrorDetails() != null && "NoSuchBucket".equals(e.awsErrorDetails().errorCode()));
  }

  static LifeboatException translate(S3Settings s, String what, Throwable failure) {
    Throwable e = unwrap(failure);
    if (e instanceof LifeboatException lifeboat) {
      return lifeboat;
    }
    String at = "repositories." + s.name();
    String where = "s3://" + s.bucket() + (s.endpoint() == null ? "" : " at " + s.endpoint());
    if (e instanceof S3Exception s3) {
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      if (isMissingBucket(s3)) {
        return new LifeboatException(ErrorCode.REPOSITORY_MISSING,
            "bucket " + s.bucket() + " of repository " + s.name() + " does not exist (" + where + ")",
            "create the bucket, or correct " + at + ".bucket / .endpoint / .region", e);
      }
      if ("InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)
          || "ExpiredToken".equals(code) || "InvalidToken".equals(code)) {
        return new LifeboatException(ErrorCode.AUTH_FAILED,
            "repository " + s.name() + " (" + where + ") refused the credentials: " + code,
            "check what " + at + ".accessKeyId and .secretAccessKey point at, or the worker's AWS credentials", e);
      }
      if (s3.statusCode() == 403) {
        return new LifeboatException(ErrorCode.PERMISSION_DENIED,
            "repository " + s.name() + " (" + where + "): " + what + " was denied" + (code == null ? "" : ": " + code),
            "allow s3:ListBucket, s3:GetObject, s3:PutObject, s3:DeleteObject, s3:ListBucketMultipartUploads and "
                + "s3:AbortMultipartUpload on the bucket and prefix (and kms:GenerateDataKey/kms:Decrypt with aws:kms)",
            e);
      }
      if (s3.statusCode() == 501) {
        return new LifeboatException(ErrorCode.CONFIG_INVALID,
            "repository " + s.name() + " (" + where + ") does not support a requested feature: " + message(s3),
            "remove what the store lacks (sse, objectLock) from " + at, e);
      }
      return new LifeboatException(ErrorCode.STORAGE_FAILED,
          "repository " + s.name() + " " + what + " failed: " + s3.statusCode() + " " + (code == null ? "" : code)
              + " " + message(s3),
          "check the store at " + where + "; the step is retried", e);
    }
    if (e instanceof SdkClientException && e.getMessage() != null && e.getMessage().contains("credentials")) {
      return new LifeboatException(ErrorCode.AUTH_FAILED,
          "repository " + s.name() + " has no AWS credentials: " + e.getMessage(),
          "set " + at + ".accessKeyId and .secretAccessKey (env:NAME or file:PATH), or give the worker AWS "
              + "credentials (environment, profile, instance role)", e);
    }
    return new LifeboatException(ErrorCode.STORAGE_FAILED,
        "repository " + s.name() + " " + what + " failed: " + e,
        "check that " + where + " is reachable; the step is retried", e);
  }

  private static String message(S3Exception e) {
    return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
        ? e.awsErrorDetails().errorMessage() : "";
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
