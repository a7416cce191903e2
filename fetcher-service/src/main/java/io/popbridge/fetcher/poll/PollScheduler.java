package io.popbridge.fetcher.poll;

import io.popbridge.fetcher.FetcherConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;

/**
 * Drives this replica's {@link PollWorker} from the Quarkus scheduler, and owns this replica's lease id. The id is
 * stable across restarts (the host name, i.e. the pod name, unless fetcher.instance-id is set), so a restarted
 * replica releases the leases its killed predecessor held instead of waiting for them to expire.
 */
@Startup
@ApplicationScoped
public class PollScheduler {
    @Inject
    FetcherConfig config;

    @Inject
    LeaseRepository leases;

    @Inject
    PollService polls;

    private PollWorker worker;
    private String owner;

    @PostConstruct
    void init() {
        owner = config.instanceId().orElseGet(PollScheduler::defaultOwner);
        try {
            int released = leases.releaseAll(owner);
            if (released > 0) { // nothing of ours runs yet: these polls died with the previous process
                Log.infof("released %d account lease(s) a previous run of %s held", released, owner);
            }
        } catch (RuntimeException e) {
            Log.warnf("cannot release leases of a previous run (%s); they expire after fetcher.poll.lease", e.getMessage());
        }
        worker = new PollWorker(owner, leases, polls, config.poll().maxConcurrent(), config.poll().maxPerHost(), config.poll().lease());
    }

    /** The lease owner id of this replica. */
    public String owner() {
        return owner;
    }

    /** A new worker with another owner id sharing this database (tests of several replicas). */
    public PollWorker newWorker(String otherOwner) {
        return new PollWorker(otherOwner, leases, polls, config.poll().maxConcurrent(), config.poll().maxPerHost(), config.poll().lease());
    }

    @Scheduled(every = "${fetcher.poll.tick:1s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (config.poll().schedulerEnabled()) {
            worker.tick();
        }
    }

    @PreDestroy
    void stop() {
        worker.close();
    }

    private static String defaultOwner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "fetcher";
        }
        return host;
    }
}
