package io.siyu.wecom.internal;

import io.siyu.platform.BrandClock;
import io.siyu.platform.Cursors;
import io.siyu.platform.Job;
import io.siyu.platform.Jobs;
import io.siyu.platform.Page;
import io.siyu.platform.SiyuException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** WeCom customer groups as Siyu knows them, and their sync. */
@RestController
@Tag(name = "WeCom", description = "WeCom callbacks and customer groups")
class WecomController {

    private static final Logger LOG = LoggerFactory.getLogger(WecomController.class);

    private final GroupStore groups;
    private final GroupSync sync;
    private final ContactSync contacts;
    private final WecomClients clients;
    private final Jobs jobs;
    private final BrandClock clock;

    WecomController(GroupStore groups, GroupSync sync, ContactSync contacts, WecomClients clients, Jobs jobs,
            BrandClock clock) {
        this.groups = groups;
        this.sync = sync;
        this.contacts = contacts;
        this.clients = clients;
        this.jobs = jobs;
        this.clock = clock;
    }

    /** A customer group as the API shows it. */
    record GroupView(String chatId, String name, String ownerUserId, String notice, int customers, int members,
            OffsetDateTime createdAt, boolean dismissed, OffsetDateTime syncedAt) {
    }

    private GroupView view(GroupStore.GroupRow g) {
        return new GroupView(g.chatId(), g.name(), g.ownerUserId(), g.notice(), g.customers(), g.members(),
                g.createdAt() == null ? null : clock.local(g.createdAt()), g.dismissed(), clock.local(g.syncedAt()));
    }

    @GetMapping("/api/v1/wecom/group-chats")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "List WeCom customer groups", description = "In chat-id order, cursor-paged. `customers`: "
            + "members matched to customers; `members`: all members, staff included. Their chat ids are what the "
            + "segment condition `{\"channel\": \"wecom_group\", \"group\": chatId}` names.")
    Page<GroupView> list(@RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        int n = Cursors.limit(limit);
        String after = cursor == null ? null : Cursors.decode(cursor, "chatId", 1).getFirst();
        List<GroupStore.GroupRow> rows = groups.page(after, n + 1);
        String next = rows.size() > n ? Cursors.encode("chatId", List.of(rows.get(n - 1).chatId())) : null;
        return new Page<>(rows.stream().limit(n).map(this::view).toList(), next);
    }

    @GetMapping("/api/v1/wecom/group-chats/{chatId}")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "One WeCom customer group")
    GroupView get(@PathVariable String chatId) {
        return groups.find(chatId).map(this::view).orElseThrow(() -> SiyuException.notFound("group-chat-not-found", chatId));
    }

    @PostMapping("/api/v1/wecom/group-chats/sync")
    @PreAuthorize("hasAuthority('customer:write')")
    @Operation(summary = "Sync all customer groups from WeCom (a job)", description = "Reads every group WeCom lists "
            + "(groupchat/list, then groupchat/get for each) and every stored group it no longer lists, and records "
            + "who joined and who left. Also runs daily (`siyu.wecom.sync-cron`). 409 `wecom-not-configured` without a "
            + "corp id and secret.")
    ResponseEntity<Job> syncAll() {
        return startSync("wecom-group-sync", sync::syncAll);
    }

    /** A sync job, 202 with its location; 409 before anything starts when WeCom is not configured. */
    private ResponseEntity<Job> startSync(String kind, io.siyu.platform.JobWork work) {
        clients.api();
        Job job = jobs.start(kind, work);
        return ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + job.id())).body(job);
    }

    @PostMapping("/api/v1/wecom/group-chats/{chatId}/sync")
    @PreAuthorize("hasAuthority('customer:write')")
    @Operation(summary = "Sync one customer group from WeCom now", description = "Answers what changed. A group WeCom "
            + "does not know (any more) is marked dismissed and emptied.")
    GroupSync.Outcome syncOne(@PathVariable String chatId) {
        if (chatId.isBlank() || chatId.length() > 64) {
            throw SiyuException.notFound("group-chat-not-found", chatId);
        }
        GroupSync.Outcome outcome = sync.syncChat(chatId, "sync");
        if (outcome == null) {
            throw SiyuException.notFound("group-chat-not-found", chatId);
        }
        return outcome;
    }

    @PostMapping("/api/v1/wecom/contacts/sync")
    @PreAuthorize("hasAuthority('customer:write')")
    @Operation(summary = "Sync WeCom friendships (a job)", description = "For every staff member WeCom allows customer "
            + "contacts (get_follow_user_list), reads all their contacts (batch/get_by_user) and records who is a friend "
            + "of whom, adding the contacts made before Siyu was connected and removing the ones deleted meanwhile. Also "
            + "runs daily (`siyu.wecom.sync-cron`). 409 `wecom-not-configured` without a corp id and secret.")
    ResponseEntity<Job> syncContacts() {
        return startSync("wecom-contact-sync", contacts::syncAll);
    }

    @Scheduled(cron = "${siyu.wecom.sync-cron:0 0 4 * * *}", zone = "${siyu.time-zone:Asia/Shanghai}")
    void daily() {
        if (!clients.enabled()) {
            return;
        }
        // each on its own: WeCom failing one does not stop the other
        try {
            ContactSync.Summary c = contacts.syncAll(null);
            LOG.info("WeCom contact sync: {} staff, {} contacts, {} added, {} removed, {} failed", c.staff(), c.contacts(),
                    c.added(), c.removed(), c.failed().size());
        } catch (RuntimeException e) {
            LOG.warn("WeCom contact sync failed: {}", e.getMessage());
        }
        try {
            GroupSync.Summary s = sync.syncAll(null);
            LOG.info("WeCom group sync: {} groups, {} dismissed, {} joined, {} left, {} failed", s.groups(), s.dismissed(),
                    s.joined(), s.left(), s.failed().size());
        } catch (RuntimeException e) {
            LOG.warn("WeCom group sync failed: {}", e.getMessage());
        }
    }
}
