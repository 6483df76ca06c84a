package dev.exifq.web;

/** Thrown by {@link PageAuth} on a page for signed-in people only: answered 303 to /sign-in?next=<that page>. */
public class SignInRequired extends RuntimeException {
    private final String next;

    SignInRequired(String next) {
        super(null, null, false, false);
        this.next = next;
    }

    String next() {
        return next;
    }
}
