package io.siyu.event;

import java.util.List;

/**
 * The customer event log. Appends join the caller's transaction, so an event exists exactly when
 * the operation that produced it committed. Offsets are handed out in commit order shortly after
 * commit, so reading by offset never skips an event that committed late.
 */
public interface EventLog {

    /** Appends events in the caller's transaction, in one JDBC batch; offsets follow after commit. */
    void append(List<NewEvent> events);

    /**
     * Appends events in the caller's transaction with their offsets already assigned: the log head
     * is advanced (and locked) in the same statement, so until the caller commits every other
     * numbering waits, and offsets still grow in the order rows become visible. Meant for writers
     * of many events in short transactions (the tracking API): call it last, right before commit,
     * and the sequencer has nothing left to do for these rows.
     */
    void appendNumbered(List<NewEvent> events);

    /** Up to {@code max} events with an offset greater than {@code afterOffset}, in offset order. */
    List<LoggedEvent> read(long afterOffset, int max);

    /** {@link #read} without the events' payloads, for followers that only need to know who changed. */
    List<LogHead> readHeads(long afterOffset, int max);

    /** The highest offset handed out so far. */
    long headOffset();

    /**
     * The offset that covers every event committed before the call: waits, at most {@code wait}, for
     * the events appended without an offset to be numbered, then answers the head; -1 when they were
     * not numbered in time.
     */
    long committedHead(java.time.Duration wait) throws InterruptedException;
}
