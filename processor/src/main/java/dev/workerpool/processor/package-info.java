/**
 * Not API: the annotation processor, which javac finds through {@code META-INF/services} on the processor path.
 * Only {@link dev.workerpool.processor.WorkerPoolProcessor} is public, because javac must instantiate it; nothing
 * here is for users to call, and anything may change in any version. What the processor promises is the generated
 * code and its diagnostics (the README's "Compile-time checks"). Flow: {@code WorkerPoolProcessor} →
 * {@code PoolValidator} (every check, every message through {@code Message}) → {@code PoolModel} →
 * {@code PoolWriter} (JavaPoet only); DESIGN.md, "The processor".
 */
package dev.workerpool.processor;
