package io.popbridge.stack.launcher;

import io.popbridge.stack.LocalStack;
import io.popbridge.stack.ReactorRoot;
import io.popbridge.stack.StackPorts;
import io.popbridge.stack.demo.DemoConfiguration;
import io.popbridge.stack.demo.DemoConfiguration.IspAccount;
import io.popbridge.stack.demo.DemoConfiguration.IspOAuth2;
import io.popbridge.stack.demo.DemoConfiguration.SmtpTarget;
import io.popbridge.stack.demo.DemoIsp;
import io.popbridge.stack.demo.DemoMail;
import io.popbridge.stack.demo.ExchangeStandIn;
import io.popbridge.stack.demo.LiveLine;
import io.popbridge.stack.process.Ports;
import io.popbridge.stack.service.PopbridgeService;
import io.popbridge.stack.service.ServiceProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./popbridge-local}: Kafka, PostgreSQL and the three services as processes, a demo ISP and Exchange
 * (or real ones from flags), popbridge configured through its REST APIs, and a live line until Ctrl-C.
 */
public final class Launcher {
    private static final String DEMO_HOST = "127.0.0.1";

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        LauncherOptions options = LauncherOptions.parse(args);
        if (options.has("help")) {
            System.out.print(LauncherOptions.HELP);
            return;
        }
        Path root = ReactorRoot.find();
        StackPorts defaults = StackPorts.defaults();
        LocalStack stack = LocalStack.builder()
                .reactorRoot(root)
                .home(Path.of(options.get("home", root.resolve(".local").toString())))
                .ports(new StackPorts(options.getInt("kafka-port", defaults.kafka()), options.getInt("kafka-port", defaults.kafka()) + 1,
                        options.getInt("postgres-port", defaults.postgres()), defaults.http(), defaults.management()))
                .build();
        String domain = options.get("domain", "example.com");
        boolean demoIsp = !options.has("isp-host");
        boolean demoExchange = !options.has("exchange-host");

        DemoIsp isp = null;
        ExchangeStandIn exchange = null;
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "live-line");
            thread.setDaemon(true);
            return thread;
        });
        CountDownLatch stopped = new CountDownLatch(1);
        DemoIsp ispRef;
        ExchangeStandIn exchangeRef;
        DemoMail demoMail = null;
        try {
            if (demoIsp) {
                int port = options.getInt("demo-pop3-port", 18110);
                Ports.requireFree("demo POP3", port);
                isp = new DemoIsp(DEMO_HOST, port);
                isp.mailbox(DemoMail.ALICE, "alice-pop3");
                isp.mailbox(DemoMail.OFFICE, "office-pop3");
                demoMail = new DemoMail(domain);
                demoMail.seed(isp); // before the accounts exist: their first poll delivers the samples
            }
            if (demoExchange) {
                int port = options.getInt("demo-smtp-port", 18025);
                Ports.requireFree("Exchange stand-in", port);
                exchange = new ExchangeStandIn(DEMO_HOST, port, stack.home().exchange(), Set.of(domain));
            }
            ispRef = isp;
            exchangeRef = exchange;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("\nStopping: services, Kafka, PostgreSQL ...");
                ticker.shutdownNow();
                stack.stop();
                if (ispRef != null) {
                    ispRef.close();
                }
                if (exchangeRef != null) {
                    exchangeRef.close();
                }
                System.out.println("Stopped. Data kept in " + stack.home().root() + " (delete it to start afresh).");
                stopped.countDown();
            }, "popbridge-local-stop"));

            stack.start();
            configuration(options, domain, isp, exchange).apply(stack, System.out);
            printWhereEverythingIs(stack, isp, exchange);
        } catch (RuntimeException e) {
            System.err.println("popbridge-local failed: " + e.getMessage());
            System.exit(1);
            return;
        }

        LiveLine live = new LiveLine(System.out).fetcher(stack.api(PopbridgeService.FETCHER));
        if (isp != null) {
            DemoMail mail = demoMail;
            live.isp(isp);
            int interval = options.getInt("demo-interval", 20);
            if (interval > 0) {
                DemoIsp source = isp;
                ticker.scheduleWithFixedDelay(() -> mail.next(source), interval, interval, TimeUnit.SECONDS);
            }
        }
        if (exchange != null) {
            live.exchange(exchange);
        }
        ticker.scheduleWithFixedDelay(() -> {
            try {
                live.tick();
            } catch (RuntimeException e) {
                System.out.println("(live line: " + e.getMessage() + ")");
            }
        }, 0, 2, TimeUnit.SECONDS);
        stopped.await();
    }

    static DemoConfiguration configuration(LauncherOptions options, String domain, DemoIsp isp, ExchangeStandIn exchange) {
        List<IspAccount> accounts;
        if (isp != null) {
            accounts = List.of(
                    new IspAccount("demo-alice", isp.host(), isp.port(), "NONE", DemoMail.ALICE, "alice-pop3", "SINGLE", "alice@" + domain),
                    new IspAccount("demo-office", isp.host(), isp.port(), "NONE", DemoMail.OFFICE, "office-pop3", "CATCH_ALL", null));
        } else {
            String security = options.get("isp-security", "TLS");
            String mode = options.get("isp-mode", "CATCH_ALL");
            IspOAuth2 oauth2 = options.has("isp-oauth2-token-url")
                    ? new IspOAuth2(options.require("isp-oauth2-token-url"), options.require("isp-oauth2-client-id"),
                            options.get("isp-oauth2-client-secret", null), options.require("isp-oauth2-refresh-token"),
                            options.get("isp-oauth2-scope", null))
                    : null;
            accounts = List.of(new IspAccount(options.get("isp-user", "isp") + "@" + options.get("isp-host", ""),
                    options.require("isp-host"), options.getInt("isp-port", "TLS".equals(security) ? 995 : 110), security,
                    options.require("isp-user"), oauth2 == null ? options.require("isp-password") : null, mode,
                    "SINGLE".equals(mode) ? options.require("isp-target") : null, oauth2));
        }
        SmtpTarget target = exchange != null
                ? new SmtpTarget("exchange-stand-in", DEMO_HOST, exchange.port(), "NONE")
                : new SmtpTarget("exchange", options.require("exchange-host"), options.getInt("exchange-port", 25),
                        options.get("exchange-security", "STARTTLS_IF_OFFERED"));
        return new DemoConfiguration(domain, options.get("fallback", "postmaster@" + domain), accounts, target);
    }

    private static void printWhereEverythingIs(LocalStack stack, DemoIsp isp, ExchangeStandIn exchange) {
        System.out.println();
        // the password itself is not printed (terminals and redirected output are kept): it stays in its file
        System.out.println("popbridge is running. API user admin, password in " + stack.home().root().resolve("admin-password")
                + "  (export POPBRIDGE_ADMIN_PASSWORD=$(cat " + stack.home().root().resolve("admin-password") + "))");
        for (PopbridgeService service : PopbridgeService.values()) {
            ServiceProcess process = stack.service(service);
            System.out.printf("  %-9s API %s/api/v1   Swagger UI %s/q/swagger-ui   health %s/q/health   metrics %s/q/metrics%n",
                    service.id(), process.apiUrl(), process.apiUrl(), process.managementUrl(), process.managementUrl());
        }
        System.out.printf("  Kafka     %s      PostgreSQL %s (user postgres)%n", stack.kafkaBootstrapServers(), stack.postgres().jdbcUrl());
        System.out.println("  logs      " + stack.home().logs());
        if (isp != null) {
            System.out.printf("  ISP       pop3://%s:%d  mailboxes alice/alice-pop3 (1:1 -> alice@), office/office-pop3 (catch-all)%n",
                    isp.host(), isp.port());
        }
        if (exchange != null) {
            System.out.printf("  Exchange  smtp://127.0.0.1:%d  delivered mail appears in %s/<recipient>/<n>.eml%n",
                    exchange.port(), exchange.folder());
        }
        System.out.println("Ctrl-C stops everything; the next start reuses the data.");
        System.out.println();
    }
}
