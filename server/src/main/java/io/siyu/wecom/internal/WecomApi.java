package io.siyu.wecom.internal;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** The parts of WeCom's server API Siyu calls. Failures surface as {@link WecomException}. */
interface WecomApi {

    /** A customer group with its members; empty when WeCom says there is no such group (dismissed or unknown). */
    Optional<GroupChat> groupChat(String chatId);

    /** One page of the ids of all customer groups the customer-contact application can see. */
    ChatPage groupChats(String cursor);

    /** The WeCom user ids of the staff members allowed to have customer contacts (get_follow_user_list). */
    List<String> contactStaff();

    /** One page of a staff member's customer contacts (batch/get_by_user). */
    ContactPage contacts(String staffUserId, String cursor);

    /** A staff member's customer contact: the external user id, the union id when WeCom gives it, when added. */
    record Contact(String externalUserId, String unionId, OffsetDateTime addedAt) {
    }

    /** Contacts and the cursor of the next page (null at the end). */
    record ContactPage(List<Contact> contacts, String nextCursor) {
    }

    /** A customer group (客户群) as WeCom describes it. */
    record GroupChat(String chatId, String name, String ownerUserId, String notice, OffsetDateTime createdAt,
            List<Member> members) {
    }

    /**
     * A group member: {@code type} 1 is a staff member ({@code userId} is a WeCom user id), 2 an
     * external contact ({@code userId} is an external user id; {@code unionId} when WeCom gives it).
     */
    record Member(String userId, int type, String unionId, OffsetDateTime joinedAt) {

        boolean external() {
            return type == 2;
        }
    }

    /** Chat ids and the cursor of the next page (null at the end). */
    record ChatPage(List<String> chatIds, String nextCursor) {
    }

    /**
     * A WeCom call failed (network, or an error code in the answer): a 502 {@code wecom-unavailable}
     * to an API caller, and to WeCom itself when it happens while a callback is handled, so it repeats it.
     */
    class WecomException extends io.siyu.platform.SiyuException {

        private final int errorCode;

        WecomException(int errorCode, String message, Throwable cause) {
            super(org.springframework.http.HttpStatus.BAD_GATEWAY, "wecom-unavailable", List.of(errorCode),
                    List.of(), java.util.Map.of());
            initCause(cause);
            this.errorCode = errorCode;
            this.message = message;
        }

        private final String message;

        @Override
        public String getMessage() {
            return message;
        }

        int errorCode() {
            return errorCode;
        }
    }
}
