package io.popbridge.e2e;

import io.popbridge.stack.LocalStack;
import io.popbridge.stack.ReactorRoot;
import io.popbridge.stack.StackPorts;
import io.popbridge.stack.demo.DemoIsp;
import io.popbridge.stack.demo.ExchangeStandIn;
import io.popbridge.stack.http.ApiClient;
import io.popbridge.stack.process.Ports;
import io.popbridge.stack.service.PopbridgeService;
import io.popbridge.stack.service.ServiceProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The system under test, once per test JVM: one Kafka broker, one PostgreSQL and the three packaged services
 * as processes (local-stack's machinery, free ports, fresh data in {@code target/e2e-stack}), plus the ISP's
 * POP3 server ({@link #isp()}) and the Exchange stand-in ({@link #exchange()}, accepted domain
 * {@value #DOMAIN}) in this JVM. Tests configure popbridge through the REST APIs only:
 * <pre>{@code
 * Stack.router().post("/api/v1/domains", """{"name":"example.com","fallback":"postmaster@example.com"}""").expect(201);
 * Stack.restart("delivery");
 * }</pre>
 * Use {@link StackTest} on a test class. Extra service settings: {@code e2e-stack.properties} on the test
 * classpath, keys {@code fetcher.<quarkus key>=value} (router., delivery. likewise).
 */
public final class Stack {
    public static final String DOMAIN = "example.com";
    public static final String ADMIN_PASSWORD = "e2e-admin";
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static LocalStack stack;
    private static DemoIsp isp;
    private static ExchangeStandIn exchange;

    private Stack() {
    }

    /** Starts everything on first use; later calls return at once. */
    public static synchronized void start() {
        if (stack != null) {
            return;
        }
        long begin = System.nanoTime();
        Path root = ReactorRoot.find();
        Path home = Path.of("target", "e2e-stack"); // surefire runs in the module directory
        LocalStack.Builder builder = LocalStack.builder()
                .reactorRoot(root)
                .home(home)
                .ports(StackPorts.free())
                .adminPassword(ADMIN_PASSWORD)
                .durable(false);
        serviceProperties().forEach((key, value) -> {
            String name = key.toString();
            builder.serviceProperty(PopbridgeService.byId(name.substring(0, name.indexOf('.'))),
                    name.substring(name.indexOf('.') + 1), value.toString());
        });
        LocalStack candidate = builder.build();
        candidate.home().wipe();
        isp = new DemoIsp("127.0.0.1", Ports.free());
        exchange = new ExchangeStandIn("127.0.0.1", Ports.free(), candidate.home().exchange(), Set.of(DOMAIN));
        candidate.start();
        stack = candidate;
        Runtime.getRuntime().addShutdownHook(new Thread(Stack::stop, "e2e-stack-stop"));
        System.out.printf("[e2e] stack ready in %d ms: fetcher %s, router %s, delivery %s, ISP pop3 %d, Exchange smtp %d%n",
                (System.nanoTime() - begin) / 1_000_000, fetcher().baseUrl(), router().baseUrl(), delivery().baseUrl(),
                isp.port(), exchange.port());
    }

    /** Stops the services, Kafka, PostgreSQL and the mail servers (also done at JVM exit). */
    public static synchronized void stop() {
        if (stack != null) {
            stack.stop();
            stack = null;
        }
        if (isp != null) {
            isp.close();
            isp = null;
        }
        if (exchange != null) {
            exchange.close();
            exchange = null;
        }
    }

    public static ApiClient fetcher() {
        return api(PopbridgeService.FETCHER);
    }

    public static ApiClient router() {
        return api(PopbridgeService.ROUTER);
    }

    public static ApiClient delivery() {
        return api(PopbridgeService.DELIVERY);
    }

    /** A service's API as admin; {@code .as("viewer", ...)} or {@code .as(null, null)} for other users. */
    public static ApiClient api(PopbridgeService service) {
        return stack().api(service);
    }

    /** "fetcher", "router" or "delivery": its process (URLs, log file, stop/start). */
    public static ServiceProcess service(String id) {
        return stack().service(PopbridgeService.byId(id));
    }

    /** Graceful stop and start of one service; returns when it is ready again. */
    public static void restart(String id) {
        stack().restart(PopbridgeService.byId(id));
    }

    /** SIGKILL and start of one service (a crash mid-run); returns when it is ready again. */
    public static void crash(String id) {
        stack().crashAndRestart(PopbridgeService.byId(id));
    }

    /** The ISP: {@code isp().mailbox(login, password)}, {@code isp().deliver(login, raw)}, {@code isp().count(login)}. */
    public static DemoIsp isp() {
        started();
        return isp;
    }

    /** Exchange: what it accepted ({@code received()}, {@code awaitReceived}), scripted refusals ({@code recipientPolicy}). */
    public static ExchangeStandIn exchange() {
        started();
        return exchange;
    }

    public static LocalStack stack() {
        started();
        return stack;
    }

    /** A name no other test in this JVM uses (GreenMail mailboxes and popbridge accounts live as long as the stack). */
    public static String unique(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    private static void started() {
        if (stack == null) {
            throw new IllegalStateException("the stack is not started: annotate the test class with @StackTest");
        }
    }

    private static Properties serviceProperties() {
        Properties properties = new Properties();
        try (InputStream in = Stack.class.getResourceAsStream("/e2e-stack.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
