package io.popbridge.router.routing;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * A write to domains or rules through this replica's API is visible to the very next routed message: the cached
 * routing context is dropped once the resource method returned (its transaction has committed by then).
 */
public class RoutingConfigChangeFilter {
    @Inject
    RoutingContextLoader contextLoader;

    @ServerResponseFilter
    public void afterWrite(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!"GET".equals(request.getMethod()) && (path.startsWith("/api/v1/domains") || path.startsWith("/api/v1/rules"))) {
            contextLoader.invalidate();
        }
    }
}
