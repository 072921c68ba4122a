package lifeboat.cli;

import io.grpc.StatusRuntimeException;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.concurrent.TimeUnit;
import lifeboat.workflows.SearchAttributes;

/**
 * Whether a namespace has Lifeboat's search attributes. A workflow started with an attribute the namespace lacks
 * is refused, and one that upserts it fails its task over and over; so the CLI sets them only where all are
 * registered. The in-memory server has no operator service (UNIMPLEMENTED): no attributes there.
 */
final class RegisteredSearchAttributes {
  private RegisteredSearchAttributes() {}

  static boolean haveLifeboats(WorkflowServiceStubs service, String namespace) {
    try {
      var custom = OperatorServiceGrpc.newBlockingStub(service.getRawChannel())
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
          .getCustomAttributesMap();
      return custom.keySet().containsAll(SearchAttributes.TYPES.keySet());
    } catch (StatusRuntimeException e) {
      // UNIMPLEMENTED (in-memory server), PERMISSION_DENIED (no operator rights): start without them. UNAVAILABLE
      // (nothing there): the start that follows fails as every command's does, and its caller says so.
      return false;
    }
  }
}
