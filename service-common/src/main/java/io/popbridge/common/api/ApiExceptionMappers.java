package io.popbridge.common.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps validation and client errors to {@code {code, message, field}} bodies (STYLE.md, REST). */
public class ApiExceptionMappers {

    @ServerExceptionMapper
    public Response apiException(ApiException e) {
        return json(e.status(), e.toError());
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        ConstraintViolation<?> first = e.getConstraintViolations().stream()
                .min(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .orElse(null);
        if (first == null) {
            return json(400, ApiError.of("invalid", e.getMessage()));
        }
        String field = bodyPath(first.getPropertyPath().toString());
        String all = e.getConstraintViolations().stream()
                .map(v -> bodyPath(v.getPropertyPath().toString()) + ": " + v.getMessage())
                .sorted().collect(Collectors.joining("; "));
        return json(400, new ApiError("invalid", all, field));
    }

    /**
     * Quarkus maps mismatched input (an unknown enum value such as {@code "security":"SSL3"}) with a built-in mapper
     * that is more specific than {@link JsonProcessingException}; these keep the {@code {code,message,field}} body.
     */
    @ServerExceptionMapper
    public Response invalidValue(InvalidFormatException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        String field = null;
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            field = m.getPath().stream().map(r -> r.getFieldName() == null ? "[" + r.getIndex() + "]" : r.getFieldName())
                    .collect(Collectors.joining("."));
        }
        String message = e instanceof InvalidFormatException f
                ? "value '" + f.getValue() + "' is not valid for " + (field == null ? "this field" : field)
                : "malformed JSON: " + e.getOriginalMessage();
        return json(400, new ApiError("malformed", message, field));
    }

    /**
     * A method parameter path such as {@code create.request.port} or {@code create.request.oauth2.clientId} names
     * the field as it stands in the JSON body: {@code port}, {@code oauth2.clientId}.
     */
    private static String bodyPath(String path) {
        String[] nodes = path.split("\\.", 3);
        return nodes.length == 3 ? nodes[2] : nodes[nodes.length - 1];
    }

    private static Response json(int status, ApiError error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }
}
