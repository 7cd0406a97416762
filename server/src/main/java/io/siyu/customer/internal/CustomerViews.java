package io.siyu.customer.internal;

import io.siyu.compliance.AuditLog;
import io.siyu.compliance.Masking;
import io.siyu.compliance.PiiCipher;
import io.siyu.customer.IdentityType;
import io.siyu.platform.Actors;
import io.siyu.platform.BrandClock;
import io.siyu.security.Permissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Builds API views of customers. PII is shown in clear only to holders of {@code pii:read}, and
 * every such read is written to the audit log with the customers it exposed.
 */
@Component
class CustomerViews {

    private final IdentityStore identities;
    private final AttributeStore attributes;
    private final MergeStore merges;
    private final CustomerStore customers;
    private final IdentityTypes types;
    private final PiiCipher cipher;
    private final AuditLog audit;
    private final BrandClock clock;
    private final ObjectMapper json;

    CustomerViews(IdentityStore identities, AttributeStore attributes, MergeStore merges, CustomerStore customers,
            IdentityTypes types, PiiCipher cipher, AuditLog audit, BrandClock clock, ObjectMapper json) {
        this.identities = identities;
        this.attributes = attributes;
        this.merges = merges;
        this.customers = customers;
        this.types = types;
        this.cipher = cipher;
        this.audit = audit;
        this.clock = clock;
        this.json = json;
    }

    /** The 360 view of one customer (with merge history); {@code requestedId} is the id asked for. */
    CustomerView detail(CustomerRow row, long requestedId) {
        boolean reveal = Actors.has(Permissions.PII_READ);
        List<IdentityRow> ids = identities.forCustomer(row.id());
        List<Long> involved = new ArrayList<>(customers.mergedInto(row.id()));
        involved.add(row.id());
        List<CustomerView.MergeView> history = merges.involving(involved).stream().map(this::mergeView).toList();
        CustomerView view = view(row, ids, attributes.values(row.id()), history, reveal, requestedId);
        auditReveal(reveal, List.of(row), ids);
        return view;
    }

    /** Views for a list page (no merge history), loading identities and attributes in one query each. */
    List<CustomerView> list(List<CustomerRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        boolean reveal = Actors.has(Permissions.PII_READ);
        List<Long> ids = rows.stream().map(CustomerRow::id).toList();
        List<IdentityRow> all = identities.forCustomers(ids);
        Map<Long, List<IdentityRow>> byCustomer = all.stream().collect(Collectors.groupingBy(IdentityRow::customerId));
        Map<Long, Map<String, AttributeValue>> attrs = attributes.values(ids);
        List<CustomerView> out = rows.stream().map(r -> view(r, byCustomer.getOrDefault(r.id(), List.of()),
                attrs.getOrDefault(r.id(), Map.of()), null, reveal, r.id())).toList();
        auditReveal(reveal, rows, all);
        return out;
    }

    private void auditReveal(boolean reveal, List<CustomerRow> rows, List<IdentityRow> ids) {
        if (!reveal) {
            return;
        }
        boolean anyPii = rows.stream().anyMatch(r -> r.realNameEnc() != null)
                || ids.stream().anyMatch(i -> i.valueEnc() != null);
        if (anyPii) {
            String targets = rows.stream().map(r -> String.valueOf(r.id())).collect(Collectors.joining(","));
            audit.record("pii.read", "customer", targets, Map.of("customers", rows.size()));
        }
    }

    private CustomerView view(CustomerRow row, List<IdentityRow> ids, Map<String, AttributeValue> attrs,
            List<CustomerView.MergeView> history, boolean reveal, long requestedId) {
        String realName = row.realNameEnc() == null ? null : cipher.decrypt(row.realNameEnc());
        Map<String, Object> attributeJson = new LinkedHashMap<>();
        attrs.values().forEach(v -> attributeJson.put(v.name(), v.json()));
        return new CustomerView(
                String.valueOf(row.id()), row.status(),
                requestedId != row.id() ? String.valueOf(requestedId) : null,
                row.mergedInto() == null ? null : String.valueOf(row.mergedInto()),
                row.profile().displayName(), row.profile().nickname(),
                reveal ? realName : Masking.name(realName),
                row.profile().gender(), row.profile().birthday(), row.profile().province(), row.profile().city(),
                row.profile().avatarUrl(), row.source(),
                ids.stream().map(i -> identityView(i, reveal)).toList(),
                attributeJson, history, !reveal,
                clock.local(row.createdAt()), clock.local(row.updatedAt()), clock.local(row.erasedAt()));
    }

    private CustomerView.IdentityView identityView(IdentityRow row, boolean reveal) {
        String value = identities.plainValue(row);
        IdentityType type = types.find(row.type()).orElse(null);
        String shown = reveal || type == null ? value : IdentityNormaliser.mask(type, value);
        return new CustomerView.IdentityView(String.valueOf(row.id()), row.type(), row.appId(), shown,
                clock.local(row.createdAt()));
    }

    CustomerView.MergeView mergeView(MergeRecord m) {
        return new CustomerView.MergeView(String.valueOf(m.id()), String.valueOf(m.survivorId()),
                String.valueOf(m.mergedId()), m.trigger(), m.reason(), m.actor(), m.requestId(),
                json.readTree(m.details()), clock.local(m.createdAt()));
    }
}
