package io.siyu.wecom;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Records a WeCom customer group as WeCom describes it — what the sync does after reading a group —
 * for callers that know a group's members without asking WeCom (demo data, a migration from another
 * SCRM). Members are resolved to customers (created when new); who joined and who left is recorded
 * as channel relations with their system events.
 */
public interface WecomGroups {

    void record(String chatId, String name, String ownerUserId, OffsetDateTime createdAt, List<Member> externalMembers);

    /** An external member: the external user id, the union id when known, when they joined. */
    record Member(String externalUserId, String unionId, OffsetDateTime joinedAt) {
    }
}
