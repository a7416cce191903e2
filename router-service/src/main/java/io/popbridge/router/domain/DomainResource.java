package io.popbridge.router.domain;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

@Path("/api/v1/domains")
@Produces(MediaType.APPLICATION_JSON)
public class DomainResource {
    @GET
    @RolesAllowed("viewer")
    public List<String> list() {
        return List.of();
    }
}
