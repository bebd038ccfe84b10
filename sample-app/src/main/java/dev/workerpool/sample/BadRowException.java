package dev.workerpool.sample;

/** A CSV row that cannot be imported; names the line and the reason. */
public final class BadRowException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;

    public BadRowException(int line, String reason) {
        super("line " + line + ": " + reason);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
