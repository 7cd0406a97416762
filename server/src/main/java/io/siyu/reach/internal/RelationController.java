package io.siyu.reach.internal;

import io.siyu.customer.Customers;
import io.siyu.platform.BrandClock;
import io.siyu.platform.SiyuException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Where a customer can be reached. */
@RestController
@Tag(name = "Reach", description = "On which channels a customer can be reached")
class RelationController {

    private final RelationService relations;
    private final Customers customers;
    private final BrandClock clock;

    RelationController(RelationService relations, Customers customers, BrandClock clock) {
        this.relations = relations;
        this.customers = customers;
        this.clock = clock;
    }

    /** One relation as the API shows it. */
    record RelationView(String channel, String target, OffsetDateTime since) {
    }

    @GetMapping("/api/v1/customers/{id}/channels")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "A customer's channel relations", description = "WeCom friendships (`wecom_friend`, target: "
            + "staff member id), WeCom customer groups (`wecom_group`, target: chat id) and official accounts followed "
            + "(`official_account`, target: app id), as the WeCom and official-account callbacks and syncs last reported.")
    Map<String, List<RelationView>> channels(@PathVariable String id) {
        long customerId;
        try {
            customerId = customers.resolveId(Long.parseLong(id))
                    .orElseThrow(() -> SiyuException.notFound("customer-not-found", id));
        } catch (NumberFormatException e) {
            throw SiyuException.notFound("customer-not-found", id);
        }
        return Map.of("items", relations.of(customerId).stream()
                .map(r -> new RelationView(r.channel().id(), r.target(), clock.local(r.since()))).toList());
    }
}
