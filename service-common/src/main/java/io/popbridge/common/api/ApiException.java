package io.popbridge.common.api;

/** A client error a resource or service raises on purpose; mapped to its status with an {@link ApiError} body. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    public ApiException(int status, String code, String field, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, "invalid", field, message);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", null, what + " not found");
    }

    public static ApiException conflict(String field, String message) {
        return new ApiException(409, "conflict", field, message);
    }

    public int status() {
        return status;
    }

    public ApiError toError() {
        return new ApiError(code, getMessage(), field);
    }
}
