package io.popbridge.helm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * fabric8 model classes keep fields they do not know in `additionalProperties` instead of failing; a non-empty one
 * anywhere in the tree is a typo or a field in the wrong place (which the API server would drop or reject).
 */
final class UnknownFields {

    /** Kinds without a fabric8 model (KEDA): parsed generically, checked by their own tests. */
    private static final List<String> UNTYPED_KINDS = List.of("ScaledObject");

    private UnknownFields() {
    }

    static void assertNone(HasMetadata resource) {
        String id = resource.getKind() + "/" + resource.getMetadata().getName();
        if (resource instanceof GenericKubernetesResource) {
            assertThat(UNTYPED_KINDS).as(id + " parsed without a typed model").contains(resource.getKind());
            return;
        }
        List<String> unknown = new ArrayList<>();
        walk(resource, id, unknown);
        assertThat(unknown).as("unknown fields in " + id).isEmpty();
    }

    private static void walk(Object node, String path, List<String> unknown) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> collection) {
            int i = 0;
            for (Object item : collection) {
                walk(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> walk(value, path + "." + key, unknown));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Class<?> type = node.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Object value = read(field, node);
                if (field.getName().equals("additionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        extra.keySet().forEach(key -> unknown.add(path + "." + key));
                    }
                } else {
                    walk(value, path + "." + field.getName(), unknown);
                }
            }
        }
    }

    private static Object read(Field field, Object node) {
        try {
            field.setAccessible(true);
            return field.get(node);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
