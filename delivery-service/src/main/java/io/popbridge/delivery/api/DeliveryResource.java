package io.popbridge.delivery.api;

import io.popbridge.common.api.ApiException;
import io.popbridge.delivery.ledger.DeliveryState;
import io.popbridge.delivery.ledger.LedgerRepository;
import io.popbridge.delivery.ledger.LedgerRow;
import io.popbridge.delivery.retry.RetryScheduler;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Deferred and parked deliveries with their last reply; retry one now. */
@Path("/api/v1/deliveries")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DeliveryResource {
    @Inject
    LedgerRepository ledger;
    @Inject
    RetryScheduler retries;

    @GET
    @RolesAllowed("viewer")
    public List<DeliveryView> list(@QueryParam("state") String state, @QueryParam("limit") Integer limit) {
        DeliveryState s = null;
        if (state != null && !state.isBlank()) {
            try {
                s = DeliveryState.valueOf(state.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("state", "must be DEFERRED or PARKED");
            }
            if (s != DeliveryState.DEFERRED && s != DeliveryState.PARKED) {
                throw ApiException.badRequest("state", "must be DEFERRED or PARKED");
            }
        }
        int n = limit == null ? 200 : Math.max(1, Math.min(limit, 1000));
        return ledger.list(s, n).stream().map(DeliveryResource::view).toList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed("viewer")
    public DeliveryView get(UUID id) {
        return ledger.find(id).map(DeliveryResource::view).orElseThrow(() -> ApiException.notFound("delivery"));
    }

    /** Makes a deferred or parked delivery due now and starts a retry run. */
    @POST
    @Path("/{id}/retry")
    @RolesAllowed("admin")
    public DeliveryView retry(UUID id) {
        LedgerRow row = ledger.find(id).orElseThrow(() -> ApiException.notFound("delivery"));
        if (!ledger.retryNow(id)) {
            throw ApiException.conflict("state", "only deferred or parked deliveries can be retried (this one is " + row.state() + ")");
        }
        CompletableFuture.runAsync(retries::runDue);
        return view(ledger.find(id).orElseThrow());
    }

    static DeliveryView view(LedgerRow r) {
        return new DeliveryView(r.id(), r.pbid(), r.recipient(), r.originalRecipient(), r.state().name(), r.toFallback(),
                r.fallback(), r.accountId(), r.accountName(), r.messageId(), r.fromHeader(), r.subject(), r.attempts(),
                r.ambiguous(), r.lastReply(), r.reason(), r.firstAttemptAt(), r.lastAttemptAt(), r.nextAttemptAt());
    }
}
