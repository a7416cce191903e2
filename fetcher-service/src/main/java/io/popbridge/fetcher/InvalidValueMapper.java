package io.popbridge.fetcher;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import io.popbridge.common.api.ApiExceptionMappers;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * An unknown enum value ({@code "security":"SSL3"}) must answer {@code {code, message, field}} like every other 400;
 * Quarkus' built-in mapper for mismatched input would otherwise win over service-common's (less specific) one.
 */
public class InvalidValueMapper {
    private final ApiExceptionMappers shared = new ApiExceptionMappers();

    @ServerExceptionMapper
    public Response invalidValue(InvalidFormatException e) {
        return shared.malformedJson(e);
    }
}
