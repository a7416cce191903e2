package io.popbridge.delivery.targets;

import io.popbridge.common.api.ApiException;
import io.popbridge.delivery.smtp.SmtpConnection;
import io.popbridge.delivery.smtp.SmtpException;
import io.popbridge.delivery.smtp.SmtpStep;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** SMTP targets: the Exchange servers mail is handed to. */
@Path("/api/v1/targets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
public class TargetResource {
    @Inject
    TargetService service;
    @Inject
    TargetDirectory directory;

    @GET
    @RolesAllowed("viewer")
    public List<TargetView> list() {
        return service.list();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed("viewer")
    public TargetView get(UUID id) {
        return service.find(id).orElseThrow(() -> ApiException.notFound("target"));
    }

    @POST
    @RolesAllowed("admin")
    public Response create(@Valid @NotNull TargetRequest request, @Context UriInfo uri) {
        TargetView created = service.create(request);
        directory.snapshot(); // committed: pools and per-target series exist from now on
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build()).entity(created).build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed("admin")
    public TargetView update(UUID id, @Valid @NotNull TargetRequest request) {
        TargetView updated = service.update(id, request).orElseThrow(() -> ApiException.notFound("target"));
        directory.snapshot();
        return updated;
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed("admin")
    public Response delete(UUID id) {
        if (!service.delete(id)) {
            throw ApiException.notFound("target");
        }
        directory.snapshot();
        return Response.noContent().build();
    }

    /** Connects, greets, secures and authenticates as configured, then QUITs: sends no mail. */
    @POST
    @Path("/{id}/test")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed("admin")
    public TargetTestView test(UUID id) {
        Target target = directory.snapshot().stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> ApiException.notFound("target"));
        List<SmtpStep> steps = new ArrayList<>();
        try {
            SmtpConnection c = SmtpConnection.open(directory.endpoint(target), steps);
            boolean tls = c.tls();
            Map<String, String> caps = c.capabilities();
            c.quit();
            directory.markUp(target, true);
            return new TargetTestView(true, tls, caps, steps, null);
        } catch (SmtpException e) {
            directory.markUp(target, false);
            return new TargetTestView(false, false, Map.of(), steps, e.getMessage());
        }
    }
}
