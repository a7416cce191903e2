package io.popbridge.router.preview;

import io.popbridge.contract.RouteReason;
import io.popbridge.router.message.RawMessage;
import io.popbridge.router.routing.Router;
import io.popbridge.router.routing.RoutingContextLoader;
import io.popbridge.router.routing.RoutingDecision;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Dry run: the decision per recipient for a pasted message and an account's routing settings, with the current
 * domains and rules. Publishes nothing and writes nothing (the duplicate ledger is not consulted).
 */
@Path("/api/v1/route-preview")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RoutePreviewResource {
    @Inject
    RoutingContextLoader contextLoader;

    @POST
    @RolesAllowed("viewer")
    @Transactional(Transactional.TxType.SUPPORTS)
    public RoutePreviewView preview(@Valid @NotNull RoutePreviewRequest request) {
        RawMessage message = RawMessage.parse(request.message().getBytes(StandardCharsets.UTF_8));
        RoutingDecision decision = Router.route(message, request.routing(), contextLoader.load());
        List<RoutePreviewView.Recipient> recipients = decision.recipients().stream()
                .map(d -> new RoutePreviewView.Recipient(d.recipient().address(), d.recipient().original(),
                        d.recipient().source(), d.reason().name(), d.reason().delivered(), d.explanation()))
                .toList();
        List<String> notes = new ArrayList<>(decision.notes());
        notes.add("duplicate copies are not checked in a preview: the ledger depends on copies routed before");
        return new RoutePreviewView(summary(decision), decision.summary().messageId(), decision.summary().from(),
                decision.summary().subject(), decision.envelopeFrom().isEmpty() ? "<>" : decision.envelopeFrom(),
                decision.fallback(), recipients, decision.removeHeaders(), notes);
    }

    private static String summary(RoutingDecision decision) {
        if (decision.unroutable().isPresent()) {
            return "Not deliverable: " + decision.unroutable().get() + ".";
        }
        List<String> to = decision.delivered().stream().map(r -> r.address()).toList();
        Map<RouteReason, Integer> counts = new TreeMap<>();
        decision.recipients().forEach(d -> counts.merge(d.reason(), 1, Integer::sum));
        StringBuilder out = new StringBuilder("Delivered to ").append(String.join(", ", to)).append(" (");
        List<String> parts = new ArrayList<>();
        counts.forEach((reason, n) -> parts.add(n + " " + reason));
        return out.append(String.join(", ", parts)).append(").").toString();
    }
}
