package io.popbridge.router.rule;

import io.popbridge.common.api.ApiException;
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
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;

/** Address rules (exact, wildcard, regex), listed in the order they are tried. */
@Path("/api/v1/rules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RuleResource {
    @Inject
    RuleService service;

    @GET
    @RolesAllowed("viewer")
    public List<RuleView> list() {
        return service.list();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed("viewer")
    public RuleView get(@PathParam("id") UUID id) {
        return service.find(id).orElseThrow(() -> ApiException.notFound("rule " + id));
    }

    @POST
    @RolesAllowed("admin")
    public Response create(@Valid @NotNull RuleRequest request, @Context UriInfo uri) {
        RuleView created = service.create(request);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build()).entity(created).build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed("admin")
    public RuleView update(@PathParam("id") UUID id, @Valid @NotNull RuleRequest request) {
        return service.update(id, request).orElseThrow(() -> ApiException.notFound("rule " + id));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed("admin")
    public Response delete(@PathParam("id") UUID id) {
        if (!service.delete(id)) {
            throw ApiException.notFound("rule " + id);
        }
        return Response.noContent().build();
    }

    /** What this rule does to an address, and which rule really decides for it. Read-only. */
    @POST
    @Path("/{id}/test")
    @RolesAllowed("viewer")
    public RuleTestView test(@PathParam("id") UUID id, @Valid @NotNull RuleTestRequest request) {
        return service.test(id, request.address()).orElseThrow(() -> ApiException.notFound("rule " + id));
    }
}
