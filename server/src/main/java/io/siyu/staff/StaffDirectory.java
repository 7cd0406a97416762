package io.siyu.staff;

import java.time.OffsetDateTime;
import java.util.Optional;

/** The staff directory and customer ownership, for other modules (demo data, WeCom sync later). */
public interface StaffDirectory {

    /** Adds a staff member; {@code wecomUserId} may be null until WeCom is connected. */
    long add(String name, String title, String wecomUserId);

    /** Makes {@code staffId} the owner of the customer (replacing any previous owner). */
    void assignOwner(long customerId, long staffId, OffsetDateTime since);

    Optional<Long> ownerOf(long customerId);
}
