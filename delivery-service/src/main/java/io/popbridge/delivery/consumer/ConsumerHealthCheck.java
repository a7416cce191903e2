package io.popbridge.delivery.consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: DOWN if the routed-mail consumer loop has ended (nothing would be delivered). */
@Readiness
@ApplicationScoped
public class ConsumerHealthCheck implements HealthCheck {
    @Inject
    RoutedConsumer consumer;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("delivery routed-mail consumer").status(consumer.alive()).build();
    }
}
