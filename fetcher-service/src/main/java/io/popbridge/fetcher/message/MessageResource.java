package io.popbridge.fetcher.message;

import io.popbridge.common.api.ApiException;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/** Fetched messages and their trace (fetched → routed → delivered … → deleted, with times and SMTP replies). */
@Path("/api/v1/messages")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class MessageResource {
    @Inject
    MessageRepository messages;

    @GET
    @RolesAllowed("viewer")
    public List<MessageView> list(@QueryParam("account") UUID account, @QueryParam("status") MessageStatus status,
                                  @QueryParam("limit") @DefaultValue("100") int limit) {
        return messages.list(account, status, Math.max(1, Math.min(limit, 1000)));
    }

    @GET
    @Path("/{pbid}")
    @RolesAllowed("viewer")
    public MessageTraceView trace(@PathParam("pbid") String pbid) {
        return messages.trace(pbid).orElseThrow(() -> ApiException.notFound("message"));
    }
}
