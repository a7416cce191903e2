package io.popbridge.router.domain;

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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.util.List;

/** Accepted domains with their fallback mailboxes. */
@Path("/api/v1/domains")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DomainResource {
    @Inject
    DomainService service;

    @GET
    @RolesAllowed("viewer")
    public List<DomainView> list() {
        return service.list();
    }

    @GET
    @Path("/{name}")
    @RolesAllowed("viewer")
    public DomainView get(@PathParam("name") String name) {
        return service.find(name).orElseThrow(() -> ApiException.notFound("domain " + name));
    }

    @POST
    @RolesAllowed("admin")
    public Response create(@Valid @NotNull DomainRequest request, @Context UriInfo uri) {
        DomainView created = service.create(request);
        return Response.created(uri.getAbsolutePathBuilder().path(created.name()).build()).entity(created).build();
    }

    @PUT
    @Path("/{name}")
    @RolesAllowed("admin")
    public DomainView update(@PathParam("name") String name, @Valid @NotNull DomainRequest request) {
        return service.update(name, request).orElseThrow(() -> ApiException.notFound("domain " + name));
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed("admin")
    public Response delete(@PathParam("name") String name) {
        if (!service.delete(name)) {
            throw ApiException.notFound("domain " + name);
        }
        return Response.noContent().build();
    }
}
