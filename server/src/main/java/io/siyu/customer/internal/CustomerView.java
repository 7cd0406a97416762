package io.siyu.customer.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A customer as the API shows it (the 360 view when {@code mergeHistory} is present). Personal
 * data is masked unless the caller holds {@code pii:read}; {@code piiMasked} says which.
 */
record CustomerView(
        String id,
        String status,
        @JsonInclude(JsonInclude.Include.NON_NULL) String resolvedFrom,
        @JsonInclude(JsonInclude.Include.NON_NULL) String mergedInto,
        String displayName,
        String nickname,
        String realName,
        String gender,
        LocalDate birthday,
        String province,
        String city,
        String avatarUrl,
        String source,
        List<IdentityView> identities,
        Map<String, Object> attributes,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<MergeView> mergeHistory,
        boolean piiMasked,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) OffsetDateTime erasedAt) {

    /** One identity of the customer; the value is masked for PII types unless revealed. */
    record IdentityView(String id, String type, String appId, String value, OffsetDateTime createdAt) {
    }

    /** One merge in the customer's history. */
    record MergeView(String id, String survivorId, String mergedId, String trigger, String reason, String actor,
            String requestId, JsonNode details, OffsetDateTime at) {
    }
}
