package io.popbridge.common.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The JSON body of every 4xx answer: a stable code, a readable message, and the field at fault if any. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String code, String message, String field) {
    public static ApiError of(String code, String message) {
        return new ApiError(code, message, null);
    }
}
