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

    /**
     * The staff member with this WeCom user id; one is added (named after the user id, until a sync
     * of the WeCom directory names it) when there is none yet, so a WeCom callback about an unknown
     * member is not lost.
     */
    long forWecomUser(String wecomUserId);

    /** The WeCom user id of a staff member, if it has one. */
    Optional<String> wecomUserIdOf(long staffId);
}
