package io.popbridge.fetcher.account;

import io.popbridge.common.api.ApiException;
import io.popbridge.fetcher.poll.AccountStatusView;
import io.popbridge.fetcher.poll.LeaseRepository;
import io.popbridge.fetcher.poll.PollRepository;
import io.popbridge.fetcher.poll.PollScheduler;
import io.popbridge.fetcher.poll.PollService;
import io.popbridge.fetcher.poll.PollView;
import io.popbridge.fetcher.FetcherConfig;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.util.List;
import java.util.UUID;

/** Source accounts: CRUD, connection test, poll now, status and poll history. */
@Path("/api/v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AccountResource {
    @Inject
    AccountService accounts;

    @Inject
    AccountTester tester;

    @Inject
    PollRepository polls;

    @Inject
    PollService pollService;

    @Inject
    LeaseRepository leases;

    @Inject
    PollScheduler scheduler;

    @Inject
    FetcherConfig config;

    @GET
    @RolesAllowed("viewer")
    public List<AccountView> list() {
        return accounts.list().stream().map(AccountView::of).toList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed("viewer")
    public AccountView get(@PathParam("id") UUID id) {
        return accounts.find(id).map(AccountView::of).orElseThrow(() -> ApiException.notFound("account"));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    public Response create(@Valid @NotNull AccountRequest request, @Context UriInfo uri) {
        Account account = accounts.create(request);
        return Response.created(uri.getAbsolutePathBuilder().path(account.id().toString()).build())
                .entity(AccountView.of(account)).build();
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    public AccountView update(@PathParam("id") UUID id, @Valid @NotNull AccountRequest request) {
        return accounts.update(id, request).map(AccountView::of).orElseThrow(() -> ApiException.notFound("account"));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed("admin")
    public Response delete(@PathParam("id") UUID id) {
        if (!accounts.delete(id)) {
            throw ApiException.notFound("account");
        }
        return Response.noContent().build();
    }

    /** Connect, TLS, login, STAT, capabilities: each step with the server's reply. Stores nothing. */
    @POST
    @Path("/{id}/test")
    @RolesAllowed("admin")
    public ConnectionTestView test(@PathParam("id") UUID id) {
        return tester.test(accounts.find(id).orElseThrow(() -> ApiException.notFound("account")));
    }

    /** Polls now, in this request, and answers with the recorded poll; 409 while another poll holds the account. */
    @POST
    @Path("/{id}/poll")
    @RolesAllowed("admin")
    public PollView pollNow(@PathParam("id") UUID id) {
        if (accounts.find(id).isEmpty()) {
            throw ApiException.notFound("account");
        }
        Account account = leases.leaseNow(id, scheduler.owner(), config.poll().lease())
                .orElseThrow(() -> ApiException.conflict("id", "a poll of this account is running"));
        pollService.poll(account, scheduler.owner());
        return polls.history(id, 1).get(0);
    }

    @GET
    @Path("/{id}/status")
    @RolesAllowed("viewer")
    public AccountStatusView status(@PathParam("id") UUID id) {
        return polls.status(id).orElseThrow(() -> ApiException.notFound("account"));
    }

    @GET
    @Path("/{id}/polls")
    @RolesAllowed("viewer")
    public List<PollView> history(@PathParam("id") UUID id, @QueryParam("limit") @DefaultValue("50") int limit) {
        if (accounts.find(id).isEmpty()) {
            throw ApiException.notFound("account");
        }
        return polls.history(id, Math.max(1, Math.min(limit, 1000)));
    }
}
