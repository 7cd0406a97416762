package io.siyu.event;

/**
 * Under which names an event is counted in the per-customer daily counts: its name for track and
 * system events, else its type; a named page or screen also as {@code page:<name>} /
 * {@code screen:<name>}, so rules can ask how often a given page was viewed. The aggregates consumer
 * counts by these keys, and followers of the log that keep counts of their own use the same.
 */
public final class DailyCountKeys {

    /** Longest key kept; longer view keys are cut. */
    public static final int MAX_LENGTH = 200;

    private DailyCountKeys() {
    }

    /** The event's count key. */
    public static String of(String type, String name) {
        return ("track".equals(type) || "system".equals(type)) && name != null ? name : type;
    }

    /** The second key of a named page or screen; null for other events. */
    public static String view(String type, String name) {
        if (("page".equals(type) || "screen".equals(type)) && name != null && !name.isEmpty()) {
            String key = type + ":" + name;
            return key.length() > MAX_LENGTH ? key.substring(0, MAX_LENGTH) : key;
        }
        return null;
    }
}
