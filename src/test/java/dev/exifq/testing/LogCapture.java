package dev.exifq.testing;

import org.jboss.logmanager.ExtLogRecord;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Everything logged while open (messages formatted, stack traces included), for tests that grep the log. */
public final class LogCapture extends Handler implements AutoCloseable {
    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

    public static LogCapture open() {
        LogCapture c = new LogCapture();
        Logger.getLogger("").addHandler(c);
        return c;
    }

    public String text() {
        return String.join("\n", lines);
    }

    @Override
    public void publish(LogRecord r) {
        String msg = r instanceof ExtLogRecord ext ? ext.getFormattedMessage() : r.getMessage();
        StringWriter trace = new StringWriter();
        if (r.getThrown() != null) {
            r.getThrown().printStackTrace(new PrintWriter(trace));
        }
        lines.add(r.getLevel() + " " + r.getLoggerName() + " " + msg + " " + trace);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
