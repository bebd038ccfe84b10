package dev.workerpool.processor;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Which declared types a distributed backend can send, for {@code @WorkerPool(distributed = true)}: the rule that
 * {@code dev.workerpool.hazelcast.Sendable} applies at {@code start} to the erased classes, applied here to the
 * compiler's model. Sendable: primitives, enums, {@code java.io.Serializable} types (boxes and {@code String}
 * among them), {@code Object}, {@code Void} (whose one value is {@code null}), interfaces of package
 * {@code java.util}, arrays whose element type is sendable, records whose components are all sendable (a cycle
 * through records is fine), and type variables whose erasure is. Anything else (a class, abstract class or
 * interface that is neither serializable nor a record) is not.
 *
 * <p>Never throws on an unusual type: what it cannot judge (an error type, which javac reports; a wildcard or an
 * intersection, which no parameter or return type is) passes.
 */
final class SendableTypes {

    private final Elements elements;
    private final Types types;
    /** The erasure of {@code java.io.Serializable}; null only if the platform lacks it. */
    private final TypeMirror serializable;

    SendableTypes(Elements elements, Types types) {
        this.elements = elements;
        this.types = types;
        TypeElement serializableElement = elements.getTypeElement("java.io.Serializable");
        this.serializable = serializableElement == null ? null : types.erasure(serializableElement.asType());
    }

    /** Why no value of {@code type} can be sent (a {@link Message.Unsendable} text), or empty if some can. */
    Optional<String> whyNot(TypeMirror type) {
        return Optional.ofNullable(reason(type, new HashSet<>()));
    }

    /**
     * The type as a message names it: a type variable by its name, any other type by its erasure, as
     * {@code start} names the class it sees ({@code java.util.List}, {@code java.nio.file.Path[]}).
     */
    String name(TypeMirror type) {
        if (type.getKind() == TypeKind.TYPEVAR) {
            return ((TypeVariable) type).asElement().getSimpleName().toString();
        }
        if (type.getKind() == TypeKind.DECLARED || type.getKind() == TypeKind.ARRAY) {
            return types.erasure(type).toString();
        }
        return type.toString();
    }

    /** Why no value of {@code type} can be sent, or null if some can; {@code seen} holds the types on the way. */
    private String reason(TypeMirror type, Set<Element> seen) {
        switch (type.getKind()) {
            case ARRAY -> {
                TypeMirror element = type;
                while (element.getKind() == TypeKind.ARRAY) {
                    element = ((ArrayType) element).getComponentType();
                }
                String why = reason(element, seen);
                return why == null ? null : Message.Unsendable.ELEMENT.format(name(element), why);
            }
            case TYPEVAR -> {
                TypeMirror erasure = types.erasure(type); // the first bound's, the class start sees
                if (erasure.getKind() != TypeKind.DECLARED && erasure.getKind() != TypeKind.ARRAY) {
                    return null;
                }
                String why = reason(erasure, seen);
                return why == null ? null : Message.Unsendable.BOUND.format(name(erasure), why);
            }
            case DECLARED -> {
                return declaredReason((DeclaredType) type, seen);
            }
            default -> {
                return null; // primitives, void; error types (javac reports them); no wildcard or intersection here
            }
        }
    }

    private String declaredReason(DeclaredType type, Set<Element> seen) {
        if (!(type.asElement() instanceof TypeElement element)) {
            return null;
        }
        if (element.getKind() == ElementKind.ENUM || element.getQualifiedName().contentEquals("java.lang.Object")
                || element.getQualifiedName().contentEquals("java.lang.Void") // its one value, null, is sent
                || isSerializable(element) || !seen.add(element)) {
            return null;
        }
        if (element.getKind() == ElementKind.RECORD) {
            for (RecordComponentElement component : element.getRecordComponents()) {
                TypeMirror componentType = component.asType();
                String why = reason(componentType, seen);
                if (why != null) {
                    return Message.Unsendable.COMPONENT.format(component.getSimpleName(), name(componentType), why);
                }
            }
            return null;
        }
        if (element.getKind().isInterface()) {
            return elements.getPackageOf(element).getQualifiedName().contentEquals("java.util") ? null
                    : Message.Unsendable.INTERFACE.format();
        }
        return element.getModifiers().contains(Modifier.ABSTRACT) ? Message.Unsendable.ABSTRACT_CLASS.format()
                : Message.Unsendable.CLASS.format();
    }

    private boolean isSerializable(TypeElement element) {
        return serializable != null && types.isAssignable(types.erasure(element.asType()), serializable);
    }
}
