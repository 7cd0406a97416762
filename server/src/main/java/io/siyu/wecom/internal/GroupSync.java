package io.siyu.wecom.internal;

import io.siyu.platform.BrandClock;
import io.siyu.platform.JobContext;
import io.siyu.reach.Channel;
import io.siyu.reach.ChannelRelations;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes Siyu's record of a WeCom customer group match WeCom's: reads the group (outside any
 * transaction), then in one transaction resolves every external member to a customer (by external
 * user id, and union id when WeCom gives one), records who joined and who left as channel relations
 * and stores the group. A dismissed or vanished group loses all its members.
 */
@Service
class GroupSync implements io.siyu.wecom.WecomGroups {

    private final WecomClients clients;
    private final GroupStore groups;
    private final ContactResolver resolver;
    private final ChannelRelations relations;
    private final TransactionTemplate tx;
    private final BrandClock clock;

    GroupSync(WecomClients clients, GroupStore groups, ContactResolver resolver, ChannelRelations relations,
            TransactionTemplate tx, BrandClock clock) {
        this.clients = clients;
        this.groups = groups;
        this.resolver = resolver;
        this.relations = relations;
        this.tx = tx;
        this.clock = clock;
    }

    /** What one group's sync changed. */
    record Outcome(String chatId, boolean dismissed, int customers, int joined, int left) {
    }

    /**
     * Reads the group from WeCom and applies it; a lost race with a concurrent sync is run again once.
     * Null when neither WeCom nor Siyu knows the group.
     */
    Outcome syncChat(String chatId, String source) {
        OffsetDateTime readFrom = clock.now();
        Optional<WecomApi.GroupChat> chat = clients.api().groupChat(chatId);
        return Races.retry(() -> apply(chatId, chat, source, readFrom));
    }

    @Override
    public void record(String chatId, String name, String ownerUserId, OffsetDateTime createdAt,
            List<io.siyu.wecom.WecomGroups.Member> externalMembers) {
        List<WecomApi.Member> members = externalMembers.stream()
                .map(m -> new WecomApi.Member(m.externalUserId(), 2, m.unionId(), m.joinedAt())).toList();
        Races.retry(() -> apply(chatId, Optional.of(new WecomApi.GroupChat(chatId, name, ownerUserId, null, createdAt,
                members)), "import", clock.now()));
    }

    /** A group WeCom reported dismissed: everyone leaves. */
    Outcome dismissed(String chatId, String source) {
        return Races.retry(() -> apply(chatId, Optional.empty(), source, clock.now()));
    }

    /**
     * Applies what WeCom said of the group in a read that began at {@code readFrom}; a read older than
     * the one last applied (a callback's and a sync's reads crossing) is dropped, so an earlier picture
     * never overwrites a later one.
     */
    private Outcome apply(String chatId, Optional<WecomApi.GroupChat> chat, String source, OffsetDateTime readFrom) {
        return tx.execute(s -> {
            OffsetDateTime now = clock.now();
            Optional<GroupStore.GroupRow> before = groups.lock(chatId) ? groups.find(chatId) : Optional.empty();
            if (chat.isEmpty() && before.isEmpty()) {
                return null;   // neither WeCom nor Siyu knows it: nothing to record
            }
            if (before.isPresent() && before.get().syncedAt().isAfter(readFrom)) {
                GroupStore.GroupRow b = before.get();
                return new Outcome(chatId, b.dismissed(), b.customers(), 0, 0);
            }
            if (chat.isEmpty()) {
                int left = 0;
                for (long id : relations.holders(Channel.WECOM_GROUP, chatId)) {
                    left += relations.remove(id, Channel.WECOM_GROUP, chatId, now, "dismissed") ? 1 : 0;
                }
                GroupStore.GroupRow old = before.get();
                groups.save(new GroupStore.GroupRow(chatId, old.name(), old.ownerUserId(), old.notice(), 0, 0,
                        old.createdAt(), true, now));
                return new Outcome(chatId, true, 0, 0, left);
            }
            WecomApi.GroupChat g = chat.get();
            ContactResolver.Resolved resolved = members(g, now);
            Map<Long, OffsetDateTime> members = resolved.customers();
            Set<Long> had = relations.holders(Channel.WECOM_GROUP, chatId);
            int joined = 0;
            for (var m : members.entrySet()) {
                if (!had.contains(m.getKey())) {
                    joined += relations.add(m.getKey(), Channel.WECOM_GROUP, chatId, m.getValue(), source) ? 1 : 0;
                }
            }
            int left = 0;
            for (long id : had) {
                if (!members.containsKey(id) && !resolved.unresolved().contains(id)) {
                    left += relations.remove(id, Channel.WECOM_GROUP, chatId, now, source) ? 1 : 0;
                }
            }
            groups.save(new GroupStore.GroupRow(chatId, g.name(), g.ownerUserId(), g.notice(), members.size(),
                    g.members().size(), g.createdAt(), false, now));
            return new Outcome(chatId, false, members.size(), joined, left);
        });
    }

    /** The customers among the group's external members, each with when it joined. */
    private ContactResolver.Resolved members(WecomApi.GroupChat g, OffsetDateTime now) {
        return resolver.resolve(g.members().stream().filter(WecomApi.Member::external)
                .map(m -> new ContactResolver.External(m.userId(), m.unionId(), m.joinedAt())).toList(), now);
    }

    /** What a full sync did. */
    record Summary(int groups, int dismissed, int joined, int left, List<String> failed) {
    }

    /**
     * Every group WeCom lists, and every stored group it no longer lists (which then turns out
     * dismissed): read and applied one by one. A group whose read fails is reported, not fatal.
     */
    Summary syncAll(JobContext job) {
        Set<String> ids = new LinkedHashSet<>();
        String cursor = null;
        do {
            WecomApi.ChatPage page = clients.api().groupChats(cursor);
            ids.addAll(page.chatIds());
            cursor = page.nextCursor();
        } while (cursor != null);
        ids.addAll(groups.live());
        SyncLoop.Walked<Outcome> w = SyncLoop.walk(ids, job, "group", chatId -> syncChat(chatId, "sync"));
        return new Summary(w.outcomes().size(), (int) w.outcomes().stream().filter(Outcome::dismissed).count(),
                w.outcomes().stream().mapToInt(Outcome::joined).sum(), w.outcomes().stream().mapToInt(Outcome::left).sum(),
                w.failed());
    }
}
