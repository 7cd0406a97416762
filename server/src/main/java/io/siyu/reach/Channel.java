package io.siyu.reach;

import java.util.Arrays;
import java.util.Optional;

/**
 * A kind of relation through which a customer can be reached, with the system events that record
 * its start and end.
 *
 * @param id          the name stored and used in the API and the segment language
 * @param targetKey   the event property naming the other side (a staff member, a group chat, an app)
 */
public enum Channel {
    /** A WeCom external contact (好友) of a staff member; the target is the staff member's id. */
    WECOM_FRIEND("wecom_friend", "WeCom Friend Added", "WeCom Friend Removed", "staffId"),
    /** A member of a WeCom customer group (客户群); the target is the group's chat id. */
    WECOM_GROUP("wecom_group", "WeCom Group Joined", "WeCom Group Left", "chatId"),
    /** A follower of an official account (公众号); the target is the account's app id. */
    OFFICIAL_ACCOUNT("official_account", "Official Account Followed", "Official Account Unfollowed", "appId");

    private final String id;
    private final String started;
    private final String ended;
    private final String targetKey;

    Channel(String id, String started, String ended, String targetKey) {
        this.id = id;
        this.started = started;
        this.ended = ended;
        this.targetKey = targetKey;
    }

    public String id() {
        return id;
    }

    /** The system event appended when a relation starts. */
    public String startedEvent() {
        return started;
    }

    /** The system event appended when a relation ends. */
    public String endedEvent() {
        return ended;
    }

    public String targetKey() {
        return targetKey;
    }

    public static Optional<Channel> fromId(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst();
    }
}
