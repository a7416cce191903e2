package io.popbridge.helm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A small PromQL parser, enough for promtool-style checks without promtool: it rejects syntax errors (unbalanced
 * brackets, dangling operators, unknown functions, a range where an instant vector belongs and the reverse) and
 * returns the metric names an expression selects. Grafana variables ($__rate_interval, $namespace) are allowed where
 * Grafana substitutes them: as range durations and inside label-matcher strings.
 */
final class PromQl {

    enum Type { SCALAR, VECTOR, MATRIX, STRING }

    /** Function name → argument types (a trailing null means "the last one may repeat or be left out"). */
    private static final Map<String, Type[]> FUNCTIONS = Map.ofEntries(
            Map.entry("rate", new Type[] {Type.MATRIX}), Map.entry("irate", new Type[] {Type.MATRIX}),
            Map.entry("increase", new Type[] {Type.MATRIX}), Map.entry("delta", new Type[] {Type.MATRIX}),
            Map.entry("idelta", new Type[] {Type.MATRIX}), Map.entry("deriv", new Type[] {Type.MATRIX}),
            Map.entry("changes", new Type[] {Type.MATRIX}), Map.entry("resets", new Type[] {Type.MATRIX}),
            Map.entry("avg_over_time", new Type[] {Type.MATRIX}), Map.entry("min_over_time", new Type[] {Type.MATRIX}),
            Map.entry("max_over_time", new Type[] {Type.MATRIX}), Map.entry("sum_over_time", new Type[] {Type.MATRIX}),
            Map.entry("count_over_time", new Type[] {Type.MATRIX}), Map.entry("last_over_time", new Type[] {Type.MATRIX}),
            Map.entry("absent_over_time", new Type[] {Type.MATRIX}),
            Map.entry("quantile_over_time", new Type[] {Type.SCALAR, Type.MATRIX}),
            Map.entry("predict_linear", new Type[] {Type.MATRIX, Type.SCALAR}),
            Map.entry("histogram_quantile", new Type[] {Type.SCALAR, Type.VECTOR}),
            Map.entry("abs", new Type[] {Type.VECTOR}), Map.entry("ceil", new Type[] {Type.VECTOR}),
            Map.entry("floor", new Type[] {Type.VECTOR}), Map.entry("sqrt", new Type[] {Type.VECTOR}),
            Map.entry("round", new Type[] {Type.VECTOR, Type.SCALAR, null}),
            Map.entry("clamp_min", new Type[] {Type.VECTOR, Type.SCALAR}),
            Map.entry("clamp_max", new Type[] {Type.VECTOR, Type.SCALAR}),
            Map.entry("absent", new Type[] {Type.VECTOR}), Map.entry("timestamp", new Type[] {Type.VECTOR}),
            Map.entry("sort", new Type[] {Type.VECTOR}), Map.entry("sort_desc", new Type[] {Type.VECTOR}),
            Map.entry("vector", new Type[] {Type.SCALAR}), Map.entry("scalar", new Type[] {Type.VECTOR}),
            Map.entry("time", new Type[] {}),
            Map.entry("label_replace", new Type[] {Type.VECTOR, Type.STRING, Type.STRING, Type.STRING, Type.STRING}));
    private static final Set<String> SCALAR_RESULT = Set.of("time", "scalar");
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "count", "group", "stddev", "stdvar");
    private static final Set<String> PARAM_AGGREGATIONS = Set.of("topk", "bottomk", "quantile");
    private static final List<List<String>> PRECEDENCE = List.of(
            List.of("or"), List.of("and", "unless"), List.of("==", "!=", "<=", ">=", "<", ">"),
            List.of("+", "-"), List.of("*", "/", "%", "atan2"), List.of("^"));
    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<=", ">=", "<", ">");

    private final List<String> tokens;
    private final String source;
    private final Set<String> metrics = new TreeSet<>();
    private int position;
    /** Whether the primary just parsed was a plain vector selector (only those may take a [range]). */
    private boolean previousWasSelector;

    private PromQl(String source) {
        this.source = source;
        this.tokens = tokenize(source);
    }

    /** Parses the expression and returns the metric names it selects; throws IllegalArgumentException on an error. */
    static Set<String> metricNames(String expression) {
        PromQl parser = new PromQl(expression);
        Type type = parser.expression(0);
        if (parser.position != parser.tokens.size()) {
            throw parser.error("unexpected " + parser.peek());
        }
        if (type == Type.MATRIX || type == Type.STRING) {
            throw parser.error("expression must be an instant vector or scalar, not " + type);
        }
        return parser.metrics;
    }

    private Type expression(int level) {
        if (level == PRECEDENCE.size()) {
            return unary();
        }
        Type left = expression(level + 1);
        while (PRECEDENCE.get(level).contains(peek())) {
            String operator = next();
            if (COMPARISONS.contains(operator) && "bool".equals(peek())) {
                next();
            }
            if (accept("on") || accept("ignoring")) {
                labelList();
            }
            if (accept("group_left") || accept("group_right")) {
                if ("(".equals(peek())) {
                    labelList();
                }
            }
            // ^ is right-associative: parse the right side at the same level
            Type right = operator.equals("^") ? expression(level) : expression(level + 1);
            for (Type side : List.of(left, right)) {
                if (side == Type.MATRIX || side == Type.STRING) {
                    throw error("operator " + operator + " needs instant vectors or scalars");
                }
            }
            if (List.of("and", "or", "unless").contains(operator) && (left != Type.VECTOR || right != Type.VECTOR)) {
                throw error("set operator " + operator + " needs vectors on both sides");
            }
            left = left == Type.SCALAR && right == Type.SCALAR ? Type.SCALAR : Type.VECTOR;
        }
        return left;
    }

    private Type unary() {
        if (accept("-") || accept("+")) {
            return unary();
        }
        Type type = primary();
        if (accept("[")) {
            String duration = next();
            requireDuration(duration);
            if (accept(":")) {
                if (!"]".equals(peek())) {
                    requireDuration(next());
                }
                expect("]");
                if (type != Type.VECTOR) {
                    throw error("subquery needs an instant vector");
                }
                type = Type.MATRIX;
            } else {
                expect("]");
                if (type != Type.VECTOR || !previousWasSelector) {
                    throw error("range " + duration + " can only follow a vector selector");
                }
                type = Type.MATRIX;
            }
        }
        if (accept("offset")) {
            requireDuration(next());
        }
        return type;
    }

    private Type primary() {
        previousWasSelector = false;
        String token = next();
        if (token == null) {
            throw error("unexpected end");
        }
        if (token.equals("(")) {
            Type type = expression(0);
            expect(")");
            previousWasSelector = false;
            return type;
        }
        if (token.startsWith("\"") || token.startsWith("'")) {
            return Type.STRING;
        }
        if (Character.isDigit(token.charAt(0)) || token.charAt(0) == '.') {
            if (!token.matches("[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?")) {
                throw error("bad number " + token);
            }
            return Type.SCALAR;
        }
        if (token.equals("{")) {
            position--;
            matchers();
            previousWasSelector = true;
            return Type.VECTOR;
        }
        if (!token.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw error("unexpected " + token);
        }
        if (AGGREGATIONS.contains(token) || PARAM_AGGREGATIONS.contains(token)) {
            Type type = aggregation(token);
            previousWasSelector = false;
            return type;
        }
        if ("(".equals(peek())) {
            Type type = call(token);
            previousWasSelector = false;
            return type;
        }
        metrics.add(token);
        if ("{".equals(peek())) {
            matchers();
        }
        previousWasSelector = true;
        return Type.VECTOR;
    }

    private Type aggregation(String operator) {
        boolean grouped = false;
        if (accept("by") || accept("without")) {
            labelList();
            grouped = true;
        }
        expect("(");
        if (PARAM_AGGREGATIONS.contains(operator)) {
            if (expression(0) != Type.SCALAR) {
                throw error(operator + " needs a scalar parameter");
            }
            expect(",");
        }
        if (expression(0) != Type.VECTOR) {
            throw error(operator + " needs an instant vector");
        }
        expect(")");
        if (!grouped && (accept("by") || accept("without"))) {
            labelList();
        }
        return Type.VECTOR;
    }

    private Type call(String function) {
        Type[] signature = FUNCTIONS.get(function);
        if (signature == null) {
            throw error("unknown function " + function);
        }
        expect("(");
        List<Type> arguments = new ArrayList<>();
        if (!accept(")")) {
            do {
                arguments.add(expression(0));
            } while (accept(","));
            expect(")");
        }
        int required = signature.length > 0 && signature[signature.length - 1] == null ? signature.length - 2 : signature.length;
        int allowed = signature.length > 0 && signature[signature.length - 1] == null ? signature.length - 1 : signature.length;
        if (arguments.size() < required || arguments.size() > allowed) {
            throw error(function + " takes " + required + (allowed > required ? "-" + allowed : "") + " arguments");
        }
        for (int i = 0; i < arguments.size(); i++) {
            if (arguments.get(i) != signature[i]) {
                throw error(function + " argument " + (i + 1) + " must be " + signature[i] + ", not " + arguments.get(i));
            }
        }
        return SCALAR_RESULT.contains(function) ? Type.SCALAR : Type.VECTOR;
    }

    private void matchers() {
        expect("{");
        while (!accept("}")) {
            String label = next();
            if (label == null || !label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                throw error("bad label name " + label);
            }
            String operator = next();
            if (!List.of("=", "!=", "=~", "!~").contains(operator)) {
                throw error("bad matcher operator " + operator);
            }
            String value = next();
            if (value == null || !(value.startsWith("\"") || value.startsWith("'"))) {
                throw error("matcher value must be a string");
            }
            if (label.equals("__name__") && operator.equals("=")) {
                metrics.add(value.substring(1, value.length() - 1));
            }
            if (!accept(",")) {
                expect("}");
                return;
            }
        }
    }

    private void labelList() {
        expect("(");
        while (!accept(")")) {
            String label = next();
            if (label == null || !label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                throw error("bad label in grouping: " + label);
            }
            if (!accept(",")) {
                expect(")");
                return;
            }
        }
    }

    private void requireDuration(String token) {
        if (token == null || !(token.matches("([0-9]+(ms|s|m|h|d|w|y))+") || token.matches("\\$\\{?[a-zA-Z_][a-zA-Z0-9_]*}?"))) {
            throw error("bad duration " + token);
        }
    }

    /** The next token, or "" at the end (so that set lookups never see null). */
    private String peek() {
        return position < tokens.size() ? tokens.get(position) : "";
    }

    private String next() {
        return position < tokens.size() ? tokens.get(position++) : null;
    }

    private boolean accept(String token) {
        if (token.equals(peek())) {
            position++;
            return true;
        }
        return false;
    }

    private void expect(String token) {
        if (!accept(token)) {
            throw error("expected " + token + " but found " + peek());
        }
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException(message + " (token " + position + ") in: " + source);
    }

    private static List<String> tokenize(String source) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < source.length() && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < source.length() && source.charAt(end) != c) {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                if (end >= source.length()) {
                    throw new IllegalArgumentException("unterminated string in: " + source);
                }
                tokens.add(source.substring(i, end + 1));
                i = end + 1;
            } else if (c == '$') {
                int end = i + 1;
                if (end < source.length() && source.charAt(end) == '{') {
                    end = source.indexOf('}', end) + 1;
                    if (end == 0) {
                        throw new IllegalArgumentException("unterminated ${ in: " + source);
                    }
                } else {
                    while (end < source.length() && (Character.isLetterOrDigit(source.charAt(end)) || source.charAt(end) == '_')) {
                        end++;
                    }
                }
                tokens.add(source.substring(i, end));
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i + 1;
                while (end < source.length() && (Character.isLetterOrDigit(source.charAt(end)) || "_:".indexOf(source.charAt(end)) >= 0)) {
                    end++;
                }
                tokens.add(source.substring(i, end));
                i = end;
            } else if (Character.isDigit(c) || c == '.') {
                // numbers and durations (5m, 1h30m, 0.95, 1e3)
                int end = i + 1;
                while (end < source.length() && (Character.isLetterOrDigit(source.charAt(end)) || source.charAt(end) == '.')) {
                    end++;
                }
                tokens.add(source.substring(i, end));
                i = end;
            } else {
                String two = i + 1 < source.length() ? source.substring(i, i + 2) : "";
                if (List.of("==", "!=", "<=", ">=", "=~", "!~").contains(two)) {
                    tokens.add(two);
                    i += 2;
                } else if ("(){}[],:+-*/%^<>=@".indexOf(c) >= 0) {
                    tokens.add(String.valueOf(c));
                    i++;
                } else {
                    throw new IllegalArgumentException("unexpected character '" + c + "' in: " + source);
                }
            }
        }
        return tokens;
    }
}
