package io.siyu.layer;

import java.time.LocalTime;
import java.util.List;

/**
 * How often and how a customer in a layer may be contacted: caps per day, week and month (0 = not
 * at all), the channels to use in order of preference, and the hours of the day (brand time zone)
 * in which messages may go out. Messaging enforces it; an empty {@code allowedHours} means the
 * layer sets no hours of its own and messaging's quiet hours apply.
 */
public record ContactPolicy(int maxPerDay, int maxPerWeek, int maxPerMonth, List<Channel> preferredChannels,
        List<HourWindow> allowedHours) {

    public ContactPolicy {
        preferredChannels = List.copyOf(preferredChannels);
        allowedHours = List.copyOf(allowedHours);
    }

    /** The channels a layer can prefer. */
    public enum Channel {
        WECOM, SMS, OFFICIAL_ACCOUNT, MINI_PROGRAM, EMAIL, WECHAT_GROUP
    }

    /** From {@code from} (inclusive) to {@code to} (exclusive) on the same day; {@code 24:00} is {@link LocalTime#MAX}. */
    public record HourWindow(LocalTime from, LocalTime to) {

        public boolean contains(LocalTime time) {
            return !time.isBefore(from) && (to.equals(LocalTime.MAX) || time.isBefore(to));
        }
    }

    /** Whether a message may go out at {@code time} (brand time zone). */
    public boolean allows(LocalTime time) {
        return allowedHours.isEmpty() || allowedHours.stream().anyMatch(w -> w.contains(time));
    }
}
